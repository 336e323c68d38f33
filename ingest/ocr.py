"""Scanned pages: which ones need OCR, and their text read by OCRmyPDF + Tesseract (French), cached.

A page needs OCR when its text layer holds no text, only the prefecture's stamp ("Envoyé en préfecture
le …", "Reçu en préfecture le …", "ID : 030-…"), garbage (few dictionary-like words), or a few words on a
page that is a full-page picture. `ocr_pages` runs `ocrmypdf` (deskew, page rotation, French language)
on those pages only, reads the text and the word confidences Tesseract wrote (hOCR), and keeps them in a
cache keyed by the file's content hash: a file is never OCR'd twice. Page numbers are the PDF's.

Example (needs ocrmypdf and tesseract-ocr-fra)::

    pages = ocr_pages(Path("pv-scanne.pdf"), [1, 2], cache_dir=settings.cache_dir)
    pages[1].text[:40], pages[1].confidence
    # -> ('COMPTE RENDU du CONSEIL MUNICIPAL de la ', 0.91)
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ingest.base import SourceMeta
from rag.errors import SourceError
from rag.schema import OCR_LOW_CONFIDENCE, Page

logger = logging.getLogger(__name__)

OCR_AUTO = "auto"  # OCR the pages that need it
OCR_ALWAYS = "always"  # OCR every page, text layer or not
OCR_NEVER = "never"  # no OCR: scanned documents are skipped (reported), scanned pages left out with a warning
OCR_MODES = (OCR_AUTO, OCR_ALWAYS, OCR_NEVER)
LANGUAGE = "fra"
INSTALL_HINT = "installez-le avec : sudo apt-get install ocrmypdf tesseract-ocr-fra"
# Bump when the OCR command changes what it reads: cached pages of the previous version are read again.
ENGINE_VERSION = "1"
# Time budget: a base plus a share per page. Tesseract reads a 300 dpi A4 page in 6 to 15 s on 2 idle
# cores, minutes on a loaded machine: the budget only stops a run that hangs.
BASE_SECONDS = 300.0
SECONDS_PER_PAGE = 600.0
# Letters (stamp lines aside) below which a page has no real text; below SHORT_LETTERS on a page that is
# a full-page picture, the few words are a caption or a stamp drawn as text, and the picture is read.
MIN_LETTERS = 20
SHORT_LETTERS = 200
# Share of word-like tokens (among those with letters) below which a text layer is garbage (a broken font encoding, a bad old OCR).
MIN_WORD_SHARE = 0.5

_STAMP_LINE = re.compile(
    r"^\s*(envoy[ée] en pr[ée]fecture|re[çc]u en pr[ée]fecture|publi[ée] le|affich[ée] le|id\s*:\s*\d{3}-"
    r"|s\s*[²2]\s*low?\b|berger[- ]levrault|accus[ée] de r[ée]ception|\d{1,2}/\d{1,2}/\d{4}\s*$)",
    re.IGNORECASE,
)
_LETTER = re.compile(r"[A-Za-zÀ-ÿ]")
_WORDLIKE = re.compile(r"^[A-Za-zÀ-ÿ'’-]*[aeiouyàâäéèêëîïôöùûüAEIOUYÀÂÉÈÊËÎÏÔÖÙÛÜ][A-Za-zÀ-ÿ'’.,;:-]*$")


class OcrUnavailable(SourceError):
    """The OCR engine (or its French data) is not installed; the message says how to install it."""


class ScanSkipped(SourceError):
    """A scanned document left out on purpose (OCR set to "never"): reported as skipped, not as failed."""


@dataclass(frozen=True, slots=True)
class OcrPage:
    """One page read by OCR: its text and Tesseract's mean word confidence (0 to 1)."""

    page_number: int
    text: str
    confidence: float


def without_stamps(text: str) -> str:
    """The text without the lines of the prefecture's stamp (transmission and publication dates, ACTES id)."""
    return "\n".join(line for line in text.splitlines() if not _STAMP_LINE.match(line))


def ocr_reason(text: str, *, full_page_image: bool = False) -> str | None:
    """Why a page's text layer cannot be trusted (French, for warnings), or None when it reads as text."""
    rest = without_stamps(text)
    letters = len(_LETTER.findall(rest))
    if letters < MIN_LETTERS:
        if len(_LETTER.findall(text)) >= MIN_LETTERS:
            return "seulement le tampon de la préfecture"
        return "aucun texte"
    tokens = [t for t in rest.split() if _LETTER.search(t)]  # figures of a table are not garbage
    if tokens and sum(1 for t in tokens if _WORDLIKE.match(t)) / len(tokens) < MIN_WORD_SHARE:
        return "texte illisible (encodage ou ancienne OCR)"
    if full_page_image and letters < SHORT_LETTERS:
        return "quelques mots sur une page image"
    return None


