"""Print the refusal signals for every gold question, to choose MAIRIE_REFUSAL_THRESHOLD.

python benchmarks/calibrate_refusal.py benchmarks/gold_demo.jsonl --store /tmp/kb
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rag.answer import relevance_signals
from rag.evaluate import load_gold
from rag.kb import KnowledgeBase
from rag.settings import Settings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("gold", type=Path)
    parser.add_argument("--store", type=Path, required=True)
    args = parser.parse_args()
    kb = KnowledgeBase(Settings.from_env(store=args.store))
    rows = []
    for q in load_gold(args.gold):
        retrieval = kb.retriever.run(q.question, top_k=5)
        signals = relevance_signals(q.question, retrieval, kb.lexical.idf)
        rows.append((q.absent, signals, q.id, q.question))
    rows.sort(key=lambda r: r[1]["score"])
    for absent, s, qid, question in rows:
        flag = "ABSENT" if absent else "      "
        print(
            f"{flag} score={s['score']:.3f} dense={s['best_dense']:.3f} cover={s['coverage']:.2f} "
            f"{qid:18s} {question[:70]}"
        )


if __name__ == "__main__":
    main()
