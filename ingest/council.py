"""Loader for council PDFs (procès-verbaux, comptes rendus, extraits): pages -> deliberation records -> chunks.

A document split into deliberations gives one group of chunks per deliberation, each carrying the record's
metadata (`record_meta`), and, in reading order between them, chunks of kind "document" for the text outside
every record (attendance, quorum, "questions diverses", information items); page numbers and lines repeated
on most pages go to one passage flagged BOILERPLATE. A document that is not split gives chunks of its pages.
Nothing is dropped: the document's manifest entry carries its COVERAGE (text found in passages / all text).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest.base import Loaded, SourceMeta, display_path
from ingest.chunking import chunk_id, chunk_pages, split_text, text_coverage
from ingest.deliberations import line_key, page_number_lines, record_spans
from ingest.footnotes import place_footnotes
from ingest.ocr import read_scanned_pages
from ingest.pdf import load_pdf
from ingest.seance import describe_council_document, seance_openings
from rag import schema
from rag.errors import SourceError
from rag.records import commune_date_meta, record_meta
from rag.schema import Chunk, Document, Page
from rag.store import doc_id_for


class CouncilPdfLoader:
    """A council PDF -> one Document of deliberation chunks (or page chunks when no deliberation is found).

    Scanned pages (no text, only the prefecture's stamp, garbage) are read by OCR first (ingest.ocr).
    """

    def load(self, path: Path, *, meta: SourceMeta) -> Loaded:
        warnings: list[str] = []
        images: list[int] = []
        pages = load_pdf(path, display=meta.source, max_pages=meta.settings.max_pages, notes=warnings, images=images)
        pages, confidences = read_scanned_pages(path, pages, images=images, meta=meta, notes=warnings)
        document = council_document(pages, path=path, meta=meta, confidences=confidences)
        if confidences:
            document.meta["ocr_pages"] = len(confidences)
        return Loaded([document], warnings=warnings)


def council_document(
    pages: list[Page], *, path: Path, meta: SourceMeta, confidences: dict[int, float] | None = None
) -> Document:
    """The pages of a council document (PDF, OCR'd scan, office file) -> its Document, split into deliberations.

    `confidences` holds the OCR confidence of the pages read by OCR: their chunks carry OCR_CONFIDENCE.
    """
    settings = meta.settings
    doc_id = doc_id_for(meta.source)
    pages = place_footnotes(pages)  # a vote or an amount given in a note is read where the note is called
    info = describe_council_document(pages, meta.source, path=path, default_commune=meta.commune)
    base = {
        schema.SOURCE: meta.source,
        schema.DOC_ID: doc_id,
        schema.DOC_HASH: meta.digest,
        schema.KIND: schema.KIND_DOCUMENT,
        schema.TITLE: info["title"],
        schema.PATH: display_path(path),
    }
    if info.get("body"):
        base[schema.BODY] = info["body"]
    if info.get("head"):
        base[schema.HEAD] = info["head"]
    base.update(commune_date_meta(info.get("commune"), info.get("date")))
    spans = record_spans(
        pages, source=meta.source, commune=info.get("commune") or None, seance_date=info.get("date") or None
    )
    records = [record for record, _, _ in spans]
    if records:
        chunks = council_chunks(spans, pages, doc_id=doc_id, base=base, max_chars=settings.chunk_chars)
        kind = schema.KIND_DELIBERATION
    else:
        chunks = chunk_pages(pages, doc_id=doc_id, base_meta=base, max_chars=settings.chunk_chars)
        kind = schema.KIND_DOCUMENT
    if not chunks:
        raise SourceError(meta.source, "aucun texte exploitable", fix="vérifiez le document")
    _date_by_seance(chunks, pages)
    for chunk in chunks:
        if not confidences:
            break
        first = int(chunk.meta.get(schema.PAGE) or 0)
        read = [c for n, c in confidences.items() if first <= n <= int(chunk.meta.get(schema.PAGE_END) or first)]
        if read:
            chunk.meta[schema.OCR_CONFIDENCE] = min(read)
    doc_meta: dict[str, Any] = {
        "pages": len(pages),
        "records": len(records),
        schema.PATH: display_path(path),
        schema.COVERAGE: round(text_coverage(pages, chunks), 4),
    }
    doc_meta.update({k: v for k, v in info.items() if isinstance(v, str) and v})
    return Document(meta.source, doc_id, meta.digest, kind, info["title"], chunks, doc_meta)


def _date_by_seance(chunks: list[Chunk], pages: list[Page]) -> None:
    """In a document that holds several séances (ingest.seance.seance_openings: a register's folios), each passage
    takes the date of the séance it is written under, not the document's: the register of Fontbrémoux holds the
    séances of 14 March, 11 April and 6 June 2025, and its March vote is not of 6 June."""
    openings = seance_openings(pages)
    if not openings:
        return
    by_page = {page.page_number: [" ".join(raw.split()) for raw in page.text.splitlines()] for page in pages}
    cursor: dict[int, int] = {}  # (the passages come in reading order: a line written twice is found in turn)
    for chunk in chunks:
        page = int(chunk.meta.get(schema.PAGE) or 0)
        own = [" ".join(line.split()) for line in chunk.text.splitlines() if line.strip() not in ("", "[…]")]
        first = own[0] if own else ""
        lines = by_page.get(page, [])
        after = cursor.get(page, 0)
        at = next(
            (
                i
                for i in range(after, len(lines))
                if first and lines[i] and (lines[i].startswith(first) or first.startswith(lines[i]))
            ),
            after,
        )
        cursor[page] = at
        # a passage that opens a séance a few lines in (the signatures of the one before, then "L'an ..."), or the
        # document's head before its first séance, is of the séance it opens
        inside = [iso for p, i, iso in openings if p == page and at <= i <= at + OPENING_LEAD_LINES]
        before = [iso for p, i, iso in openings if (p, i) <= (page, at)]
        date = inside[0] if inside else before[-1] if before else openings[0][2]
        chunk.meta.update(commune_date_meta(None, date))


OPENING_LEAD_LINES = 3  # lines of a passage before a séance's opening that still make it that séance's


def council_chunks(
    spans: list[tuple[schema.DeliberationRecord, int, int]],
    pages: list[Page],
    *,
    doc_id: str,
    base: dict[str, Any],
    max_chars: int,
) -> list[Chunk]:
    """The deliberations' chunks and, in reading order between them, chunks of the text outside them."""
    chunks: list[Chunk] = []
    seen: dict[str, int] = {}
    pieces: list[tuple[int, int, Any]] = [(start, 0, index) for index, (_, start, _) in enumerate(spans)]
    pieces += [(block.line, 1, block) for block in outside_blocks(pages, [(a, b) for _, a, b in spans])]
    for _, _, piece in sorted(pieces, key=lambda item: (item[0], item[1])):
        if isinstance(piece, int):
            chunks += record_chunks(
                [spans[piece][0]],
                pages,
                doc_id=doc_id,
                base=base,
                max_chars=max_chars,
                first_index=piece,
                seen=seen,
                offset=len(chunks),
            )
            continue
        meta_common = dict(base)
        if piece.boilerplate:
            meta_common[schema.BOILERPLATE] = True
        for text in split_text(piece.text, max_chars):
            meta = dict(meta_common)
            meta.update(
                {schema.PAGE: piece.page_start, schema.PAGE_END: piece.page_end, schema.CHUNK_INDEX: len(chunks)}
            )
            chunks.append(Chunk(id=chunk_id(doc_id, text, piece.page_start, seen), text=text, meta=meta))
    return chunks


def record_chunks(
    records: list[schema.DeliberationRecord],
    pages: list[Page],
    *,
    doc_id: str,
    base: dict[str, Any],
    max_chars: int,
    first_index: int = 0,
    seen: dict[str, int] | None = None,
    offset: int = 0,
) -> list[Chunk]:
    """Chunks of each deliberation's text; each chunk is placed on the page where its text starts.

    `first_index` is the RECORD_INDEX of the first record, `offset` the CHUNK_INDEX of its first chunk.
    """
    chunks: list[Chunk] = []
    seen = {} if seen is None else seen
    for index, record in enumerate(records, start=first_index):
        meta_common = dict(base)
        meta_common.update(record_meta(record))
        meta_common[schema.RECORD_INDEX] = index
        title = " ".join(
            p
            for p in (
                f"Délibération {record.delib_id}" if record.delib_id else "Délibération",
                f"— {record.objet}" if record.objet else "",
            )
            if p
        )
        meta_common[schema.TITLE] = title[:300]
        span = [p for p in pages if record.page_start <= p.page_number <= max(record.page_end, record.page_start)]
        for text in split_text(record.text, max_chars):
            page = _locate_page(text, span) or record.page_start or 1
            meta = dict(meta_common)
            meta.update(
                {
                    schema.PAGE: page,
                    schema.PAGE_END: _locate_page(text, span, last=True) or page,
                    schema.CHUNK_INDEX: offset + len(chunks),
                }
            )
            chunks.append(Chunk(id=chunk_id(doc_id, text, page, seen), text=text, meta=meta))
    return chunks


@dataclass(frozen=True, slots=True)
class Block:
    """Text of a council document outside its deliberation records."""

    line: int  # index of its first line (as in ingest.deliberations.record_spans), for the reading order
    page_start: int
    page_end: int
    text: str
    boilerplate: bool = False  # page numbers and lines repeated on most pages, gathered in one block


def outside_blocks(pages: list[Page], spans: list[tuple[int, int]]) -> list[Block]:
    """The lines outside every span: one block per run of such lines on a page, and one boilerplate block.

    Boilerplate: the lines that only number their page, and, in a document of 3 pages or more, lines (digits
    aside) found on at least half of the pages (running headers and footers, stamps); each is kept once. A
    record keeps such lines in its own text when they fall inside it.
    """
    lines = [(page.page_number, raw) for page in pages for raw in page.text.splitlines()]
    covered = [False] * len(lines)
    for start, stop in spans:
        covered[start:stop] = [True] * (stop - start)
    furniture = page_number_lines(pages)  # inside a span too: a record's text leaves them out
    for i in furniture:
        covered[i] = False
    on_pages: dict[str, set[int]] = defaultdict(set)
    for page, raw in lines:
        if raw.strip():
            on_pages[line_key(raw)].add(page)
    needed = max(3, math.ceil(len(pages) / 2))
    repeated = {key for key, seen_on in on_pages.items() if len(pages) >= 3 and len(seen_on) >= needed}
    blocks: list[Block] = []
    run: list[int] = []
    boiler: dict[str, tuple[int, int]] = {}  # squashed text -> (line, page), first occurrence
    boiler_pages: set[int] = set()

    def close(*, quote: bool = False) -> None:
        text = "\n".join(lines[i][1].rstrip() for i in run).strip()
        if text:
            first, last = lines[run[0]][0], lines[run[-1]][0]
            blocks.append(Block(run[0], first, last, re.sub(r"\n{3,}", "\n\n", text), boilerplate=quote))
        run.clear()

    quoted = quoted_lines([raw for _, raw in lines])
    for i, (page, raw) in enumerate(lines):
        if covered[i] or (run and lines[run[-1]][0] != page) or (run and (i in quoted) != (run[-1] in quoted)):
            close(quote=bool(run) and run[-1] in quoted)
        if covered[i]:
            continue
        if raw.strip() and (i in furniture or line_key(raw) in repeated):
            boiler.setdefault(" ".join(raw.split()), (i, page))
            boiler_pages.add(page)  # (kept once, it stands for its copies on the other pages)
            continue
        run.append(i)
    close(quote=bool(run) and run[-1] in quoted)
    if boiler:
        first = min(line for line, _ in boiler.values())
        blocks.append(Block(first, min(boiler_pages), max(boiler_pages), "\n".join(boiler), boilerplate=True))
    return blocks


# The line that introduces an earlier message quoted in an e-mail: "Le lun. 3 mars 2025 à 21:07, X <x@y.fr> a écrit :"
_ATTRIBUTION_RE = re.compile(r"(?:\ba [ée]crit|\bwrote)\s*:\s*$", re.IGNORECASE)


def quoted_lines(lines: list[str]) -> set[int]:
    """The lines of an earlier message quoted in a printed e-mail: from its attribution line ("... a écrit :") to its
    last "> " line (a quoted line wrapped by the print has no mark). Such text is another message than the minutes:
    searchable, never quoted as what was decided (the proposal in it may not be).

    >>> sorted(quoted_lines(["Bonne soirée,", "Le lun. 3 mars, F. a écrit :", "> Karine,", "> je propose 14 €/ha", "suite", "> F."]))
    [1, 2, 3, 4, 5]
    >>> quoted_lines(["Ordre du jour :", "> Carrière de Vers", "> Questions diverses"])  # (an agenda's marks)
    set()
    """
    marked = [i for i, line in enumerate(lines) if line.lstrip().startswith(">")]
    found: set[int] = set()
    k = 0
    while k < len(marked):
        first = last = marked[k]
        while k + 1 < len(marked) and marked[k + 1] - last <= MAX_QUOTE_GAP:
            k, last = k + 1, marked[k + 1]
        k += 1
        # (only under its attribution: "> " also marks an agenda's items, "> Questions diverses")
        if first > 0 and _ATTRIBUTION_RE.search(lines[first - 1]):
            found.update(range(first - 1, last + 1))
    return found


MAX_QUOTE_GAP = 3  # unmarked lines (wrapped by the print) between two lines of a quoted message


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _locate_page(text: str, pages: list[Page], *, last: bool = False) -> int | None:
    probe = _squash(text[-80:] if last else text[:80])
    for page in reversed(pages) if last else pages:
        if probe and probe in _squash(page.text):
            return page.page_number
    return None
