"""The original PDF page as an image, with the quoted sentences highlighted when they can be found.

Drawing runs in a bounded worker process (ingest.bounded): a page built to inflate to gigabytes ends as
a French RenderError, not as seconds and gigabytes spent in the app's process.

The quote comes from pypdf's text, the boxes from pdfium's: both are compared on letters and digits only
(no spaces, hyphens or accents), so line breaks and hyphenation never prevent a match.

>>> shown = render_page(Path("PV_CM_2020-07-23.pdf"), pages=[3, 4], quote="ACCEPTE les tarifs ...")
>>> shown.page, shown.highlighted
(4, True)
"""

from __future__ import annotations

import glob
import io
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from rag.french import fold

logger = logging.getLogger(__name__)

SCALE = 1.6  # ~115 dpi: readable on screen, a few hundred KB per page
HIGHLIGHT = (255, 221, 0, 110)
MIN_PROBE = 24  # shortest stretch of letters worth highlighting
# Bounds of the worker that draws a page: a text page takes well under a second and ~100 MB.
RENDER_SECONDS = 20.0
RENDER_MEMORY_MB = 1024


class RenderError(Exception):
    """The page cannot be shown; the message is French and meant for the user."""


@dataclass(frozen=True, slots=True)
class RenderedPage:
    png: bytes
    page: int  # 1-based
    page_count: int
    highlighted: bool


def _fold_char(char: str) -> str:
    return "".join(c for c in fold(char) if c.isalnum())


def _folded(text: str) -> tuple[str, list[int]]:
    """Only letters and digits, lowercased without accents, and for each kept char its index in `text`."""
    out: list[str] = []
    index: list[int] = []
    for i, char in enumerate(text):
        for c in _fold_char(char):
            out.append(c)
            index.append(i)
    return "".join(out), index


def _probes(quote: str) -> list[str]:
    """Sentences of the quote, folded; a long sentence that is not found whole is also tried by its ends."""
    parts = [p for p in re.split(r"(?<=[.!?;:»])\s+|\n+|\[…\]|\[\.\.\.\]", quote) if p.strip()]
    probes: list[str] = []
    for part in parts:
        folded, _ = _folded(part)
        if len(folded) >= MIN_PROBE or (folded and len(parts) == 1):
            probes.append(folded)
    return probes


def find_spans(page_text: str, quote: str) -> list[tuple[int, int]]:
    """Character ranges [start, end) of `page_text` that contain the quote's sentences."""
    folded, index = _folded(page_text)
    spans: list[tuple[int, int]] = []
    for probe in _probes(quote):
        pos = folded.find(probe)
        if pos >= 0:
            spans.append((index[pos], index[pos + len(probe) - 1] + 1))
            continue
        # Not whole (a cut at the page end, a different extraction): highlight what starts or ends it.
        for piece in (probe[:60], probe[-60:]):
            if len(piece) < MIN_PROBE:
                continue
            pos = folded.find(piece)
            if pos >= 0:
                spans.append((index[pos], index[pos + len(piece) - 1] + 1))
    return spans


def render_page(
    path: Path,
    *,
    pages: list[int],
    quote: str = "",
    scale: float = SCALE,
    timeout: float = RENDER_SECONDS,
    memory_mb: int = RENDER_MEMORY_MB,
) -> RenderedPage:
    """Render the first of `pages` (1-based) that contains the quote, highlighted; else the first page.

    pdfium runs in a bounded worker (ingest.bounded): a page that needs more than `memory_mb` MB or
    `timeout` seconds to draw raises RenderError, and the app's process never pays for it.
    """
    from ingest.bounded import BoundedError, run_bounded

    if not path.is_file():
        raise RenderError(f"Fichier d'origine introuvable : {path} (déplacé ou supprimé depuis l'indexation).")
    try:
        shown: RenderedPage = run_bounded(
            "ui.render:draw_page", str(path), pages, quote, scale, timeout=timeout, memory_mb=memory_mb
        )
    except BoundedError as e:
        logger.warning("Page of %s not drawn: %s", path, e.reason)
        raise RenderError(
            f"Page trop lourde pour être affichée ici (plus de {timeout:.0f} s ou de {memory_mb} Mo pour la "
            f"dessiner) : ouvrez le fichier d'origine {path.name} avec votre lecteur PDF."
        ) from e
    return shown


