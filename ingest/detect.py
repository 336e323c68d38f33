"""File type detection from content (magic bytes and text shape), not only the extension."""

from __future__ import annotations

import stat
from pathlib import Path

from ingest.cgct import is_article_file
from ingest.encoding import utf16_codec
from ingest.legi import is_legi_json
from ingest.versions import is_versions_jsonl

PDF = "pdf"
ARTICLE_MARKDOWN = "article-markdown"  # one article of a Markdown code tree ("# Article L2121-17")
MARKDOWN = "markdown"
CSV = "csv"
LEGI_JSON = "legi-json"  # a @socialgouv/legi-data code tree
VERSIONS_JSONL = "versions-jsonl"  # article versions, one JSON object per line
WORD_DOC = "doc"  # Word 97-2003 (OLE compound file)
DOCX = "docx"  # Word 2007+ (zip with word/)
ODT = "odt"  # OpenDocument text (zip whose first member, "mimetype", says so)
EXECUTABLE = "executable"
EMPTY = "empty"
UNKNOWN = "unknown"
# Not a regular file (named pipe, device, socket): opening it could block forever, so it is never read.
SPECIAL = "special"
# The file cannot be opened (permissions, file removed meanwhile).
UNREADABLE = "unreadable"

_SNIFF_BYTES = 4096


def detect_type(path: Path) -> str:
    """Return one of the types above (the key of ingest.loaders.LOADERS for the readable ones)."""
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
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return WORD_DOC
    if head.startswith(b"PK\x03\x04") and b"mimetypeapplication/vnd.oasis.opendocument.text" in head[:100]:
        return ODT
    if head.startswith(b"PK\x03\x04") and _is_docx(path):
        return DOCX
    if head.startswith((b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"#!")):
        return EXECUTABLE
    utf16 = utf16_codec(head)  # Windows "Unicode" text: zero bytes, yet text
    if utf16 is None and b"\x00" in head:
        return UNKNOWN
    text = head.decode(utf16 or "utf-8", errors="replace")
    first = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
    suffix = path.suffix.lower()
    if suffix in (".md", ".markdown") or first.startswith("# "):
        return ARTICLE_MARKDOWN if is_article_file(text) else MARKDOWN
    if suffix in (".csv", ".tsv") or (first.count(",") + first.count(";") >= 3 and "DELIB" in first.upper()):
        return CSV
    if suffix == ".txt":
        return ARTICLE_MARKDOWN if is_article_file(text) else MARKDOWN
    if suffix == ".jsonl" and is_versions_jsonl(path):
        return VERSIONS_JSONL
    if suffix == ".json" and is_legi_json(path):
        return LEGI_JSON
    return UNKNOWN


def _is_docx(path: Path) -> bool:
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            return any(name.startswith("word/") for name in zf.namelist())
    except zipfile.BadZipFile:
        return False
