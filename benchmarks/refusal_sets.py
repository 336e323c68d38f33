"""Refusals and key facts per gold file, one store: the figures of docs/EVALUATION.md's refusal sections.

PYTHONPATH=. python benchmarks/refusal_sets.py --store /tmp/demo benchmarks/gold_s21_demo.jsonl [...] [--out run.jsonl]

Per file: absent questions refused, answerable questions refused (false refusals) and answerable questions whose
answer holds the key fact (`mairie eval`'s "fait clé"), from one `kb.ask` per question (extractive answers, as
`mairie eval`). `--out` writes one JSON line per question (found, the answer's first 700 characters) to compare
two runs.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from rag.evaluate import key_fact_in, load_gold
from rag.kb import KnowledgeBase
from rag.settings import Settings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("gold", type=Path, nargs="+")
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    kb = KnowledgeBase(Settings.from_env(store=args.store))
    rows = []
    for path in args.gold:
        for q in load_gold(path):
            answer = kb.ask(q.question)
            fact = None if q.absent else key_fact_in(answer.text, q.key_facts, q.key_facts_any)
            rows.append(
                {"set": path.stem, "id": q.id, "absent": q.absent, "found": answer.found, "key_fact": fact,
                 "question": q.question, "text": answer.text[:700]}
            )  # fmt: skip
    if args.out:
        args.out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    for name in dict.fromkeys(r["set"] for r in rows):
        group = [r for r in rows if r["set"] == name]
        absent = [r for r in group if r["absent"]]
        answerable = [r for r in group if not r["absent"]]
        print(
            f"{name}: absent refused {sum(not r['found'] for r in absent)}/{len(absent)}, "
            f"false refusals {sum(not r['found'] for r in answerable)}/{len(answerable)}, "
            f"key fact {sum(bool(r['key_fact']) for r in answerable)}/{len(answerable)}"
        )


if __name__ == "__main__":
    main()
