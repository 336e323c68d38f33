"""Spaces: how to lay them out in Chroma, and what an incremental lexical index saves.

    python benchmarks/spaces_bench.py layouts [--spaces 20 --per-space 500]
    python benchmarks/spaces_bench.py lexical [--passages 3000]

`layouts` compares three layouts on synthetic passages (random unit vectors; the timing does not depend on
what the vectors mean): one collection per space, one Chroma database per space, one shared collection
filtered by a `space` metadata key. It prints the time to open the store and list its spaces, to add a
document of 50 passages to one space, and the latency of a top-20 query in one space: the first query
of each space (its index is opened then), and the following ones.

`lexical` builds a store of N synthetic passages, then times the lexical refresh after adding one
document of 50 passages and after removing it. It uses only APIs the previous version had too, so it
measures the previous version with `PYTHONPATH=<old checkout>` (before) and this one (after).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parent.parent
DIM = 384
QUERIES = 60


def _vectors(rng: np.random.Generator, n: int) -> np.ndarray:
    v = rng.normal(size=(n, DIM)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _words() -> list[str]:
    words: list[str] = []
    for path in sorted((REPO / "data" / "cgct").rglob("article-*.md")):
        words.extend(path.read_text(encoding="utf-8").split())
    return words


def _texts(rng: np.random.Generator, words: list[str], n: int) -> list[str]:
    starts = rng.integers(0, len(words) - 150, size=n)
    return [" ".join(words[s : s + 120]) for s in starts]


def _ms(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return f"p50 {statistics.median(ordered) * 1000:6.1f} ms  p95 {p95 * 1000:6.1f} ms"


def _layout(kind: str, root: Path, spaces: int, per_space: int, rng: np.random.Generator, words: list[str]) -> str:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False)
    names = [f"commune-{i:03d}" for i in range(spaces)]
    path = str(root / kind)

    def collection(client: Any, space: str) -> Any:
        if kind == "collection":
            return client.get_or_create_collection(f"mairie.{space}", metadata={"hnsw:space": "cosine"})
        if kind == "database":
            db_client = chromadb.PersistentClient(path=path, settings=settings, database=space)
            return db_client.get_or_create_collection("mairie", metadata={"hnsw:space": "cosine"})
        return client.get_or_create_collection("mairie", metadata={"hnsw:space": "cosine"})

    client = chromadb.PersistentClient(path=path, settings=settings)
    admin = chromadb.AdminClient(
        settings=ChromaSettings(anonymized_telemetry=False, is_persistent=True, persist_directory=path)
    )
    started = time.perf_counter()
    for space in names:
        if kind == "database":
            admin.create_database(space)
        col = collection(client, space)
        vectors = _vectors(rng, per_space)
        ids = [f"{space}-{i}" for i in range(per_space)]
        for start in range(0, per_space, 256):
            col.add(
                ids=ids[start : start + 256],
                embeddings=vectors[start : start + 256].tolist(),
                documents=_texts(rng, words, len(ids[start : start + 256])),
                metadatas=[{"space": space, "doc_id": f"{space}-doc"} for _ in ids[start : start + 256]],
            )
    build = time.perf_counter() - started
    del client
    started = time.perf_counter()
    client = chromadb.PersistentClient(path=path, settings=settings)
    opened = [collection(client, space) for space in names]
    open_s = time.perf_counter() - started
    target = opened[0]
    vectors = _vectors(rng, 50)
    started = time.perf_counter()
    target.add(
        ids=[f"new-{i}" for i in range(50)],
        embeddings=vectors.tolist(),
        documents=_texts(rng, words, 50),
        metadatas=[{"space": names[0], "doc_id": "new"} for _ in range(50)],
    )
    add_s = time.perf_counter() - started
    cold, warm = [], []
    for i in range(spaces + QUERIES):  # the first query of each space opens its index (cold), then warm
        space = names[i % spaces]
        col = opened[i % spaces]
        query = _vectors(rng, 1)[0].tolist()
        where = {"space": space} if kind == "filter" else None
        started = time.perf_counter()
        res = col.query(query_embeddings=[query], n_results=20, where=where, include=["metadatas", "distances"])
        (cold if i < spaces else warm).append(time.perf_counter() - started)
        assert all(m["space"] == space for m in res["metadatas"][0]), "cross-space passage"
    return (
        f"{kind:10s} build {build:6.1f} s  open+list {open_s * 1000:7.1f} ms  add 50 {add_s * 1000:6.1f} ms  "
        f"1re requête par espace {_ms(cold)} ; ensuite {_ms(warm)}"
    )


def layouts(args: argparse.Namespace) -> None:
    words = _words()
    print(f"{args.spaces} espaces x {args.per_space} passages synthétiques, requête top-20 dans un espace")
    with tempfile.TemporaryDirectory() as tmp:
        for kind in ("collection", "database", "filter"):
            print(_layout(kind, Path(tmp), args.spaces, args.per_space, np.random.default_rng(0), words), flush=True)


def lexical(args: argparse.Namespace) -> None:
    from rag import schema
    from rag.embeddings import make_embedder
    from rag.lexical import LexicalIndex
    from rag.schema import Chunk, Document
    from rag.settings import Settings
    from rag.store import ChromaStore

    rng = np.random.default_rng(0)
    words = _words()

    def document(name: str, n: int) -> Document:
        chunks = [
            Chunk(
                id=f"{name}-{i}",
                text=text,
                meta={schema.SOURCE: name, schema.DOC_ID: name, schema.KIND: schema.KIND_DOCUMENT, schema.PAGE: 1},
            )
            for i, text in enumerate(_texts(rng, words, n))
        ]
        return Document(name, name, f"hash-{name}", schema.KIND_DOCUMENT, name, chunks)

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(store=Path(tmp) / "store", cache_dir=Path(tmp) / "cache")
        store = ChromaStore(settings=settings, embedder=make_embedder(settings.embeddings, cache_dir=None))
        for start in range(0, args.passages, 500):
            store.write_document(document(f"base{start:06d}", 500), embeddings=_vectors(rng, 500))
        index = LexicalIndex(store=store)
        started = time.perf_counter()
        index.ensure_fresh()
        first = time.perf_counter() - started
        adds, removes = [], []
        for i in range(3):
            store.write_document(document(f"new{i}", 50), embeddings=_vectors(rng, 50))
            started = time.perf_counter()
            index.ensure_fresh()
            adds.append(time.perf_counter() - started)
            store.remove_document(f"new{i}")
            started = time.perf_counter()
            index.ensure_fresh()
            removes.append(time.perf_counter() - started)
        print(
            f"{args.passages} passages : construction {first:5.2f} s ; après ajout de 50 passages "
            f"{statistics.median(adds):5.2f} s ; après suppression {statistics.median(removes):5.2f} s "
            f"(médiane de 3, {sys.modules['rag'].__file__})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    lay = sub.add_parser("layouts")
    lay.add_argument("--spaces", type=int, default=20)
    lay.add_argument("--per-space", type=int, default=500)
    lex = sub.add_parser("lexical")
    lex.add_argument("--passages", type=int, default=3000)
    args = parser.parse_args()
    layouts(args) if args.command == "layouts" else lexical(args)


if __name__ == "__main__":
    main()
