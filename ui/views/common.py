"""What the pages share: the knowledge base (built once), the user, the filters and the source cards."""

from __future__ import annotations

import datetime as dt
import html
import os
import re
from pathlib import Path
from typing import Any

import streamlit as st

from rag import schema
from rag.errors import KbError
from rag.french import french_date, scan_note, source_title
from rag.records import list_records
from rag.schema import Chunk, DeliberationRecord, Filters
from rag.settings import Settings
from ui.auth import User
from ui.views import catalog

USER_KEY = "mairie_user"
SPACE_KEY = "mairie_space"  # the space the session reads (ui/app.py checks it is one of the user's)
CODE_ARTICLE_KEY = "code_article"

KIND_LABELS = {
    schema.KIND_DELIBERATION: "Délibérations",
    schema.KIND_ARTICLE: "Articles de code (CGCT, CRPA…)",
    schema.KIND_DOCUMENT: "Autres documents",
}
STATUS_LABELS = {
    "unsupported": "n'est pas appuyée par le passage cité",
    "invalid_citation": "cite une source qui n'existe pas",
    "unknown_reference": "mentionne une référence absente des sources",
    "uncited": "ne cite aucune source",
}


# --- resources ------------------------------------------------------------------------------------
def _env_signature(*, ignore: tuple[str, ...] = ()) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith("MAIRIE_") and k not in ignore))


def settings() -> Settings:
    try:
        return _settings(_env_signature())
    except KbError as e:
        st.error(f"Configuration invalide : {e}")
        st.stop()
        raise  # unreachable: st.stop() raises


@st.cache_resource(show_spinner=False)
def _settings(signature: tuple[tuple[str, str], ...]) -> Settings:
    return Settings.from_env()


@st.cache_resource(show_spinner="Ouverture de la base de connaissances…")
def _kb(signature: tuple[tuple[str, str], ...], space: str) -> Any:
    from rag.kb import KnowledgeBase

    kb = KnowledgeBase(Settings.from_env().replace(space=space))
    kb.store.count()  # open Chroma now, so a broken store is reported here
    return kb


def current_space() -> str:
    """The space this session reads: chosen in the sidebar among the user's, else MAIRIE_SPACE."""
    space = st.session_state.get(SPACE_KEY)
    return space if isinstance(space, str) and space else settings().space


def get_kb() -> Any:
    """The KnowledgeBase of MAIRIE_* settings for the session's space (and the shared law), opened once per
    process and space (st.cache_resource)."""
    settings()
    try:
        return _kb(_env_signature(ignore=("MAIRIE_USERS_FILE",)), current_space())
    except KbError as e:
        st.error(f"Impossible d'ouvrir la base de connaissances : {e}")
        st.stop()
    except Exception as e:  # Chroma raises its own errors on a damaged store
        st.error(
            f"Impossible d'ouvrir la base de connaissances ({type(e).__name__} : {e}). "
            "Vérifiez le dossier MAIRIE_STORE ou lancez `mairie verify`."
        )
        st.stop()


def generation(kb: Any) -> str:
    """Changes whenever a document is added or removed: the key of every cached view of the store."""
    try:
        return f"{kb.store.location}:{kb.store.generation()}"
    except Exception:  # an empty store has no generation record yet
        return f"{kb.store.location}:"


@st.cache_data(show_spinner=False, max_entries=8)
def facets(_kb: Any, key: str) -> catalog.Facets:
    return catalog.facets(_kb.store.chunks_all_meta())


@st.cache_data(show_spinner="Lecture des délibérations…", max_entries=4)
def records(_kb: Any, key: str) -> list[DeliberationRecord]:
    return list_records(_kb.store)


# --- user -----------------------------------------------------------------------------------------
def current_user() -> User | None:
    user = st.session_state.get(USER_KEY)
    return user if isinstance(user, User) else None


def require_user() -> User:
    """The signed-in user, with their role in the session's space."""
    user = current_user()
    if user is None:
        st.error("Session expirée ou non identifiée : rechargez la page et connectez-vous.")
        st.stop()
    try:
        return user.in_space(current_space())  # type: ignore[union-attr]
    except KbError as e:
        st.error(str(e))
        st.stop()
        raise  # unreachable: st.stop() raises


