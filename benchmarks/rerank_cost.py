"""What the council stage of the ranking (rag.rerank.rerank_council) costs a search, on a real store.

    MAIRIE_STORE=/tmp/full-store python benchmarks/rerank_cost.py [--golds benchmarks/gold_decisions_s26.jsonl ...]

Each question of the gold files is searched twice per round, with the council stage and with it replaced by the
identity (the baseline, in the same process, alternating which goes first); the query vectors are embedded once
before timing. Prints the CPU time per search (time.process_time, p50 / p95, ms) of both and their ratio.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from rag import retrieve  # noqa: E402
from rag.evaluate import load_gold  # noqa: E402
from rag.kb import KnowledgeBase  # noqa: E402
from rag.settings import Settings  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--golds", nargs="+", default=[str(REPO / "benchmarks" / "gold_decisions_s26.jsonl")])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    kb = KnowledgeBase(Settings.from_env())
    questions = [q.question for gold in args.golds for q in load_gold(Path(gold))]
    stage = retrieve.rerank_council
    for question in questions:  # the query vectors, embedded once before timing
        kb.retriever.run(question, top_k=kb.settings.top_k, scope=kb.scoper.read(question))
    times: dict[str, list[float]] = {"with": [], "without": []}
    for round_ in range(args.rounds):
        for i, question in enumerate(questions):
            scope = kb.scoper.read(question)
            order = ("with", "without") if (i + round_) % 2 == 0 else ("without", "with")
            for name in order:
                retrieve.rerank_council = stage if name == "with" else (lambda ranked, *_a, **_k: ranked)  # type: ignore[assignment]
                start = time.process_time()
                kb.retriever.run(question, top_k=kb.settings.top_k, scope=scope)
                times[name].append((time.process_time() - start) * 1000)
    retrieve.rerank_council = stage

    def p(values: list[float], q: float) -> float:
        return sorted(values)[min(len(values) - 1, int(q * len(values)))]

    for name, values in times.items():
        print(f"{name:8} searches {len(values)}  p50 {statistics.median(values):.1f} ms  p95 {p(values, 0.95):.1f} ms")
    ratio = statistics.median(times["with"]) / statistics.median(times["without"])
    print(f"ratio p50 with / without: {ratio:.2f}")


if __name__ == "__main__":
    main()
