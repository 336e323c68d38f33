"""What a council document says about itself: its commune and séance date, and the title built from them.

Folding, month names, number words and dates come from rag.french.

>>> detect_seance_date([Page("PROCES VERBAL\\nLe vingt trois Juillet deux mille vingt", 1)], "pv.pdf")
'2020-07-23'
"""

from __future__ import annotations

import re
from pathlib import Path, PurePath
from typing import Any

from rag.french import (
    MONTH_NUMBERS,
    MONTH_PATTERN,
    NUMBER_WORDS,
    WEEKDAYS,
    fold,
    french_date,
    iso_date,
    number_from_words,
)
from rag.schema import Page

_WEEKDAY_RE = "(?:" + "|".join(WEEKDAYS) + ")"
# Number words a written date or vote count is made of ("le vingt trois juillet deux mille vingt").
_NUMBER_WORD_RE = "|".join(sorted([*NUMBER_WORDS, "premier"], key=len, reverse=True))


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# --- dates ----------------------------------------------------------------------------------------
_SEANCE_DATE_RE = re.compile(
    rf"\bseance (?:publique |ordinaire |extraordinaire )?du\s+(?:{_WEEKDAY_RE}\s+)?(\d{{1,2}}|1er)\s+({MONTH_PATTERN})\s+(\d{{4}})"
)
_COUNCIL_DATE_RE = re.compile(
    rf"\b(?:conseil municipal|reunion du conseil|c-?r du conseil(?: municipal)?)\s*(?:du|en date du)?\s*:?\s*"
    rf"(?:{_WEEKDAY_RE}\s+)?(\d{{1,2}}|1er)\s+({MONTH_PATTERN})\s+(\d{{4}})"
)
_WRITTEN_DATE_RE = re.compile(
    rf"\bl[e']\s*((?:(?:{_NUMBER_WORD_RE})[\s-]+(?:et[\s-]+)?){{1,3}})\s*({MONTH_PATTERN})\s+"
    rf"(deux[\s-]+mill?e?(?:[\s-]+(?:{_NUMBER_WORD_RE}|et))*)"
)
_LEADING_DATE_RE = re.compile(rf"^[\s+*•-]*{_WEEKDAY_RE}\s+(\d{{1,2}}|1er)\s+({MONTH_PATTERN})\s+(\d{{4}})")
# A line that is only a date, as under a list's title ("Liste des délibérations votées" / "Le 16 MAI 2025").
_DATE_LINE_RE = re.compile(rf"^[\s+*•-]*(?:le\s+)?(\d{{1,2}}|1er)\s+({MONTH_PATTERN})\s+(\d{{4}})\s*:?\s*$")
_FILENAME_DATE_RE = re.compile(rf"(?<![a-z0-9])(\d{{1,2}}|1er)[-_ .]+({MONTH_PATTERN})[-_ .]+((?:19|20)\d{{2}})(?!\d)")


def _from_match(day: str, month: str, year: str) -> str | None:
    return iso_date(int(year), MONTH_NUMBERS[month], 1 if day == "1er" else int(day))


def _written_number(words: str) -> int | None:
    """The number a date pattern captured in words, without the separators and the dangling "et" the
    pattern may take with it ("vingt-trois-" before "juillet", "deux mille vingt et" before "s'est réuni")."""
    return number_from_words(re.sub(r"(?:[\s-]+et)?[\s-]*$", "", words))


def _date_from_filename(source: str) -> str | None:
    name = PurePath(source).name
    for pattern, order in (
        (r"(?<!\d)((?:19|20)\d{2})[-_.]?(\d{2})[-_.]?(\d{2})(?!\d)", "ymd"),
        (r"(?<!\d)(\d{2})[-_.](\d{2})[-_.]((?:19|20)\d{2})(?!\d)", "dmy"),
    ):
        for match in re.finditer(pattern, name):
            a, b, c = (int(g) for g in match.groups())
            iso = iso_date(a, b, c) if order == "ymd" else iso_date(c, b, a)
            if iso:
                return iso
    worded = _FILENAME_DATE_RE.search(fold(name))  # "liste_des_deliberations_16_mai_2025.pdf"
    return _from_match(*worded.groups()) if worded else None


def _date_from_lines(lines: list[str]) -> str | None:
    head = fold(" ".join(lines))
    for pattern in (_SEANCE_DATE_RE, _COUNCIL_DATE_RE):
        match = pattern.search(head)
        if match:
            iso = _from_match(*match.groups())
            if iso:
                return iso
    match = _WRITTEN_DATE_RE.search(head)
    if match:
        day, year = _written_number(match.group(1)), _written_number(match.group(3))
        if day and year:
            iso = iso_date(year, MONTH_NUMBERS[match.group(2)], day)
            if iso:
                return iso
    for line in lines[:10]:
        match = _LEADING_DATE_RE.search(fold(line)) or _DATE_LINE_RE.search(fold(line))
        if match:
            iso = _from_match(*match.groups())
            if iso:
                return iso
    return None


