"""The shared law's BM25 partition is one object for every view of a process (what `mairie serve` opens,
one view per space), and a write to the law through one view is seen, once, by all the others."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest.service import ingest_files
from rag.spaces import LAW_SPACE
from tests.test_spaces import kb_of, spaces_store  # noqa: F401  (the module's store)

pytestmark = pytest.mark.integration


def _law_partition(kb):  # type: ignore[no-untyped-def]
    return next(p for p in kb.lexical._parts if p.space == LAW_SPACE)


def test_views_share_the_law_partition_and_see_its_changes(spaces_store: Path, tmp_path: Path) -> None:  # noqa: F811
    store = tmp_path / "store"
    shutil.copytree(spaces_store, store)
    alpha, beta = kb_of(store, "alpha"), kb_of(store, "beta")
    query = "quorum du conseil municipal"
    before = {space: kb.lexical.search(query, k=20) for space, kb in (("alpha", alpha), ("beta", beta))}
    law = _law_partition(alpha)
    assert law is _law_partition(beta)  # one copy of the law for both views
    assert law.state.ids and set(law.state.ids) <= set(alpha.lexical.ids) & set(beta.lexical.ids)
    own = {p.space: p for kb in (alpha, beta) for p in kb.lexical._parts if p.space != LAW_SPACE}
    assert own["alpha"] is not own["beta"]

    # A law article written through alpha's view: beta's view finds it by its words, the law is read once.
    folder = tmp_path / "cgct"
    folder.mkdir()
    (folder / "article-l2121-99.md").write_text(
        "# Article L2121-99\n\nLe registre des délibérations porte la mention zyxwvutal de chaque séance.\n",
        encoding="utf-8",
    )
    version = law.version
    assert not ingest_files([folder], kb=alpha).failed
    assert [d.space for d in alpha.documents() if d.source.endswith("article-l2121-99.md")] == [LAW_SPACE]
    hits = beta.lexical.search("zyxwvutal", k=5)
    assert hits and all(i in set(law.state.ids) for i, _ in hits)
    assert law.version == version + 1  # refreshed once, by the first view that looked
    assert [i for i, _ in alpha.lexical.search("zyxwvutal", k=5)] == [
        i for i, _ in hits
    ]  # scores: each view's statistics
    # A view built from scratch in this process (its own partitions read from disk) scores the same.
    for space, kb in (("alpha", alpha), ("beta", beta)):
        fresh = kb_of(store, space)
        assert fresh.lexical.search(query, k=20) == kb.lexical.search(query, k=20)
    assert before["alpha"] and before["beta"]
    assert alpha.verify(check_removed=False) == [] and beta.verify(check_removed=False) == []
