"""The session 23 check on the composed answer's evidence (rag.refusal.cited_reason), on real text: the record the
answer's first sentence cites must hold the question's rare names, topic nouns and qualifiers ("le club de tennis",
"au CROUS", "en moto", "le tarif horaire", "qui était secrétaire de séance"), unless the law answers or the evidence
holds the name or the numbers that identify the thing asked about. Passages are copied from the demo PDFs and the
fresh store's PDFs (`pdftotext`); figures in docs/EVALUATION.md, session 23."""

from __future__ import annotations

from rag import schema
from rag.refusal import cited_reason, qualifiers
from rag.retrieve import Retrieval
from rag.schema import AnswerSentence, Chunk, Citation, ScoredChunk

# data/deliberations/couthenans/CR_conseil_municipal_07_10_2022.pdf, p. 1 (one record of the compte rendu)
SUBVENTIONS_2022 = """3/ Subventions aux associations :
Le budget réservé aux associations s'élève à 2000€
ASSPEC : 600€
Coopérative scolaire : 600€
Cycloclub Couthenans : 230€
13 votes pour"""
# data/deliberations/couthenans/CR_conseil_municipal_07_10_2022.pdf, p. 2 (the SIAEP's report: water only)
SIAEP_2022 = """8/ Rapport d'activité du SIAEP (Syndicat des Eaux)
750 habitants à Couthenans
Moyenne de consommation à 39 mètres cubes/habitants VS 44 de moyenne pour le SIAEP et 50 de moyenne pour la France.
Tarif 1.68€/mètre cube d'eau
Rendement du réseau de distribution : environ 83%."""
# montpellier/pdfs/2014-04-24-0000071288.pdf (fresh store): the CREPS's board, not the CROUS's
CREPS_2014 = """CREPS - Comité régional d'éducation populaire et de sport de Montpellier Langedoc-Roussillon
Désignation du représentant de la Ville
Conformément aux dispositions de l'article 1 de l'arrêté du Ministère de la Jeunesse et des Sports du 05
novembre 2007 relatif à la composition du Conseil d'administration du Centre d'Education Populaire et de
Sport de Montpellier, la Ville de Montpellier, doit être représentée au sein dudit Conseil par Monsieur le Maire
ou son représentant, ayant une voix consultative.
A été élu(e) :
- Titulaire : Monsieur le Maire
- Suppléant : Fabien ABERT"""
# data/deliberations/montpellier/2014-04-24-0000071251.pdf, p. 2 (cars by fiscal horsepower; no motorbike)
VEHICULE_2014 = """B) Véhicule personnel :
- L'utilisation du véhicule personnel n'est autorisée qu'en cas d'absence permanente ou occasionnelle de
moyen de transport en commun, pour un gain de temps avéré
Indemnités kilométriques jusqu'à 2001 km
5 chevaux fiscaux et moins 0.25€/Km
6 et 7 chevaux fiscaux 0.32€/Km
8 chevaux fiscaux et plus 0.35€/Km"""
# data/deliberations/couthenans/CR_reunion_20220121.pdf, p. 1 (attendance; no séance secretary is named)
PRESENTS_2022 = """CR du conseil municipal 21 janvier 2022
Présents : Jean-Pierre JEANROY, Nelly WIDMER, Yves LISCHKA, Jacques DELUNSCH, David TRIPOGNEY, Anne- Marie MUNINGER,
Patrick KACZMAREK, Agnès MICHELOT, Marielle SAUGET, Marc SAUGET, Adeline TEXEIRA.
Excusés : Maryline LECESTRE (pouvoir donné à M. JEANROY) / Mario VOLANTI (pouvoir donné à Mme TEXEIRA)"""


def _chunk(text: str, commune: str, *, record: int | None = 0, kind: str = schema.KIND_DELIBERATION) -> Chunk:
    meta = {schema.DOC_ID: f"doc-{hash(text)}", schema.COMMUNE: commune, schema.TITLE: "", schema.KIND: kind}
    if record is not None:
        meta[schema.RECORD_INDEX] = record
    return Chunk(id=f"c-{hash(text)}", text=text, meta=meta)