def detect_seance_date(pages: list[Page], source: str) -> str | None:
    """ISO date of the séance: from the head of the document ("Séance du 23 Juillet 2020", "Le vingt trois
    Juillet deux mille vingt", "CR du conseil municipal 09 avril 2021"), else from the file name
    ("2014-04-24-0000071216.pdf", "CR_reunion_20210604.pdf", "CR_conseil_municipal_07_10_2022.pdf")."""
    head = [line for page in pages[:1] for line in page.text.splitlines() if line.strip()][:60]
    return _date_from_lines(head) or _date_from_filename(source)


# --- commune --------------------------------------------------------------------------------------
_PARTICLES = {"sur", "sous", "en", "le", "la", "les", "de", "du", "des", "lès", "et", "aux", "au", "d", "l"}
_COMMUNE_RE = re.compile(
    r"\b(?:conseil municipal de(?: la (?:ville|commune) de)?|commune de|ville de|mairie de)\b\s*"
    r"(?P<name>(?:(?:[A-ZÀ-Ý][\w'’-]*|sur|sous|en|le|la|les|lès|de|du|des|aux|au|d['’]|l['’]|SUR|SOUS|EN|LE|LA|LES|DE|DU|DES)"
    r"(?:\s+|$))*)",
    re.IGNORECASE,
)
_NOT_A_COMMUNE = {"la", "le", "les", "commune", "communes", "ville", "conseil", "municipal", "seance", "séance"}


def _clean_commune(raw: str) -> str | None:
    words = raw.split()
    # Trailing particles and words that start the next sentence are not part of the name.
    while words and (words[-1].lower() in _PARTICLES or fold(words[-1]) in _NOT_A_COMMUNE):
        words.pop()
    if not words or not words[0][0].isupper() or fold(words[0]) in _NOT_A_COMMUNE:
        return None
    if any(not (w[0].isupper() or w.lower() in _PARTICLES) for w in words):
        return None
    if len(words) > 5:
        return None
    name_words = []
    for index, word in enumerate(words):
        lower = word.lower()
        if index > 0 and lower in _PARTICLES:
            name_words.append(lower)
        elif word.isupper() and len(word) > 1:
            name_words.append("-".join(part.capitalize() for part in word.split("-")))
        else:
            name_words.append(word)
    return "-".join(name_words)


def detect_commune(pages: list[Page], source: str) -> str | None:
    """Name of the commune from the head of the first page ("Conseil Municipal de la Ville de Montpellier",
    "COMMUNE DE PREUILLY SUR CLAISE" -> "Preuilly-sur-Claise"); None when the text does not say it."""
    del source  # folder names are not reliable enough to name a commune
    lines = [_squash(line) for page in pages[:1] for line in page.text.splitlines() if line.strip()][:15]
    for index, line in enumerate(lines):
        for match in _COMMUNE_RE.finditer(line):
            # Only words with a capital (or all-caps particles) belong to the name.
            raw = match.group("name").strip()
            if not raw and index + 1 < len(lines):
                raw = " ".join(re.findall(r"^(?:[A-ZÀ-Ý][\w'’-]*\s*)+", lines[index + 1])[:1])
            name = _clean_commune(_cut_at_lowercase(raw))
            if name:
                return name
    return None


def _cut_at_lowercase(raw: str) -> str:
    kept = []
    for word in raw.split():
        if word[0].isupper() or word.lower() in _PARTICLES:
            kept.append(word)
        else:
            break
    return " ".join(kept)


# --- title of a council document ------------------------------------------------------------------
_GENERIC_FOLDERS = {
    "pdf",
    "pdfs",
    "doc",
    "docs",
    "data",
    "deliberations",
    "délibérations",
    "comptes_rendus",
    "comptes-rendus",
    "cr",
    "pv",
    "proces-verbaux",
    "documents",
    "uploads",
    "archives",
    "conseil",
    "conseil-municipal",
    "tmp",
}
_FOLDER_PARTICLES = {"sur", "sous", "de", "des", "du", "la", "le", "les", "en", "lès", "lez", "et", "aux", "au"}


def commune_from_path(path: Path | None) -> str | None:
    """The commune named by the nearest meaningful folder ("preuilly-sur-claise" -> "Preuilly-sur-Claise")."""
    if path is None:
        return None
    for folder in list(path.resolve().parents)[:3]:
        name = folder.name.lower()
        if (
            len(name) < 4
            or name in _GENERIC_FOLDERS
            or any(ch.isdigit() for ch in name)
            or name.startswith(("tmp", "pytest"))
        ):
            continue
        words = re.split(r"([-_ ])", name)
        pretty = "".join(
            w if w in "-_ " else (w if i and w in _FOLDER_PARTICLES else w.capitalize()) for i, w in enumerate(words)
        )
        return pretty.replace("_", "-").replace(" ", "-")
    return None


def describe_council_document(
    pages: list[Page], source: str, *, path: Path | None = None, default_commune: str | None = None
) -> dict[str, Any]:
    """Commune, séance date and a readable title for a council PDF (empty values when unknown)."""
    commune = detect_commune(pages, source)
    date = detect_seance_date(pages, source)
    commune = commune or default_commune or commune_from_path(path)
    name = Path(source).name
    parts = [p for p in (commune, french_date(date)) if p]
    title = " — ".join(parts + [name]) if parts else name
    return {"commune": commune or "", "date": date or "", "title": title}
