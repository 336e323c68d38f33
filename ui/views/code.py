"""Codes (CGCT, CRPA ...): browse the indexed articles by chapter and section, read one, follow its references.

Everything comes from rag.legal.LegalIndex, the same index as `mairie article`. Numbers, headings and texts
come from documents: they are shown as plain text (st.text, escaped captions and labels), never as markdown.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import streamlit as st

from rag.articles import code_name
from rag.errors import KbError
from rag.french import french_date
from rag.legal import ArticleView, Chapter, LegalIndex, UnknownArticleError, article_display
from ui.views import common

CODE_KEY = "code-code"
DATE_KEY = "code-date"
# common.md_escape without parentheses: "Article L2121-17 (CGCT)" stays readable, and with "[" and "!"
# escaped no link or image can form.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#+!|$~])")


def plain(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


kb = common.get_kb()
user = common.require_user()
legal: LegalIndex = kb.legal

codes = legal.codes()
if not codes:
    st.title("Codes")
    st.info(
        "Aucun article de code indexé. Un administrateur peut indexer l'arborescence Markdown du CGCT "
        "(`mairie ingest data/cgct`)."
    )
    st.stop()


def locate(number: str | None, code: str | None) -> tuple[str, str] | None:
    """(code, number) of an article, in `code` when it has it, else in any code."""
    if not number:
        return None
    for wanted in (code, None):
        try:
            return legal.resolve(number, code=wanted)
        except UnknownArticleError:
            continue
    return None


def open_article(code: str, number: str) -> None:
    st.session_state[CODE_KEY] = code
    st.session_state[common.CODE_ARTICLE_KEY] = number


def close_article() -> None:
    st.session_state[common.CODE_ARTICLE_KEY] = None


def go_to() -> None:
    """Open the typed article: in the code shown if it has it, else wherever `mairie article` finds it."""
    typed = st.session_state.get("code-goto", "")
    st.session_state["code-goto-error"] = ""
    if not typed:
        return
    try:
        open_article(*legal.resolve(typed, code=st.session_state.get(CODE_KEY)))
        return
    except UnknownArticleError:
        pass
    try:
        open_article(*legal.resolve(typed))
    except UnknownArticleError as e:
        st.session_state["code-goto-error"] = str(e)


MAX_LISTED_CHAPTERS = 30  # beyond, the chapters are narrowed level by level (partie, livre, titre)
LEVEL_KEY = "code-level-"
_LEVEL_WORDS = ("chapitre", "titre", "livre", "partie", "section", "annexe")


def level_label(options: list[str]) -> str:
    """ "Livre" for options that read "LIVRE Ier : ...", "Partie" for "DEUXIÈME PARTIE : ..."."""
    heads = [option.lower().split(":")[0] for option in options]
    counts = {word: sum(word in head for head in heads) for word in _LEVEL_WORDS}
    word = max(_LEVEL_WORDS, key=lambda w: counts[w])  # the word most options share ("Annexes" among parties)
    return word.capitalize() if counts[word] else "Subdivision"


def narrow(chapters: list[Chapter], code: str, number: str | None) -> list[Chapter]:
    """One selectbox per level of the code's tree until at most MAX_LISTED_CHAPTERS chapters remain; the
    open article's path is chosen at first. A whole code never becomes thousands of widgets."""
    if st.session_state.get(f"{LEVEL_KEY}for") != (code, number):  # another article: its own path
        for key in [k for k in st.session_state if str(k).startswith(LEVEL_KEY)]:
            del st.session_state[key]
        st.session_state[f"{LEVEL_KEY}for"] = (code, number)
    target = next((c for c in chapters if number in c.numbers), None)
    depth = 0
    while len(chapters) > MAX_LISTED_CHAPTERS and all(len(c.path) > depth + 1 for c in chapters):
        options = list(dict.fromkeys(c.path[depth] for c in chapters))
        if len(options) > 1:
            prefix = hashlib.sha256("\x00".join(chapters[0].path[:depth]).encode()).hexdigest()[:12]
            chosen = target.path[depth] if target is not None and target in chapters else options[0]
            choice = st.selectbox(
                level_label(options),
                options,
                index=options.index(chosen),
                key=f"{LEVEL_KEY}{code}-{depth}-{prefix}",
            )
            chapters = [c for c in chapters if c.path[depth] == choice]
        depth += 1
    return chapters


wanted = st.query_params.get("article")
if wanted and not st.session_state.get("code-query-read"):  # ?article=L2121-17 opens it once per session
    st.session_state["code-query-read"] = True
    st.session_state[common.CODE_ARTICLE_KEY] = wanted
