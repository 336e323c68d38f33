"""Generated answers (a local LLM) against the extractive answer, on the same questions, in one run.

For each question both chains answer over the same store, the same retriever, the same refusal rule
and the same strict verifier (rag.verify); only the generator differs. Printed per mode: the key fact
rate (rag.evaluate: the gold's key_facts when it has them, else its `expected` fact), false refusals on
answerable questions, refusals on absent ones, unverified sentences in the text the user reads, the
model's sentences removed by verification, fallbacks to the extractive answer, latency p50 / p95.

    python benchmarks/llm_compare.py --store /tmp/demo-store \\
        --gguf ~/.cache/mairie-rag/models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf \\
        benchmarks/gold_demo.jsonl benchmarks/gold_demo_absent.jsonl --answerable 16 --absent 8

Generation on 2 busy cores is slow (20-60 s an answer): pick the counts so that a run stays under
~20 minutes. Questions are taken round-robin across kinds, in file order, so a subset is reproducible.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rag.chain import FALLBACK_MODE
from rag.evaluate import GoldQuestion, _fact_in, key_fact_in, load_gold, percentile
from rag.generators import ModelGenerator
from rag.kb import KnowledgeBase
from rag.llm import LocalGGUFChatModel
from rag.schema import Answer
from rag.settings import Settings
from rag.verify import STATUS_OK

MODES = ("extractive", "local")


@dataclass
class Tally:
    answerable: int = 0
    absent: int = 0
    with_fact: int = 0
    fact: int = 0
    fact_decisions: int = 0
    decisions: int = 0
    false_refusals: int = 0
    refused_absent: int = 0
    unverified_shown: int = 0
    removed: int = 0
    fallbacks: int = 0
    model_kept: int = 0
    seconds: list[float] = field(default_factory=list)


def pick(questions: list[GoldQuestion], count: int) -> list[GoldQuestion]:
    """`count` questions taken round-robin across kinds, each kind in file order."""
    by_kind: dict[str, list[GoldQuestion]] = defaultdict(list)
    for q in questions:
        by_kind[q.kind].append(q)
    picked: list[GoldQuestion] = []
    while len(picked) < count and any(by_kind.values()):
        for kind in list(by_kind):
            if by_kind[kind] and len(picked) < count:
                picked.append(by_kind[kind].pop(0))
    return picked


def has_fact(answer: Answer, gold: GoldQuestion) -> bool | None:
    found = key_fact_in(answer.text, gold.key_facts, gold.key_facts_any)
    return found if found is not None else _fact_in(answer.text, gold.expected)


def unverified_shown(answer: Answer) -> int:
    """Sentences the chain did not verify that still appear in the text the user reads."""
    return sum(1 for s in answer.sentences if s.status != STATUS_OK and s.text and s.text in answer.text)


def record(tally: Tally, gold: GoldQuestion, answer: Answer, seconds: float) -> dict[str, object]:
    tally.seconds.append(seconds)
    tally.unverified_shown += unverified_shown(answer)
    if answer.mode == FALLBACK_MODE:
        tally.fallbacks += 1
    elif answer.mode == "local":
        tally.model_kept += 1
    tally.removed += sum(1 for s in answer.sentences if s.status != STATUS_OK)
    fact = None
    if gold.absent:
        tally.absent += 1
        tally.refused_absent += not answer.found
    else:
        tally.answerable += 1
        tally.false_refusals += not answer.found
        fact = has_fact(answer, gold)
        if fact is not None:
            tally.with_fact += 1
            tally.fact += bool(fact)
            if "decision" in gold.kind or "deliberation" in gold.kind:
                tally.decisions += 1
                tally.fact_decisions += bool(fact)
    return {"mode": answer.mode, "found": answer.found, "fact": fact, "s": round(seconds, 2), "text": answer.text}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("gold", type=Path, nargs="+", help="gold JSONL files (answerable and absent questions)")
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--gguf", type=Path, required=True)
    parser.add_argument("--answerable", type=int, default=16)
    parser.add_argument("--absent", type=int, default=8)
    parser.add_argument("--max-tokens", type=int, default=160)
    parser.add_argument("--token-budget", type=int, default=1000)
    parser.add_argument("--n-ctx", type=int, default=2048)
    parser.add_argument("--json", type=Path, help="write every answer here")
    parser.add_argument("--deadline", type=float, default=1200, help="start no question after this many seconds")
    args = parser.parse_args()

    questions = [q for path in args.gold for q in load_gold(path)]
    # Absent questions first: most are refused before any generation, so they cost little.
    chosen = pick([q for q in questions if q.absent], args.absent)
    chosen += pick([q for q in questions if not q.absent], args.answerable)
    kb = KnowledgeBase(Settings.from_env(store=args.store))
    model = LocalGGUFChatModel(gguf_path=args.gguf, n_ctx=args.n_ctx, max_tokens=args.max_tokens, timeout_s=600)
    chains = {
        "extractive": kb.chain,
        "local": kb.answer_chain(ModelGenerator(name="local", model=model, token_budget=args.token_budget)),
    }
    chains["extractive"].invoke("Quel est le quorum du conseil municipal ?")  # load the indexes and the embedder
    model.base_url  # noqa: B018  # start the server before timing
    tallies = {mode: Tally() for mode in MODES}
    rows = []
    started = time.monotonic()
    for number, gold in enumerate(chosen, start=1):
        if time.monotonic() - started > args.deadline:
            print(f"Deadline reached: {number - 1} of {len(chosen)} questions answered.")
            break
        row: dict[str, object] = {"id": gold.id, "kind": gold.kind, "question": gold.question}
        for mode in MODES:
            t0 = time.perf_counter()
            answer = chains[mode].invoke(gold.question)
            row[mode] = record(tallies[mode], gold, answer, time.perf_counter() - t0)
        rows.append(row)
        ext, loc = row["extractive"], row["local"]
        print(
            f"[{number}/{len(chosen)} {time.monotonic() - started:5.0f}s] {gold.id:22s} "
            f"ext fact={ext['fact']!s:5s} {ext['s']:5.1f}s | local {loc['mode']:19s} fact={loc['fact']!s:5s} "  # type: ignore[index]
            f"{loc['s']:5.1f}s",  # type: ignore[index]
            flush=True,
        )
    model.close()
    print()
    print(
        "| mode | key fact | decisions | false refusals | absent refused | unverified shown | model sentences removed "
        "| fallbacks | model answers kept | p50 / p95 |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for mode, t in tallies.items():
        print(
            f"| {mode} | {t.fact}/{t.with_fact} | {t.fact_decisions}/{t.decisions} | {t.false_refusals}/{t.answerable} "
            f"| {t.refused_absent}/{t.absent} | {t.unverified_shown} | {t.removed if mode == 'local' else '-'} "
            f"| {t.fallbacks if mode == 'local' else '-'} | {t.model_kept if mode == 'local' else '-'} "
            f"| {percentile(t.seconds, 50):.1f} s / {percentile(t.seconds, 95):.1f} s |"
        )
    print(f"\n{len(rows)} questions, {args.gguf.name}, max_tokens={args.max_tokens}, budget={args.token_budget}")
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
