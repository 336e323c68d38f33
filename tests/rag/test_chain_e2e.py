"""The answer chain end to end against a real OpenAI-compatible server (xllamacpp, small GGUF model).

The model's answers are poor; what is asserted is what the verification guarantees, not wording.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from rag.answer import quote_parts
from rag.chain import AnswerChain
from rag.generators import ModelGenerator
from rag.kb import KnowledgeBase
from rag.llm import OpenAIChatModel
from tests.rag.conftest_llm import llm_base_url, llm_server  # noqa: F401  (session fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.integration]

QUESTIONS = [
    "Qu'a voté le conseil municipal sur la cantine scolaire ?",
    "Quelle subvention exceptionnelle pour le club de foot de Preuilly ?",
    "Combien de conseillers doivent être présents pour que le conseil délibère ?",
]


def _chain(demo_kb: KnowledgeBase, base_url: str, **model_options: Any) -> AnswerChain:
    model = OpenAIChatModel(base_url=base_url, model="test", **model_options)
    return demo_kb.answer_chain(ModelGenerator(name="openai", model=model))


@pytest.mark.parametrize("question", QUESTIONS)
def test_llm_answers_only_cite_given_passages_that_hold_their_facts(
    demo_kb: KnowledgeBase,
    llm_base_url: str,  # noqa: F811  (the fixture imported above)
    question: str,
) -> None:
    chain = _chain(demo_kb, llm_base_url, timeout_s=240, max_tokens=160)
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
        assert all(
            s["status"] in {"ok", "unsupported", "uncited", "invalid_citation", "unknown_reference"}
            for s in data["sentences"]
        )
        ok = [s for s in data["sentences"] if s["status"] == "ok"]
        assert ok and all(s["citations"] for s in ok)
        cited = {c["n"] for c in data["citations"]}
        assert cited <= {n for s in ok for n in s["citations"]}
        # Never an article or deliberation number that does not exist, unless flagged.
        for s in data["sentences"]:
            if re.search(r"L\.?\s?\d{4}-\d+", s["text"]) and s["status"] == "ok":
                assert all(
                    chain.verifier.known_article(a) for a in re.findall(r"L\d{4}-\d+", s["text"].replace(". ", ""))
                )
