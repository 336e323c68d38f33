"""Every legal passage carries the date of its consolidated text (and its LEGIARTI id when the source has it).

Sources: the demo CGCT tree `data/cgct` with its history `data/legal/cgct-versions-demo.jsonl` (provenance in
data/legal/PROVENANCE.md), the CRPA sample `data/legal/crpa-legi-data-sample.json`, and, when mounted, the
shared corpus `../shared/corpus/legal` (the whole CGCT Markdown beside `cgct-versions-2015.jsonl`).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ingest.base import SourceMeta
from ingest.cgct import ArticleMarkdownLoader
from ingest.legi import code_documents, read_legi_json
from ingest.versions import consolidation_date, histories_beside, load_versions_jsonl
from rag import schema
from rag.settings import Settings

REPO = Path(__file__).resolve().parents[2]
CGCT = REPO / "data" / "cgct"
COUNCIL = CGCT / "partie-legislative" / "deuxieme-partie" / "livre-ier" / "titre-ii" / "chapitre-ier"
L2121_10 = COUNCIL / "section-4" / "article-l2121-10.md"
CRPA_SAMPLE = REPO / "data" / "legal" / "crpa-legi-data-sample.json"
SHARED = REPO.parent / "shared" / "corpus" / "legal"


def load(path: Path, source: str) -> list:  # type: ignore[type-arg]
    meta = SourceMeta(source, "digest", Settings(store=Path("unused")))
    (document,) = ArticleMarkdownLoader().load(path, meta=meta).documents
    return document.chunks


def copy_without_history(tmp_path: Path) -> Path:
    """The code root README, the headings down to L2121-10 and the article: the same tree, no history beside."""
    target = tmp_path / "code" / "cgct"
    for folder in [CGCT, *reversed(L2121_10.parents[: len(L2121_10.relative_to(CGCT).parts) - 1])]:
        destination = target / folder.relative_to(CGCT)
        destination.mkdir(parents=True, exist_ok=True)
        shutil.copy(folder / "README.md", destination / "README.md")
    article = target / L2121_10.relative_to(CGCT)
    shutil.copy(L2121_10, article)
    return article


def test_markdown_article_gets_the_date_of_its_text_from_the_history_beside_the_tree() -> None:
    chunks = load(L2121_10, "cgct/article-l2121-10.md")
    assert [c.meta[schema.VERSION_DATE] for c in chunks] == ["2005-01-01"]  # Loi n°2004-809, in force 2005
    assert chunks[0].meta[schema.URL] == "https://www.legifrance.gouv.fr/codes/id/LEGITEXT000006070633/"
    assert schema.LEGI_ID not in chunks[0].meta  # the Markdown tree and its history carry no LEGIARTI id
    histories = histories_beside(CGCT.resolve(), "CGCT")
    assert [date for date, _ in histories["L2121-10"]] == ["1996-02-24", "2005-01-01"]  # no 2023 snapshot
    # The date is the one of the version whose text it is, not merely the newest one.
    first = next(
        r for r in load_versions_jsonl(REPO / "data" / "legal" / "cgct-versions-demo.jsonl") if r.article == "L2122-22"
    )
    assert consolidation_date(histories["L2122-22"], first.text) == first.date == "1996-02-24"
    assert consolidation_date(histories["L2122-22"], "Un texte qu'aucune version n'a eu.") == ""


def test_the_date_is_metadata_only(tmp_path: Path) -> None:
    """Same text and id with or without a history beside the tree: no vector changes."""
    dated = load(L2121_10, "cgct/article-l2121-10.md")
    undated = load(copy_without_history(tmp_path), "cgct/article-l2121-10.md")
    assert [(c.id, c.text) for c in undated] == [(c.id, c.text) for c in dated]
    assert schema.VERSION_DATE not in undated[0].meta  # no history: no date, never a guess
    assert {k: v for k, v in dated[0].meta.items() if k != schema.VERSION_DATE} == undated[0].meta


def test_crpa_passages_carry_date_and_legiarti() -> None:
    documents = code_documents(read_legi_json(CRPA_SAMPLE), file_name=CRPA_SAMPLE.name, max_chars=1200)
    l311_1 = next(d for d in documents if d.meta["article"] == "L311-1")
    meta = l311_1.chunks[0].meta
    assert meta[schema.LEGI_ID] == "LEGIARTI000033218946" and meta[schema.VERSION_DATE] == "2016-10-09"
    assert meta[schema.URL] == "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000033218946"
    assert l311_1.meta[schema.LEGI_ID] == "LEGIARTI000033218946"
    assert all(c.meta[schema.LEGI_ID].startswith("LEGIARTI") for d in documents for c in d.chunks)


@pytest.mark.skipif(not (SHARED / "cgct-markdown").is_dir(), reason="shared corpus not mounted")
@pytest.mark.parametrize(
    ("relative", "date"),
    [
        (
            "partie-legislative/deuxieme-partie/livre-ier/titre-ii/chapitre-ii/section-2/article-l2122-7.md",
            "2008-03-16",
        ),
        ("partie-legislative/deuxieme-partie/livre-ier/titre-iii/chapitre-ier/article-l2131-1.md", "2005-01-01"),
    ],
)
def test_whole_cgct_articles_are_dated_from_cgct_versions_2015(relative: str, date: str) -> None:
    (chunk, *_) = load(SHARED / "cgct-markdown" / relative, relative)
    assert chunk.meta[schema.VERSION_DATE] == date


@pytest.mark.integration
def test_reprocessing_adds_the_date_without_embedding(
    tmp_path: Path, embedding_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store indexed before the dates existed gets them when the pipeline version changes: no new vector."""
    from ingest import pipeline
    from ingest.pipeline import Ingestor, collect_files
    from rag.kb import KnowledgeBase

    article = copy_without_history(tmp_path)
    root = tmp_path / "code" / "cgct"
    settings = Settings(store=tmp_path / "store", cache_dir=embedding_cache)
    store = KnowledgeBase(settings).store
    where = {schema.ARTICLE: "L2121-10"}

    def ingest() -> pipeline.FileEvent:
        events = Ingestor(store=store, settings=settings).run(collect_files([root]))
        return next(e for e in events if e.source.endswith("article-l2121-10.md"))

    first = ingest()
    assert first.status == "indexed"
    assert schema.VERSION_DATE not in next(store.iter_chunks(where=where)).meta

    history = tmp_path / "code" / "legal"
    history.mkdir()
    shutil.copy(REPO / "data" / "legal" / "cgct-versions-demo.jsonl", history)
    histories_beside.cache_clear()
    monkeypatch.setattr(pipeline, "PIPELINE_VERSION", "test-reprocess")
    again = ingest()
    assert (again.status, again.embedded) == ("indexed", 0)
    (chunk,) = list(store.iter_chunks(where=where))
    assert chunk.meta[schema.VERSION_DATE] == "2005-01-01" and chunk.text.startswith("Article L2121-10")
    assert article.is_file()


