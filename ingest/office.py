"""Loaders for word-processor files: Word .doc (antiword), .docx (python-docx), LibreOffice .odt (odfpy).

The text keeps its structure: headings on their own line, numbered items with their number, tables as rows
("cell | cell"); a page-layout table (a margin column beside the body, as in many commune templates) is
read column by column rather than row by row. The text then goes through the same council builders as a
PDF (ingest.council.council_document: deliberations, votes, record fields). These files have no pages:
chunks carry page 0 and SECTION, the heading (or paragraph number) under which they start, for citations.

Example::

    loaded = OfficeLoader(detect.DOCX).load(Path("cr.docx"), meta=SourceMeta("cr.docx", digest, settings))
    loaded.documents[0].chunks[0].meta["section"]
    # -> 'Approbation du compte rendu'
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest import detect
from ingest.base import Loaded, SourceMeta
from ingest.council import council_document
from rag import schema
from rag.errors import SourceError
from rag.schema import Page

ANTIWORD_HINT = "installez antiword (sudo apt-get install antiword) ou enregistrez le document en .docx ou PDF"
# A table of at least this many rows and two columns is a page layout (margin + body), read by column.
LAYOUT_TABLE_ROWS = 10
FORMATS = {detect.WORD_DOC: "Word (.doc)", detect.DOCX: "Word (.docx)", detect.ODT: "LibreOffice (.odt)"}


@dataclass(slots=True)
class _Text:
    """Lines of a document and the headings found in them (line index, title)."""

    lines: list[str] = field(default_factory=list)
    headings: list[tuple[int, str]] = field(default_factory=list)

    def add(self, line: str, *, heading: bool = False) -> None:
        line = " ".join(line.split())
        if heading and line:
            self.headings.append((len(self.lines), line[:120]))
        self.lines.append(line)


class OfficeLoader:
    """One word-processor format (detected type WORD_DOC, DOCX or ODT) -> one council Document."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def load(self, path: Path, *, meta: SourceMeta) -> Loaded:
        reader = {detect.WORD_DOC: doc_text, detect.DOCX: docx_text, detect.ODT: odt_text}[self.kind]
        text = reader(path, meta.source)
        body = "\n".join(text.lines).strip()
        if len(re.findall(r"[A-Za-zÀ-ÿ]", body)) < 20:
            raise SourceError(meta.source, "document sans texte", fix="vérifiez le fichier")
        document = council_document([Page(body, 1)], path=path, meta=meta)
        for chunk in document.chunks:
            chunk.meta[schema.SECTION] = section_of(chunk.text, text)
            for key in (schema.PAGE, schema.PAGE_END, schema.RECORD_PAGE_START, schema.RECORD_PAGE_END):
                if key in chunk.meta:
                    chunk.meta[key] = 0  # no pages: citations name the section
        document.meta["format"] = FORMATS[self.kind]
        document.meta["pages"] = 0
        return Loaded([document])


def section_of(chunk_text: str, text: _Text) -> str:
    """The heading above the line where a chunk starts, else "paragraphe N" (N counts non-empty lines)."""
    starts: list[int] = []
    joined = ""
    for line in text.lines:
        starts.append(len(joined))
        joined += _squash(line)
    found = joined.find(_squash(chunk_text)[:40])
    start = max((i for i, offset in enumerate(starts) if offset <= found), default=0) if found >= 0 else 0
    above = [title for line, title in text.headings if line <= start]
    if above:
        return above[-1]
    return f"paragraphe {sum(1 for line in text.lines[: start + 1] if line)}"


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --- .doc: antiword ---------------------------------------------------------------------------------
def doc_text(path: Path, display: str) -> _Text:
    """Text of a Word 97-2003 file through antiword (no line wrapping; tables come as |cell|cell| rows)."""
    if shutil.which("antiword") is None:
        raise SourceError(display, "document Word (.doc) : antiword n'est pas installé", fix=ANTIWORD_HINT)
    try:
        done = subprocess.run(
            ["antiword", "-w", "0", "-m", "UTF-8.txt", str(path)], capture_output=True, timeout=120, check=False
        )
    except subprocess.TimeoutExpired as e:
        raise SourceError(display, "lecture du document Word interrompue (120 s)", fix=ANTIWORD_HINT) from e
    if done.returncode != 0:
        why = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SourceError(
            display,
            f"document Word illisible ({why[-1][:150] if why else done.returncode})",
            fix="ouvrez-le et enregistrez-le en .docx ou en PDF",
        )
    text = _Text()
    lines = done.stdout.decode("utf-8", "replace").replace("\x0c", "\n").splitlines()
    block: list[list[str]] = []
    for line in [*lines, ""]:
        if line.startswith("|") and line.rstrip().endswith("|"):
            block.append([cell.strip() for cell in line.strip()[1:-1].split("|")])
            continue
        if block:
            _add_table(text, block)
            block = []
        if line.strip() != "[pic]":
            text.add(line, heading=_looks_like_heading(line))
    return text


