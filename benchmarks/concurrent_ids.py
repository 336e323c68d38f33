"""Top-k ids of the gold questions searched by N concurrent threads, to compare with a sequential run.

    python benchmarks/concurrent_ids.py --root DIR --threads 16 --ids concurrent.json [--compare sequential.json]

`--root` is a store kept by `benchmarks/api_load.py --keep DIR`. The (space, question) pairs are those of
`benchmarks/search_profile.py --ids` (the gold questions, each asked in a space taken in turn), searched
through ui.api.SpaceBases and KnowledgeBase.search as GET /search does, by --threads threads at once, with
an empty query cache: every question is embedded by the model, and concurrent questions are embedded
together by the embedder's QueryBatcher (MAIRIE_QUERY_BATCH=false: each thread embeds its own). `--compare` counts the searches whose top-k differ from another
run's file (a sequential `search_profile.py --ids`, for instance) and exits 1 unless there are none. It also prints the wall time
and the process's CPU per search (copied into an older checkout's benchmarks/, it measures that version).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, required=True, help="a store kept by api_load.py --keep")
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--top-k", type=int, default=5)
    parser.add_argument("--ids", type=Path, required=True, help="write the top-k ids of every search here")
    parser.add_argument("--compare", type=Path, help="another run's --ids file: count the searches that differ")
    args = parser.parse_args()
    from api_load import kept_bases  # (benchmarks/ is on sys.path: the script's folder)
    from search_profile import questions  # the same questions as the profile

    spaces, bases = kept_bases(args.root)
    for space in spaces:  # opened first, as a warm server has them
        bases.of(space).search("conseil municipal", top_k=args.top_k)
    pairs = [(spaces[i % len(spaces)], q) for i, q in enumerate(questions())]
    ids: dict[str, list[str]] = {}
    lock = threading.Lock()
    position = [0]

    def worker() -> None:
        while True:
            with lock:
                if position[0] >= len(pairs):
                    return
                space, question = pairs[position[0]]
                position[0] += 1
            hits = bases.of(space).search(question, top_k=args.top_k)
            with lock:
                ids[f"{space}|{question}"] = [h.chunk.id for h in hits]

    batcher = getattr(bases.root.embedder, "query_batcher", None)
    calls_before = batcher.calls if batcher else 0
    texts_before = batcher.texts if batcher else 0
    started, cpu = time.perf_counter(), time.process_time()
    threads = [threading.Thread(target=worker) for _ in range(args.threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"{len(ids)} searches by {args.threads} threads in {wall:.1f} s, {cpu / len(ids) * 1000:.1f} ms of CPU a search "
        f"(this process); load average {os.getloadavg()[0]:.1f}"
    )
    if batcher is not None:
        calls, texts = batcher.calls - calls_before, batcher.texts - texts_before
        print(f"model calls for the questions: {calls} for {texts} questions ({texts / max(1, calls):.2f} a call)")
    args.ids.write_text(json.dumps(ids, ensure_ascii=False, indent=0), encoding="utf-8")
    if args.compare:
        other = json.loads(args.compare.read_text(encoding="utf-8"))
        common = sorted(set(other) & set(ids))
        differ = [k for k in common if other[k] != ids[k]]
        print(f"compared with {args.compare}: {len(common)} searches in both, {len(differ)} with other top-k ids")
        for key in differ[:10]:
            print(f"  {key}: {other[key]} -> {ids[key]}")
        if differ or len(common) != len(ids):  # the same searches, the same top-k: anything else fails
            sys.exit(1)


if __name__ == "__main__":
    main()
