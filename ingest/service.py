"""One ingestion, as the CLI and the app both run it: lock, cleanup, load and write, lexical refresh, audit.

The edges only render: progress comes through the callbacks, the result is the Summary.

Example (needs a live store)::

    summary = ingest_files([Path("data/deliberations")], kb=kb, who="secretariat",
                           on_event=lambda event: print(event.source, event.status))
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.pipeline import FileEvent, Ingestor, SourceFile, Summary, walk
from rag.errors import ConfigError
from rag.store import WriteLock

if TYPE_CHECKING:
    from rag.kb import KnowledgeBase

logger = logging.getLogger(__name__)


def ingest_files(
    paths: Sequence[Path | SourceFile],
    *,
    kb: KnowledgeBase,
    commune: str | None = None,
    who: str = "cli",
    replace: bool = False,
    on_start: Callable[[int, list[str]], None] | None = None,
    on_event: Callable[[FileEvent], None] | None = None,
    on_embedded: Callable[[int], None] | None = None,
    on_ocr_page: Callable[[str, int, int], None] | None = None,
) -> Summary:
    """Index files and folders (folders are walked, see collect_files) into the knowledge base.

    Holds the store's write lock for the whole run (a second writer gets StoreError at once), first removes
    the documents of an interrupted run, then writes every file (one failing file never stops the batch),
    refreshes the lexical index and appends one "ingest" line to the audit log.
    A file whose source key is already taken by a document indexed from another path is skipped with a
    message, unless `replace` is true; a second file of the batch with the same key is skipped too.
    `on_start(number of events to come, sources cleaned)` is called once, `on_event` after each file and for
    each path left out by the walk (a missing path, a link, a hidden or unreadable entry, an empty folder:
    see ingest.pipeline.walk), `on_embedded(n)` as passages are embedded, `on_ocr_page(source, done, total)`
    as scanned pages are read.
    """
    given = [p for p in paths if isinstance(p, SourceFile)]
    found, notices = walk([p for p in paths if not isinstance(p, SourceFile)])
    files = given + found
    started = time.perf_counter()
    summary = Summary()
    with WriteLock(kb.settings):
        cleaned = [info.source for info in kb.store.cleanup_incomplete()]
        summary.cleaned = cleaned
        if on_start is not None:
            on_start(len(files) + len(notices), cleaned)
        for notice in notices:  # what the walk left out: missing paths, links, hidden and unreadable entries
            summary.add(notice)
            if on_event is not None:
                on_event(notice)
        misses_before = kb.store.embedder.misses
        ingestor = Ingestor(store=kb.store, settings=kb.settings, commune=commune, replace=replace, on_page=on_ocr_page)
        try:
            for event in ingestor.run(files, on_embedded=on_embedded):
                summary.add(event)
                if on_event is not None:
                    on_event(event)
        finally:
            kb.store.embedder.close()  # stops the embedding worker processes, if any
        summary.computed = kb.store.embedder.misses - misses_before
        kb.lexical.ensure_fresh()
        kb.audit(
            "ingest", who=who, files=len(files), indexed=summary.indexed, failed=summary.failed, chunks=summary.chunks
        )
    summary.seconds = time.perf_counter() - started
    logger.info(
        "Ingested %d file(s) in %.1f s: %d indexed, %d failed",
        len(files),
        summary.seconds,
        summary.indexed,
        summary.failed,
    )
    return summary


def allowed_folder(folder: Path, roots: str) -> Path:
    """`folder` with its links and ".." resolved, when it lies inside one of `roots` (the MAIRIE_INGEST_ROOTS
    setting: folders separated by os.pathsep; empty = none). Raises ConfigError naming the folder otherwise.

    For folders named in the app: whoever may use the Documents page must not read the rest of the server
    (/etc, other users' files) through search. The command line is not limited: its user reads files as
    themselves.
    """
    allowed = [Path(r).expanduser().resolve() for r in roots.split(os.pathsep) if r.strip()]
    resolved = folder.expanduser().resolve()
    if any(resolved.is_relative_to(root) for root in allowed):
        return resolved
    where = ", ".join(str(r) for r in allowed) if allowed else "aucun dossier autorisé"
    raise ConfigError(
        f"Dossier refusé : {resolved} n'est pas dans les dossiers que l'application peut indexer ({where}). "
        "L'administrateur du serveur les définit avec MAIRIE_INGEST_ROOTS (ex. MAIRIE_INGEST_ROOTS=/srv/archives) ; "
        "sinon, indexez le dossier en ligne de commande avec `mairie ingest`."
    )
