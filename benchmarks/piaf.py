"""Out-of-domain check: service-public.fr fiches (PIAF test set) and their questions.

Ingests each fiche as a document (chunked like any text), asks every question, and reports whether the
right fiche comes back, for BM25 alone, dense alone and the hybrid retriever.

    python benchmarks/piaf.py --store /tmp/piaf-store [--corpus ../shared/corpus] [--json]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from ingest.chunking import chunk_pages
from rag import schema
from rag.kb import KnowledgeBase
from rag.retrieve import HybridRetriever
from rag.schema import Document, Page
from rag.settings import Settings
from rag.store import doc_id_for

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"


def load_fiches(path: Path) -> tuple[list[Document], list[tuple[str, str]]]:
    """(documents, [(question, fiche source)]) from a SQuAD-format file."""
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    documents: list[Document] = []
    questions: list[tuple[str, str]] = []
    for fiche in data:
        source = f"service-public/{fiche['title']}"
        text = "\n\n".join(p["context"] for p in fiche["paragraphs"])
        doc_id = doc_id_for(source)
        meta = {
            schema.SOURCE: source,
            schema.DOC_ID: doc_id,
            schema.DOC_HASH: str(hash(text)),
            schema.KIND: schema.KIND_DOCUMENT,
            schema.TITLE: fiche["title"],
        }
        chunks = chunk_pages([Page(text, 1)], doc_id=doc_id, base_meta=meta, max_chars=1200)
        documents.append(Document(source, doc_id, str(len(text)), schema.KIND_DOCUMENT, fiche["title"], chunks))
        questions.extend((qa["question"], source) for p in fiche["paragraphs"] for qa in p["qas"])
    return documents, questions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    settings = Settings.from_env(store=args.store)
    kb = KnowledgeBase(settings)
    documents, questions = load_fiches(args.corpus / "benchmarks" / "piaf-service-public" / "filtered_spf_qr_test.json")
    known = {d.source: d.doc_hash for d in kb.store.documents()}
    todo = [d for d in documents if known.get(d.source) != d.doc_hash]
    started = time.perf_counter()
    for start in range(0, len(todo), 16):
        kb.store.write_documents(todo[start : start + 16])
        print(f"indexé {min(start + 16, len(todo))}/{len(todo)} fiches", flush=True)
    ingest_s = time.perf_counter() - started
    results = {}
    for mode in ("bm25", "dense", "hybrid"):
        retriever = HybridRetriever(store=kb.store, settings=settings, lexical=kb.lexical, mode=mode)
        ranks = []
        for question, source in questions:
            hits = retriever.retrieve(question, top_k=10)
            seen: list[str] = []
            for hit in hits:  # rank by fiche, not by chunk
                if hit.chunk.source not in seen:
                    seen.append(hit.chunk.source)
            ranks.append(seen.index(source) + 1 if source in seen else None)
        n = len(ranks)
        results[mode] = {
            "recall@1": round(sum(1 for r in ranks if r == 1) / n, 3),
            "recall@5": round(sum(1 for r in ranks if r is not None and r <= 5) / n, 3),
            "mrr@10": round(sum(1 / r for r in ranks if r is not None) / n, 3),
        }
    report = {
        "fiches": len(documents),
        "questions": len(questions),
        "chunks": sum(len(d.chunks) for d in documents),
        "ingest_seconds": round(ingest_s, 1),
        "results": results,
    }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"{report['fiches']} fiches ({report['chunks']} passages), {report['questions']} questions")
        for mode, m in results.items():
            print(f"{mode:7s} R@1 {m['recall@1']:.3f}  R@5 {m['recall@5']:.3f}  MRR@10 {m['mrr@10']:.3f}")


if __name__ == "__main__":
    main()
