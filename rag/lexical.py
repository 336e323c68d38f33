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
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from rag import schema, tuning
from rag.schema import Chunk, Filters
from rag.spaces import collection_names
from rag.store import ChromaStore, matches_filters, normalize_key
from rag.text import tokens

logger = logging.getLogger(__name__)

INDEX_VERSION = 4
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


class _Partition:
    """The BM25 postings of one space (token -> passage rows and term frequencies), updated by document."""

    def __init__(self, space: str, directory: Path) -> None:
        self.space = space
        self.directory = directory
        self.generation: str | None = None
        self.docs: dict[str, str] = {}  # doc id -> doc hash, as indexed
        self.ids: list[str] = []
        self.metas: list[dict[str, Any]] = []
        self.lengths = np.zeros(0, dtype=np.float32)
        self.postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def sync(self, store: ChromaStore, generation: str) -> bool:
        """Bring the partition up to date with its space; only changed documents are read. True if it changed."""
        current = {d.doc_id: d.doc_hash for d in store.documents(spaces=[self.space])}
        gone = {d for d, h in self.docs.items() if current.get(d) != h}
        new = [d for d, h in current.items() if self.docs.get(d) != h]
        if gone:
            self._drop(gone)
        if new:
            if len(new) > FULL_SCAN * max(1, len(current)):
                wanted = set(new)
                chunks = (c for c in store.iter_chunks(spaces=[self.space]) if c.meta.get(schema.DOC_ID) in wanted)
                self._add(chunks)
            else:
                for start in range(0, len(new), 500):
                    part = new[start : start + 500]
                    where = {schema.DOC_ID: part[0]} if len(part) == 1 else {schema.DOC_ID: {"$in": part}}
                    self._add(store.iter_chunks(where=where, spaces=[self.space]))
        self.docs, self.generation = current, generation
        if gone or new:
            logger.info("Lexical index of space %s: -%d +%d documents", self.space, len(gone), len(new))
        return bool(gone or new)

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

    def scores(self, query_tokens: list[str], idf: dict[str, float], avgdl: float) -> np.ndarray:
        """BM25 (Lucene variant, as bm25s computes it) of every passage, with the view's idf and avgdl."""
        scores = np.zeros(len(self.ids), dtype=np.float32)
        norm = tuning.BM25_K1 * ((1 - tuning.BM25_B) + tuning.BM25_B * self.lengths / avgdl)
        for token in query_tokens:
            rows, freqs = self.postings.get(token, (_EMPTY_ROWS, _EMPTY_ROWS))
            if len(rows):
                scores[rows] += idf[token] * freqs / (norm[rows] + freqs)
        return scores

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
        tmp.mkdir(parents=True, exist_ok=True)
        vocab = sorted(self.postings)
        offsets = np.cumsum([0] + [len(self.postings[t][0]) for t in vocab]).astype(np.int64)
        rows = [self.postings[t][0] for t in vocab]
        freqs = [self.postings[t][1] for t in vocab]
        np.savez(
            tmp / "postings.npz",
            offsets=offsets,
            rows=np.concatenate(rows) if rows else _EMPTY_ROWS,
            freqs=np.concatenate(freqs) if freqs else np.zeros(0, dtype=np.float32),
            lengths=self.lengths,
        )
        state = {
            "version": INDEX_VERSION,
            "space": self.space,
            "generation": self.generation,
            "docs": self.docs,
            "ids": self.ids,
            "metas": self.metas,
            "vocab": vocab,
        }
        (tmp / "ids.json").write_text(json.dumps(state), encoding="utf-8")
        # Swap directories so a reader never sees a half-written index.
        if self.directory.exists():
            self.directory.rename(old)
        tmp.rename(self.directory)

    def load(self) -> bool:
        """Read the saved partition (False when absent, of another version or damaged: it is then rebuilt)."""
        meta_path = self.directory / "ids.json"
        if not meta_path.exists():
            return False
        try:
            data = json.loads(meta_path.read_text(encoding="utf-8"))
            if data.get("version") != INDEX_VERSION or data.get("space") != self.space:
                return False
            with np.load(self.directory / "postings.npz", allow_pickle=False) as arrays:
                offsets, rows, freqs = arrays["offsets"], arrays["rows"], arrays["freqs"]
                lengths = arrays["lengths"]
            vocab = data["vocab"]
            if len(offsets) != len(vocab) + 1 or len(lengths) != len(data["ids"]):
                raise ValueError("inconsistent arrays")
        except Exception as e:  # a damaged derived index is rebuilt, never fatal
            logger.warning("Lexical index at %s unreadable (%s): rebuilding", self.directory, e)
            return False
        self.postings = {
            t: (rows[offsets[i] : offsets[i + 1]], freqs[offsets[i] : offsets[i + 1]]) for i, t in enumerate(vocab)
        }
        self.ids, self.metas, self.lengths = list(data["ids"]), list(data["metas"]), lengths
        self.docs, self.generation = dict(data["docs"]), data.get("generation")
        return True


