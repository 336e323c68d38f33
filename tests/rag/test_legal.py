"""Legal texts as a navigable code: article spellings, references, versions, cross-references, `mairie article`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rag.articles import expand_range, find_references, nearest_articles, normalize_article, parse_references

REPO = Path(__file__).resolve().parents[2]
LEGAL = REPO / "data" / "legal"
L2121_17 = (
    "Si, après une première convocation régulièrement faite selon les dispositions des articles L. 2121-10 "
    "à L. 2121-12, ce quorum n'est pas atteint, le conseil municipal est à nouveau convoqué"
)


# --- spellings and references (unit) ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("spelling", "expected"),
    [
        ("L2121-17", "L2121-17"),
        ("L. 2121-17", "L2121-17"),
        ("art L 2121-17", "L2121-17"),
        ("l2121-17", "L2121-17"),
        ("article L.2121-17 du CGCT", "L2121-17"),
        ("R2121-9", "R2121-9"),
        ("LO2121-1", "LO2121-1"),
        ("LO. 2122-4-1", "LO2122-4-1"),
    ],
)
def test_every_spelling_normalises(spelling: str, expected: str) -> None:
    assert normalize_article(spelling) == expected


def test_range_expands_consecutively_without_existing_numbers() -> None:
    assert parse_references(L2121_17) == ["L2121-10", "L2121-11", "L2121-12"]


def test_range_expands_over_existing_numbers() -> None:
    existing = {"L2122-17", "L2122-18", "L2122-18-1", "L2122-19", "L2122-2"}
    text = "dans les conditions prévues aux articles L. 2122-18 à L. 2122-19"
    assert parse_references(text, existing) == ["L2122-18", "L2122-18-1", "L2122-19"]
    assert expand_range("L2121-10", "L2121-12") == ["L2121-10", "L2121-11", "L2121-12"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("prises en application du 4° de l'article L. 2122-22", ["L2122-22"]),
        ("les articles L. 2122-18 et L. 2122-19", ["L2122-18", "L2122-19"]),
        ("mentionnées aux articles L. 2121-9, L. 2121-10", ["L2121-9", "L2121-10"]),
        ("dans les conditions fixées à l'article R. 2121-9", ["R2121-9"]),
        ("sous réserve de l'article LO. 2122-4-1", ["LO2122-4-1"]),
        ("en application de l'article 1609 nonies C du code général des impôts", []),
        (
            "Vu l'article L. 300-1 du code de l'urbanisme et l'article L. 2121-29 du code général des "
            "collectivités territoriales",
            ["L2121-29"],
        ),
        (
            "Vu le code général des collectivités territoriales, notamment ses articles L. 2121-29 et L. 2122-21,",
            ["L2121-29", "L2122-21"],
        ),
        ("la délibération n° 2020-045 du 23 juillet 2020", []),
    ],
)
def test_references_in_articles_and_visas(text: str, expected: list[str]) -> None:
    assert parse_references(text) == expected


def test_references_keep_their_code_and_item() -> None:
    refs = find_references("Vu l'article L. 300-1 du code de l'urbanisme et le 4° de l'article L. 2122-22")
    assert [(r.number, r.code, r.item) for r in refs] == [("L300-1", "CU", None), ("L2122-22", None, "4°")]
    assert parse_references("l'article L. 300-1 du code de l'urbanisme", code=None) == ["L300-1"]


def test_nearest_articles_prefers_the_same_chapter() -> None:
    existing = [f"L2121-{i}" for i in range(1, 41)] + ["L2122-1", "R2121-9"]
    assert nearest_articles("L2121-99", existing, n=3) == ["L2121-40", "L2121-39", "L2121-38"]
    assert nearest_articles("L2121-17-1", existing, n=1) == ["L2121-17"]


# --- versions from the JSONL fixtures (unit) ---------------------------------------------------------
def test_versions_jsonl_shapes() -> None:
    from ingest.versions import is_versions_jsonl, load_versions_jsonl

    history = load_versions_jsonl(LEGAL / "cgct-versions-demo.jsonl")
    l2122_22 = [r for r in history if r.article == "L2122-22"]
    assert len(l2122_22) == 20 and l2122_22[0].date == "1996-02-24" and l2122_22[0].code == "CGCT"
    assert "LIVRE Ier" in l2122_22[0].heading_path
    snapshot = load_versions_jsonl(LEGAL / "cgct-key-articles-2023.jsonl")
    assert len(snapshot) == 11 and {r.date for r in snapshot} == {"2023-06-03"}
    assert is_versions_jsonl(LEGAL / "cgct-key-articles-2023.jsonl")
    assert not is_versions_jsonl(LEGAL / "crpa-legi-data-sample.json")


# --- the legal index over the demo store (integration) -----------------------------------------------
def _kb(store_path: Path, embedding_cache: Path):  # type: ignore[no-untyped-def]
    from rag.kb import KnowledgeBase
    from rag.settings import Settings

    return KnowledgeBase(Settings(store=store_path, cache_dir=embedding_cache))


@pytest.fixture(scope="module")
def demo_with_versions(demo_store: Path, embedding_cache: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo store with the demo versions and the 2023 key articles (no embedding)."""
    import shutil

    from ingest.versions import load_versions_jsonl
    from rag.versions import VersionStore

    target = tmp_path_factory.mktemp("legal") / "store"
    shutil.copytree(demo_store, target)
    kb = _kb(target, embedding_cache)
    for name in ("cgct-versions-demo.jsonl", "cgct-key-articles-2023.jsonl"):
        VersionStore(store=kb.store).write(load_versions_jsonl(LEGAL / name))
    return target