def _reason(question: str, chunk: Chunk, quote: str | None = None) -> str | None:
    """cited_reason for an answer whose first sentence quotes `chunk` [1] (its last line unless `quote` is given), as
    the extractive answer does."""
    retrieval = Retrieval(hits=[ScoredChunk(chunk, 1.0)], best_dense=0.9, exact_articles=[], query_vector=None)
    quote = quote or chunk.text.splitlines()[-1]
    sentences = [AnswerSentence(text=f"Le document cité précise : « {quote} » [1].", citations=[1])]
    return cited_reason(question, retrieval, sentences, [Citation(n=1, chunk=chunk, quote=quote)], _idf)


def _idf(stem: str) -> float:
    return 5.0  # every word rare: the check then looks at every topic word and name of the question


def test_a_row_of_another_beneficiary_does_not_answer() -> None:
    chunk = _chunk(SUBVENTIONS_2022, "Couthenans", record=2)
    # (the answer quotes a row: a quote of the vote line alone states no sum, session 25's `states_value`)
    row = "Cycloclub Couthenans : 230€"
    assert _reason("Quelle subvention a été votée pour le club de tennis ?", chunk, row) == "topic"
    assert _reason("Quelle subvention a été votée pour le Cycloclub ?", chunk, row) is None
    assert (
        _reason("Quelle subvention a été votée pour la coopérative scolaire ?", chunk, "Coopérative scolaire : 600€")
        is None
    )
    assert _reason("Quelle subvention a été votée pour le Cycloclub ?", chunk) == "fact"  # "13 votes pour"


def test_the_price_of_water_is_not_the_price_of_sewerage() -> None:
    chunk = _chunk(SIAEP_2022, "Couthenans", record=None, kind=schema.KIND_DOCUMENT)
    row = "Tarif 1.68€/mètre cube d'eau"  # (the last line's "environ 83%" is no price: session 26's `asks_money`)
    assert _reason("Quel est le prix de l'assainissement au mètre cube ?", chunk, row) == "topic"
    assert _reason("Quel est le prix de l'eau au mètre cube ?", chunk, row) is None
    assert _reason("Quel est le prix de l'eau au mètre cube ?", chunk) == "fact"


def test_a_name_the_cited_record_does_not_hold_refuses() -> None:
    chunk = _chunk(CREPS_2014, "Montpellier")
    question = "Qui est le suppléant du Maire au conseil d'administration du {} de Montpellier ?"
    assert _reason(question.format("CROUS"), chunk) == "names"
    assert _reason(question.format("CREPS"), chunk) is None


def test_a_qualifier_after_en_must_be_in_the_evidence_unless_the_numbers_identify_the_row() -> None:
    chunk = _chunk(VEHICULE_2014, "Montpellier")
    assert _reason("Quelle indemnité kilométrique pour un agent qui se déplace en moto ?", chunk) == "topic"
    # "voiture" is not written ("véhicule"), but the row of 5 horsepower is the one asked for
    assert _reason("Quelle indemnité kilométrique pour une voiture de 5 chevaux ?", chunk) is None


def test_the_role_a_qui_question_asks_about_must_be_in_the_evidence() -> None:
    chunk = _chunk(PRESENTS_2022, "Couthenans", record=None, kind=schema.KIND_DOCUMENT)
    assert _reason("Qui était secrétaire de séance au conseil municipal du 21 janvier 2022 ?", chunk) == "topic"
    assert _reason("Qui était présent au conseil municipal du 21 janvier 2022 ?", chunk) is None


def test_the_law_is_not_held_to_the_question_s_words() -> None:
    # CGCT L2121-25 (as the pack holds it): "le juge" or "le délai" of a paraphrase are not its words
    article = _chunk(
        "Le compte rendu de la séance est affiché dans la huitaine.", "", record=None, kind=schema.KIND_ARTICLE
    )
    assert _reason("Quand faut-il afficher le compte rendu de la réunion du bureau ?", article) is None


