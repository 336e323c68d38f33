"""The Chroma store: the source of truth for chunks, their metadata and the list of documents.

The only module that imports chromadb. Embedded (`PersistentClient`) by default, client/server when
`chroma_url` is set. Two collections:

- `<name>`: the chunks, with their embeddings and flat metadata;
- `<name>_documents`: one manifest record per document (source, hash, chunk count, status).

A document is written as "writing" first, then its chunks, then marked "complete": readers only see
chunks of complete documents, so a crash mid-way never shows half a document, and the next ingestion
cleans what was left behind.
"""

from __future__ import annotations

import hashlib
import logging
import time
import uuid
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

import numpy as np

from rag import maintenance, schema
from rag.embeddings import CachedEmbedder, make_embedder
from rag.errors import StoreError
from rag.french import fold
from rag.lock import WriteLock as WriteLock  # re-exported: writers import it with the store
from rag.schema import Chunk, Filters
from rag.settings import Settings

logger = logging.getLogger(__name__)

STATUS_WRITING = "writing"
STATUS_COMPLETE = "complete"
GENERATION_ID = "__generation__"
WRITE_BATCH = 256
READ_PAGE = 2000


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """One entry of the documents manifest."""

    doc_id: str
    source: str
    doc_hash: str
    kind: str
    title: str
    chunks: int
    status: str
    indexed_at: float
    meta: dict[str, Any]

    @property
    def coverage(self) -> float | None:
        """Share of the document's extracted text found in its passages (None when not measured)."""
        value = self.meta.get(schema.COVERAGE)
        return float(value) if isinstance(value, (int, float)) else None


def doc_id_for(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:24]


def _chroma_settings() -> Any:
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False, allow_reset=False)


def _make_client(settings: Settings) -> Any:
    import chromadb

    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        if not url.hostname:
            raise StoreError(f"MAIRIE_CHROMA_URL invalide : {settings.chroma_url!r} (ex. http://127.0.0.1:8000).")
        try:
            client = chromadb.HttpClient(
                host=url.hostname,
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=_chroma_settings(),
            )
            client.heartbeat()
        except Exception as e:
            raise StoreError(
                f"Le serveur Chroma {settings.chroma_url} ne répond pas ({e}). "
                "Démarrez-le (`chroma run --host 127.0.0.1 --port 8000`) ou videz MAIRIE_CHROMA_URL."
            ) from e
        return client
    settings.store.mkdir(parents=True, exist_ok=True)
    return maintenance.open_embedded(
        settings, lambda path: chromadb.PersistentClient(path=path, settings=_chroma_settings())
    )


def filters_to_where(filters: Filters | None) -> dict[str, Any] | None:
    """Translate Filters into a Chroma `where` clause (None when there is nothing to filter)."""
    if filters is None:
        return None
    clauses: list[dict[str, Any]] = []
    if filters.kind:
        clauses.append({schema.KIND: filters.kind})
    if filters.commune:
        clauses.append({schema.COMMUNE_KEY: normalize_key(filters.commune)})
    if filters.since:
        clauses.append({schema.DATE_INT: {"$gte": date_to_int(filters.since)}})
    if filters.until:
        clauses.append({schema.DATE_INT: {"$lte": date_to_int(filters.until)}})
    if filters.matiere:
        key = schema.MATIERE if "." in filters.matiere else schema.MATIERE_L1
        clauses.append({key: filters.matiere})
    if filters.outcome:
        clauses.append({schema.OUTCOME: filters.outcome})
    if filters.not_unanimous:
        clauses.append({schema.UNANIMOUS: False})
    if filters.source:
        clauses.append({schema.SOURCE: filters.source})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def matches_filters(meta: dict[str, Any], filters: Filters | None) -> bool:
    """The same predicate as filters_to_where, evaluated in Python (for the lexical channel)."""
    if filters is None:
        return True
    if filters.kind and meta.get(schema.KIND) != filters.kind:
        return False
    if filters.commune and meta.get(schema.COMMUNE_KEY) != normalize_key(filters.commune):
        return False
    date_int = int(meta.get(schema.DATE_INT) or 0)
    if filters.since and date_int < date_to_int(filters.since):
        return False
    if filters.until and (not date_int or date_int > date_to_int(filters.until)):
        return False
    if filters.matiere:
        key = schema.MATIERE if "." in filters.matiere else schema.MATIERE_L1
        if meta.get(key) != filters.matiere:
            return False
    if filters.outcome and meta.get(schema.OUTCOME) != filters.outcome:
        return False
    if filters.not_unanimous and meta.get(schema.UNANIMOUS) is not False:
        return False
    return not (filters.source and meta.get(schema.SOURCE) != filters.source)


