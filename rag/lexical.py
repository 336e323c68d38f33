"""BM25 over the chunks stored in Chroma (French Snowball stems), one partition per space, kept up to date.

Chroma is the source of truth. Each space's partition is saved beside the store with the documents it was
built from (doc ids and hashes); any write to a space changes that space's generation, and the partition
then reads only the documents added or changed since, and drops the rows of the removed ones: the other
spaces, and the rest of the space, are not rebuilt.
"""

from __future__ import annotations

import json
import logging
import math
import os
import shutil
import threading
import weakref
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np

from rag import schema, tuning
from rag.schema import Chunk, Filters
from rag.spaces import LAW_SPACE, collection_names
from rag.store import ChromaStore, matches_filters, normalize_key
from rag.text import tokens

logger = logging.getLogger(__name__)

INDEX_VERSION = 4
# A space this large has word frequencies of its own (rag.refusal reads a stem's IDF within it: `space_idf`); the demo's
# hundred council passages beside the law have not.
SPACE_IDF_PASSAGES = 1000
FULL_SCAN = 0.5  # above this share of new documents, a partition reads its whole space instead of by document
# Metadata kept in memory for filtering the lexical channel (the text stays in Chroma).
_FILTER_KEYS = (
    schema.KIND,
    schema.COMMUNE_KEY,
    schema.DATE_INT,
    schema.MATIERE,
    schema.MATIERE_L1,
    schema.OUTCOME,
    schema.UNANIMOUS,
    schema.SOURCE,
    schema.DOC_ID,
    schema.ARTICLE,
    schema.REGIME,
)
_EMPTY_ROWS = np.zeros(0, dtype=np.int32)


class _Postings:
    """One state of a space's BM25 postings (token -> passage rows and term frequencies).

    A published state is never changed: an update works on a copy (`updated`) and the partition then points
    to the new state, so a reader that took a state reads it whole, without a lock, while a writer updates.
    """

    def __init__(self) -> None:
        self.generation: str | None = None
        self.docs: dict[str, str] = {}  # doc id -> doc hash, as indexed
        self.ids: list[str] = []
        self.metas: list[dict[str, Any]] = []
        self.lengths = np.zeros(0, dtype=np.float32)
        self.postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def updated(self, store: ChromaStore, space: str, generation: str) -> _Postings | None:
        """A new state brought up to date with the space (only changed documents are read); None if unchanged."""
        current = {d.doc_id: d.doc_hash for d in store.documents(spaces=[space])}
        gone = {d for d, h in self.docs.items() if current.get(d) != h}
        new = [d for d, h in current.items() if self.docs.get(d) != h]
        work = _Postings()
        work.docs, work.generation = current, generation
        if not gone and not new:
            work.ids, work.metas, work.lengths, work.postings = self.ids, self.metas, self.lengths, self.postings
            return None if current == self.docs and generation == self.generation else work
        # Copies of the containers; the arrays themselves are replaced, never written, by _drop and _add.
        work.ids, work.metas, work.lengths, work.postings = (
            list(self.ids),
            list(self.metas),
            self.lengths,
            dict(self.postings),
        )
        if gone:
            work._drop(gone)
        if new:
            if len(new) > FULL_SCAN * max(1, len(current)):
                wanted = set(new)
                chunks = (c for c in store.iter_chunks(spaces=[space]) if c.meta.get(schema.DOC_ID) in wanted)
                work._add(chunks)
            else:
                for start in range(0, len(new), 500):
                    part = new[start : start + 500]
                    where = {schema.DOC_ID: part[0]} if len(part) == 1 else {schema.DOC_ID: {"$in": part}}
                    work._add(store.iter_chunks(where=where, spaces=[space]))
        logger.info("Lexical index of space %s: -%d +%d documents", space, len(gone), len(new))
        return work

    def _add(self, chunks: Iterable[Chunk]) -> None:
        rows: dict[str, list[int]] = {}
        freqs: dict[str, list[int]] = {}
        lengths: list[int] = []
        row = len(self.ids)
        for chunk in chunks:
            self.ids.append(chunk.id)
            self.metas.append({k: chunk.meta.get(k) for k in _FILTER_KEYS if chunk.meta.get(k) is not None})
            doc_tokens = tokens(_indexed_text(chunk.text, chunk.meta)) or ["_vide_"]
            lengths.append(len(doc_tokens))
            for token, count in Counter(doc_tokens).items():
                rows.setdefault(token, []).append(row)
                freqs.setdefault(token, []).append(count)
            row += 1
        self.lengths = np.concatenate([self.lengths, np.asarray(lengths, dtype=np.float32)])
        for token, token_rows in rows.items():
            new_rows = np.asarray(token_rows, dtype=np.int32)
            new_freqs = np.asarray(freqs[token], dtype=np.float32)
            old = self.postings.get(token)
            if old is not None:
                new_rows, new_freqs = np.concatenate([old[0], new_rows]), np.concatenate([old[1], new_freqs])
            self.postings[token] = (new_rows, new_freqs)

    def _drop(self, doc_ids: set[str]) -> None:
        keep = np.array([m.get(schema.DOC_ID) not in doc_ids for m in self.metas], dtype=bool)
        renumber = (np.cumsum(keep) - 1).astype(np.int32)
        for token, (rows, freqs) in list(self.postings.items()):
            kept = keep[rows]
            if not kept.any():
                del self.postings[token]
            elif not kept.all():
                self.postings[token] = (renumber[rows[kept]], freqs[kept])
            else:
                self.postings[token] = (renumber[rows], freqs)
        self.ids = [i for i, k in zip(self.ids, keep, strict=True) if k]
        self.metas = [m for m, k in zip(self.metas, keep, strict=True) if k]
        self.lengths = self.lengths[keep]

    def df(self, token: str) -> int:
        return len(self.postings.get(token, (_EMPTY_ROWS, _EMPTY_ROWS))[0])

    def scores(self, query_tokens: list[str], idf: dict[str, float], avgdl: float) -> np.ndarray:
        """BM25 (Lucene variant, as bm25s computes it) of every passage, with the view's idf and avgdl."""
        scores = np.zeros(len(self.ids), dtype=np.float32)
        norm = tuning.BM25_K1 * ((1 - tuning.BM25_B) + tuning.BM25_B * self.lengths / avgdl)
        for token in query_tokens:
            rows, freqs = self.postings.get(token, (_EMPTY_ROWS, _EMPTY_ROWS))
            if len(rows):
                scores[rows] += idf[token] * freqs / (norm[rows] + freqs)
        return scores


