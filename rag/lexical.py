"""BM25 over the chunks stored in Chroma (French Snowball stems), derived and rebuilt when stale.

Chroma is the source of truth. This index is saved beside it with the fingerprint of the documents it
was built from (sorted doc ids and hashes); any write to the store changes the store's generation, and a
changed fingerprint triggers a rebuild from Chroma.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import threading
from pathlib import Path
from typing import Any

import numpy as np

from rag import schema, tuning
from rag.schema import Filters
from rag.store import ChromaStore, matches_filters, normalize_key
from rag.text import tokens

logger = logging.getLogger(__name__)
logging.getLogger("bm25s").setLevel(logging.WARNING)

INDEX_VERSION = 3
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


class LexicalIndex:
    """BM25 index of the store's chunks; `search()` rebuilds it first when the store changed."""

    def __init__(self, *, store: ChromaStore, directory: Path | None = None) -> None:
        self.store = store
        base = directory or _default_dir(store)
        self.directory = base
        self._lock = threading.Lock()
        self._bm25: Any = None
        self._ids: list[str] = []
        self._metas: list[dict[str, Any]] = []
        self._fingerprint = ""
        self._generation: str | None = None
        self._df: dict[str, int] = {}
        self._communes: set[str] | None = None

    # --- freshness ---------------------------------------------------------------------------------
    def fingerprint(self) -> str:
        docs = sorted((d.doc_id, d.doc_hash) for d in self.store.documents())
        digest = hashlib.sha256(json.dumps([INDEX_VERSION, docs]).encode()).hexdigest()
        return digest

    def ensure_fresh(self) -> bool:
        """Load or rebuild the index if the store changed; return True when it was rebuilt."""
        with self._lock:
            generation = self.store.generation()
            if self._bm25 is not None and generation == self._generation:
                return False
            if self._bm25 is None and self._load_saved(generation):
                return False
            fingerprint = self.fingerprint()
            if self._bm25 is not None and fingerprint == self._fingerprint:
                self._generation = generation
                return False
            self._build(fingerprint)
            self._generation = generation
            self._save(generation)
            return True

    @property
    def ids(self) -> list[str]:
        return list(self._ids)

    # --- building ----------------------------------------------------------------------------------
    def _build(self, fingerprint: str) -> None:
        import bm25s

        logging.getLogger("bm25s").setLevel(logging.WARNING)  # bm25s sets its own logger to DEBUG on import
        ids: list[str] = []
        metas: list[dict[str, Any]] = []
        corpus: list[list[str]] = []
        df: dict[str, int] = {}
        for chunk in self.store.iter_chunks():
            ids.append(chunk.id)
            metas.append({k: chunk.meta.get(k) for k in _FILTER_KEYS if chunk.meta.get(k) is not None})
            doc_tokens = tokens(_indexed_text(chunk.text, chunk.meta)) or ["_vide_"]
            corpus.append(doc_tokens)
            for token in set(doc_tokens):
                df[token] = df.get(token, 0) + 1
        self._df = df
        logger.info("Building the BM25 index over %d chunks", len(ids))
        bm25 = bm25s.BM25(k1=tuning.BM25_K1, b=tuning.BM25_B)
        if corpus:
            bm25.index(corpus, show_progress=False)
        self._bm25 = bm25 if corpus else None
        self._ids, self._metas, self._fingerprint = ids, metas, fingerprint
        self._communes = None

    def _save(self, generation: str) -> None:
        if self._bm25 is None:
            return
        tmp = self.directory.with_name(self.directory.name + f".tmp{os.getpid()}")
        tmp.mkdir(parents=True, exist_ok=True)
        self._bm25.save(str(tmp / "bm25"))
        (tmp / "ids.json").write_text(
            json.dumps(
                {
                    "fingerprint": self._fingerprint,
                    "generation": generation,
                    "ids": self._ids,
                    "metas": self._metas,
                    "df": self._df,
                    "version": INDEX_VERSION,
                }
            ),
            encoding="utf-8",
        )
        # Swap directories so a reader never sees a half-written index.
        old = self.directory.with_name(self.directory.name + f".old{os.getpid()}")
        if self.directory.exists():
            self.directory.rename(old)
        tmp.rename(self.directory)
        if old.exists():
            import shutil

            shutil.rmtree(old, ignore_errors=True)

    def _load_saved(self, generation: str) -> bool:
        meta_path = self.directory / "ids.json"
        if not meta_path.exists():
            return False
        try:
            import bm25s

            data = json.loads(meta_path.read_text(encoding="utf-8"))
            if data.get("version") != INDEX_VERSION:
                return False
            if data.get("generation") != generation and data.get("fingerprint") != self.fingerprint():
                return False
            self._bm25 = bm25s.BM25.load(str(self.directory / "bm25"))
        except Exception as e:  # a damaged derived index is rebuilt, never fatal
            logger.warning("Lexical index at %s unreadable (%s): rebuilding", self.directory, e)
            return False
        self._ids, self._metas, self._df = data["ids"], data["metas"], data.get("df", {})
        self._communes = None
        self._fingerprint, self._generation = data["fingerprint"], generation
        return True

    # --- searching ---------------------------------------------------------------------------------
    def search(self, query: str, *, k: int, filters: Filters | None = None) -> list[tuple[str, float]]:
        """(chunk id, BM25 score) of the best chunks, best first; only positive scores."""
        self.ensure_fresh()
        if self._bm25 is None:
            return []
        vocab = self._bm25.vocab_dict
        query_tokens = [t for t in tokens(query) if t in vocab]
        if not query_tokens:
            return []
        scores = np.asarray(self._bm25.get_scores(query_tokens), dtype=np.float32)
        if filters is not None and not filters.is_empty():
            mask = np.array([matches_filters(m, filters) for m in self._metas], dtype=bool)
            scores = np.where(mask, scores, 0.0)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
        top = top[np.argsort(-scores[top])]
        return [(self._ids[i], float(scores[i])) for i in top if scores[i] > 0]

    def communes(self) -> set[str]:
        """The commune keys of the indexed passages."""
        self.ensure_fresh()
        if self._communes is None:
            self._communes = {str(m[schema.COMMUNE_KEY]) for m in self._metas if m.get(schema.COMMUNE_KEY)}
        return self._communes

    def idf(self, token: str) -> float:
        """Inverse document frequency of a stem (a stem absent from the corpus gets the highest value)."""
        self.ensure_fresh()
        n = max(1, len(self._ids))
        return math.log((n + 1) / (self._df.get(token, 0) + 0.5))

    def verify_against_store(self) -> list[str]:
        """Differences between this index and Chroma (empty when they match exactly)."""
        self.ensure_fresh()
        store_ids = {c.id for c in self.store.iter_chunks()}
        index_ids = set(self._ids)
        problems = [f"absent de l'index lexical : {i}" for i in sorted(store_ids - index_ids)]
        problems += [f"orphelin dans l'index lexical : {i}" for i in sorted(index_ids - store_ids)]
        if len(self._ids) != len(index_ids):
            problems.append("doublons dans l'index lexical")
        return problems


def _indexed_text(text: str, meta: dict[str, Any]) -> str:
    """What BM25 matches: the text plus its title and heading path (so "quorum" finds its section)."""
    extra = " ".join(str(meta.get(k, "")) for k in ("title", "heading_path", "objet", "commune") if meta.get(k))
    return f"{extra}\n{text}" if extra else text


def _default_dir(store: ChromaStore) -> Path:
    settings = store.settings
    if settings.chroma_url:
        key = normalize_key(f"{settings.chroma_url}-{settings.collection}")
        return settings.store / "lexical-remote" / key
    return settings.store / "lexical" / settings.collection
