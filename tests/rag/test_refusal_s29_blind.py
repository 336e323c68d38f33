"""Fixes made after reading the ninth blind set (session 29): the words of Montpellier deliberations of May 2014
(deliberations/montpellier/pdfs of the shared corpus) as ingestion reads them."""

from __future__ import annotations

from rag import schema
from rag.question import PERSON_RE
from rag.refusal import cited_reason, key_nouns, name_qualifiers, qualifiers, spelled_acronyms
from rag.retrieve import Retrieval
from rag.schema import AnswerSentence, Chunk, Citation, ScoredChunk
from rag.scope import Facets, parse_scope

# 2014-05-22-0000072103.pdf (the CESDA's council), p. 1
CESDA_TITLE = (
    "Délibération 2014/234 — Centre d’éducation spécialisée pour déficients auditifs Désignation du représentant de "
    "la Ville au Conseil d'établissement"
)
CESDA = (
    "A la suite du renouvellement du Conseil municipal, il convient de désigner ce représentant.\n"
    "A été élue :\n - Michèle DRAY-FITOUSSI\nLe Conseil Adopte."
)
# 2014-05-22-0000072073.pdf (Prévention spécialisée 34), p. 1
PREVENTION = "- Titulaire : Marie-Hélène SANTARELLI\n- Suppléant : Fabien ABERT"


def _chunk(text: str, title: str) -> Chunk:
    meta = {
        schema.SOURCE: "2014-05-22-0000072103.pdf",
        schema.KIND: schema.KIND_DELIBERATION,
        schema.RECORD_INDEX: 0,
        schema.DATE: "2014-05-22",
        schema.TITLE: title,
        schema.COMMUNE: "Montpellier",
    }
    return Chunk("2014-05-22-0000072103.pdf#1", text, meta)


def _common(stem: str) -> float:
    return 1.0  # no word rare: only the role check speaks


def test_a_capitalised_common_noun_is_no_town() -> None:
    facets = Facets(communes={"montpellier": "Montpellier"})
    question = "Fabien Abert représente la ville à Prévention spécialisée 34 : titulaire ou suppléant ?"
    assert parse_scope(question, facets).unknown_communes == ()
    assert parse_scope("Qu'a voté la ville à Lyon sur la cantine ?", facets).unknown_communes == ("Lyon",)


def test_acronyms_spelt_across_compounds_and_prepositions() -> None:
    assert "ime" in spelled_acronyms("Institut médico-éducatif Font Trouvée")
    assert "cesda" in spelled_acronyms(CESDA_TITLE)


def test_locutions_pronouns_and_verbs_are_no_topic_words() -> None:
    assert "vertu" not in qualifiers(
        "En vertu de quel article de ses statuts la ville désigne-t-elle un représentant ?"
    )
    assert "moto" in qualifiers("Quelle indemnité pour un déplacement en moto ?")
    assert (
        qualifiers("À quelle fédération est-elle rattachée, et combien d'associations celle-ci regroupe-t-elle ?") == []
    )
    assert name_qualifiers("Le CESDA prend en charge les tout-petits sourds dès quel âge ?", lambda stem: 9.0) == []
    assert "droit" in key_nouns("L'association a-t-elle le droit de vendre des produits ?")  # (excused by the check)


def test_an_article_before_an_acronym_is_no_person() -> None:
    assert not PERSON_RE.search("Le CESDA propose: - La prise en charge précoce des enfants")
    assert PERSON_RE.search("A été élue : - Michèle DRAY-FITOUSSI")


def _answer(quote: str, title: str) -> tuple[Retrieval, list[AnswerSentence], list[Citation]]:
    chunk = _chunk(quote, title)
    retrieval = Retrieval(hits=[ScoredChunk(chunk, 0.1)], best_dense=0.9, exact_articles=[], query_vector=None)
    citation = Citation(n=1, chunk=chunk, quote=quote)
    lead = AnswerSentence(text=f"Le document cité précise : « {quote} » [1].", citations=[1])
    return retrieval, [lead], [citation]


def test_a_representative_asked_is_any_member_designated() -> None:
    """ "Qui est la déléguée": "A été élue : - Michèle DRAY-FITOUSSI" answers; "qui est l'autre représentant":
    the seats "Titulaire", "Suppléant" do; "qui est le directeur" is still asked of a director."""
    question = "Qui est la déléguée de la ville au conseil d'établissement du centre pour enfants sourds ?"
    retrieval, sentences, citations = _answer(CESDA, CESDA_TITLE)
    assert cited_reason(question, retrieval, sentences, citations, _common) is None
    question = "Fabien Abert représente la ville : comme titulaire ou suppléant, et qui est l'autre représentant ?"
    retrieval, sentences, citations = _answer(PREVENTION, "Délibération 2014/211 — Prévention spécialisée 34")
    assert cited_reason(question, retrieval, sentences, citations, _common) is None
    question = "Qui est le directeur de l'établissement pour enfants sourds ?"
    retrieval, sentences, citations = _answer(CESDA, CESDA_TITLE)
    assert cited_reason(question, retrieval, sentences, citations, _common) == "topic"


def test_a_seat_asked_is_that_seat() -> None:
    """ "Qui est le suppléant": the one elected to a single seat is no substitute (s29's absent questions)."""
    question = "Qui est le suppléant de Michèle Dray-Fitoussi au conseil d'établissement pour enfants sourds ?"
    retrieval, sentences, citations = _answer(CESDA, CESDA_TITLE)
    assert cited_reason(question, retrieval, sentences, citations, _common) == "topic"
