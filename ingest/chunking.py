"""Splitting text into chunks that never cross a page, with content-hash ids."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from rag import schema
from rag.schema import Chunk, Page


def chunk_id(doc_id: str, text: str, page: int, seen: dict[str, int]) -> str:
    """A content hash of the chunk, stable across runs; repeated identical chunks get a counter."""
    base = hashlib.sha256(f"{doc_id}\x00{page}\x00{text}".encode()).hexdigest()[:32]
    n = seen.get(base, 0)
    seen[base] = n + 1
    return base if n == 0 else f"{base}-{n}"


# A person's title cut short by its full stop ("auprès de M. et Mme ARTIGALAS"): no sentence ends there. (The law's
# "L." and "art." keep the cuts the legal pack was built with.)
_ABBREVIATION_END_RE = re.compile(r"(?:^|[\s(])(?:M|MM|Mme|Mmes|Mlle|Me|Dr)\.$")


def _sentences(paragraph: str) -> list[str]:
    """The sentences of a paragraph, not cut after an abbreviation.

    >>> _sentences("Vendu à M. et Mme ARTIGALAS. Vote : 13 pour.")
    ['Vendu à M. et Mme ARTIGALAS.', 'Vote :', '13 pour.']
    """
    out: list[str] = []
    for piece in re.split(r"(?<=[.;:!?])\s+", paragraph):
        if out and _ABBREVIATION_END_RE.search(out[-1]):
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return out


def split_text(text: str, max_chars: int) -> list[str]:
    """Split on paragraphs, then sentences, packing pieces up to max_chars (never cutting a word)."""
    text = text.strip()
    if len(text) <= max_chars:
        return [text] if text else []
    pieces: list[str] = []
    for para in re.split(r"\n\s*\n", text):
        para = para.strip()
        if not para:
            continue
        if len(para) <= max_chars:
            pieces.append(para)
            continue
        for sentence in _sentences(para):
            while len(sentence) > max_chars:
                cut = sentence.rfind(" ", 0, max_chars)
                cut = cut if cut > max_chars // 2 else max_chars
                pieces.append(sentence[:cut].strip())
                sentence = sentence[cut:].strip()
            if sentence:
                pieces.append(sentence)
    chunks: list[str] = []
    current = ""
    for piece in pieces:
        if current and len(current) + 1 + len(piece) > max_chars:
            chunks.append(current)
            current = piece
        else:
            current = f"{current}\n{piece}" if current else piece
    if current:
        chunks.append(current)
    # A last chunk that is too short joins its predecessor when it fits comfortably.
    if len(chunks) > 1 and len(chunks[-1]) < max_chars // 4 and len(chunks[-2]) + len(chunks[-1]) < max_chars * 1.3:
        last = chunks.pop()
        chunks[-1] = f"{chunks[-1]}\n{last}"
    return chunks


def chunk_pages(
    pages: list[Page], *, doc_id: str, base_meta: dict[str, Any], max_chars: int, header: str = ""
) -> list[Chunk]:
    """Chunks of the pages' text; each chunk keeps its 1-based page number."""
    chunks: list[Chunk] = []
    seen: dict[str, int] = {}
    for page in pages:
        for text in split_text(page.text, max_chars):
            body = f"{header}\n{text}" if header else text
            meta = dict(base_meta)
            meta.update(
                {schema.PAGE: page.page_number, schema.PAGE_END: page.page_number, schema.CHUNK_INDEX: len(chunks)}
            )
            chunks.append(Chunk(id=chunk_id(doc_id, body, page.page_number, seen), text=body, meta=meta))
    return chunks


def _no_space(text: str) -> str:
    return re.sub(r"\s+", "", text)


def text_coverage(pages: list[Page], chunks: list[Chunk]) -> float:
    """The share of the pages' characters (whitespace ignored) that are in some chunk, between 0 and 1.

    A line of a page counts as covered when it appears, whitespace removed, in the text of the chunks that
    span its page, joined in order (so a line cut between two consecutive chunks is found whole). A chunk
    spans its pages PAGE..PAGE_END and, for a deliberation, the record's pages. 1.0 for pages without text.
    """
    total = covered = 0
    for page in pages:
        haystack = "".join(_no_space(c.text) for c in chunks if page.page_number in _chunk_pages(c))
        for line in page.text.splitlines():
            squashed = _no_space(line)
            total += len(squashed)
            if squashed and squashed in haystack:
                covered += len(squashed)
    return covered / total if total else 1.0


def _chunk_pages(chunk: Chunk) -> range:
    bounds = [
        chunk.meta.get(key) for key in (schema.PAGE, schema.PAGE_END, schema.RECORD_PAGE_START, schema.RECORD_PAGE_END)
    ]
    numbers = [b for b in bounds if isinstance(b, int) and b > 0]
    return range(min(numbers), max(numbers) + 1) if numbers else range(0)
