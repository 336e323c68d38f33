"""Print the refusal signals and the decision for every gold question, to choose the refusal thresholds.

python benchmarks/calibrate_refusal.py benchmarks/gold_demo.jsonl benchmarks/gold_demo_absent.jsonl --store /tmp/kb

One line per question, sorted by score: ABSENT or blank, answered (ok) or refused (--), the signals of
rag.refusal.relevance_signals, why it was refused (rag.refusal.refusal_reason) and what the scope misses. A wrong decision is marked "<<".
Tune only on the "_tune" halves and gold_demo.jsonl; the held-out and unseen sets are measured, not tuned on.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rag.evaluate import load_gold
from rag.kb import KnowledgeBase
from rag.refusal import relevance_signals
from rag.settings import Settings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("gold", type=Path, nargs="+")
    parser.add_argument("--store", type=Path, required=True)
    args = parser.parse_args()
    kb = KnowledgeBase(Settings.from_env(store=args.store))
    rows = []
    for path in args.gold:
        for q in load_gold(path):
            answer = kb.ask(q.question)
            scope = kb.scoper.read(q.question)
            retrieval = kb.retriever.run(q.question, top_k=kb.settings.top_k, scope=scope)
            signals = relevance_signals(q.question, retrieval, kb.lexical.idf)
            kb.answerer.found(q.question, retrieval)
            reason = retrieval.derived.get("refusal_reason") or ("listed" if answer.mode == "records" else "-")
            missing = " ".join([scope.missing_label(), *getattr(scope, "missing_refs", ())]).strip() or "-"
            rows.append((q.absent, answer.found, signals, f"{reason:8s} {missing}", q.id, q.question))
    rows.sort(key=lambda r: r[2]["score"])
    wrong = 0
    for absent, found, s, missing, qid, question in rows:
        bad = absent == found
        wrong += bad
        print(
            f"{'ABSENT' if absent else '      '} {'ok' if found else '--'} score={s['score']:.3f} "
            f"dense={s['best_dense']:.3f} cover={s['coverage']:.2f} "
            f"names={int(s['unknown_names'])} nouns={int(s.get('missing_nouns', 0))}/{int(s.get('scattered_nouns', 0))} {missing:24s} {qid:24s} {question[:80]}{' <<' if bad else ''}"
        )
    absent = [r for r in rows if r[0]]
    answerable = [r for r in rows if not r[0]]
    if absent:
        print(f"absent refused: {sum(not r[1] for r in absent)}/{len(absent)}")
    if answerable:
        print(f"answerable refused: {sum(not r[1] for r in answerable)}/{len(answerable)}")
    print(f"wrong decisions: {wrong}")


if __name__ == "__main__":
    main()
