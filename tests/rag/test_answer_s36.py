"""Session 36: the person proclaimed on the line under the formula, a document's own question read with its answer."""

from __future__ import annotations

from rag import schema
from rag.answer import _Candidate, _passage_sentences, _verbatim
from rag.lead import _assembly, _candidates, _head
from rag.question import PERSON, answer_type, asks_elected, asks_vote, names_elected
from rag.retrieve import Retrieval
from rag.rows import written_vote
from rag.schema import Chunk, ScoredChunk

# Aubrette, procès-verbal of 15 July 2020, p. 1 (an election form: the count rows, then the proclamation)
PROCLAMATION = """ISSARTEL René 3 trois voix
CAMBEFORT Chantal 8 huit voix
A été proclamée présidente du syndicat et immédiatement installée :
Mme Chantal CAMBEFORT
Mme CAMBEFORT, conseillère municipale de Laroque-sur-Aubrette, prend la présidence de la séance."""


def test_the_person_proclaimed_is_read_with_the_formula_above_the_name() -> None:
    quoted = [s for _, s, _ in _passage_sentences(Chunk("p", PROCLAMATION, {schema.PAGE: 1}))]
    assert "A été proclamée présidente du syndicat et immédiatement installée : Mme Chantal CAMBEFORT" in quoted
    part = "A été proclamée présidente du syndicat et immédiatement installée : Mme Chantal CAMBEFORT"
    assert part in _candidates(PERSON, part)


def test_a_list_of_persons_elected_is_not_joined_to_its_first_name() -> None:
    chunk = Chunk(
        "p", "Ont été élus délégués titulaires du syndicat :\nM. Paul ROCHE\nMme Anne VIDAL", {schema.PAGE: 1}
    )
    assert not any("ROCHE" in s for _, s, _ in _passage_sentences(chunk))  # the list is read by its rows


def test_who_was_elected_is_answered_by_the_formula_for_the_seat_asked() -> None:
    question = "Qui a été élu à la présidence du syndicat, et avec combien de voix ?"
    assert answer_type(question) == PERSON  # the person first, the count as the second part
    assert asks_elected(question) and not asks_elected("Qui préside le syndicat ?")
    assert names_elected(
        question, "A été proclamée présidente du syndicat et immédiatement installée : Mme Chantal CAMBEFORT"
    )
    assert not names_elected(question, "Deux assesseurs sont désignés : M. Olivier PRADAYROL et Mme Nadège CARRIÉ.")
    assert not names_elected(question, "La séance est ouverte par M. René ISSARTEL, président sortant.")


# Fréchinel, procès-verbal of 23 June 2025, p. 1 (a vote column: the counts' abbreviations, then the names under them)
VOTED = """b) Tarifs de la cantine et de la garderie périscolaire. À compter du 1er septembre 2025, les
tarifs sont fixés comme suit :
Repas enfant 3,10 € 3,30 €
Adopté – P 11 / C 2 / A 1
C : M. LABARTHÈTE, Mme
PRUNIÈRES
abst. : M. BALDOUS"""


def _record_chunk(text: str, vote: str) -> Chunk:
    meta = {schema.PAGE: 1, schema.KIND: schema.KIND_DELIBERATION, schema.VOTE: vote, schema.DOC_ID: "d"}
    return Chunk("r", text, meta)


def test_the_vote_as_written_is_read_from_the_passage_over_its_wrapped_lines() -> None:
    chunk = _record_chunk(VOTED, "Adopté – P 11 / C 2 / A 1 C : M. LABARTHÈTE, Mme PRUNIÈRES abst. : M. BALDOUS")
    assert written_vote(chunk) == "Adopté – P 11 / C 2 / A 1 C : M. LABARTHÈTE, Mme PRUNIÈRES abst. : M. BALDOUS"
    assert written_vote(_record_chunk("Repas enfant 3,10 € 3,30 €", "Adopté – unan. (14)")) is None  # another passage
    # the whole line, not the counts cut from it; nothing when the passage ends inside the vote's sentence
    line = "Article 3 – Ampliation.\nAdopté à la majorité : 21 pour, 6 contre, 2 abstentions\n(contre : groupe X)"
    assert written_vote(_record_chunk(line, "21 pour, 6 contre, 2 abstentions")) == (
        "Adopté à la majorité : 21 pour, 6 contre, 2 abstentions"
    )
    cut = "DÉCISION – POINT 3\n✔ Adopté à l'unanimité – 18 pour : 18 votants, le maire de Lauzinières ne"
    assert written_vote(_record_chunk(cut, "pour : 18 votants, le maire de Lauzinières ne")) is None


def test_who_voted_against_or_whether_the_body_said_yes_asks_for_the_vote() -> None:
    assert asks_vote("Qui a voté contre les nouveaux tarifs de la cantine ?")
    assert asks_vote("Les propriétaires ont-ils accepté d'emprunter pour changer les pompes ?")
    assert not asks_vote("Combien coûte le repas enfant à partir de septembre ?")


def test_a_quote_is_read_back_from_its_passage_when_a_line_end_hyphen_was_dropped() -> None:
    text = "– attribue le lot n° 1 à l'entreprise TP GARROUSTE ET FILS (82140 Saint-\nCirvain), pour 587 340,00 € HT ;"
    retrieval = Retrieval(hits=[ScoredChunk(Chunk("c", text, {schema.PAGE: 2}), 1.0)], best_dense=1.0,
                          exact_articles=[], query_vector=None)  # fmt: skip
    rebuilt = _Candidate(0, "attribue le lot n° 1 à l'entreprise TP GARROUSTE ET FILS (82140 Saint Cirvain), pour", 0.0)
    kept = _verbatim(rebuilt, retrieval)
    assert kept is not None and kept.sentence.endswith("(82140 Saint- Cirvain), pour")
    assert _verbatim(_Candidate(0, "attribue le lot n° 2 à DALLAGES TRESSOLIER", 0.0), retrieval) is None


def test_a_communes_commission_is_named_as_the_one_that_decided_but_not_in_the_councils_minutes() -> None:
    cao = {schema.HEAD: "Commune de Vermagnac – Service de la commande publique PV CAO du 23/07/2024",
           schema.BODY: "commission d'appel d'offres"}  # fmt: skip
    council = {schema.HEAD: "Conseil municipal de Vermagnac – séance du 2 juillet 2024", schema.BODY: cao[schema.BODY]}
    assert _head("2024-07-23", "Vermagnac", _assembly(Chunk("c", "", cao))) == (
        "Le 23 juillet 2024, la commission d'appel d'offres de Vermagnac"
    )
    assert _head("2024-07-02", "Vermagnac", _assembly(Chunk("m", "", council))) == (
        "Le 2 juillet 2024, le conseil municipal de Vermagnac"  # (its agenda may list the commission's election)
    )
