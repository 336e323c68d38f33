"""Deliberation records, rebuilt from the chunk metadata stored in Chroma (the source of truth).

Each deliberation's chunks carry the record's fields; one record per (document, record index).
An SCDL row whose DELIB_URL names a PDF that is also indexed is linked to that PDF.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote, urlparse

from rag import schema
from rag.schema import Chunk, DeliberationRecord, Filters
from rag.store import ChromaStore, matches_filters


def list_records(store: ChromaStore, filters: Filters | None = None) -> list[DeliberationRecord]:
    """Deliberation records matching the filters, newest séance first."""
    chunks = (c for c in store.iter_chunks(where={schema.KIND: schema.KIND_DELIBERATION})
              if matches_filters(c.meta, filters))
    pdf_sources = {PurePosixPath(d.source).name: d.source for d in store.documents() if d.source.lower().endswith(".pdf")}
    records = [_record(parts[0].meta, "\n".join(c.text for c in parts), pdf_sources)
               for parts in group_deliberation_chunks(chunks).values()]
    records.sort(key=lambda r: (r.date or "", r.delib_id or ""), reverse=True)
    return records


def group_deliberation_chunks(chunks: Iterable[Chunk]) -> dict[tuple[str, int], list[Chunk]]:
    """The chunks of each deliberation, keyed by (document id, record index), in reading order."""
    groups: dict[tuple[str, int], list[Chunk]] = {}
    for chunk in chunks:
        if chunk.kind != schema.KIND_DELIBERATION:
            continue
        key = (str(chunk.meta.get(schema.DOC_ID, "")), int(chunk.meta.get("record_index", 0) or 0))
        groups.setdefault(key, []).append(chunk)
    for parts in groups.values():
        parts.sort(key=lambda c: int(c.meta.get(schema.CHUNK_INDEX, 0) or 0))
    return groups


def _int(value: Any) -> int | None:
    return None if value is None or value == "" else int(value)


def _record(meta: dict[str, Any], text: str, pdf_sources: dict[str, str]) -> DeliberationRecord:
    unanimous = meta.get(schema.UNANIMOUS)
    url = meta.get(schema.URL) or None
    source = str(meta.get(schema.SOURCE, ""))
    if url and source.lower().endswith(".csv"):
        name = PurePosixPath(unquote(urlparse(str(url)).path)).name
        if name in pdf_sources:
            source = f"{source} -> {pdf_sources[name]}"
    return DeliberationRecord(
        source=source,
        commune=meta.get(schema.COMMUNE),
        date=meta.get(schema.DATE),
        delib_id=meta.get(schema.DELIB_ID),
        objet=meta.get(schema.OBJET),
        rapporteur=meta.get("rapporteur"),
        outcome=meta.get(schema.OUTCOME),
        unanimous=None if unanimous is None else bool(unanimous),
        vote_text=meta.get(schema.VOTE),
        pour=_int(meta.get("vote_pour")),
        contre=_int(meta.get("vote_contre")),
        abstention=_int(meta.get("vote_abstention")),
        en_exercice=_int(meta.get("en_exercice")),
        presents=_int(meta.get("presents")),
        representes=_int(meta.get("representes")),
        votants=_int(meta.get("votants")),
        matiere_code=meta.get(schema.MATIERE),
        matiere_nom=meta.get("matiere_nom"),
        articles_vises=[a for a in str(meta.get("articles_vises", "")).split(";") if a],
        page_start=int(meta.get("record_page_start", meta.get(schema.PAGE, 0)) or 0),
        page_end=int(meta.get("record_page_end", meta.get(schema.PAGE_END, 0)) or 0),
        text=text,
        url=url,
    )


def vote_label(record: DeliberationRecord) -> str:
    """The vote in a few words: the counts the document gives, never invented."""
    counts = [f"{n} {label}" for n, label in ((record.pour, "pour"), (record.contre, "contre"),
                                               (record.abstention, "abstention(s)")) if n is not None]
    if counts:
        return ", ".join(counts)
    if record.unanimous:
        return "unanimité"
    if record.outcome == "adopted":
        return "adopté (décompte non précisé)"
    if record.outcome == "rejected":
        return "rejeté (décompte non précisé)"
    return "vote non précisé"


def record_from_meta(meta: dict[str, Any]) -> DeliberationRecord:
    """The record fields carried by one chunk's metadata (text and linking left out)."""
    return _record(meta, "", {})
