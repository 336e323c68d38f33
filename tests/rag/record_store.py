"""A document's passages written to a real store, as the tests of rows and openings read them (not a conftest: the
test modules import what they use)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from rag import schema
from rag.schema import Chunk, Document, ScoredChunk
from rag.settings import Settings
from rag.store import ChromaStore, doc_id_for


def council_hit(text: str, source: str, date: str, title: str = "") -> ScoredChunk:
    """One passage of a council record (record 0 of its document), as the refusal checks read it: no store."""
    meta = {
        schema.SOURCE: source,
        schema.KIND: schema.KIND_DELIBERATION,
        schema.RECORD_INDEX: 0,
        schema.DATE: date,
        schema.TITLE: title,
    }
    return ScoredChunk(Chunk(source, text, meta), 0.1)


def flat_idf(_: str) -> float:
    return 1.0  # every word weighs the same: the choice rests on the layout, not on the index's statistics


def document_store(
    tmp_path: Path,
    cache: Path,
    source: str,
    texts: list[str],
    pages: list[int] | None = None,
    kind: str = schema.KIND_DOCUMENT,
    records: list[int] | None = None,
    date: str = "2014-05-22",
) -> tuple[list[ScoredChunk], ChromaStore]:
    """The passages of one Montpellier document written to a real store, in order (pages: each passage's page, 1 by
    default; records: each passage's record index)."""
    doc_id = doc_id_for(source)
    chunks = []
    for i, text in enumerate(texts):
        page = pages[i] if pages is not None else 1
        meta = {schema.SOURCE: source, schema.DOC_ID: doc_id, schema.CHUNK_INDEX: i, schema.PAGE: page,
                schema.PAGE_END: page, schema.DATE: date, schema.COMMUNE: "Montpellier", schema.KIND: kind}  # fmt: skip
        if records is not None:
            meta[schema.RECORD_INDEX] = records[i]
        chunks.append(Chunk(f"{doc_id}-{i}", text, meta))
    store = ChromaStore(settings=Settings(store=tmp_path / "store", cache_dir=cache))
    vectors = np.eye(len(chunks), 8, dtype=np.float32)  # the vectors play no part in reading rows
    store.write_documents([Document(source, doc_id, "0" * 64, "document", source, chunks)], embeddings=vectors)
    return [ScoredChunk(chunk=c, score=1.0) for c in chunks], store
