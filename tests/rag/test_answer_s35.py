"""Answers fixed in session 35, on the text of the dev half of the s35 blind set as ingestion reads it
(benchmarks/other_bodies_s35/): a rejected proposal and a consultative body's opinion as operative parts, who voted
against over a line break, a length asked within a band of a tariff table, the passages of running headers ranked
after those an answer quotes, and a body or a séance named at the head of a document whose metadata missed it."""

from __future__ import annotations

from rag import schema
from rag.decision import _with_voters, extract_decision
from rag.question import asked_in_range
from rag.refusal import _numbers_met
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
