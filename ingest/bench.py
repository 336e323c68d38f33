"""Benchmarks behind `mairie bench`: ingestion throughput against the raw embedder, search and answer latency against a
BM25-only baseline run in the same process, peak memory, and a scaling curve on synthetic chunks."""

from __future__ import annotations

import os
import random
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from ingest.chunking import split_text
from ingest.pipeline import Ingestor, collect_files
from rag import schema
from rag.embeddings import WorkerPoolEmbedder, make_embedder
from rag.evaluate import load_gold, percentile
from rag.kb import KnowledgeBase
from rag.retrieve import HybridRetriever
from rag.schema import Chunk, Document
from rag.settings import Settings
from rag.store import ChromaStore

REPO = Path(__file__).resolve().parent.parent
DEMO = [REPO / "data" / "cgct", REPO / "data" / "deliberations"]
RAW_SAMPLE = 64
# (worker processes, threads each): one core, then the two ways of using two cores.
ARRANGEMENTS = ((1, 1), (1, 2), (2, 1))


def peak_rss_mb() -> float | None:
    """Peak resident memory of this process in MB; None where the OS has no getrusage (Windows)."""
    try:
        import resource
    except ImportError:
        return None
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _mb(value: float | None) -> str:
    return "non mesurée" if value is None else f"{value} Mo"


