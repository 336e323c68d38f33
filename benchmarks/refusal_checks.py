"""Which refusal checks each gold question fails, and what its answer would have been without them.

    python benchmarks/refusal_checks.py benchmarks/gold.jsonl benchmarks/gold_full_absent.jsonl --store /tmp/full \
        --out /tmp/checks.jsonl

For every question: every check of rag.refusal that fails, before composing the answer (`refusal_checks`: "far",
"topic", "names", "year" ...) and after (`cited_checks`, on the answer composed anyway), the relevance signals,
and whether the answer composed with no check at all states the key fact (answerable questions). The summary
counts, per check, the answerable questions it refuses that would have stated their key fact and the absent
questions it refuses, and how many of each it refuses ALONE: relaxing a check gains at most its first count
and loses at most its second. The refusal decision is the product's; the answer composed anyway is for this
measure only (its evidence check is bypassed here, never in the product).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import rag.answer as answer_module
from rag.evaluate import key_fact_in, load_gold
from rag.kb import KnowledgeBase
from rag.refusal import cited_checks, refusal_checks
from rag.settings import Settings


def diagnose(kb: KnowledgeBase, question: str) -> dict[str, Any]:
    """Every check the question fails, its signals, and the answer composed with no check."""
    answerer = kb.answerer
    retrieval = kb.retriever.run(question, top_k=kb.settings.top_k, scope=kb.scoper.read(question))
    cited: list[str] = []

    def record_cited(*args: Any, **kwargs: Any) -> None:
        cited.extend(cited_checks(*args, **kwargs))

    with kb.retriever.store.pinned():
        answerer.found(question, retrieval)  # the product's decision, and the best sentence's closeness
        best = answerer.best_sentence(question, retrieval)
        following, preceding = answerer._neighbours(retrieval)
        before = list(
            refusal_checks(
                question,
                retrieval,
                answerer.settings.refusal_threshold,
                kb.retriever.lexical.idf,
                best_sentence=best,
                sentence_threshold=answerer.settings.sentence_threshold,
                following=following,
                preceding=preceding,
            )
        )
        signals = dict(retrieval.derived.get("relevance") or {})
        decided = retrieval.derived.get("refusal_reason")
        retrieval.derived["found"] = True  # compose anyway, recording what the evidence check finds
        product_check = answer_module.cited_reason
        answer_module.cited_reason = record_cited  # type: ignore[assignment]
        try:
            forced = answerer._answer_from(question, retrieval)
        finally:
            answer_module.cited_reason = product_check
    return {
        "before": before,
        "after": cited,
        "decided": decided,
        "signals": signals,
        "best_sentence": best,
        "forced_text": forced.text,
        "top": retrieval.hits[0].chunk.text if retrieval.hits else "",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("gold", type=Path, nargs="+")
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--out", type=Path, help="one JSON line per question")
    args = parser.parse_args()
    kb = KnowledgeBase(Settings.from_env(store=args.store))
    out = args.out.open("w", encoding="utf-8") if args.out else None
    gained: Counter[str] = Counter()
    gained_alone: Counter[str] = Counter()
    lost: Counter[str] = Counter()
    lost_alone: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    for path in args.gold:
        for gold in load_gold(path):
            row = diagnose(kb, gold.question)
            checks = list(dict.fromkeys([f"before:{c}" for c in row["before"]] + [f"after:{c}" for c in row["after"]]))
            fact = None
            if not gold.absent:
                fact = key_fact_in(row["forced_text"], gold.key_facts, gold.key_facts_any)
            totals["absent" if gold.absent else "answerable"] += 1
            if checks:
                totals["absent refused" if gold.absent else "answerable refused"] += 1
            for check in checks:
                if gold.absent:
                    lost[check] += 1
                    lost_alone[check] += len(checks) == 1
                elif fact:
                    gained[check] += 1
                    gained_alone[check] += len(checks) == 1
            if out is not None:
                record = {"set": path.name, "id": gold.id, "absent": gold.absent, "question": gold.question}
                record |= {"checks": checks, "fact_if_answered": fact, "signals": row["signals"]}
                record |= {"best_sentence": row["best_sentence"], "decided": row["decided"]}
                record["fact_in_top_passage"] = key_fact_in(row["top"], gold.key_facts, gold.key_facts_any)
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                out.flush()
            print(f"{gold.id:40s} {'ABS' if gold.absent else 'ans'} {' '.join(checks) or '-'}", file=sys.stderr)
    print(dict(totals))
    print(f"{'check':18s} {'ans+fact':>8s} {'alone':>6s} {'absent':>7s} {'alone':>6s}")
    for check in sorted(set(gained) | set(lost)):
        print(f"{check:18s} {gained[check]:8d} {gained_alone[check]:6d} {lost[check]:7d} {lost_alone[check]:6d}")


if __name__ == "__main__":
    main()
