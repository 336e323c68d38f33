"""The indexed codes as something to navigate: an article by number, what it cites, what cites it, its versions.

Example (needs a live store)::

    legal = LegalIndex(store=store)
    view = legal.lookup("art. L 2121-17")
    view.cites
    # -> ['L2121-10', 'L2121-11', 'L2121-12']
    legal.lookup("L2122-22", date="2010-01-01").version_date
    # -> '2009-12-12'
    legal.codes()
    # -> ['CGCT', 'CRPA']
    legal.chapter("L2121-17").title
    # -> 'CHAPITRE Ier : Le conseil municipal'

Articles are the chunks of kind "article", grouped by code and number, their parts joined in order.
Versions come from the `<collection>_versions` collection (rag.versions); an article without recorded
versions shows its indexed text and the date of its consolidated text stored with it (VERSION_DATE), if any.
`article_display` words one article for a reader (the CLI and the Code page): "texte consolidé au …", the
newer version when one is known, the Légifrance link.
The cross-reference graph and the table of contents are computed once per store generation and cached.
The CLI (`mairie article`) and the app's Code page both read articles through this class only.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from rag import schema
from rag.articles import (
    CODE_TAGS,
    article_sort_key,
    code_name,
    nearest_articles,
    normalize_article,
    parse_references,
)
from rag.errors import KbError
from rag.french import french_date
from rag.store import ChromaStore, date_to_int
from rag.versions import ArticleVersion, VersionStore, in_force, same_text

logger = logging.getLogger(__name__)

DEFAULT_CODE = "CGCT"
CODE_URLS = {
    "CGCT": "https://www.legifrance.gouv.fr/codes/id/LEGITEXT000006070633/",
    "CRPA": "https://www.legifrance.gouv.fr/codes/id/LEGITEXT000031366350/",
}


# The law that ships with the product, said by the README ("Date du droit livré") and the privacy page;
# tests/ingest/test_law_date.py checks these dates against the sources.
SHIPPED_LAW = (
    "CGCT : texte consolidé fin 2015 (export etalab « codes-juridiques-francais » ; dernières versions en vigueur "
    "au 1er janvier 2016, deux au 1er janvier 2017), dont 11 articles sur le fonctionnement du conseil municipal "
    "connus aussi dans leur version du 3 juin 2023 ; CRPA : à jour au 5 février 2026 (@socialgouv/legi-data "
    "2.513.0)."
)
NOT_LEGIFRANCE = (
    "Ces textes ne remplacent pas Légifrance : avant de fonder une décision sur un article, vérifiez sa version "
    "en vigueur sur legifrance.gouv.fr."
)


class UnknownArticleError(KbError):
    """An article number that is not in the indexed codes (the message lists the nearest numbers)."""

    def __init__(self, spelling: str, number: str | None, nearest: list[str], *, code: str | None = None) -> None:
        self.spelling = spelling
        self.number = number
        self.nearest = nearest
        if number is None:
            message = f"Numéro d'article illisible : « {spelling} » (exemples : L2121-17, R2121-9, LO2122-4-1)."
        else:
            message = f"Article inconnu : {number}."
            if nearest:
                message += f" Numéros proches : {', '.join(nearest)}."
            else:
                message += f" Aucun article {'du ' + code + ' ' if code else ''}n'est indexé : lancez `mairie ingest` sur le code."
        super().__init__(message)


class NoVersionError(KbError):
    """The article has no known version on the date asked."""


@dataclass(frozen=True, slots=True)
class VersionInfo:
    date: str
    message: str
    confirmed: str = ""  # latest date at which a source saw this same text


@dataclass(slots=True)
class ArticleView:
    """One article as shown to a user: text in force on a date, where it sits, its links."""

    number: str
    code: str
    text: str
    heading_path: str
    url: str
    cites: list[str] = field(default_factory=list)  # existing articles of the same code it cites
    cited_by: list[str] = field(default_factory=list)
    version_date: str | None = None  # date of the consolidated text quoted (None: unknown)
    version_message: str = ""  # the amending text of that version, when known
    versions: list[VersionInfo] = field(default_factory=list)
    changed_since: bool = False  # a newer version with a different text exists
    requested_date: str | None = None
    newest_date: str | None = None
    newest_text: str = ""  # the newest known text, when it differs from the one quoted (changed_since)
    indexed_date: str | None = None  # date of the text in the base, the one answers quote (None: unknown)
    legi_id: str = ""  # LEGIARTI id of the indexed text, when its source gives it
    notes: list[str] = field(default_factory=list)
    regime: str = ""  # "special" for Paris/Lyon/Marseille, overseas ... (see schema.REGIME)
    source: str = ""  # the indexed file the text comes from ("" when known from versions only)

    @property
    def code_name(self) -> str:
        return code_name(self.code)

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "code": self.code,
            "code_name": self.code_name,
            "text": self.text,
            "heading_path": self.heading_path,
            "url": self.url,
            "cites": list(self.cites),
            "cited_by": list(self.cited_by),
            "version_date": self.version_date,
            "version_message": self.version_message,
            "requested_date": self.requested_date,
            "newest_date": self.newest_date,
            "newest_text": self.newest_text,
            "changed_since": self.changed_since,
            "indexed_date": self.indexed_date,
            "legi_id": self.legi_id,
            "versions": [{"date": v.date, "message": v.message, "confirmed": v.confirmed} for v in self.versions],
            "notes": list(self.notes),
            "regime": self.regime,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class Chapter:
    """One chapter of a code (partie > livre > titre > chapitre) and its articles grouped by section.

    `sections` maps a section path ("Section 4 : Fonctionnement", "" for articles directly under the
    chapter) to article numbers, both in code order. A heading path without a CHAPITRE level is a chapter
    down to its first section (or as a whole).
    """

    code: str
    path: tuple[str, ...]
    sections: dict[str, list[str]]

    @property
    def title(self) -> str:
        return self.path[-1]

    @property
    def label(self) -> str:
        return " > ".join(self.path)

    @property
    def numbers(self) -> list[str]:
        return [n for numbers in self.sections.values() for n in numbers]


@dataclass(slots=True)
class _Entry:
    number: str
    code: str
    text: str
    heading_path: str
    url: str
    version_date: str | None
    indexed: bool  # has chunks in the store (False: known from the versions collection only)
    regime: str = ""
    source: str = ""
    legi_id: str = ""


class LegalIndex:
    """Navigation over the articles of the store (CGCT, CRPA ...); built lazily, refreshed when the store changes."""

    def __init__(self, *, store: ChromaStore, versions: VersionStore | None = None) -> None:
        self.store = store
        self.versions = versions or VersionStore(store=store)
        self._entries: dict[tuple[str, str], _Entry] | None = None
        self._cites: dict[tuple[str, str], list[str]] = {}
        self._cited_by: dict[tuple[str, str], list[str]] = {}
        self._tree: dict[str, list[Chapter]] = {}
        self._stamp: tuple[str, int] | None = None

    # --- building ----------------------------------------------------------------------------------
    def ensure_fresh(self) -> None:
        stamp = (self.store.generation(), self.versions.count())
        if self._entries is None or stamp != self._stamp:
            self._build()
            self._stamp = stamp

    def _build(self) -> None:
        by_doc: dict[tuple[str, str], dict[str, list[Any]]] = {}
        for chunk in self.store.iter_chunks(where={schema.KIND: schema.KIND_ARTICLE}):
            number = chunk.article
            if not number:
                continue
            key = (str(chunk.meta.get(schema.CODE) or DEFAULT_CODE), number)
            by_doc.setdefault(key, {}).setdefault(str(chunk.meta.get(schema.SOURCE, "")), []).append(chunk)
        entries: dict[tuple[str, str], _Entry] = {}
        for key, docs in by_doc.items():
            # The same article indexed from two files: keep the first source (sorted) rather than mixing parts.
            chunks = sorted(docs[sorted(docs)[0]], key=lambda c: int(c.meta.get(schema.PART) or 0))
            meta = chunks[0].meta
            entries[key] = _Entry(
                number=key[1],
                code=key[0],
                text="\n".join(_body(c.text) for c in chunks).strip(),
                heading_path=str(meta.get(schema.HEADING_PATH) or ""),
                url=str(meta.get(schema.URL) or CODE_URLS.get(key[0], "https://www.legifrance.gouv.fr/")),
                version_date=str(meta.get(schema.VERSION_DATE) or "") or None,
                indexed=True,
                regime=str(meta.get(schema.REGIME) or ""),
                source=str(meta.get(schema.SOURCE) or ""),
                legi_id=str(meta.get(schema.LEGI_ID) or ""),
            )
        for number, meta in self.versions.articles().items():
            code = str(meta.get(schema.CODE) or DEFAULT_CODE)
            if (code, number) not in entries:
                entries[(code, number)] = _Entry(
                    number=number,
                    code=code,
                    text="",
                    heading_path=str(meta.get(schema.HEADING_PATH) or ""),
                    url=CODE_URLS.get(code, "https://www.legifrance.gouv.fr/"),
                    version_date=None,
                    indexed=False,
                )
        self._entries = entries
        self._cites, self._cited_by = self._graph(entries)
        self._tree = _table_of_contents(entries)
        logger.info("Legal index: %d articles, %d citations", len(entries), sum(map(len, self._cites.values())))

    def _graph(
        self, entries: dict[tuple[str, str], _Entry]
    ) -> tuple[dict[tuple[str, str], list[str]], dict[tuple[str, str], list[str]]]:
        numbers_by_code: dict[str, set[str]] = {}
        for code, number in entries:
            numbers_by_code.setdefault(code, set()).add(number)
        cites: dict[tuple[str, str], list[str]] = {}
        cited_by: dict[tuple[str, str], list[str]] = {}
        for (code, number), entry in entries.items():
            existing = numbers_by_code[code]
            found = [n for n in parse_references(entry.text, existing, code=code) if n in existing and n != number]
            cites[(code, number)] = found
            for target in found:
                cited_by.setdefault((code, target), []).append(number)
        for key, sources in cited_by.items():
            cited_by[key] = sorted(set(sources), key=article_sort_key)
        return cites, cited_by

    # --- reading -----------------------------------------------------------------------------------
    def numbers(self, code: str | None = None) -> list[str]:
        """Every known article number (of one code), in code order."""
        self.ensure_fresh()
        assert self._entries is not None
        return sorted({n for c, n in self._entries if code is None or c == code}, key=article_sort_key)

    def codes(self) -> list[str]:
        """Tags of the codes that have articles ("CGCT" first, then alphabetically); full names: rag.articles.code_name."""
        self.ensure_fresh()
        assert self._entries is not None
        return sorted({c for c, _ in self._entries}, key=lambda c: (c != DEFAULT_CODE, c))

    def tree(self, code: str = DEFAULT_CODE) -> list[Chapter]:
        """The chapters of one code in code order (empty for a code without articles)."""
        self.ensure_fresh()
        return list(self._tree.get(code, []))

    def chapter(self, spelling: str, *, code: str | None = None) -> Chapter:
        """The chapter that holds an article (UnknownArticleError as in `resolve`)."""
        found_code, number = self.resolve(spelling, code=code)
        return next(c for c in self._tree[found_code] if number in c.numbers)

    def preview(self, number: str, *, code: str = DEFAULT_CODE, limit: int = 60) -> str:
        """The first words of an article's indexed text, cut at a word ("" when unknown or not indexed)."""
        self.ensure_fresh()
        assert self._entries is not None
        entry = self._entries.get((code, number))
        flat = " ".join(entry.text.split()) if entry else ""
        return flat if len(flat) <= limit else flat[: limit - 1].rsplit(" ", 1)[0] + "…"

    def cites(self, number: str, *, code: str = DEFAULT_CODE) -> list[str]:
        self.ensure_fresh()
        return list(self._cites.get((code, number), []))

    def cited_by(self, number: str, *, code: str = DEFAULT_CODE) -> list[str]:
        self.ensure_fresh()
        return list(self._cited_by.get((code, number), []))

    def resolve(self, spelling: str, *, code: str | None = None) -> tuple[str, str]:
        """(code, number) of an article spelling; UnknownArticleError with the nearest numbers otherwise."""
        self.ensure_fresh()
        assert self._entries is not None
        number = normalize_article(spelling)
        if number is None:
            raise UnknownArticleError(spelling, None, [])
        wanted = code or _code_named_in(spelling)
        codes = [c for c, n in self._entries if n == number and (wanted is None or c == wanted)]
        if not codes:
            pool = [n for c, n in self._entries if wanted is None or c == wanted]
            raise UnknownArticleError(spelling, number, nearest_articles(number, pool), code=wanted)
        chosen = DEFAULT_CODE if DEFAULT_CODE in codes else sorted(codes)[0]
        return chosen, number

    def lookup(self, spelling: str, *, date: str | None = None, code: str | None = None) -> ArticleView:
        """The article in force on `date` (ISO), or its newest known text; see ArticleView."""
        key = self.resolve(spelling, code=code)
        assert self._entries is not None
        entry = self._entries[key]
        history = self.versions.versions(entry.number, code=entry.code)
        view = ArticleView(
            number=entry.number,
            code=entry.code,
            text=entry.text,
            heading_path=entry.heading_path,
            url=entry.url,
            regime=entry.regime,
            source=entry.source,
            indexed_date=entry.version_date,
            legi_id=entry.legi_id,
            cited_by=list(self._cited_by.get(key, [])),
            requested_date=date,
            versions=[VersionInfo(v.date, v.message, v.confirmed) for v in history],
        )
        if date is not None:
            date_to_int(date)  # validates the format (StoreError with the expected format)
        if history:
            self._quote_version(view, entry, history, date)
        else:
            view.version_date = entry.version_date
            view.newest_date = entry.version_date
            if date is not None and entry.version_date and date_to_int(date) < date_to_int(entry.version_date):
                raise NoVersionError(
                    f"L'article {entry.number} ({entry.code}) n'a pas de version connue au {date} : "
                    f"le texte indexé est en vigueur depuis le {entry.version_date}."
                )
            if date is not None:
                view.notes.append("Historique des versions non disponible : texte indexé affiché.")
        existing = {n for c, n in self._entries if c == entry.code}
        view.cites = [
            n for n in parse_references(view.text, existing, code=entry.code) if n in existing and n != entry.number
        ]
        return view

    def _quote_version(self, view: ArticleView, entry: _Entry, history: list[ArticleVersion], date: str | None) -> None:
        newest = history[-1]
        quoted = in_force(history, date)
        if quoted is None:
            raise NoVersionError(
                f"L'article {entry.number} ({entry.code}) n'a pas de version connue au {date} "
                f"(première version connue : {history[0].date})."
            )
        view.text = quoted.text
        view.version_date = quoted.date
        view.version_message = quoted.message
        view.newest_date = newest.date
        view.changed_since = not same_text(quoted.text, newest.text)
        if not quoted.text.strip():
            view.notes.append(f"Article abrogé le {french_date(quoted.date)} ({quoted.message}).")
        if view.changed_since:
            view.newest_text = newest.text
        if entry.indexed and entry.text and not same_text(entry.text, newest.text):
            base = consolidated(entry.version_date) if entry.version_date else "texte non daté"
            view.notes.append(
                f"Le texte de la base, cité dans les réponses, est l'ancien texte ({base}) : "
                f"{newer_known(newest.date)}."
            )

    def link_vu(self, article: str, deliberation_date: str) -> tuple[str | None, bool]:
        """For "Vu l'article X" in a deliberation of `deliberation_date`: (date of the version then in force,
        whether the text changed since). (None, False) when no version is known for that date."""
        try:
            view = self.lookup(article, date=deliberation_date)
        except NoVersionError:
            return (None, False)
        return (view.version_date, view.changed_since)


