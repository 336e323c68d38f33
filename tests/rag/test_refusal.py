"""The refusal rule (rag.refusal: is_found, refusal_reason and their signals) on the real demo store: absent topics that share
the corpus's words are refused, answerable questions are not. The figures on the whole gold sets are
`mairie eval benchmarks/gold_demo.jsonl` and `benchmarks/gold_demo_absent.jsonl` (docs in the report)."""

from __future__ import annotations

import json

import pytest

from rag.refusal import key_nouns, unknown_names
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


def test_key_nouns_are_the_words_a_determiner_introduces_not_verbs_adjectives_or_names() -> None:
    assert key_nouns("Combien coûte l'abonnement annuel à la médiathèque ?") == ["abon", "mediathequ"]
    assert "puis" not in key_nouns("Combien paie un enfant à la cantine de Preuilly depuis septembre 2020 ?")
    assert "futur" not in key_nouns("Combien d'enfants la future maison d'assistantes maternelles accueillera ?")
    assert "lyon" not in key_nouns("Le maire de Lyon peut-il déléguer sa signature ?")


def _reason(demo_kb, question: str) -> str | None:  # type: ignore[no-untyped-def]
    retrieval = demo_kb.retriever.run(question, top_k=5, scope=demo_kb.scoper.read(question))
    demo_kb.answerer.found(question, retrieval)
    return retrieval.derived["refusal_reason"]


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        # "l'abonnement": the library passage is about a lost book; "du gymnase": about renting sports grounds
        ("Combien coûte l'abonnement annuel à la médiathèque ?", "topic"),
        ("Quel est le tarif de location du gymnase municipal ?", "topic"),
        # a question on the law itself, with only council minutes (or articles that never speak of it) nearby
        ("Quelle règle légale fixe le prix des repas servis dans les cantines scolaires ?", "law"),
        ("Quelle loi impose la nomenclature comptable M57 aux communes ?", "law"),
        # the passages use "permis" (de construire) and "chasse" (droit de), never in one place
        ("Où faire sa demande de permis de chasser ?", "topic"),
        # a number the question names that no passage writes beside what it counts ("425€ concession 50ANS")
        ("Combien coûte une concession de 40 ans au cimetière de Couthenans ?", "number"),
        # a named code, article or deliberation number that the store does not hold
        ("Que dit le code forestier sur les coupes de bois des communes ?", "scope"),
        ("Que prévoit l'article L2311-1 du CGCT sur le budget ?", "scope"),
        ("Que dit la délibération n° 2014/300 de Montpellier ?", "scope"),
    ],
)
def test_each_refusal_check_refuses_what_it_is_for(demo_kb, question: str, reason: str) -> None:  # type: ignore[no-untyped-def]
    assert _reason(demo_kb, question) == reason
    answer = demo_kb.ask(question)
    assert not answer.found and not answer.citations


@pytest.mark.parametrize(
    "question",
    [
        "Combien paie un enfant qui mange occasionnellement à la cantine de Preuilly depuis septembre 2020 ?",
        "Quel budget pour les subventions aux associations en octobre 2022 ?",
        "Le maire de Lyon peut-il déléguer sa signature ?",  # the law answers, Lyon is said not indexed
        "Combien coûte une concession de 50 ans au cimetière de Couthenans ?",
        "Que dit l'article L 2121-29 du CGCT ?",
        "Le préfet a combien de temps pour contester une délibération devant le juge ?",
    ],
)
def test_the_checks_leave_answerable_questions_answered(demo_kb, question: str) -> None:  # type: ignore[no-untyped-def]
    assert _reason(demo_kb, question) is None
    assert demo_kb.ask(question).found


def test_a_named_year_must_be_the_passages_year_or_be_written_in_it() -> None:
    from rag.refusal import _years_in

    assert _years_in("Concours des maisons fleuries 2019 ; délibération 2021-051 ; rentrée 2020-2021") == {
        "2019",
        "2020",
        "2021",
    }
    assert "2014" not in _years_in("délibération n° 2014/137")


def test_the_held_out_sets_were_written_apart_and_are_large_enough() -> None:
    from rag.evaluate import load_gold

    for name in ("gold_absent_heldout.jsonl", "gold_absent_unseen.jsonl"):
        gold = load_gold(REPO / "benchmarks" / name)
        assert len(gold) >= 30 and all(q.absent and q.kind == "absent_heldout" for q in gold)
    answerable = load_gold(REPO / "benchmarks" / "gold_answerable_heldout.jsonl")
    assert answerable and not any(q.absent for q in answerable)


def test_the_s19_held_out_sets_are_large_enough_and_check_against_their_sources() -> None:
    from rag.evaluate import load_gold

    for store in ("demo", "unseen"):
        absent = load_gold(REPO / "benchmarks" / f"gold_absent_s19_{store}.jsonl")
        answerable = load_gold(REPO / "benchmarks" / f"gold_answerable_s19_{store}.jsonl")
        assert len(absent) >= 24 and all(q.absent for q in absent)
        assert len(answerable) >= 24 and not any(q.absent for q in answerable)


def test_the_numbers_a_question_names_are_those_of_its_topic_with_what_they_count() -> None:
    from rag.refusal import question_numbers

    assert question_numbers("Quelle entreprise a obtenu le lot 3 du marché ?") == {"3": "lot"}
    assert question_numbers("Combien coûte une concession de 50 ans au cimetière ?") == {"50": "an"}
    assert question_numbers("Combien de spectateurs sur la saison 2013/2014 ?") == {"2013": "saison", "2014": "saison"}
    assert question_numbers("Quel prix de 2 500 € ou de 5,80 € en 2012 ?") == {"2500": None, "5.8": None, "2012": None}
    # dates, populations, article and deliberation numbers are read by rag.scope, not here
    assert question_numbers("Qu'a voté le conseil le 7 octobre 2022 (n° 12, 2020-045) ?") == {}
    assert question_numbers("Que dit l'article L. 2121-17 pour une commune de 3 500 habitants ? Et la M57 ?") == {}
    assert question_numbers("Combien paie un adulte pour un repas ?") == {}  # "un" is no number


def test_numbers_are_read_in_figures_and_in_words() -> None:
    from rag.refusal import _numbers

    assert _numbers("trois jours francs, 3 460,00 € HT, 17 747 spectateurs, 5.80€ le 03") >= {
        "3",
        "3460",
        "17747",
        "5.8",
    }
    assert "460" not in _numbers("3 460,00 €")


def test_prepositional_and_answer_kind_nouns_name_no_topic() -> None:
    assert key_nouns("Quel montant au titre de la cohésion sociale ?") == ["cohes"]
    assert key_nouns("Combien de voix contre la dénomination de la place ?") == ["denomin", "plac"]
