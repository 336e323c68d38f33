"""Spaces: how to lay them out in Chroma, and what an incremental lexical index saves.

    python benchmarks/spaces_bench.py layouts [--spaces 20 --per-space 500]
    python benchmarks/spaces_bench.py lexical [--passages 3000]
    python benchmarks/spaces_bench.py scale [--spaces 10,100,1000] [--passages 10000,100000,1000000]
    python benchmarks/spaces_bench.py shared-law --root DIR [--spaces 20]   (twice: build, then measure)

`layouts` compares three layouts on synthetic passages (random unit vectors; the timing does not depend on
what the vectors mean): one collection per space, one Chroma database per space, one shared collection
filtered by a `space` metadata key. It prints the time to open the store and list its spaces, to add a
document of 50 passages to one space, and the latency of a top-20 query in one space: the first query
of each space (its index is opened then), and the following ones.

`lexical` builds a store of N synthetic passages, then times the lexical refresh after adding one
document of 50 passages and after removing it. It uses only APIs the previous version had too, so it
measures the previous version with `PYTHONPATH=<old checkout>` (before) and this one (after).

`scale` runs every (spaces, total passages) pair, smallest first, each in two child processes bounded in
time: one builds the store (embedded Chroma, passages written through ChromaStore in documents of 50
passages, synthetic texts from the CGCT's words and random unit vectors: nothing is embedded), the other
measures, on a fresh process, what a server does: open Chroma, build the BM25 partition of one space
(from Chroma), search that space through the real KnowledgeBase (hybrid retrieval: the query is embedded
by the real model, BM25 + dense + fusion), ingest one new 50-passage document and refresh the lexical
index, then open every space as `mairie serve` does (ui.api.SpaceBases, one search each) and report the
resident memory (RSS). A phase over its budget stops and says so; a pair that would start after the
total budget is not run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # `python benchmarks/spaces_bench.py` from the checkout
    sys.path.insert(0, str(REPO))
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


# --- scale ---------------------------------------------------------------------------------------------
SCALE_QUESTIONS = [
    "délibération du conseil municipal sur le budget",
    "convocation du conseil municipal par le maire",
    "quorum et majorité absolue des suffrages",
    "indemnités de fonction des élus",
    "commission d'appel d'offres",
    "vote à bulletin secret",
    "démission d'un conseiller municipal",
    "procès-verbal de la séance",
    "pouvoirs de police du maire",
    "compte administratif et budget primitif",
]


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _emit(**record: Any) -> None:
    print(json.dumps(record), flush=True)


def _space_names(spaces: int) -> list[str]:
    return [f"c{i:04d}" for i in range(spaces)]


def _scale_settings(root: Path) -> Any:
    from rag.settings import Settings

    return Settings(store=root / "store", cache_dir=root / "cache")  # the embedder itself caches nothing


def _synthetic_document(rng: np.random.Generator, words: list[str], space: str, n: int, number: int) -> Any:
    from rag import schema
    from rag.schema import Chunk, Document

    source = f"{space}/PV-{number:05d}.pdf"
    doc_id = f"{space}-{number:05d}"
    meta = {schema.SOURCE: source, schema.DOC_ID: doc_id, schema.KIND: schema.KIND_DOCUMENT, schema.PAGE: 1}
    chunks = [
        Chunk(id=f"{doc_id}-{i}", text=text, meta={**meta, schema.PAGE: 1 + i // 3})
        for i, text in enumerate(_texts(rng, words, n))
    ]
    return Document(source, doc_id, f"hash-{doc_id}", schema.KIND_DOCUMENT, f"PV {number} de {space}", chunks)


def scale_build(args: argparse.Namespace) -> None:
    """Child: write `passages` synthetic passages into `spaces` spaces (documents of 50), within budget."""
    from rag.embeddings import make_embedder
    from rag.store import ChromaStore

    rng = np.random.default_rng(0)
    words = _words()
    settings = _scale_settings(Path(args.root))
    embedder = make_embedder(settings.embeddings, cache_dir=None)
    root_store = ChromaStore(settings=settings, embedder=embedder)
    per_space = args.passages // args.spaces
    started = time.perf_counter()
    written = 0
    for space in _space_names(args.spaces):
        store = ChromaStore(
            settings=settings.replace(space=space), embedder=embedder, client=root_store.client, spaces=[space]
        )
        sizes = [50] * (per_space // 50) + ([per_space % 50] if per_space % 50 else [])
        for start in range(0, len(sizes), 40):  # 40 documents (2,000 passages) per write
            docs = [
                _synthetic_document(rng, words, space, n, start + j) for j, n in enumerate(sizes[start : start + 40])
            ]
            total = sum(len(d.chunks) for d in docs)
            store.write_documents(docs, embeddings=_vectors(rng, total))
            written += total
            elapsed = time.perf_counter() - started
            if elapsed > args.budget:
                _emit(phase="build", stopped=True, passages=written, seconds=elapsed, rate=written / elapsed)
                return
    elapsed = time.perf_counter() - started
    _emit(phase="build", stopped=False, passages=written, seconds=elapsed, rate=written / max(elapsed, 1e-9))


def scale_measure(args: argparse.Namespace) -> None:
    """Child: open, lexical build, search, ingest 50, then every space as `mairie serve` opens it."""
    from rag.embeddings import make_embedder
    from rag.kb import KnowledgeBase
    from rag.lexical import LexicalIndex
    from rag.store import ChromaStore
    from ui.api import SpaceBases

    rng = np.random.default_rng(1)
    words = _words()
    settings = _scale_settings(Path(args.root))
    started_all = time.perf_counter()
    embedder = make_embedder(settings.embeddings, cache_dir=None)
    embedder.embed_queries(["échauffement du modèle"])
    _emit(phase="baseline", rss_mb=_rss_mb())

    space = _space_names(args.spaces)[0]
    started = time.perf_counter()
    root = ChromaStore(settings=settings.replace(space=space), embedder=embedder, spaces=[space])
    spaces = root.all_spaces()
    count = root.count()
    _emit(phase="open", seconds=time.perf_counter() - started, spaces=len(spaces), space_passages=count)

    started = time.perf_counter()
    built = LexicalIndex(store=root)
    built.ensure_fresh()  # nothing saved yet: the partition is read whole from Chroma
    lexical_build = time.perf_counter() - started
    assert len(built.ids) == count, f"{len(built.ids)} passages in the BM25 partition, {count} in Chroma"
    started = time.perf_counter()
    LexicalIndex(store=root).ensure_fresh()  # as a restarted process: the saved partition is loaded
    _emit(phase="lexical", build_s=lexical_build, load_s=time.perf_counter() - started)

    bases = SpaceBases(settings.replace(space=space))
    bases._root = root  # the store just opened: SpaceBases shares its client and embedder
    kb: KnowledgeBase = bases.of(space)

    started = time.perf_counter()
    kb.search(SCALE_QUESTIONS[0])
    first = time.perf_counter() - started
    latencies = []
    for i in range(args.queries):
        question = f"{SCALE_QUESTIONS[i % len(SCALE_QUESTIONS)]} {i}"  # a new text: never a cached vector
        started = time.perf_counter()
        hits = kb.search(question, top_k=5)
        latencies.append(time.perf_counter() - started)
        assert hits, "no passage found: the synthetic passages are not readable"
        assert all(h.chunk.meta.get("space") in (space, "law") for h in hits), "cross-space passage"
    ordered = sorted(latencies)
    _emit(
        phase="search",
        first_ms=first * 1000,
        p50_ms=statistics.median(ordered) * 1000,
        p95_ms=ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000,
        rss_mb=_rss_mb(),
    )

    document = _synthetic_document(rng, words, space, 50, 99_999)
    started = time.perf_counter()
    kb.store.write_document(document, embeddings=_vectors(rng, 50))
    write_s = time.perf_counter() - started
    started = time.perf_counter()
    kb.lexical.ensure_fresh()
    _emit(phase="ingest", write_s=write_s, lexical_s=time.perf_counter() - started)

    started = time.perf_counter()
    opened = 0
    stopped = False
    for i, name in enumerate(_space_names(args.spaces)):
        bases.of(name).search(f"{SCALE_QUESTIONS[i % len(SCALE_QUESTIONS)]} {i}", top_k=5)
        opened += 1
        if time.perf_counter() - started_all > args.budget:
            stopped = True
            break
    _emit(phase="all_spaces", spaces=opened, stopped=stopped, seconds=time.perf_counter() - started, rss_mb=_rss_mb())


def _child(
    command: str, spaces: int, passages: int, root: Path, budget: float, open_files: int
) -> tuple[dict[str, Any], str]:
    """Run one child phase; its JSON lines by phase, and how it ended."""
    cmd = [sys.executable, __file__, command, "--spaces", str(spaces), "--passages", str(passages)]
    cmd += ["--root", str(root), "--budget", str(budget), "--open-files", str(open_files)]
    env = dict(os.environ, PYTHONPATH=str(REPO), ANONYMIZED_TELEMETRY="False", HF_HUB_OFFLINE="1")
    records: dict[str, Any] = {}
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=budget * 1.5 + 60, check=False)
        out, end = proc.stdout, ("ok" if proc.returncode == 0 else f"error: {proc.stderr.strip()[-300:]}")
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        end = "killed (over the budget)"
    for line in out.splitlines():
        if line.startswith("{"):
            record = json.loads(line)
            records[record.pop("phase")] = record
    return records, end


def _fmt(value: Any, pattern: str) -> str:
    return pattern.format(value) if isinstance(value, (int, float)) else "—"


def scale(args: argparse.Namespace) -> None:
    pairs = [(s, p) for p in _ints(args.passages) for s in _ints(args.spaces)]
    rows = []
    started = time.perf_counter()
    load = os.getloadavg()
    print(f"load average at start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {os.cpu_count()} CPUs", flush=True)
    if args.open_files:
        print(f"open files limit of the children: {args.open_files} (Chroma keeps {args.open_files // 5} HNSW indexes)")
    for spaces, passages in pairs:
        if time.perf_counter() - started > args.total_budget:
            rows.append(f"| {spaces} | {passages:,} | not run: total budget ({args.total_budget:.0f} s) spent |")
            continue
        root = Path(tempfile.mkdtemp(prefix=f"scale-{spaces}-{passages}-", dir=args.workdir))
        try:
            build, build_end = _child("scale-build", spaces, passages, root, args.budget, args.open_files)
            b = build.get("build", {})
            if not b:
                rows.append(f"| {spaces} | {passages:,} | build failed: {build_end} |")
                continue
            measured, measure_end = _child("scale-measure", spaces, passages, root, args.budget, args.open_files)
        finally:
            shutil.rmtree(root, ignore_errors=True)
        m = {k: measured.get(k, {}) for k in ("baseline", "open", "lexical", "search", "ingest", "all_spaces")}
        built = f"{b['passages']:,} in {b['seconds']:.0f} s ({b['rate']:.0f}/s)" + (" STOPPED" if b["stopped"] else "")
        warmed = m["all_spaces"]
        row = [
            str(spaces),
            f"{passages:,}",
            built,
            _fmt(m["open"].get("seconds"), "{:.2f} s"),
            _fmt(m["lexical"].get("build_s"), "{:.2f} s") + " / " + _fmt(m["lexical"].get("load_s"), "{:.2f} s"),
            _fmt(m["search"].get("p50_ms"), "{:.0f}") + " / " + _fmt(m["search"].get("p95_ms"), "{:.0f} ms"),
            _fmt(m["ingest"].get("write_s"), "{:.2f} s") + " + " + _fmt(m["ingest"].get("lexical_s"), "{:.2f} s"),
            _fmt(m["search"].get("rss_mb"), "{:.0f} MB"),
            (
                f"{warmed['spaces']} in {warmed['seconds']:.0f} s, {warmed['rss_mb']:.0f} MB"
                + (" STOPPED" if warmed["stopped"] else "")
                if warmed
                else "—"
            ),
            "" if measure_end == "ok" else measure_end,
        ]
        rows.append("| " + " | ".join(row) + " |")
        print(rows[-1], flush=True)
    load = os.getloadavg()
    print(f"load average at end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {time.perf_counter() - started:.0f} s")
    print(
        "| spaces | passages | build (written, time, rate) | Chroma open | BM25 of one space: build / load |"
        " search one space p50 / p95 | ingest 50: write + BM25 | RSS one space | every space opened + RSS | note |"
    )
    print("|" + "---|" * 10)
    print("\n".join(rows))


def shared_law(args: argparse.Namespace) -> None:
    """The whole legal pack shared by S spaces, each opened as `mairie serve` opens it: memory and time."""
    from rag.embeddings import make_embedder
    from rag.pack import LegalPack, load_pack
    from rag.store import ChromaStore
    from ui.api import SpaceBases

    settings = _scale_settings(Path(args.root))
    embedder = make_embedder(settings.embeddings, cache_dir=None)
    names = _space_names(args.spaces)
    root = ChromaStore(settings=settings.replace(space=names[0]), embedder=embedder, spaces=names)
    if not root.documents(spaces=["law"]):
        rng = np.random.default_rng(0)
        words = _words()
        report = load_pack(root, LegalPack())
        print(f"legal pack loaded: {report.passages} passages", flush=True)
        for name in names:
            store = ChromaStore(
                settings=settings.replace(space=name), embedder=embedder, client=root.client, spaces=[name]
            )
            docs = [_synthetic_document(rng, words, name, 50, j) for j in range(args.per_space // 50)]
            store.write_documents(docs, embeddings=_vectors(rng, sum(len(d.chunks) for d in docs)))
        print(f"{args.spaces} spaces x {args.per_space} synthetic passages written", flush=True)
        return  # measured by the next run, in a fresh process
    embedder.embed_queries(["échauffement du modèle"])
    root.count()
    law = root.documents(spaces=["law"])
    before = _rss_mb()
    bases = SpaceBases(settings.replace(space=names[0]))
    bases._root = root
    started = time.perf_counter()
    firsts = []
    for i, name in enumerate(names):
        t = time.perf_counter()
        bases.of(name).search(f"{SCALE_QUESTIONS[i % len(SCALE_QUESTIONS)]} {i}", top_k=5)
        firsts.append(time.perf_counter() - t)
    opened = time.perf_counter() - started
    after = _rss_mb()
    latencies = []
    for i in range(args.queries):
        kb = bases.of(names[i % len(names)])
        t = time.perf_counter()
        kb.search(f"{SCALE_QUESTIONS[i % len(SCALE_QUESTIONS)]} bis {i}", top_k=5)
        latencies.append(time.perf_counter() - t)
    print(
        f"{args.spaces} espaces + loi partagée ({len(law)} documents) : RSS {before:.0f} MB avant, "
        f"{after:.0f} MB après une recherche par espace (+{after - before:.0f} MB) ; ouverture des espaces "
        f"{opened:.1f} s (1re recherche : médiane {statistics.median(firsts) * 1000:.0f} ms, "
        f"max {max(firsts) * 1000:.0f} ms) ; puis {_ms(latencies)} ({sys.modules['rag'].__file__})"
    )


def _limit_open_files(limit: int) -> None:
    """Lower this process's open files limit (before chromadb starts): embedded Chroma sizes its cache of
    loaded HNSW indexes from it (limit // 5 indexes, two per space), which bounds the memory of a process
    serving many spaces; the evicted indexes are read again from disk when queried."""
    import resource

    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(limit, hard), hard))


def _ints(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    lay = sub.add_parser("layouts")
    lay.add_argument("--spaces", type=int, default=20)
    lay.add_argument("--per-space", type=int, default=500)
    lex = sub.add_parser("lexical")
    lex.add_argument("--passages", type=int, default=3000)
    sc = sub.add_parser("scale")
    sc.add_argument("--spaces", default="10,100,1000", help="space counts, comma-separated")
    sc.add_argument("--passages", default="10000,100000,1000000", help="total passages, comma-separated")
    sc.add_argument("--budget", type=float, default=300, help="seconds per phase (build, measure) of a pair")
    sc.add_argument("--total-budget", type=float, default=1800, help="no pair starts after this many seconds")
    sc.add_argument("--workdir", default=None, help="where the stores are built (then deleted)")
    sc.add_argument(
        "--open-files",
        type=int,
        default=0,
        help="open files limit of the children (0: unchanged); see _limit_open_files",
    )
    law = sub.add_parser("shared-law")
    law.add_argument("--root", required=True, help="store folder: built by the first run, measured by the next")
    law.add_argument("--spaces", type=int, default=20)
    law.add_argument("--per-space", type=int, default=200)
    law.add_argument("--queries", type=int, default=60)
    for name in ("scale-build", "scale-measure"):
        child = sub.add_parser(name)
        child.add_argument("--spaces", type=int, required=True)
        child.add_argument("--passages", type=int, required=True)
        child.add_argument("--root", required=True)
        child.add_argument("--budget", type=float, required=True)
        child.add_argument("--queries", type=int, default=40)
        child.add_argument("--open-files", type=int, default=0)
    args = parser.parse_args()
    if getattr(args, "open_files", 0) and args.command.startswith("scale-"):
        _limit_open_files(args.open_files)
    commands = {
        "layouts": layouts,
        "lexical": lexical,
        "scale": scale,
        "scale-build": scale_build,
        "scale-measure": scale_measure,
        "shared-law": shared_law,
    }
    commands[args.command](args)


if __name__ == "__main__":
    main()
