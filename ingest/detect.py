"""File type detection from content (magic bytes and text shape), not only the extension."""

from __future__ import annotations

import stat
from pathlib import Path

PDF = "pdf"
MARKDOWN = "markdown"
CSV = "csv"
WORD_DOC = "doc"
EXECUTABLE = "executable"
EMPTY = "empty"
UNKNOWN = "unknown"
# Not a regular file (named pipe, device, socket): opening it could block forever, so it is never read.
SPECIAL = "special"
# The file cannot be opened (permissions, file removed meanwhile).
UNREADABLE = "unreadable"

_SNIFF_BYTES = 4096


def detect_type(path: Path) -> str:
    """Return one of PDF, MARKDOWN, CSV, WORD_DOC, EXECUTABLE, EMPTY, SPECIAL, UNREADABLE, UNKNOWN."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return SPECIAL
        with path.open("rb") as fh:
            head = fh.read(_SNIFF_BYTES)
    except OSError:
        return UNREADABLE
    if not head:
        return EMPTY
    if b"%PDF-" in head[:1024]:
        return PDF
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") or head.startswith(b"PK\x03\x04") and _is_docx(path):
        return WORD_DOC
    if head.startswith((b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"#!")):
        return EXECUTABLE
    if b"\x00" in head:
        return UNKNOWN
    text = head.decode("utf-8", errors="replace")
    first = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
    suffix = path.suffix.lower()
    if suffix in (".md", ".markdown") or first.startswith("# "):
        return MARKDOWN
    if suffix in (".csv", ".tsv") or (first.count(",") + first.count(";") >= 3 and "DELIB" in first.upper()):
        return CSV
    if suffix == ".txt":
        return MARKDOWN
    return UNKNOWN


def _is_docx(path: Path) -> bool:
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            return any(name.startswith("word/") for name in zf.namelist())
    except zipfile.BadZipFile:
        return False
