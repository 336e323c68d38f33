"""The loader contract: a file and its SourceMeta in, a Loaded (documents, article versions) out.

Each format is one Loader registered by its detected type in ingest.loaders.LOADERS; a loader reads, it
never writes to the store (the pipeline does).

Example (needs a PDF and settings)::

    loaded = LOADERS[detect.PDF].load(Path("pv.pdf"), meta=SourceMeta("pv.pdf", digest, settings))
    loaded.documents[0].chunks[0].meta["page"]
    # -> 1
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from rag.schema import Document
from rag.settings import Settings
from rag.versions import VersionRecord


@dataclass(frozen=True, slots=True)
class SourceMeta:
    """What a loader knows about the file besides its bytes."""

    source: str  # the source key (path relative to the folder given, or the file name), safe for display
    digest: str  # the file's content hash (ingest.pipeline.file_hash)
    settings: Settings
    commune: str | None = None  # the commune of documents that do not name theirs
    on_page: Callable[[str, int, int], None] | None = None  # slow page work (OCR): (source, done, total)


@dataclass(slots=True)
class Loaded:
    """What one file holds: documents to embed, article versions to keep (no embedding), warnings."""

    documents: list[Document] = field(default_factory=list)
    versions: list[VersionRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class Loader(Protocol):
    """Reads one file of its format; raises rag.errors.SourceError with a French reason and fix."""

    def load(self, path: Path, *, meta: SourceMeta) -> Loaded: ...


# C0/C1 controls, line/paragraph separators and bidi overrides (which can disguise "fdp.exe" as "exe.pdf").
_UNSAFE_CHARS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def safe_display(name: str) -> str:
    """A file name fit for messages and keys: undecodable bytes as U+FFFD, control characters as '?'."""
    name = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return _UNSAFE_CHARS.sub("?", name)


def display_path(path: Path) -> str:
    """The absolute path stored in chunk metadata ("path"), safe for display."""
    return safe_display(str(path.resolve()))
