"""Loader for council PDFs (procès-verbaux, comptes rendus, extraits): pages -> deliberation records -> chunks.

A document split into deliberations gives one group of chunks per deliberation, each carrying the record's
metadata (`record_meta`); a document that is not gives chunks of its pages.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ingest.base import Loaded, SourceMeta, display_path
from ingest.chunking import chunk_id, chunk_pages, split_text
from ingest.deliberations import split_deliberations
from ingest.pdf import load_pdf
from ingest.seance import describe_council_document
from rag import schema
from rag.errors import SourceError
from rag.records import commune_date_meta, record_meta
from rag.schema import Chunk, Document, Page
from rag.store import doc_id_for


class CouncilPdfLoader:
    """A council PDF -> one Document of deliberation chunks (or page chunks when no deliberation is found)."""

    def load(self, path: Path, *, meta: SourceMeta) -> Loaded:
        settings = meta.settings
        warnings: list[str] = []
        pages = load_pdf(path, display=meta.source, max_pages=settings.max_pages, notes=warnings)
        if meta.pseudonymize is not None:
            pages = meta.pseudonymize(pages)
        doc_id = doc_id_for(meta.source)
        info = describe_council_document(pages, meta.source, path=path, default_commune=meta.commune)
        base = {
            schema.SOURCE: meta.source,
            schema.DOC_ID: doc_id,
            schema.DOC_HASH: meta.digest,
            schema.KIND: schema.KIND_DOCUMENT,
            schema.TITLE: info["title"],
            schema.PATH: display_path(path),
        }
        base.update(commune_date_meta(info.get("commune"), info.get("date")))
        records = split_deliberations(pages, source=meta.source, commune=info.get("commune") or None,
                                      seance_date=info.get("date") or None)
        if records:
            chunks = record_chunks(records, pages, doc_id=doc_id, base=base, max_chars=settings.chunk_chars)
            kind = schema.KIND_DELIBERATION
        else:
            chunks = chunk_pages(pages, doc_id=doc_id, base_meta=base, max_chars=settings.chunk_chars)
            kind = schema.KIND_DOCUMENT
        if not chunks:
            raise SourceError(meta.source, "aucun texte exploitable", fix="vérifiez le document")
        doc_meta: dict[str, Any] = {"pages": len(pages), "records": len(records), schema.PATH: display_path(path)}
        doc_meta.update({k: v for k, v in info.items() if isinstance(v, str) and v})
        document = Document(meta.source, doc_id, meta.digest, kind, info["title"], chunks, doc_meta)
        return Loaded([document], warnings=warnings)


def record_chunks(
    records: list[schema.DeliberationRecord], pages: list[Page], *, doc_id: str, base: dict[str, Any], max_chars: int
) -> list[Chunk]:
    """Chunks of each deliberation's text; each chunk is placed on the page where its text starts."""
    chunks: list[Chunk] = []
    seen: dict[str, int] = {}
    for index, record in enumerate(records):
        meta_common = dict(base)
        meta_common.update(record_meta(record))
        meta_common[schema.RECORD_INDEX] = index
        title = " ".join(p for p in (f"Délibération {record.delib_id}" if record.delib_id else "Délibération",
                                      f"— {record.objet}" if record.objet else "") if p)
        meta_common[schema.TITLE] = title[:300]
        span = [p for p in pages if record.page_start <= p.page_number <= max(record.page_end, record.page_start)]
        for text in split_text(record.text, max_chars):
            page = _locate_page(text, span) or record.page_start or 1
            meta = dict(meta_common)
            meta.update({schema.PAGE: page, schema.PAGE_END: _locate_page(text, span, last=True) or page,
                         schema.CHUNK_INDEX: len(chunks)})
            chunks.append(Chunk(id=chunk_id(doc_id, text, page, seen), text=text, meta=meta))
    return chunks


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _locate_page(text: str, pages: list[Page], *, last: bool = False) -> int | None:
    probe = _squash(text[-80:] if last else text[:80])
    for page in reversed(pages) if last else pages:
        if probe and probe in _squash(page.text):
            return page.page_number
    return None
