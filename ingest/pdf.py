"""PDF loader (pypdf): one Page per PDF page, 1-based page numbers, with clear errors for bad files.

A PDF comes from outside and pypdf is a pure-Python parser, so a hostile or broken file must cost a
bounded time and memory and end as one SourceError for that file, never stop a batch. Extraction runs
in a worker process (started once, reused for every file) whose address space is capped and which is
killed when a file overruns its time budget; pypdf's own limits are tightened inside it, the page count
is read from the page tree before any page is parsed, and the text kept per page and per document is
capped.

>>> pages = load_pdf(Path("pv.pdf"), display="pv.pdf", max_pages=2000)
>>> pages[0].page_number
1
"""

from __future__ import annotations

import atexit
import logging
import mmap
import re
import threading
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rag.errors import SourceError
from rag.schema import Page

logger = logging.getLogger(__name__)

# A page with fewer letters than this has no text layer (a scanned page, or a blank one).
MIN_LETTERS_PER_PAGE = 20
# Below this many letters over the whole document, the PDF is a scan without a text layer.
MIN_LETTERS_PER_DOCUMENT = 30
# Time budget of one file: a base plus a share per page (pypdf reads 5 to 50 pages a second).
BASE_SECONDS = 60.0
SECONDS_PER_PAGE = 0.25
# Decoded size of one stream (FlateDecode and friends): a text page is 10-100 kB, a dense plan a few MB.
MAX_STREAM_BYTES = 32 * 1024 * 1024
# Content of one page above this: its text is skipped with a warning (drawings, not prose).
MAX_PAGE_CONTENT_BYTES = 8 * 1024 * 1024
# Text kept per page (a dense A4 page holds ~5,000 characters) and per document.
MAX_PAGE_CHARS = 100_000
MAX_DOCUMENT_CHARS = 20_000_000
# Address space of the worker process: beyond it pypdf gets MemoryError instead of the machine swapping.
WORKER_MEMORY_MB = 1536

_REEXPORT = "ré-exportez le document en PDF depuis le logiciel d'origine"


@dataclass(frozen=True, slots=True)
class _Failure:
    reason: str
    fix: str


def load_pdf(
    path: Path,
    *,
    display: str,
    max_pages: int,
    password: str | None = None,
    notes: list[str] | None = None,
    timeout: float | None = None,
    isolate: bool = True,
) -> list[Page]:
    """Extract the text of each page. Raises SourceError naming `display`, the reason and the fix.

    `notes` receives warnings about a file that is still indexed (damaged xref, pages without text).
    `timeout` is the time budget in seconds (default: BASE_SECONDS + SECONDS_PER_PAGE per page).
    `isolate=False` extracts in this process (no time or memory bound: for trusted files and debugging).
    """
    _check_end_marker(path, display)
    job = _Job(str(path), max_pages, password, timeout)
    result = _WORKER.run(job) if isolate else _extract(job, send=None)
    if isinstance(result, _Failure):
        raise SourceError(display, result.reason, fix=result.fix)
    pages, found_notes = result
    if notes is not None:
        notes.extend(found_notes)
    for note in found_notes:
        logger.info("%s: %s", display, note)
    return pages


def _check_end_marker(path: Path, display: str) -> None:
    """A PDF ends with %%EOF: without one anywhere, the copy or download stopped half-way."""
    try:
        with path.open("rb") as fh:
            size = fh.seek(0, 2)
            if size == 0:
                raise SourceError(display, "fichier vide (0 octet)", fix="vérifiez la copie du fichier")
            fh.seek(max(0, size - 2048))
            if b"%%EOF" in fh.read():
                return
            with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
                if mm.rfind(b"%%EOF") >= 0:
                    return
    except OSError as e:
        raise SourceError(display, f"fichier illisible ({e.strerror or e})", fix="vérifiez les droits") from e
    raise SourceError(
        display,
        "PDF tronqué : la fin du fichier (%%EOF) manque, la copie ou le téléchargement est incomplet",
        fix="copiez ou téléchargez à nouveau le document d'origine",
    )


# --- extraction (runs in the worker process) -------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Job:
    path: str
    max_pages: int
    password: str | None
    timeout: float | None


_PageTexts = tuple[list[Page], list[str]]


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
        return _Failure(
            f"PDF trop gourmand en mémoire (plus de {WORKER_MEMORY_MB} Mo pour le lire)",
            "découpez le document ou ré-exportez-le en PDF",
        )
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
        return _Failure("PDF protégé par un mot de passe",
                        "enregistrez une copie sans mot de passe, puis indexez-la")
    notes: list[str] = []
    if any("startxref" in m or "rebuild xref" in m or "Xref" in m for m in log.messages):
        notes.append("table des objets (xref) endommagée, reconstruite à la lecture : vérifiez le texte indexé")
    # The declared count first: a page tree of 100,000 pages is refused before it is walked.
    declared = _declared_page_count(reader)
    if declared > job.max_pages:
        return _too_many_pages(declared, job.max_pages)
    walked = _walk_page_count(reader, job.max_pages)
    if walked > job.max_pages:  # a /Count that lies: the tree is walked only up to the limit
        return _Failure(f"PDF de plus de {job.max_pages} pages (arbre des pages : {walked} au moins)",
                        "découpez le document ou augmentez MAIRIE_MAX_PAGES")
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
    for number, page in enumerate(reader.pages, start=1):
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
    letters = [len(_LETTER.findall(p.text)) for p in pages]
    if sum(letters) < MIN_LETTERS_PER_DOCUMENT:
        return _Failure(
            "PDF sans couche texte (document scanné) : reconnaissance de caractères (OCR) nécessaire",
            "passez-le dans un outil d'OCR (ex. ocrmypdf) puis indexez le PDF obtenu",
        )
    empty = [p.page_number for p, n in zip(pages, letters, strict=True) if n < MIN_LETTERS_PER_PAGE]
    if empty and len(pages) > 1:
        notes.append("pages sans texte (scannées ?), OCR nécessaire pour les lire : " + _page_list(empty))
    return pages, notes


