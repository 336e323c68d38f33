"""Spaces: each commune sees its own documents and the shared law, never another commune's, by every entry point.

Two spaces, "alpha" and "beta", each ingest a different council PDF under the same file name (PV.pdf), plus
a document only the other lacks; the CGCT chapter on the council is ingested from alpha and lands in the
shared law space.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.service import ingest_files
from rag import schema
from rag.kb import KnowledgeBase
from rag.schema import Filters
from rag.settings import Settings
from rag.spaces import LAW_SPACE, SPACE_KEY

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
CHAPTER = DATA / "cgct/partie-legislative/deuxieme-partie/livre-ier/titre-ii/chapitre-ier"
# Questions whose words are in beta's documents (Montpellier, 2014) and not in alpha's (Couthenans).
BETA_QUESTIONS = ["Montpellier", "délibération du conseil municipal de Montpellier 2014", "métropole"]


@pytest.fixture(scope="module")
def spaces_store(tmp_path_factory: pytest.TempPathFactory, embedding_cache: Path) -> Path:
    root = tmp_path_factory.mktemp("spaces")
    for space, pdfs in {
        "alpha": ["couthenans/CR_conseil_municipal_07_10_2022.pdf", "couthenans/CR_reunion_20220121.pdf"],
        "beta": ["montpellier/2014-04-24-0000071216.pdf", "montpellier/2014-04-24-0000071217.pdf"],
    }.items():
        folder = root / "files" / space / "conseil"
        folder.mkdir(parents=True)
        shutil.copy(DATA / "deliberations" / pdfs[0], folder / "PV.pdf")  # the same name in both spaces
        shutil.copy(DATA / "deliberations" / pdfs[1], folder / f"{space}-seul.pdf")
    store = root / "store"
    base = Settings(store=store, cache_dir=embedding_cache)
    law = ingest_files([CHAPTER], kb=KnowledgeBase(base.replace(space="alpha")))
    assert not law.failed
    for space in ("alpha", "beta"):
        summary = ingest_files([root / "files" / space / "conseil"], kb=KnowledgeBase(base.replace(space=space)))
        assert not summary.failed
    return store


def kb_of(store: Path, space: str) -> KnowledgeBase:
    return KnowledgeBase(Settings(store=store, cache_dir=Path(os.environ["MAIRIE_CACHE_DIR"]), space=space))


def own_texts(store: Path, space: str) -> set[str]:
    """The text of the passages stored in `space` itself (not the law)."""
    return {c.text for c in kb_of(store, space).store.iter_chunks(spaces=[space])}


def test_each_space_lists_its_own_documents_and_the_same_name_does_not_collide(spaces_store: Path) -> None:
    alpha = {(d.source, d.space) for d in kb_of(spaces_store, "alpha").documents() if d.space != LAW_SPACE}
    beta = {(d.source, d.space) for d in kb_of(spaces_store, "beta").documents() if d.space != LAW_SPACE}
    assert {s for s, _ in alpha} == {"PV.pdf", "alpha-seul.pdf"}
    assert {s for s, _ in beta} == {"PV.pdf", "beta-seul.pdf"}
    assert {sp for _, sp in alpha} == {"alpha"} and {sp for _, sp in beta} == {"beta"}
    assert own_texts(spaces_store, "alpha").isdisjoint(own_texts(spaces_store, "beta"))


def test_the_law_is_stored_once_and_visible_from_every_space(spaces_store: Path) -> None:
    for space in ("alpha", "beta"):
        kb = kb_of(spaces_store, space)
        hits = kb.search("que dit l'article L2121-17 ?", top_k=3)
        assert hits[0].chunk.article == "L2121-17" and hits[0].chunk.meta[SPACE_KEY] == LAW_SPACE
        assert kb.store.find({schema.ARTICLE: "L2121-17"})
    articles = [d for d in kb_of(spaces_store, "beta").documents() if d.kind == schema.KIND_ARTICLE]
    assert articles and {d.space for d in articles} == {LAW_SPACE}


@pytest.mark.parametrize(
    "filters",
    [
        None,
        Filters(source="beta-seul.pdf"),
        Filters(commune="montpellier"),
        Filters(kind=schema.KIND_DELIBERATION),
        Filters(since="2014-01-01", until="2014-12-31"),
    ],
)
def test_no_query_or_crafted_filter_reaches_another_space(spaces_store: Path, filters: Filters | None) -> None:
    beta_only = own_texts(spaces_store, "beta")
    kb = kb_of(spaces_store, "alpha")
    for question in BETA_QUESTIONS:
        hits = kb.search(question, top_k=20, filters=filters)
        assert not [h for h in hits if h.chunk.text in beta_only]
        assert {h.chunk.meta[SPACE_KEY] for h in hits} <= {"alpha", LAW_SPACE}
        lexical = kb.lexical.search(question, k=50, filters=filters)
        assert not {c.text for c in kb.store.get_chunks([i for i, _ in lexical])} & beta_only
        answer = kb.ask(question, filters=filters)
        cited = [c.chunk.text for c in answer.citations] + [h.chunk.text for h in answer.closest]
        assert not [t for t in cited if t in beta_only]
    assert not [c for c in kb.store.find({schema.SOURCE: "beta-seul.pdf"})]
    assert not kb.store.get_chunks([c.id for c in kb_of(spaces_store, "beta").store.iter_chunks(spaces=["beta"])])


def test_a_user_of_both_spaces_sees_both(spaces_store: Path) -> None:
    kb = KnowledgeBase(kb_of(spaces_store, "alpha").settings, spaces=["alpha", "beta"])
    assert {d.space for d in kb.documents()} == {"alpha", "beta", LAW_SPACE}
    hits = kb.search("Montpellier", top_k=10)
    assert any(h.chunk.meta[SPACE_KEY] == "beta" for h in hits)


def test_lexical_partition_changes_only_in_the_written_space(spaces_store: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(spaces_store, store)
    alpha, beta = kb_of(store, "alpha"), kb_of(store, "beta")
    alpha.lexical.ensure_fresh()
    beta.lexical.ensure_fresh()
    partitions = {p.name: p for p in (store / "lexical").iterdir()}
    before = {name: (p / "ids.json").stat().st_mtime_ns for name, p in partitions.items()}
    extra = tmp_path / "extra"
    extra.mkdir()
    shutil.copy(DATA / "deliberations/montpellier/2014-04-24-0000071244.pdf", extra / "ajout.pdf")
    assert not ingest_files([extra], kb=beta).failed
    after = {name: (p / "ids.json").stat().st_mtime_ns for name, p in partitions.items()}
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"mairie.beta"}
    # The partition updated in place equals one built from scratch.
    fresh = kb_of(store, "beta")
    shutil.rmtree(store / "lexical" / "mairie.beta")
    fresh.lexical.ensure_fresh()
    assert sorted(fresh.lexical.ids) == sorted(beta.lexical.ids)
    query = "subvention association conseil municipal"
    assert [i for i, _ in fresh.lexical.search(query, k=10)] == [i for i, _ in beta.lexical.search(query, k=10)]
    added = {c.id for c in beta.store.iter_chunks(spaces=["beta"]) if c.source.endswith("ajout.pdf")}
    assert added and added <= set(beta.lexical.ids)
    assert [r.source for r in beta.remove("ajout.pdf")] == ["ajout.pdf"]
    assert not added & set(beta.lexical.ids)
    assert beta.verify(check_removed=False) == []


def test_bm25_scores_match_bm25s(spaces_store: Path) -> None:
    """The partitioned index scores exactly as one bm25s index over the same passages (what it replaced)."""
    import bm25s
    import numpy as np

    from rag import tuning
    from rag.lexical import _indexed_text
    from rag.text import tokens

    kb = kb_of(spaces_store, "alpha")
    chunks = list(kb.store.iter_chunks())
    reference = bm25s.BM25(k1=tuning.BM25_K1, b=tuning.BM25_B)
    reference.index([tokens(_indexed_text(c.text, c.meta)) or ["_vide_"] for c in chunks], show_progress=False)
    for question in ("quorum du conseil municipal", "convocation des conseillers", "subvention"):
        query = [t for t in tokens(question) if t in reference.vocab_dict]
        expected = np.asarray(reference.get_scores(query))
        got = dict(kb.lexical.search(question, k=len(chunks)))
        for i, chunk in enumerate(chunks):
            assert got.get(chunk.id, 0.0) == pytest.approx(float(expected[i]), rel=1e-4, abs=1e-5)


# --- the command line, as a real subprocess -----------------------------------------------------------
def mairie(*args: str, store: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MAIRIE_STORE": str(store)}
    return subprocess.run(
        [sys.executable, "-m", "ui.cli", *args], capture_output=True, text=True, env=env, timeout=300, check=False
    )


def test_cli_search_ask_documents_article_stay_in_the_space(spaces_store: Path) -> None:
    beta_only = own_texts(spaces_store, "beta")
    result = mairie("search", "--space", "alpha", "Montpellier", "-k", "20", "--json", store=spaces_store)
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)["hits"]
    assert not [h for h in hits if h["text"] in beta_only]
    result = mairie(
        "search", "--space", "alpha", "Montpellier", "--commune", "Montpellier", "--json", store=spaces_store
    )
    assert result.returncode == 0 and json.loads(result.stdout)["hits"] == []
    result = mairie("ask", "--space", "alpha", "Qu'a décidé le conseil de Montpellier ?", "--json", store=spaces_store)
    assert result.returncode == 0, result.stderr
    assert not [c for c in json.loads(result.stdout)["citations"] if c["source"] == "beta-seul.pdf"]
    result = mairie("documents", "--space", "alpha", "--json", store=spaces_store)
    sources = {d["source"] for d in json.loads(result.stdout)}
    assert "alpha-seul.pdf" in sources and "beta-seul.pdf" not in sources
    result = mairie("article", "--space", "beta", "L2121-17", store=spaces_store)
    assert result.returncode == 0 and result.stdout.startswith("Article L2121-17")


def test_cli_remove_cannot_reach_another_space(spaces_store: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(spaces_store, store)
    result = mairie("remove", "--space", "alpha", "beta-seul.pdf", store=store)
    assert result.returncode != 0
    assert "beta-seul.pdf" in {d.source for d in kb_of(store, "beta").documents()}
    result = mairie("remove", "--space", "alpha", "PV.pdf", store=store)
    assert result.returncode == 0, result.stderr
    assert "PV.pdf" not in {d.source for d in kb_of(store, "alpha").documents()}
    assert "PV.pdf" in {d.source for d in kb_of(store, "beta").documents()}


def test_users_belong_to_spaces_with_a_role(tmp_path: Path) -> None:
    from ui import auth

    users = tmp_path / "users.json"
    auth.add_user(users, "marie", "elu", "un mot de passe", space="alpha")
    auth.add_user(users, "marie", "admin", None, space="beta")
    user = auth.authenticate(auth.load_users(users), "marie", "un mot de passe")
    assert user is not None and user.space_names("default") == ("alpha", "beta")
    assert user.in_space("alpha").role == "elu" and user.in_space("beta").is_admin
    with pytest.raises(auth.ConfigError):
        user.in_space("gamma")
    legacy = auth.User("paul", "elu")
    assert legacy.space_names("default") == ("default",)
    assert auth.User("root", auth.SERVICE).space_names("default") is None


def test_app_shows_only_the_chosen_space_of_the_user(
    spaces_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streamlit.testing.v1 import AppTest

    from ui import auth

    users = tmp_path / "accounts.json"
    auth.add_user(users, "marie", "elu", "mot-de-passe-marie", space="alpha")
    auth.add_user(users, "marie", "admin", None, space="beta")
    monkeypatch.setenv("MAIRIE_USERS_FILE", str(users))
    monkeypatch.setenv("MAIRIE_STORE", str(spaces_store))
    monkeypatch.delenv("MAIRIE_UI_HOST", raising=False)
    at = AppTest.from_file(str(REPO / "ui" / "app.py"), default_timeout=180)
    at.run()
    at.text_input[0].set_value("marie")
    at.text_input[1].set_value("mot-de-passe-marie")
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert list(at.sidebar.selectbox[0].options) == ["alpha", "beta"]
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("views/documents.py")  # an élu in alpha: no administration
    at.sidebar.selectbox[0].set_value("beta").run()
    at.switch_page("views/documents.py").run()
    assert not at.exception, at.exception
    listed = set(at.dataframe[0].value["Source"])
    assert "beta-seul.pdf" in listed and "alpha-seul.pdf" not in listed
