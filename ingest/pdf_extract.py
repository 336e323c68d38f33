"""Text extraction of one PDF with pypdf under tight limits (runs inside the worker of ingest.pdf).

Each limit ends as a `_Failure` (a French reason and fix), never as an exception: the worker sends it back.
"""

from __future__ import annotations

import logging
import re
import warnings
from dataclasses import dataclass
from typing import Any

from rag.schema import Page

# A page with fewer letters than this has no text layer (a scanned page, or a blank one).
MIN_LETTERS_PER_PAGE = 20
# Below this many letters over the whole document, the PDF is a scan without a text layer.
MIN_LETTERS_PER_DOCUMENT = 30
# Decoded size of one stream (FlateDecode and friends): a text page is 10-100 kB, a dense plan a few MB.
MAX_STREAM_BYTES = 32 * 1024 * 1024
# Content of one page above this: its text is skipped with a warning (drawings, not prose).
MAX_PAGE_CONTENT_BYTES = 8 * 1024 * 1024
# Text kept per page (a dense A4 page holds ~5,000 characters) and per document.
MAX_PAGE_CHARS = 100_000
MAX_DOCUMENT_CHARS = 20_000_000
# Memory of the worker process: beyond it pypdf gets MemoryError instead of the machine swapping.
WORKER_MEMORY_MB = 1536

OCR_INSTALL = "l'OCR demande : sudo apt-get install ocrmypdf tesseract-ocr-fra"
_REEXPORT = "ré-exportez le document en PDF depuis le logiciel d'origine"


@dataclass(frozen=True, slots=True)
class _Failure:
    reason: str
    fix: str


def _memory_failure(memory_mb: int) -> _Failure:
    return _Failure(
        f"PDF trop gourmand en mémoire (plus de {memory_mb} Mo pour le lire)",
        "découpez le document ou ré-exportez-le en PDF",
    )


@dataclass(frozen=True, slots=True)
class _Job:
    path: str
    max_pages: int
    password: str | None
    timeout: float | None


# Pages, notes, and the numbers of the pages that hold a full-page picture (a scan).
_PageTexts = tuple[list[Page], list[str], list[int]]
# Pixels of an image that fills a page: an A4 scanned at 150 dpi has 2.2 million.
SCAN_IMAGE_PIXELS = 1_000_000


class _PypdfLog(logging.Handler):
    """Keeps pypdf's warnings to tell a repaired file (rebuilt xref) from a clean one."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _extract(job: _Job, *, send: Any) -> _PageTexts | _Failure:
    """Open, check and extract one PDF. `send(("pages", n))` reports the page count to the parent."""
    from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError, PdfReadError

    log = _PypdfLog()
    pypdf_logger = logging.getLogger("pypdf")
    pypdf_logger.addHandler(log)
    pypdf_logger.setLevel(logging.WARNING)
    pypdf_logger.propagate = False
    try:
        with warnings.catch_warnings(), _limits():
            warnings.simplefilter("ignore")
            return _read(job, send, log)
    except LimitReachedError as e:
        return _Failure(
            f"PDF suspect (bombe de décompression ?) : un flux dépasse les limites de lecture ({e})",
            "vérifiez l'origine du fichier ; s'il est légitime, ré-exportez-le en PDF",
        )
    except (FileNotDecryptedError, DependencyError) as e:
        return _Failure(f"PDF chiffré illisible ({e})", "enregistrez une copie non chiffrée, puis indexez-la")
    except MemoryError:
        return _memory_failure(WORKER_MEMORY_MB)
    except RecursionError:
        return _Failure("PDF malformé (structure imbriquée sans fin)", _REEXPORT)
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError, AssertionError) as e:
        return _Failure(f"PDF illisible ou endommagé ({_short(e)})", _REEXPORT)
    except Exception as e:  # pypdf raises many internal errors on broken files
        return _Failure(f"PDF illisible ({type(e).__name__} : {_short(e)})", _REEXPORT)
    finally:
        pypdf_logger.removeHandler(log)


def _limits() -> Any:
    """Tighter pypdf limits, as a context manager around one file's reading."""
    import pypdf

    return pypdf.apply_configuration(
        zlib_maximum_output_length=MAX_STREAM_BYTES,
        lzw_maximum_output_length=MAX_STREAM_BYTES,
        run_length_maximum_output_length=MAX_STREAM_BYTES,
        array_based_stream_maximum_output_length=MAX_STREAM_BYTES,
        maximum_declared_stream_length=MAX_STREAM_BYTES,
    )