_LETTER = re.compile(r"[A-Za-zÀ-ÿ]")


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
    return _Failure(f"PDF de {count} pages, au-delà de la limite de {limit}",
                    "découpez le document ou augmentez MAIRIE_MAX_PAGES")


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


def _clean(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("\r", "")
    # Rejoin words hyphenated at a line end ("délibé-\nration").
    text = re.sub(r"([A-Za-zÀ-ÿ])-\n([a-zà-ÿ])", r"\1\2", text)
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


# --- the worker process ----------------------------------------------------------------------------
def _worker_main(fd: int, memory_mb: int) -> None:
    """Loop of the worker: read a job, send ("pages", n) then ("done", result). Exits when the parent goes."""
    import contextlib
    from multiprocessing.connection import Connection

    try:
        import resource
    except ImportError:  # Windows: no address-space limit; the time budget still kills a runaway file
        pass
    else:
        limit = memory_mb * 1024 * 1024
        with contextlib.suppress(ValueError, OSError):  # a lower hard limit already set is kept
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    conn = Connection(fd)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            result: Any = _extract(job, send=conn.send)
        except MemoryError:
            result = _Failure(f"PDF trop gourmand en mémoire (plus de {memory_mb} Mo pour le lire)",
                              "découpez le document ou ré-exportez-le en PDF")
        try:
            conn.send(("done", result))
        except (BrokenPipeError, OSError):
            return


class _Worker:
    """One extraction process, started on first use and replaced after a timeout or a crash.

    A plain subprocess on a socket pair rather than multiprocessing: no re-import of the caller's
    __main__ (scripts without a main guard, Streamlit) and no fork of a process that holds Chroma's threads.
    """

    def __init__(self, memory_mb: int = WORKER_MEMORY_MB) -> None:
        self.memory_mb = memory_mb
        self._lock = threading.Lock()
        self._proc: Any = None
        self._conn: Any = None

    def _start(self) -> None:
        import socket
        import subprocess
        import sys
        from multiprocessing.connection import Connection

        ours, theirs = socket.socketpair()
        root = str(Path(__file__).resolve().parents[1])
        code = (f"import sys; sys.path.insert(0, {root!r}); from ingest.pdf import _worker_main; "
                f"_worker_main({theirs.fileno()}, {self.memory_mb})")
        try:
            self._proc = subprocess.Popen([sys.executable, "-c", code], pass_fds=[theirs.fileno()],
                                          stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        finally:
            theirs.close()
        self._conn = Connection(ours.detach())

    def stop(self) -> None:
        """Close the worker (it exits at end of input); kill it if it does not."""
        if self._proc is None:
            return
        self._conn.close()
        try:
            self._proc.wait(timeout=2)
        except Exception:
            self._proc.kill()
            self._proc.wait(timeout=5)
        self._proc = self._conn = None

    def _kill(self) -> int | None:
        code = None
        if self._proc is not None:
            self._proc.kill()
            code = self._proc.wait(timeout=5)
            self._conn.close()
        self._proc = self._conn = None
        return code

    def run(self, job: _Job) -> _PageTexts | _Failure:
        with self._lock:
            if self._proc is None or self._proc.poll() is not None:
                self._start()
            started = time.monotonic()
            budget = job.timeout if job.timeout is not None else BASE_SECONDS
            try:
                self._conn.send(job)
            except OSError:
                self._kill()
                self._start()
                self._conn.send(job)
            while True:
                left = started + budget - time.monotonic()
                try:
                    message = self._conn.recv() if left > 0 and self._conn.poll(left) else None
                except (EOFError, OSError):
                    code = self._kill()
                    return _Failure(f"la lecture du PDF a arrêté le lecteur (code de sortie {code})", _REEXPORT)
                if message is None:
                    self._kill()
                    return _Failure(
                        f"lecture du PDF interrompue après {budget:.0f} s (fichier trop lourd ou malformé)",
                        "découpez le document ou ré-exportez-le en PDF",
                    )
                kind, value = message
                if kind == "pages" and job.timeout is None:
                    budget = BASE_SECONDS + SECONDS_PER_PAGE * int(value)
                elif kind == "done":
                    return value  # type: ignore[no-any-return]  # unpickled _PageTexts | _Failure


_WORKER = _Worker()
atexit.register(_WORKER.stop)
