"""French text toolkit: accent folding, month names and dates, number words, source labels.

Each idea is written here once; the lexical index, the verifier, the loaders, the CLI and the app call it.

>>> fold("L’Œuvre de l’École")
"l'oeuvre de l'ecole"
>>> parse_french_date("Séance du 1er mars 2021")
'2021-03-01'
>>> french_date("2022-10-07"), short_date("2022-10-07")
('7 octobre 2022', '07/10/2022')
>>> number_from_words("quatre-vingt-treize")
93
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from rag import schema
from rag.schema import Chunk

__all__ = [
    "MONTHS", "MONTH_NUMBERS", "MONTH_PATTERN", "NUMBER_WORDS", "WEEKDAYS", "fold", "fold_words", "french_date", "iso_date", "month_number",
    "number_from_words", "parse_french_date", "scan_note", "short_date", "source_label", "source_title",
]  # fmt: skip

# --- folding --------------------------------------------------------------------------------------
# Characters that NFKD does not reduce to ASCII but that have one plain spelling in French text.
_PLAIN = str.maketrans({
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'", "`": "'",  # apostrophes
    "\u201c": '"', "\u201d": '"', "\u00ab": '"', "\u00bb": '"',  # quotes
    "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ",  # non-breaking and thin spaces
    "œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE",
})  # fmt: skip


def fold_words(text: str) -> str:
    """The folded words of a text, one space apart: what a name or a date is looked for in, word by word.

    >>> fold_words("Commune d'Auribal-le-Vieux – PV du 28/11/2019")
    'commune d auribal le vieux pv du 28 11 2019'
    """
    return " ".join(re.findall(r"[a-z0-9]+", fold(text)))


def fold(text: str, *, keep_case: bool = False) -> str:
    """Text without accents, for comparisons: ligatures expanded (œ -> oe), typographic apostrophes, quotes
    and spaces made plain, other non-ASCII characters (€, –, …) dropped; lowercased unless `keep_case`.

    >>> fold("Vœu adopté, « sans réserve »")
    'voeu adopte, " sans reserve "'
    >>> fold("Élu", keep_case=True)
    'Elu'
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_PLAIN))
    folded = decomposed.encode("ascii", "ignore").decode()
    return folded if keep_case else folded.lower()


# --- months and dates -----------------------------------------------------------------------------
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
_ABBREVIATIONS = {"janv": 1, "févr": 2, "avr": 4, "juil": 7, "sept": 9, "oct": 10, "nov": 11, "déc": 12}
# Every spelling of a month, with and without accents, full or abbreviated: "février", "fevrier", "févr"...
MONTH_NUMBERS: dict[str, int] = {
    spelling: number
    for name, number in [*((m, i) for i, m in enumerate(MONTHS, 1)), *_ABBREVIATIONS.items()]
    for spelling in (name, fold(name))
}
# Full month names, folded: what a pattern searched in folded text alternates over.
MONTH_PATTERN = "|".join(fold(m) for m in MONTHS)
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def month_number(word: str) -> int | None:
    """1-12 for a month name written in any case, with or without accents, full or abbreviated.

    >>> month_number("Févr."), month_number("AOUT"), month_number("lundi")
    (2, 8, None)
    """
    return MONTH_NUMBERS.get(fold(word).rstrip("."))


def iso_date(year: int, month: int, day: int) -> str | None:
    """ "2021-02-01", or None when the day does not exist (31 février)."""
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


_WRITTEN_DATE_RE = re.compile(rf"\b(\d{{1,2}}|1er)\s+({MONTH_PATTERN})\s+(\d{{4}})\b")
_NUMERIC_DATE_RE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])")


def parse_french_date(text: str) -> str | None:
    """The first date written "23 juillet 2020", "1er mars 2021" or "07/10/2022" in `text`, as ISO, or None.

    >>> parse_french_date("Séance du  23 Juillet 2020"), parse_french_date("reçu le 07/10/2022")
    ('2020-07-23', '2022-10-07')
    >>> parse_french_date("le 31 février 2021") is None
    True
    """
    folded = fold(text)
    found: list[tuple[int, str | None]] = []
    match = _WRITTEN_DATE_RE.search(folded)
    if match:
        day, month, year = match.groups()
        found.append((match.start(), iso_date(int(year), MONTH_NUMBERS[month], 1 if day == "1er" else int(day))))
    match = _NUMERIC_DATE_RE.search(folded)
    if match:
        day, month, year = (int(g) for g in match.groups())
        found.append((match.start(), iso_date(year, month, day)))
    return min(found)[1] if found else None


_ISO_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})$")


def french_date(iso: str | None) -> str:
    """ "2020-07-23" -> "23 juillet 2020", "2021-03-01" -> "1er mars 2021"; other text is returned as it is.

    >>> french_date("2021-03-01"), french_date("2023"), french_date(None)
    ('1er mars 2021', '2023', '')
    """
    match = _ISO_RE.match(iso or "")
    if not match or not 1 <= int(match.group(2)) <= 12:
        return iso or ""
    year, month, day = (int(g) for g in match.groups())
    return f"{'1er' if day == 1 else day} {MONTHS[month - 1]} {year}"


