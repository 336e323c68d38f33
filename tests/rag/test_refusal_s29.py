"""Refusal checks fixed in session 29 on gold.jsonl's whole-corpus refusals: the passages of the shared corpus as
ingestion reads them (Preuilly-sur-Claise PV of 2020-07-23 p. 5, Couthenans compte rendu of 2021-06-04 p. 2,
Montpellier deliberation 2013/138 p. 1, article R2333-105-1 of the CGCT)."""

from __future__ import annotations

from rag import schema
from rag.refusal import _asked_given, _numbers_met, _titled, described_counts, refusal_checks
from rag.retrieve import Retrieval
from rag.schema import AnswerSentence, Chunk, Citation, ScoredChunk
from rag.scope import Scope
from tests.rag.record_store import council_hit

ORANGE = (
    "2020- 047 REDEVANCE POUR OCCUPATION DU DOMAINE PUBLIC PAR ORANGE\nA ce jour, les modalités de calcul de la "
    "revalorisation du montant des redevances prévues à l’article\nR20-53 du Code des Postes et communications "
    "électroniques l’article R20-53, prévoient que les\nredevances sont révisées au 1er Janvier de chaque année :\n\n"
    "Les calculs effectués en tenant compte de ces nouveaux éléments s’établissent comme suit :\nArtères en aérien      "
    ": 55.44 € du km linéaire\nArtères souterraines : 41.66 € du km linéaire\nLa redevance s’établit comme suit :\n\n"
    "Redevance 2020 longueur Prix unitaire Total\nArtère aérienne 12.753 kms 55.44€ 707.03€\nArtère en sous-sol "
    "25.077 kms 41.66€        1044.70€\n  TOTAUX 1751.73€\n\nLe conseil Municipal après en avoir délibéré,\nACCEPTE "
    "ces modalités de calcul et charge le Maire d’émettre le titre de 1751,73 euros."
)
R2333_105_1 = (
    "Article R2333-105-1 — Section 11 : Redevances dues pour le transport et la distribution de l'électricité, du gaz "
    "et pour les oléoducs (R) > Sous-section 1 : Distribution et transport d'électricité (R).\nLa redevance due chaque "
    "année à une commune pour l'occupation provisoire de son domaine public par les chantiers de travaux sur des "
    "ouvrages du réseau public de transport d'électricité est fixée par le conseil municipal dans la limite du plafond "
    "suivant :\n\nPR'T= 0,35* LT\n\nOù :\n\nLT représente la longueur, exprimée en mètres, des lignes de transport "
    "d'électricité installées et remplacées sur le domaine public communal et mises en service au cours de l'année "
    "précédant celle au titre de laquelle la redevance est due."
)
ARCHIVES = (
    "4 Archivage\n\nTarif de 250€ / jour & mission de 5 jours => soit 1250€ au total.\nC’est une obligation pour les "
    "communes d’avoir les archives à jour et organisées.\nVote pour faire venir l’archiviste et faire le travail "
    "proposé : Vote : 14 pour / 0 contre / 0 abstention"
)
ARCHIVES_TITLE = "Délibération — Archivage : Vote pour faire venir l’archiviste et faire le travail proposé"
TAXES = (
    "Taux d'imposition de la Ville de Montpellier pour 2013\nMax LEVITA rapporte :\nLe produit fiscal d’une "
    "collectivité est le résultat du produit entre les bases d’imposition (déterminées par les\nservices fiscaux) et "
    "les taux (votés par l’assemblée délibérante).\nLes Services Fiscaux viennent de notifier à la Ville de "
    "Montpellier les bases d’imposition prévisionnelles pour\n2013.\nNotification des bases d’imposition :\nLes bases "
    "notifiées par les services fiscaux pour 2013 s’élèvent à :\n• Taxe d’Habitation :    337 397 000 €\n• Taxe sur "
    "le Foncier Bâti :   326 729 000 €\n• Taxe sur le Foncier Non Bâti :         457 400 €"
)


def _article(text: str, number: str) -> ScoredChunk:
    meta = {
        schema.SOURCE: f"{number}.md",
        schema.KIND: schema.KIND_ARTICLE,
        schema.ARTICLE: number,
        schema.TITLE: f"Article {number}",
    }
    return ScoredChunk(Chunk(f"{number}.md", text, meta), 0.05)


def _rare(stem: str) -> float:
    return 5.0  # every word rare: every noun of the question is a topic noun


