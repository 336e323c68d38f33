"""hit@1/5/10 and MRR of the Service-Public gold (benchmarks/gold_service_public.jsonl) over the whole law.

    # BM25 over the passages the loaders cut from the sources (no store, no embedding):
    python benchmarks/service_public_eval.py --split dev
    # BM25 and hybrid over a built store of the whole legal corpus (open a copy, never the lead's store):
    python benchmarks/service_public_eval.py --split dev --store /tmp/law-store --cache /tmp/law-cache

An article hit is any expected article of the right code in the top k (rag.evaluate, `gold_refs`). The
test split is measured once, at the end: tune on dev only.
"""

from __future__ import annotations

import argparse
import hashlib
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ingest import detect
from ingest.base import SourceMeta
from ingest.loaders import LOADERS
from rag.evaluate import QuestionResult, evaluate, load_gold, summarize
from rag.lexical import LexicalIndex
from rag.retrieve import HybridRetriever
from rag.schema import Chunk
from rag.settings import Settings
from rag.store import DocumentInfo

GOLD = Path(__file__).with_name("gold_service_public.jsonl")
CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "legal"


class LoadedPassages:
    """The passages the loaders cut from the legal sources, held in memory: what LexicalIndex and
    HybridRetriever(mode="bm25") read from a store, without Chroma or vectors."""

    def __init__(self, roots: tuple[Path, ...], settings: Settings) -> None:
        self.settings = settings
        self._chunks: dict[str, Chunk] = {}
        self._docs: list[DocumentInfo] = []
        for root in roots:
            for path in sorted(p for p in root.rglob("*") if p.is_file()):
                kind = detect.detect_type(path)
                loader = LOADERS.get(kind)
                if loader is None or kind == detect.MARKDOWN:  # READMEs of the tree: headings only
                    continue
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                source = str(path.relative_to(root.parent))
                for document in loader.load(path, meta=SourceMeta(source, digest, settings)).documents:
                    self._docs.append(
                        DocumentInfo(
                            document.doc_id, document.source, document.doc_hash, document.kind, "", 0, "", 0, {}
                        )
                    )
                    self._chunks.update({c.id: c for c in document.chunks})

    def documents(self) -> list[DocumentInfo]:
        return self._docs

    def generation(self) -> str:
        return "loaded"

    def iter_chunks(self) -> Iterator[Chunk]:
        return iter(self._chunks.values())

    def get_chunks(self, ids: list[str]) -> list[Chunk]:
        return [self._chunks[i] for i in ids if i in self._chunks]

    def find(self, where: dict[str, Any], *, limit: int | None = None) -> list[Chunk]:
        return []  # exact lookups by article number: the gold questions name no article


def table_row(label: str, results: list[QuestionResult]) -> str:
    m = summarize(results)["overall"]
    return (
        f"{label:28s} {m['questions']:>4d} {m['recall@1_doc']:>7.3f} {m['recall@5_doc']:>7.3f} "
        f"{m['recall@10_doc']:>7.3f} {m['mrr@10_doc']:>7.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "test", "all"), default="dev")
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--store", type=Path, help="a store of the whole law (a copy): adds the hybrid mode")
    parser.add_argument("--cache", type=Path, help="its embedding cache (MAIRIE_CACHE_DIR)")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="legal sources (without --store)")
    parser.add_argument("--details", action="store_true", help="each question's rank and top 5")
    args = parser.parse_args()
    questions = [q for q in load_gold(args.gold) if args.split == "all" or q.split == args.split]
    runs: list[tuple[str, HybridRetriever]] = []
    started = time.perf_counter()
    if args.store:
        from rag.kb import KnowledgeBase

        overrides: dict[str, Any] = {"store": args.store}
        if args.cache:
            overrides["cache_dir"] = args.cache
        settings = Settings.from_env(**overrides)
        kb = KnowledgeBase(settings)
        for mode in ("bm25", "hybrid"):
            runs.append(
                (f"{mode} (store)", HybridRetriever(store=kb.store, settings=settings, lexical=kb.lexical, mode=mode))
            )
    else:
        settings = Settings()
        passages = LoadedPassages((args.corpus / "cgct-markdown", args.corpus / "crpa-legi-data"), settings)
        index = LexicalIndex(store=passages, directory=Path(tempfile.mkdtemp()) / "lexical")  # type: ignore[arg-type]
        index.ensure_fresh()
        retriever = HybridRetriever(store=passages, settings=settings, lexical=index, mode="bm25")  # type: ignore[arg-type]
        runs.append(("bm25 (loaded passages)", retriever))
    print(f"# {len(questions)} questions ({args.split}), ready in {time.perf_counter() - started:.0f} s")
    print(f"{'mode':28s} {'n':>4s} {'hit@1':>7s} {'hit@5':>7s} {'hit@10':>7s} {'MRR':>7s}")
    for label, retriever in runs:
        results = evaluate(questions, search=lambda q, r=retriever: r.retrieve(q, top_k=10))
        print(table_row(label, results))
        if args.details:
            for gold, result in zip(questions, results, strict=True):
                print(f"  {result.rank_doc!s:>4} {gold.id:10s} {gold.question[:60]:60s} {result.top}")


if __name__ == "__main__":
    main()
