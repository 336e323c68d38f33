"""Designations, votes written in prose, rows under a heading and passages next to the one found
(issue 15, facts on layouts no rule was written for). Pure functions first, then the demo corpus."""

from __future__ import annotations

import pytest

from rag import schema
from rag.citations import strip_citations
from rag.decision import designates, extract_decision
from rag.facts import extract_facts, index_passage, missing_facts
from rag.rows import record_siblings, row_block

INTRO = "Voici ce que disent les documents indexés :"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Titulaire : M. CHARRIER Jean-Paul", True),
        ("- Monsieur Jean-Paul Charrier, Maire, qui représentera la commune", True),
        ("Suppléants : Bruno BERNARD - Henri ROBERT", True),
        ("A été élue : - Stéphanie JANNIN", True),
        ("Délégué titulaire : Madame Annie MARTIN", True),
        # Capitalised phrases that PERSON_RE takes for names, designating nobody.
        ("un représentant élu parmi les membres du Comité de Programmation LEADER 2014-2020", False),
        ("Madame la Maire rappelle les tarifs", False),
    ],
)
def test_designates_a_person_after_a_civility_or_a_seat_label(text: str, expected: bool) -> None:
    assert designates(text) is expected


def test_a_row_is_quoted_with_the_heading_it_sits_under() -> None:
    lines = [
        "Désignation des délégués aux syndicats",
        "Syndicat des eaux de la vallée (SEV)",
        "Titulaires : Annie MARTIN - Paul DURAND",
        "- Suppléants : Marc PETIT - Lise BLANC",
        "Commission des finances :",
    ]
    assert row_block(lines, 2) == (
        "Syndicat des eaux de la vallée (SEV) Titulaires : Annie MARTIN - Paul DURAND - Suppléants : Marc PETIT - Lise BLANC"
    )
    # From the second row of the block, the heading is still found above the first one.
    assert row_block(lines, 3).startswith("Syndicat des eaux de la vallée (SEV) Titulaires")


def test_a_row_deep_in_a_table_or_under_a_sentence_stays_alone() -> None:
    table = ["Subventions accordées :", *(f"- Association {n} : {n} 000 €" for n in range(1, 8))]
    assert row_block(table, 6) == "Association 6 : 6 000 €"
    prose = ["Le conseil municipal a examiné la proposition du maire.", "Titulaire : Annie MARTIN"]
    assert row_block(prose, 1) == "Titulaire : Annie MARTIN"


def test_a_gap_marker_in_the_passage_is_never_part_of_a_quoted_block() -> None:
    # A record's passage may open with its title, "[…]", then the rest: a quote holding "[…]" would not
    # be found in the passage once split on its gaps.
    assert row_block(["1 Plan de déplacements urbains", "[…]", "Pour : 53"], 2) == "Pour : 53"
    lines = ["1 Plan de déplacements urbains", "[…]", "12 Subvention à l'université", "Pour : 53"]
    assert row_block(lines, 3) == "12 Subvention à l'université Pour : 53"


@pytest.mark.parametrize(
    ("text", "verb", "vote"),
    [
        (
            "Le conseil municipal, après en avoir délibéré, décide à la majorité des suffrages exprimés "
            "d'adhérer au groupement de commandes.",
            "a décidé",
            "à la majorité des suffrages exprimés",
        ),
        (
            "M. PETIT ne prend pas part au vote, le conseil municipal après en avoir délibéré décide à la "
            "majorité absolue\nArticle 1 :\nD'attribuer une aide de 300 €.",
            "a décidé",
            "à la majorité absolue",
        ),
        (
            "Le conseil municipal, après en avoir délibéré, décide par 12 voix pour et 2 abstentions "
            "d'attribuer une subvention de 300 € au club.",
            "a décidé",
            "12 pour, 2 abstention(s)",
        ),
        ("Le conseil municipal vote à l'unanimité des membres présents les tarifs suivants :", "a voté", "unanimité"),
    ],
)
def test_a_vote_written_in_prose_is_the_provision_vote(text: str, verb: str, vote: str) -> None:
    provision = extract_decision(text).provisions[0]
    assert (provision.verb, provision.vote) == (verb, vote)
    assert "Article 1" not in provision.sentence  # the next part is not glued to the operative sentence


def test_a_table_flattened_one_cell_a_line_gives_label_and_amount_rows() -> None:
    text = (
        "Le Conseil Municipal, à l'unanimité vote les tarifs 2021 suivants :\nSalle des fêtes\nhabitants\n"
        "150.00 €\nExtérieurs\n300.00 €\nQuestions diverses"
    )
    provision = extract_decision(text).provisions[0]
    assert provision.verb == "a voté" and provision.vote == "unanimité"
    assert provision.rows == ["Salle des fêtes habitants 150.00 €", "Extérieurs 300.00 €"]


def _lead(text: str) -> str:
    assert INTRO in text, text
    return text.split(INTRO)[0].strip()


def test_who_represents_opens_with_the_person_designated_not_a_capitalised_phrase(demo_kb) -> None:  # type: ignore[no-untyped-def]
    answer = demo_kb.ask("Qui représente la commune au comité de programmation LEADER ?")
    lead = _lead(answer.text)
    assert "Monsieur Jean-Paul Charrier, Maire, qui représentera la commune" in lead
    cited = {c.n: c.chunk for c in answer.citations}
    n = int(lead.rsplit("[", 1)[1].split("]")[0])
    assert cited[n].meta[schema.DELIB_ID] == "2020-040"
    facts = extract_facts(strip_citations(lead), with_names=True)
    assert not missing_facts(facts, [index_passage(cited[n])], strict=True)[1]


def test_a_passage_outside_any_record_reads_its_neighbours(demo_kb) -> None:  # type: ignore[no-untyped-def]
    store = demo_kb.store
    outside = next(
        c for c in store.find({schema.KIND: schema.KIND_DOCUMENT}) if int(c.meta.get(schema.CHUNK_INDEX, 0)) > 0
    )
    neighbours = record_siblings(outside, store, {outside.id})
    index = outside.meta[schema.CHUNK_INDEX]
    assert neighbours and {c.meta[schema.CHUNK_INDEX] for c in neighbours} <= {index - 1, index + 1}
    assert {c.meta[schema.DOC_ID] for c in neighbours} == {outside.meta[schema.DOC_ID]}
