"""A "relevé des décisions" table: one row per decision, under the column heads "N° Objet Décision Vote".

Some bodies write the debate first, then sum up every decision in one table at the end of the minutes:

    RELEVÉ DES DÉCISIONS DU COMITÉ SYNDICAL DU 27 JUIN 2024
    N° Objet Décision Vote
    2024-
    15
    Tarifs cantine et garderie
    2024-2025
    À compter du 2 septembre 2024 : repas enfant 3,95 € ; repas adulte
    6,10 € ; garderie du matin 1,20 € la séance ; ...
    6 pour – 2 contre (M.
    CORDELLIER, Mme
    RASTOUILLE)

The text layer gives each row's cells one after the other, wrapped. A row starts with its number (whole, or cut after
its year's hyphen) or a dash for an item that got none; its vote is the last cell. This module finds the rows;
ingest.deliberations makes each a record.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from rag.french import fold


class _TextLine(Protocol):
    @property
    def text(self) -> str: ...


@dataclass(frozen=True, slots=True)
class TableRow:
    """One decision of the table: lines [start, stop) of the document, and its cells."""

    start: int
    stop: int
    number: str | None
    objet: str
    decision: str
    vote: str


# The column heads (folded): "N° Objet Décision Vote", "Objet Décision prise Résultat du vote"
_HEAD_RE = re.compile(
    r"^(?:n\s?°?|no\.?|numero)?\s*objet\s+(?:de la\s+)?decisions?(?:\s+prises?)?\s+(?:vote|resultat(?: du vote)?|votes)$"
)
# A row's first line: its number whole ("2024-15", "12"), cut after the year ("2024-" / "15"), or a dash (no number)
_NUMBER_RE = re.compile(r"^(?:n\s?°\s*)?(\d{4}[-/.]\d{1,3}|\d{1,3})(?:\s+(?=[A-ZÀ-Ý])|$)")
_CUT_YEAR_RE = re.compile(r"^(\d{4})[-/.]$")
_NUMBER_END_RE = re.compile(r"^(\d{1,3})(?:\s+(?=[A-ZÀ-Ý])|$)")
_DASH_RE = re.compile(r"^[—–-]\s+(?=[A-ZÀ-Ý])")
# Where a row's vote cell starts: "Unanimité (8 voix)", "6 pour – 2 contre", "Sans vote" (not "64 pour Orgeline")
_VOTE_RE = re.compile(
    r"\b(?:[àa] l['’])?unanimit[ée]\b|(?<![\d,.])\d{1,3}\s+(?:voix\s+)?(?:pour|contre)\b(?!\s+[a-zà-ÿ]{3,})"
    r"|\b(?:sans|pas de) vote\b",
    re.IGNORECASE,
)
# The decision cell starts at the first word in title case after the objet's own words ("Compte administratif 2023
# Approuve le compte ...", "Tarifs cantine ... 2024-2025 À compter du ..."); acronyms ("CM2") are the objet's
_DECISION_START_RE = re.compile(r"(?<=\S)\s+(?=[A-ZÀ-Ý][a-zà-ÿ'’]|À\s)")
MIN_OBJET_WORDS = 2
MAX_HEAD_CHARS = 70


def table_rows(lines: Sequence[_TextLine]) -> tuple[int, list[TableRow]]:
    """(index of the column heads' line, the rows under it); (-1, []) when the document has no such table."""
    head = next(
        (i for i, line in enumerate(lines) if len(line.text) <= MAX_HEAD_CHARS and _HEAD_RE.match(fold(line.text))),
        -1,
    )
    if head < 0:
        return -1, []
    starts: list[tuple[int, str | None, int]] = []  # (line, number, first line of the cells)
    i = head + 1
    while i < len(lines):
        text = lines[i].text
        cut = _CUT_YEAR_RE.match(text)
        end = _NUMBER_END_RE.match(lines[i + 1].text) if cut and i + 1 < len(lines) else None
        if cut and end:
            starts.append(
                (i, f"{cut.group(1)}-{end.group(1)}", i + 2 if end.end() == len(lines[i + 1].text) else i + 1)
            )
            i += 2
            continue
        whole = _NUMBER_RE.match(text)
        if whole or _DASH_RE.match(text):
            starts.append((i, whole.group(1) if whole else None, i + 1 if whole and whole.end() == len(text) else i))
        i += 1
    rows: list[TableRow] = []
    for k, (start, number, first) in enumerate(starts):
        stop = starts[k + 1][0] if k + 1 < len(starts) else _table_end(lines, first)
        row = _cells(lines, start, first, stop, number)
        if row is not None:
            rows.append(row)
    return (head, rows) if rows else (-1, [])


def _table_end(lines: Sequence[_TextLine], first: int) -> int:
    """Where the last row ends: after its vote cell and the lines its bracket runs over."""
    for i in range(first, len(lines)):
        match = _VOTE_RE.search(lines[i].text)
        if match is None:
            continue
        said = lines[i].text[match.start() :]
        stop = i + 1
        while said.count("(") > said.count(")") and stop < len(lines) and stop - i <= MAX_BRACKET_LINES:
            said += f" {lines[stop].text}"
            stop += 1
        return stop
    return len(lines)


MAX_BRACKET_LINES = 4


def _cells(lines: Sequence[_TextLine], start: int, first: int, stop: int, number: str | None) -> TableRow | None:
    """A row's objet, decision and vote, from its lines (the number's own line(s) left out)."""
    text = " ".join(line.text for line in lines[first:stop] if line.text)
    if number is not None and first == start:
        text = _NUMBER_RE.sub("", text, count=1)
    text = _DASH_RE.sub("", text, count=1).strip()
    votes = list(_VOTE_RE.finditer(text))
    if not votes or not text:
        return None
    vote_at = votes[0].start()
    body, vote = text[:vote_at].strip(), text[vote_at:].strip()
    split = next(
        (m.start() for m in _DECISION_START_RE.finditer(body) if len(body[: m.start()].split()) >= MIN_OBJET_WORDS),
        None,
    )
    if split is None:
        return None
    objet, decision = body[:split].strip(), body[split:].strip()
    return TableRow(start=start, stop=stop, number=number, objet=objet, decision=decision, vote=vote)
