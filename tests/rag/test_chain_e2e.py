"""The answer chain end to end against a real OpenAI-compatible server (xllamacpp, small GGUF model).

The model's answers are poor; what is asserted is what the verification guarantees, not wording.
"""

from __future__ import annotations

import re

import pytest

from rag.answer import quote_parts
from rag.chain import AnswerChain
from rag.kb import KnowledgeBase
from rag.llm import OpenAIGenerator
from tests.rag.conftest_llm import llm_base_url, llm_server  # noqa: F401  (session fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.integration]

QUESTIONS = [
    "Qu'a voté le conseil municipal sur la cantine scolaire ?",
    "Quelle subvention exceptionnelle pour le club de foot de Preuilly ?",
    "Combien de conseillers doivent être présents pour que le conseil délibère ?",
]


def _chain(demo_kb: KnowledgeBase, base_url: str) -> AnswerChain:
    generator = OpenAIGenerator(base_url=base_url, model="test", timeout_s=240, max_tokens=160)
    return AnswerChain(kb=demo_kb, generator=generator)


@pytest.mark.parametrize("question", QUESTIONS)
def test_llm_answers_only_cite_given_passages_that_hold_their_facts(
    demo_kb: KnowledgeBase, llm_base_url: str, question: str  # noqa: F811
) -> None:
    chain = _chain(demo_kb, llm_base_url)
    events = list(chain.stream(question))
    assert events[-1].kind == "answer"
    answer = events[-1].answer
    assert answer is not None and answer.found
    data = answer.to_json()
    assert data["citations"], "a found answer always cites something"
    for citation in answer.citations:
        # Every quoted sentence is really in the cited passage.
        passage = "".join(citation.chunk.text.split())
        assert all("".join(part.split())[:60] in passage for part in quote_parts(citation.quote))
    if answer.mode == "extractive-fallback":
        assert any("vérifiée" in n or "extractive" in n for n in answer.notes)
    else:
        assert all(s["status"] in {"ok", "unsupported", "uncited", "invalid_citation", "unknown_reference"}
                   for s in data["sentences"])
        ok = [s for s in data["sentences"] if s["status"] == "ok"]
        assert ok and all(s["citations"] for s in ok)
        cited = {c["n"] for c in data["citations"]}
        assert cited <= {n for s in ok for n in s["citations"]}
        # Never an article or deliberation number that does not exist, unless flagged.
        for s in data["sentences"]:
            if re.search(r"L\.?\s?\d{4}-\d+", s["text"]) and s["status"] == "ok":
                assert all(chain._known_article(a) for a in re.findall(r"L\d{4}-\d+", s["text"].replace(". ", "")))


def test_absent_topic_is_refused_without_calling_the_model(demo_kb: KnowledgeBase) -> None:
    # A dead server: if the chain called it, the test would see a fallback note instead of a refusal.
    chain = AnswerChain(kb=demo_kb, generator=OpenAIGenerator(base_url="http://127.0.0.1:9/v1", model="x",
                                                              timeout_s=2, max_retries=0))
    answer = chain.invoke("Quels sont les horaires de la piscine municipale ?")
    assert not answer.found and answer.text.startswith("Je n'ai pas trouvé")


def test_server_down_gives_the_extractive_answer_with_a_note(demo_kb: KnowledgeBase) -> None:
    chain = AnswerChain(kb=demo_kb, generator=OpenAIGenerator(base_url="http://127.0.0.1:9/v1", model="x",
                                                              timeout_s=2, max_retries=0))
    answer = chain.invoke(QUESTIONS[0])
    assert answer.found and answer.mode == "extractive-fallback"
    assert answer.citations and "ne répond pas" in answer.notes[0]


def test_invented_contacts_and_references_are_caught(demo_kb: KnowledgeBase) -> None:
    """A model that invents a phone number, an article and a vote is verified and falls back."""

    class Liar:
        name = "liar"

        def stream(self, messages: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
            yield ("Le conseil a voté à l'unanimité selon l'article L2121-99 [1]. "
                   "Appelez le 01 23 45 67 89 ou ecrivez a maire@example.org [7].")

    chain = AnswerChain(kb=demo_kb, generator=Liar())
    answer = chain.invoke(QUESTIONS[0])
    assert "01 23 45 67 89" not in answer.text and "maire@example.org" not in answer.text
    statuses = {s.status for s in answer.sentences}
    assert "invalid_citation" in statuses or "unknown_reference" in statuses
    assert answer.mode == "extractive-fallback"
    assert answer.citations and all(c.chunk.text for c in answer.citations)