current = locate(st.session_state.get(common.CODE_ARTICLE_KEY), st.session_state.get(CODE_KEY))
if current:
    st.session_state[CODE_KEY] = current[0]  # an article opened from another page brings its code
if st.session_state.get(CODE_KEY) not in codes:
    st.session_state[CODE_KEY] = codes[0]

st.title(plain(code_name(st.session_state[CODE_KEY])))
nav, view_column = st.columns([2, 3], gap="large")
with nav:
    code = st.selectbox(
        "Code", codes, key=CODE_KEY, format_func=code_name, on_change=close_article, disabled=len(codes) == 1
    )
    st.text_input("Aller à l'article", placeholder="ex. L2121-17", key="code-goto", on_change=go_to)
    if st.session_state.get("code-goto-error"):
        st.warning(plain(st.session_state["code-goto-error"]))
    st.date_input(
        "Texte en vigueur le",
        value=None,
        min_value=dt.date(1950, 1, 1),
        format="DD/MM/YYYY",
        key=DATE_KEY,
        help="Laissez vide pour la version la plus récente connue.",
    )
    chapters = legal.tree(code)
    number = current[1] if current and current[0] == code else None
    chapters = narrow(chapters, code, number)
    default_chapter = next((i for i, c in enumerate(chapters) if number in c.numbers), 0)
    chapter = chapters[
        st.selectbox(
            "Chapitre",
            range(len(chapters)),
            index=default_chapter,
            format_func=lambda i: " > ".join(chapters[i].path[-2:]),
            help=f"{sum(len(c.numbers) for c in legal.tree(code))} articles dans ce code, par chapitre",
        )
    ]
    for section, numbers in chapter.sections.items():
        expanded = number in numbers or len(chapter.sections) == 1
        with st.expander(plain(section or "Dispositions du chapitre"), expanded=expanded):
            for n in numbers:
                preview = legal.preview(n, code=code)
                st.button(
                    plain(f"{n} — {preview}" if preview else n),
                    key=f"art-{n}",
                    on_click=open_article,
                    args=(code, n),
                    type="primary" if n == number else "secondary",
                    width="stretch",
                )


def show(view: ArticleView) -> None:
    shown = article_display(view)
    st.header(plain(shown.title))
    if view.heading_path:
        st.caption(plain(view.heading_path))
    st.caption(plain(shown.dated))
    for note in shown.notes:
        st.info(plain(note))
    if view.regime == "special":
        st.warning(
            "Article d'un régime particulier (Paris, Lyon, Marseille, outre-mer…) : vérifiez qu'il "
            "s'applique à votre commune."
        )
    st.text(shown.text or "(texte vide)")
    if shown.newer:
        st.warning(plain(shown.newer))
        if shown.newer_text:
            st.text(shown.newer_text)
    if shown.link.startswith("https://"):
        st.link_button("Voir sur Légifrance (texte officiel)", shown.link)
    if view.source:
        st.caption(plain(f"Source indexée : {view.source}"))

    st.subheader("Articles cités")
    if not view.cites:
        st.caption("Cet article ne renvoie à aucun autre article du code.")
    for n in view.cites:
        st.button(plain(f"Ouvrir l'article {n}"), key=f"cite-{n}", on_click=open_article, args=(view.code, n))
    st.subheader("Cité par")
    if not view.cited_by:
        st.caption("Aucun article indexé ne renvoie à cet article.")
    for n in view.cited_by:
        st.button(plain(f"Ouvrir l'article {n}"), key=f"citedby-{n}", on_click=open_article, args=(view.code, n))
    if view.versions:
        with st.expander(f"Versions connues ({len(view.versions)})", expanded=False):
            st.dataframe(
                {
                    "En vigueur le": [french_date(v.date) for v in view.versions],
                    "Texte modificateur": [v.message for v in view.versions],
                    "Texte identique vu jusqu'au": [french_date(v.confirmed) for v in view.versions],
                },
                hide_index=True,
            )


with view_column:
    if number is None:
        st.info("Choisissez un article à gauche, ou tapez son numéro (ex. L2121-17).")
        st.stop()
    date = st.session_state.get(DATE_KEY)
    try:
        show(legal.lookup(number, code=code, date=date.isoformat() if isinstance(date, dt.date) else None))
    except KbError as e:  # NoVersionError: nothing in force on that date
        st.header(plain(f"Article {number} ({code})"))
        st.warning(plain(str(e)))
