"""Loader for plain Markdown and text files (notes, exported minutes): page 0, chunked on paragraphs."""

from __future__ import annotations

from pathlib import Path

from ingest.base import Loaded, SourceMeta, display_path
from ingest.cgct import read_utf8
from ingest.chunking import chunk_pages
from rag import schema
from rag.errors import SourceError
from rag.schema import Document, Page
from rag.store import doc_id_for


class MarkdownLoader:
    """A text document titled by its first line; it is indexed as a document, not as an article."""

    def load(self, path: Path, *, meta: SourceMeta) -> Loaded:
        text = read_utf8(path, meta.source)
        doc_id = doc_id_for(meta.source)
        title = next((ln.lstrip("# ").strip() for ln in text.splitlines() if ln.strip()), path.name)[:200]
        base = {
            schema.SOURCE: meta.source,
            schema.DOC_ID: doc_id,
            schema.DOC_HASH: meta.digest,
            schema.KIND: schema.KIND_DOCUMENT,
            schema.TITLE: title,
            schema.PATH: display_path(path),
        }
        chunks = chunk_pages([Page(text, 0)], doc_id=doc_id, base_meta=base, max_chars=meta.settings.chunk_chars)
        if not chunks:
            raise SourceError(meta.source, "fichier sans texte", fix="vérifiez le fichier")
        document = Document(meta.source, doc_id, meta.digest, schema.KIND_DOCUMENT, title, chunks)
        return Loaded([document], warnings=["aucun titre « # Article ... » : indexé comme document texte simple"])
