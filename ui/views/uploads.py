"""Files sent through the browser: safe names, saved under <store>/uploads/.

>>> sanitize_filename("../../etc/passwd")
'passwd'
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

UPLOADS = "uploads"


def sanitize_filename(name: str) -> str:
    """A safe file name: no folders, no '..', no control characters, a short readable name."""
    name = unicodedata.normalize("NFC", name)
    name = re.split(r"[/\\]", name)[-1]
    name = re.sub(r"[\x00-\x1f\x7f]", "", name)
    name = re.sub(r"[^\w.()\- ]", "_", name).strip(" .")
    name = re.sub(r"\.{2,}", ".", name)
    if not name:
        return "document"
    stem, dot, ext = name.rpartition(".")
    if dot and len(ext) <= 8:
        return f"{stem[:120]}.{ext.lower()}" if stem else f"document.{ext.lower()}"
    return name[:120]


def save_upload(store: Path, name: str, data: bytes) -> tuple[Path, str]:
    """Write the bytes under <store>/uploads/ and return (path, source key "uploads/<name>")."""
    folder = store / UPLOADS
    folder.mkdir(parents=True, exist_ok=True)
    safe = sanitize_filename(name)
    target = folder / safe
    if target.resolve().parent != folder.resolve():  # belt and braces: never write outside uploads/
        raise ValueError(f"nom de fichier refusé : {name!r}")
    target.write_bytes(data)
    return target, f"{UPLOADS}/{safe}"


def upload_path(store: Path, source: str) -> Path | None:
    """The stored copy of an uploaded document, or None for documents indexed from elsewhere."""
    if not source.startswith(f"{UPLOADS}/"):
        return None
    return store / UPLOADS / sanitize_filename(source.split("/", 1)[1])