@pytest.mark.integration
def test_lookup_any_spelling_gives_text_links_and_range(demo_store: Path, embedding_cache: Path) -> None:
    from rag.legal import LegalIndex

    legal = LegalIndex(store=_kb(demo_store, embedding_cache).store)
    view = legal.lookup("art L 2121-17")
    assert view.number == "L2121-17" and view.code == "CGCT"
    assert view.text.startswith("Le conseil municipal ne délibère valablement")
    assert view.cites == ["L2121-10", "L2121-11", "L2121-12"]
    assert "L2121-17" in legal.lookup("L2121-10").cited_by
    assert "Fonctionnement" in view.heading_path or "CHAPITRE" in view.heading_path.upper()
    assert view.url.startswith("https://www.legifrance.gouv.fr/")


@pytest.mark.integration
def test_unknown_number_lists_nearest(demo_store: Path, embedding_cache: Path) -> None:
    from rag.legal import LegalIndex, UnknownArticleError

    legal = LegalIndex(store=_kb(demo_store, embedding_cache).store)
    with pytest.raises(UnknownArticleError) as info:
        legal.lookup("L2121-99")
    assert str(info.value).startswith("Article inconnu : L2121-99. Numéros proches : L2121-40, L2121-39")
    with pytest.raises(UnknownArticleError, match="illisible"):
        legal.lookup("quorum")


@pytest.mark.integration
def test_empty_store_says_what_to_do_and_stays_untouched(tmp_path: Path, embedding_cache: Path) -> None:
    from rag.legal import LegalIndex, UnknownArticleError

    legal = LegalIndex(store=_kb(tmp_path / "empty", embedding_cache).store)
    with pytest.raises(UnknownArticleError, match="Aucun article n'est indexé : lancez `mairie ingest`"):
        legal.lookup("L2121-17")
    assert legal.versions._existing() is None  # reading never creates the versions collection


@pytest.mark.integration
def test_versions_by_date(demo_with_versions: Path, embedding_cache: Path) -> None:
    from rag.legal import LegalIndex, NoVersionError

    legal = LegalIndex(store=_kb(demo_with_versions, embedding_cache).store)
    newest = legal.lookup("L2122-22")
    old = legal.lookup("L2122-22", date="2010-01-01")
    assert newest.version_date == "2014-12-30" and not newest.changed_since
    assert old.version_date == "2009-12-12" and old.changed_since
    assert old.text != newest.text and len(old.versions) == 20
    # The 2023 snapshot is the newest text of L2121-10 and differs from the 2015 Markdown that was indexed.
    l2121_10 = legal.lookup("L2121-10")
    assert l2121_10.version_date == "2023-06-03" and "dématérialisée" in l2121_10.text
    assert any("ancien texte" in note for note in l2121_10.notes)
    assert legal.lookup("L2121-10", date="2016-01-01").changed_since
    # Same text seen again in 2023: one version, confirmed later, not a change.
    l2121_17 = legal.lookup("L2121-17", date="2016-01-01")
    assert not l2121_17.changed_since and l2121_17.versions[-1].confirmed == "2023-06-03"
    with pytest.raises(NoVersionError, match="première version connue : 1996-02-24"):
        legal.lookup("L2122-22", date="1990-01-01")
    assert legal.link_vu("article L. 2122-22 du CGCT", "2010-01-01") == ("2009-12-12", True)
    assert legal.link_vu("L2122-22", "2015-03-01") == ("2014-12-30", False)


