"""Loader for a code laid out as a Markdown tree (etalab codes-juridiques-francais, e.g. the CGCT).

One file per article (`# Article L2121-17` then the text); folders are partie / livre / titre /
chapitre / section, each with a README.md whose first line is its heading. One chunk per article, or per
part of a long article, each still cited as the article.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from rag.articles import normalize_article

ARTICLE_HEADING_RE = re.compile(r"^#\s+Article\s+(.+?)\s*$", re.MULTILINE)
CODE_NAMES = {
    "code général des collectivités territoriales": ("CGCT", "LEGITEXT000006070633"),
    "code des relations entre le public et l'administration": ("CRPA", "LEGITEXT000031366350"),
}
# Headings of regimes that do not apply to an ordinary commune of metropolitan France.
SPECIAL_REGIME_RE = re.compile(
    r"DISPOSITIONS PARTICULI|PARIS|MARSEILLE|LYON|OUTRE-MER|MAYOTTE|POLYN[ÉE]SIE|NOUVELLE-CAL[ÉE]DONIE|"
    r"SAINT-BARTH|SAINT-MARTIN|SAINT-PIERRE|GUYANE|MARTINIQUE|GUADELOUPE|R[ÉE]UNION\b|CORSE|MOSELLE|"
    r"BAS-RHIN|HAUT-RHIN|TROISI[ÈE]ME PARTIE|QUATRI[ÈE]ME PARTIE|SIXI[ÈE]ME PARTIE|SEPTI[ÈE]ME PARTIE|"
    r"[ÎI]LE-DE-FRANCE|HAUTS-DE-SEINE|WALLIS",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Article:
    number: str  # normalised, e.g. "L2121-17"
    text: str
    heading_path: list[str]
    code: str
    code_id: str

    @property
    def regime(self) -> str:
        joined = " > ".join(self.heading_path)
        return "special" if SPECIAL_REGIME_RE.search(joined) else "general"


def is_article_file(text: str) -> bool:
    return bool(ARTICLE_HEADING_RE.search(text[:500]))


def parse_article(path: Path, text: str) -> Article | None:
    """Parse one article file; None when it has no `# Article ...` heading."""
    match = ARTICLE_HEADING_RE.search(text[:500])
    if not match:
        return None
    raw_number = match.group(1)
    number = normalize_article(raw_number) or raw_number.strip()
    body = text[match.end() :].strip()
    headings, code_title = _headings(path.parent.resolve())
    code, code_id = CODE_NAMES.get(code_title.lower(), ("", "")) if code_title else ("", "")
    return Article(number=number, text=body, heading_path=headings, code=code or "CODE", code_id=code_id)


@functools.lru_cache(maxsize=4096)
def _headings(directory: Path) -> tuple[list[str], str]:
    """Heading path from the code root down to `directory`, and the code's title."""
    path: list[str] = []
    code_title = ""
    current = directory
    for _ in range(12):
        readme = current / "README.md"
        if not readme.is_file():
            break
        first = readme.read_text(encoding="utf-8", errors="replace").lstrip().splitlines()[:1]
        title = first[0].lstrip("# ").strip() if first else ""
        if title.lower().startswith("code "):
            code_title = title
            break
        if title:
            path.append(title)
        current = current.parent
    return list(reversed(path)), code_title