def consolidated(date: str) -> str:
    """ "texte consolidé au 1er janvier 2005": the date of a text, as quotes and the Code page say it."""
    return f"texte consolidé au {french_date(date)}"


def newer_known(date: str) -> str:
    return f"une version plus récente du {french_date(date)} est connue"


@dataclass(frozen=True, slots=True)
class ArticleDisplay:
    """One article worded for a reader, the same in `mairie article` and the app's Code page (plain text)."""

    title: str  # "Article L2121-10 (CGCT)"
    dated: str  # "Texte consolidé au 1er janvier 2005 (Loi n°2004-809 du 13 août 2004)"
    text: str
    newer: str  # "Une version plus récente du 3 juin 2023 est connue :" ("" when the text is the newest known)
    newer_text: str
    link: str  # Légifrance: the article's own page (LEGIARTI id) or its code's
    notes: list[str]


def article_display(view: ArticleView) -> ArticleDisplay:
    """The reader's wording of an article: its date, its text, a newer version when known, the link."""
    if view.version_date:
        dated = consolidated(view.version_date).capitalize()
        if view.version_message:
            dated += f" ({view.version_message})"
        if view.requested_date:
            dated += f" — en vigueur le {french_date(view.requested_date)}"
    else:
        dated = "Date du texte inconnue : vérifiez-le sur Légifrance."
    newer = ""
    if view.changed_since and view.newest_date:
        newer = newer_known(view.newest_date).capitalize() + (" :" if view.newest_text.strip() else ".")
    return ArticleDisplay(
        title=f"Article {view.number} ({view.code})",
        dated=dated,
        text=view.text,
        newer=newer,
        newer_text=view.newest_text if newer else "",
        link=view.url,
        notes=list(view.notes),
    )