def _looks_like_heading(line: str) -> bool:
    """A numbered title ("1. Budget", "II - Travaux", "Point 3 :") or a short line in capitals."""
    line = line.strip()
    if not line or len(line) > 100:
        return False
    if re.match(r"^((\d{1,2}|[IVX]{1,4})\s*[-.)°–]\s*\S|point\s+\d+)", line, re.IGNORECASE):
        return True
    letters = re.findall(r"[A-Za-zÀ-ÿ]", line)
    return len(letters) >= 6 and line.upper() == line and not line.endswith((".", ","))


def _add_table(text: _Text, rows: list[list[str]]) -> None:
    """A table as rows "a | b", or, when it is a page layout (long, two columns), column after column."""
    width = max(len(row) for row in rows)
    if len(rows) >= LAYOUT_TABLE_ROWS and width == 2:
        for column in range(width):
            for row in rows:
                cell = row[column] if column < len(row) else ""
                text.add(cell, heading=_looks_like_heading(cell))
            text.add("")
        return
    for row in rows:
        cells = [cell for cell in row if cell]
        text.add(" | ".join(cells))
    text.add("")


# --- .docx: python-docx -----------------------------------------------------------------------------
def docx_text(path: Path, display: str) -> _Text:
    """Paragraphs, headings (Heading/Titre styles), numbered items and tables of a .docx, in body order."""
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError as e:
        raise SourceError(display, "lecteur .docx absent (python-docx)", fix="pip install python-docx") from e
    try:
        document = docx.Document(str(path))
    except Exception as e:  # a damaged zip or XML
        raise SourceError(display, f"document .docx illisible ({type(e).__name__})", fix=_RESAVE) from e
    text = _Text()
    counters: dict[tuple[str, int], int] = {}
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(element, document)
            style = (paragraph.style.name if paragraph.style is not None else "") or ""
            prefix = _docx_number(paragraph, counters)
            is_heading = style.lower().startswith(("heading", "titre", "title"))
            numbered = prefix[:1].isdigit() and len(paragraph.text) < 100
            text.add(prefix + paragraph.text, heading=is_heading or numbered)
        elif tag == "tbl":
            table = Table(element, document)
            for row in table.rows:
                cells = list(dict.fromkeys(cell.text.strip() for cell in row.cells))  # merged cells repeat
                text.add(" | ".join(c for c in cells if c))
            text.add("")
    return text


def _docx_number(paragraph: Any, counters: dict[tuple[str, int], int]) -> str:
    """ "3. " for the third item of a numbered list (its own or its style's numbering; deeper levels reset),
    "– " for a bulleted item, "" for other paragraphs."""
    ppr = paragraph._p.pPr
    numpr = ppr.numPr if ppr is not None else None
    style = paragraph.style
    while numpr is None and style is not None:
        style_ppr = style.element.pPr
        numpr = style_ppr.numPr if style_ppr is not None else None
        style = style.base_style
    if numpr is None or numpr.numId is None:
        return ""
    num_id = str(numpr.numId.val)
    level = int(numpr.ilvl.val) if numpr.ilvl is not None else 0
    if _docx_format(paragraph, num_id, level) == "bullet":
        return "– "
    counters[(num_id, level)] = counters.get((num_id, level), 0) + 1
    for key in [k for k in counters if k[0] == num_id and k[1] > level]:
        del counters[key]
    return f"{counters[(num_id, level)]}. "


