"""Deliberation records <-> chunk metadata, and the records rebuilt from the store (the source of truth).

Every chunk of a deliberation carries its record: `record_meta` writes it, `record_from_meta` reads it back
(exact inverses, except OBJET cut at MAX_OBJET characters; unknown values are absent, never 0 or "").
One record per (document, record index). An SCDL row whose DELIB_URL names a PDF that is also indexed is
linked to that PDF.

>>> from rag.schema import DeliberationRecord
>>> record = DeliberationRecord(source="pv.pdf", delib_id="2020-042", pour=13, abstention=1)
>>> record_from_meta(record_meta(record)) == record
True
>>> vote_label(record)
'13 pour, 1 abstention(s)'
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote, urlparse

from rag import schema
from rag.french import fold, number_from_words
from rag.schema import Chunk, DeliberationRecord, Filters
from rag.store import ChromaStore, date_to_int, matches_filters, normalize_key

MAX_OBJET = 500  # characters of OBJET kept in the metadata (the whole text is in the chunks)

# Record field <-> metadata key, for the fields stored as they are (None = absent).
_PLAIN = {
    "source": schema.SOURCE,
    "commune": schema.COMMUNE,
    "date": schema.DATE,
    "delib_id": schema.DELIB_ID,
    "rapporteur": schema.RAPPORTEUR,
    "outcome": schema.OUTCOME,
    "unanimous": schema.UNANIMOUS,
    "vote_text": schema.VOTE,
    "matiere_code": schema.MATIERE,
    "matiere_nom": schema.MATIERE_NOM,
    "url": schema.URL,
    "path": schema.PATH,
}
_COUNTS = {
    "pour": schema.VOTE_POUR,
    "contre": schema.VOTE_CONTRE,
    "abstention": schema.VOTE_ABSTENTION,
    "en_exercice": schema.EN_EXERCICE,
    "presents": schema.PRESENTS,
    "representes": schema.REPRESENTES,
    "votants": schema.VOTANTS,
}

# What a user may type for --outcome (accents and case folded); the stored values are schema.OUTCOMES.
_OUTCOME_ALIASES = {
    **schema.OUTCOME_WORDS,
    "adopte": schema.OUTCOME_ADOPTED,
    "rejete": schema.OUTCOME_REJECTED,
    schema.OUTCOME_ADOPTED: schema.OUTCOME_ADOPTED,
    schema.OUTCOME_REJECTED: schema.OUTCOME_REJECTED,
}
OUTCOME_LABELS = {schema.OUTCOME_ADOPTED: "Adoptée", schema.OUTCOME_REJECTED: "Rejetée"}


def outcome_from_text(text: str) -> str | None:
    """ "adoptée", "Rejetee", "adopted" ... -> the stored outcome value; None when it is none of them."""
    return _OUTCOME_ALIASES.get(normalize_key(text))


def commune_date_meta(commune: str | None, date: str | None) -> dict[str, Any]:
    """COMMUNE and DATE with the derived keys the filters compare (COMMUNE_KEY, DATE_INT)."""
    meta: dict[str, Any] = {}
    if commune:
        meta[schema.COMMUNE] = commune
        meta[schema.COMMUNE_KEY] = normalize_key(commune)
    if date:
        meta[schema.DATE] = date
        meta[schema.DATE_INT] = date_to_int(date)
    return meta


def record_meta(record: DeliberationRecord) -> dict[str, Any]:
    """The flat metadata every chunk of the deliberation carries (None values left out: never invented).

    The text and the key are not part of it: the chunks hold the text, the store gives the key.
    """
    meta: dict[str, Any] = {schema.KIND: schema.KIND_DELIBERATION}
    for name, key in (_PLAIN | _COUNTS).items():
        meta[key] = getattr(record, name)
    meta[schema.OBJET] = (record.objet or "")[:MAX_OBJET] or None
    meta[schema.MATIERE_L1] = record.matiere_code.split(".")[0] if record.matiere_code else None
    meta[schema.ARTICLES_VISES] = ";".join(record.articles_vises) or None
    meta[schema.RECORD_PAGE_START] = record.page_start
    meta[schema.RECORD_PAGE_END] = record.page_end
    meta.update(commune_date_meta(record.commune, record.date))
    return {k: v for k, v in meta.items() if v is not None}


def record_from_meta(meta: dict[str, Any], text: str = "") -> DeliberationRecord:
    """The record carried by one chunk's metadata (the inverse of record_meta; absent values stay None)."""
    unanimous = meta.get(schema.UNANIMOUS)
    fields: dict[str, Any] = {name: meta.get(key) for name, key in _PLAIN.items()}
    fields.update({name: _int(meta.get(key)) for name, key in _COUNTS.items()})
    return DeliberationRecord(
        **fields
        | {"source": str(meta.get(schema.SOURCE, "")), "unanimous": None if unanimous is None else bool(unanimous)},
        objet=meta.get(schema.OBJET),
        articles_vises=[a for a in str(meta.get(schema.ARTICLES_VISES) or "").split(";") if a],
        page_start=int(meta.get(schema.RECORD_PAGE_START, meta.get(schema.PAGE, 0)) or 0),
        page_end=int(meta.get(schema.RECORD_PAGE_END, meta.get(schema.PAGE_END, 0)) or 0),
        text=text,
    )


