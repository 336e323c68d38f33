"""The passage cache of the store (rag.store._ChunkCache) and the generations read once per search: a search
answers from memory what Chroma would have answered, and sees every write made since, by any view."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from ingest.service import ingest_files
from rag import schema
from rag.settings import Settings
from rag.spaces import LAW_SPACE, SPACE_KEY
from rag.store import ChromaStore, doc_id_for
from tests.test_spaces import kb_of, spaces_store  # noqa: F401  (the module's store)

pytestmark = pytest.mark.integration

QUESTIONS = ("quorum du conseil municipal", "subvention association", "que dit l'article L2121-17 ?")


def _as_stored(kb, chunk_id: str, space: str) -> tuple[str, dict]:  # type: ignore[no-untyped-def]
    got = kb.store._part(space).chunks.get(ids=[chunk_id], include=["metadatas", "documents"])
    return got["documents"][0], {**got["metadatas"][0], SPACE_KEY: space}


def test_cached_passages_are_chromas_and_shared_by_the_views(spaces_store: Path) -> None:  # noqa: F811
    alpha, beta = kb_of(spaces_store, "alpha"), kb_of(spaces_store, "beta")
    assert alpha.store._part(LAW_SPACE).cache is beta.store._part(LAW_SPACE).cache  # the law, once per process
    assert alpha.store._part("alpha").cache is not beta.store._part("beta").cache
    for question in QUESTIONS:
        first = alpha.search(question, top_k=8)
        again = alpha.search(question, top_k=8)  # now from the cache
        assert first and [h.chunk.id for h in again] == [h.chunk.id for h in first]
        assert [h.score for h in again] == [h.score for h in first]
        for hit in again:
            space = hit.chunk.meta[SPACE_KEY]
            assert space in ("alpha", LAW_SPACE)
            assert (hit.chunk.text, hit.chunk.meta) == _as_stored(alpha, hit.chunk.id, space)
        # A caller that annotates a passage (rag.answer adds a version note) does not change the cache.
        again[0].chunk.meta["version_note"] = "annotation"
        assert "version_note" not in alpha.search(question, top_k=8)[0].chunk.meta


def test_a_write_by_another_view_is_seen_at_the_next_search(spaces_store: Path, tmp_path: Path) -> None:  # noqa: F811
    store = tmp_path / "store"
    shutil.copytree(spaces_store, store)
    reader, writer = kb_of(store, "alpha"), kb_of(store, "alpha")
    question = "Le marché des zyxwvutal du samedi est déplacé place de la mairie."
    before = reader.search(question, top_k=10)  # fills the cache of alpha's generation
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "marche.md").write_text(f"# Marché\n\n{question}\n", encoding="utf-8")
    assert not ingest_files([folder], kb=writer).failed
    after = reader.search(question, top_k=10)
    assert after[0].chunk.source.endswith("marche.md") and "dense" in after[0].ranks
    assert all(h.chunk.id != after[0].chunk.id for h in before)
    writer.remove(str(folder / "marche.md"), who="test")
    gone = reader.search(question, top_k=10)
    assert all(not h.chunk.source.endswith("marche.md") for h in gone)
    assert [h.chunk.id for h in gone] == [h.chunk.id for h in before]


def test_a_search_reads_each_generation_once_and_sees_one_state(spaces_store: Path, tmp_path: Path) -> None:  # noqa: F811
    store = tmp_path / "store"
    shutil.copytree(spaces_store, store)
    reader, writer = kb_of(store, "alpha"), kb_of(store, "alpha")
    with reader.store.pinned():
        seen = reader.store.generation()
        folder = tmp_path / "files"
        folder.mkdir()
        (folder / "note.md").write_text("# Note\n\nUne note de service sur les horaires.\n", encoding="utf-8")
        assert not ingest_files([folder], kb=writer).failed
        assert reader.store.generation() == seen  # pinned: the state the block started with
    assert reader.store.generation() != seen  # the block over, the write is seen


def _market(title: str) -> schema.Document:
    doc_id = doc_id_for("marche.md")
    meta = {schema.DOC_ID: doc_id, schema.SOURCE: "marche.md", schema.KIND: "document", schema.TITLE: title}
    chunk = schema.Chunk(id="marche-1", text="Le marché du samedi se tient place de la mairie.", meta=meta)
    return schema.Document("marche.md", doc_id, title, "document", title, [chunk])


def test_a_passage_rewritten_with_new_metadata_is_read_anew(tmp_path: Path) -> None:
    settings = Settings(store=tmp_path / "store", space="alpha")
    writer, reader = ChromaStore(settings=settings), ChromaStore(settings=settings)  # two views, one process
    vector = np.full((1, 384), 1 / np.sqrt(384), dtype=np.float32)
    writer.write_documents([_market("Marché")], embeddings=vector)
    assert reader.get_chunks(["marche-1"])[0].meta[schema.TITLE] == "Marché"  # now in the cache
    assert reader.dense_search(vector[0], k=1)[0][0].meta[schema.TITLE] == "Marché"
    # The same passage (same id, same text and vector), its metadata changed: the cache of the old
    # generation is not used any more.
    writer.write_documents([_market("Marché couvert")], embeddings=vector)
    assert reader.get_chunks(["marche-1"])[0].meta[schema.TITLE] == "Marché couvert"
    assert reader.dense_search(vector[0], k=1)[0][0].meta[schema.TITLE] == "Marché couvert"