def _docx_format(paragraph: Any, num_id: str, level: int) -> str:
    """The numFmt ("decimal", "bullet" ...) of a list level, "" when the numbering part does not say."""
    try:
        numbering = paragraph.part.numbering_part.element
        abstract = numbering.xpath(f'./w:num[@w:numId="{num_id}"]/w:abstractNumId/@w:val')
        found = numbering.xpath(
            f'./w:abstractNum[@w:abstractNumId="{abstract[0]}"]/w:lvl[@w:ilvl="{level}"]/w:numFmt/@w:val'
        )
        return str(found[0]) if found else ""
    except (IndexError, KeyError, NotImplementedError, AttributeError):
        return ""


_RESAVE = "ouvrez-le et enregistrez-le à nouveau, ou exportez-le en PDF"


# --- .odt: odfpy ------------------------------------------------------------------------------------
def odt_text(path: Path, display: str) -> _Text:
    """Headings (text:h), paragraphs, list items (numbered when their list style numbers) and tables."""
    try:
        from odf import teletype
        from odf.namespaces import TABLENS, TEXTNS
        from odf.opendocument import load
    except ImportError as e:
        raise SourceError(display, "lecteur .odt absent (odfpy)", fix="pip install odfpy") from e
    try:
        document = load(str(path))
    except Exception as e:
        raise SourceError(display, f"document .odt illisible ({type(e).__name__})", fix=_RESAVE) from e
    numbered = _odt_numbered_styles(document)
    text = _Text()

    def walk(node: Any, list_style: str = "") -> None:
        for child in node.childNodes:
            qname = getattr(child, "qname", None)
            if qname == (TEXTNS, "h"):
                text.add(teletype.extractText(child), heading=True)
            elif qname == (TEXTNS, "p"):
                text.add(teletype.extractText(child))
            elif qname == (TEXTNS, "list"):
                style = child.getAttrNS(TEXTNS, "style-name") or list_style
                number = 0
                for item in child.childNodes:
                    if getattr(item, "qname", None) != (TEXTNS, "list-item"):
                        continue
                    number += 1
                    prefix = f"{number}. " if style in numbered else "– "
                    for part in item.childNodes:
                        if getattr(part, "qname", None) in ((TEXTNS, "p"), (TEXTNS, "h")):
                            words = teletype.extractText(part)
                            text.add(prefix + words, heading=prefix[:1].isdigit() and len(words) < 100)
                            prefix = ""
                        else:
                            walk_one(part, style)
            elif qname == (TABLENS, "table"):
                for row in child.getElementsByType(_odt_row_class()):
                    cells = [teletype.extractText(cell).strip() for cell in row.childNodes]
                    text.add(" | ".join(c for c in cells if c))
                text.add("")
            elif qname == (TEXTNS, "section"):
                walk(child, list_style)

    def walk_one(node: Any, style: str) -> None:
        holder = type("Holder", (), {"childNodes": [node]})()
        walk(holder, style)

    walk(document.text)
    return text


def _odt_row_class() -> Any:
    from odf.table import TableRow

    return TableRow


def _odt_numbered_styles(document: Any) -> set[str]:
    """Names of the list styles whose first level is numbered (text:list-level-style-number)."""
    from odf.namespaces import TEXTNS
    from odf.text import ListStyle

    names: set[str] = set()
    for holder in (document.automaticstyles, document.styles):
        for style in holder.getElementsByType(ListStyle):
            levels = [c for c in style.childNodes if getattr(c, "qname", (None, ""))[1].startswith("list-level-style")]
            if levels and levels[0].qname == (TEXTNS, "list-level-style-number"):
                names.add(style.getAttrNS("urn:oasis:names:tc:opendocument:xmlns:style:1.0", "name"))
    return names
