"""The text encodings a town hall's files come in: UTF-8 (with or without BOM) and UTF-16.

Windows tools save "Unicode" text (Notepad, Excel's "Texte Unicode") as UTF-16 with a byte-order mark;
such a file is full of zero bytes and would otherwise look binary.

>>> decode_text("Délibération".encode("utf-16"))
'Délibération'
"""

from __future__ import annotations

import codecs

_BOMS = ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def utf16_codec(head: bytes) -> str | None:
    """The UTF-16 codec of a file starting with `head`: from its BOM, or from its shape when it has none
    (Latin text: every other byte is zero). None for anything else."""
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return codec
    even, odd = head[0:64:2], head[1:64:2]
    if len(head) >= 8 and b"\x00" not in even and odd.count(0) == len(odd):
        return "utf-16-le"
    if len(head) >= 8 and b"\x00" not in odd and even.count(0) == len(even):
        return "utf-16-be"
    return None


def decode_text(raw: bytes) -> str:
    """Text of a whole file: UTF-16 when `utf16_codec` says so, else UTF-8 (a BOM is dropped).

    Raises UnicodeDecodeError for anything else (the loaders turn it into a French reason and fix).
    """
    codec = utf16_codec(raw[:4096])
    if codec is None:
        return raw.decode("utf-8-sig")
    text = raw.decode(codec)
    return text[1:] if text.startswith("\ufeff") else text
