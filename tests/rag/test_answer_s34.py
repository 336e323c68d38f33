"""Answers fixed in session 34, on the text of the s33 blind set's documents and of the dev half of s34's as ingestion
reads them (benchmarks/other_bodies_s33/, other_bodies_s34/): the votes a person elected or designated obtained,
counted on another line than the one the answer quotes; a body named by the head of its document; a year inside a full
date; an acronym written out; bodies of one kind; who abstained in a vote strip."""

from __future__ import annotations

from rag import schema
from rag.decision import _vote_of
from rag.facts import fold
from rag.lead import _second_part, _tally, _vote_text
from rag.refusal import _evidence_words, _other_body_unwritten, _year_met, key_nouns, question_numbers, spelt_acronyms
from rag.retrieve import Retrieval
from rag.schema import AnswerSentence, Chunk, Citation, ScoredChunk
from rag.scope import _EVENT_DATE_RE, Scope

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


# Maison de retraite publique de Védrignac, conseil d'administration of 10 December 2024 (benchmarks/other_bodies_s34)
HEAD = (
    "Maison de retraite publique de Védrignac – EHPAD « Les Jardins du Causse » Conseil d'administration – 10.12.2024"
)
DEPENDENCY = """N° 2024-33 Tarifs journaliers afférents à la dépendance 2025 Rapporteur La directrice
Sur la base du forfait global dépendance notifié et de la coupe GIR du 14 mars 2024 (GMP de 742), le conseil
d'administration propose les tarifs dépendance suivants pour 2025 :
GIR 1-2 : 23,18 € par jour ;
GIR 3-4 : 14,71 € par jour ;
GIR 5-6 : 6,24 € par jour (ticket modérateur, à la charge de tous les résidents).
Pour un résident en chambre individuelle, le tarif journalier restant à sa charge (hébergement et ticket modérateur, avant
allocation personnalisée d'autonomie et aide au logement) s'élèvera donc à 72,66 € par jour, soit environ 2 210 € par
mois.
Voix délibératives : 9 – Pour : 9 – Contre : 0 – Abstention : 0"""


def _chunk(text: str, **meta: object) -> Chunk:
    base = {schema.SOURCE: "ehpad.pdf", schema.DOC_ID: "ehpad", schema.PAGE: 2, schema.DATE: "2024-12-10"}
    return Chunk("c", text, {**base, schema.KIND: schema.KIND_DELIBERATION, **meta})


def test_the_names_a_question_gives_the_body_by_are_read_in_its_documents_head() -> None:
    """ "l'EHPAD Les Jardins du Causse" is written only at the head of page 1: the cited page 2 is still about it."""
    chunk = _chunk(DEPENDENCY, **{schema.HEAD: HEAD})
    used = _evidence_words([chunk], Retrieval([ScoredChunk(chunk, 1.0)], 0.9, [], None), None)
    assert {"ehpad", "jardin", "causs"} <= used


def test_a_year_in_a_full_date_is_not_the_year_the_rows_are_announced_for() -> None:
    """ "la coupe GIR du 14 mars 2024 ... les tarifs dépendance suivants pour 2025 :": the rows are 2025's, and a
    question on 2024's tariffs is not answered by them."""
    hit = ScoredChunk(_chunk(DEPENDENCY), 1.0)
    question = "Quels étaient en 2024 les tarifs dépendance GIR 1-2 de l'EHPAD à Védrignac ?"
    assert not _year_met(question, hit, {"2024"}, lambda stem: 5.0, set())
    assert _year_met(question.replace("2024", "2025"), hit, {"2025"}, lambda stem: 5.0, set())


def test_an_acronym_the_passage_writes_out_is_no_unknown_name() -> None:
    assert spelt_acronyms("avant les aides comme l'APA ou l'aide au logement ?", DEPENDENCY) == {"apa"}
    assert spelt_acronyms("le montant de l'APL ?", DEPENDENCY) == set()