def test_a_year_asked_is_the_council_passages_not_the_laws() -> None:
    """The article on electricity lines names "lignes" and no year; the council's Orange fee of 2020 answers."""
    question = "Combien Orange nous verse de redevance pour ses lignes sur le domaine public en 2020 ?"
    hits = [council_hit(ORANGE, "PV_CM_2020-07-23.pdf", "2020-07-23"), _article(R2333_105_1, "R2333-105-1")]
    scope = Scope(years=(2020,), stems=frozenset({"2020"}))
    retrieval = Retrieval(hits=hits, best_dense=0.9, exact_articles=[], query_vector=None, scope=scope)
    assert "year" not in list(refusal_checks(question, retrieval, 0.0, _rare))
    other = Scope(years=(2021,), stems=frozenset({"2021"}))
    retrieval = Retrieval(hits=hits, best_dense=0.9, exact_articles=[], query_vector=None, scope=other)
    assert "year" in list(refusal_checks(question.replace("2020", "2021"), retrieval, 0.0, _rare))


def test_a_count_in_words_after_a_definite_determiner_describes() -> None:
    question = (
        "Montpellier 2013 : quel produit fiscal attendu des 3 taxes locales ?"  # (as rag.refusal.respelt writes it)
    )
    hits = [council_hit(TAXES, "2013-03-25-0000062249.pdf", "2013-03-25")]
    met = {"2013", "montpelli"}
    assert described_counts("Montpellier 2013 : quel produit fiscal attendu des trois taxes locales ?") == {"3"}
    assert _numbers_met(question, hits, _rare, met, described={"3"})
    assert not _numbers_met(question, hits, _rare, met)  # "3" beside "taxes" is written nowhere
    assert described_counts("Que coûte une concession de trente ans ?") == set()


def test_a_record_titled_with_every_rare_noun_is_close_enough() -> None:
    hit = council_hit(ARCHIVES, "CR_reunion_20210604.pdf", "2021-06-04", ARCHIVES_TITLE)
    assert _titled("Combien va coûter l'archiviste pour remettre les archives en ordre ?", hit, _rare, None)
    # a value of the kind asked must be there: the record gives a price and a duration, no hour
    assert _titled("Combien de temps l'archiviste passera-t-il sur les archives ?", hit, _rare, None)
    assert not _titled("À quelle heure l'archiviste arrive-t-il aux archives ?", hit, _rare, None)
    # every rare noun: the record's title does not name the cemetery
    assert not _titled("Combien coûte l'archiviste du cimetière ?", hit, _rare, None)
    article = _article(R2333_105_1, "R2333-105-1")
    assert not _titled("Combien coûte la redevance ?", article, _rare, None)


def test_the_city_asks_what_the_council_decided() -> None:
    """ "la ville" is the council's word (the law says "la commune"): a question with "doit-elle" is no longer the law's;
    "une ville de plus de 3 500 habitants" still is."""
    from rag.retrieve import question_intent

    assert question_intent("Combien d'élus municipaux la ville doit-elle avoir dans la commission ?", local=False) == ""
    assert question_intent("Qui représente la ville au conseil d'administration du lycée ?", local=False) == "local"
    question = "Pour une ville de plus de 3500 habitants, c'est quoi le délai de convocation des conseillers ?"
    assert question_intent(question, local=False) == "rule"


# 2014-05-22-0000072214.pdf (modules préfabriqués in schools), p. 1, as the answer quotes it
MODULES = (
    "Valérie BARTHAS-ORSAL, Perla DANAN, Henri DE VERBIZIER, Sonia KERANGUEVEN, Gérard LANNELONGUE. […] Mise en place "
    "de modules préfabriqués - Diverses écoles […] Ecoles élémentaire et maternelle Jean MACE – Paul ELUARD, pose de "
    "modules pour la création de salles d’activités, de dortoirs et de sanitaires complémentaires pour un montant de "
    "750 000€TTC."
)
# 2013-03-25-0000062244.pdf (the boulodrome Ernest Onillon), p. 1; 2013-03-25-0000062218.pdf (rue René Etiemble), p. 2
BOULODROME = (
    "Boulodrome Ernest Onillon […] Afin de permettre le développement du Club Saint Martin, il y a lieu de prévoir "
    "l’agrandissement des locaux associatifs sur le boulodrome Ernest Onillon."
)
NOTAIRE = "de saisir Maître Salles, notaire à Montpellier, pour rédiger l’acte notarié aux frais de la Ville ;"