# --- text helpers ---------------------------------------------------------------------------------
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|$~])")


def md_escape(text: str) -> str:
    """Plain text shown through st.markdown: no markup, no LaTeX ($), no HTML."""
    return _MD_SPECIAL.sub(r"\\\1", text)


_MD_ENTITIES = {ord(c): f"&#{ord(c)};" for c in "\\`*_{}[]()#+!|$~-:"}


def html_text(text: str) -> str:
    """Plain text inside the HTML that st.markdown(..., unsafe_allow_html=True) renders: HTML-escaped, and
    every character markdown would read as markup (an image ![x](url), a link, emphasis) as an entity."""
    return html.escape(text, quote=False).translate(_MD_ENTITIES)


def answer_markdown(text: str) -> str:
    """An answer's text as markdown: escaped, with its [n] markers in bold and its lines kept."""
    escaped = md_escape(text)
    escaped = re.sub(r"\\\[(\d{1,3})\\\]", r"**[\1]**", escaped)
    return escaped.replace("\n", "  \n")


def highlight_html(passage: str, quote: str) -> tuple[str, bool]:
    """The passage as escaped HTML with each sentence of the quote inside <mark>; (html, found)."""
    spans: list[tuple[int, int]] = []
    # The answerer joins non-adjacent sentences with "[…]": each piece is looked for on its own.
    for sentence in re.split(r"(?<=[.!?»])\s+|\s*\[…\]\s*|\s*\[\.\.\.\]\s*", quote.strip()):
        words = sentence.split()
        if not words:
            continue
        pattern = r"[\s\-–•]*".join(re.escape(w) for w in words)
        match = re.search(pattern, passage)
        if match:
            spans.append(match.span())
    spans.sort()
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out: list[str] = []
    last = 0
    for start, end in merged:
        out.append(html_text(passage[last:start]))
        out.append(f"<mark>{html_text(passage[start:end])}</mark>")
        last = end
    out.append(html_text(passage[last:]))
    body = "".join(out)
    body = re.sub(r"\n{2,}", "<br><br>", body).replace("\n", " ")
    return body, bool(merged)


def passage_block(passage: str, quote: str = "") -> None:
    body, found = highlight_html(passage, quote) if quote else (html_text(passage).replace("\n", " "), False)
    if quote and not found:
        st.markdown(f'<div class="mairie-quote"><mark>{html_text(quote)}</mark></div>', unsafe_allow_html=True)
    st.markdown(f'<div class="mairie-passage">{body}</div>', unsafe_allow_html=True)


CSS = """
<style>
.mairie-passage {font-size: 0.95rem; line-height: 1.5; padding: 0.5rem 0.75rem; border-left: 3px solid #9aa5b1;
  background: rgba(127,127,127,0.06); margin-bottom: 0.5rem; max-height: 30rem; overflow-y: auto;}
.mairie-passage mark, .mairie-quote mark {background: #ffe066; color: #1a1a1a; padding: 0 0.1rem;}
.mairie-quote {font-style: italic; margin-bottom: 0.3rem;}
</style>
"""


def inject_css() -> None:
    st.markdown(CSS, unsafe_allow_html=True)


# --- sources --------------------------------------------------------------------------------------
def source_facts(chunk: Chunk) -> list[str]:
    """Short facts shown under a source title: commune, date, number, page, file."""
    meta = chunk.meta
    facts: list[str] = []
    if chunk.kind == schema.KIND_ARTICLE:
        facts.append(f"Article {chunk.article}" + (f" du {meta[schema.CODE]}" if meta.get(schema.CODE) else ""))
        if meta.get(schema.VERSION_NOTE):  # set on an answer's citations: checked against the known versions
            facts.append(str(meta[schema.VERSION_NOTE]))
        elif meta.get(schema.VERSION_DATE):
            facts.append(f"texte consolidé au {french_date(str(meta[schema.VERSION_DATE]))}")
        return facts
    if meta.get(schema.COMMUNE):
        facts.append(str(meta[schema.COMMUNE]))
    if meta.get(schema.DATE):
        facts.append(f"séance du {french_date(str(meta[schema.DATE]))}")
    if meta.get(schema.DELIB_ID):
        facts.append(f"délibération n° {meta[schema.DELIB_ID]}")
    if chunk.page:
        end = int(meta.get(schema.PAGE_END) or 0)
        facts.append(f"p. {chunk.page}" + (f"–{end}" if end > chunk.page else ""))
    elif meta.get(schema.SECTION):
        facts.append(f"section « {str(meta[schema.SECTION])[:80]} »")
    if scan_note(chunk):
        facts.append(
            ("⚠ " if float(meta[schema.OCR_CONFIDENCE]) < schema.OCR_LOW_CONFIDENCE else "") + scan_note(chunk)
        )
    facts.append(chunk.source)
    return facts


