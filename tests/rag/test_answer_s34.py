"""Answers fixed in session 34, on the text of the s33 blind set's documents as ingestion reads them
(benchmarks/other_bodies_s33/): the votes a person elected or designated obtained, counted on another line than the
one the answer quotes."""

from __future__ import annotations

from rag import schema
from rag.lead import _tally
from rag.schema import AnswerSentence, Chunk, Citation

# Castelbrune, procès-verbal of 27 November 2023, p. 2
DELEGATE = """Le conseil municipal décide à l'unanimité de ne pas procéder au scrutin secret. Ont obtenu : M. Rémi
CASTAGNOL, 27 voix ; M. Patrick ROUSTAN, 6 voix.
Est désigné délégué titulaire de la commune au Syndicat intercommunal d'énergies du Val-d'Ausonne :
M. Rémi CASTAGNOL"""
# Puylaurier, compte rendu sommaire of 23 June 2022, p. 1 (a two-column page: one column's lines)
ADJOINT = """Nombre de votants 15
Bulletins blancs ou nuls 2
Suffrages exprimés 13
Majorité absolue 7
Mme Odile CASSAGNES 11 voix
M.
Henri BOUSQUET 2 voix
Ayant obtenu la majorité absolue au premier tour,
est élue 2e adjointe au maire, chargée des affaires
scolaires et de la vie associative :
Mme Odile CASSAGNES"""


def _cited(text: str, quote: str) -> list[Citation]:
    meta = {schema.SOURCE: "pv.pdf", schema.PAGE: 2, schema.KIND: schema.KIND_DELIBERATION}
    return [Citation(n=1, chunk=Chunk("c", text, meta), quote=quote)]


def _opening(quote: str) -> list[AnswerSentence]:
    return [AnswerSentence(text=f"Le document cité indique : « {quote} » [1].", citations=[1])]


def test_the_votes_of_the_person_designated_follow_the_quote_naming_them() -> None:
    quote = "Est désigné délégué titulaire de la commune au Syndicat intercommunal d'énergies du Val-d'Ausonne : M. Rémi CASTAGNOL"
    question = "Qui remplace Mme BRISSAC comme délégué de Castelbrune au syndicat d'énergies du Val-d'Ausonne ?"
    said = _tally(question, _opening(quote), _cited(DELEGATE, quote))
    assert [s.text for s in said] == ["Le document cité indique aussi : « M. Rémi CASTAGNOL, 27 voix » [1]."]


def test_a_count_already_quoted_is_not_repeated_and_the_other_persons_count_is_found() -> None:
    """The quote gives M. BOUSQUET's 2 votes (the line before "Ayant obtenu"), not those of Mme CASSAGNES, elected."""
    quote = (
        "M. Henri BOUSQUET 2 voix Ayant obtenu la majorité absolue au premier tour, est élue 2e adjointe au maire, "
        "chargée des affaires scolaires et de la vie associative : Mme Odile CASSAGNES"
    )
    question = "Qui a été élu 2e adjoint à Puylaurier en juin 2022, et avec combien de voix ?"
    said = _tally(question, _opening(quote), _cited(ADJOINT, quote))
    assert [s.text for s in said] == ["Le document cité indique aussi : « Mme Odile CASSAGNES 11 voix » [1]."]


def test_no_count_is_added_to_an_answer_that_asks_no_person() -> None:
    quote = "Est désigné délégué titulaire : M. Rémi CASTAGNOL"
    assert _tally("Quel est le montant de la subvention ?", _opening(quote), _cited(DELEGATE, quote)) == []