def test_bodies_of_the_kind_a_question_names_alone_are_alternatives() -> None:
    """ "le syndicat" names both syndicates of the store: the answer from one of them writes the other's name nowhere,
    and is no answer about two bodies."""
    either = Scope(communes=("syndicat-de-la-sarnonne", "syndicat-mixte-de-la-vireze"))
    cited = Citation(n=1, chunk=_chunk("...", **{schema.COMMUNE_KEY: "syndicat-de-la-sarnonne"}), quote="")
    assert not _other_body_unwritten(either, [cited], {"montant"})
    both = Scope(communes=("syndicat-de-la-sarnonne", "saint-jurey"))
    assert _other_body_unwritten(both, [cited], {"montant"})


def test_a_vote_strip_names_who_abstained() -> None:
    assert _vote_of(["Voix délibératives : 9 – Pour : 8 – Contre : 0 – Abstention : 1 (M. AGUESSE)"]) == (
        "8 pour, 0 contre, 1 abstention(s) (M. AGUESSE)"
    )
    assert _vote_text("8 pour, 0 contre, 1 abstention(s) (M. AGUESSE)") == "8 pour, 0 contre, 1 abstention (M. AGUESSE)"


def test_what_a_number_counts_stops_at_a_comma_and_plus_is_no_topic() -> None:
    assert question_numbers("Combien paiera-t-il par jour en 2025, avant les aides ?") == {"2025": None}
    assert "plus" not in key_nouns("La maison de retraite va-t-elle embaucher une infirmière de plus en 2025 ?")


def test_a_date_naming_an_event_is_no_seances() -> None:
    """Read after s34's test half: "le feu d'artifice de la fête du village du 12 juillet 2025 a-t-il été voté" dates
    the fête; the séance that voted it is another day."""
    folded = fold("Le feu d'artifice de la fête du village du 12 juillet 2025 a-t-il été voté à l'unanimité ?")
    assert _EVENT_DATE_RE.search(folded)
    assert not _EVENT_DATE_RE.search(fold("Qu'a voté le conseil municipal du 12 juillet 2025 ?"))


def test_set_aside_is_no_topic() -> None:
    question = (
        "Combien le syndicat a-t-il dégagé en fonctionnement, et combien en a-t-il mis de côté pour l'investissement ?"
    )
    assert "cot" not in key_nouns(question) and "invest" in key_nouns(question)


# Syndicat mixte de la Virèze, comité syndical of 21 March 2023, p. 2 (s34's test half, read)
WORKS = """CS-2023-14 Effacement du seuil du moulin de Carbonel : attribution du marché de travaux
La consultation a reçu quatre offres ; l'offre retenue s'élève à 186 420,00 € HT, inférieure à l'estimation inscrite au PPI.
Les travaux seront réalisés en période d'étiage, à partir du lundi 4 septembre 2023, pour une durée de dix semaines.
LE COMITÉ SYNDICAL DÉCIDE :
▸ d'attribuer le marché à l'entreprise TERRASSEMENTS FLUVIAUX DUPIN-LABARTHE pour 186 420,00 € HT ;
▸ d'autoriser le président à signer le marché et tout document s'y rapportant.
Adopté à l'unanimité (20 voix)."""


def test_the_second_part_of_a_question_is_answered_from_the_passage_the_opening_cites() -> None:
    """ "Quelle entreprise ... et quand commencent les travaux ?": the opening names the company; the start date is
    another sentence of the same passage, which the quotes chosen for the first part left out."""
    quote = "▸ d'attribuer le marché à l'entreprise TERRASSEMENTS FLUVIAUX DUPIN-LABARTHE pour 186 420,00 € HT ;"
    cited = [Citation(n=1, chunk=_chunk(WORKS), quote=quote)]
    opening = [
        AnswerSentence(
            text="Le 21 mars 2023, le Syndicat mixte de la Virèze a décidé : ▸ d'attribuer le marché à l'entreprise "
            "TERRASSEMENTS FLUVIAUX DUPIN-LABARTHE pour 186 420,00 € HT (unanimité) [1].",
            citations=[1],
        )
    ]
    question = "Quelle entreprise va supprimer le seuil du moulin de Carbonel et quand commencent les travaux ?"
    said = _second_part(question, opening, cited, None)
    assert said and "4 septembre 2023" in said[0].text and said[0].citations == [1]
