"""The surface of a generated answer: its sentences, their citation markers [n], and contact details.

Sentences are cut the French way ("M. Bernard", "L. 2121-17", "3.40 €" do not end one) and each keeps
the markers that follow it; phone numbers, e-mails and URLs that no passage contains are masked.

>>> parse_citations("Le repas coûte 3,40 € [1][3].")
[1, 3]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from rag.schema import ARTICLE, COMMUNE, DATE, DELIB_ID, OBJET, TITLE, Chunk

MASK = "[masqué]"

# --- citations ---------------------------------------------------------------------------------
# [1]  [1, 2]  [1;2]  [1-3]  [1 et 2]  [passage 1]  [source 2]; "[1][2]" is two markers.
_CITATION_RE = re.compile(
    r"\[\s*(?:(?:passages?|sources?|documents?|doc\.?)\s*)?"
    r"(?P<body>\d{1,3}(?:\s*(?:[,;]|-|–|et)\s*\d{1,3})*)\s*\]",
    re.IGNORECASE,
)
_MAX_RANGE = 50

# --- sentence splitting ------------------------------------------------------------------------
# Words that end with a period without ending the sentence ("M. Bernard", "art. 12", "p. 3").
_ABBREVIATIONS = frozenset(
    [
        "m",
        "mm",
        "mme",
        "mmes",
        "mlle",
        "mlles",
        "dr",
        "me",
        "pr",
        "st",
        "ste",
        "art",
        "arts",
        "al",
        "cf",
        "chap",
        "ex",
        "env",
        "n",
        "no",
        "nos",
        "p",
        "pp",
        "vol",
        "réf",
        "ref",
        "av",
        "bd",
        "fig",
        "tel",
        "tél",
        "janv",
        "févr",
        "fevr",
        "avr",
        "juil",
        "sept",
        "oct",
        "nov",
        "déc",
        "dec",
        "op",
        "éd",
        "ed",
        "min",
        "max",
        "approx",
    ]
)
_TERMINATOR_RE = re.compile(r"[.!?…]+")
_TRAILING_MARKERS_RE = re.compile(r"(?:\s*" + _CITATION_RE.pattern + r")*", re.IGNORECASE)
# A list item's own number or bullet: "1. ", "2) ", "- ", "* ", "• ".
LIST_PREFIX_RE = re.compile(r"^\s*(?:\d{1,2}[.)]|[-*•–])\s+")
_MARKERS_ONLY_RE = re.compile(r"(?:\s*" + _CITATION_RE.pattern + r")+\s*[.;,]?", re.IGNORECASE)
_SENTENCE_START_RE = re.compile(r"[\"«“(\[A-ZÀ-ÖØ-Þ0-9]")

# --- contact details ---------------------------------------------------------------------------
URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"«»\]\)]+", re.IGNORECASE)
EMAIL_RE = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
# French numbers: 02 47 94 50 04, 02.47.94.50.04, 0247945004, +33 2 47 94 50 04, (+33) 2-47-94-50-04.
PHONE_RE = re.compile(r"(?<![\w+])(?:(?:\+|00)\s?33\s?(?:\(0\)\s?)?|\(\+33\)\s?|0)[1-9](?:[\s.\-]?\d{2}){4}(?!\d)")


def split_sentences(text: str) -> list[str]:
    """Cut a French answer into sentences, keeping each "[n]" marker with the sentence it follows.

    Line breaks (paragraphs, list items) always end a sentence; "M. Bernard", "L. 2121-17", "n° 12",
    "p. 3" and decimals such as "2,50" or "3.40" do not.

    >>> split_sentences("M. Bernard travaille sur le prix [1]. Le tarif est de 3.40 € (art. L. 2121-17). [2] Fin.")
    ['M. Bernard travaille sur le prix [1].', 'Le tarif est de 3.40 € (art. L. 2121-17). [2]', 'Fin.']
    """
    sentences: list[str] = []
    for line in text.splitlines():
        for piece in _split_line(line):
            if sentences and _MARKERS_ONLY_RE.fullmatch(piece):
                sentences[-1] = f"{sentences[-1]} {piece}"  # "[1]" alone on the next line
            elif piece:
                sentences.append(piece)
    return sentences


def _split_line(line: str) -> list[str]:
    parts: list[str] = []
    prefix = LIST_PREFIX_RE.match(line)
    start = 0
    for match in _TERMINATOR_RE.finditer(line):
        if prefix and match.end() <= prefix.end():
            continue  # "1. Le tarif ...": a list number, not a sentence
        end = match.end()
        markers = _TRAILING_MARKERS_RE.match(line, end)
        has_markers = bool(markers and markers.group(0))
        if markers:
            end = markers.end()
        rest = line[end:]
        stripped = rest.lstrip()
        if not stripped:
            continue  # the end of the line closes the sentence anyway
        if stripped == rest and not has_markers:
            continue  # "3.40", "L.2121-17", "www.x.fr": no space after the period
        if not _SENTENCE_START_RE.match(stripped):
            continue
        if match.group(0) == "." and _is_abbreviation(line[start : match.start()]):
            continue
        parts.append(line[start:end].strip())
        start = end
    parts.append(line[start:].strip())
    return parts


def _is_abbreviation(before: str) -> bool:
    word = re.search(r"([^\W\d_]+)$", before)
    if not word:
        return False
    token = word.group(1)
    # A single letter is an initial or a code prefix ("L. 2121-17", "J.-P. Charrier", "D.D.C.S.").
    return len(token) == 1 or token.lower() in _ABBREVIATIONS


def parse_citations(sentence: str) -> list[int]:
    """The passage numbers cited in a sentence, in order, without duplicates ("[1][3]", "[1-2]", "[1, 2]")."""
    numbers: list[int] = []
    for match in _CITATION_RE.finditer(sentence):
        for part in re.split(r"\s*(?:[,;]|et)\s*", match.group("body")):
            bounds = re.split(r"\s*[-–]\s*", part)
            if len(bounds) == 2 and bounds[0].isdigit() and bounds[1].isdigit():
                low, high = int(bounds[0]), int(bounds[1])
                values = range(low, high + 1) if 0 <= high - low <= _MAX_RANGE else [low, high]
            else:
                values = [int(b) for b in bounds if b.isdigit()]
            for value in values:
                if value not in numbers:
                    numbers.append(value)
    return numbers


def strip_citations(sentence: str) -> str:
    return _CITATION_RE.sub(" ", sentence)


# --- markers written inside documents ------------------------------------------------------------
# A document may contain "[1]" itself (a footnote, or an attack styled like our citations): inside a
# quote or a passage it is rendered "(renvoi 1 du document)", never as a citation of the answer.
_QUOTED_RE = re.compile(r"«[^«»\n]*»|“[^“”\n]*”")


def defang_markers(text: str) -> str:
    """Every citation marker of a document's text written so that nobody reads it as an answer's citation.

    >>> defang_markers("le quorum est de 2 membres [1] (article L2121-17)")
    'le quorum est de 2 membres (renvoi 1 du document) (article L2121-17)'
    """
    return _CITATION_RE.sub(lambda m: f"(renvoi {m.group('body')} du document)", text)


def defang_quoted_markers(text: str) -> str:
    """`defang_markers` applied inside « quotes » only: the answer's own markers after a quote stay.

    >>> defang_quoted_markers("PV : « est de 2 membres [1] (article L2121-17) » [2]")
    'PV : « est de 2 membres (renvoi 1 du document) (article L2121-17) » [2]'
    """
    return _QUOTED_RE.sub(lambda m: defang_markers(m.group(0)), text)


# --- masking -----------------------------------------------------------------------------------
def _phone_key(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    if digits.startswith("0033"):
        digits = "0" + digits[4:]
    elif digits.startswith("33") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def _url_key(url: str) -> str:
    url = url.rstrip(".,;:!?)»\"'").lower()
    url = re.sub(r"^https?://", "", url)
    return url.removeprefix("www.").rstrip("/")


def mask_contacts(text: str, passages: Iterable[Chunk]) -> tuple[str, int]:
    """Replace phone numbers, e-mail addresses and URLs that no passage contains by "[masqué]".

    Returns the masked text and the number of masked items.
    """
    haystack = "\n".join(passage_text(p) for p in passages)
    phones = {_phone_key(m.group(0)) for m in PHONE_RE.finditer(haystack)}
    emails = {m.group(0).lower().rstrip(".") for m in EMAIL_RE.finditer(haystack)}
    urls = {_url_key(m.group(0)) for m in URL_RE.finditer(haystack)}
    masked = 0

    def _mask(known: set[str], key: Callable[[str], str]) -> Callable[[re.Match[str]], str]:
        def replace(match: re.Match[str]) -> str:
            nonlocal masked
            value = match.group(0)
            trailing = ""
            if key is _url_key:  # keep the sentence's own punctuation out of the URL
                stripped = value.rstrip(".,;:!?)»\"'")
                value, trailing = stripped, value[len(stripped) :]
            if key(value) in known:
                return match.group(0)
            masked += 1
            return MASK + trailing

        return replace

    # URLs first: they may contain "@" or digit runs that look like phone numbers.
    text = URL_RE.sub(_mask(urls, _url_key), text)
    text = EMAIL_RE.sub(_mask(emails, lambda e: e.lower().rstrip(".")), text)
    text = PHONE_RE.sub(_mask(phones, _phone_key), text)
    return text, masked


def passage_text(chunk: Chunk) -> str:
    meta = chunk.meta
    extra = [str(meta.get(k) or "") for k in (TITLE, ARTICLE, DELIB_ID, COMMUNE, DATE, OBJET)]
    return "\n".join([chunk.text, *[e for e in extra if e]])