def _int(value: Any) -> int | None:
    return None if value is None or value == "" else int(value)


def record_matches(record: DeliberationRecord, filters: Filters | None) -> bool:
    """The store's filter predicate (matches_filters), applied to a record."""
    return matches_filters(record_meta(record), filters)


def list_records(store: ChromaStore, filters: Filters | None = None) -> list[DeliberationRecord]:
    """Deliberation records matching the filters, newest séance first."""
    chunks = (
        c for c in store.iter_chunks(where={schema.KIND: schema.KIND_DELIBERATION}) if matches_filters(c.meta, filters)
    )
    pdf_sources = {
        PurePosixPath(d.source).name: d.source for d in store.documents() if d.source.lower().endswith(".pdf")
    }
    records = []
    for (doc_id, index), parts in group_deliberation_chunks(chunks).items():
        record = record_from_meta(parts[0].meta, "\n".join(c.text for c in parts))
        records.append(dataclasses.replace(record, source=_linked_source(record, pdf_sources), key=f"{doc_id}:{index}"))
    records.sort(key=lambda r: (r.date or "", r.source, r.delib_id or ""), reverse=True)
    return records


def _linked_source(record: DeliberationRecord, pdf_sources: dict[str, str]) -> str:
    """An SCDL row's source, followed by the indexed PDF its DELIB_URL names (when there is one)."""
    if record.url and record.source.lower().endswith(".csv"):
        name = PurePosixPath(unquote(urlparse(record.url).path)).name
        if name in pdf_sources:
            return f"{record.source} -> {pdf_sources[name]}"
    return record.source


def group_deliberation_chunks(chunks: Iterable[Chunk]) -> dict[tuple[str, int], list[Chunk]]:
    """The chunks of each deliberation, keyed by (document id, record index), in reading order."""
    groups: dict[tuple[str, int], list[Chunk]] = {}
    for chunk in chunks:
        if chunk.kind != schema.KIND_DELIBERATION:
            continue
        key = (str(chunk.meta.get(schema.DOC_ID, "")), int(chunk.meta.get(schema.RECORD_INDEX, 0) or 0))
        groups.setdefault(key, []).append(chunk)
    for parts in groups.values():
        parts.sort(key=lambda c: int(c.meta.get(schema.CHUNK_INDEX, 0) or 0))
    return groups


# The vote in the lead's brackets, in the document's words (rag.lead.MAX_WRITTEN_VOTE_CHARS bounds a quoted vote line)
MAX_LEAD_VOTE_CHARS = 140


