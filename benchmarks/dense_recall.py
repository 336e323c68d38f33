"""How often Chroma's approximate index (HNSW) misses the nearest passages of a question, against the exact ranking
the store computes in memory (rag.store.ChromaStore._whole, for spaces up to EXACT_SEARCH_LIMIT passages).

For each question of the gold files and each space of the store: the exact top 10 by cosine (numpy, every vector of
the space) against Chroma's answer for the same query vector asked with the search's own size (2k + 10 results,
k = rag.tuning.CANDIDATES). A passage Chroma returns counts as found when its cosine reaches the exact 10th (ties
between identical passages count). Prints recall@10, how often Chroma's first passage is not the nearest, and the
time of both rankings per query, in this process, one after the other (the ratio is exact / Chroma).

Usage: MAIRIE_STORE=<store> python benchmarks/dense_recall.py [gold.jsonl ...]
(default: every benchmarks/gold_decisions_*.jsonl and benchmarks/gold.jsonl; a store built by build_full_store.sh)
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from rag import tuning  # noqa: E402
from rag.kb import KnowledgeBase  # noqa: E402
from rag.settings import Settings  # noqa: E402
from rag.store import _Whole  # noqa: E402

TOP = 10


def main(paths: list[Path]) -> None:
    questions = [
        json.loads(line)["question"] for path in paths for line in path.read_text(encoding="utf-8").splitlines()
    ]
    kb = KnowledgeBase(Settings.from_env())
    store = kb.store
    vectors = store.embedder.embed_queries(questions)
    n_results = tuning.CANDIDATES * 2 + 10
    print(f"{len(questions)} questions, {n_results} results asked of Chroma per space")
    for space in store.spaces:
        part = store._part(space)
        got = part.chunks.get(include=["embeddings"])
        ids = list(got["ids"])
        if not ids:
            continue
        whole = _Whole(ids, np.asarray(got["embeddings"], dtype=np.float32).reshape(len(ids), -1))
        position = {chunk_id: i for i, chunk_id in enumerate(ids)}
        found = first_missed = 0
        exact_ms: list[float] = []
        chroma_ms: list[float] = []
        for vector in vectors:
            started = time.perf_counter()
            nearest, _ = whole.nearest(vector, n_results)
            exact_ms.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            res = part.chunks.query(query_embeddings=[vector.tolist()], n_results=n_results, include=["distances"])
            chroma_ms.append((time.perf_counter() - started) * 1000)
            cosines = whole.vectors @ (vector / np.linalg.norm(vector))
            tenth = np.sort(cosines)[-min(TOP, len(ids))]
            returned = [cosines[position[i]] for i in res["ids"][0][:TOP]]
            found += sum(1 for c in returned if c >= tenth - 1e-6)
            first_missed += int(returned[0] < cosines[position[nearest[0]]] - 1e-6)
        total = len(vectors) * min(TOP, len(ids))
        exact, chroma = statistics.median(exact_ms), statistics.median(chroma_ms)
        print(
            f"space {space}: {len(ids)} passages; Chroma recall@{TOP} {found / total:.3f}, nearest passage missed "
            f"{first_missed}/{len(vectors)}; per query exact {exact:.2f} ms, Chroma {chroma:.2f} ms "
            f"(ratio {exact / chroma:.2f})"
        )


if __name__ == "__main__":
    args = [Path(a) for a in sys.argv[1:]]
    main(args or sorted((REPO / "benchmarks").glob("gold_decisions_*.jsonl")) + [REPO / "benchmarks" / "gold.jsonl"])
