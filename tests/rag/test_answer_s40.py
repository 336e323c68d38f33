"""Session 40: what the dev half of the s40 blind set (benchmarks/other_bodies_s40) and the s39 test half, read at the
start of the session, showed the answers lacked: a vote's counts cut from their labels ("Votants :" / "30 — Pour :
30"), a year announced by the line before ("Le rapport indique pour 2024 :"), a body named by its kind before its
name ("le centre de gestion de la Dorlanne": the head of the register writes both), a fee levied as a share of a base
("8 % du coût salarial chargé")."""

from __future__ import annotations

from rag.answer import _Candidate, _typed_fact
from rag.question import AMOUNT, VOTE, asks_yes_no, gives_asked
from rag.refusal import _head_named, _numbers_met, _year_met, vocabulary
from rag.schema import Chunk, ScoredChunk
from rag.text import sentences

# Dorlanne, register of acts of 24 June 2025, card CA-2025-031, p. 1
CARD = """DÉLIBÉRATION CA n° 2025-31 Finances Publiée le 30/06/2025
Taux de la cotisation additionnelle 2026
Le taux de la cotisation additionnelle versée par les collectivités affiliées pour les missions
facultatives est porté de 0,35 % à 0,40 % de la masse salariale à compter du 1er janvier 2026. Le
taux de la cotisation obligatoire reste fixé à 0,80 %."""
HEAD = "cdg Centre de gestion de la fonction publique territoriale de la Dorlanne Au service des collectivités"


def _idf(stem: str) -> float:
    return 4.0


def test_a_votes_labels_stay_with_their_counts() -> None:
    assert sentences("TOTAL 72 950 €. Adopté à l'unanimité — Votants : 30 — Pour : 30") == [
        "TOTAL 72 950 €.",
        "Adopté à l'unanimité — Votants : 30 — Pour : 30",
    ]
    assert sentences("Le rapport indique pour 2024 : 4 126 abonnés.") == [
        "Le rapport indique pour 2024 :",
        "4 126 abonnés.",
    ]


def test_a_line_ending_in_a_colon_gives_its_year_to_the_next() -> None:
    question = "Quel était le rendement du réseau d'eau en 2024 ?"
    told = ScoredChunk(
        Chunk(
            "a", "Le rapport indique pour 2024 :\n4 126 abonnés, un rendement du réseau de 78,4 % (76,1 % en 2023).", {}
        ),
        1.0,
    )
    assert _year_met(question, told, {"2024"}, _idf, set())
    other = ScoredChunk(
        Chunk("b", "Le rapport de 2024 est présenté.\nUn rendement du réseau de 76,1 % en 2023.", {}), 1.0
    )
    assert not _year_met(question, other, {"2024"}, _idf, set())


def test_the_kind_of_a_body_named_by_the_head_is_met() -> None:
    question = "Quel taux de cotisation additionnelle le centre de gestion de la Dorlanne demandera-t-il en 2026 ?"
    met = _head_named(question, vocabulary(HEAD))
    assert {"centr", "gestion", "dorlann"} <= met
    card = ScoredChunk(Chunk("c", CARD, {}), 1.0)
    rare = {"centr": 6.0, "gestion": 5.0}  # (as in a store of a few bodies' minutes)

    def idf(stem: str) -> float:
        return rare.get(stem, 2.0)

    assert _numbers_met(question, [card], idf, met)
    # the name alone leaves "centre" the word the year must be written with: no line of the card writes it
    assert not _numbers_met(question, [card], idf, {"dorlann"})


def test_a_fee_levied_as_a_share_of_a_base_is_an_amount() -> None:
    question = "Quels frais de gestion le CDG prend-il pour un agent de remplacement ?"
    assert gives_asked(question, AMOUNT, "passent de 7,5 % à 8 % du coût salarial chargé, à compter du 1er septembre")
    assert not gives_asked("Quel prix pour un agent de remplacement ?", AMOUNT, "8 % du coût salarial chargé")


def test_a_yes_no_question_may_invert_a_verb_ending_in_t_or_d() -> None:
    assert asks_yes_no("L'accompagnement RH devient-il gratuit pour les communes de moins de 500 habitants ?")
    assert asks_yes_no("Le syndicat prend-il en charge les branchements ?")
    assert not asks_yes_no("Quel tarif la régie prend-elle pour un forfait ?")


def test_a_vote_line_of_minutes_without_records_is_not_taken_for_the_quoted_act() -> None:
    """The lycée's minutes (s40 test half, read after it was measured) are not split into records: the vote line
    best placed for "voté à l'unanimité" closes the next act, not the budget quoted."""
    budget = _Candidate(0, "Mme la proviseure présente le budget 2026.", 0.9, 0)
    other = _Candidate(0, "Votants : 20 — ADOPTÉ (unanimité)", 0.88, 5)
    ranked = {0: [budget, other]}
    assert _typed_fact(VOTE, [budget], ranked) == [other]  # (a record's passage closes one act: its vote is that act's)
    assert _typed_fact(VOTE, [budget], ranked, unread={0}) == []