class _Partition:
    """The BM25 index of one space, saved beside the store, brought up to date document by document.

    `state` is the current _Postings; `version` counts its replacements (views cache what they derive
    from it by version).
    """

    def __init__(self, space: str, directory: Path) -> None:
        self.space = space
        self.directory = directory
        self.state = _Postings()
        self.version = 0
        self.lock = threading.Lock()
        self._loaded = False

    def refresh(self, store: ChromaStore, generation: str) -> None:
        """Load the saved partition once, then apply the space's changes (a no-op when up to date)."""
        with self.lock:
            if not self._loaded:
                self._loaded = True
                loaded = self.load()
                if loaded is not None:
                    self.state, self.version = loaded, self.version + 1
            if self.state.generation == generation and generation:
                return
            new = self.state.updated(store, self.space, generation)
            if new is not None:
                self.state, self.version = new, self.version + 1
            if new is not None or not self.directory.exists():
                try:
                    self.save()
                except OSError as e:  # another process saved it at the same moment: ours is in memory
                    logger.info("Lexical index of space %s not saved (%s)", self.space, e)

    # --- saving ------------------------------------------------------------------------------------
    def save(self) -> None:
        tmp = self.directory.with_name(self.directory.name + f".tmp{os.getpid()}")
        old = self.directory.with_name(self.directory.name + f".old{os.getpid()}")
        try:
            self._write(tmp, old)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
            shutil.rmtree(old, ignore_errors=True)

    def _write(self, tmp: Path, old: Path) -> None:
        state = self.state
        tmp.mkdir(parents=True, exist_ok=True)
        vocab = sorted(state.postings)
        offsets = np.cumsum([0] + [len(state.postings[t][0]) for t in vocab]).astype(np.int64)
        rows = [state.postings[t][0] for t in vocab]
        freqs = [state.postings[t][1] for t in vocab]
        np.savez(
            tmp / "postings.npz",
            offsets=offsets,
            rows=np.concatenate(rows) if rows else _EMPTY_ROWS,
            freqs=np.concatenate(freqs) if freqs else np.zeros(0, dtype=np.float32),
            lengths=state.lengths,
        )
        saved = {
            "version": INDEX_VERSION,
            "space": self.space,
            "generation": state.generation,
            "docs": state.docs,
            "ids": state.ids,
            "metas": state.metas,
            "vocab": vocab,
        }
        (tmp / "ids.json").write_text(json.dumps(saved), encoding="utf-8")
        # Swap directories so a reader never sees a half-written index.
        if self.directory.exists():
            self.directory.rename(old)
        tmp.rename(self.directory)

    def load(self) -> _Postings | None:
        """The saved partition (None when absent, of another version or damaged: it is then rebuilt)."""
        meta_path = self.directory / "ids.json"
        if not meta_path.exists():
            return None
        try:
            data = json.loads(meta_path.read_text(encoding="utf-8"))
            if data.get("version") != INDEX_VERSION or data.get("space") != self.space:
                return None
            with np.load(self.directory / "postings.npz", allow_pickle=False) as arrays:
                offsets, rows, freqs = arrays["offsets"], arrays["rows"], arrays["freqs"]
                lengths = arrays["lengths"]
            vocab = data["vocab"]
            if len(offsets) != len(vocab) + 1 or len(lengths) != len(data["ids"]):
                raise ValueError("inconsistent arrays")
        except Exception as e:  # a damaged derived index is rebuilt, never fatal
            logger.warning("Lexical index at %s unreadable (%s): rebuilding", self.directory, e)
            return None
        state = _Postings()
        state.postings = {
            t: (rows[offsets[i] : offsets[i + 1]], freqs[offsets[i] : offsets[i + 1]]) for i, t in enumerate(vocab)
        }
        state.ids, state.metas, state.lengths = list(data["ids"]), list(data["metas"]), lengths
        state.docs, state.generation = dict(data["docs"]), data.get("generation")
        return state