def short_date(iso: str | None) -> str:
    """ "2022-10-07" -> "07/10/2022", the way forms and tables write dates; other text is returned as it is.

    >>> short_date("2022-10-07"), short_date("")
    ('07/10/2022', '')
    """
    match = _ISO_RE.match(iso or "")
    return f"{match.group(3)}/{match.group(2)}/{match.group(1)}" if match else iso or ""


# --- number words ---------------------------------------------------------------------------------
# Single number words (folded): for scanning text word by word. "un"/"une" are also articles.
NUMBER_WORDS: dict[str, int] = {
    "zero": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
    "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15,
    "seize": 16, "vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60, "cent": 100,
    "mille": 1000,
}  # fmt: skip


def number_from_words(words: str) -> int | None:
    """A number written in French words or digits, or None if `words` is not one number.

    Compound numbers follow French rules ("dix-neuf", "vingt et un", "quatre-vingt-treize", "deux mille
    vingt"), in any case, with or without hyphens and accents; "premier" and "1er" are 1.

    >>> number_from_words("Vingt et un"), number_from_words("TREIZE"), number_from_words("12")
    (21, 13, 12)
    >>> number_from_words("voix") is None
    True
    """
    from text_to_num import text2num

    folded = " ".join(fold(words).split())
    if folded.isdigit():
        return int(folded)
    if folded in ("premier", "1er"):
        return 1
    if folded == "zero":
        return 0
    try:
        return int(text2num(folded, "fr"))
    except ValueError:
        return None


# --- source labels --------------------------------------------------------------------------------
def source_label(chunk: Chunk) -> str:
    """One line naming where a passage comes from, for the answer text, the CLI and the app.

    >>> meta = {"kind": "deliberation", "delib_id": "2020-045", "commune": "Preuilly-sur-Claise",
    ...         "date": "2020-07-23", "source": "PV_CM_2020-07-23.pdf", "page": 3}
    >>> source_label(Chunk(id="x", text="", meta=meta))
    'Délibération 2020-045, Preuilly-sur-Claise, séance du 23 juillet 2020, PV_CM_2020-07-23.pdf, p. 3'
    >>> source_label(Chunk(id="y", text="", meta={"kind": "article", "article": "L2121-17", "code": "CGCT"}))
    'Article L2121-17 (CGCT)'
    """
    meta = chunk.meta
    if chunk.kind == schema.KIND_ARTICLE:
        label = source_title(chunk)
        if meta.get(schema.VERSION_NOTE):
            return f"{label}, {meta[schema.VERSION_NOTE]}"
        version = meta.get(schema.VERSION_DATE)
        return label + (f", texte consolidé au {french_date(str(version))}" if version else "")
    parts: list[str] = []
    if meta.get(schema.DELIB_ID):
        parts.append(f"Délibération {meta[schema.DELIB_ID]}")
    elif chunk.kind == schema.KIND_DELIBERATION and meta.get(schema.OBJET):
        parts.append(f"Délibération « {str(meta[schema.OBJET])[:80]} »")
    if meta.get(schema.COMMUNE):
        parts.append(str(meta[schema.COMMUNE]))
    if meta.get(schema.DATE):
        parts.append(f"séance du {french_date(str(meta[schema.DATE]))}")
    parts.append(chunk.source)
    if chunk.page:
        parts.append(f"p. {chunk.page}")
    elif meta.get(schema.SECTION):
        parts.append(f"section « {str(meta[schema.SECTION])[:80]} »")
    note = scan_note(chunk)
    return ", ".join(parts) + (f" ({note})" if note else "")


def scan_note(chunk: Chunk) -> str:
    """The note on text read by OCR ("texte issu d'une numérisation"), with a warning when it was hard to read.

    >>> scan_note(Chunk(id="z", text="", meta={"ocr_confidence": 0.62}))
    "texte issu d'une numérisation, lecture incertaine (62 %) : vérifiez sur l'original"
    """
    confidence = chunk.meta.get(schema.OCR_CONFIDENCE)
    if confidence is None:
        return ""
    if float(confidence) < schema.OCR_LOW_CONFIDENCE:
        return f"texte issu d'une numérisation, lecture incertaine ({round(float(confidence) * 100)} %) : vérifiez sur l'original"
    return "texte issu d'une numérisation"


def source_title(chunk: Chunk) -> str:
    """The short name of a source, for a card title: "Article L2121-17 (CGCT)", "Délibération 2020-045 — Tarifs".

    >>> source_title(Chunk(id="x", text="", meta={"kind": "deliberation", "objet": "Tarifs de la cantine"}))
    'Délibération — Tarifs de la cantine'
    """
    meta = chunk.meta
    if chunk.kind == schema.KIND_ARTICLE:
        return f"Article {chunk.article}" + (f" ({meta[schema.CODE]})" if meta.get(schema.CODE) else "")
    if chunk.kind == schema.KIND_DELIBERATION:
        objet = str(meta.get(schema.OBJET) or "").strip()
        number = meta.get(schema.DELIB_ID)
        head = f"Délibération {number}" if number else "Délibération"
        return f"{head} — {objet}" if objet else head
    return chunk.title
