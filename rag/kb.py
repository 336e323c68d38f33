"""The knowledge base as one object: store, lexical index, retriever, answerer and answer chain, built lazily.

Example (needs a live store)::

    kb = KnowledgeBase(Settings.from_env())
    kb.search("tarifs de la cantine")[0].chunk.source
"""

from __future__ import annotations

import functools
import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rag import schema
from rag.answer import ExtractiveAnswerer
from rag.chain import AnswerChain
from rag.generators import Generator, make_generator
from rag.lexical import LexicalIndex
from rag.retrieve import HybridRetriever
from rag.schema import Answer, Filters, ScoredChunk
from rag.scope import Scoper
from rag.settings import Settings
from rag.store import ChromaStore, DocumentInfo, WriteLock
from rag.verify import Verifier

if TYPE_CHECKING:
    from rag.legal import LegalIndex

logger = logging.getLogger(__name__)


def _under_path(docs: list[DocumentInfo], target: str) -> list[DocumentInfo]:
    """Documents whose stored absolute path is the file `target` or lies in the folder `target`."""
    if not target.strip():
        return []
    try:
        wanted = Path(target).expanduser().resolve()
    except (OSError, RuntimeError):  # a symlink loop, an unreadable folder
        return []
    found = []
    for doc in docs:
        stored = str(doc.meta.get(schema.PATH, ""))
        if stored and (Path(stored) == wanted or Path(stored).is_relative_to(wanted)):
            found.append(doc)
    return found


@dataclass(frozen=True, slots=True)
class RemovalReport:
    source: str
    chunks: int


class KnowledgeBase:
    """Facade used by the CLI and the Streamlit app alike."""

    def __init__(self, settings: Settings, *, store: ChromaStore | None = None) -> None:
        self.settings = settings
        self._store = store

    @functools.cached_property
    def store(self) -> ChromaStore:
        return self._store or ChromaStore(settings=self.settings)

    @functools.cached_property
    def lexical(self) -> LexicalIndex:
        return LexicalIndex(store=self.store)

    @functools.cached_property
    def retriever(self) -> HybridRetriever:
        return HybridRetriever(store=self.store, settings=self.settings, lexical=self.lexical)

    @functools.cached_property
    def answerer(self) -> ExtractiveAnswerer:
        return ExtractiveAnswerer(retriever=self.retriever, settings=self.settings)

    def search(self, question: str, *, top_k: int | None = None, filters: Filters | None = None) -> list[ScoredChunk]:
        return self.retriever.retrieve(question, top_k=top_k or self.settings.top_k, filters=filters)

    @functools.cached_property
    def legal(self) -> LegalIndex:
        from rag.legal import LegalIndex

        return LegalIndex(store=self.store)

    @functools.cached_property
    def scoper(self) -> Scoper:
        return Scoper(store=self.store)

    @functools.cached_property
    def verifier(self) -> Verifier:
        return Verifier(store=self.store, strict=True)

    @functools.cached_property
    def chain(self) -> AnswerChain:
        """The answer chain with the generator named by MAIRIE_LLM."""
        return self.answer_chain(make_generator(self.settings, self.answerer))

    def answer_chain(self, generator: Generator) -> AnswerChain:
        """An answer chain over this knowledge base with the given generator."""
        return AnswerChain(
            retriever=self.retriever,
            answerer=self.answerer,
            generator=generator,
            verifier=self.verifier,
            top_k=self.settings.top_k,
            scoper=self.scoper,
        )

    def ask(self, question: str, *, filters: Filters | None = None, top_k: int | None = None) -> Answer:
        return self.chain.invoke(question, filters=filters, top_k=top_k)

    def documents(self) -> list[DocumentInfo]:
        return self.store.documents()

    def find_documents(self, target: str) -> list[DocumentInfo]:
        """Documents named by `target`, as a user gives it, tried in this order:

        the stored source key, or a folder of keys ("deliberations"); the file or folder on disk (absolute, or
        relative to the current directory) matched against the absolute path stored at ingestion
        (metadata schema.PATH); a key ending with `target` ("PV_CM_2020-07-23.pdf").
        """
        source = target.rstrip("/")
        docs = self.store.documents(include_incomplete=True)
        exact = [d for d in docs if d.source == source]
        if exact:
            return exact
        under = [d for d in docs if d.source.startswith((source + "/", source + "#"))]
        if under:
            return under
        on_disk = _under_path(docs, target)
        if on_disk:
            return on_disk
        return [d for d in docs if d.source.endswith("/" + source)]

    def remove(self, source: str, *, who: str = "cli") -> list[RemovalReport]:
        """Delete documents everywhere (Chroma, lexical index) and write an audit line per document."""
        with WriteLock(self.settings):
            reports = []
            for info in self.find_documents(source):
                count = self.store.remove_document(info.doc_id)
                reports.append(RemovalReport(info.source, count))
                self.audit("remove", who=who, source=info.source, chunks=count)
            if reports:
                self.lexical.ensure_fresh()
            return reports

    def audit(self, action: str, **fields: Any) -> None:
        self.settings.store.mkdir(parents=True, exist_ok=True)
        line = {"at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "action": action, **fields}
        with (self.settings.store / "audit.log").open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")

    def verify(self, *, removed_sources: list[str] | None = None) -> list[str]:
        """Consistency problems between Chroma and the derived indexes (empty list = consistent)."""
        problems = self.lexical.verify_against_store()
        docs = {d.doc_id: d for d in self.store.documents(include_incomplete=True)}
        counts: dict[str, int] = {}
        for chunk in self.store.chunks_all_meta():
            doc_id = chunk.get("doc_id", "")
            counts[doc_id] = counts.get(doc_id, 0) + 1
        for doc_id, count in counts.items():
            if doc_id not in docs:
                problems.append(f"passages orphelins ({count}) d'un document absent du registre : {doc_id}")
        for doc_id, info in docs.items():
            if info.status != "complete":
                problems.append(f"document incomplet (indexation interrompue) : {info.source}")
            elif counts.get(doc_id, 0) != info.chunks:
                problems.append(f"{info.source} : {counts.get(doc_id, 0)} passages dans Chroma, {info.chunks} attendus")
        for source in removed_sources or []:
            if any(d.source == source for d in docs.values()):
                problems.append(f"document supprimé encore présent : {source}")
        return problems