def file_digest(path: Path) -> str:
    """sha256 of the file's bytes: the key of its cached OCR (independent of the pipeline version)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_engine(display: str) -> None:
    """Raise OcrUnavailable (with the install command) unless ocrmypdf, tesseract and French data exist."""
    missing = [tool for tool in ("ocrmypdf", "tesseract") if shutil.which(tool) is None]
    if missing:
        raise OcrUnavailable(
            display,
            f"document scanné : la reconnaissance de caractères (OCR) est nécessaire mais {' et '.join(missing)} "
            "n'est pas installé",
            fix=INSTALL_HINT,
        )
    try:
        langs = subprocess.run(
            ["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        ).stdout.split()
    except (OSError, subprocess.SubprocessError):
        langs = []
    if LANGUAGE not in langs:
        raise OcrUnavailable(
            display,
            "document scanné : les données françaises de Tesseract (tesseract-ocr-fra) ne sont pas installées",
            fix=INSTALL_HINT,
        )


class OcrCache:
    """OCR'd pages of each file, one JSON file per content hash under `<cache_dir>/ocr/`."""

    def __init__(self, cache_dir: Path | None) -> None:
        self.folder = cache_dir / "ocr" if cache_dir is not None else None

    def _path(self, digest: str) -> Path | None:
        return self.folder / f"{digest}.json" if self.folder is not None else None

    def get(self, digest: str) -> dict[int, OcrPage]:
        path = self._path(digest)
        if path is None or not path.exists():
            return {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if data.get("engine") != ENGINE_VERSION:
            return {}
        return {int(n): OcrPage(int(n), p["text"], float(p["confidence"])) for n, p in data["pages"].items()}

    def put(self, digest: str, pages: dict[int, OcrPage]) -> None:
        path = self._path(digest)
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "engine": ENGINE_VERSION,
            "pages": {str(n): {"text": p.text, "confidence": p.confidence} for n, p in sorted(pages.items())},
        }
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)


def ocr_pages(
    path: Path,
    numbers: list[int],
    *,
    cache_dir: Path | None,
    display: str | None = None,
    digest: str | None = None,
    on_page: Callable[[int, int], None] | None = None,
) -> dict[int, OcrPage]:
    """The OCR'd text of pages `numbers` (1-based) of a PDF, from the cache or by running OCRmyPDF.

    `on_page(done, total)` reports progress page by page. Raises OcrUnavailable when the engine is missing
    (and pages are not cached), SourceError when OCRmyPDF fails or overruns its time budget.
    """
    display = display or path.name
    digest = digest or file_digest(path)
    cache = OcrCache(cache_dir)
    known = cache.get(digest)
    wanted = sorted(set(numbers))
    missing = [n for n in wanted if n not in known]
    if missing:
        check_engine(display)
        logger.info("%s: OCR of %d page(s)", display, len(missing))
        read = _run_ocrmypdf(path, missing, display=display, on_page=on_page)
        known.update(read)
        cache.put(digest, known)
    elif on_page is not None and wanted:
        on_page(len(wanted), len(wanted))
    return {n: known[n] for n in wanted if n in known}


def _run_ocrmypdf(
    path: Path, numbers: list[int], *, display: str, on_page: Callable[[int, int], None] | None
) -> dict[int, OcrPage]:
    budget = BASE_SECONDS + SECONDS_PER_PAGE * len(numbers)
    with tempfile.TemporaryDirectory(prefix="mairie-ocr-") as work:
        env = dict(os.environ, TMPDIR=work)  # ocrmypdf keeps its per-page files (-k) in a folder of TMPDIR
        command = [
            "ocrmypdf",
            "--quiet",
            "--keep-temporary-files",
            "--language",
            LANGUAGE,
            "--force-ocr",
            "--deskew",
            "--rotate-pages",
            "--pdf-renderer",
            "hocr",
            "--output-type",
            "none",
            "--optimize",
            "0",
            "--tesseract-timeout",
            str(int(SECONDS_PER_PAGE)),
            "--pages",
            ",".join(str(n) for n in numbers),
            str(path),
            "-",
        ]
        started = time.monotonic()
        with open(Path(work) / "stderr.txt", "w+b") as err:
            # Its own session: on timeout the whole group (ocrmypdf and its tesseract children) is killed.
            proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err, env=env, start_new_session=True)
            done = 0
            try:
                while proc.poll() is None:
                    if time.monotonic() - started > budget:
                        raise SourceError(
                            display,
                            f"reconnaissance de caractères (OCR) interrompue après {budget:.0f} s",
                            fix="découpez le document ou relancez l'indexation",
                        )
                    time.sleep(0.5)
                    now = len(list(Path(work).glob("ocrmypdf.io.*/*_ocr_hocr.hocr")))
                    if on_page is not None and now > done:
                        done = now
                        on_page(done, len(numbers))
            finally:
                if proc.poll() is None:  # timed out or interrupted
                    _kill_group(proc)
            err.seek(0)
            message = err.read().decode("utf-8", "replace").strip()
        if proc.returncode != 0:
            last = message.splitlines()[-1] if message else f"code de sortie {proc.returncode}"
            raise SourceError(
                display, f"échec de la reconnaissance de caractères (OCR) : {last[:200]}", fix=_reexport()
            )
        pages = _read_hocr(Path(work))
    if on_page is not None:
        on_page(len(numbers), len(numbers))
    return {n: p for n, p in pages.items() if n in set(numbers)}


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (OSError, AttributeError):  # no process groups (Windows), or already gone
        proc.kill()
    proc.wait()


