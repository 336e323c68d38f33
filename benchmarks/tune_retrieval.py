"""Grid over the fusion parameters on a gold set; prints recall/MRR per setting (retrieval only).

python benchmarks/tune_retrieval.py benchmarks/gold_demo.jsonl --store /tmp/kb
"""

from __future__ import annotations

import argparse
import itertools
import json
from pathlib import Path

from rag.evaluate import evaluate, load_gold, summarize
from rag.kb import KnowledgeBase
from rag.retrieve import HybridRetriever
from rag.settings import Settings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("gold", type=Path)
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--full-grid", action="store_true")
    args = parser.parse_args()
    base = Settings.from_env(store=args.store)
    kb = KnowledgeBase(base)
    questions = [q for q in load_gold(args.gold) if not q.absent]
    rows = []
    for mode in ("bm25", "dense", "hybrid"):
        retriever = HybridRetriever(store=kb.store, settings=base, lexical=kb.lexical, mode=mode)
        m = summarize(evaluate(questions, search=lambda q, r=retriever: r.retrieve(q, top_k=10)))["overall"]
        rows.append((mode, "default", m))
    grid = itertools.product((10, 20, 60), (0.5, 0.8, 1.0, 1.5), (0.3, 0.5, 1.0)) if args.full_grid else []
    for rrf_k, dense_w, penalty in grid:
        s = base.replace(rrf_k=rrf_k, dense_weight=dense_w, special_regime_penalty=penalty)
        retriever = HybridRetriever(store=kb.store, settings=s, lexical=kb.lexical)
        m = summarize(evaluate(questions, search=lambda q, r=retriever: r.retrieve(q, top_k=10)))["overall"]
        rows.append(("hybrid", f"k={rrf_k} wd={dense_w} pen={penalty}", m))
    for mode, label, m in rows:
        print(
            f"{mode:7s} {label:28s} R@1 {m['recall@1_doc']:.3f} R@5 {m['recall@5_doc']:.3f} "
            f"R@10 {m['recall@10_doc']:.3f} MRR {m['mrr@10_doc']:.3f} | page R@5 {m['recall@5_page']:.3f}"
        )
    print(json.dumps({"questions": len(questions)}))


if __name__ == "__main__":
    main()