def test_a_history_without_versions_dates_nothing(tmp_path: Path) -> None:
    """25 lines of cgct-versions-2015.jsonl have `"versions": []`: no version, no date (not the snapshot date)."""
    line = (REPO / "data" / "legal" / "cgct-versions-demo.jsonl").read_text(encoding="utf-8").splitlines()[0]
    record = json.loads(line)
    record["versions"] = []
    path = tmp_path / "history.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    assert load_versions_jsonl(path) == []


@pytest.mark.skipif(not (SHARED / "cgct-versions-2015.jsonl").is_file(), reason="shared corpus not mounted")
def test_shipped_law_dates_said_to_users_match_the_sources() -> None:
    """The README and the privacy page say which date the law is from: the sources agree."""
    from rag.legal import NOT_LEGIFRANCE, SHIPPED_LAW

    newest: dict[str, str] = {}
    for record in load_versions_jsonl(SHARED / "cgct-versions-2015.jsonl", snapshots=False):
        newest[record.article] = max(newest.get(record.article, ""), record.date)
    dates = sorted(newest.values())
    assert dates[-1] == "2017-01-01" and dates[-3] == "2016-01-01"  # "deux au 1er janvier 2017"
    snapshot = load_versions_jsonl(SHARED / "cgct-key-articles-2023.jsonl")
    assert len(snapshot) == 11 and {r.date for r in snapshot} == {"2023-06-03"}
    crpa = read_legi_json(SHARED / "crpa-legi-data" / "CRPA_LEGITEXT000031366350_socialgouv_legi-data.json")
    assert max(a.version_date for a in crpa) == "2026-02-05"
    for said in ("1er janvier 2016, deux au 1er janvier 2017", "11 articles", "3 juin 2023", "5 février 2026"):
        assert said in SHIPPED_LAW
    readme = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    assert " ".join(SHIPPED_LAW.removesuffix(".").split()) in readme
    assert "ne remplacent pas Légifrance" in readme and "ne remplacent pas Légifrance" in NOT_LEGIFRANCE
    privacy = (REPO / "ui" / "views" / "privacy.py").read_text(encoding="utf-8")
    assert "st.markdown(SHIPPED_LAW)" in privacy and "st.warning(NOT_LEGIFRANCE)" in privacy


def test_a_legifrance_table_is_read_as_rows_and_keeps_its_date() -> None:
    """L2121-2's population table is HTML in the Markdown tree: its passages read one row per line, and the
    text is still recognised as the version of its history (dated), the raw HTML and the rows being one text."""
    (chunk,) = load(COUNCIL / "section-1" / "article-l2121-2.md", "cgct/article-l2121-2.md")
    assert "<" not in chunk.text
    assert "\nDe 500 à 1 499 habitants | 15\n" in chunk.text
    assert chunk.meta[schema.VERSION_DATE] == "2014-03-23"
    (record,) = [
        r
        for r in load_versions_jsonl(REPO / "data" / "legal" / "cgct-versions-demo.jsonl")
        if r.article == "L2121-2" and r.date == "2014-03-23"
    ]
    assert "<" not in record.text and "De 500 à 1 499 habitants | 15" in record.text
