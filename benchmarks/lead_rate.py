"""Key fact in the whole answer and in its opening (the text before the quoted evidence), per question set.

`mairie eval` scores the whole answer; issue 15 asks that the FIRST sentences state the fact. This script
asks every answerable question of a gold file against the store of MAIRIE_STORE and prints both rates
(a refused question counts as a miss for both). With --details, the questions whose answer holds the key
fact but whose opening does not.

    MAIRIE_STORE=/tmp/fresh-store python benchmarks/lead_rate.py benchmarks/gold_decisions_fresh.jsonl
"""

from __future__ import annotations

import sys
from pathlib import Path

from rag.evaluate import key_fact_in, load_gold
from rag.kb import KnowledgeBase
from rag.settings import Settings

INTRO = "Voici ce que disent les documents indexés :"


def main(argv: list[str]) -> int:
    details = "--details" in argv
    paths = [a for a in argv if not a.startswith("--")]
    if len(paths) != 1:
        print(__doc__)
        return 2
    kb = KnowledgeBase(Settings.from_env())
    n = in_answer = in_lead = 0
    for gold in load_gold(Path(paths[0])):
        if gold.absent or not (gold.key_facts or gold.key_facts_any):
            continue
        answer = kb.ask(gold.question)
        lead = answer.text.split(INTRO)[0] if answer.found else ""
        whole = bool(answer.found and key_fact_in(answer.text, gold.key_facts, gold.key_facts_any))
        first = bool(key_fact_in(lead, gold.key_facts, gold.key_facts_any))
        n += 1
        in_answer += whole
        in_lead += first
        if details and whole and not first:
            print(f"{gold.id}: {gold.question}\n{answer.text[:800]}\n")
    if n:
        print(f"questions={n} key_fact_in_answer={in_answer / n:.3f} key_fact_in_opening={in_lead / n:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
