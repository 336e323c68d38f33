"""hit@1/5/10 and MRR of the Service-Public gold (benchmarks/gold_service_public.jsonl) over the whole law.

    # BM25 and hybrid over the legal pack shipped in the package, loaded into a temporary store (no embedding):
    python benchmarks/service_public_eval.py --split dev
    # the same over a store that already holds the whole law (open a copy, never a live store):
    python benchmarks/service_public_eval.py --split dev --store /tmp/law-store --cache /tmp/law-cache

An article hit is any expected article of the right code in the top k (rag.evaluate, `gold_refs`). The
test split is measured once, at the end: tune on dev only.

The "+bridge" modes add the Service-Public topic bridge (rag.bridge, the pack's `bridge.json.gz` or
`--bridge FILE`). The bridge is built from the same fiches as this gold, so each question is scored
leave-one-out: the bridge entry of the question's own fiche is removed (`TopicBridge.without`) before it is
asked; `--no-leave-one-out` shows the figure with it (meaningless as a measure: the answer key is in the index).
`--first-stage` adds each mode without the second-stage ranking of the law's passages (rag.rerank), for comparison.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

from rag.bridge import BRIDGE, TopicBridge
from rag.evaluate import GoldQuestion, QuestionResult, evaluate, load_gold, summarize
from rag.kb import KnowledgeBase
from rag.pack import PACK_DIR, LegalPack, install_pack
from rag.retrieve import HybridRetriever
from rag.settings import Settings

GOLD = Path(__file__).with_name("gold_service_public.jsonl")


def table_row(label: str, results: list[QuestionResult]) -> str:
    m = summarize(results)["overall"]
    return (
        f"{label:28s} {m['questions']:>4d} {m['recall@1_doc']:>7.3f} {m['recall@5_doc']:>7.3f} "
        f"{m['recall@10_doc']:>7.3f} {m['mrr@10_doc']:>7.3f}"
    )


def fiche_of(question: GoldQuestion) -> str:
    """The fiche a gold question was made from ("sp-F14935" -> "F14935")."""
    return question.id.removeprefix("sp-")


def run_mode(
    questions: list[GoldQuestion], retriever: HybridRetriever, bridge: TopicBridge | None, *, leave_one_out: bool
) -> list[QuestionResult]:
    """Each question's result; with a bridge, the question's own fiche is left out of it (leave-one-out)."""
    results: list[QuestionResult] = []
    for question in questions:
        if bridge is not None:
            retriever.bridge = bridge.without({fiche_of(question)}) if leave_one_out else bridge
        results += evaluate([question], search=lambda q: retriever.retrieve(q, top_k=10))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "test", "all"), default="dev")
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--store", type=Path, help="a store of the whole law (a copy): adds the hybrid mode")
    parser.add_argument("--cache", type=Path, help="its embedding cache (MAIRIE_CACHE_DIR)")
    parser.add_argument("--details", action="store_true", help="each question's rank and top 5")
    parser.add_argument("--bridge", type=Path, help=f"a bridge file (default: the pack's {BRIDGE})")
    parser.add_argument(
        "--no-leave-one-out", action="store_true", help="keep each question's own fiche in the bridge (a leak)"
    )
    parser.add_argument(
        "--first-stage", action="store_true", help="also each mode without the second stage (rag.rerank)"
    )
    args = parser.parse_args()
    questions = [q for q in load_gold(args.gold) if args.split == "all" or q.split == args.split]
    runs: list[tuple[str, HybridRetriever, TopicBridge | None]] = []
    started = time.perf_counter()
    overrides: dict[str, Any] = {"store": args.store or Path(tempfile.mkdtemp(prefix="sp-eval-")) / "store"}
    if args.cache:
        overrides["cache_dir"] = args.cache
    settings = Settings.from_env(**overrides)
    kb = KnowledgeBase(settings)
    if not args.store:
        report = install_pack(kb, LegalPack(PACK_DIR))
        print(f"# legal pack loaded into {settings.store}: {report.passages} passages in {report.seconds:.0f} s")
    bridge = TopicBridge.read(args.bridge) if args.bridge else TopicBridge.load()
    stages = (True, False) if args.first_stage else (True,)
    for second in stages:
        suffix = "" if second else " (1st stage)"
        for mode in ("bm25", "hybrid"):
            plain = HybridRetriever(
                store=kb.store, settings=settings, lexical=kb.lexical, mode=mode, bridge=None, second_stage=second
            )
            runs.append((f"{mode}{suffix}", plain, None))
        if bridge is not None:
            for mode in ("bm25", "hybrid"):
                bridged = HybridRetriever(
                    store=kb.store, settings=settings, lexical=kb.lexical, mode=mode, bridge=bridge, second_stage=second
                )
                runs.append((f"{mode}+bridge{suffix}", bridged, bridge))
    if bridge is not None:
        print(f"# bridge: {len(bridge)} fiches, leave-one-out: {not args.no_leave_one_out}")
    print(f"# {len(questions)} questions ({args.split}), ready in {time.perf_counter() - started:.0f} s")
    print(f"{'mode':28s} {'n':>4s} {'hit@1':>7s} {'hit@5':>7s} {'hit@10':>7s} {'MRR':>7s}")
    for label, retriever, with_bridge in runs:
        results = run_mode(questions, retriever, with_bridge, leave_one_out=not args.no_leave_one_out)
        print(table_row(label, results))
        if args.details:
            for gold, result in zip(questions, results, strict=True):
                print(f"  {result.rank_doc!s:>4} {gold.id:10s} {gold.question[:60]:60s} {result.top}")


if __name__ == "__main__":
    main()
