"""Loader for codes published as LEGI data (DILA), starting with the @socialgouv/legi-data JSON tree.

`read_legi_json` turns one file into `CodeArticle`s; `code_documents` turns those into one Document per
article, chunked exactly like the CGCT Markdown articles (ingest.cgct.article_chunks), with the article's
own Légifrance link (article_lc/LEGIARTI...) and its version date. `LegiJsonLoader` is both, registered in
ingest.loaders. Reading the official LEGI XML (one `<ARTICLE>` file per article, `META_ARTICLE/NUM`,
`DATE_DEBUT`, `BLOC_TEXTUEL`) would be one more loader in that table.

Example::

    articles = read_legi_json(Path("CRPA_LEGITEXT000031366350_socialgouv_legi-data.json"))
    documents = code_documents(articles, file_name="crpa.json", max_chars=1200)
    documents[0].source
    # -> 'crpa.json#L100-1'
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ingest.base import Loaded, SourceMeta
from ingest.cgct import CODE_NAMES, LEGIFRANCE_ARTICLE_URL, Article, article_chunks
from rag import schema
from rag.articles import normalize_article
from rag.errors import SourceError
from rag.schema import Document
from rag.store import doc_id_for
from rag.text import html_to_text

logger = logging.getLogger(__name__)

# LEGI states of an article still in force on the day of the export (ABROGE_DIFF: repeal deferred).
IN_FORCE_STATES = {"VIGUEUR", "VIGUEUR_DIFF", "ABROGE_DIFF"}
_SNIFF = 2048


@dataclass(frozen=True, slots=True)
class CodeArticle:
    """One article of a code with its LEGI identity (what ingest.cgct.Article lacks)."""

    article: Article
    legi_id: str  # LEGIARTI...
    version_date: str  # ISO date the version took effect
    end_date: str = ""  # ISO date it stops (empty: open-ended)
    state: str = ""  # LEGI "etat": VIGUEUR, ABROGE_DIFF ...

    @property
    def url(self) -> str:
        return LEGIFRANCE_ARTICLE_URL.format(self.legi_id) if self.legi_id else ""


class LegiJsonLoader:
    """A legi-data code tree -> one Document per article in force (source "<file>#<number>")."""

    def load(self, path: Path, *, meta: SourceMeta) -> Loaded:
        articles = read_legi_json(path)
        if not articles:
            raise SourceError(meta.source, "aucun article en vigueur dans ce fichier")
        return Loaded(code_documents(articles, file_name=meta.source, max_chars=meta.settings.chunk_chars))


def read_legi_json(path: Path) -> list[CodeArticle]:
    """The articles of the JSON tree of the npm package @socialgouv/legi-data (code > sections > articles).

    Articles not in force on the export date (etat ABROGE, MODIFIE ...) are skipped.
    """
    try:
        tree = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise SourceError(path.name, f"JSON legi-data illisible ({e})", fix="vérifiez le fichier") from e
    if not _is_legi_tree(tree):
        raise SourceError(path.name, "ce JSON n'a pas la forme legi-data (type « code », children)")
    data = tree.get("data") or {}
    title = str(data.get("title") or "")
    code, code_id = CODE_NAMES.get(title.lower(), ("", str(data.get("cid") or data.get("id") or "")))
    code = code or _short_name(title)
    return list(_walk(tree, [], code=code, code_id=code_id))


def _walk(node: dict[str, Any], path: list[str], *, code: str, code_id: str) -> Iterator[CodeArticle]:
    for child in node.get("children") or []:
        kind = child.get("type")
        data = child.get("data") or {}
        if kind == "section":
            yield from _walk(child, [*path, str(data.get("title") or "").strip()], code=code, code_id=code_id)
        elif kind == "article":
            article = _article(data, path, code=code, code_id=code_id)
            if article is not None:
                yield article


def is_legi_json(path: Path) -> bool:
    """True for a .json file that starts like a legi-data code tree ({"data": {...}, "type": "code", ...})."""
    if path.suffix.lower() != ".json":
        return False
    with path.open("rb") as fh:
        head = fh.read(_SNIFF).decode("utf-8", errors="replace")
    return bool(re.search(r'"type"\s*:\s*"code"', head)) or ('"LEGITEXT' in head and '"children"' in head)


def code_documents(
    articles: Iterable[CodeArticle], *, file_name: str, max_chars: int, pipeline_version: str = "1"
) -> list[Document]:
    """One Document per article (source "<file name>#<number>"), chunked like the CGCT articles."""
    documents: list[Document] = []
    for item in articles:
        article = item.article
        source = f"{file_name}#{article.number}"
        doc_id = doc_id_for(source)
        digest = hashlib.sha256(
            f"{pipeline_version}\x00{item.legi_id}\x00{item.version_date}\x00{article.heading_path}\x00{article.text}".encode()
        ).hexdigest()
        chunks = article_chunks(
            article,
            doc_id=doc_id,
            source=source,
            digest=digest,
            max_chars=max_chars,
            version_date=item.version_date,
            legi_id=item.legi_id,
        )
        meta = {
            "code": article.code,
            "article": article.number,
            schema.LEGI_ID: item.legi_id,
            schema.VERSION_DATE: item.version_date,
        }
        documents.append(
            Document(source, doc_id, digest, schema.KIND_ARTICLE, f"Article {article.number}", chunks, meta)
        )
    return documents


def _article(data: dict[str, Any], path: list[str], *, code: str, code_id: str) -> CodeArticle | None:
    state = str(data.get("etat") or "")
    if state and state not in IN_FORCE_STATES:
        return None
    raw_number = str(data.get("num") or "").strip()
    if not raw_number:
        return None
    number = normalize_article(raw_number) or raw_number
    text = html_to_text(str(data["texteHtml"])) if data.get("texteHtml") else str(data.get("texte") or "").strip()
    article = Article(number=number, text=text, heading_path=[p for p in path if p], code=code, code_id=code_id)
    return CodeArticle(
        article=article,
        legi_id=str(data.get("id") or data.get("cid") or ""),
        version_date=_iso(data.get("dateDebut")),
        end_date=_iso(data.get("dateFin")),
        state=state,
    )


def _iso(value: Any) -> str:
    """legi-data dates: epoch milliseconds for articles, ISO strings for sections; 2999 = open-ended."""
    if value in (None, ""):
        return ""
    if isinstance(value, (int, float)):
        day = datetime.fromtimestamp(value / 1000, tz=UTC).date().isoformat()
    else:
        day = str(value)[:10]
    return "" if day >= "2999" else day


def _is_legi_tree(tree: Any) -> bool:
    return isinstance(tree, dict) and tree.get("type") == "code" and isinstance(tree.get("children"), list)


def _short_name(title: str) -> str:
    words = [w for w in re.split(r"[\s']+", title) if w and w[0].isalpha() and len(w) > 2 or w.lower() == "de"]
    return "".join(w[0].upper() for w in words if w.lower() not in ("des", "de", "la", "le", "les", "du")) or "CODE"