def written_vote_label(record: DeliberationRecord, label: str) -> str | None:
    """The vote in the document's own words, when they are short and give the same counts as `label` (vote_label's,
    with who voted so): "11 voix pour, 31 voix contre, 3 abstentions – la motion est rejetée" rather than "rejeté : 11
    pour, 31 contre, 3 abstentions" (a reader, and a key fact, find the page's words). None when the words are long,
    give other counts, or say less than the label (the names it reads elsewhere in the record).

    >>> r = DeliberationRecord(source="x.pdf", pour=11, contre=31, abstention=3, outcome=schema.OUTCOME_REJECTED,
    ...     vote_text="11 voix pour, 31 voix contre, 3 abstentions")
    >>> written_vote_label(r, vote_label(r))
    'rejeté : 11 voix pour, 31 voix contre, 3 abstentions'
    """
    written = " ".join((record.vote_text or "").split()).strip(" .;,–-")
    folded = fold(written)
    # "cinq voix pour, quatorze contre et deux abstentions" (prose; not a vote line in capitals, "Par : DEUX voix POUR
    # - ONZE voix CONTRE et 1 ABSTENTION", which the counts state better)
    worded = set() if re.search(r"\b[A-ZÀ-Ý]{4,}\b", written) else _worded_counts(folded)
    if (
        not written
        or len(written) > MAX_LEAD_VOTE_CHARS
        or not (re.search(r"\d|unanimit", folded) or worded)
        or ";" in written
    ):
        return (
            None  # (statements the record joined, "Par 13 voix POUR – 1 voix CONTRE ; ... à l'unanimité": its counts)
        )
    for count in (record.pour, record.contre, record.abstention):
        if count is not None and not re.search(rf"(?<![\d,.]){count}(?![\d,])", written) and count not in worded:
            return None
    if written.count("(") != written.count(")") or (re.search(r"\((?!s\))", label) and "(" not in written):
        return None  # (names cut at the line's end, or left for a line below that the label read)
    if record.outcome == schema.OUTCOME_REJECTED and "rejet" not in folded:
        return f"rejeté : {written}"
    return written


def _worded_counts(folded: str) -> set[int]:
    """The counts a vote writes in words before what they count (folded): "par dix-huit voix pour et trois
    abstentions" -> {18, 3} (the longest run of number words before "voix pour", "contre", "abstentions")."""
    found: set[int] = set()
    for match in _COUNTED_RE.finditer(folded):
        before = re.split(r"[\s-]+", folded[: match.start()].strip())[-MAX_COUNT_WORDS:]
        for start in range(len(before)):
            value = number_from_words(" ".join(before[start:]))
            if value is not None:
                found.add(value)
                break
    return found


_COUNTED_RE = re.compile(r"(?:\bvoix\s+)?\b(?:pour|contre|abstentions?)\b")
MAX_COUNT_WORDS = 4  # "soixante et onze": a count in words runs over a few words at most


def vote_label(record: DeliberationRecord) -> str:
    """The vote in a few words: the counts the document gives, never invented."""
    counts = [
        f"{n} {label}"
        for n, label in ((record.pour, "pour"), (record.contre, "contre"), (record.abstention, "abstention(s)"))
        if n is not None
    ]
    if counts:
        label = ", ".join(counts)
        if record.outcome == schema.OUTCOME_REJECTED:
            return f"rejeté : {label}"
        if record.unanimous:  # "Pour : 51 / Abstention : 7 / Adopté à l'unanimité (des suffrages exprimés)"
            return f"{label} (unanimité)" if len(counts) == 1 else f"unanimité : {label}"
        return label
    if record.unanimous:
        return "unanimité"
    majority = " à la majorité" if record.unanimous is False else ""
    if record.outcome == schema.OUTCOME_ADOPTED:
        return f"adopté{majority} (décompte non précisé)"
    if record.outcome == schema.OUTCOME_REJECTED:
        return f"rejeté{majority} (décompte non précisé)"
    return "non unanime (décompte non précisé)" if majority else "vote non précisé"