def test_qualifiers_leave_verbs_out() -> None:
    assert qualifiers("Quel est le montant mensuel de l'indemnité du maire ?") == ["mensuel"]
    assert qualifiers("Quel montant la Ville a-t-elle redistribué grâce à l'économie faite sur le buffet ?") == []
    assert qualifiers("Combien d'enfants mangent chaque jour à la cantine ?") == []
    assert qualifiers("Qui a été désigné délégué au syndicat ?") == ["delegu"]


# flaux/docs/20201215-3_-_note_de_synthese.doc (fresh store, `antiword`): the opening's hour; its "Séance levée à" is blank
FLAUX_OPENING = (
    "L'an deux mille vingt, le quinze décembre à vingt heures, le Conseil Municipal de la commune, régulièrement "
    "convoqué, s'est réuni au nombre prescrit par la loi, dans la salle du château à Huis clos, sous la présidence "
    "de Monsieur le Maire. Séance levée à"
)
# data/deliberations/preuilly-sur-claise/PV_CM_2020-07-23.pdf, p. 8
PREUILLY_END = "La séance est levée à 20H50- Le Conseil Municipal a délibéré 15 fois"


def test_the_end_of_a_seance_is_not_the_hour_it_opened() -> None:
    from rag.refusal import _hour_given

    ended = "À quelle heure la séance du conseil municipal a-t-elle été levée ?"
    assert not _hour_given(ended, FLAUX_OPENING)  # "à Huis clos" says nothing of the end
    assert _hour_given(ended, PREUILLY_END)
    assert _hour_given("À quelle heure le conseil municipal s'est-il réuni ?", FLAUX_OPENING)


# montpellier/pdfs/2013-06-17-0000064279.pdf (fresh store): the Secours populaire, not the Secours catholique
MAISONS_POUR_TOUS_2013 = """Les associations concernées sont : Face Hérault (55€), Essor (550€), Axe Sport (880€), Via Voltaire (55€),
Compagnons bâtisseurs (55€), Natyanamir (220€), Crèche bamboubulle (1100€), Secours populaire (220€) et
AVEC (220€)
Le montant de la subvention en nature est calculé en fonction des tarifs appliqués dans les Maisons pour tous,
votés lors du Conseil municipal du 25 juillet 2011."""


def test_a_name_s_lower_case_part_must_be_in_the_evidence() -> None:
    chunk = _chunk(MAISONS_POUR_TOUS_2013, "Montpellier")
    question = "Quelle aide en nature est valorisée pour le Secours {} dans les Maisons pour tous ?"
    # (the answer quotes the row's line: "quelle aide" asks a sum, which the last line does not state)
    row = MAISONS_POUR_TOUS_2013.splitlines()[1]
    assert _reason(question.format("catholique"), chunk, row) == "names"
    assert _reason(question.format("populaire"), chunk, row) is None


# data/deliberations/preuilly-sur-claise/PV_CM_2020-07-23.pdf, p. 1: "le club", never "foot"
USYP_2020 = """2020-038 SUBVENTION EXCEPTIONNELLE POUR L'Association Sportive Yzeures-Preuilly
Monsieur le Maire rappelle que deux subventions ont déjà été attribuées mais une subvention
supplémentaire de 2500€ avait été sollicitée par le club. Compte tenu des contraintes imposées par la
situation sanitaire, il en a résulté une perte de 5400 euros sur les manifestations prévues et annulées."""


def test_a_complement_is_excused_when_the_evidence_names_what_it_completes() -> None:
    chunk = _chunk(USYP_2020, "Preuilly-sur-Claise")
    # the club the record names is the one asked about; the user knows it plays football, the text does not say
    assert _reason("Quelle subvention exceptionnelle pour le club de foot ?", chunk) is None
    # a head the question writes without its determiner excuses nothing: "du mètre cube d'assainissement"
    row = "Tarif 1.68€/mètre cube d'eau"
    assert (
        _reason("Quel est le prix du mètre cube d'assainissement ?", _chunk(SIAEP_2022, "Couthenans"), row) == "topic"
    )


