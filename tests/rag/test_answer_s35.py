"""Answers fixed in session 35, on the text of the dev half of the s35 blind set as ingestion reads it
(benchmarks/other_bodies_s35/): a rejected proposal and a consultative body's opinion as operative parts, who voted
against over a line break, a length asked within a band of a tariff table, the passages of running headers ranked
after those an answer quotes, and a body or a séance named at the head of a document whose metadata missed it."""

from __future__ import annotations

from rag import schema
from rag.answer import _passage_sentences
from rag.decision import _opening, _with_voters, extract_decision
from rag.question import asked_in_range
from rag.refusal import _numbers_met, question_numbers
from rag.retrieve import _boilerplate_later
from rag.schema import Chunk, ScoredChunk

# Rochecorbe, deliberation DEL2024_015 of 15 March 2024, p. 4
REJECTED = """Le conseil municipal, après en avoir délibéré, par 5 voix pour, 8 voix contre et 1 abstention (Mme
Cécile BOUSCAYROL),
R E J E T T E
la proposition d'installation d'un dispositif de vidéoprotection et la demande de subvention
correspondante au titre du FIPD."""
# Orvaux, conseil portuaire of 16 October 2025, p. 1
OPINION = """Point n° 4 – Campagne de dragage du chenal d'accès
Le commandant du port expose que l'envasement du chenal ne permet plus l'accès des navires de pêche.
AVIS : avis favorable – 11 voix pour, 1 abstention (Mme Maryvonne BOISSONNOT)."""
# Orvaux, bordereau n° 1, p. 3
TARIFFS = """A. Plaisance – contrat annuel d'amarrage sur ponton (selon la longueur hors tout du bateau)
Longueur hors tout Tarif annuel 2025 Tarif annuel 2026
Moins de 6,00 m 838 € 865 €
De 6,00 m à 7,99 m 1 153 € 1 190 €
De 8,00 m à 9,99 m 1 565 € 1 615 €"""


def test_a_rejection_and_an_opinion_are_operative_parts() -> None:
    rejected = extract_decision(REJECTED).provisions
    assert [(p.verb, p.vote) for p in rejected] == [
        ("a rejeté", "5 pour, 8 contre, 1 abstention(s) (Mme Cécile BOUSCAYROL)")
    ]
    assert rejected[0].sentence.startswith("REJETTE la proposition d'installation d'un dispositif de vidéoprotection")
    opinion = extract_decision(OPINION).provisions
    assert len(opinion) == 1 and opinion[0].sentence.startswith("AVIS : avis favorable – 11 voix pour")


def test_who_voted_against_is_kept_when_the_names_run_over_a_line_break() -> None:
    lines = ["par 11 voix pour, 1 voix contre (M. Alain", "MAZIÈRES) et 1 abstention (Mme Sandrine LAPARRE),"]
    assert _with_voters("11 pour, 1 contre, 1 abstention(s)", lines) == (
        "11 pour, 1 contre (M. Alain MAZIÈRES), 1 abstention(s) (Mme Sandrine LAPARRE)"
    )


def test_a_length_asked_falls_in_a_band_of_the_table() -> None:
    question = "Combien coûte une place à l'année au port pour un bateau de 9 mètres ?"
    assert asked_in_range(question, "De 8,00 m à 9,99 m 1 565 € 1 615 €")
    assert not asked_in_range(question, "De 6,00 m à 7,99 m 1 153 € 1 190 €")
    hit = ScoredChunk(Chunk("t", TARIFFS, {schema.SOURCE: "orvaux.pdf", schema.PAGE: 3}), 1.0)
    assert _numbers_met(question, [hit], lambda stem: 5.0, set())
    # a length in no band of the table is not met by it
    assert not _numbers_met("Combien coûte une place pour un bateau de 14 mètres ?", [hit], lambda stem: 5.0, set())


def test_running_headers_come_after_the_passages_an_answer_quotes() -> None:
    def hit(name: str, boilerplate: bool = False) -> ScoredChunk:
        meta = {schema.SOURCE: "petr.pdf", schema.PAGE: 1, **({schema.BOILERPLATE: True} if boilerplate else {})}
        return ScoredChunk(Chunk(name, name, meta), 1.0)

    ranked = [hit("header", boilerplate=True), hit("a"), hit("b"), hit("c"), hit("d")]
    assert [h.chunk.id for h in _boilerplate_later(ranked)] == ["a", "b", "c", "header", "d"]
    assert [h.chunk.id for h in _boilerplate_later(ranked[1:3])] == ["a", "b"]


# Aubrette, procès-verbal of 15 July 2020, p. 2 (an informal item: a proposal, its rates, then "Vote : ... Adopté.")
PROPOSAL = """6. DÉLIBÉRATION N° 2020-14 – INDEMNITÉS DE FONCTION DU PRÉSIDENT ET DES VICE-PRÉSIDENTS
Vu les articles L. 5211-12 et R. 5212-1 du code général des collectivités territoriales, la présidente propose de fixer
les indemnités de fonction en pourcentage de l'indice brut terminal :
– présidente : 10,50 % de l'indice brut terminal (plafond : 12,20 %) ;
– chacun des deux vice-présidents : 4,00 % de l'indice brut terminal (plafond : 4,65 %).
Vote : 13 votants – 11 voix pour – 2 voix contre (M. Thierry COUSINIÉ, Mme Nadège CARRIÉ) – 0 abstention. Adopté."""


def test_a_proposal_announcing_its_rows_is_what_an_informal_item_decides() -> None:
    provisions = extract_decision(PROPOSAL).provisions
    assert provisions and provisions[0].rows[0].startswith("présidente : 10,50 %")


def test_a_proclamation_is_an_election_and_an_acts_title_no_operative_verb() -> None:
    assert _opening("A été proclamée présidente du syndicat et immédiatement installée :") == "a élu"
    assert _opening("ARRÊTÉ N° 2021-A-078") is None  # an act's title, not its operative "ARRÊTE :"


def test_a_question_the_document_asks_is_quoted_only_with_its_answer() -> None:
    # (session 36: alone, "Aucune décision n'a été prise." named no topic and the answer was refused)
    chunk = Chunk(
        "q",
        "Hag ar presbital kozh ?\nEt la vente de l'ancien presbytère ?\nAucune décision n'a été prise.",
        {schema.PAGE: 2},
    )
    assert [s for _, s, _ in _passage_sentences(chunk)] == [
        "Et la vente de l'ancien presbytère ? Aucune décision n'a été prise."
    ]


def test_a_figure_the_asker_rounds_is_not_one_the_text_must_write() -> None:
    assert question_numbers("Le maire parle d'environ 29 euros par an : de combien augmente la facture ?") == {}
    assert question_numbers("Combien coûte la place pour un bateau de 9 mètres ?") == {"9": "metr"}