@pytest.mark.integration
def test_cli_article(demo_with_versions: Path) -> None:
    from click.testing import CliRunner

    from ui.cli import main
    from ui.cli_legal import article

    if "article" not in main.commands:
        main.add_command(article)
    runner = CliRunner()
    result = runner.invoke(main, ["--store", str(demo_with_versions), "article", "L2122-22", "--date", "2010-01-01"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "Article L2122-22 (CGCT)"
    assert (
        "Texte consolidé au 12 décembre 2009 (Ordonnance n°2009-1530 du 10 décembre 2009) — en vigueur le "
        "1er janvier 2010"
    ) in result.stdout.splitlines()
    assert "Légifrance : https://www.legifrance.gouv.fr/codes/id/LEGITEXT000006070633/" in result.stdout
    data = json.loads(runner.invoke(main, ["--store", str(demo_with_versions), "article", "L2121-17", "--json"]).stdout)
    assert data["cites"] == ["L2121-10", "L2121-11", "L2121-12"]
    unknown = runner.invoke(main, ["--store", str(demo_with_versions), "article", "L2121-99"])
    assert unknown.exit_code == 1
    assert unknown.stderr.strip() == (
        "Article inconnu : L2121-99. Numéros proches : L2121-40, L2121-39, L2121-38, L2121-37, L2121-36."
    )


# --- the table of contents the Code page shows -------------------------------------------------------
def test_code_names_from_tags() -> None:
    from rag.articles import code_name

    assert code_name("CGCT") == "Code général des collectivités territoriales"
    assert code_name("CRPA") == "Code des relations entre le public et l'administration"
    assert code_name("XYZ") == "XYZ"


@pytest.mark.integration
def test_codes_tree_and_chapters(demo_store: Path, embedding_cache: Path) -> None:
    from rag.legal import LegalIndex

    legal = LegalIndex(store=_kb(demo_store, embedding_cache).store)
    assert legal.codes() == ["CGCT", "CRPA"]
    chapters = legal.tree("CGCT")
    council = legal.chapter("L2121-17")
    assert council in chapters and council.code == "CGCT"
    assert council.path[0] == "Partie législative" and council.title == "CHAPITRE Ier : Le conseil municipal"
    assert list(council.sections)[0] == "Section 1 : Composition"
    functioning = council.sections["Section 4 : Fonctionnement"]
    assert functioning.index("L2121-9") < functioning.index("L2121-10") < functioning.index("L2121-17")
    # Every article is in exactly one chapter, and chapters follow the code's order.
    numbers = [n for c in chapters for n in c.numbers]
    assert sorted(numbers) == sorted(legal.numbers("CGCT")) and len(set(numbers)) == len(numbers)
    assert chapters.index(council) < chapters.index(legal.chapter("L2122-22"))
    # CRPA: a book without chapter keeps its articles directly; a chapter with sections splits them.
    crpa = legal.tree("CRPA")
    assert crpa[0].sections == {"": ["L300-1", "L300-2"]}
    access = legal.chapter("L311-1 du CRPA")
    assert access.title == "Chapitre Ier : Communication des documents administratifs"
    assert access.sections["Section 1 : Etendue du droit à communication"][0] == "L311-1"
    assert legal.tree("CU") == []
    assert legal.preview("L2121-17", limit=40) == "Le conseil municipal ne délibère…"
    assert legal.preview("L311-1", code="CGCT") == ""
    assert legal.lookup("L311-1").to_json()["code_name"] == "Code des relations entre le public et l'administration"


# --- law has a date: quotes, `mairie article`, the Légifrance link -----------------------------------
@pytest.mark.integration
def test_quote_of_l2121_10_says_its_date_and_the_newer_version(demo_with_versions: Path, embedding_cache: Path) -> None:
    from rag import schema
    from rag.answer import annotate_versions
    from rag.french import source_label
    from rag.schema import Citation
    from rag.versions import VersionStore

    store = _kb(demo_with_versions, embedding_cache).store
    (chunk,) = list(store.iter_chunks(where={schema.ARTICLE: "L2121-10"}))
    assert chunk.meta[schema.VERSION_DATE] == "2005-01-01"  # the 2015 Markdown text, dated by its history
    annotate_versions([Citation(1, chunk, "")], VersionStore(store=store))
    assert source_label(chunk) == (
        "Article L2121-10 (CGCT), texte consolidé au 1er janvier 2005 ; une version plus récente du 3 juin 2023 "
        "est connue (voir `mairie article L2121-10`)"
    )
    # L2121-12 of 2015 is held word for word inside its longer 2023 text: still the old text, not the 2023 one.
    (longer,) = list(store.iter_chunks(where={schema.ARTICLE: "L2121-12"}))
    annotate_versions([Citation(1, longer, "")], VersionStore(store=store))
    assert longer.meta[schema.VERSION_NOTE].startswith(
        f"texte consolidé au {french_date_of(longer)} ; une version plus récente du 3 juin 2023 est connue"
    )
    (same,) = list(store.iter_chunks(where={schema.ARTICLE: "L2121-17"}))  # unchanged in 2023
    annotate_versions([Citation(1, same, "")], VersionStore(store=store))
    assert same.meta[schema.VERSION_NOTE] == f"texte consolidé au {french_date_of(same)}, inchangé au 3 juin 2023"


def french_date_of(chunk) -> str:  # type: ignore[no-untyped-def]
    from rag import schema
    from rag.french import french_date

    return french_date(str(chunk.meta[schema.VERSION_DATE]))


@pytest.mark.integration
def test_article_display_dates_the_text_and_shows_the_newer_one(
    demo_with_versions: Path, embedding_cache: Path
) -> None:
    from rag.legal import LegalIndex, article_display

    legal = LegalIndex(store=_kb(demo_with_versions, embedding_cache).store)
    old = article_display(legal.lookup("L2121-10", date="2016-01-01"))
    assert old.dated == (
        "Texte consolidé au 1er janvier 2005 (Loi n°2004-809 du 13 août 2004) — en vigueur le 1er janvier 2016"
    )
    assert "dématérialisée" not in old.text
    assert old.newer == "Une version plus récente du 3 juin 2023 est connue :" and "dématérialisée" in old.newer_text
    assert old.link == "https://www.legifrance.gouv.fr/codes/id/LEGITEXT000006070633/"
    newest = article_display(legal.lookup("L2121-10"))
    assert newest.dated == "Texte consolidé au 3 juin 2023 (relevé dans l'export francois76/legifrance)"
    assert newest.newer == "" and "dématérialisée" in newest.text
    assert newest.notes == [
        "Le texte de la base, cité dans les réponses, est l'ancien texte (texte consolidé au 1er janvier 2005) : "
        "une version plus récente du 3 juin 2023 est connue."
    ]
    crpa = article_display(legal.lookup("L311-1 du CRPA"))
    assert crpa.dated == "Texte consolidé au 9 octobre 2016" and crpa.newer == ""
    assert crpa.link == "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000033218946"
    assert legal.lookup("L311-1 du CRPA").legi_id == "LEGIARTI000033218946"


@pytest.mark.integration
def test_cli_article_l2121_10_as_a_user_runs_it(demo_with_versions: Path) -> None:
    import os
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "ui.cli", "--store", str(demo_with_versions), "article", "L2121-10", "--date", "2016-01-01"],
        cwd=REPO, capture_output=True, text=True, timeout=300, env=os.environ.copy(), check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Article L2121-10 (CGCT)"
    assert lines[2] == (
        "Texte consolidé au 1er janvier 2005 (Loi n°2004-809 du 13 août 2004) — en vigueur le 1er janvier 2016"
    )
    newer = lines.index("Une version plus récente du 3 juin 2023 est connue :")
    assert "dématérialisée" in lines[newer + 1] and "dématérialisée" not in " ".join(lines[3:newer])
    assert "Légifrance : https://www.legifrance.gouv.fr/codes/id/LEGITEXT000006070633/" in lines


@pytest.mark.integration
def test_versions_keep_their_text_out_of_full_text_search_and_older_stores_still_read(
    tmp_path: Path, embedding_cache: Path
) -> None:
    """New versions carry their text in metadata (no full-text index); a store written with the text as
    the document (earlier versions) reads the same."""
    from rag.versions import DUMMY_EMBEDDING, VersionRecord, VersionStore

    versions = VersionStore(store=_kb(tmp_path / "store", embedding_cache).store)
    versions.write([VersionRecord("L2121-10", "2015-01-01", "Texte de 2015.", "Loi A")])
    older = VersionRecord("L2121-10", "2023-06-03", "Texte de 2023.", "Loi B")
    versions.collection.upsert(  # as written before: text as the document
        ids=[older.record_id],
        documents=[older.text],
        embeddings=[DUMMY_EMBEDDING],
        metadatas=[
            {"article": "L2121-10", "date": "2023-06-03", "date_int": 20230603, "message": "Loi B", "code": "CGCT"}
        ],
    )
    got = versions.collection.get(include=["documents"])
    assert sorted(d or "" for d in got["documents"]) == ["", "Texte de 2023."]
    assert [(v.date, v.text) for v in versions.versions("L2121-10")] == [
        ("2015-01-01", "Texte de 2015."),
        ("2023-06-03", "Texte de 2023."),
    ]
