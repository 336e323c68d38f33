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
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rag import maintenance, schema
from rag.errors import StoreError
from rag.lexical import LexicalIndex
from rag.retrieve import HybridRetriever
from rag.schema import Answer, Filters, ScoredChunk
from rag.scope import Scoper
from rag.settings import Settings
from rag.store import ChromaStore, DocumentInfo, WriteLock

if TYPE_CHECKING:  # the answer side is imported when first used: `mairie search` never loads it
    from rag.answer import ExtractiveAnswerer
    from rag.chain import AnswerChain
    from rag.generators import Generator
    from rag.legal import LegalIndex
    from rag.verify import Verifier

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
    """Facade used by the CLI and the Streamlit app alike.

    It serves the caller's `spaces` (default: `settings.space`) plus the shared law: every read goes
    through a store bound to them (rag.spaces), so no filter reaches another space.
    """

    def __init__(
        self, settings: Settings, *, store: ChromaStore | None = None, spaces: Sequence[str] | None = None
    ) -> None:
        self.settings = settings
        self._store = store
        self._spaces = spaces

    @functools.cached_property
    def store(self) -> ChromaStore:
        return self._store or ChromaStore(settings=self.settings, spaces=self._spaces)

    @functools.cached_property
    def lexical(self) -> LexicalIndex:
        return LexicalIndex(store=self.store)

    @functools.cached_property
    def retriever(self) -> HybridRetriever:
        return HybridRetriever(store=self.store, settings=self.settings, lexical=self.lexical)

    @functools.cached_property
    def answerer(self) -> ExtractiveAnswerer:
        from rag.answer import ExtractiveAnswerer

        return ExtractiveAnswerer(retriever=self.retriever, settings=self.settings)

    def search(self, question: str, *, top_k: int | None = None, filters: Filters | None = None) -> list[ScoredChunk]:
        return self.retriever.retrieve(question, top_k=top_k or self.settings.top_k, filters=filters)

    @functools.cached_property
    def legal(self) -> LegalIndex:
        from rag.legal import LegalIndex

        return LegalIndex(store=self.store)

    @functools.cached_property
    def scoper(self) -> Scoper:
        return Scoper(store=self.store, lexical=self.lexical)

    @functools.cached_property
    def verifier(self) -> Verifier:
        from rag.verify import Verifier

        return Verifier(store=self.store, strict=True)

    @functools.cached_property
    def chain(self) -> AnswerChain:
        """The answer chain with the generator named by MAIRIE_LLM."""
        from rag.generators import make_generator

        return self.answer_chain(make_generator(self.settings, self.answerer))

    def answer_chain(self, generator: Generator) -> AnswerChain:
        """An answer chain over this knowledge base with the given generator."""
        from rag.chain import AnswerChain

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
        (metadata schema.PATH); a key ending with `target` ("PV_CM_2020-07-23.pdf"). Only documents of the
        spaces this knowledge base writes into (its own and the law) are found.
        """
        source = target.rstrip("/")
        docs = self.store.documents(include_incomplete=True, spaces=self.store.writable)
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
            reports, removed = [], []
            for info in self.find_documents(source):
                texts = self.store.chunk_texts(info.doc_id)
                count = self.store.remove_document(info.doc_id)
                reports.append(RemovalReport(info.source, count))
                # Digests of short extracts, never the text: `verify` looks for them in the raw files.
                probes = sorted({p for t in texts for p in maintenance.passage_probes(t)})
                self.audit("remove", who=who, source=info.source, chunks=count, probes=probes)
                removed.extend(texts)
            if reports:
                self.lexical.ensure_fresh()
                try:
                    self.purge(removed)
                except StoreError as e:  # the documents are gone for readers; the copies on disk wait
                    logger.warning("%s (purge: `mairie verify --purge`)", e)
            return reports

    def purge(self, removed_texts: list[str]) -> None:
        """Erase removed passages for good: Chroma's log and free pages, and their cached vectors (unless
        another stored passage has the same text). Call with the write lock held."""
        gone = sorted(set(removed_texts) - self.store.texts_present(removed_texts))
        self.store.embedder.forget_passages(gone)
        maintenance.forget_derived_text(self.settings, gone)
        maintenance.scrub_chroma(self.settings)
        maintenance.scrub_hnsw(self.settings)

    def removal_proof(self) -> tuple[int, list[str]]:
        """(extracts of removed passages looked for, files where some were found) in the store folder and
        the embedding cache, raw bytes. Extracts that a stored passage also has are not looked for."""
        probes: set[str] = set()
        for entry in self._audit_entries("remove"):
            probes.update(str(p) for p in entry.get("probes", []))
        if not probes:
            return 0, []
        # The files hold every space: what another space still stores is not a leftover.
        whole = ChromaStore(
            settings=self.settings,
            embedder=self.store.embedder,
            client=self.store.client,
            spaces=self.store.all_spaces(),
        )
        current = [c.text for c in whole.iter_chunks()]
        current += [json.dumps(c, ensure_ascii=False) for c in whole.chunks_all_meta()]
        current += [json.dumps([d.source, d.title, d.meta], ensure_ascii=False) for d in whole.documents()]
        probes -= maintenance.probes_in(current)
        hits = maintenance.scan_for_probes(maintenance.store_files(self.settings), probes)
        return len(probes), [
            f"texte de document supprimé encore présent dans {p} ({n} extrait(s))" for p, n in hits.items()
        ]

    def _audit_entries(self, action: str) -> list[dict[str, Any]]:
        path = self.settings.store / "audit.log"
        if not path.exists():
            return []
        entries = []
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if isinstance(entry, dict) and entry.get("action") == action:
                entries.append(entry)
        return entries

    def audit(self, action: str, **fields: Any) -> None:
        self.settings.store.mkdir(parents=True, exist_ok=True)
        line = {"at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "action": action, "space": self.store.space, **fields}
        with (self.settings.store / "audit.log").open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")

    def verify(self, *, removed_sources: list[str] | None = None, check_removed: bool = True) -> list[str]:
        """Consistency problems between Chroma and the derived indexes, a damaged database, text of removed
        documents left on disk (empty list = consistent)."""
        problems = self.lexical.verify_against_store()
        if not self.settings.chroma_url:
            damage = maintenance.sqlite_problem(maintenance.chroma_file(self.settings))
            problems += [f"base endommagée : {damage}"] if damage else []
        if check_removed:
            problems += self.removal_proof()[1]
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