# The shared law's partition, one per process and store: every view of a server (ui.api.SpaceBases, one per
# space) reads the same copy instead of each loading its own. Held weakly: it goes with the last view.
_SHARED: weakref.WeakValueDictionary[Path, _Partition] = weakref.WeakValueDictionary()
_SHARED_LOCK = threading.Lock()


def _partition(store: ChromaStore, space: str) -> _Partition:
    directory = _directory(store, space)
    if space != LAW_SPACE:
        return _Partition(space, directory)
    key = directory.absolute()
    with _SHARED_LOCK:
        part = _SHARED.get(key)
        if part is None:
            part = _SHARED[key] = _Partition(space, directory)
        return part


class LexicalIndex:
    """BM25 over the passages of a store's view: one partition per space, updated document by document.

    `search()` first brings every partition up to date. Scores use the statistics (idf, mean length) of the
    whole view, so they are those of one index over the view's passages. The shared law's partition is one
    object for all the views of a process (each reads a state that is replaced whole, never changed).
    """

    def __init__(self, *, store: ChromaStore) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._parts = [_partition(store, space) for space in store.spaces]
        self._generation: str | None = None
        self._seen: tuple[int, ...] | None = None  # the partitions' versions this view last derived from
        self._communes: set[str] | None = None

    def ensure_fresh(self) -> bool:
        """Load the saved partitions and apply the store's changes to them; True when something changed."""
        with self._lock:
            generation = self.store.generation()
            if self._seen is not None and generation == self._generation:
                return False
            for part in self._parts:
                part.refresh(self.store, self.store.space_generation(part.space))
            seen = tuple(part.version for part in self._parts)
            changed = seen != self._seen
            self._generation, self._seen = generation, seen
            if changed:
                self._communes = None
            return changed

    def _states(self) -> list[_Postings]:
        return [part.state for part in self._parts]

    @property
    def ids(self) -> list[str]:
        return [i for state in self._states() for i in state.ids]

    # --- searching ---------------------------------------------------------------------------------
    def search(self, query: str, *, k: int, filters: Filters | None = None) -> list[tuple[str, float]]:
        """(chunk id, BM25 score) of the best chunks, best first; only positive scores."""
        self.ensure_fresh()
        states = self._states()
        total = sum(len(state.ids) for state in states)
        df = {t: sum(state.df(t) for state in states) for t in set(tokens(query))}
        query_tokens = [t for t in tokens(query) if df.get(t)]
        if not total or not query_tokens:
            return []
        avgdl = float(sum(float(state.lengths.sum()) for state in states)) / total
        idf = {t: math.log(1 + (total - df[t] + 0.5) / (df[t] + 0.5)) for t in set(query_tokens)}
        hits: list[tuple[str, float]] = []
        for state in states:
            if not state.ids:
                continue
            scores = state.scores(query_tokens, idf, avgdl)
            if filters is not None and not filters.is_empty():
                mask = np.array([matches_filters(m, filters) for m in state.metas], dtype=bool)
                scores = np.where(mask, scores, 0.0)
            top_k = min(k, len(scores))
            top = np.argpartition(-scores, top_k - 1)[:top_k] if top_k < len(scores) else np.arange(len(scores))
            hits.extend((state.ids[i], float(scores[i])) for i in top if scores[i] > 0)
        hits.sort(key=lambda hit: -hit[1])
        return hits[:k]

    def communes(self) -> set[str]:
        """The commune keys of the indexed passages."""
        self.ensure_fresh()
        communes = self._communes
        if communes is None:
            communes = self._communes = {
                str(m[schema.COMMUNE_KEY]) for state in self._states() for m in state.metas if m.get(schema.COMMUNE_KEY)
            }
        return communes

    def written_by(self, token: str, commune: Callable[[str], bool]) -> bool:
        """Whether a council document whose commune key passes `commune` writes this stem."""
        self.ensure_fresh()
        for state in self._states():
            rows = state.postings.get(token, (_EMPTY_ROWS, _EMPTY_ROWS))[0]
            if any(commune(str(state.metas[int(r)].get(schema.COMMUNE_KEY) or "")) for r in rows):
                return True
        return False

    def idf(self, token: str) -> float:
        """Inverse document frequency of a stem (a stem absent from the corpus gets the highest value)."""
        self.ensure_fresh()
        states = self._states()
        n = max(1, sum(len(state.ids) for state in states))
        return math.log((n + 1) / (sum(state.df(token) for state in states) + 0.5))

    def space_idf(self, token: str) -> float:
        """The lowest inverse document frequency of a stem over the whole view and within each of its spaces of at
        least SPACE_IDF_PASSAGES passages: a word common in a town's minutes is common however much law the store
        also holds ("Ville" is in a tenth of the council's passages and in none of the law's: 2.15 over the whole
        corpus, 1.9 within the council's). A store with one large space (or none) gives `idf`."""
        self.ensure_fresh()
        states = self._states()
        n = max(1, sum(len(state.ids) for state in states))
        dfs = [state.df(token) for state in states]
        value = math.log((n + 1) / (sum(dfs) + 0.5))
        for state, df in zip(states, dfs, strict=True):
            if len(state.ids) >= SPACE_IDF_PASSAGES and len(state.ids) < n:
                value = min(value, math.log((len(state.ids) + 1) / (df + 0.5)))
        return value

    def verify_against_store(self) -> list[str]:
        """Differences between this index and Chroma (empty when they match exactly)."""
        self.ensure_fresh()
        problems: list[str] = []
        for part in self._parts:
            state = part.state
            store_ids = {c.id for c in self.store.iter_chunks(spaces=[part.space])}
            index_ids = set(state.ids)
            problems += [f"absent de l'index lexical : {i}" for i in sorted(store_ids - index_ids)]
            problems += [f"orphelin dans l'index lexical : {i}" for i in sorted(index_ids - store_ids)]
            if len(state.ids) != len(index_ids):
                problems.append(f"doublons dans l'index lexical (espace {part.space})")
        return problems


def _indexed_text(text: str, meta: dict[str, Any]) -> str:
    """What BM25 matches: the text plus its title and heading path (so "quorum" finds its section)."""
    extra = " ".join(str(meta.get(k, "")) for k in ("title", "heading_path", "objet", "commune") if meta.get(k))
    return f"{extra}\n{text}" if extra else text


def _directory(store: ChromaStore, space: str) -> Path:
    """Where a space's partition is saved: beside the store, named after the space's collection."""
    settings = store.settings
    name = collection_names(settings.collection, space)[0]
    if settings.chroma_url:
        return settings.store / "lexical-remote" / normalize_key(f"{settings.chroma_url}-{name}")
    return settings.store / "lexical" / name