def locate(stored: str) -> Path | None:
    """The original file of a path stored at ingestion, or None when it is gone.

    A name with control characters is stored with '?' in their place (ingest.base.safe_display) and
    undecodable bytes as U+FFFD: the file is then the only one that matches with those standing for any
    character.
    """
    path = Path(stored)
    if path.is_file():
        return path
    if "?" not in stored and "\ufffd" not in stored:
        return None
    pattern = glob.escape(stored).replace("[?]", "?").replace("\ufffd", "?")
    matches = [m for m in glob.glob(pattern) if Path(m).is_file()]
    return Path(matches[0]) if len(matches) == 1 else None


def draw_page(path: str, pages: list[int], quote: str, scale: float) -> RenderedPage:
    """The drawing itself, with pdfium, in the bounded worker (see render_page)."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as e:
        raise RenderError(f"Impossible d'ouvrir le PDF d'origine {Path(path).name} : {e}.") from e
    try:
        count = len(pdf)
        wanted = [p for p in dict.fromkeys(pages) if 1 <= p <= count] or [1]
        chosen, spans = wanted[0], []
        if quote.strip():
            for number in wanted:
                textpage = pdf[number - 1].get_textpage()
                found = find_spans(textpage.get_text_range(), quote)
                textpage.close()
                if found:
                    chosen, spans = number, found
                    break
        page = pdf[chosen - 1]
        image = page.render(scale=scale).to_pil().convert("RGBA")
        if spans:
            _draw_highlights(page, spans, image, scale)
        buffer = io.BytesIO()
        image.convert("RGB").save(buffer, format="PNG", optimize=True)
        return RenderedPage(buffer.getvalue(), chosen, count, bool(spans))
    finally:
        pdf.close()


def _draw_highlights(page: object, spans: list[tuple[int, int]], image: object, scale: float) -> None:
    from PIL import Image, ImageDraw

    textpage = page.get_textpage()  # type: ignore[attr-defined]
    left0, _bottom0, _right0, top0 = page.get_cropbox()  # type: ignore[attr-defined]
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))  # type: ignore[attr-defined]
    draw = ImageDraw.Draw(overlay)
    for box in _line_boxes(textpage, spans):
        left, bottom, right, top = box
        draw.rectangle(
            [
                (left - left0) * scale - 2,
                (top0 - top) * scale - 2,
                (right - left0) * scale + 2,
                (top0 - bottom) * scale + 2,
            ],
            fill=HIGHLIGHT,
        )
    textpage.close()
    image.alpha_composite(overlay)  # type: ignore[attr-defined]


def _line_boxes(textpage: object, spans: list[tuple[int, int]]) -> list[tuple[float, float, float, float]]:
    """One box per text line covered by the spans (char boxes merged while they stay on the same line)."""
    boxes: list[list[float]] = []
    for start, end in spans:
        current: list[float] | None = None
        for i in range(start, end):
            left, bottom, right, top = textpage.get_charbox(i)  # type: ignore[attr-defined]
            if right <= left or top <= bottom:  # spaces and generated line breaks have no box
                continue
            if current is not None and abs(bottom - current[1]) < (top - bottom) * 0.6 and left >= current[0] - 1:
                current[0], current[1] = min(current[0], left), min(current[1], bottom)
                current[2], current[3] = max(current[2], right), max(current[3], top)
            else:
                current = [left, bottom, right, top]
                boxes.append(current)
    return [(b[0], b[1], b[2], b[3]) for b in boxes]
