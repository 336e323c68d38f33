"""What a NEW question's extractive answer costs, in process: the answer step alone (retrieval done), with no
embedding cache, so every sentence it scores is embedded as for a question never asked.

Two arrangements alternate question by question in this process (the same retrieval for both):
- `complete`: every quotable sentence of the top passages embedded (the baseline: the answer before session 24
  also embedded a meeting's opening formulas that it would not quote);
- `lazy` (the product): those formulas embedded only when they may matter (rag.answer._sentence_cosines).
The answers must be identical; the script stops if one differs.

Usage: MAIRIE_STORE=<store> python benchmarks/answer_cost.py [gold.jsonl ...]
(default benchmarks/gold_demo.jsonl; a store built by `mairie demo` or a build_*_store.sh script)
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from rag.answer import ExtractiveAnswerer  # noqa: E402
from rag.embeddings import make_embedder  # noqa: E402
from rag.evaluate import load_gold  # noqa: E402
from rag.kb import KnowledgeBase  # noqa: E402
from rag.settings import Settings  # noqa: E402
from rag.store import ChromaStore  # noqa: E402


class _Counter:
    def __init__(self, inner: Any) -> None:
        self.inner, self.chars = inner, 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def embed_passages(self, texts: Any, **kwargs: Any) -> Any:
        self.chars += sum(len(t) for t in texts)
        return self.inner.embed_passages(texts, **kwargs)


def main(paths: list[Path]) -> None:
    settings = Settings.from_env()
    store = ChromaStore(settings=settings, embedder=make_embedder(settings.embeddings, cache_dir=None))
    counter = _Counter(store.embedder)
    store.embedder = counter  # type: ignore[assignment]
    kb = KnowledgeBase(settings, store=store)
    lazy_cosines = ExtractiveAnswerer._sentence_cosines

    def complete_cosines(self: Any, question: str, retrieval: Any, *, complete: bool = False) -> Any:
        return lazy_cosines(self, question, retrieval, complete=True)

    questions = [g.question for path in paths for g in load_gold(path)]
    kb.ask("échauffement")
    timings: dict[str, list[float]] = {"complete": [], "lazy": []}
    chars: dict[str, int] = {"complete": 0, "lazy": 0}
    for question in questions:
        texts = {}
        for name in ("complete", "lazy") if len(timings["lazy"]) % 2 else ("lazy", "complete"):
            ExtractiveAnswerer._sentence_cosines = complete_cosines if name == "complete" else lazy_cosines  # type: ignore[method-assign]
            retrieval = kb.retriever.run(question, top_k=settings.top_k)
            before = counter.chars
            started = time.perf_counter()
            answer = kb.answerer.answer_from(question, retrieval)
            timings[name].append((time.perf_counter() - started) * 1000)
            chars[name] += counter.chars - before
            texts[name] = (answer.text, answer.found)
        ExtractiveAnswerer._sentence_cosines = lazy_cosines  # type: ignore[method-assign]
        if texts["complete"] != texts["lazy"]:
            raise SystemExit(f"answers differ for {question!r}")
    print(f"{len(questions)} questions, answer step only, no embedding cache (store {settings.store})")
    for name in ("complete", "lazy"):
        values = sorted(timings[name])
        p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
        print(
            f"{name:9} p50 {statistics.median(values):7.1f} ms  p95 {p95:7.1f} ms  "
            f"characters embedded per question {chars[name] / len(questions):7.0f}"
        )
    ratio = statistics.median(timings["lazy"]) / statistics.median(timings["complete"])
    print(f"lazy / complete: p50 ratio {ratio:.3f}, characters ratio {chars['lazy'] / max(1, chars['complete']):.3f}")


if __name__ == "__main__":
    main([Path(a) for a in sys.argv[1:]] or [REPO / "benchmarks" / "gold_demo.jsonl"])