def remember(key: str, value: object) -> None:
    """A widget callback that keeps a value for the next run (e.g. the example question clicked)."""
    st.session_state[key] = value


def relevance_label(score: float) -> str:
    """What a retrieval score tells a reader. Fused scores are ranks, not probabilities: only an exact
    reference (an article or deliberation number named in the question, score >= 1) says more than the rank."""
    return "référence exacte" if score >= 1.0 else ""


def source_card(
    chunk: Chunk, *, key: str, n: int | None = None, quote: str = "", score: float | None = None, full_text: bool = True
) -> None:
    """A bordered card: title, facts, passage with the quote highlighted, and a way to the original."""
    with st.container(border=True):
        label = f"[{n}] " if n is not None else ""
        st.markdown(f"**{md_escape(label + source_title(chunk))}**")
        facts = source_facts(chunk)
        if score is not None and relevance_label(score):
            facts.insert(0, relevance_label(score))
        st.caption(md_escape(" · ".join(facts)))
        if chunk.kind == schema.KIND_ARTICLE and chunk.meta.get(schema.HEADING_PATH):
            st.caption(md_escape(" > ".join(str(chunk.meta[schema.HEADING_PATH]).split(" > ")[-2:])))
        text = chunk.text
        if chunk.kind == schema.KIND_ARTICLE and "\n" in text:
            text = text.split("\n", 1)[1]  # the "Article L... — context" line added for retrieval
        if not full_text:
            text = _snippet(text)
        passage_block(text, quote)
        original_buttons(chunk, key=key, quote=quote)


def _snippet(text: str, limit: int = 400) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit].rsplit(" ", 1)[0] + " …"


def _toggle(key: str) -> None:
    opened: set[str] = st.session_state.setdefault("opened_pages", set())
    opened.symmetric_difference_update({key})


def original_buttons(chunk: Chunk, *, key: str, quote: str = "") -> None:
    if chunk.kind == schema.KIND_ARTICLE:
        cols = st.columns(2)
        url = chunk.meta.get(schema.URL)
        if url:
            cols[0].link_button("Voir sur Légifrance", str(url))
        if cols[1].button("Ouvrir dans le Code", key=f"code-{key}"):
            st.session_state[CODE_ARTICLE_KEY] = chunk.article
            st.switch_page("views/code.py")
        return
    path = chunk.meta.get(schema.PATH)
    is_pdf = (path or chunk.source).lower().endswith(".pdf")
    if not is_pdf:
        _office_button(chunk, key=key)
        return
    opened = key in st.session_state.get("opened_pages", set())
    st.button("Fermer la page" if opened else "Ouvrir la page", key=f"open-{key}", on_click=_toggle, args=(key,))
    if opened:
        show_pdf_page(chunk, quote=quote)


def _office_button(chunk: Chunk, *, key: str) -> None:
    """Word and LibreOffice files have no page to render: the original file is offered for download."""
    path = Path(str(chunk.meta.get(schema.PATH) or ""))
    if path.suffix.lower() not in (".doc", ".docx", ".odt") or not path.is_file():
        return
    st.download_button("Ouvrir le fichier d'origine", path.read_bytes(), file_name=path.name, key=f"orig-{key}")


@st.cache_data(show_spinner="Rendu de la page…", max_entries=32)
def _render(path: str, mtime: float, pages: tuple[int, ...], quote: str) -> tuple[bytes, int, int, bool]:
    from ui.render import render_page

    shown = render_page(Path(path), pages=list(pages), quote=quote)
    return shown.png, shown.page, shown.page_count, shown.highlighted


