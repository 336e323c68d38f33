"""Read-only views of the store for the app: code articles and filter choices (records: rag.records).

No Streamlit here, so tests can call these directly. Everything is derived from the chunks' metadata.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rag import schema
from rag.articles import article_sort_key, find_article_mentions
from rag.schema import Chunk

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")

# Level 1 of the ACTES classification, for charts and filters when a record has no name of its own.
ACTES_L1 = {
    "1": "Commande publique",
    "2": "Urbanisme",
    "3": "Domaine et patrimoine",
    "4": "Fonction publique",
    "5": "Institutions et vie politique",
    "6": "Libertés publiques et pouvoirs de police",
    "7": "Finances locales",
    "8": "Domaines de compétences par thèmes",
    "9": "Autres domaines de compétences",
}


def fr_date(iso: str | None) -> str:
    """"2020-07-23" -> "23 juillet 2020" (unknown formats are returned as they are)."""
    if not iso:
        return ""
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})$", iso)
    if not match:
        return iso
    year, month, day = (int(g) for g in match.groups())
    if not 1 <= month <= 12:
        return iso
    return f"{'1er' if day == 1 else day} {MONTHS[month - 1]} {year}"


def matiere_label(code: str | None, name: str | None = None) -> str:
    if not code:
        return "Non classée"
    if name:
        return f"{code} — {name}"
    return f"{code} — {ACTES_L1.get(code.split('.')[0], '')}".rstrip(" —")


@dataclass(slots=True)
class Facets:
    """The values offered by the filters, read from the chunks."""

    communes: list[str] = field(default_factory=list)
    matieres: dict[str, str] = field(default_factory=dict)  # code -> label
    years: list[int] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)


def facets(metas: Iterable[dict[str, Any]]) -> Facets:
    communes: dict[str, str] = {}
    matieres: dict[str, str] = {}
    years: set[int] = set()
    kinds: set[str] = set()
    for meta in metas:
        kinds.add(str(meta.get(schema.KIND) or schema.KIND_DOCUMENT))
        commune = meta.get(schema.COMMUNE)
        if commune:
            communes.setdefault(str(meta.get(schema.COMMUNE_KEY) or commune), str(commune))
        code = meta.get(schema.MATIERE)
        if code:
            code = str(code)
            level1 = code.split(".")[0]
            matieres.setdefault(level1, matiere_label(level1))
            matieres.setdefault(code, matiere_label(code, _short_name(meta.get(schema.MATIERE_NOM))))
        date = str(meta.get(schema.DATE) or "")
        if re.match(r"\d{4}-", date):
            years.add(int(date[:4]))
    ordered = dict(sorted(matieres.items(), key=lambda kv: [int(p) for p in kv[0].split(".") if p.isdigit()]))
    return Facets(sorted(communes.values(), key=str.lower), ordered, sorted(years), sorted(kinds))


def _short_name(name: Any) -> str | None:
    """"domaines de compétences par thèmes/voirie" -> "Voirie" (the last level is the informative one)."""
    if not name:
        return None
    last = str(name).split("/")[-1].strip()
    return last[:1].upper() + last[1:] if last else None


# --- code articles --------------------------------------------------------------------------------------
@dataclass(slots=True)
class Article:
    number: str
    code: str
    heading: list[str]
    text: str
    url: str
    source: str
    regime: str
    cites: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"Article {self.number}" + (f" ({self.code})" if self.code else "")

    def first_words(self, limit: int = 90) -> str:
        flat = " ".join(self.text.split())
        return flat if len(flat) <= limit else flat[: limit - 1].rsplit(" ", 1)[0] + "…"


def articles(chunks: Iterable[Chunk]) -> dict[str, Article]:
    """Articles by number, their parts joined again, in code order."""
    parts: dict[str, list[Chunk]] = {}
    for chunk in chunks:
        if chunk.kind == schema.KIND_ARTICLE and chunk.article:
            parts.setdefault(chunk.article, []).append(chunk)
    out: dict[str, Article] = {}
    for number in sorted(parts, key=article_sort_key):
        chunks_of = sorted(parts[number], key=lambda c: int(c.meta.get(schema.PART, 1) or 1))
        meta = chunks_of[0].meta
        # Each part starts with a "Article L... — context" line added for retrieval: drop it.
        text = "\n\n".join(c.text.split("\n", 1)[1] if "\n" in c.text else c.text for c in chunks_of).strip()
        heading = [h.strip() for h in str(meta.get(schema.HEADING_PATH) or "").split(" > ") if h.strip()]
        article = Article(number=number, code=str(meta.get(schema.CODE) or ""), heading=heading, text=text,
                          url=str(meta.get(schema.URL) or ""), source=chunks_of[0].source,
                          regime=str(meta.get(schema.REGIME) or ""))
        article.cites = [n for n in find_article_mentions(text) if n != number]
        out[number] = article
    return out


def chapter_of(heading: list[str]) -> tuple[str, str]:
    """Split a heading path into (chapter path, section path) at the "CHAPITRE" level."""
    for i, part in enumerate(heading):
        if part.upper().startswith("CHAPITRE"):
            return " > ".join(heading[: i + 1]), " > ".join(heading[i + 1 :])
    if len(heading) > 1:
        return " > ".join(heading[:-1]), heading[-1]
    return " > ".join(heading) or "Sans rubrique", ""


def tree(all_articles: dict[str, Article]) -> dict[str, dict[str, list[str]]]:
    """chapter -> section -> article numbers, in code order."""
    out: dict[str, dict[str, list[str]]] = {}
    for number, article in all_articles.items():
        chapter, section = chapter_of(article.heading)
        out.setdefault(chapter, {}).setdefault(section, []).append(number)
    return out


def cited_by(all_articles: dict[str, Article], number: str) -> list[str]:
    return [n for n, a in all_articles.items() if number in a.cites]