def _timed(func: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = func()
    return (time.perf_counter() - started) * 1000, result


def _latency(values: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(percentile(values, 50), 1),
        "p95_ms": round(percentile(values, 95), 1),
        "mean_ms": round(sum(values) / max(1, len(values)), 1),
    }


def run_bench(
    settings: Settings,
    *,
    corpora: list[Path],
    scaling: bool,
    queries: Path | None,
    log: Callable[[str], None],
    scaling_sizes: tuple[int, ...] = (1_000, 10_000, 100_000),
    on_store: bool = False,
    cores_passages: int = 0,
    cores_rounds: int = 3,
) -> dict[str, Any]:
    questions = [q.question for q in load_gold(queries or REPO / "benchmarks" / "gold_demo.jsonl")]
    report: dict[str, Any] = {"embedder": settings.embeddings, "questions": len(questions)}
    if on_store:
        log(f"[magasin] latences sur {settings.store} ...")
        report["store"] = _latencies(settings, questions)
        report["peak_rss_mb"] = peak_rss_mb()
        return report
    if cores_passages:
        log(f"[cœurs] {cores_passages} passages, 1 et 2 fils, 1 et 2 processus, {cores_rounds} tours...")
        report["cores"] = bench_arrangements(
            settings.embeddings, realistic_passages(cores_passages), rounds=cores_rounds, log=log
        )
    with tempfile.TemporaryDirectory(prefix="mairie-bench-") as tmp:
        report["demo"] = _bench_corpus("demo", DEMO, Path(tmp) / "demo", settings, questions, log)
        for i, corpus in enumerate(corpora):
            report[f"corpus_{i + 1}"] = _bench_corpus(
                str(corpus), [corpus], Path(tmp) / f"c{i}", settings, questions, log
            )
        if scaling:
            report["scaling"] = _bench_scaling(Path(tmp) / "scaling", settings, questions, log, scaling_sizes)
    report["peak_rss_mb"] = peak_rss_mb()
    return report


def _bench_corpus(
    name: str, paths: list[Path], store_dir: Path, base: Settings, questions: list[str], log: Callable[[str], None]
) -> dict[str, Any]:
    # A fresh embedding cache: every passage is really embedded, as on a new machine.
    settings = base.replace(store=store_dir, cache_dir=store_dir / "cache", chroma_url="")
    kb = KnowledgeBase(settings)
    files = collect_files(paths)
    log(f"[{name}] indexation de {len(files)} fichier(s)...")
    started = time.perf_counter()
    events = list(Ingestor(store=kb.store, settings=settings).run(files))
    ingest_s = time.perf_counter() - started
    embedded = sum(e.embedded for e in events)
    chunks = [c.text for c in kb.store.iter_chunks()]
    kb.lexical.ensure_fresh()
    log(f"[{name}] {embedded} passages en {ingest_s:.1f} s ; vitesse brute du modèle...")
    # The same arrangement as the ingestion (MAIRIE_EMBED_WORKERS / _THREADS), without the cache or the store.
    raw = make_embedder(
        settings.embeddings, cache_dir=None, workers=settings.embed_workers, threads=settings.embed_threads
    )
    sample = random.Random(0).sample(chunks, min(RAW_SAMPLE, len(chunks)))
    try:
        raw.embed_passages(sample[:4])  # workers started and models loaded outside the timing
        if isinstance(raw.inner, WorkerPoolEmbedder):
            raw.inner.start()  # 4 short passages are embedded in this process (rag.embeddings.POOL_MIN_CHARS)
        raw_ms, _ = _timed(lambda: raw.embed_passages(sample[4:]))
    finally:
        raw.close()
    sample = sample[4:]
    raw_rate = len(sample) / (raw_ms / 1000)
    pipeline_rate = embedded / ingest_s if ingest_s else 0.0
    started = time.perf_counter()
    rerun = list(Ingestor(store=kb.store, settings=settings).run(collect_files(paths)))
    reingest_s = time.perf_counter() - started
    log(f"[{name}] latences de recherche et de réponse ({len(questions)} questions)...")
    result = {
        "files": len(files),
        "chunks": len(chunks),
        "embedded": embedded,
        "failed": sum(1 for e in events if e.status == "failed"),
        "ingest_seconds": round(ingest_s, 1),
        "ingest_chunks_per_s": round(pipeline_rate, 2),
        "raw_embedder_chunks_per_s": round(raw_rate, 2),
        "ingest_vs_raw_ratio": round(pipeline_rate / raw_rate, 3) if raw_rate else None,
        "reingest_unchanged_seconds": round(reingest_s, 2),
        "reingest_embedded": sum(e.embedded for e in rerun),
    }
    result.update(_latencies(settings, questions))
    return result


def _latencies(settings: Settings, questions: list[str]) -> dict[str, Any]:
    """Search (hybrid, and BM25 alone as the baseline) and extractive answer latencies. Queries are
    embedded cold (no cache), as new questions are."""
    cold = ChromaStore(settings=settings, embedder=make_embedder(settings.embeddings, cache_dir=None))
    cold_kb = KnowledgeBase(settings, store=cold)
    hybrid = HybridRetriever(store=cold, settings=settings, lexical=cold_kb.lexical)
    bm25 = HybridRetriever(store=cold, settings=settings, lexical=cold_kb.lexical, mode="bm25")
    hybrid.retrieve("échauffement", top_k=5)
    search = [_timed(partial(hybrid.retrieve, q, top_k=5))[0] for q in questions]
    baseline = [_timed(partial(bm25.retrieve, q, top_k=5))[0] for q in questions]
    answers = [_timed(partial(cold_kb.ask, q))[0] for q in questions]
    return {
        "chunks": cold.count(),
        "search_hybrid": _latency(search),
        "search_bm25_baseline": _latency(baseline),
        "search_hybrid_vs_bm25_ratio": round(percentile(search, 50) / max(percentile(baseline, 50), 1e-6), 2),
        "answer_extractive": _latency(answers),
        "peak_rss_mb": peak_rss_mb(),
    }


def realistic_passages(count: int, *, chars: int = 1200) -> list[str]:
    """`count` passages of about `chars` characters cut from the demo corpus: deliberation PDFs (their text
    layer) and CGCT articles, alternately, in a fixed order."""
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # "Ignoring wrong pointing object": harmless, noisy
    minutes: list[str] = []
    for pdf in sorted((REPO / "data" / "deliberations").rglob("*.pdf")):
        text = "\n".join(page.extract_text() or "" for page in PdfReader(pdf).pages)
        minutes.extend(p for p in split_text(text, chars) if len(p) > chars // 2)
    law: list[str] = []
    for path in sorted((REPO / "data" / "cgct").rglob("article-*.md")):
        law.extend(p for p in split_text(path.read_text(encoding="utf-8"), chars) if len(p) > chars // 4)
    mixed = [p for pair in zip(minutes, law, strict=False) for p in pair]
    return (mixed * (count // max(1, len(mixed)) + 1))[:count]


def bench_arrangements(
    spec: str,
    passages: list[str],
    *,
    rounds: int,
    log: Callable[[str], None],
    arrangements: tuple[tuple[int, int], ...] = ARRANGEMENTS,
) -> dict[str, Any]:
    """Passages/s of the embedder for each (worker processes, threads each), measured in turns (A B C A B C
    ...) in worker processes of this run, so that a load that comes and goes hits every arrangement alike.
    Returns the median rate of each and its ratio to one core (the first arrangement)."""
    pools = {a: WorkerPoolEmbedder(spec, workers=a[0], threads=a[1]) for a in arrangements}
    rates: dict[tuple[int, int], list[float]] = {a: [] for a in arrangements}
    cpu: dict[tuple[int, int], list[float]] = {a: [] for a in arrangements}
    try:
        for pool in pools.values():  # start the workers and load their models outside the timings
            pool.start()
        for r in range(rounds):
            order = arrangements[r % len(arrangements) :] + arrangements[: r % len(arrangements)]
            for a in order:
                before = _cpu_seconds(pools[a].worker_pids())
                ms, _ = _timed(partial(pools[a].embed_passages, passages))
                rates[a].append(len(passages) / (ms / 1000))
                after = _cpu_seconds(pools[a].worker_pids())
                if before is not None and after is not None:
                    cpu[a].append((after - before) / len(passages))
            log(
                f"[cœurs] tour {r + 1}/{rounds} : "
                + " ; ".join(f"{_label(a)} {rates[a][-1]:.2f}" for a in arrangements)
            )
    finally:
        for pool in pools.values():
            pool.close()
    one = float(np.median(rates[arrangements[0]]))
    rows = []
    for a in arrangements:
        median = float(np.median(rates[a]))
        rows.append(
            {
                "workers": a[0],
                "threads": a[1],
                "passages_per_s": round(median, 2),
                "ratio_to_one_core": round(median / one, 2) if one else None,
                # CPU seconds per passage, all workers together: the load of the machine barely moves it;
                # above one core's, the arrangement spends work on waiting (OpenMP barriers) or copying.
                "cpu_s_per_passage": round(float(np.median(cpu[a])), 3) if cpu[a] else None,
                "rates": [round(x, 2) for x in rates[a]],
            }
        )
    return {"passages": len(passages), "rounds": rounds, "load_average": _load_average(), "arrangements": rows}


def _cpu_seconds(pids: list[int]) -> float | None:
    """User + system CPU time of these processes (Linux /proc; None elsewhere)."""
    total = 0.0
    try:
        for pid in pids:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return None
    return total


def _label(arrangement: tuple[int, int]) -> str:
    workers, threads = arrangement
    return f"{workers} processus x {threads} fil{'s' if threads > 1 else ''}"


def _load_average() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except (AttributeError, OSError):  # Windows has no load average
        return None


def _bench_scaling(
    root: Path, base: Settings, questions: list[str], log: Callable[[str], None], sizes: tuple[int, ...]
) -> list[dict[str, Any]]:
    """Search latency as the store grows: synthetic chunks (words of the demo corpus, random unit
    vectors), since embedding 100,000 real passages would take hours on 2 cores."""
    words = _corpus_words()
    rng = np.random.default_rng(0)
    curve = []
    for size in sizes:
        settings = base.replace(store=root / str(size), cache_dir=root / "cache", chroma_url="")
        store = ChromaStore(settings=settings, embedder=make_embedder(settings.embeddings, cache_dir=None))
        log(f"[échelle] {size} passages synthétiques...")
        started = time.perf_counter()
        dim = store.embedder.embed_queries(["dimension"]).shape[1]
        per_doc = 1000
        for start in range(0, size, per_doc):
            count = min(per_doc, size - start)
            doc = _synthetic_document(start, count, words, rng)
            vectors = rng.normal(size=(count, dim)).astype(np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            store.write_document(doc, embeddings=vectors)
        build_s = time.perf_counter() - started
        kb = KnowledgeBase(settings, store=store)
        started = time.perf_counter()
        kb.lexical.ensure_fresh()
        lexical_s = time.perf_counter() - started
        hybrid = HybridRetriever(store=store, settings=settings, lexical=kb.lexical)
        bm25 = HybridRetriever(store=store, settings=settings, lexical=kb.lexical, mode="bm25")
        hybrid.retrieve("échauffement", top_k=5)
        search = [_timed(partial(hybrid.retrieve, q, top_k=5))[0] for q in questions]
        baseline = [_timed(partial(bm25.retrieve, q, top_k=5))[0] for q in questions]
        curve.append(
            {
                "chunks": size,
                "write_seconds": round(build_s, 1),
                "bm25_build_seconds": round(lexical_s, 1),
                "search_hybrid": _latency(search),
                "search_bm25_baseline": _latency(baseline),
                "peak_rss_mb": peak_rss_mb(),
            }
        )
    return curve


def _corpus_words() -> list[str]:
    words: list[str] = []
    for path in sorted((REPO / "data" / "cgct").rglob("article-*.md")):
        words.extend(path.read_text(encoding="utf-8").split())
    return words


def _synthetic_document(start: int, count: int, words: list[str], rng: np.random.Generator) -> Document:
    source = f"synthetique/{start:07d}.txt"
    doc_id = f"synth{start:07d}"
    chunks = []
    for i in range(count):
        offset = int(rng.integers(0, max(1, len(words) - 200)))
        text = " ".join(words[offset : offset + 150])
        meta = {
            schema.SOURCE: source,
            schema.DOC_ID: doc_id,
            schema.KIND: schema.KIND_DOCUMENT,
            schema.PAGE: 1,
            schema.TITLE: source,
            schema.CHUNK_INDEX: i,
        }
        chunks.append(Chunk(id=f"{doc_id}-{i}", text=text, meta=meta))
    return Document(source, doc_id, f"hash{start}", schema.KIND_DOCUMENT, source, chunks)


def format_report(report: dict[str, Any]) -> str:
    lines = [f"Modèle d'embeddings : {report['embedder']} ; {report['questions']} questions"]
    if "cores" in report:
        cores = report["cores"]
        load = cores["load_average"]
        lines.append(
            f"\n[cœurs] {cores['passages']} passages, médiane de {cores['rounds']} tours ; charge de la machine "
            + ("non mesurée" if load is None else " / ".join(str(x) for x in load))
        )
        for row in cores["arrangements"]:
            lines.append(
                f"  {_label((row['workers'], row['threads'])):22s} {row['passages_per_s']:7.2f} passages/s"
                f"   x{row['ratio_to_one_core']} par rapport à un cœur"
                + ("" if row["cpu_s_per_passage"] is None else f"   {row['cpu_s_per_passage']} s de calcul/passage")
            )
    for key, value in report.items():
        if not isinstance(value, dict) or key == "cores":
            continue
        if "files" in value:
            lines.append(f"\n[{key}] {value['files']} fichiers, {value['chunks']} passages ({value['failed']} échecs)")
            lines.append(
                f"  indexation : {value['ingest_chunks_per_s']} passages/s ; modèle seul : "
                f"{value['raw_embedder_chunks_per_s']} passages/s ; ratio {value['ingest_vs_raw_ratio']}"
            )
            lines.append(
                f"  réindexation à l'identique : {value['reingest_unchanged_seconds']} s "
                f"({value['reingest_embedded']} passage calculé)"
            )
        else:
            lines.append(f"\n[{key}] {value['chunks']} passages")
        for name in ("search_hybrid", "search_bm25_baseline", "answer_extractive"):
            v = value[name]
            lines.append(f"  {name:22s} p50 {v['p50_ms']:8.1f} ms   p95 {v['p95_ms']:8.1f} ms")
        lines.append(f"  hybride / BM25 seul (p50) : x{value['search_hybrid_vs_bm25_ratio']}")
    for point in report.get("scaling", []):
        lines.append(
            f"\n[échelle {point['chunks']} passages] recherche hybride p50 {point['search_hybrid']['p50_ms']} ms"
            f" p95 {point['search_hybrid']['p95_ms']} ms ; BM25 seul p50 "
            f"{point['search_bm25_baseline']['p50_ms']} ms ; construction BM25 {point['bm25_build_seconds']} s ;"
            f" RSS {_mb(point['peak_rss_mb'])}"
        )
    lines.append(f"\nMémoire maximale (RSS) : {_mb(report['peak_rss_mb'])}")
    return "\n".join(lines)