def _read(job: _Job, send: Any, log: _PypdfLog) -> _PageTexts | _Failure:
    import pypdf
    from pypdf.errors import LimitReachedError

    reader = pypdf.PdfReader(job.path, strict=False)
    if reader.is_encrypted and reader.decrypt(job.password or "") == 0:
        return _Failure("PDF protégé par un mot de passe", "enregistrez une copie sans mot de passe, puis indexez-la")
    notes: list[str] = []
    if any("startxref" in m or "rebuild xref" in m or "Xref" in m for m in log.messages):
        notes.append("table des objets (xref) endommagée, reconstruite à la lecture : vérifiez le texte indexé")
    # The declared count first: a page tree of 100,000 pages is refused before it is walked.
    declared = _declared_page_count(reader)
    if declared > job.max_pages:
        return _too_many_pages(declared, job.max_pages)
    walked = _walk_page_count(reader, job.max_pages)
    if walked > job.max_pages:  # a /Count that lies: the tree is walked only up to the limit
        return _Failure(
            f"PDF de plus de {job.max_pages} pages (arbre des pages : {walked} au moins)",
            "découpez le document ou augmentez MAIRIE_MAX_PAGES",
        )
    count = len(reader.pages)
    if count > job.max_pages:
        return _too_many_pages(count, job.max_pages)
    if count == 0:
        return _Failure("PDF sans aucune page", "vérifiez le fichier d'origine")
    if send is not None:
        send(("pages", count))
    pages: list[Page] = []
    total = 0
    skipped: list[int] = []
    images: list[int] = []
    for number, page in enumerate(reader.pages, start=1):
        if _has_page_image(page):
            images.append(number)
        size = _content_size(page)
        if size > MAX_PAGE_CONTENT_BYTES:
            notes.append(f"p. {number} : contenu de {size / 1e6:.0f} Mo (dessin ou plan ?), texte ignoré")
            pages.append(Page(text="", page_number=number))
            continue
        try:
            text = page.extract_text() or ""
        except (MemoryError, LimitReachedError):
            raise
        except Exception:  # one broken page is reported, the others are kept
            skipped.append(number)
            text = ""
        if len(text) > MAX_PAGE_CHARS:
            notes.append(f"p. {number} : {len(text)} caractères, tronquée à {MAX_PAGE_CHARS}")
            text = text[:MAX_PAGE_CHARS]
        total += len(text)
        if total > MAX_DOCUMENT_CHARS:
            return _Failure(
                f"texte extrait trop volumineux (plus de {MAX_DOCUMENT_CHARS // 1_000_000} millions de caractères)",
                "découpez le document",
            )
        pages.append(Page(text=_clean(text), page_number=number))
    if skipped:
        notes.append("page(s) illisible(s), indexée(s) vides : " + _page_list(skipped))
    return pages, notes, images


_LETTER = re.compile(r"[A-Za-zÀ-ÿ]")


def scan_failure(pages: list[Page]) -> _Failure | None:
    """For a reader without OCR: the failure of a PDF without a text layer (None when it has text)."""
    if sum(len(_LETTER.findall(p.text)) for p in pages) < MIN_LETTERS_PER_DOCUMENT:
        return _Failure(
            "PDF sans couche texte (document scanné) : reconnaissance de caractères (OCR) nécessaire",
            "indexez-le avec l'OCR activée (mairie ingest --ocr auto) ; " + OCR_INSTALL,
        )
    return None