def show_pdf_page(chunk: Chunk, *, quote: str = "") -> None:
    from ui.render import RenderError, locate

    stored = chunk.meta.get(schema.PATH)
    if not stored:
        st.info(
            "Le chemin du fichier d'origine n'a pas été enregistré pour ce document : "
            "réindexez-le pour pouvoir ouvrir la page."
        )
        return
    from ingest.pseudonymize import original_path

    path = original_path(settings().store, str(stored))  # the real file when the stored path is pseudonymised
    first = chunk.page or 1
    last = max(first, int(chunk.meta.get(schema.PAGE_END) or first))
    original = locate(str(path))  # a name with control characters is stored with '?' in their place
    try:
        mtime = original.stat().st_mtime if original is not None else None
    except OSError:
        mtime = None
    if original is None or mtime is None:
        st.warning(
            f"Fichier d'origine introuvable : {md_escape(str(stored))} (déplacé ou supprimé depuis l'indexation)."
        )
        return
    try:
        png, page, count, highlighted = _render(str(original), mtime, tuple(range(first, last + 1)), quote)
    except RenderError as e:
        st.warning(md_escape(str(e)))
        return
    except Exception as e:  # a PDF that pdfium cannot draw must not break the page
        st.warning(
            md_escape(f"Impossible d'afficher la page {first} de {Path(str(stored)).name} ({type(e).__name__} : {e}).")
        )
        return
    note = "passage cité surligné" if highlighted else "passage non repéré sur la page : page entière affichée"
    st.image(png, caption=f"{chunk.source} — page {page} sur {count} ({note})", width="stretch")


# --- filters --------------------------------------------------------------------------------------
ALL = "Tous"


def filters_sidebar(kb: Any, *, prefix: str, kind_choice: bool = True) -> Filters:
    """Sidebar widgets that build a Filters (commune, dates, kind, matière)."""
    found = facets(kb, generation(kb))
    sidebar = st.sidebar
    sidebar.subheader("Filtres")
    kind = None
    if kind_choice:
        kinds = [k for k in (schema.KIND_DELIBERATION, schema.KIND_ARTICLE, schema.KIND_DOCUMENT) if k in found.kinds]
        kind = sidebar.selectbox(
            "Type de document",
            [None, *kinds],
            key=f"{prefix}-kind",
            format_func=lambda k: ALL if k is None else KIND_LABELS.get(k, k),
        )
    commune = sidebar.selectbox(
        "Commune", [None, *found.communes], key=f"{prefix}-commune", format_func=lambda c: "Toutes" if c is None else c
    )
    low = dt.date(min(found.years), 1, 1) if found.years else dt.date(1990, 1, 1)
    since = sidebar.date_input(
        "Depuis le",
        value=None,
        min_value=dt.date(1950, 1, 1),
        format="DD/MM/YYYY",
        key=f"{prefix}-since",
        help=f"Documents datés à partir de {low.year}.",
    )
    until = sidebar.date_input(
        "Jusqu'au", value=None, min_value=dt.date(1950, 1, 1), format="DD/MM/YYYY", key=f"{prefix}-until"
    )
    matiere = sidebar.selectbox(
        "Matière (nomenclature ACTES)",
        [None, *found.matieres],
        key=f"{prefix}-matiere",
        format_func=lambda m: "Toutes" if m is None else found.matieres.get(m, m),
    )
    not_unanimous = sidebar.checkbox("Votes non unanimes seulement", key=f"{prefix}-nonunan")
    if (since or until or matiere or not_unanimous or commune) and kind == schema.KIND_ARTICLE:
        sidebar.caption(
            "Les articles du Code n'ont ni commune, ni date de séance, ni matière : ces filtres les excluent."
        )
    return Filters(
        kind=kind,
        commune=commune,
        since=since.isoformat() if isinstance(since, dt.date) else None,
        until=until.isoformat() if isinstance(until, dt.date) else None,
        matiere=matiere,
        not_unanimous=bool(not_unanimous),
    )