_SECTION_LEVELS = ("SECTION", "SOUS-SECTION", "PARAGRAPHE")


def _table_of_contents(entries: dict[tuple[str, str], _Entry]) -> dict[str, list[Chapter]]:
    """code -> chapters, each with its sections and articles, all in code order."""
    grouped: dict[str, dict[tuple[str, ...], dict[str, list[str]]]] = {}
    for code, number in sorted(entries, key=lambda key: (key[0], article_sort_key(key[1]))):
        path, section = _split_heading(entries[(code, number)].heading_path)
        grouped.setdefault(code, {}).setdefault(path, {}).setdefault(section, []).append(number)
    return {
        code: [Chapter(code=code, path=path, sections=sections) for path, sections in chapters.items()]
        for code, chapters in grouped.items()
    }


def _split_heading(heading_path: str) -> tuple[tuple[str, ...], str]:
    """("Partie ... > CHAPITRE Ier : ...", "Section 1 : ...") from an article's heading path."""
    parts = [p.strip() for p in heading_path.split(" > ") if p.strip()]
    for i, part in enumerate(parts):
        if part.upper().startswith("CHAPITRE"):
            return tuple(parts[: i + 1]), " > ".join(parts[i + 1 :])
    for i, part in enumerate(parts):
        if i and part.upper().startswith(_SECTION_LEVELS):
            return tuple(parts[:i]), " > ".join(parts[i:])
    return tuple(parts) or ("Sans rubrique",), ""


def _body(chunk_text: str) -> str:
    """A chunk's text without its first line ("Article L2121-17 (1/2) — Section 4 : ...")."""
    first, _, rest = chunk_text.partition("\n")
    return rest if first.startswith("Article ") else chunk_text


def _code_named_in(spelling: str) -> str | None:
    for tag in set(CODE_TAGS.values()):
        if re.search(rf"\b{re.escape(tag)}\b", spelling):
            return tag
    lowered = spelling.lower()
    for name, tag in CODE_TAGS.items():
        if name in lowered:
            return tag
    return None
