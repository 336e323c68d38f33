"""Read-only views of the store for the app: deliberation records, code articles, filter choices.

No Streamlit here, so tests can call these directly. Everything is derived from the chunks' metadata.
"""

from __future__ import annotations

import logging
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rag import schema
from rag.articles import article_sort_key, find_article_mentions
from rag.records import group_deliberation_chunks, record_from_meta, vote_label
from rag.schema import Chunk

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
            communes.setdefault(str(meta.get("commune_key") or commune), str(commune))
        code = meta.get(schema.MATIERE)
        if code:
            code = str(code)
            level1 = code.split(".")[0]
            matieres.setdefault(level1, matiere_label(level1))
            matieres.setdefault(code, matiere_label(code, _short_name(meta.get("matiere_nom"))))
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


# --- deliberations ------------------------------------------------------------------------------------
@dataclass(slots=True)
class Record:
    """One deliberation as listed in the table: the metadata shared by its chunks, and its whole text."""

    key: str
    source: str
    path: str | None
    commune: str
    date: str
    delib_id: str
    objet: str
    vote: str
    outcome: str
    unanimous: bool | None
    matiere: str
    matiere_nom: str
    page_start: int
    page_end: int
    text: str
    meta: dict[str, Any]

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if re.match(r"\d{4}", self.date) else None

    def to_deliberation_record(self) -> schema.DeliberationRecord:
        meta = self.meta

        def number(key: str) -> int | None:
            value = meta.get(key)
            return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None

        return schema.DeliberationRecord(
            source=self.source, commune=self.commune or None, date=self.date or None,
            delib_id=self.delib_id or None, objet=self.objet or None, rapporteur=meta.get("rapporteur"),
            outcome=self.outcome or None, unanimous=self.unanimous, vote_text=meta.get(schema.VOTE) or None,
            pour=number("vote_pour"), contre=number("vote_contre"), abstention=number("vote_abstention"),
            en_exercice=number("en_exercice"), presents=number("presents"), representes=number("representes"),
            votants=number("votants"), matiere_code=self.matiere or None, matiere_nom=self.matiere_nom or None,
            articles_vises=[a for a in str(meta.get("articles_vises") or "").split(";") if a],
            page_start=self.page_start, page_end=self.page_end, text=self.text, url=meta.get(schema.URL),
        )


def deliberation_records(chunks: Iterable[Chunk]) -> list[Record]:
    """Group deliberation chunks by (document, record index); newest séance first."""
    records: list[Record] = []
    for (doc_id, index), parts in group_deliberation_chunks(chunks).items():
        meta = parts[0].meta
        unanimous = meta.get(schema.UNANIMOUS)
        records.append(Record(
            key=f"{doc_id}:{index}",
            source=parts[0].source,
            path=meta.get("path"),
            commune=str(meta.get(schema.COMMUNE) or ""),
            date=str(meta.get(schema.DATE) or ""),
            delib_id=str(meta.get(schema.DELIB_ID) or ""),
            objet=str(meta.get(schema.OBJET) or ""),
            vote=vote_label(record_from_meta(meta)),  # counts as written, never invented
            outcome=str(meta.get(schema.OUTCOME) or ""),
            unanimous=unanimous if isinstance(unanimous, bool) else None,
            matiere=str(meta.get(schema.MATIERE) or ""),
            matiere_nom=str(meta.get("matiere_nom") or ""),
            page_start=int(meta.get("record_page_start") or meta.get(schema.PAGE) or 0),
            page_end=int(meta.get("record_page_end") or meta.get(schema.PAGE_END) or 0),
            text="\n".join(c.text for c in parts),
            meta=dict(meta),
        ))
    records.sort(key=lambda r: (r.date, r.source, r.delib_id), reverse=True)
    return records


OUTCOME_LABELS = {"adopted": "Adoptée", "rejected": "Rejetée", "": "Non précisé"}


def unanimity_label(value: bool | None) -> str:
    return {True: "Unanimité", False: "Non unanime"}.get(value, "Non précisé") if value is not None else "Non précisé"


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


# --- SCDL export ----------------------------------------------------------------------------------------
def scdl_available() -> bool:
    """ingest.scdl ships separately: the export button only shows when it is there."""
    try:
        from ingest.scdl import write_scdl_csv  # noqa: F401
    except ImportError:
        return False
    return True


def scdl_csv(records: list[Record], *, siret: str = "") -> bytes:
    """The records as an SCDL CSV (unknown values left empty, never invented)."""
    from ingest.scdl import write_scdl_csv

    scdl_logger = logging.getLogger("ingest.scdl")
    level = scdl_logger.level
    scdl_logger.setLevel(logging.ERROR)  # one warning per incomplete row: the page says it once instead
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "deliberations.csv"
            write_scdl_csv([r.to_deliberation_record() for r in records], path, coll_siret=siret or None)
            return path.read_bytes()
    finally:
        scdl_logger.setLevel(level)