def normalize_key(value: str) -> str:
    folded = fold(value)
    return "-".join(part for part in "".join(c if c.isalnum() else " " for c in folded).split())


def date_to_int(iso: str) -> int:
    digits = iso.replace("-", "")[:8]
    if len(digits) == 4:
        digits += "0101"
    if not digits.isdigit() or len(digits) != 8:
        raise StoreError(f"Date invalide : {iso!r} (format attendu AAAA-MM-JJ).")
    return int(digits)


class ChromaStore:
    """Chunks and documents in Chroma; the only gateway to chromadb.

    >>> from pathlib import Path
    >>> store = ChromaStore(settings=Settings(store=Path("/tmp/kb")))
    >>> store.count()
    0
    """

    def __init__(self, *, settings: Settings, embedder: CachedEmbedder | None = None, client: Any = None) -> None:
        self.settings = settings
        self.embedder = embedder or make_embedder(settings.embeddings, cache_dir=settings.cache_dir)
        self._client = client
        self._chunks: Any = None
        self._docs: Any = None
        self._complete_cache: tuple[str, set[str]] | None = None
        self._dim_cache: int | None = None

    # --- opening -----------------------------------------------------------------------------------
    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = _make_client(self.settings)
        return self._client

    @property
    def chunks(self) -> Any:
        if self._chunks is None:
            self._open()
        return self._chunks

    @property
    def docs(self) -> Any:
        if self._docs is None:
            self._open()
        return self._docs

    def _open(self) -> None:
        # The store always passes vectors (queries and passages are embedded by self.embedder), so the
        # collections carry no embedding function and Chroma never loads a model of its own.
        name = self.settings.collection
        # Stores written by older versions persisted a "mairie" embedding function, no longer registered:
        # Chroma warns (in English) each time it reads that configuration, and then ignores it, as we do.
        warnings.filterwarnings("ignore", message="Could not reconstruct embedding function mairie")
        try:
            chunks = self.client.get_or_create_collection(
                name,
                embedding_function=None,
                metadata={"embedder": self.embedder.name, "hnsw:space": "cosine"},
            )
            docs = self.client.get_or_create_collection(
                f"{name}_documents", embedding_function=None, metadata={"embedder": self.embedder.name}
            )
        except StoreError:
            raise
        except Exception as e:
            raise StoreError(f"Impossible d'ouvrir la collection Chroma {name!r} : {e}") from e
        expected = 0 if self.settings.chroma_url else maintenance.expected_documents(self.settings)
        if expected and docs.count() == 0:
            raise maintenance.emptied_store_error(self.settings, expected)
        recorded = (chunks.metadata or {}).get("embedder")
        if recorded and recorded != self.embedder.name:
            raise StoreError(
                f"Ce magasin ({self.location}) a été indexé avec le modèle {recorded!r}, "
                f"pas avec {self.embedder.name!r}. Reprenez MAIRIE_EMBEDDINGS d'origine, ou indexez "
                "dans un autre dossier (--store) / une autre collection (MAIRIE_COLLECTION)."
            )
        self._chunks, self._docs = chunks, docs

    @property
    def location(self) -> str:
        return self.settings.chroma_url or str(self.settings.store)

    # --- documents manifest ------------------------------------------------------------------------
    def documents(self, *, include_incomplete: bool = False) -> list[DocumentInfo]:
        infos: list[DocumentInfo] = []
        for ids, metas, _ in self._iterate(self.docs, include=["metadatas"]):
            for doc_id, meta in zip(ids, metas, strict=True):
                if doc_id == GENERATION_ID:
                    continue
                info = _doc_info(doc_id, meta or {})
                if include_incomplete or info.status == STATUS_COMPLETE:
                    infos.append(info)
        return sorted(infos, key=lambda d: d.source)

    def document(self, doc_id: str) -> DocumentInfo | None:
        got = self.docs.get(ids=[doc_id], include=["metadatas"])
        if not got["ids"]:
            return None
        return _doc_info(doc_id, got["metadatas"][0] or {})

    def generation(self) -> str:
        got = self.docs.get(ids=[GENERATION_ID], include=["metadatas"])
        if not got["ids"]:
            return ""
        return str((got["metadatas"][0] or {}).get("value", ""))

    def _bump_generation(self) -> None:
        self.docs.upsert(
            ids=[GENERATION_ID],
            documents=[GENERATION_ID],
            embeddings=[[1.0] * self._dim()],
            metadatas=[{"value": uuid.uuid4().hex, "at": time.time()}],
        )
        if not self.settings.chroma_url:
            maintenance.write_state(self.settings, documents=self.docs.count() - 1, chunks=self.chunks.count())

    def _dim(self) -> int:
        """Dimension of the manifest's placeholder vectors (the manifest is never searched by meaning)."""
        if self._dim_cache is None:
            self._dim_cache = int(self.embedder.embed_queries(["dimension"]).shape[1])
        return self._dim_cache

    def _manifest_upsert(self, documents: Sequence[schema.Document], status: str) -> None:
        metas = []
        for document in documents:
            meta = {
                "source": document.source,
                "doc_hash": document.doc_hash,
                "kind": document.kind,
                "title": document.title[:500],
                "chunks": len(document.chunks),
                "status": status,
                "indexed_at": time.time(),
            }
            meta.update({f"m_{k}": v for k, v in document.meta.items() if isinstance(v, (str, int, float, bool))})
            metas.append(meta)
        dim = self._dim()
        self.docs.upsert(
            ids=[d.doc_id for d in documents],
            documents=[d.source for d in documents],
            embeddings=[[1.0] * dim for _ in documents],
            metadatas=metas,
        )

    # --- writing -----------------------------------------------------------------------------------
    def missing_chunk_ids(self, ids: Sequence[str]) -> set[str]:
        present: set[str] = set()
        for start in range(0, len(ids), READ_PAGE):
            got = self.chunks.get(ids=list(ids[start : start + READ_PAGE]), include=[])
            present.update(got["ids"])
        return set(ids) - present

    def write_document(
        self, document: schema.Document, *, progress: Any = None, embeddings: np.ndarray | None = None
    ) -> int:
        """Write one document atomically (for readers); return the number of chunks embedded."""
        return self.write_documents([document], progress=progress, embeddings=embeddings)[0]

    def write_documents(
        self, documents: Sequence[schema.Document], *, progress: Any = None, embeddings: np.ndarray | None = None
    ) -> list[int]:
        """Write documents, each atomically for readers; return the chunks embedded per document.

        Every document is marked "writing" first and "complete" last, so a crash in between leaves
        nothing visible and `cleanup_incomplete` removes the rest. Chunks already in the store (same
        content hash) are not embedded again, their metadata is updated (keys added or changed, none
        removed); chunks of an older version that are gone are deleted.
        Writing several small documents together (CGCT articles) saves one Chroma round trip per step.
        """
        if not documents:
            return []
        self._manifest_upsert(documents, STATUS_WRITING)
        new_ids = [c.id for d in documents for c in d.chunks]
        old_ids: set[str] = set()
        doc_ids = [d.doc_id for d in documents]
        for start in range(0, len(doc_ids), READ_PAGE):
            part = doc_ids[start : start + READ_PAGE]
            where = {schema.DOC_ID: part[0]} if len(part) == 1 else {schema.DOC_ID: {"$in": part}}
            old_ids.update(self.chunks.get(where=where, include=[])["ids"])
        stale = sorted(old_ids - set(new_ids))
        for start in range(0, len(stale), WRITE_BATCH):
            self.chunks.delete(ids=stale[start : start + WRITE_BATCH])
        missing = self.missing_chunk_ids(new_ids)
        todo = [(d.doc_id, c) for d in documents for c in d.chunks if c.id in missing]
        index = {c.id: i for i, c in enumerate(c for d in documents for c in d.chunks)}
        embedded: dict[str, int] = {}
        for start in range(0, len(todo), WRITE_BATCH):
            batch = [c for _, c in todo[start : start + WRITE_BATCH]]
            if embeddings is not None:  # precomputed (benchmarks with synthetic chunks)
                vectors = embeddings[[index[c.id] for c in batch]]
            else:
                vectors = self.embedder.embed_passages([c.text for c in batch], progress=progress)
            self.chunks.upsert(
                ids=[c.id for c in batch],
                documents=[c.text for c in batch],
                embeddings=[v.tolist() for v in vectors],
                metadatas=[_clean_meta(c.meta) for c in batch],
            )
            for doc_id, _ in todo[start : start + WRITE_BATCH]:
                embedded[doc_id] = embedded.get(doc_id, 0) + 1
        present = [c for d in documents for c in d.chunks if c.id not in missing]
        for start in range(0, len(present), WRITE_BATCH):  # re-processed: same text and vector, new metadata
            batch = present[start : start + WRITE_BATCH]
            self.chunks.update(ids=[c.id for c in batch], metadatas=[_clean_meta(c.meta) for c in batch])
        self._manifest_upsert(documents, STATUS_COMPLETE)
        self._bump_generation()
        return [embedded.get(d.doc_id, 0) for d in documents]

    def remove_document(self, doc_id: str) -> int:
        """Delete a document's chunks and its manifest entry; return the number of chunks removed."""
        ids = self._chunk_ids_of(doc_id)
        for start in range(0, len(ids), WRITE_BATCH):
            self.chunks.delete(ids=ids[start : start + WRITE_BATCH])
        self.docs.delete(ids=[doc_id])
        self._bump_generation()
        return len(ids)

    def texts_present(self, texts: Sequence[str]) -> set[str]:
        """Which of these texts some stored passage still has (one pass over the store: removals are rare)."""
        wanted, present = set(texts), set[str]()
        for _ids, _metas, stored in self._iterate(self.chunks, include=["documents"]):
            present.update(t for t in stored if t in wanted)
        return present

    def cleanup_incomplete(self) -> list[DocumentInfo]:
        """Remove what an interrupted ingestion left behind (documents still marked "writing")."""
        cleaned = [d for d in self.documents(include_incomplete=True) if d.status != STATUS_COMPLETE]
        for info in cleaned:
            logger.warning("Removing incomplete document left by an interrupted ingestion: %s", info.source)
            self.remove_document(info.doc_id)
        return cleaned

    def chunk_texts(self, doc_id: str) -> list[str]:
        """The text of every passage of a document, complete or not."""
        got = self.chunks.get(where={schema.DOC_ID: doc_id}, include=["documents"])
        return [t or "" for t in got["documents"]]

    def _chunk_ids_of(self, doc_id: str) -> list[str]:
        got = self.chunks.get(where={schema.DOC_ID: doc_id}, include=[])
        return list(got["ids"])

    # --- reading -----------------------------------------------------------------------------------
    def count(self) -> int:
        return int(self.chunks.count())

    def chunks_all_meta(self) -> list[dict[str, Any]]:
        """Metadata of every chunk, complete or not (for consistency checks)."""
        out: list[dict[str, Any]] = []
        for _ids, metas, _ in self._iterate(self.chunks, include=["metadatas"]):
            out.extend(dict(m or {}) for m in metas)
        return out

    def complete_doc_ids(self) -> set[str]:
        """Ids of the documents readers may see; cached until the store's generation changes."""
        generation = self.generation()
        cached = self._complete_cache
        if cached is not None and cached[0] == generation and generation:
            return cached[1]
        ids = {d.doc_id for d in self.documents()}
        self._complete_cache = (generation, ids)
        return ids

    def iter_chunks(self, *, where: dict[str, Any] | None = None) -> Iterator[Chunk]:
        """Every chunk (of complete documents) with its text and metadata."""
        complete = self.complete_doc_ids()
        for ids, metas, texts in self._iterate(self.chunks, include=["metadatas", "documents"], where=where):
            for chunk_id, meta, text in zip(ids, metas, texts, strict=True):
                if (meta or {}).get(schema.DOC_ID) in complete:
                    yield Chunk(id=chunk_id, text=text or "", meta=dict(meta or {}))

    def get_chunks(self, ids: Sequence[str]) -> list[Chunk]:
        if not ids:
            return []
        got = self.chunks.get(ids=list(ids), include=["metadatas", "documents"])
        by_id = {
            i: Chunk(id=i, text=t or "", meta=dict(m or {}))
            for i, m, t in zip(got["ids"], got["metadatas"], got["documents"], strict=True)
        }
        return [by_id[i] for i in ids if i in by_id]

    def find(self, where: dict[str, Any], *, limit: int | None = None) -> list[Chunk]:
        got = self.chunks.get(where=where, limit=limit, include=["metadatas", "documents"])
        complete = self.complete_doc_ids()
        return [
            Chunk(id=i, text=t or "", meta=dict(m or {}))
            for i, m, t in zip(got["ids"], got["metadatas"], got["documents"], strict=True)
            if (m or {}).get(schema.DOC_ID) in complete
        ]

    def dense_search(
        self, query_vector: np.ndarray, *, k: int, filters: Filters | None = None
    ) -> list[tuple[Chunk, float]]:
        """Nearest chunks by cosine similarity (1 - cosine distance), best first."""
        total = self.count()
        if total == 0:
            return []
        complete = self.complete_doc_ids()
        res = self.chunks.query(
            query_embeddings=[query_vector.tolist()],
            n_results=min(total, k * 2 + 10),
            where=filters_to_where(filters),
            include=["metadatas", "documents", "distances"],
        )
        hits: list[tuple[Chunk, float]] = []
        for chunk_id, meta, text, dist in zip(
            res["ids"][0], res["metadatas"][0], res["documents"][0], res["distances"][0], strict=True
        ):
            if (meta or {}).get(schema.DOC_ID) not in complete:
                continue
            hits.append((Chunk(id=chunk_id, text=text or "", meta=dict(meta or {})), 1.0 - float(dist)))
        return hits[:k]

    def _iterate(
        self, collection: Any, *, include: list[str], where: dict[str, Any] | None = None
    ) -> Iterator[tuple[list[str], list[Any], list[Any]]]:
        offset = 0
        while True:
            got = collection.get(where=where, limit=READ_PAGE, offset=offset, include=include)
            ids = list(got["ids"])
            if not ids:
                return
            metas = got.get("metadatas") or [None] * len(ids)
            texts = got.get("documents") or [None] * len(ids)
            yield ids, list(metas), list(texts)
            if len(ids) < READ_PAGE:
                return
            offset += READ_PAGE


def _clean_meta(meta: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for key, value in meta.items():
        if value is None:
            continue
        if isinstance(value, (str, int, float, bool)):
            clean[key] = value
        elif isinstance(value, (list, tuple)):
            clean[key] = ";".join(str(v) for v in value)
        else:
            clean[key] = str(value)
    return clean


def _doc_info(doc_id: str, meta: dict[str, Any]) -> DocumentInfo:
    return DocumentInfo(
        doc_id=doc_id,
        source=str(meta.get("source", "")),
        doc_hash=str(meta.get("doc_hash", "")),
        kind=str(meta.get("kind", "")),
        title=str(meta.get("title", "")),
        chunks=int(meta.get("chunks", 0) or 0),
        status=str(meta.get("status", "")),
        indexed_at=float(meta.get("indexed_at", 0.0) or 0.0),
        meta={k[2:]: v for k, v in meta.items() if k.startswith("m_")},
    )
