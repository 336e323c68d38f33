"""Loader for a code laid out as a Markdown tree (etalab codes-juridiques-francais, e.g. the CGCT).

One file per article (`# Article L2121-17` then the text); folders are partie / livre / titre /
chapitre / section, each with a README.md whose first line is its heading. One chunk per article, or per
part of a long article, each still cited as the article (`article_chunks`, shared with ingest.legi).

The Markdown carries no date. Each article's chunks get the date of its consolidated text (VERSION_DATE)
from the version history published beside the tree (`law_date`): a history JSON lines file (see
ingest.versions) in the tree's root folder, its parent, or a folder next to it, e.g.
`legal/cgct-versions-2015.jsonl` beside `legal/cgct-markdown/`, `data/legal/cgct-versions-demo.jsonl` beside
`data/cgct/`. The date is that of the newest version whose text is the article's text: no history, or no
version with that text, and the article has no date (never a guess).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from ingest.base import Loaded, SourceMeta
from ingest.chunking import chunk_id, split_text
from ingest.encoding import decode_text
from ingest.versions import consolidation_date, histories_beside
from rag import schema
from rag.articles import normalize_article
from rag.errors import SourceError
from rag.schema import Chunk, Document
from rag.store import doc_id_for
from rag.text import has_html, html_to_text

LEGIFRANCE_ARTICLE_URL = "https://www.legifrance.gouv.fr/codes/article_lc/{}"
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
    headings, code_title, _root = _headings(path.parent.resolve())
    code, code_id = CODE_NAMES.get(code_title.lower(), ("", "")) if code_title else ("", "")
    return Article(number=number, text=body, heading_path=headings, code=code or "CODE", code_id=code_id)


def law_date(path: Path, article: Article) -> str:
    """ISO date of the consolidated text of an article file, from the history beside its tree ("" if unknown)."""
    root = _headings(path.parent.resolve())[2]
    if root is None:
        return ""
    return consolidation_date(histories_beside(root, article.code).get(article.number, []), article.text)


@functools.lru_cache(maxsize=4096)
def _headings(directory: Path) -> tuple[list[str], str, Path | None]:
    """Heading path from the code root down to `directory`, the code's title and its root folder."""
    path: list[str] = []
    current = directory
    for _ in range(12):
        readme = current / "README.md"
        if not readme.is_file():
            break
        first = readme.read_text(encoding="utf-8", errors="replace").lstrip().splitlines()[:1]
        title = first[0].lstrip("# ").strip() if first else ""
        if title.lower().startswith("code "):
            return list(reversed(path)), title, current
        if title:
            path.append(title)
        current = current.parent
    return list(reversed(path)), "", None


class ArticleMarkdownLoader:
    """One article file of a Markdown code tree (`# Article L2121-17` then the text) -> one Document."""

    def load(self, path: Path, *, meta: SourceMeta) -> Loaded:
        text = read_utf8(path, meta.source)
        article = parse_article(path, text)
        if article is None:  # detected from the first 4 kB: the heading moved past them
            raise SourceError(meta.source, "aucun titre « # Article ... » lisible", fix="vérifiez le fichier")
        doc_id = doc_id_for(meta.source)
        version_date = law_date(path, article)
        chunks = article_chunks(
            article,
            doc_id=doc_id,
            source=meta.source,
            digest=meta.digest,
            max_chars=meta.settings.chunk_chars,
            version_date=version_date,
        )
        title = f"Article {article.number}"
        doc_meta = {"code": article.code, "article": article.number}
        if version_date:
            doc_meta[schema.VERSION_DATE] = version_date
        return Loaded([Document(meta.source, doc_id, meta.digest, schema.KIND_ARTICLE, title, chunks, doc_meta)])


def read_utf8(path: Path, source: str) -> str:
    try:
        return decode_text(path.read_bytes())  # UTF-8, or UTF-16 from Windows tools
    except UnicodeDecodeError as e:
        raise SourceError(source, "texte non encodé en UTF-8", fix="ré-enregistrez le fichier en UTF-8") from e


def legifrance_url(article: Article, legi_id: str = "") -> str:
    """The article's own page when its LEGIARTI id is known, else its code's page."""
    if legi_id:
        return LEGIFRANCE_ARTICLE_URL.format(legi_id)
    if article.code_id:
        return f"https://www.legifrance.gouv.fr/codes/id/{article.code_id}/"
    return "https://www.legifrance.gouv.fr/"


def article_chunks(
    article: Article,
    *,
    doc_id: str,
    source: str,
    digest: str,
    max_chars: int,
    version_date: str = "",
    legi_id: str = "",
) -> list[Chunk]:
    """One chunk per article, or per part of a long article (split on paragraphs / numbered items).

    `version_date` (date of the consolidated text) and `legi_id` (LEGIARTI...) are metadata only: the
    chunk's text, hence its id and vector, do not depend on them.
    """
    heading = " > ".join(article.heading_path)
    context = " > ".join(article.heading_path[-2:])
    body = html_to_text(article.text) if has_html(article.text) else article.text  # tables of the Markdown tree
    parts = split_text(body, max_chars) or [""]
    chunks: list[Chunk] = []
    seen: dict[str, int] = {}
    for index, part in enumerate(parts, start=1):
        label = f"Article {article.number}" + (f" ({index}/{len(parts)})" if len(parts) > 1 else "")
        text = f"{label} — {context}\n{part}" if context else f"{label}\n{part}"
        meta = {
            schema.SOURCE: source,
            schema.DOC_ID: doc_id,
            schema.DOC_HASH: digest,
            schema.KIND: schema.KIND_ARTICLE,
            schema.TITLE: f"Article {article.number}",
            schema.ARTICLE: article.number,
            schema.CODE: article.code,
            schema.HEADING_PATH: heading,
            schema.REGIME: article.regime,
            schema.PART: index,
            schema.PAGE: 0,
            schema.CHUNK_INDEX: index - 1,
            schema.URL: legifrance_url(article, legi_id),
        }
        if version_date:
            meta[schema.VERSION_DATE] = version_date
        if legi_id:
            meta[schema.LEGI_ID] = legi_id
        chunks.append(Chunk(id=chunk_id(doc_id, text, 0, seen), text=text, meta=meta))
    return chunks
