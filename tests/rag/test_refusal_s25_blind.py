"""Checks fixed on session 25's blind set (benchmarks/gold_decisions_s25.jsonl), on real text of its documents
(`pdftotext`): a question on the text a local act relies on is answered by the act when it writes the reference
(`_reference_in_record`); the kind of answer asked ("À quelles dates") is no topic the evidence must write
(`asked_nouns`); "contractuel" is the civil service's "non titulaire" (rag.thesaurus); "niveau de diplôme" asks no pay level; a row's label left empty names no one
(`_label_left_empty`); a name spelt out in capitalised words is its acronym (`spelled_acronyms`)."""

from __future__ import annotations

from rag import schema
from rag.question import LEVEL, answer_type
from rag.refusal import _label_left_empty, _reference_in_record, asked_nouns, key_nouns, spelled_acronyms, vocabulary
from rag.schema import AnswerSentence, Chunk, Citation, ScoredChunk
from rag.scope import Scope
from rag.thesaurus import synonyms_by_stem

# montpellier/pdfs/2013-06-17-0000064314.pdf, p. 1
AVENIR_2013 = (
    "Les emplois d'avenir, dans le cadre de la loi n° 2012-1189 du 26 octobre 2012, offrent les outils adaptés et "
    "qualifiés. Ce dispositif est étendu, comme le permet la loi, aux jeunes diplômés jusqu'à Bac+3 issus des ZUS."
)
# the same deliberation's opening, which names no text
AVENIR_OPENING = (
    "Le gouvernement a affirmé comme objectif prioritaire la lutte contre le chômage, en particulier celui des jeunes "
    "peu qualifiés. Les emplois d'avenir offrent une première expérience professionnelle."
)


def _hit(text: str, kind: str = schema.KIND_DELIBERATION) -> ScoredChunk:
    meta = {schema.DOC_ID: "2013-06-17-0000064314.pdf", schema.COMMUNE: "Montpellier", schema.KIND: kind}
    return ScoredChunk(Chunk(id=str(hash(text)), text=text, meta=meta), 1.0)


def _idf(stem: str) -> float:
    return 5.0


JUNE_2013 = Scope(communes=(), month="2013-06", stems=frozenset({"2013", "juin"}))


def test_the_act_answers_the_text_it_relies_on_when_it_writes_the_reference() -> None:
    question = "Sur quelle loi s'appuie la délibération de juin 2013 sur les emplois d'avenir ?"
    assert _reference_in_record(question, [_hit(AVENIR_2013)], JUNE_2013, _idf)
    assert not _reference_in_record(question, [_hit(AVENIR_OPENING)], JUNE_2013, _idf)


def test_a_question_on_the_law_itself_is_still_the_laws() -> None:
    question = "Quelle loi encadre les emplois d'avenir ?"  # no act, no period: the law's articles must answer
    assert not _reference_in_record(question, [_hit(AVENIR_2013)], None, _idf)


def test_the_kind_of_answer_asked_is_no_topic_noun() -> None:
    question = "À quelles dates s'est déroulée l'enquête publique avant le déclassement de la parcelle ?"
    nouns = set(key_nouns(question))
    assert "dates" in nouns and "dates" in asked_nouns(question)
    assert not asked_nouns(question) & {"enquet", "declass", "parcel"}


def test_a_contract_agent_is_a_non_titulaire() -> None:
    groups = synonyms_by_stem("les ingénieurs contractuels recrutés en avril 2014")
    assert any("titulair" in group for group in groups.values())


def test_a_name_spelt_out_in_capitalised_words_is_its_acronym() -> None:
    # montpellier/pdfs/2014-04-24-0000071257.pdf, p. 1: the title spells out the question's "SAEML"
    title = "Société Anonyme d'Economie Mixte Locale MONTPELLIER EVENTS"
    assert "saeml" in vocabulary(title)
    assert "ccas" in spelled_acronyms("le Centre Communal d'Action Sociale de la commune")
    # a name in lower case, or words in capitals, spell nothing
    assert "zus" not in spelled_acronyms("issus des zones urbaines sensibles")
    assert "me" not in spelled_acronyms(title) and "mev" not in spelled_acronyms(title)


def test_a_diploma_level_is_not_a_pay_level() -> None:
    assert answer_type("Jusqu'à quel niveau de diplôme les jeunes des ZUS peuvent-ils en bénéficier ?") != LEVEL
    assert answer_type("Quel niveau de rémunération pour les ingénieurs contractuels ?") == LEVEL


def test_a_row_label_left_empty_names_no_one() -> None:
    # montpellier/pdfs/2014-05-22-0000072065.pdf, p. 1: the row for Montpellier II has no name (gold_s25_absent)
    question = "Qui représente la ville au conseil d'administration de l'Université Montpellier II ?"
    empty = AnswerSentence("Le document cité précise : « Université Montpellier II Titulaire : » [3].", [3])
    evidence = AnswerSentence(
        "Délibération 2014/207, Montpellier, séance du 22 mai 2014, 2014-05-22-0000072065.pdf, p. 2 : « Université "
        "Montpellier III Titulaire : - Samira SALOMON » [1]",
        [1],
    )
    quoted = Citation(n=1, chunk=_hit("").chunk, quote="Université Montpellier III Titulaire : - Samira SALOMON")
    assert _label_left_empty(question, empty, [empty, evidence], [quoted])
    # the same evidence sentence, were it no quoted passage, would name someone
    assert not _label_left_empty(question, empty, [empty, evidence], [])
    # montpellier/pdfs/2014-05-22-0000072077.pdf, p. 1 (s22): the sentence names the president, then a list follows
    president = AnswerSentence(
        "Le document cité précise : « A cette fin, il est proposé de renforcer l'attractivité commerciale de cette "
        "place en créant une instance de concertation, présidée par M Pascal KRZYZANSKI, adjoint au quartier, et "
        "composée des membres suivants : » [1].",
        [1],
    )
    assert not _label_left_empty("Qui préside la commission d'animation du parvis ?", president, [president], [])
