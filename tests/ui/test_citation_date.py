"""An article cited in the app says the date of its text (the facts under the card's title)."""

from __future__ import annotations

from pathlib import Path

from ingest.base import SourceMeta
from ingest.cgct import ArticleMarkdownLoader
from rag import schema
from rag.settings import Settings

REPO = Path(__file__).resolve().parents[2]
L2121_10 = (
    REPO / "data/cgct/partie-legislative/deuxieme-partie/livre-ier/titre-ii/chapitre-ier/section-4/article-l2121-10.md"
)


def test_card_facts_give_the_date_then_the_checked_note() -> None:
    from ui.views.common import source_facts

    meta = SourceMeta("article-l2121-10.md", "digest", Settings(store=Path("unused")))
    (chunk,) = ArticleMarkdownLoader().load(L2121_10, meta=meta).documents[0].chunks
    assert source_facts(chunk) == ["Article L2121-10 du CGCT", "texte consolidé au 1er janvier 2005"]
    note = "texte consolidé au 1er janvier 2005 ; une version plus récente du 3 juin 2023 est connue"
    chunk.meta[schema.VERSION_NOTE] = note  # what rag.answer.annotate_versions sets on a citation
    assert source_facts(chunk) == ["Article L2121-10 du CGCT", note]