class LexicalIndex:
    """BM25 over the passages of a store's view: one partition per space, updated document by document.

    `search()` first brings every partition up to date. Scores use the statistics (idf, mean length) of the
    whole view, so they are those of one index over the view's passages.
    """

    def __init__(self, *, store: ChromaStore) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._parts = [_Partition(space, _directory(store, space)) for space in store.spaces]
        self._loaded = False
        self._generation: str | None = None
        self._df: dict[str, int] = {}
        self._communes: set[str] | None = None

    def ensure_fresh(self) -> bool:
        """Load the saved partitions and apply the store's changes to them; True when something changed."""
        with self._lock:
            generation = self.store.generation()
            if self._loaded and generation == self._generation:
                return False
            changed = False
            for part in self._parts:
                if not self._loaded and not part.load():
                    part.generation = None
                space_generation = self.store.space_generation(part.space)
                if part.generation == space_generation and space_generation:
                    continue
                if part.sync(self.store, space_generation) or not part.directory.exists():
                    changed = True
                    try:
                        part.save()
                    except OSError as e:  # another process saved it at the same moment: ours is in memory
                        logger.info("Lexical index of space %s not saved (%s)", part.space, e)
            self._loaded, self._generation = True, generation
            if changed or self._communes is None:
                self._df = {}
                for part in self._parts:
                    for token, (rows, _) in part.postings.items():
                        self._df[token] = self._df.get(token, 0) + len(rows)
                self._communes = None
            return changed

    @property
    def ids(self) -> list[str]:
        return [i for part in self._parts for i in part.ids]

    # --- searching ---------------------------------------------------------------------------------
    def search(self, query: str, *, k: int, filters: Filters | None = None) -> list[tuple[str, float]]:
        """(chunk id, BM25 score) of the best chunks, best first; only positive scores."""
        self.ensure_fresh()
        total = sum(len(part.ids) for part in self._parts)
        query_tokens = [t for t in tokens(query) if self._df.get(t)]
        if not total or not query_tokens:
            return []
        avgdl = float(sum(float(part.lengths.sum()) for part in self._parts)) / total
        idf = {t: math.log(1 + (total - self._df[t] + 0.5) / (self._df[t] + 0.5)) for t in set(query_tokens)}
        hits: list[tuple[str, float]] = []
        for part in self._parts:
            if not part.ids:
                continue
            scores = part.scores(query_tokens, idf, avgdl)
            if filters is not None and not filters.is_empty():
                mask = np.array([matches_filters(m, filters) for m in part.metas], dtype=bool)
                scores = np.where(mask, scores, 0.0)
            top_k = min(k, len(scores))
            top = np.argpartition(-scores, top_k - 1)[:top_k] if top_k < len(scores) else np.arange(len(scores))
            hits.extend((part.ids[i], float(scores[i])) for i in top if scores[i] > 0)
        hits.sort(key=lambda hit: -hit[1])
        return hits[:k]

    def communes(self) -> set[str]:
        """The commune keys of the indexed passages."""
        self.ensure_fresh()
        if self._communes is None:
            self._communes = {
                str(m[schema.COMMUNE_KEY]) for part in self._parts for m in part.metas if m.get(schema.COMMUNE_KEY)
            }
        return self._communes

    def idf(self, token: str) -> float:
        """Inverse document frequency of a stem (a stem absent from the corpus gets the highest value)."""
        self.ensure_fresh()
        n = max(1, sum(len(part.ids) for part in self._parts))
        return math.log((n + 1) / (self._df.get(token, 0) + 0.5))

    def verify_against_store(self) -> list[str]:
        """Differences between this index and Chroma (empty when they match exactly)."""
        self.ensure_fresh()
        problems: list[str] = []
        for part in self._parts:
            store_ids = {c.id for c in self.store.iter_chunks(spaces=[part.space])}
            index_ids = set(part.ids)
            problems += [f"absent de l'index lexical : {i}" for i in sorted(store_ids - index_ids)]
            problems += [f"orphelin dans l'index lexical : {i}" for i in sorted(index_ids - store_ids)]
            if len(part.ids) != len(index_ids):
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
