"""What a new question's extractive answer costs: the sentences it embeds (nearly all of its time) and the
store reads it makes, on the real demo store; the answers must be those of the complete computation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest

from rag.answer import ExtractiveAnswerer
from rag.meeting import is_meeting_formula

# Decision questions whose retrieved minutes open with the meeting's formulas (convocation, attendance),
# and one about the meeting itself, whose formulas must be embedded.
QUESTIONS = [
    "Qui sont les membres titulaires pour l'Agence Locale de l'Energie à Montpellier ?",
    "Combien de représentants du personnel siègent au comité technique paritaire de la ville de Montpellier ?",
    "Quand prendra fin le mandat des représentants du personnel dans les instances paritaires de Montpellier ?",
    "Que prévoit la délibération 2020-037 de Preuilly ?",
    "Qui présidait la séance du conseil municipal ?",
]


class _Counting:
    """The store's embedder, recording the passage texts it is asked to embed."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.passages: list[str] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def embed_passages(self, texts: Sequence[str], **kwargs: Any) -> np.ndarray:
        self.passages.extend(texts)
        return self.inner.embed_passages(texts, **kwargs)


@pytest.fixture()
def counting(demo_kb, monkeypatch: pytest.MonkeyPatch) -> _Counting:  # type: ignore[no-untyped-def]
    store = demo_kb.answerer.retriever.store
    wrapper = _Counting(store.embedder)
    monkeypatch.setattr(store, "embedder", wrapper)
    return wrapper


def test_formulas_are_not_embedded_when_other_sentences_answer(demo_kb, counting: _Counting) -> None:  # type: ignore[no-untyped-def]
    left_aside = 0
    for question in QUESTIONS[:-1]:
        counting.passages.clear()
        retrieval = demo_kb.retriever.run(question, top_k=demo_kb.settings.top_k)
        demo_kb.answerer.answer_from(question, retrieval)
        assert len(counting.passages) == len(set(counting.passages)), question  # no text embedded twice
        if retrieval.derived.get("sentences_later"):
            left_aside += 1
            assert not any(is_meeting_formula(s) for s in counting.passages if s not in _article_texts(retrieval))
    assert left_aside, "no question of the list had meeting formulas to leave aside: the test proves nothing"


def test_formulas_are_embedded_for_a_question_about_the_meeting(demo_kb, counting: _Counting) -> None:  # type: ignore[no-untyped-def]
    question = QUESTIONS[-1]
    retrieval = demo_kb.retriever.run(question, top_k=demo_kb.settings.top_k)
    demo_kb.answerer.answer_from(question, retrieval)
    assert not retrieval.derived["sentences_later"]
    assert any(is_meeting_formula(s) for s in counting.passages)


def test_answers_are_those_of_the_complete_computation(demo_kb, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    def answers() -> list[tuple[str, bool]]:
        out = []
        for question in QUESTIONS:
            retrieval = demo_kb.retriever.run(question, top_k=demo_kb.settings.top_k)
            answer = demo_kb.answerer.answer_from(question, retrieval)
            out.append((answer.text, answer.found))
        return out

    lazy = answers()
    complete = ExtractiveAnswerer._sentence_cosines

    def always_complete(self, question, retrieval, *, complete_: bool = False):  # type: ignore[no-untyped-def]
        return complete(self, question, retrieval, complete=True)

    monkeypatch.setattr(ExtractiveAnswerer, "_sentence_cosines", always_complete)
    assert answers() == lazy


def test_an_answer_reads_each_space_generation_once(demo_kb, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """The checks look up idf dozens of times; each lookup used to read every space's generation from
    Chroma. Within one answer the store is pinned: one read per space."""
    store = demo_kb.answerer.retriever.store
    question = QUESTIONS[0]
    retrieval = demo_kb.retriever.run(question, top_k=demo_kb.settings.top_k)
    generation = type(store).space_generation
    generation_reads: list[str] = []

    def counting_generation(self, space):  # type: ignore[no-untyped-def]
        pinned = getattr(self._pins, "generations", None)
        if pinned is None or space not in pinned:
            generation_reads.append(space)
        return generation(self, space)

    monkeypatch.setattr(type(store), "space_generation", counting_generation)
    answer = demo_kb.answerer.answer_from(question, retrieval)
    assert answer.found
    assert len(generation_reads) <= len(store.spaces), generation_reads


def _article_texts(retrieval) -> set[str]:  # type: ignore[no-untyped-def]
    from rag import schema
    from rag.answer import _passage_sentences

    return {
        s
        for hit in retrieval.hits
        if hit.chunk.kind == schema.KIND_ARTICLE
        for _, s, _ in _passage_sentences(hit.chunk)
    }
