"""Which documents readers see: the complete-documents set Chroma selects by status is exactly the manifest's
complete entries (not the "writing" ones a crash leaves, not an entry without a status),
and follows every write."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from rag import store as store_module
from rag.schema import Chunk, Document
from rag.settings import Settings
from rag.store import GENERATION_ID, STATUS_COMPLETE, STATUS_WRITING, ChromaStore, doc_id_for

DIM = 8


def _document(source: str, n_chunks: int = 2) -> Document:
    doc_id = doc_id_for(source)
    chunks = [
        Chunk(f"{doc_id}-{i}", f"texte {i} de {source}", {"source": source, "doc_id": doc_id, "chunk_index": i})
        for i in range(n_chunks)
    ]
    return Document(source, doc_id, "0" * 64, "document", source, chunks)


def _vectors(document: Document, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(len(document.chunks), DIM)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def _stage_chunks(store: ChromaStore, document: Document, vectors: np.ndarray) -> None:
    """What an ingestion killed after writing the passages but before marking the document complete leaves."""
    store.chunks.upsert(
        ids=[c.id for c in document.chunks],
        documents=[c.text for c in document.chunks],
        embeddings=[v.tolist() for v in vectors],
        metadatas=[dict(c.meta) for c in document.chunks],
    )


@pytest.mark.parametrize("page", [2000, 2])
def test_complete_set_is_the_manifest_complete_entries(
    tmp_path: Path, embedding_cache: Path, monkeypatch: pytest.MonkeyPatch, page: int
) -> None:
    monkeypatch.setattr(store_module, "READ_PAGE", page)  # 2: documents() reads the manifest in pages
    store = ChromaStore(settings=Settings(store=tmp_path / "store", cache_dir=embedding_cache))
    complete = [_document(f"complet-{i}.pdf") for i in range(5)]
    complete_vectors = [_vectors(d, i) for i, d in enumerate(complete)]
    store.write_documents(complete, embeddings=np.concatenate(complete_vectors))

    writing = _document("interrompu.pdf")
    writing_vectors = _vectors(writing, 100)
    store._manifest_upsert([writing], STATUS_WRITING)
    _stage_chunks(store, writing, writing_vectors)

    no_status = _document("sans-statut.pdf")
    no_status_vectors = _vectors(no_status, 200)
    store.docs.upsert(
        ids=[no_status.doc_id],
        documents=[no_status.source],
        embeddings=[[1.0]],
        metadatas=[{"source": no_status.source, "chunks": 2}],
    )
    _stage_chunks(store, no_status, no_status_vectors)
    store._bump_generation(store._part(store.space))

    # A fresh view of the store, as a CLI command opens it.
    reader = ChromaStore(settings=Settings(store=tmp_path / "store", cache_dir=embedding_cache))
    expected = {d.doc_id for d in complete}
    assert {d.doc_id for d in reader.documents()} == expected
    assert reader.complete_doc_ids() == expected
    assert GENERATION_ID not in reader.complete_doc_ids()
    assert {c.meta["doc_id"] for c in reader.iter_chunks()} == expected
    assert reader.find({"doc_id": writing.doc_id}) == [] and reader.find({"doc_id": no_status.doc_id}) == []
    for hidden in (writing_vectors[0], no_status_vectors[0]):
        hits = reader.dense_search(hidden, k=20)
        assert hits and {c.meta["doc_id"] for c, _ in hits} <= expected
    statuses = {d.source: d.status for d in reader.documents(include_incomplete=True)}
    assert statuses == {
        **{d.source: STATUS_COMPLETE for d in complete},
        writing.source: STATUS_WRITING,
        no_status.source: "",
    }

    # The interrupted document is finished by another writer: the reader's cached set follows the generation.
    store._manifest_upsert([writing], STATUS_COMPLETE)
    store._bump_generation(store._part(store.space))
    assert reader.complete_doc_ids() == expected | {writing.doc_id}
    assert {c.meta["doc_id"] for c, _ in reader.dense_search(writing_vectors[0], k=1)} == {writing.doc_id}

    # And removed: gone from the set.
    store.remove_document(complete[0].doc_id)
    assert reader.complete_doc_ids() == (expected | {writing.doc_id}) - {complete[0].doc_id}


def _log_tail(store_dir: Path, collection: Any) -> int:
    """Records of a collection still in Chroma's log (applied again by every process that opens it)."""
    import sqlite3

    db = sqlite3.connect(f"file:{store_dir / 'chroma' / 'chroma.sqlite3'}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT COUNT(*) FROM embeddings_queue WHERE topic LIKE ?", (f"%{collection.id}",))
        return int(rows.fetchone()[0])
    finally:
        db.close()


def test_the_index_is_saved_often_so_opening_replays_little(tmp_path: Path, embedding_cache: Path) -> None:
    import chromadb

    from rag.store import SYNC_THRESHOLD, _chroma_settings

    store_dir = tmp_path / "store"
    (store_dir / "chroma").mkdir(parents=True)
    # A store created before: Chroma's default threshold (1,000 records between two saves of the index).
    old = chromadb.PersistentClient(path=str(store_dir / "chroma"), settings=_chroma_settings())
    old.create_collection("mairie", embedding_function=None, metadata={"hnsw:space": "cosine"})
    assert old.get_collection("mairie").configuration["hnsw"]["sync_threshold"] == 1000

    store = ChromaStore(settings=Settings(store=store_dir, cache_dir=embedding_cache))
    documents = [_document(f"doc-{i}.pdf", n_chunks=10) for i in range(60)]  # 600 passages
    vectors = np.concatenate([_vectors(d, i) for i, d in enumerate(documents)])
    store.write_documents(documents, embeddings=vectors)

    for collection in (store.chunks, store.docs):
        assert collection.configuration["hnsw"]["sync_threshold"] == SYNC_THRESHOLD
    # Chroma's default would leave the 600 records in the log; every CLI search would apply them again.
    assert _log_tail(store_dir, store.chunks) <= SYNC_THRESHOLD
    law = store._part(store.writable[-1])  # the shared law: collections created by this version
    assert law.chunks.configuration["hnsw"]["sync_threshold"] == SYNC_THRESHOLD
    assert len(ChromaStore(settings=Settings(store=store_dir, cache_dir=embedding_cache)).complete_doc_ids()) == 60
