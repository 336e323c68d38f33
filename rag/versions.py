"""Dated versions of code articles, kept beside the chunks in their own Chroma collection.

Versions are looked up by article and date, never searched by meaning: the collection
`<collection>_versions` holds one record per (code, article, version date) with a constant one-value
embedding, so writing thousands of versions costs no model call.

Example (needs a live store)::

    versions = VersionStore(store=store)
    versions.write([VersionRecord("L2122-22", "2009-12-12", "Le maire peut ...", "Ordonnance n°2009-1530")])
    # -> 1
    in_force(versions.versions("L2122-22"), "2010-01-01").date
    # -> '2009-12-12'
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rag import schema
from rag.errors import StoreError
from rag.store import ChromaStore, date_to_int
from rag.text import has_html, html_to_text

logger = logging.getLogger(__name__)

WRITE_BATCH = 2000
READ_PAGE = 2000
# Versions are never compared by meaning: one constant value stands in for the embedding.
DUMMY_EMBEDDING = [1.0]
MESSAGE = "message"
TEXT = "text"  # the version's text, kept in metadata: Chroma indexes documents for full-text search
CONFIRMED = "confirmed"  # latest date at which a source saw this same text (collapsed versions)


@dataclass(frozen=True, slots=True)
class VersionRecord:
    """The text of one article from one date on (`date` = ISO date the version took effect)."""

    article: str
    date: str
    text: str
    message: str = ""  # the amending text, e.g. "LOI n°2014-58 du 27 janvier 2014"
    code: str = "CGCT"
    heading_path: str = ""
    source: str = ""

    @property
    def record_id(self) -> str:
        return hashlib.sha256(f"{self.code}\x00{self.article}\x00{self.date}".encode()).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class ArticleVersion:
    """One version as read back, consecutive identical texts merged (`confirmed` = latest date seen)."""

    date: str
    text: str
    message: str = ""
    confirmed: str = ""


def same_text(a: str, b: str) -> bool:
    """Equal once whitespace and typographic quotes are normalised."""
    return _norm(a) == _norm(b)


def fingerprint(text: str) -> str:
    """A short key equal for texts that are `same_text` (to compare many texts without keeping them)."""
    return hashlib.sha256(_norm(text).encode()).hexdigest()[:24]


def _norm(text: str) -> str:
    if has_html(text):  # a text kept as Légifrance HTML is the same text as its plain rendering
        text = html_to_text(text)
    return re.sub(r"\s+", " ", text.replace("’", "'").replace("\u00a0", " ")).strip()


class VersionStore:
    """Read and write `<collection>_versions` through the store's Chroma client."""

    def __init__(self, *, store: ChromaStore) -> None:
        self.store = store
        self._collection: Any = None

    @property
    def name(self) -> str:
        return f"{self.store.settings.collection}_versions"

    @property
    def collection(self) -> Any:
        """The collection, created if missing (for writing)."""
        if self._collection is None:
            try:
                self._collection = self.store.client.get_or_create_collection(
                    self.name, embedding_function=None, metadata={"purpose": "article versions"}
                )
            except Exception as e:
                raise StoreError(f"Impossible d'ouvrir la collection Chroma {self.name!r} : {e}") from e
        return self._collection

    def _existing(self) -> Any:
        """The collection if it exists (readers never create it: a read-only store stays untouched)."""
        if self._collection is None:
            try:
                names = {getattr(c, "name", c) for c in self.store.client.list_collections()}
            except Exception as e:
                raise StoreError(f"Impossible de lister les collections Chroma : {e}") from e
            if self.name not in names:
                return None
        return self.collection

    def write(self, records: Iterable[VersionRecord]) -> int:
        """Upsert versions (same code, article and date: replaced); return the number written."""
        unique = {r.record_id: r for r in records}
        items = list(unique.values())
        for start in range(0, len(items), WRITE_BATCH):
            batch = items[start : start + WRITE_BATCH]
            self.collection.upsert(  # no `documents`: Chroma would index the texts for full-text search
                ids=[r.record_id for r in batch],
                embeddings=[DUMMY_EMBEDDING for _ in batch],
                metadatas=[_meta(r) for r in batch],
            )
        if items:
            logger.info("Wrote %d article versions to %s", len(items), self.name)
        return len(items)

    def count(self) -> int:
        collection = self._existing()
        return int(collection.count()) if collection is not None else 0

    def versions(self, article: str, *, code: str | None = None) -> list[ArticleVersion]:
        """The versions of one article, oldest first, consecutive identical texts merged."""
        collection = self._existing()
        if collection is None:
            return []
        where: dict[str, Any] = {schema.ARTICLE: article}
        if code:
            where = {"$and": [where, {schema.CODE: code}]}
        got = collection.get(where=where, include=["metadatas", "documents"])
        rows = sorted(
            ((dict(m or {}), _text(m, t)) for m, t in zip(got["metadatas"], got["documents"], strict=True)),
            key=lambda row: str(row[0].get(schema.DATE, "")),
        )
        merged: list[ArticleVersion] = []
        for meta, text in rows:
            date = str(meta.get(schema.DATE, ""))
            if merged and same_text(merged[-1].text, text):
                last = merged[-1]
                merged[-1] = ArticleVersion(last.date, last.text, last.message, confirmed=date)
                continue
            merged.append(ArticleVersion(date, text, str(meta.get(MESSAGE, "")), confirmed=date))
        return merged

    def articles(self) -> dict[str, dict[str, Any]]:
        """Every article with versions: number -> metadata of its newest version (for listing)."""
        newest: dict[str, dict[str, Any]] = {}
        collection = self._existing()
        if collection is None:
            return newest
        offset = 0
        while True:
            got = collection.get(limit=READ_PAGE, offset=offset, include=["metadatas"])
            metas: Sequence[Any] = got["metadatas"] or []
            for meta in metas:
                meta = dict(meta or {})
                number = str(meta.get(schema.ARTICLE, ""))
                if number and str(meta.get(schema.DATE, "")) >= str(newest.get(number, {}).get(schema.DATE, "")):
                    newest[number] = meta
            if len(got["ids"]) < READ_PAGE:
                return newest
            offset += READ_PAGE


def in_force(versions: Sequence[ArticleVersion], date: str | None) -> ArticleVersion | None:
    """The version in force on `date` (the newest when date is None; None before the first version)."""
    if not versions:
        return None
    if date is None:
        return versions[-1]
    target = date_to_int(date)
    chosen = None
    for version in versions:
        if date_to_int(version.date) <= target:
            chosen = version
    return chosen


def _text(meta: Any, document: str | None) -> str:
    """A version's text: in its metadata, or in its document for stores written by earlier versions."""
    return str((meta or {}).get(TEXT) or document or "")


def _meta(record: VersionRecord) -> dict[str, Any]:
    meta: dict[str, Any] = {
        TEXT: record.text,
        schema.ARTICLE: record.article,
        schema.DATE: record.date,
        schema.DATE_INT: date_to_int(record.date),
        MESSAGE: record.message[:500],
        schema.CODE: record.code,
    }
    if record.heading_path:
        meta[schema.HEADING_PATH] = record.heading_path
    if record.source:
        meta[schema.SOURCE] = record.source
    return meta