def empty_pages_note(pages: list[Page]) -> str | None:
    """For a reader without OCR: the warning naming pages without text (None when every page has some)."""
    empty = [p.page_number for p in pages if len(_LETTER.findall(p.text)) < MIN_LETTERS_PER_PAGE]
    if empty and len(pages) > 1:
        return "pages sans texte (scannées ?), OCR nécessaire pour les lire : " + _page_list(empty)
    return None


def _has_page_image(page: Any) -> bool:
    """True when the page's resources hold an image large enough to be a scanned page."""
    try:
        xobjects = page.get("/Resources", {}).get_object().get("/XObject")
        if xobjects is None:
            return False
        for ref in xobjects.get_object().values():
            obj = ref.get_object()
            if obj.get("/Subtype") == "/Image" and int(obj.get("/Width", 0)) * int(obj.get("/Height", 0)) >= (
                SCAN_IMAGE_PIXELS
            ):
                return True
    except Exception:  # a broken resource dictionary only means "no picture found"
        return False
    return False


def _declared_page_count(reader: Any) -> int:
    try:
        count = reader.trailer["/Root"]["/Pages"].get("/Count", 0)
        return int(count)
    except Exception:  # a broken tree is left to pypdf's own walk (and its limits)
        return 0


def _walk_page_count(reader: Any, limit: int) -> int:
    """Leaves of the page tree, counted without building page objects; stops past `limit`.

    Kids stay unresolved references on the stack until their turn, so a tree of 100,000 kids costs
    `limit` object reads, not 100,000.
    """
    try:
        stack: list[Any] = [reader.trailer["/Root"].raw_get("/Pages")]
    except Exception:
        return 0
    seen: set[int] = set()
    count = 0
    while stack and count <= limit:
        item = stack.pop()
        idnum = getattr(item, "idnum", None)  # an IndirectObject reference
        if idnum is not None:
            if idnum in seen:
                continue
            seen.add(idnum)
        node = item.get_object()
        kids = node.raw_get("/Kids") if hasattr(node, "raw_get") and "/Kids" in node else None
        if kids is None:
            count += 1
            continue
        stack.extend(reversed(list(kids.get_object())))  # ArrayObject items are not resolved on access
    return count


def _too_many_pages(count: int, limit: int) -> _Failure:
    return _Failure(
        f"PDF de {count} pages, au-delà de la limite de {limit}", "découpez le document ou augmentez MAIRIE_MAX_PAGES"
    )


def _content_size(page: Any) -> int:
    """Decoded size of a page's content streams (decoding is bounded by MAX_STREAM_BYTES per stream)."""
    contents = page.get_contents()
    if contents is None:
        return 0
    return len(contents.get_data())


def _page_list(numbers: list[int]) -> str:
    shown = ", ".join(f"p. {n}" for n in numbers[:10])
    return shown + (f" (+{len(numbers) - 10})" if len(numbers) > 10 else "")


