"""The Chroma store: the source of truth for chunks, their metadata and the list of documents.

The only module that imports chromadb. Embedded (`PersistentClient`) by default, client/server when
`chroma_url` is set. Two collections per space (rag.spaces; the default space keeps these names):

- `<name>`: the chunks, with their embeddings and flat metadata;
- `<name>_documents`: one manifest record per document (source, hash, chunk count, status).

A document is written as "writing" first, then its chunks, then marked "complete": readers only see
chunks of complete documents, so a crash mid-way never shows half a document, and the next ingestion
cleans what was left behind.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
import os
import threading
import time
import uuid
import warnings
import weakref
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

import numpy as np

from rag import maintenance, schema
from rag.embeddings import CachedEmbedder, make_embedder
from rag.errors import StoreError
from rag.filters import date_to_int as date_to_int  # re-exported: callers import the filters with the store
from rag.filters import filters_to_where
from rag.filters import matches_filters as matches_filters
from rag.filters import normalize_key as normalize_key
from rag.lock import WriteLock as WriteLock  # re-exported: writers import it with the store
from rag.schema import Chunk, Filters
from rag.settings import Settings
from rag.spaces import (
    DEFAULT_SPACE,
    LAW_SPACE,
    SPACE_KEY,
    collection_names,
    readable,
    space_of_collection,
    target_space,
)

logger = logging.getLogger(__name__)

STATUS_WRITING = "writing"
STATUS_COMPLETE = "complete"
GENERATION_ID = "__generation__"
WRITE_BATCH = 256
READ_PAGE = 2000
# Chroma's embedded HNSW index is saved to disk every `sync_threshold` records (Chroma's default: 1,000); the
# records written since are kept in its log and applied again to the index by every process that opens the
# collection: 90 to 800 ms before each CLI search's first query. Saving every 100 records (Chroma's batch
# size, its minimum) keeps that tail short, for ~15 % more time spent writing to Chroma.
SYNC_THRESHOLD = 100
# A space of at most this many passages is ranked exactly, its vectors in memory (ChromaStore._whole: 50,000 x 384
# floats, 77 MB; a town hall's store holds a few thousand). Chroma's HNSW index is approximate: over the corpus it
# missed the nearest passage of 5 % of 300 questions among the council's 2,416 passages and 3 % among the law's 7,272
# (recall@10 0.967 and 0.956), whatever its ef_search; a space beyond this size is searched by Chroma.
EXACT_SEARCH_LIMIT = 50_000
# Passages of one space kept in memory between searches (see _ChunkCache); the whole legal pack is ~7,300.
CHUNK_CACHE_MAX = 50_000
# A generation read from Chroma is taken again without reading Chroma while the space's stamp file (see
# _GenerationMemo) still names it, for at most this long: a writer that died between its Chroma write and its
# stamp (or a writer of an older version, which writes no stamp) is seen within this time.
GENERATION_MEMO_S = 2.0
STAMPS_DIR = "generations"
# After embedded Chroma is opened anew (another process wrote, see _ClientEpoch), the old client's memory is
# collected this many seconds later.
REOPEN_COLLECT_S = 5.0


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
    space: str = DEFAULT_SPACE

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


class _ClientEpoch:
    """How many times this process opened the embedded Chroma of one store folder anew, because another
    process wrote to it.

    Embedded Chroma keeps, per process, its own copy of each collection's vector index, loaded at the first
    query: another process's writes (`mairie ingest` in a terminal while `mairie serve` or the Streamlit app
    runs) reach the SQLite records, which every reader sees, but not that copy: the query by meaning misses
    the new passages and reading their vectors fails ("Error finding id"). A reader that sees a generation
    this process did not write (ChromaStore.space_generation) calls `reopen`: Chroma's System for the folder
    (one per process, shared by its clients) is forgotten, and every view whose client is of an older epoch
    makes a new client (ChromaStore._part), on a new System whose indexes are read from the disk again. The
    old System is not stopped (Chroma's `stop` deletes its bindings): searches in flight finish on it. Its
    objects hold one another (~80 MB with the whole law's index loaded): only Python's cyclic garbage
    collector frees them, which may not run for a long time; a full collection (~0.1 s, under the GIL) runs
    REOPEN_COLLECT_S after a reopening, once the searches of the time and the views have let it go.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.value = 0
        self.client: tuple[Any, int] | None = None  # the client made after the last reopening, and its epoch
        self._collect: threading.Timer | None = None

    def reopen(self, client: Any, seen: int) -> None:
        """Forget `client`'s System, unless another thread already did since epoch `seen`."""
        with self.lock:
            if self.value != seen:
                return
            from chromadb.api.shared_system_client import SharedSystemClient

            identifier = str(getattr(client, "_identifier", ""))
            with SharedSystemClient._refcount_lock:  # no public way to forget one folder's System
                SharedSystemClient._identifier_to_system.pop(identifier, None)
                SharedSystemClient._identifier_to_refcount.pop(identifier, None)
            self.value += 1
            if self._collect is None or not self._collect.is_alive():  # one pending collection for a burst
                self._collect = threading.Timer(REOPEN_COLLECT_S, _collect_garbage)
                self._collect.daemon = True
                self._collect.start()
        logger.info("Chroma of %s opened anew: another process wrote to it", identifier)


def _collect_garbage() -> None:
    """A full collection of Python's garbage, then the freed memory handed back to the system (glibc keeps
    what server threads freed in their own arenas otherwise: the process would keep ~80 MB per reopening)."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)


_EPOCHS: dict[str, _ClientEpoch] = {}
_EPOCHS_LOCK = threading.Lock()
# Generations this process wrote (never a reason to open Chroma anew); bounded, oldest forgotten first.
_OWN_GENERATIONS: dict[str, None] = {}
_OWN_GENERATIONS_MAX = 10_000


def _client_epoch(settings: Settings) -> _ClientEpoch:
    key = str(settings.store.absolute())
    with _EPOCHS_LOCK:
        epoch = _EPOCHS.get(key)
        if epoch is None:
            epoch = _EPOCHS[key] = _ClientEpoch()
        return epoch


def _own_generation(value: str) -> None:
    with _EPOCHS_LOCK:
        _OWN_GENERATIONS[value] = None
        while len(_OWN_GENERATIONS) > _OWN_GENERATIONS_MAX:
            del _OWN_GENERATIONS[next(iter(_OWN_GENERATIONS))]


class _ChunkCache:
    """The passages of one space (text and metadata) as read from Chroma, kept for one generation of the
    space: any write to the space changes its generation, and the cache then starts again empty.

    Searches ask Chroma for the nearest ids and distances only, then take the passages from here: on the
    whole legal pack, a query that also returns the 130 candidates' metadata and text costs ~11 ms of CPU,
    the ids alone ~0.7 ms, and most candidates (the law's) come back search after search. One cache per
    process and collection, shared by every view of the store (ui.api.SpaceBases: the law's passages are
    read once for all communes). Rows are stored under the generation read before they were fetched, so a
    row is never older than its generation.
    """

    def __init__(self) -> None:
        self.generation = ""
        self.rows: dict[str, tuple[str, dict[str, Any]]] = {}
        self.lock = threading.Lock()
        # A space's vectors (see ChromaStore._whole), for one generation (None: too many to rank in memory).
        self.whole_generation = ""
        self.whole: _Whole | None = None

    def take(self, generation: str, ids: Sequence[str]) -> dict[str, tuple[str, dict[str, Any]]]:
        """The cached rows among `ids` (none unless the cache holds this generation)."""
        with self.lock:
            rows = self.rows if generation and generation == self.generation else {}
        return {i: rows[i] for i in ids if i in rows}

    def put(self, generation: str, rows: dict[str, tuple[str, dict[str, Any]]]) -> None:
        if not generation or not rows:
            return
        with self.lock:
            if generation != self.generation or len(self.rows) + len(rows) > CHUNK_CACHE_MAX:
                self.generation, self.rows = generation, {}
            self.rows.update(rows)


class _Whole:
    """Every passage id and vector of a small space, to rank them by cosine distance as Chroma would."""

    def __init__(self, ids: list[str], vectors: np.ndarray) -> None:
        self.ids = ids
        norms = np.linalg.norm(vectors, axis=1, keepdims=True) if len(ids) else np.ones((0, 1), np.float32)
        norms[norms == 0] = 1.0
        self.vectors = (vectors / norms).astype(np.float32)  # Chroma's cosine space normalises its vectors

    def nearest(self, query: np.ndarray, limit: int) -> tuple[list[str], list[float]]:
        """The `limit` nearest ids, nearest first, with their cosine distance (1 - cosine)."""
        if not self.ids:
            return [], []
        q = np.asarray(query, dtype=np.float32)
        norm = float(np.linalg.norm(q)) or 1.0
        distances = 1.0 - self.vectors @ (q / norm)
        kept = np.argpartition(distances, limit)[:limit] if limit < len(self.ids) else np.arange(len(self.ids))
        order = kept[np.argsort(distances[kept], kind="stable")]
        return [self.ids[i] for i in order], distances[order].tolist()


_CHUNK_CACHES: weakref.WeakValueDictionary[tuple[str, str], _ChunkCache] = weakref.WeakValueDictionary()
_CHUNK_CACHES_LOCK = threading.Lock()


class _GenerationMemo:
    """The last generation of one space read from Chroma, with the stamp file's content at that time.

    Reading the generation record from Chroma costs ~0.5 ms of CPU, twice per search (the space and the law).
    Every writer (`_bump_generation`) writes the new generation to Chroma, then to a small stamp file beside
    the store (`generations/<collection>`, replaced whole). A reader reads the stamp first (a few
    microseconds): while it is the one seen at the last Chroma read, and that read is less than
    GENERATION_MEMO_S old, the generation read then is still the space's. One memo per process and
    collection, shared by every view (the law's generation is read once for all communes).
    """

    def __init__(self) -> None:
        self.entry: tuple[str, str, float] | None = None  # (stamp, generation, monotonic time of the read)
        # The last generation this process's embedded client is known to hold (read, or written here), and the
        # client's epoch then (see _SharedClient): another generation read later, not written here, is another
        # process's write.
        self.known: tuple[str, int] | None = None

    def get(self, stamp: str | None, now: float) -> str | None:
        entry = self.entry
        if stamp is None or entry is None or entry[0] != stamp or now - entry[2] > GENERATION_MEMO_S:
            return None
        return entry[1]

    def put(self, stamp: str | None, generation: str, now: float) -> None:
        self.entry = (stamp, generation, now) if stamp is not None else None


_MEMOS: weakref.WeakValueDictionary[tuple[str, str], _GenerationMemo] = weakref.WeakValueDictionary()


@dataclass(frozen=True, slots=True)
class _Part:
    """The two collections of one space."""

    space: str
    chunks: Any
    docs: Any
    cache: _ChunkCache
    memo: _GenerationMemo
    stamp: Any  # the stamp file of the space's generation (a Path), None with a Chroma server
    epoch: int = 0  # the _ClientEpoch of the client its collections belong to (0 with a Chroma server)


class ChromaStore:
    """Chunks and documents in Chroma; the only gateway to chromadb.

    A store is a view over some spaces (rag.spaces): it reads `spaces` plus the shared law, and writes
    into `settings.space` (the law into the shared space). No method reads a collection outside the view,
    whatever filter it is given.

    >>> from pathlib import Path
    >>> store = ChromaStore(settings=Settings(store=Path("/tmp/kb")))
    >>> store.count()
    0
    """

    def __init__(
        self,
        *,
        settings: Settings,
        embedder: CachedEmbedder | None = None,
        client: Any = None,
        spaces: Sequence[str] | None = None,
    ) -> None:
        self.settings = settings
        self.embedder = embedder or make_embedder(
            settings.embeddings,
            cache_dir=settings.cache_dir,
            workers=settings.embed_workers,
            threads=settings.embed_threads,
            query_batch=settings.query_batch,
        )
        # Embedded Chroma: the process's count of reopenings for this folder (see _ClientEpoch), and the epoch
        # of this view's client (a client given by another view carries its own).
        self._epochs = None if settings.chroma_url else _client_epoch(settings)
        now = self._epochs.value if self._epochs is not None else 0
        self._client_state: tuple[Any, int] = (client, getattr(client, "_mairie_epoch", now))
        self.spaces = readable(spaces or (settings.space,))
        self.space = settings.space if settings.space in self.spaces else self.spaces[0]
        self._parts: dict[str, _Part] = {}
        self._complete_cache: dict[str, tuple[str, set[str]]] = {}
        self._dim_cache: dict[str, int] = {}  # space -> manifest placeholder dimension
        self._tuned: set[str] = set()  # spaces whose collections have SYNC_THRESHOLD (see _writing)
        self._pins = threading.local()  # generations read once per search (see `pinned`)

    # --- opening -----------------------------------------------------------------------------------
    @property
    def client(self) -> Any:
        return self._current_client()[0]

    def _current_client(self) -> tuple[Any, int]:
        """This view's Chroma client and its epoch: made anew when embedded Chroma was reopened since."""
        client, made = self._client_state
        epochs = self._epochs
        if epochs is None:
            if client is None:
                client = _make_client(self.settings)
                self._client_state = (client, 0)
            return client, 0
        if client is None or made != epochs.value:
            # One client made at a time per folder, never while its System is forgotten: Chroma registers a
            # System before it has started it, and a client made meanwhile by another thread fails. After a
            # reopening, the first view makes the new client and the others (and their other threads) take it.
            with epochs.lock:
                client, made = self._client_state
                if client is None or made != epochs.value:
                    shared = epochs.client
                    if client is not None and shared is not None and shared[1] == epochs.value:
                        client, made = shared
                    else:
                        client, made = _make_client(self.settings), epochs.value
                        if made and (shared is None or shared[1] != made):
                            epochs.client = (client, made)
                        with contextlib.suppress(AttributeError):  # views given this client know its epoch
                            client._mairie_epoch = made
                    self._client_state = (client, made)
        return client, made

    @property
    def chunks(self) -> Any:
        """The passages collection of the space this store writes into."""
        return self._part(self.space).chunks

    @property
    def docs(self) -> Any:
        return self._part(self.space).docs

    @property
    def writable(self) -> tuple[str, ...]:
        """The spaces this store writes into (and removes from): its own and the shared law."""
        return tuple(dict.fromkeys([self.space, LAW_SPACE]))

    def _part(self, space: str) -> _Part:
        part = self._parts.get(space)
        if part is None or (self._epochs is not None and part.epoch != self._epochs.value):
            part = self._parts[space] = self._open(space)
        return part

    def _open(self, space: str) -> _Part:
        # The store always passes vectors (queries and passages are embedded by self.embedder), so the
        # collections carry no embedding function and Chroma never loads a model of its own.
        name, docs_name = collection_names(self.settings.collection, space)
        # Stores written by older versions persisted a "mairie" embedding function, no longer registered:
        # Chroma warns (in English) each time it reads that configuration, and then ignores it, as we do.
        warnings.filterwarnings("ignore", message="Could not reconstruct embedding function mairie")
        client, epoch = self._current_client()
        try:
            chunks = client.get_or_create_collection(
                name,
                embedding_function=None,
                metadata={
                    "embedder": self.embedder.name,
                    "hnsw:space": "cosine",
                    "hnsw:sync_threshold": SYNC_THRESHOLD,
                },
            )
            docs = client.get_or_create_collection(
                docs_name,
                embedding_function=None,
                metadata={"embedder": self.embedder.name, "hnsw:sync_threshold": SYNC_THRESHOLD},
            )
        except StoreError:
            raise
        except Exception as e:
            raise StoreError(f"Impossible d'ouvrir la collection Chroma {name!r} : {e}") from e
        state = self.settings.replace(collection=name)
        expected = 0 if self.settings.chroma_url else maintenance.expected_documents(state)
        if expected and docs.count() == 0:
            raise maintenance.emptied_store_error(state, expected)
        recorded = (chunks.metadata or {}).get("embedder")
        if recorded and recorded != self.embedder.name:
            raise StoreError(
                f"Ce magasin ({self.location}) a été indexé avec le modèle {recorded!r}, "
                f"pas avec {self.embedder.name!r}. Reprenez MAIRIE_EMBEDDINGS d'origine, ou indexez "
                "dans un autre dossier (--store) / une autre collection (MAIRIE_COLLECTION)."
            )
        with _CHUNK_CACHES_LOCK:
            key = (self.location, name)
            cache = _CHUNK_CACHES.get(key)
            if cache is None:
                cache = _CHUNK_CACHES[key] = _ChunkCache()
            memo = _MEMOS.get(key)
            if memo is None:
                memo = _MEMOS[key] = _GenerationMemo()
        # With a Chroma server, writers may run on other machines: the generation is always read from Chroma.
        stamp = None if self.settings.chroma_url else self.settings.store / STAMPS_DIR / name
        return _Part(space, chunks, docs, cache, memo, stamp, epoch)

    @property
    def location(self) -> str:
        return self.settings.chroma_url or str(self.settings.store)

    def all_spaces(self) -> list[str]:
        """Every space of the store (for the service admin and for purges), whoever this view serves."""
        names = [getattr(c, "name", c) for c in self.client.list_collections()]
        found = {space_of_collection(self.settings.collection, str(n)) for n in names}
        return sorted(s for s in found if s)

    # --- documents manifest ------------------------------------------------------------------------
    def documents(self, *, include_incomplete: bool = False, spaces: Sequence[str] | None = None) -> list[DocumentInfo]:
        """The documents of the view's spaces (or of `spaces`, which must be in the view)."""
        infos: list[DocumentInfo] = []
        for space in self._visible(spaces):
            for ids, metas, _ in self._iterate(self._part(space).docs, include=["metadatas"]):
                for doc_id, meta in zip(ids, metas, strict=True):
                    if doc_id == GENERATION_ID:
                        continue
                    info = _doc_info(doc_id, meta or {}, space)
                    if include_incomplete or info.status == STATUS_COMPLETE:
                        infos.append(info)
        return sorted(infos, key=lambda d: (d.source, d.space))

    def document(self, doc_id: str) -> DocumentInfo | None:
        for space in self.spaces:
            got = self._part(space).docs.get(ids=[doc_id], include=["metadatas"])
            if got["ids"]:
                return _doc_info(doc_id, got["metadatas"][0] or {}, space)
        return None

    def generation(self) -> str:
        """Changes whenever a document of the view's spaces is written or removed ("" for a new store)."""
        generations = [self.space_generation(space) for space in self.spaces]
        return "|".join(generations) if any(generations) else ""

    def space_generation(self, space: str) -> str:
        """The generation of one space of the view ("" before its first write); within `pinned()`, read
        from Chroma once."""
        pinned: dict[str, str] | None = getattr(self._pins, "generations", None)
        if pinned is not None and space in pinned:
            return pinned[space]
        part = self._part(space)
        stamp = _read_stamp(part.stamp)  # before Chroma: a write after it changes the stamp seen next time
        now = time.monotonic()
        value = part.memo.get(stamp, now)
        if value is None:
            got = part.docs.get(ids=[GENERATION_ID], include=["metadatas"])
            value = str((got["metadatas"][0] or {}).get("value", "")) if got["ids"] else ""
            if stamp is None and part.stamp is not None:  # a store written before stamps: this reader starts one
                stamp = _create_stamp(part.stamp)
                if stamp is not None:  # a token, not a generation: never taken for another process's write
                    _own_generation(stamp)
            part.memo.put(stamp, value, now)
            self._check_foreign(part, value)
        if pinned is not None:
            pinned[space] = value
        return value

    def _check_foreign(self, part: _Part, value: str) -> None:
        """After reading a space's generation from Chroma: when it is neither the last one this process's client
        is known to hold nor one this process wrote, another process wrote to the space, and this process's
        copy of the vectors lags: Chroma is opened anew (see _ClientEpoch; the next `_part` of every view
        opens its collections on the new client)."""
        epochs = self._epochs
        if epochs is None or not value or part.epoch != epochs.value:  # a Chroma server, or already reopened
            return
        memo = part.memo
        known, memo.known = memo.known, (value, part.epoch)
        if known is None or known[1] != part.epoch or known[0] == value or value in _OWN_GENERATIONS:
            return
        epochs.reopen(self._client_state[0], part.epoch)
        memo.known = (value, epochs.value)  # the new client reads the disk as it is now: this write at least

    @contextlib.contextmanager
    def pinned(self) -> Iterator[None]:
        """Within this block (one search, in this thread), each space's generation is read from Chroma once:
        the search sees one state of the store, and saves the reads (freshness of the lexical index, the
        complete documents, the passage cache each asked for it). A write in the block forgets the pin."""
        if getattr(self._pins, "generations", None) is not None:  # nested: the outer block's pins
            yield
            return
        self._pins.generations = {}
        try:
            yield
        finally:
            self._pins.generations = None

    def _visible(self, spaces: Sequence[str] | None) -> tuple[str, ...]:
        if spaces is None:
            return self.spaces
        outside = [s for s in spaces if s not in self.spaces]
        if outside:
            raise StoreError(f"Espace hors de la vue de ce magasin : {', '.join(outside)}.")
        return tuple(spaces)

    def _writing(self, part: _Part) -> _Part:
        """The part, its collections saving their index often (SYNC_THRESHOLD): stores created before keep
        Chroma's default until their next write, which lowers it (and so saves what their log holds)."""
        if self.settings.chroma_url or part.space in self._tuned:
            return part
        for collection in (part.chunks, part.docs):
            if _sync_threshold(collection) <= SYNC_THRESHOLD:
                continue
            try:
                collection.modify(configuration={"hnsw": {"sync_threshold": SYNC_THRESHOLD}})
            except Exception as e:  # only start-up time is at stake: the write goes on
                # Chroma applies the change, then fails to rebuild its own copy of a configuration holding
                # the embedding function older versions persisted ("mairie", no longer registered).
                try:
                    fresh = self.client.get_or_create_collection(collection.name, embedding_function=None)
                    lowered = _sync_threshold(fresh) <= SYNC_THRESHOLD
                except Exception:
                    lowered = False
                if not lowered:
                    logger.warning("Chroma index sync threshold of %s not lowered: %s", collection.name, e)
        self._tuned.add(part.space)
        return part

    def _bump_generation(self, part: _Part) -> None:
        pinned: dict[str, str] | None = getattr(self._pins, "generations", None)
        if pinned is not None:
            pinned.pop(part.space, None)
        value = uuid.uuid4().hex
        before = _read_stamp(part.stamp)  # another process's write since this one's last read: see below
        part.docs.upsert(
            ids=[GENERATION_ID],
            documents=[GENERATION_ID],
            embeddings=[[1.0] * self._dim(part)],
            metadatas=[{"value": value, "at": time.time()}],
        )
        _write_stamp(part.stamp, value)
        if self._epochs is not None and part.epoch == self._epochs.value:
            # This client holds what it wrote; what another process wrote just before (a stamp neither known
            # nor written here) it may not: then Chroma is opened anew, as a reader would (_check_foreign).
            _own_generation(value)
            known, part.memo.known = part.memo.known, (value, part.epoch)
            if (
                known is not None
                and known[1] == part.epoch
                and before is not None
                and before != known[0]
                and before not in _OWN_GENERATIONS
            ):
                self._epochs.reopen(self._client_state[0], part.epoch)
                part.memo.known = (value, self._epochs.value)
        if not self.settings.chroma_url:
            state = self.settings.replace(collection=collection_names(self.settings.collection, part.space)[0])
            maintenance.write_state(state, documents=part.docs.count() - 1, chunks=part.chunks.count())

    def _dim(self, part: _Part) -> int:
        """Dimension of the manifest's placeholder vectors (the manifest is never searched by meaning).

        One for a new manifest (a longer vector only slows Chroma's inserts); stores written by older
        versions keep the model's dimension their manifest was created with.
        """
        dim = self._dim_cache.get(part.space)
        if dim is None:
            got = part.docs.get(limit=1, include=["embeddings"])
            vectors = got.get("embeddings")
            dim = len(vectors[0]) if vectors is not None and len(vectors) else 1
            self._dim_cache[part.space] = dim
        return dim

    def _manifest_upsert(self, documents: Sequence[schema.Document], status: str, *, part: _Part | None = None) -> None:
        part = part or self._part(self.space)
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
        if status == STATUS_COMPLETE:  # written as "writing" just before: a metadata update skips the vector index
            part.docs.update(ids=[d.doc_id for d in documents], metadatas=metas)
            return
        dim = self._dim(part)
        part.docs.upsert(
            ids=[d.doc_id for d in documents],
            documents=[d.source for d in documents],
            embeddings=[[1.0] * dim for _ in documents],
            metadatas=metas,
        )

    # --- writing -----------------------------------------------------------------------------------
    def missing_chunk_ids(self, ids: Sequence[str], *, space: str | None = None) -> set[str]:
        """Which of these passage ids the space (default: the one this store writes into) lacks."""
        chunks = self._part(space or self.space).chunks
        present: set[str] = set()
        for start in range(0, len(ids), READ_PAGE):
            got = chunks.get(ids=list(ids[start : start + READ_PAGE]), include=[])
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

        Every document goes to this store's space, the law (kind "article") to the shared space. Each is
        marked "writing" first and "complete" last, so a crash in between leaves nothing visible and
        `cleanup_incomplete` removes the rest. Chunks already in the space (same content hash) are not
        embedded again, their metadata is updated (keys added or changed, none removed); chunks of an
        older version that are gone are deleted. Writing several small documents together (CGCT
        articles) saves one Chroma round trip per step.
        """
        vectors: dict[str, np.ndarray] | None = None
        if embeddings is not None:  # precomputed (benchmarks with synthetic chunks), in chunk order
            vectors = dict(zip((c.id for d in documents for c in d.chunks), embeddings, strict=True))
        groups: dict[str, list[int]] = {}
        for i, document in enumerate(documents):
            groups.setdefault(target_space(document.kind, self.space), []).append(i)
        counts = [0] * len(documents)
        for space, positions in groups.items():
            written = self._write_part(
                self._writing(self._part(space)), [documents[i] for i in positions], progress, vectors
            )
            for i, count in zip(positions, written, strict=True):
                counts[i] = count
        return counts

    def _write_part(
        self,
        part: _Part,
        documents: Sequence[schema.Document],
        progress: Any,
        vectors: dict[str, np.ndarray] | None,
    ) -> list[int]:
        self._manifest_upsert(documents, STATUS_WRITING, part=part)
        new_ids = [c.id for d in documents for c in d.chunks]
        old_ids: set[str] = set()
        doc_ids = [d.doc_id for d in documents]
        for start in range(0, len(doc_ids), READ_PAGE):
            chunk = doc_ids[start : start + READ_PAGE]
            where = {schema.DOC_ID: chunk[0]} if len(chunk) == 1 else {schema.DOC_ID: {"$in": chunk}}
            old_ids.update(part.chunks.get(where=where, include=[])["ids"])
        stale = sorted(old_ids - set(new_ids))
        for start in range(0, len(stale), WRITE_BATCH):
            part.chunks.delete(ids=stale[start : start + WRITE_BATCH])
        missing = self.missing_chunk_ids(new_ids, space=part.space)
        todo = [(d.doc_id, c) for d in documents for c in d.chunks if c.id in missing]
        embedded: dict[str, int] = {}
        for start in range(0, len(todo), WRITE_BATCH):
            batch = [c for _, c in todo[start : start + WRITE_BATCH]]
            if vectors is not None:
                batch_vectors = np.stack([vectors[c.id] for c in batch])
            else:
                batch_vectors = self.embedder.embed_passages([c.text for c in batch], progress=progress)
            part.chunks.upsert(
                ids=[c.id for c in batch],
                documents=[c.text for c in batch],
                embeddings=[v.tolist() for v in batch_vectors],
                metadatas=[_clean_meta(c.meta) for c in batch],
            )
            for doc_id, _ in todo[start : start + WRITE_BATCH]:
                embedded[doc_id] = embedded.get(doc_id, 0) + 1
        present = [c for d in documents for c in d.chunks if c.id not in missing]
        for start in range(0, len(present), WRITE_BATCH):  # re-processed: same text and vector, new metadata
            batch = present[start : start + WRITE_BATCH]
            part.chunks.update(ids=[c.id for c in batch], metadatas=[_clean_meta(c.meta) for c in batch])
        self._manifest_upsert(documents, STATUS_COMPLETE, part=part)
        self._bump_generation(part)
        return [embedded.get(d.doc_id, 0) for d in documents]

    def remove_document(self, doc_id: str) -> int:
        """Delete a document's chunks and manifest entry in the writable spaces; return the chunks removed."""
        removed = 0
        for space in self.writable:
            part = self._part(space)
            if not part.docs.get(ids=[doc_id], include=[])["ids"]:
                continue
            self._writing(part)
            ids = list(part.chunks.get(where={schema.DOC_ID: doc_id}, include=[])["ids"])
            for start in range(0, len(ids), WRITE_BATCH):
                part.chunks.delete(ids=ids[start : start + WRITE_BATCH])
            part.docs.delete(ids=[doc_id])
            self._bump_generation(part)
            removed += len(ids)
        return removed

    def share_law(self) -> list[str]:
        """Move the law a store built before spaces kept in its default space into the shared space.

        Passages move with their vectors (nothing is embedded again); each document is complete in the
        shared space before it leaves the default one. Returns the sources moved.
        """
        source, target = self._part(DEFAULT_SPACE), self._part(LAW_SPACE)
        moved: list[str] = []
        for info in self.documents(spaces=[DEFAULT_SPACE]) if DEFAULT_SPACE in self.spaces else []:
            if target_space(info.kind, DEFAULT_SPACE) != LAW_SPACE:
                continue
            self._writing(source)
            self._writing(target)
            got = source.chunks.get(
                where={schema.DOC_ID: info.doc_id}, include=["embeddings", "metadatas", "documents"]
            )
            record = source.docs.get(ids=[info.doc_id], include=["metadatas", "documents", "embeddings"])
            meta = dict(record["metadatas"][0] or {})
            target.docs.upsert(
                ids=[info.doc_id],
                documents=record["documents"],
                embeddings=record["embeddings"],
                metadatas=[{**meta, "status": STATUS_WRITING}],
            )
            for start in range(0, len(got["ids"]), WRITE_BATCH):
                part = slice(start, start + WRITE_BATCH)
                target.chunks.upsert(
                    ids=got["ids"][part],
                    embeddings=got["embeddings"][part],
                    metadatas=got["metadatas"][part],
                    documents=got["documents"][part],
                )
            target.docs.upsert(
                ids=[info.doc_id], documents=record["documents"], embeddings=record["embeddings"], metadatas=[meta]
            )
            for start in range(0, len(got["ids"]), WRITE_BATCH):
                source.chunks.delete(ids=got["ids"][start : start + WRITE_BATCH])
            source.docs.delete(ids=[info.doc_id])
            moved.append(info.source)
        if moved:
            self._bump_generation(target)
            self._bump_generation(source)
        return moved

    def texts_present(self, texts: Sequence[str]) -> set[str]:
        """Which of these texts some stored passage of any space still has (the embedding cache is shared)."""
        wanted, present = set(texts), set[str]()
        for space in self.all_spaces():
            chunks = self._part(space).chunks
            for _ids, _metas, stored in self._iterate(chunks, include=["documents"]):
                present.update(t for t in stored if t in wanted)
        return present

    def cleanup_incomplete(self) -> list[DocumentInfo]:
        """Remove what an interrupted ingestion left behind (documents still marked "writing")."""
        docs = self.documents(include_incomplete=True, spaces=self.writable)
        cleaned = [d for d in docs if d.status != STATUS_COMPLETE]
        for info in cleaned:
            logger.warning("Removing incomplete document left by an interrupted ingestion: %s", info.source)
            self.remove_document(info.doc_id)
        return cleaned

    def chunk_texts(self, doc_id: str) -> list[str]:
        """The text of every passage of a document of the writable spaces, complete or not."""
        texts: list[str] = []
        for space in self.writable:
            got = self._part(space).chunks.get(where={schema.DOC_ID: doc_id}, include=["documents"])
            texts.extend(t or "" for t in got["documents"])
        return texts

    # --- reading -----------------------------------------------------------------------------------
    def count(self) -> int:
        return sum(int(self._part(space).chunks.count()) for space in self.spaces)

    def chunks_all_meta(self) -> list[dict[str, Any]]:
        """Metadata of every chunk of the view, complete or not (for consistency checks)."""
        out: list[dict[str, Any]] = []
        for space in self.spaces:
            for _ids, metas, _ in self._iterate(self._part(space).chunks, include=["metadatas"]):
                out.extend({**(m or {}), SPACE_KEY: space} for m in metas)
        return out

    def complete_doc_ids(self) -> set[str]:
        """Ids of the documents readers may see, in the view's spaces."""
        return set().union(*(self._complete(space) for space in self.spaces))

    def _complete(self, space: str) -> set[str]:
        """Complete documents of one space; cached until the space's generation changes.

        Chroma selects the manifest entries whose status is "complete" and returns their ids only: the
        same set as `documents()` (an entry with no status, like the generation record, is not complete),
        without decoding every entry's metadata (5,800 law articles: ~0.4 s of each CLI search).
        """
        generation = self.space_generation(space)
        cached = self._complete_cache.get(space)
        if cached is not None and cached[0] == generation and generation:
            return cached[1]
        got = self._part(space).docs.get(where={"status": STATUS_COMPLETE}, include=[])  # ids only: one read
        ids = set(got["ids"]) - {GENERATION_ID}
        self._complete_cache[space] = (generation, ids)
        return ids

    def iter_chunks(
        self, *, where: dict[str, Any] | None = None, spaces: Sequence[str] | None = None
    ) -> Iterator[Chunk]:
        """Every chunk (of complete documents) of the view's spaces, with its text and metadata."""
        for space in self._visible(spaces):
            complete = self._complete(space)
            chunks = self._part(space).chunks
            for ids, metas, texts in self._iterate(chunks, include=["metadatas", "documents"], where=where):
                for chunk_id, meta, text in zip(ids, metas, texts, strict=True):
                    if (meta or {}).get(schema.DOC_ID) in complete:
                        yield _chunk(space, chunk_id, meta, text)

    def get_chunks(self, ids: Sequence[str]) -> list[Chunk]:
        """The passages of these ids found in the view's spaces (complete or not), in the order given.

        Taken from the spaces' passage caches first, then from Chroma for the rest (a passage id names one
        document's passage: ids are not shared between spaces)."""
        if not ids:
            return []
        by_id: dict[str, Chunk] = {}
        wanted = list(dict.fromkeys(ids))
        generations = {space: self.space_generation(space) for space in self.spaces}
        for space in self.spaces:
            for i, (text, meta) in self._part(space).cache.take(generations[space], wanted).items():
                by_id.setdefault(i, _chunk(space, i, meta, text))
        for space in self.spaces:
            wanted = [i for i in wanted if i not in by_id]
            if not wanted:
                break
            for i, (text, meta) in self._fetch(space, generations[space], wanted).items():
                by_id[i] = _chunk(space, i, meta, text)
        return [by_id[i] for i in ids if i in by_id]

    def _fetch(self, space: str, generation: str, ids: Sequence[str]) -> dict[str, tuple[str, dict[str, Any]]]:
        """Text and metadata of these passages of one space, read from Chroma and kept in its cache."""
        part = self._part(space)
        got = part.chunks.get(ids=list(ids), include=["metadatas", "documents"])
        rows = {i: (t or "", m or {}) for i, m, t in zip(got["ids"], got["metadatas"], got["documents"], strict=True)}
        part.cache.put(generation, rows)
        return rows

    def find(self, where: dict[str, Any], *, limit: int | None = None) -> list[Chunk]:
        found: list[Chunk] = []
        for space in self.spaces:
            got = self._part(space).chunks.get(where=where, limit=limit, include=["metadatas", "documents"])
            complete = self._complete(space)
            found.extend(
                _chunk(space, i, m, t)
                for i, m, t in zip(got["ids"], got["metadatas"], got["documents"], strict=True)
                if (m or {}).get(schema.DOC_ID) in complete
            )
        return found[:limit] if limit is not None else found

    def dense_search(
        self, query_vector: np.ndarray, *, k: int, filters: Filters | None = None
    ) -> list[tuple[Chunk, float]]:
        """Nearest chunks of the view's spaces by cosine similarity (1 - cosine distance), best first."""
        where = filters_to_where(filters)
        n_results = k * 2 + 10
        found: list[tuple[float, str, str, tuple[str, dict[str, Any]]]] = []  # (cosine, space, id, row)
        for space in self.spaces:
            # The generation before any read (cached rows are never older), and before the collections: a write
            # by another process, seen there, opens Chroma anew for this very search (_check_foreign).
            generation = self.space_generation(space)
            part = self._part(space)
            complete = self._complete(space)
            if not complete:
                continue
            whole = self._whole(part, generation, n_results) if where is None else None
            if whole is not None:  # the space's vectors in memory: its nearest passages, exactly
                ids, distances = whole.nearest(query_vector, n_results)
            else:
                res = part.chunks.query(  # Chroma (>= 1.5) returns all it has when asked for more
                    query_embeddings=[query_vector.tolist()],
                    n_results=n_results,
                    where=where,
                    include=["distances"],  # the passages come from the cache (see _ChunkCache)
                )
                ids, distances = res["ids"][0], res["distances"][0]
            rows = part.cache.take(generation, ids)
            missing = [i for i in ids if i not in rows]
            if missing:
                rows.update(self._fetch(space, generation, missing))
            for chunk_id, dist in zip(ids, distances, strict=True):
                row = rows.get(chunk_id)  # None: removed between the query and the read
                if row is not None and row[1].get(schema.DOC_ID) in complete:
                    found.append((1.0 - float(dist), space, chunk_id, row))
        found.sort(key=lambda hit: -hit[0])
        # Only the k kept become passages (each a copy of its cached metadata).
        return [(_chunk(space, chunk_id, row[1], row[0]), cosine) for cosine, space, chunk_id, row in found[:k]]

    def _whole(self, part: _Part, generation: str, limit: int) -> _Whole | None:
        """A space's vectors in memory when it holds at most EXACT_SEARCH_LIMIT passages (None otherwise), with
        its passages too when it holds at most `limit` of them (a search would read them all).

        The nearest passages are then ranked exactly, in a few milliseconds: Chroma's HNSW index is approximate, and
        on the corpus it missed the nearest passage of a question 3 to 5 % of the time (EXACT_SEARCH_LIMIT). Kept
        for one generation of the space, like the passage cache."""
        if not generation:
            return None
        cache = part.cache
        with cache.lock:
            if cache.whole_generation == generation:
                return cache.whole  # None: more passages than EXACT_SEARCH_LIMIT
        whole = None
        count = part.chunks.count()
        if count <= EXACT_SEARCH_LIMIT:
            # (the passages themselves only for a small space: a large one's are read as searches need them)
            include = ["embeddings", "metadatas", "documents"] if count <= limit else ["embeddings"]
            try:
                got = part.chunks.get(include=include)
                ids = list(got["ids"])
                vectors = np.asarray(got["embeddings"], dtype=np.float32).reshape(len(ids), -1)
            except Exception as e:  # noqa: BLE001 - Chroma's own error types vary; its query path still works
                # Embedded Chroma, after another process wrote to the space: this process's copy of the vectors
                # may lag its records ("Error finding id"); the space is then ranked by Chroma's query.
                logger.debug("space %s not ranked in memory: %s", part.space, e)
                ids = []
                vectors = None
            if vectors is not None and len(ids) <= EXACT_SEARCH_LIMIT:
                whole = _Whole(ids, vectors)
                if "documents" in include:
                    texts, metas = got["documents"], got["metadatas"]
                    cache.put(generation, {i: (t or "", m or {}) for i, m, t in zip(ids, metas, texts, strict=True)})
        with cache.lock:
            cache.whole_generation, cache.whole = generation, whole
        return whole

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


def _read_stamp(path: Any) -> str | None:
    """The content of a generation stamp file (None when there is none or it cannot be read)."""
    if path is None:
        return None
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except OSError:
        return None


def _create_stamp(path: Any) -> str | None:
    """Create a space's missing stamp file (a store written before stamps existed), never over one a writer
    wrote meanwhile; return its content, or None when it was not this call that created it. A writer that
    changed the generation after this reader's Chroma read replaces the stamp after this creation (or made
    it fail): the next reader sees a new stamp either way."""
    token = uuid.uuid4().hex
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8") as fh:
            fh.write(token)
    except OSError:  # FileExistsError: a writer (or another reader) was first
        return None
    return token


def _write_stamp(path: Any, value: str) -> None:
    """Replace a generation stamp file whole (readers see the old content or the new one, never a part)."""
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.tmp{os.getpid()}-{threading.get_ident()}")
        tmp.write_text(value, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as e:  # readers then read Chroma at least every GENERATION_MEMO_S: slower, still right
        logger.warning("generation stamp %s not written: %s", path, e)


def _sync_threshold(collection: Any) -> int:
    """Records between two saves of a collection's HNSW index, from its raw configuration (`.configuration`
    would rebuild an embedding function an older version persisted, and fail)."""
    hnsw = (getattr(collection, "configuration_json", None) or {}).get("hnsw") or {}
    return int(hnsw.get("sync_threshold") or SYNC_THRESHOLD)


def _chunk(space: str, chunk_id: str, meta: dict[str, Any] | None, text: str | None) -> Chunk:
    return Chunk(id=chunk_id, text=text or "", meta={**(meta or {}), SPACE_KEY: space})


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


def _doc_info(doc_id: str, meta: dict[str, Any], space: str) -> DocumentInfo:
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
        space=space,
    )