def _quoted(quote: str) -> tuple[list[AnswerSentence], list[Citation]]:
    chunk = council_hit(quote, "x.pdf", "2014-05-22").chunk
    line = f"Délibération, x.pdf, p. 1 : « {quote} » [1]"
    return [AnswerSentence(text=line, citations=[1], status="ok")], [Citation(n=1, chunk=chunk, quote=quote)]


def test_a_company_asked_is_named_by_no_person() -> None:
    """The schools' namesakes and the councillors present supply no modules; a firm in capitals does."""
    question = "Quelle société fournit les modules préfabriqués installés dans les écoles Jean Macé ?"
    assert not _asked_given(question, *_quoted(MODULES))
    assert _asked_given(question, *_quoted(MODULES + " Le marché est attribué à la société ALGECO."))


def test_a_person_asked_by_trade_is_named() -> None:
    assert not _asked_given(
        "Quel architecte a dessiné l'extension du boulodrome Ernest Onillon ?", *_quoted(BOULODROME)
    )
    question = "Quel notaire est chargé de l'acte pour le classement de la rue René Etiemble ?"
    assert _asked_given(question, *_quoted(NOTAIRE))


# 2013-06-17-0000064271.pdf (IBM's site at Grabels), p. 1; PV_CM_2020-07-23.pdf (Preuilly-sur-Claise), p. 8
IBM = (
    "Le site d’hébergement de serveurs informatiques de Grabels comptabilisera sur son site jusqu’à treize personnes. "
    "Huit agents d’IBM et deux gestionnaires des installations techniques seront présents de 8h à 12h et de 14h à 18h, "
    "ainsi que trois gardes fonctionnant en 3x8, 7j/7 et 365 jours par an."
)
COMMUNES = "10 Communes sélectionnées dont Preuilly sur Claise et 5 seulement seront retenues."


def test_a_sum_of_money_asked_is_no_duration() -> None:
    assert not _asked_given("Combien IBM investit-il dans l'extension de son site de Grabels ?", *_quoted(IBM))


def test_a_count_is_of_the_things_counted() -> None:
    assert not _asked_given("Combien d'habitants compte Preuilly-sur-Claise ?", *_quoted(COMMUNES))
    assert _asked_given("Combien de personnes travailleront sur le site de Grabels ?", *_quoted(IBM))
    assert _asked_given("Combien de communes ont été sélectionnées ?", *_quoted(COMMUNES))
    # a number alone counts what the question counts (CR_reunion_20210604.pdf, Couthenans, p. 5)
    assert _asked_given("Combien d'habitants ont répondu aux sondages ?", *_quoted("Nrb de résultats reçus : 86"))


# 2013-06-17-0000064271.pdf (IBM France's data centre), p. 1; article R134-24 of the CRPA
IBM_RECORD = (
    "Installations Classées pour la Protection de l’Environnement\nCompagnie IBM France (SAS)\nAutorisation "
    "d’exploiter un centre d’hébergement de serveurs informatiques\nJacques TOUCHON rapporte :\nPar arrêté préfectoral "
    "n° 2013-I-563 en date du 21 mars 2013, Monsieur le Préfet de l’Hérault a ordonné\nl’ouverture d’une enquête "
    "publique, qui s’est déroulée du jeudi 18 avril 2013 au vendredi 31 mai 2013 inclus"
)
R134_24 = (
    "Article R134-24 — Chapitre IV : Enquêtes publiques > Section 5 : Observations formulées au cours de l'enquête\n"
    "Pendant le délai fixé par l'arrêté prévu à l'article R. 134-10, des observations sur le projet peuvent être "
    "consignées, par toute personne intéressée, directement sur les registres d'enquête"
)


def test_names_only_the_council_writes_make_a_council_question() -> None:
    """The law on public inquiries names no IBM: the question is about the council's opinion on IBM's request."""
    from rag.retrieve import names_council_only

    idf = _unseen_idf_of({"ibm"})
    hits = [_article(R134_24, "R134-24"), council_hit(IBM_RECORD, "2013-06-17-0000064271.pdf", "2013-06-17")]
    assert names_council_only("À quelles dates a eu lieu l'enquête publique sur la demande d'IBM France ?", hits, idf)
    assert not names_council_only("À quelles dates a lieu une enquête publique ?", hits, idf)  # no name
    law = [_article(R134_24 + " IBM", "R134-24"), hits[1]]
    assert not names_council_only("À quelles dates a eu lieu l'enquête publique sur la demande d'IBM ?", law, idf)


def _unseen_idf_of(rare: set[str]):  # type: ignore[no-untyped-def]
    return lambda stem: 9.0 if stem in rare else 1.0