# ../shared/corpus/deliberations/flaux/docs/compte_rendu_du_24_sept_21.pdf (scanned: OCR text as ingestion reads it),
# the end of p. 1, then the start of p. 2: the item's heading is in the passage before the one quoted
CONTRAT_P1 = """Contrat d'assurance contre les risques statutaires et mise en concurrence
Le Maire expose que le Centre de Gestion peut souscrire un contrat d'assurance pour le compte des communes"""
CONTRAT_P2 = """entreprise d'assurance agréée et se réserve la possibilité d'y adhérer.
Ce contrat va couvrir tout ou partie des risques suivants :
> Agents affiliés à la CNRACL :
Durée du marché : 3 ans"""


def test_a_compte_rendu_item_heading_in_the_passage_before_is_evidence_and_the_duration_asked_is_no_topic() -> None:
    """Session 23: the two Flaux questions that refusal5's check refused once merged with facts6's answers."""
    before, quoted = _chunk(CONTRAT_P1, "Flaux", record=None), _chunk(CONTRAT_P2, "Flaux", record=None)
    retrieval = Retrieval(hits=[ScoredChunk(quoted, 1.0)], best_dense=0.9, exact_articles=[], query_vector=None)
    sentence = [AnswerSentence(text="Le document cité précise : « Durée du marché : 3 ans » [1].", citations=[1])]
    citation = [Citation(n=1, chunk=quoted, quote="Durée du marché : 3 ans")]
    question = (
        "Quelle est la durée du contrat d'assurance contre les risques statutaires que négocie le Centre de Gestion ?"
    )
    topic = "Quelle est la durée du contrat d'assurance contre les risques statutaires ?"
    assert cited_reason(topic, retrieval, sentence, citation, _idf) == "topic"  # "statutaires" is only before
    assert cited_reason(topic, retrieval, sentence, citation, _idf, preceding=lambda c: before) is None
    assert cited_reason(question, retrieval, sentence, citation, _idf) == "names"  # "Centre de Gestion": before
    assert cited_reason(question, retrieval, sentence, citation, _idf, preceding=lambda c: before) is None
    # "décidé de donner": the act asked about, not a topic noun the evidence must write
    grave = _chunk("La commune accorde une concession au cimetière à M. Max CABANEL pour 30 ans", "Flaux", record=None)
    retrieval = Retrieval(hits=[ScoredChunk(grave, 1.0)], best_dense=0.9, exact_articles=[], query_vector=None)
    citation = [Citation(n=1, chunk=grave, quote=grave.text)]
    sentence = [AnswerSentence(text=f"Le document cité précise : « {grave.text} » [1].", citations=[1])]
    asked = "À qui la commune a-t-elle décidé de donner une concession au cimetière ?"
    assert cited_reason(asked, retrieval, sentence, citation, _idf) is None


# ../shared/corpus/deliberations/montpellier/pdfs/2013-03-25-0000062224.pdf, p. 1 (deliberation 2013/122)
TETRA = """Réseau municipal radio TETRA
Suite à la commission d'appel d'offres en date du 5 mars 2013, il a été décidé d'attribuer le marché à
l'entreprise TALCO Languedoc pour un montant estimé de 491 167,50 € HT sur la période initiale."""


def test_the_noun_after_quel_names_the_kind_of_answer_not_a_topic_the_evidence_must_write() -> None:
    """ "Avec quel prestataire ...": the evidence names the provider (TALCO Languedoc), never the word "prestataire"
    (session 23: "avec quel promoteur" was refused although the compte rendu names Bouygues Immobilier)."""
    chunk = _chunk(TETRA, "Montpellier", record=0)
    assert _reason("Avec quel prestataire le marché du réseau radio TETRA a-t-il été conclu ?", chunk) is None
    assert _reason("Avec quel prestataire le contrat de vidéoprotection a-t-il été conclu ?", chunk) == "topic"