def _reexport() -> str:
    return "vérifiez le fichier ou numérisez le document à nouveau"


_WORD_RE = re.compile(r"<span class=['\"]ocrx_word['\"][^>]*x_wconf (\d+)[^>]*>(.*?)</span>", re.DOTALL)
_TAG_RE = re.compile(r"<[^>]+>")


def _read_hocr(work: Path) -> dict[int, OcrPage]:
    """Text and mean word confidence of each page ocrmypdf read (files 000003_ocr_hocr.{hocr,txt})."""
    pages: dict[int, OcrPage] = {}
    for hocr in work.glob("ocrmypdf.io.*/*_ocr_hocr.hocr"):
        number = int(hocr.name.split("_", 1)[0])
        markup = hocr.read_text(encoding="utf-8", errors="replace")
        scores = [
            (int(score), len(_TAG_RE.sub("", word).strip()))
            for score, word in _WORD_RE.findall(markup)
            if _TAG_RE.sub("", word).strip()
        ]
        weight = sum(n for _, n in scores)
        confidence = sum(s * n for s, n in scores) / weight / 100 if weight else 0.0
        text_file = hocr.with_suffix(".txt")
        text = text_file.read_text(encoding="utf-8", errors="replace") if text_file.exists() else ""
        pages[number] = OcrPage(number, _tidy(text), round(confidence, 3))
    return pages


def _tidy(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("\x0c", "")
    text = re.sub(r"([A-Za-zÀ-ÿ])-\n([a-zà-ÿ])", r"\1\2", text)  # words hyphenated at a line end
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def read_scanned_pages(
    path: Path, pages: list[Page], *, images: list[int], meta: SourceMeta, notes: list[str]
) -> tuple[list[Page], dict[int, float]]:
    """Pages with the scanned ones read by OCR (per the `ocr` setting), and the OCR confidence of each.

    A page whose text layer cannot be trusted (`ocr_reason`) is never kept as it is: it is OCR'd, or, when
    OCR is off or missing, left out with a warning in `notes`. A document made only of such pages is not
    indexed: ScanSkipped (OCR "never"), OcrUnavailable (engine missing) or SourceError (nothing readable).
    """
    mode = meta.settings.ocr
    pictures = set(images)
    reasons = {p.page_number: ocr_reason(p.text, full_page_image=p.page_number in pictures) for p in pages}
    needing = [n for n, reason in reasons.items() if reason or mode == OCR_ALWAYS]
    if not needing:
        return pages, {}
    whole = len(needing) == len(pages)
    if mode == OCR_NEVER:
        if whole:
            raise ScanSkipped(
                meta.source,
                "document scanné (ou seulement le tampon de la préfecture), non indexé : OCR désactivée",
                fix="relancez avec --ocr auto (ou MAIRIE_OCR=auto) pour le lire",
            )
        notes.append("pages scannées non indexées (OCR désactivée) : " + _pages_list(needing))
        return _blanked(pages, needing), {}
    report = meta.on_page
    progress = (lambda done, total: report(meta.source, done, total)) if report is not None else None
    try:
        read = ocr_pages(path, needing, cache_dir=meta.settings.cache_dir, display=meta.source, on_page=progress)
    except OcrUnavailable as e:
        if whole:
            raise
        notes.append(f"pages scannées non indexées ({_pages_list(needing)}) : {e.reason} ; {e.fix}")
        return _blanked(pages, needing), {}
    unreadable = [n for n in needing if len(_LETTER.findall(read[n].text if n in read else "")) < MIN_LETTERS]
    confidences = {n: read[n].confidence for n in needing if n not in unreadable}
    if len(unreadable) == len(pages):
        raise SourceError(
            meta.source,
            "PDF sans couche texte (document scanné) : reconnaissance de caractères (OCR) nécessaire, mais "
            "l'OCR n'y a trouvé aucun texte lisible",
            fix="numérisez le document à nouveau (300 dpi, noir et blanc) puis indexez-le",
        )
    if unreadable:
        notes.append("pages scannées sans texte lisible même après OCR, non indexées : " + _pages_list(unreadable))
    low = [n for n, c in confidences.items() if c < OCR_LOW_CONFIDENCE]
    if low:
        shown = ", ".join(f"p. {n} ({round(confidences[n] * 100)} %)" for n in low[:10])
        notes.append(f"texte issu d'une numérisation peu lisible, à vérifier sur l'original : {shown}")
    out = [
        Page(read[p.page_number].text, p.page_number) if p.page_number in confidences else p
        for p in _blanked(pages, unreadable)
    ]
    return out, confidences


def _blanked(pages: list[Page], numbers: list[int]) -> list[Page]:
    drop = set(numbers)
    return [Page("", p.page_number) if p.page_number in drop else p for p in pages]


def _pages_list(numbers: list[int]) -> str:
    shown = ", ".join(f"p. {n}" for n in numbers[:10])
    return shown + (f" (+{len(numbers) - 10})" if len(numbers) > 10 else "")
