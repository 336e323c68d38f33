"""The topic bridge: from the words of citizens' questions to the articles that govern them, through the
Service-Public fiches (DILA, licence Etalab 2.0) shipped in the legal pack (`bridge.json.gz`).

A fiche such as "Inhumation" is a curated link from a topic and its words (its title, description,
introduction and headings) to the CGCT / CRPA articles it cites. At query time BM25 (the same French stems
and formula as rag/lexical.py) ranks the fiches on the question without its frame ("que prévoit la loi ?");
the fiches that hold at least half of the question's words (weighted by their idf in the law), and more than
one of them or a rare one, give their cited articles, which rag.retrieve fuses as a third channel (reciprocal ranks, the lexical channel's weight).
Building the file from the fiches is ingest.fiches (run by `mairie pack build`).

Example::

    bridge = TopicBridge.load()  # the shipped pack's bridge, or None when the pack has none
    [entry.title for entry, _ in bridge.fiches("Crémation : dispersion des cendres")][:1]
    # -> ['Crémation']
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import logging
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from rag import tuning
from rag.text import tokens
from rag.thesaurus import strip_frame

logger = logging.getLogger(__name__)

BRIDGE = "bridge.json.gz"  # the file's name in a pack folder (rag.pack)
FORMAT = 1
# Tuned on the dev half of benchmarks/gold_service_public.jsonl, leave-one-out (docs/EVALUATION.md).
FICHES = 2  # fiches whose articles enter the ranking
COVERAGE = 0.5  # share of the question's words (weighted by their idf in the law) a fiche must contain
ARTICLES = 10  # length of the bridge channel's ranked list
WEIGHT = 1.0  # its weight in the reciprocal-rank fusion (BM25 1.0, dense 0.8)
TITLE_REPEAT = 2  # a fiche's title counts this many times its other words
# A fiche that shares a single word with the question matches only if that word is rare in the law (idf at
# least this, about 20 passages of the 7,272): "Légalisation de signature" -> "Papiers à conserver"
# ("légalisation", 7.6) still matches; "comment est élu le maire ?" -> "Élu local salarié" ("élu", 3.9) and
# "Inhumation" -> "Crémation" ("inhumation", 5.3, 36 passages) no longer do. Dev, leave-one-out: 5.5 to 8
# give the same figures (hybrid + bridge MRR 0.601 -> 0.611, the inhumation question 4th -> 2nd); 5.0 none.
SINGLE_WORD_IDF = 6.0


def query_of(question: str) -> str:
    """What the bridge searches: the question without its frame ("que prévoit la loi ?"), without the
    thesaurus's expansions (they are words of the law, not of the fiches; same dev figures with them)."""
    return strip_frame(question)


@dataclass(frozen=True, slots=True)
class BridgeEntry:
    """One fiche: its id, title, address, words and cited articles ("CGCT:L2223-1") with their chunk ids."""

    id: str
    title: str
    url: str
    words: str
    articles: tuple[str, ...]
    chunks: tuple[tuple[str, ...], ...]  # per article, its passages' ids in the pack, in order

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> BridgeEntry:
        return cls(
            id=str(row["id"]),
            title=str(row["title"]),
            url=str(row.get("url", "")),
            words=str(row.get("words", "")),
            articles=tuple(row["articles"]),
            chunks=tuple(tuple(ids) for ids in row["chunks"]),
        )


