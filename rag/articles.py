"""French legal article numbers: normalisation and detection in free text.

>>> normalize_article("art. L 2121-17")
'L2121-17'
>>> find_article_mentions("que dit l'article l2121-17 du CGCT ?")
['L2121-17']
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection
from dataclasses import dataclass

# A prefix (L, LO, R, D, A; optionally followed by '*' as in "D*"), then digits groups joined by '-'.
# Spellings seen in the wild: L2121-17, L. 2121-17, L 2121-17, l2121-17, L.2121-17, LO2121-1, R. 2121-9.
_PREFIX = r"(?P<prefix>LO|L\.?O\.?|[LRDA])"
_NUMBER = r"(?P<number>\d{1,4}(?:\s?-\s?\d{1,4}){0,3})"
ARTICLE_RE = re.compile(
    rf"(?<![A-Za-z0-9]){_PREFIX}\s?\.?\s?\*?\s?{_NUMBER}(?![\d])",
    re.IGNORECASE,
)
# A mention must look like a code article: a prefix letter and a hyphenated number (L2121-17), or the
# word "article" right before it. Plain "L 12" in prose is not an article.
_ARTICLE_WORD_RE = re.compile(r"\b(?:articles?|art\.?)\s*$", re.IGNORECASE)


def normalize_article(text: str) -> str | None:
    """Return the canonical number ("L2121-17", "LO2122-4-1") of one article spelling, or None."""
    match = ARTICLE_RE.search(text.strip())
    if not match:
        return None
    return _canonical(match)


def _canonical(match: re.Match[str]) -> str:
    prefix = match.group("prefix").upper().replace(".", "")
    number = re.sub(r"\s+", "", match.group("number"))
    return f"{prefix}{number}"


def find_article_mentions(text: str) -> list[str]:
    """Normalised article numbers mentioned in a question or a passage, in order, without duplicates."""
    found: list[str] = []
    for match in ARTICLE_RE.finditer(text):
        number = match.group("number")
        before = text[max(0, match.start() - 12) : match.start()]
        hyphenated = "-" in number
        after_word = bool(_ARTICLE_WORD_RE.search(before))
        if not hyphenated and not after_word:
            continue
        # "a 2020-045" or "d 12-3" in prose are not articles; lowercase "l2121-17" is a common spelling.
        if match.group("prefix") in ("a", "d", "r") and not after_word:
            continue
        canonical = _canonical(match)
        if canonical not in found:
            found.append(canonical)
    return found


@functools.lru_cache(maxsize=65536)
def article_sort_key(number: str) -> tuple[str, tuple[int, ...]]:
    """Sort key that orders L2121-9 before L2121-10."""
    match = re.match(r"([A-Z]+)(.*)", number)
    if not match:
        return (number, ())
    parts = tuple(int(p) for p in re.findall(r"\d+", match.group(2)))
    return (match.group(1), parts)


# --- references between articles ----------------------------------------------------------------
# Short tags of the codes most cited by council texts; an unknown code keeps its (lowercased) name.
CODE_TAGS = {
    "code général des collectivités territoriales": "CGCT",
    "code des relations entre le public et l'administration": "CRPA",
    "code général des impôts": "CGI",
    "code électoral": "CE",
    "code de l'urbanisme": "CU",
    "code de la commande publique": "CCP",
    "code général de la propriété des personnes publiques": "CG3P",
    "code de l'environnement": "CENV",
    "code du patrimoine": "CPAT",
    "code de la construction et de l'habitation": "CCH",
    "code de l'éducation": "CEDUC",
    "code de la voirie routière": "CVR",
    "code général de la fonction publique": "CGFP",
}
_ABBREVIATIONS = {"cgct": "CGCT", "crpa": "CRPA", "cgi": "CGI", "cg3p": "CG3P", "ccp": "CCP"}
# Between two numbers of one enumeration: "," / "et" / "ou" / "à" (a range), optionally "l'article".
_SEPARATOR_RE = re.compile(
    r"^\s*(?P<sep>,|et|ou|à|au|,\s*et|,\s*ou)\s*(?:(?:à\s+)?l'article|les articles|articles?|l'|aux articles)?\s*$",
    re.IGNORECASE,
)
# After an enumeration: the code (or law) it belongs to.
_TRAILING_CODE_RE = re.compile(
    r"^\s*,?\s*(?:du|de la|de l'|des)\s*(?P<what>présent code|même code|code\b[^,.;:()\n]{0,80}|loi\b|"
    r"ordonnance\b|décret\b|(?:CGCT|CRPA|CGI|CG3P|CCP)\b)",
    re.IGNORECASE,
)
# Before an enumeration: "Vu le code général des collectivités territoriales, notamment ses articles ..."
_LEADING_CODE_RE = re.compile(
    r"(?P<code>code\b[^,.;:()\n]{3,80}?)\s*(?:,\s*)?(?:et\s+)?(?:notamment|en particulier)\s+"
    r"(?:ses|son|les|l')\s*(?:articles?)?\s*$",
    re.IGNORECASE,
)
_ITEM_RE = re.compile(r"(?P<item>\d+°|[IVX]+|\d+\s*(?:bis|ter)?)\s+(?:de\s+l'|du\s+)(?:article\s*)?$", re.IGNORECASE)
_MAX_RANGE = 200


@dataclass(frozen=True, slots=True)
class Reference:
    """One article cited by a text: its number, the code it names (None: the citing text's own code),
    and the item quoted ("4°" in "au 4° de l'article L. 2122-22")."""

    number: str
    code: str | None = None
    item: str | None = None


def code_tag(name: str) -> str:
    """The short tag of a code named in a text ("code général des impôts" -> "CGI")."""
    cleaned = re.sub(r"\s+", " ", name.strip().rstrip(" ,")).lower()
    if cleaned in _ABBREVIATIONS:
        return _ABBREVIATIONS[cleaned]
    for full, tag in CODE_TAGS.items():
        if cleaned.startswith(full):
            return tag
    return cleaned


def code_name(tag: str) -> str:
    """The full name of a code from its short tag ("CRPA" -> "Code des relations entre le public et
    l'administration"); an unknown tag is returned as it is."""
    for full, known in CODE_TAGS.items():
        if known == tag:
            return full[:1].upper() + full[1:]
    return tag


def find_references(text: str, existing: Collection[str] | None = None) -> list[Reference]:
    """Articles cited by a text, ranges expanded, each tagged with the code named after (or before) it.

    Only numbers with a letter prefix are articles of a code (L, LO, R, D, A): "article 1609 nonies C du
    code général des impôts" or "article 8 de la loi ..." are not returned at all. A reference followed by
    "du code de l'urbanisme" gets code "CU"; "du présent code" or no code named gives code None.
    """
    matches = [m for m in ARTICLE_RE.finditer(text) if _is_reference(text, m)]
    groups: list[list[tuple[re.Match[str], bool]]] = []  # (match, starts a range ending at the next match)
    for match in matches:
        if groups:
            previous = groups[-1][-1][0]
            between = text[previous.end() : match.start()]
            sep = _SEPARATOR_RE.match(between)
            if sep:
                is_range = sep.group("sep").lower() in ("à", "au")
                groups[-1][-1] = (previous, is_range)
                groups[-1].append((match, False))
                continue
        groups.append([(match, False)])
    references: list[Reference] = []
    seen: set[tuple[str, str | None]] = set()
    for group in groups:
        code = _group_code(text, group[0][0].start(), group[-1][0].end())
        numbers: list[tuple[str, str | None]] = []
        for position, (match, starts_range) in enumerate(group):
            number = _canonical(match)
            before = text[max(0, match.start() - 40) : match.start()]
            item_match = _ITEM_RE.search(before)
            numbers.append((number, re.sub(r"\s+", " ", item_match.group("item")) if item_match else None))
            if starts_range and position + 1 < len(group):
                end = _canonical(group[position + 1][0])
                numbers.extend((n, None) for n in expand_range(number, end, existing)[1:-1])
        for number, item in numbers:
            if (number, code) in seen:
                continue
            seen.add((number, code))
            references.append(Reference(number, code, item))
    return references


def parse_references(text: str, existing: Collection[str] | None = None, *, code: str | None = "CGCT") -> list[str]:
    """Numbers of the articles of `code` cited by a text (an article, a deliberation's "Vu ..." lines).

    >>> parse_references("selon les dispositions des articles L. 2121-10 à L. 2121-12")
    ['L2121-10', 'L2121-11', 'L2121-12']

    A reference that names another code ("article L. 300-1 du code de l'urbanisme") is left out; one that
    names no code is taken to belong to `code` (the citing text's own code). `code=None` keeps every
    reference. With `existing`, a range keeps the existing numbers between its two ends (L2122-18 à
    L2122-19 includes L2122-18-1); without it only the last component is counted (L2121-10..L2121-12).
    """
    found: list[str] = []
    for ref in find_references(text, existing):
        if code is not None and ref.code is not None and ref.code != code:
            continue
        if ref.number not in found:
            found.append(ref.number)
    return found


def expand_range(start: str, end: str, existing: Collection[str] | None = None) -> list[str]:
    """Every article from `start` to `end` inclusive (see parse_references)."""
    start_key, end_key = article_sort_key(start), article_sort_key(end)
    if start_key[0] != end_key[0] or start_key >= end_key:
        return [start, end] if start != end else [start]
    if existing is not None:
        inside = sorted((n for n in existing if start_key < article_sort_key(n) < end_key), key=article_sort_key)
        return [start, *inside[:_MAX_RANGE], end]
    a, b = start_key[1], end_key[1]
    if len(a) != len(b) or a[:-1] != b[:-1] or b[-1] - a[-1] > _MAX_RANGE:
        return [start, end]
    stem = start_key[0] + "-".join(str(p) for p in a[:-1])
    return [f"{stem}-{last}" if len(a) > 1 else f"{start_key[0]}{last}" for last in range(a[-1], b[-1] + 1)]


def nearest_articles(number: str, existing: Collection[str], n: int = 5) -> list[str]:
    """The `n` existing numbers closest to `number`: same leading components first, then numerically close.

    >>> nearest_articles("L2121-99", ["L2121-1", "L2121-40", "L2122-1"], n=2)
    ['L2121-40', 'L2121-1']
    """
    prefix, parts = article_sort_key(number)

    def distance(candidate: str) -> tuple[int, int, int, int, tuple[str, tuple[int, ...]]]:
        other_prefix, other = article_sort_key(candidate)
        common = 0
        while common < min(len(parts), len(other)) and parts[common] == other[common]:
            common += 1
        gap = abs(parts[common] - other[common]) if common < min(len(parts), len(other)) else 0
        return (-common, int(other_prefix != prefix), gap, abs(len(parts) - len(other)), (other_prefix, other))

    return sorted((c for c in set(existing) if c != number), key=distance)[:n]


def _is_reference(text: str, match: re.Match[str]) -> bool:
    before = text[max(0, match.start() - 40) : match.start()]
    after_word = bool(_ARTICLE_WORD_RE.search(before[-12:])) or bool(
        re.search(r"(?:articles?|art\.?)\s[^.;:]*$", before, re.IGNORECASE)
    )
    prefix = match.group("prefix")
    if prefix != prefix.upper() and not after_word:
        return False  # lowercase "a 12-3" / "d 2020-045" in prose
    return "-" in match.group("number") or after_word


def _group_code(text: str, start: int, end: int) -> str | None:
    trailing = _TRAILING_CODE_RE.match(text[end : end + 120])
    if trailing:
        what = trailing.group("what")
        lowered = what.lower()
        if lowered.startswith(("présent code", "même code")):
            return None
        if lowered.startswith(("loi", "ordonnance", "décret")):
            return lowered.split()[0]
        return code_tag(what)
    leading = _LEADING_CODE_RE.search(text[max(0, start - 160) : start])
    if leading:
        return code_tag(leading.group("code"))
    return None
