"""PDF loader (pypdf): one Page per PDF page, 1-based page numbers, with clear errors for bad files.

A PDF comes from outside and pypdf is a pure-Python parser, so a hostile or broken file must cost a
bounded time and memory and end as one SourceError for that file, never stop a batch. Extraction
(ingest.pdf_extract) runs in a worker process (started once, reused for every file) whose memory is
capped (an address-space limit where `resource` exists, a psutil watchdog elsewhere when installed) and
which is killed when a file overruns its time budget; pypdf's own limits are tightened inside it, the
page count is read from the page tree before any page is parsed, and the text kept per page and per
document is capped.

Example::

    pages = load_pdf(Path("pv.pdf"), display="pv.pdf", max_pages=2000)
    pages[0].page_number
    # -> 1
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import mmap
import os
import pickle
import queue
import struct
import sys
import threading
import time
from pathlib import Path
from typing import Any

from ingest.pdf_extract import (
    _REEXPORT,
    WORKER_MEMORY_MB,
    _extract,
    _Failure,
    _Job,
    _memory_failure,
    _PageTexts,
    empty_pages_note,
    scan_failure,
)
from rag.errors import SourceError
from rag.schema import Page

logger = logging.getLogger(__name__)

# Time budget of one file: a base plus a share per page (pypdf reads 5 to 50 pages a second).
BASE_SECONDS = 60.0
SECONDS_PER_PAGE = 0.25


def load_pdf(
    path: Path,
    *,
    display: str,
    max_pages: int,
    password: str | None = None,
    notes: list[str] | None = None,
    timeout: float | None = None,
    isolate: bool = True,
    images: list[int] | None = None,
) -> list[Page]:
    """Extract the text of each page. Raises SourceError naming `display`, the reason and the fix.

    `notes` receives warnings about a file that is still indexed (damaged xref, pages without text).
    `images`, when given, receives the numbers of the pages that are a full-page picture, and the caller
    handles scanned pages (ingest.ocr); without it, a PDF without text is refused as needing OCR.
    `timeout` is the time budget in seconds (default: BASE_SECONDS + SECONDS_PER_PAGE per page).
    `isolate=False` extracts in this process (no time or memory bound: for trusted files and debugging).
    """
    _check_end_marker(path, display)
    job = _Job(str(path), max_pages, password, timeout)
    result = _WORKER.run(job) if isolate else _extract(job, send=None)
    if isinstance(result, _Failure):
        raise SourceError(display, result.reason, fix=result.fix)
    pages, found_notes, image_pages = result
    if images is not None:
        images.extend(image_pages)
    else:
        failure = scan_failure(pages)
        if failure is not None:
            raise SourceError(display, failure.reason, fix=failure.fix)
        note = empty_pages_note(pages)
        found_notes = found_notes + ([note] if note else [])
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


# --- the worker process ----------------------------------------------------------------------------
# Exit code of a worker that went over its memory bound where only the watchdog can enforce it (Windows).
_MEMORY_EXIT = 86
_HEADER = struct.Struct(">I")
_TIMED_OUT = object()


def _send(stream: Any, message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _receive(stream: Any) -> Any:
    """One framed message; EOFError when the other side is gone."""
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        raise EOFError
    size = _HEADER.unpack(header)[0]
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)  # noqa: S301 - our own worker on our own pipe


def _bound_memory(memory_mb: int) -> str:
    """Cap this process's memory: an address-space limit where `resource` exists (Linux, macOS), else a
    watchdog thread on the resident size when psutil is installed, else none (the time budget still holds)."""
    limit = memory_mb * 1024 * 1024
    try:
        import resource
    except ImportError:
        pass
    else:
        with contextlib.suppress(ValueError, OSError):  # a lower hard limit already set is kept
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        return "rlimit"
    try:
        import psutil  # type: ignore[import-untyped,unused-ignore]  # optional: Windows without resource
    except ImportError:
        return "time only"
    process = psutil.Process()

    def watch() -> None:
        while True:
            if process.memory_info().rss > limit:
                os._exit(_MEMORY_EXIT)
            time.sleep(0.1)

    threading.Thread(target=watch, daemon=True).start()
    return "watchdog"


def _worker_main(memory_mb: int) -> None:
    """Loop of the worker: read a job on stdin, send ("pages", n) then ("done", result) on stdout.

    Exits when the parent closes stdin. Anything printed by a library goes to stderr, not to the channel.
    """
    inbox = sys.stdin.buffer
    outbox = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    logger.debug("PDF worker memory bound: %s", _bound_memory(memory_mb))
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    while True:
        try:
            job = _receive(inbox)
        except (EOFError, OSError):
            return
        send = lambda message: _send(outbox, message)  # noqa: E731
        try:
            run = getattr(job, "run_in_worker", None)  # another job than a PDF to read (ingest.bounded)
            result: Any = run(send) if run is not None else _extract(job, send=send)
        except MemoryError:
            result = _memory_failure(memory_mb)
        try:
            _send(outbox, ("done", result))
        except (BrokenPipeError, OSError):
            return


class _Worker:
    """One extraction process, started on first use and replaced after a timeout or a crash.

    A plain subprocess speaking over its stdin/stdout pipes rather than multiprocessing: no re-import of the
    caller's __main__ (scripts without a main guard, Streamlit), no fork of a process that holds Chroma's
    threads, and the same code on Windows. A thread reads the replies, so waiting has a timeout everywhere.
    """

    def __init__(self, memory_mb: int = WORKER_MEMORY_MB) -> None:
        self.memory_mb = memory_mb
        self._lock = threading.Lock()
        self._proc: Any = None
        self._replies: queue.Queue[Any] = queue.Queue()

    def _start(self) -> None:
        import subprocess

        root = str(Path(__file__).resolve().parents[1])
        code = (
            f"import sys; sys.path.insert(0, {root!r}); from ingest.pdf import _worker_main; "
            f"_worker_main({self.memory_mb})"
        )
        self._proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self._replies = queue.Queue()
        threading.Thread(target=self._pump, args=(self._proc.stdout, self._replies), daemon=True).start()

    @staticmethod
    def _pump(stream: Any, replies: queue.Queue[Any]) -> None:
        """Forward the worker's messages; None when its output ends (it exited or was killed)."""
        try:
            while True:
                replies.put(_receive(stream))
        except (EOFError, OSError, pickle.UnpicklingError):
            replies.put(None)

    def stop(self) -> None:
        """Close the worker (it exits at end of input); kill it if it does not."""
        if self._proc is None:
            return
        with contextlib.suppress(OSError):
            self._proc.stdin.close()
        try:
            self._proc.wait(timeout=2)
        except Exception:
            self._proc.kill()
            self._proc.wait(timeout=5)
        self._proc = None

    def _kill(self) -> int | None:
        code = None
        if self._proc is not None:
            self._proc.kill()
            code = self._proc.wait(timeout=5)
            with contextlib.suppress(OSError):
                self._proc.stdin.close()
        self._proc = None
        return code

    def _post(self, job: _Job) -> None:
        if self._proc is None or self._proc.poll() is not None:
            self._start()
        try:
            _send(self._proc.stdin, job)
        except OSError:
            self._kill()
            self._start()
            _send(self._proc.stdin, job)

    def run(self, job: _Job) -> _PageTexts | _Failure:
        with self._lock:
            self._post(job)
            started = time.monotonic()
            budget = job.timeout if job.timeout is not None else BASE_SECONDS
            while True:
                left = started + budget - time.monotonic()
                message: Any = _TIMED_OUT
                with contextlib.suppress(queue.Empty):
                    message = self._replies.get(timeout=left) if left > 0 else _TIMED_OUT
                if message is _TIMED_OUT:
                    self._kill()
                    return _Failure(
                        f"lecture du PDF interrompue après {budget:.0f} s (fichier trop lourd ou malformé)",
                        "découpez le document ou ré-exportez-le en PDF",
                    )
                if message is None:
                    code = self._kill()
                    if code == _MEMORY_EXIT:
                        return _memory_failure(self.memory_mb)
                    return _Failure(f"la lecture du PDF a arrêté le lecteur (code de sortie {code})", _REEXPORT)
                kind, value = message
                if kind == "pages" and job.timeout is None:
                    budget = BASE_SECONDS + SECONDS_PER_PAGE * int(value)
                elif kind == "done":
                    return value  # type: ignore[no-any-return]  # unpickled _PageTexts | _Failure


_WORKER = _Worker()
atexit.register(_WORKER.stop)
