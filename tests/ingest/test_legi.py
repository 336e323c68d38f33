"""The CRPA from the @socialgouv/legi-data JSON tree: articles, chunks, Légifrance links, lookup."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.legi import code_documents, is_legi_json, read_legi_json
from rag.text import html_to_text

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "data" / "legal" / "crpa-legi-data-sample.json"
FULL = (
    REPO.parent
    / "shared"
    / "corpus"
    / "legal"
    / "crpa-legi-data"
    / "CRPA_LEGITEXT000031366350_socialgouv_legi-data.json"
)


def test_sample_articles_have_legi_identity() -> None:
    articles = {a.article.number: a for a in read_legi_json(SAMPLE)}
    assert sorted(articles) == ["L300-1", "L300-2", "L311-1", "L311-5", "L311-6", "L311-9"]
    l311_1 = articles["L311-1"]
    assert l311_1.legi_id == "LEGIARTI000033218946"
    assert l311_1.url == "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000033218946"
    assert l311_1.version_date == "2016-10-09" and l311_1.end_date == ""
    assert l311_1.article.code == "CRPA" and l311_1.article.code_id == "LEGITEXT000031366350"
    assert l311_1.article.heading_path[-1] == "Section 1 : Etendue du droit à communication"
    assert "articles L. 311-5 et L. 311-6, les administrations" in l311_1.article.text


def test_documents_one_per_article_chunked_like_the_cgct() -> None:
    documents = code_documents(read_legi_json(SAMPLE), file_name=SAMPLE.name, max_chars=1200)
    assert [d.source for d in documents][:2] == [f"{SAMPLE.name}#L300-1", f"{SAMPLE.name}#L300-2"]
    meta = documents[2].chunks[0].meta
    assert meta["kind"] == "article" and meta["article"] == "L311-1" and meta["code"] == "CRPA"
    assert meta["url"] == "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000033218946"
    assert meta["version_date"] == "2016-10-09"
    assert documents[2].chunks[0].text.startswith("Article L311-1 — Chapitre Ier : Communication")
    long = next(d for d in documents if d.meta["article"] == "L311-5")
    assert len(long.chunks) == 2 and long.chunks[1].meta["part"] == 2


def test_html_paragraphs_are_kept() -> None:
    html = "<p>L'accès s'exerce : </p><p>1° Par consultation ; </p><p>2° Par copie <a href='x'>L. 311-5 </a>, ici</p>"
    assert html_to_text(html) == "L'accès s'exerce :\n\n1° Par consultation ;\n\n2° Par copie L. 311-5, ici"


def test_detection() -> None:
    assert is_legi_json(SAMPLE)
    assert not is_legi_json(REPO / "data" / "legal" / "cgct-key-articles-2023.jsonl")


@pytest.mark.skipif(not FULL.is_file(), reason="shared corpus not mounted")
def test_whole_crpa_parses_without_embedding() -> None:
    articles = read_legi_json(FULL)
    assert len(articles) == 474  # 473 in force + L115-2 (ABROGE_DIFF: repeal deferred)
    assert all(a.legi_id.startswith("LEGIARTI") and a.version_date for a in articles)
    assert len({a.article.number for a in articles}) == 474


@pytest.mark.integration
def test_crpa_article_shows_its_legiarti_link(tmp_path: Path, embedding_cache: Path) -> None:
    from ingest.pipeline import Ingestor, collect_files
    from rag.kb import KnowledgeBase
    from rag.legal import LegalIndex
    from rag.settings import Settings

    settings = Settings(store=tmp_path / "store", cache_dir=embedding_cache)
    store = KnowledgeBase(settings).store
    (first,) = Ingestor(store=store, settings=settings).run(collect_files([SAMPLE]))
    assert (first.status, first.chunks, first.embedded) == ("indexed", 7, 7)
    assert len([d for d in store.documents() if d.source.startswith(f"{SAMPLE.name}#")]) == 6
    (again,) = Ingestor(store=store, settings=settings).run(collect_files([SAMPLE]))
    assert (again.status, again.chunks, again.embedded) == ("unchanged", 7, 0)
    view = LegalIndex(store=store).lookup("article L. 311-1 du CRPA")
    assert view.code == "CRPA"
    assert view.url == "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000033218946"
    assert view.version_date == "2016-10-09"
    assert view.cites == ["L311-5", "L311-6", "L300-2"]  # in the order of the text
    assert view.cited_by == []
    assert "L311-1" in LegalIndex(store=store).lookup("L311-5").cited_by