class TopicBridge:
    """BM25 over the bridge's fiches; `articles` gives the articles of the fiches that match a question."""

    def __init__(
        self, entries: Iterable[BridgeEntry], header: dict[str, Any] | None = None, *, law: dict[str, Any] | None = None
    ) -> None:
        self.entries = list(entries)
        self.header = dict(header or {})
        self.law = dict(law or {})
        # A question's words weigh their idf in the law (a word the law lacks weighs the most); without these
        # frequencies, their idf among the fiches.
        law_df: dict[str, int] = self.law.get("df") or {}
        passages = int(self.law.get("passages") or 0)
        self._law_idf = {t: math.log(1 + (passages - df + 0.5) / (df + 0.5)) for t, df in law_df.items()}
        self._law_unknown = math.log(1 + (passages + 0.5) / 0.5) if passages else 0.0
        self._postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        rows: dict[str, list[int]] = {}
        freqs: dict[str, list[int]] = {}
        lengths: list[int] = []
        for row, entry in enumerate(self.entries):
            entry_tokens = tokens(" ".join([entry.title] * TITLE_REPEAT + [entry.words])) or ["_vide_"]
            lengths.append(len(entry_tokens))
            for token, count in Counter(entry_tokens).items():
                rows.setdefault(token, []).append(row)
                freqs.setdefault(token, []).append(count)
        for token, token_rows in rows.items():
            self._postings[token] = (np.asarray(token_rows, dtype=np.int32), np.asarray(freqs[token], dtype=np.float32))
        self._lengths = np.asarray(lengths, dtype=np.float32)
        n = len(self.entries)
        self._avgdl = float(self._lengths.mean()) if n else 1.0
        self._idf = {t: math.log(1 + (n - len(r) + 0.5) / (len(r) + 0.5)) for t, (r, _) in self._postings.items()}
        self._unknown_idf = math.log(1 + (n + 0.5) / 0.5)  # a word no fiche has

    def __len__(self) -> int:
        return len(self.entries)

    @classmethod
    def load(cls, directory: Path | None = None) -> TopicBridge | None:
        """The bridge of a pack folder (the shipped pack by default); None when the pack has no bridge."""
        from rag.pack import PACK_DIR

        return _load(directory or PACK_DIR)

    @classmethod
    def read(cls, path: Path) -> TopicBridge:
        """A bridge file (`write_bridge`), not checked against a manifest."""
        return cls.parse(gzip.decompress(path.read_bytes()))

    @classmethod
    def parse(cls, payload: bytes) -> TopicBridge:
        data = json.loads(payload)
        if data.get("format") != FORMAT:
            raise ValueError(f"bridge format {data.get('format')!r}, expected {FORMAT}")
        return cls((BridgeEntry.from_row(r) for r in data["fiches"]), data.get("header"), law=data.get("law"))

    def without(self, fiche_ids: Iterable[str]) -> TopicBridge:
        """The same bridge without these fiches (statistics recomputed): for leave-one-out evaluation."""
        excluded = set(fiche_ids)
        return TopicBridge((e for e in self.entries if e.id not in excluded), self.header, law=self.law)

    def fiches(self, query: str, *, k: int | None = None) -> list[tuple[BridgeEntry, float]]:
        """The best fiches for a query with their BM25 scores, best first; only the fiches holding at least
        COVERAGE of the query's words, each weighted by its idf in the law (the file's `law` frequencies; a
        word the bridge does not know weighs the most), or among the fiches when the file carries none; and
        at least two of them, or one of weight SINGLE_WORD_IDF or more."""
        query_tokens = list(dict.fromkeys(tokens(query)))
        if not query_tokens or not self.entries:
            return []
        if self._law_idf:
            weights = {t: self._law_idf.get(t, self._law_unknown) for t in query_tokens}
        else:
            weights = {t: self._idf.get(t, self._unknown_idf) for t in query_tokens}
        total = sum(weights.values())
        scores = np.zeros(len(self.entries), dtype=np.float32)
        covered = np.zeros(len(self.entries), dtype=np.float32)
        shared = np.zeros(len(self.entries), dtype=np.int32)
        rarest = np.zeros(len(self.entries), dtype=np.float32)
        norm = tuning.BM25_K1 * ((1 - tuning.BM25_B) + tuning.BM25_B * self._lengths / self._avgdl)
        for token in query_tokens:
            posting = self._postings.get(token)
            if posting is None:
                continue
            rows, freqs = posting
            scores[rows] += self._idf[token] * freqs / (norm[rows] + freqs)
            covered[rows] += weights[token]
            shared[rows] += 1
            rarest[rows] = np.maximum(rarest[rows], weights[token])
        topical = (shared >= 2) | (rarest >= SINGLE_WORD_IDF)
        eligible = np.flatnonzero((covered >= COVERAGE * total) & (scores > 0) & topical)
        best = sorted(eligible.tolist(), key=lambda i: (-float(scores[i]), self.entries[i].id))[: k or FICHES]
        return [(self.entries[i], float(scores[i])) for i in best]

    def articles(self, query: str, *, k: int | None = None) -> list[tuple[str, tuple[str, ...]]]:
        """(article, its chunk ids) of the best fiches, in fiche order then citation order, each once."""
        seen: dict[str, tuple[str, ...]] = {}
        for entry, _ in self.fiches(query, k=k):
            for article, ids in zip(entry.articles, entry.chunks, strict=True):
                seen.setdefault(article, ids)
        return list(seen.items())

    def ranked(self, question: str, found: dict[str, int]) -> list[str]:
        """The bridge channel's ranked passage ids for a question, one passage per cited article, at most
        ARTICLES: the articles the other channels also found first (by their best rank there, `found`:
        passage id -> rank), then the others in the fiches' order."""
        ordered: list[tuple[int, int, str]] = []
        for order, (_, ids) in enumerate(self.articles(query_of(question))):
            seen = [(found[i], i) for i in ids if i in found]
            ordered.append((0, *min(seen)) if seen else (1, order, ids[0]))
        return [chunk_id for _, _, chunk_id in sorted(ordered)][:ARTICLES]


@functools.cache
def _load(directory: Path) -> TopicBridge | None:
    """The bridge of a pack folder, checked against the pack's manifest; None when absent or damaged (the
    retrieval then runs without it: the bridge only adds candidates)."""
    path = directory / BRIDGE
    if not path.is_file():
        return None
    try:
        data = path.read_bytes()
        expected = json.loads((directory / "manifest.json").read_text(encoding="utf-8")).get("files", {}).get(BRIDGE)
        if expected != hashlib.sha256(data).hexdigest():
            raise ValueError("not the file the pack's manifest lists")
        return TopicBridge.parse(gzip.decompress(data))
    except (OSError, ValueError, KeyError, TypeError) as e:
        logger.warning("Topic bridge %s not used: %s", path, e)
        return None


def write_bridge(
    path: Path, rows: list[dict[str, Any]], header: dict[str, Any], *, law: dict[str, Any] | None = None
) -> None:
    """The bridge file: gzipped JSON with no name and a fixed mtime (the same rows give the same bytes);
    `law`: how common the bridge's words are in the law (ingest.fiches.law_frequencies)."""
    data = {"format": FORMAT, "header": header, "fiches": rows, "law": law or {}}
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    with path.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
        gz.write(payload)
