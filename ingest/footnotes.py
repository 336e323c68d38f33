"""Footnotes put back where they are called: the vote or the amounts a deliberation gives in a note at the
page's foot are read with the sentence that calls the note.

Minutes written as run-in paragraphs often move the details to numbered notes: "… de maintenir l'abonnement
annuel(1), et demande que ces tarifs soient soumis au conseil communautaire (2)." with, at the page's foot,
"(1) Part proportionnelle : 1,64 € HT le m³ …" and "(2) Vote : 6 voix pour, 2 voix contre …". Text extraction
glues each call to its word ("annuel1", "20242") and leaves the notes after the page's last paragraph, where
they belong to whatever record the page ends with. `place_footnotes` moves each note to the line after the
sentence that calls it and writes the call as "(n)"; a page is left as it is unless every note at its foot has
its call, in order, on that page (a numbered list at a page's end is no set of notes).
"""

from __future__ import annotations

import re

from rag.schema import Page

# A note at the page's foot: "(1) Part proportionnelle : …" (its text may go on over the next lines)
_NOTE_RE = re.compile(r"^\s*\((\d{1,2})\)\s+(\S.*)$")
# A line that only numbers the page or repeats on every page ("PV CE-2024-04 – page 1 / 3"): after the notes
_PAGE_LINE_RE = re.compile(
    r"(?i)^\s*(?:[-–—]\s*)?(?:page\s*)?\d+\s*(?:/\s*\d+)?\s*(?:[-–—]\s*)?$|\bpage \d+ ?(?:/|sur) ?\d+"
)
# The end of the sentence that calls a note: a full stop, a semicolon, a colon, or the end of the paragraph
_SENTENCE_END_RE = re.compile(r"[.;!?](?=\s|$)")
MAX_NOTES = 12


def place_footnotes(pages: list[Page]) -> list[Page]:
    """The pages, each with its foot notes moved after the sentences that call them (see the module's doc)."""
    return [_place(page) for page in pages]


def _place(page: Page) -> Page:
    lines = page.text.splitlines()
    end = len(lines)
    while end > 0 and (not lines[end - 1].strip() or _PAGE_LINE_RE.search(lines[end - 1])):
        end -= 1  # the page's number and running footer stay last
    starts = [i for i in range(end) if _NOTE_RE.match(lines[i])]
    # the notes are the last run of "(1)", "(2)", … lines: numbered in order, nothing after them but their text
    first = None
    for k in range(len(starts) - 1, -1, -1):
        numbers = [int(_NOTE_RE.match(lines[i]).group(1)) for i in starts[k:]]  # type: ignore[union-attr]
        if numbers == list(range(numbers[0], numbers[0] + len(numbers))):
            first = k
        else:
            break
    if first is None or len(starts) - first > MAX_NOTES:
        return page
    starts = starts[first:]
    notes: dict[int, list[str]] = {}
    for k, i in enumerate(starts):
        stop = starts[k + 1] if k + 1 < len(starts) else end
        match = _NOTE_RE.match(lines[i])
        assert match is not None
        notes[int(match.group(1))] = [match.group(2).strip()] + [
            line.strip() for line in lines[i + 1 : stop] if line.strip()
        ]
    body = lines[: starts[0]]
    placed = _calls(body, list(notes))
    if placed is None:
        return page
    # (the calls are written "(n)" from the last: the places found before them on a line stay right)
    written: dict[int, tuple[int, int]] = {}
    for number, (row, col) in reversed(placed.items()):
        line, kept = body[row], body[row][:col].rstrip()
        body[row] = f"{kept} ({number}){line[col + len(str(number)) :]}"
        written[number] = (row, len(kept))
    after: dict[tuple[int, int], list[str]] = {}
    for number in placed:
        after.setdefault(_sentence_end(body, *written[number]), []).extend(notes[number])
    out: list[str] = []
    for row, line in enumerate(body):
        cuts = sorted((col, note) for (r, col), note in after.items() if r == row)
        start = 0
        for col, note in cuts:
            out.append(line[start:col].rstrip())
            out.extend(note)
            start = col
        rest = line[start:].strip() if cuts else line
        if rest or not cuts:
            out.append(rest)
    return Page("\n".join(out + lines[end:]), page.page_number)


def _calls(body: list[str], numbers: list[int]) -> dict[int, tuple[int, int]] | None:
    """Where each note is called, in order: its number glued to the end of a word ("annuel1", "HT4") or of a year
    ("20242"), the first such place after the call before. None when a call is missing."""
    placed: dict[int, tuple[int, int]] = {}
    row, col = 0, 0
    for number in numbers:
        call = re.compile(rf"(?:(?<=[^\W\d_])|(?<=\b(?:19|20)\d\d)){number}(?=[\s.,;:)»]|$)")
        found = None
        for r in range(row, len(body)):
            match = call.search(body[r], col if r == row else 0)
            if match:
                found = (r, match.start())
                break
        if found is None:
            return None
        placed[number] = found
        row, col = found[0], found[1] + len(str(number))
    return placed


def _sentence_end(body: list[str], row: int, col: int) -> tuple[int, int]:
    """Where the sentence holding the call (at row, col) ends: (line, column after its full stop or semicolon)."""
    for r in range(row, len(body)):
        if not body[r].strip():
            return r, 0
        match = _SENTENCE_END_RE.search(body[r], col if r == row else 0)
        if match:
            return r, match.end()
    return len(body) - 1, len(body[-1])