def _short(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text[:200]


# Small capitals as a PDF's text layer gives them: the word's capital, a space, its small letters set as capitals, two
# spaces between words ("M ME  F AURIEL . —", "M. LE  M AIRE"), or after a section's roman number ("I. F INANCES").
# "À", "A" and "Y" are words of their own, unless what follows cannot start a word ("A RTICLE  1 ER": no French word
# starts with "RT"). After an item's number too ("1. É LECTION  DU  PRÉSIDENT"), and after a hyphen ("B RÉVILLARD -C
# OULMEREY").
_SMALL_CAPS_RE = re.compile(
    r"(?:(?<=^)|(?<=\n)|(?<=  )|(?<=[IVX]\. )|(?<=\d\. )|(?<= -))"
    r"(?![AÀY] (?![BCDFGHJKLMNPQRSTVWXZ]{2})|[AÀY] (?:BL|BR|CH|CL|CR|DR|FL|FR|GL|GN|GR|PH|PL|PR|PS|SC|SP|ST|TR|VR))"
    r"([A-ZÀ-Ý]) ([A-ZÀ-ÝŒ'’-]{2,})(?=  | [-.,:;—–]|\n|$)",
    re.MULTILINE,
)


# Small capitals' elision set apart from its words: "L ' AÉRODROME", "D ' UN"
_SPACED_ELISION_RE = re.compile(r"(?<=\b[A-ZÀ-Ý]) (['’]) (?=[A-ZÀ-Ý])")


_SPACED_HYPHEN_RE = re.compile(r"(?<=[A-ZÀ-Ý]{2}) -(?=[A-ZÀ-Ý]{2})")


def _small_caps_joined(line: str) -> str:
    """A line with its small capitals' words joined, and on such a line a hyphen set apart from its second word
    ("BRÉVILLARD -C OULMEREY" is "BRÉVILLARD-COULMEREY"; elsewhere " -" is a dash: "ECOLE BEETHOVEN -LES GRISETTES")."""
    joined = _SMALL_CAPS_RE.sub(r"\1\2", line)
    return _SPACED_HYPHEN_RE.sub("-", joined) if joined != line else line


# A form's comb field, one character a box, as its text layer gives it: "0 8 / 1 2 / 2 0 2 5", "1 9 : 0 0", "D 2 0 2 5 -
# 2 1", "2 5 1 0 9 3 6 4 8" (a SIREN), "0 7" (a count in two boxes) — a whole line of single characters, read as the
# value typed ("08/12/2025"). Two single figures without a leading zero ("9 1") are a table's columns, and stay.
_COMB_LINE_RE = re.compile(r"^(?:[0-9A-Z/:.-] )+[0-9A-Z/:.-]$")


def _comb_joined(line: str) -> str:
    """The line's comb field typed as one value, when the whole line is one (see _COMB_LINE_RE)."""
    if not _COMB_LINE_RE.match(line.strip()):
        return line
    boxes = line.split()
    digits = sum(box.isdigit() for box in boxes)
    if digits < 2 or not (boxes[0] == "0" or boxes[0].isalpha() or len(boxes) >= 4 or set("/:-") & set(boxes)):
        return line
    return "".join(boxes)


def _clean(text: str) -> str:
    """A page's text as pypdf gives it, with its layout's artefacts undone.

    >>> _clean("M. LE  M AIRE . — Bonsoir.\\nM ME  F AURIEL . — Merci.\\nÀ RETENIR\\nI. F INANCES")
    'M. LE  MAIRE . — Bonsoir.\\nMME  FAURIEL . — Merci.\\nÀ RETENIR\\nI. FINANCES'
    >>> _clean("A RTICLE  1 ER – Le marché\\n1. É LECTION  DU  PRÉSIDENT\\nA PPROUVE\\nA  BRÉVILLARD -C OULMEREY")
    'ARTICLE  1 ER – Le marché\\n1. ÉLECTION  DU  PRÉSIDENT\\nAPPROUVE\\nA  BRÉVILLARD-COULMEREY'
    >>> _clean("SYNDICAT  MIXTE  DE  L ' AÉRODROME\\nBUDGET - FINANCES")
    "SYNDICAT  MIXTE  DE  L'AÉRODROME\\nBUDGET - FINANCES"
    >>> _clean("DATE DE LA SÉANCE\\n0 8 / 1 2 / 2 0 2 5\\nN° DE DÉLIBÉRATION\\nD 2 0 2 5 - 2 1\\nPOUR\\n0 7\\n9 1")
    'DATE DE LA SÉANCE\\n08/12/2025\\nN° DE DÉLIBÉRATION\\nD2025-21\\nPOUR\\n07\\n9 1'
    """
    text = text.replace("\u00a0", " ").replace("\r", "")
    text = "\n".join(_comb_joined(_small_caps_joined(line)) for line in text.split("\n"))
    text = _SPACED_ELISION_RE.sub(r"\1", text)
    # Rejoin words hyphenated at a line end ("délibé-\nration").
    text = re.sub(r"([A-Za-zÀ-ÿ])-\n([a-zà-ÿ])", r"\1\2", text)
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()
