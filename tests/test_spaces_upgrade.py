"""A store built by the version before spaces opens as-is as the default space, and its law can be shared.

The previous version is taken from git history (the commit this work started from) and run in a
subprocess to build a small store: CGCT articles and one council PV, with its lexical index.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from rag import schema
from rag.kb import KnowledgeBase
from rag.settings import Settings
from rag.spaces import DEFAULT_SPACE, LAW_SPACE, SPACE_KEY

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parent.parent
PREVIOUS = "75760bb1be123830c584a5f4a1b130290e34df69"  # the last commit before spaces
CHAPTER = REPO / "data/cgct/partie-legislative/deuxieme-partie/livre-ier/titre-ii/chapitre-ier"
PV = REPO / "data/deliberations/preuilly-sur-claise"

BUILD = """
import sys
from pathlib import Path
from ingest.service import ingest_files
from rag.kb import KnowledgeBase
from rag.settings import Settings
kb = KnowledgeBase(Settings(store=Path(sys.argv[1]), cache_dir=Path(sys.argv[2])))
summary = ingest_files([Path(p) for p in sys.argv[3:]], kb=kb)
assert not summary.failed, summary
kb.lexical.ensure_fresh()
"""


@pytest.fixture(scope="module")
def previous_store(tmp_path_factory: pytest.TempPathFactory, embedding_cache: Path) -> Path:
    root = tmp_path_factory.mktemp("previous")
    code = root / "code"
    code.mkdir()
    try:
        archive = subprocess.run(
            ["git", "-C", str(REPO), "archive", PREVIOUS, "rag", "ingest"], capture_output=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("the previous version is not in this checkout's history")
    subprocess.run(["tar", "-x", "-C", str(code)], input=archive.stdout, check=True)
    store = root / "store"
    env = {**os.environ, "PYTHONPATH": str(code)}
    subprocess.run(
        [sys.executable, "-c", BUILD, str(store), str(embedding_cache), str(CHAPTER), str(PV)],
        cwd=code,
        env=env,
        check=True,
        timeout=900,
    )
    return store


def kb_of(store: Path, space: str = DEFAULT_SPACE) -> KnowledgeBase:
    return KnowledgeBase(Settings(store=store, cache_dir=Path(os.environ["MAIRIE_CACHE_DIR"]), space=space))


def test_previous_store_opens_as_the_default_space(previous_store: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    subprocess.run(["cp", "-a", str(previous_store), str(store)], check=True)
    kb = kb_of(store)
    docs = kb.documents()
    assert {d.space for d in docs} == {DEFAULT_SPACE}
    assert any(d.source.endswith("PV_CM_2020-07-23.pdf") for d in docs)
    hits = kb.search("que dit l'article L2121-17 ?", top_k=3)
    assert hits[0].chunk.article == "L2121-17"
    answer = kb.ask("Qu'a voté le conseil municipal sur la cantine scolaire ?")
    assert answer.found and answer.citations[0].chunk.source.endswith("PV_CM_2020-07-23.pdf")
    assert kb.verify(check_removed=False) == []


def test_share_law_moves_the_law_without_embedding_and_every_space_sees_it(
    previous_store: Path, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    subprocess.run(["cp", "-a", str(previous_store), str(store)], check=True)
    kb = kb_of(store)
    articles = {d.source for d in kb.documents() if d.kind == schema.KIND_ARTICLE}
    misses = kb.store.embedder.misses
    assert set(kb.store.share_law()) == articles
    assert kb.store.embedder.misses == misses
    for space in (DEFAULT_SPACE, "autre-commune"):
        other = kb_of(store, space)
        hits = other.search("que dit l'article L2121-17 ?", top_k=3)
        assert hits[0].chunk.article == "L2121-17" and hits[0].chunk.meta[SPACE_KEY] == LAW_SPACE
    assert {d.space for d in kb_of(store).documents() if d.kind == schema.KIND_ARTICLE} == {LAW_SPACE}
    assert kb_of(store).verify(check_removed=False) == []
    assert {h.chunk.meta[SPACE_KEY] for h in kb_of(store, "autre-commune").search("cantine scolaire")} <= {LAW_SPACE}
