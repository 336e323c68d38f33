"""The refusal rule (rag.answer.is_found and its signals) on the real demo store: absent topics that share
the corpus's words are refused, answerable questions are not. The figures on the whole gold sets are
`mairie eval benchmarks/gold_demo.jsonl` and `benchmarks/gold_demo_absent.jsonl` (docs in the report)."""

from __future__ import annotations

import json

import pytest

from rag.answer import unknown_names
from tests.conftest import REPO

pytestmark = pytest.mark.integration


def test_names_the_documents_never_use_are_found_but_not_those_at_the_start_of_a_sentence(demo_kb) -> None:  # type: ignore[no-untyped-def]
    idf = demo_kb.lexical.idf
    assert unknown_names("Quel est le taux de TVA sur les repas de la cantine ?", idf) == ["TVA"]
    assert unknown_names("Combien d'élus représentent Toulouse à la société publique locale ?", idf) == ["Toulouse"]
    assert unknown_names("Qui sont nos délégués au conseil d'administration du collège Gaston Defferre ?", idf) == []
    assert unknown_names("Quand est-ce qu'on bascule en M57 à Couthenans ?", idf) == []
    assert unknown_names("Piscine : quels horaires ?", idf) == []  # a sentence's first word is no name


@pytest.mark.parametrize(
    "question",
    [
        "Quel est le taux de TVA sur les repas de la cantine ?",  # the cantine is indexed, VAT is not
        "Combien d'élus représentent Toulouse à la société publique locale d'aménagement ?",
        "Qu'a voté le conseil municipal de Nantes sur les tarifs de la cantine ?",
        "Quelle subvention pour la banque alimentaire à Couthenans en 2018 ?",  # indexed topic, year not indexed
        "Qu'a voté le conseil municipal le 15 septembre 2021 ?",
    ],
)
def test_absent_topics_sharing_the_corpus_words_are_refused(demo_kb, question: str) -> None:  # type: ignore[no-untyped-def]
    answer = demo_kb.ask(question)
    assert not answer.found, answer.text
    assert not answer.citations


def test_answerable_questions_naming_a_commune_or_a_period_are_answered(demo_kb) -> None:  # type: ignore[no-untyped-def]
    rows = [
        json.loads(line) for line in (REPO / "benchmarks" / "gold_demo.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    asked = [
        r
        for r in rows
        if r["id"]
        in {"demo-delib-001", "demo-delib-003", "demo-delib-006", "demo-delib-009", "demo-delib-013", "demo-mixed-001"}
    ]
    assert len(asked) == 6
    for row in asked:
        answer = demo_kb.ask(row["question"])
        assert answer.found, row["question"]
        names = {c.chunk.source.rsplit("/", 1)[-1] for c in answer.citations}
        assert names & {d["path"].rsplit("/", 1)[-1] for d in row["gold_docs"]}, (row["question"], names)


def test_the_absent_gold_set_is_well_formed_and_split_in_two_halves() -> None:
    from rag.evaluate import load_gold

    gold = load_gold(REPO / "benchmarks" / "gold_demo_absent.jsonl")
    assert len(gold) >= 30 and all(q.absent for q in gold)
    assert {q.kind for q in gold} == {"absent_tune", "absent_test"}
    assert sum(q.kind == "absent_tune" for q in gold) == sum(q.kind == "absent_test" for q in gold)
