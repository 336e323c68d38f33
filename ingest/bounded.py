"""Run one function in a separate process with a memory bound and a time budget (the PDF reader's worker).

The worker of ingest.pdf (a subprocess whose address space is capped, killed when it overruns its time)
reads PDFs for ingestion; `run_bounded` hands it any other heavy job on untrusted input, e.g. drawing a PDF
page for the app (ui.render), so that a file built to inflate to gigabytes costs the worker, never the
caller. Each memory bound has its own worker, started on first use and kept for the next calls.

Example::

    png = run_bounded("ui.render:draw_page", Path("pv.pdf"), 3, timeout=20, memory_mb=1024)
    # raises BoundedError("... interrompue après 20 s ...") for a file that takes longer
"""

from __future__ import annotations

import atexit
import importlib
import threading
from dataclasses import dataclass, field
from typing import Any

from ingest.pdf import _Worker
from ingest.pdf_extract import _Failure


class BoundedError(Exception):
    """The job went over its time or memory, or killed the worker; `reason` and `fix` are French."""

    def __init__(self, reason: str, fix: str) -> None:
        super().__init__(f"{reason} ({fix})")
        self.reason = reason
        self.fix = fix


@dataclass(frozen=True, slots=True)
class _Call:
    """A job for the worker: "module:function" and its arguments (all picklable)."""

    target: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any] = field(default_factory=dict)
    timeout: float | None = None

    def run_in_worker(self, send: Any) -> Any:
        """Called inside the worker (ingest.pdf._worker_main): the result, or the exception raised."""
        module, name = self.target.split(":")
        try:
            return getattr(importlib.import_module(module), name)(*self.args, **self.kwargs)
        except MemoryError:
            raise  # the worker answers with its memory failure
        except Exception as e:  # sent back and raised again in the caller
            return _Raised(e)


@dataclass(frozen=True, slots=True)
class _Raised:
    error: Exception


_WORKERS: dict[int, _Worker] = {}
_LOCK = threading.Lock()


def run_bounded(target: str, *args: Any, timeout: float, memory_mb: int, **kwargs: Any) -> Any:
    """Call `target` ("package.module:function") in a worker capped at `memory_mb` MB and `timeout` seconds.

    Returns what the function returns; an exception it raises is raised here again. Raises BoundedError
    when the worker runs out of time or memory, or dies. Calls with the same bound run one at a time.
    """
    with _LOCK:
        worker = _WORKERS.get(memory_mb)
        if worker is None:
            worker = _WORKERS[memory_mb] = _Worker(memory_mb=memory_mb)
            atexit.register(worker.stop)
    result = worker.run(_Call(target, args, kwargs, timeout))  # type: ignore[arg-type]  # any job with run_in_worker
    if isinstance(result, _Failure):
        raise BoundedError(result.reason, result.fix)
    if isinstance(result, _Raised):
        raise result.error
    return result
