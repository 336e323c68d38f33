"""Session 28's refusal checks over the whole corpus (rag.refusal), on real text copied from its documents: a stem's IDF
read within the store's large spaces (the law beside the council's minutes makes council words look rare); a record's
other retrieved passages read with the top ones when a number is asked; a number with no word of its own met beside
the record's title, an acronym spelt out there; a closeness the dense channel could not measure in a scope taken from
the best sentence. Figures in docs/EVALUATION.md, session 28."""

from __future__ import annotations

import numpy as np

from rag import lexical, schema
from rag.french import fold
from rag.question import AMOUNT
from rag.refusal import (
    LAW_SOURCE_RE,
    cited_reason,
    key_nouns,
    question_numbers,
    relevance_signals,
    states_value,
    within_spaces,
)
from rag.refusal import _numbers_met as numbers_met
from rag.retrieve import Retrieval
from rag.schema import AnswerSentence, Chunk, Citation, ScoredChunk
from rag.scope import Scope

# montpellier/pdfs/2013-06-17-0000064311.pdf (whole-corpus store): the record's opening, first retrieved, and the
# passage naming the lots, retrieved below another record's passage
VEHICLES_TITLE = (
    "Délibération 2013/287 — Achat de véhicules à motorisation essence, diesel, GPL, électrique et hybride - Lots 3 à 9"
)
VEHICLES_OPENING = "Service Achats et Production graphique"
VEHICLES_LOTS = (
    "Lot n°3 , 4, 6, 8 et 9 à la société RENAULT RETAIL 34 078 MONTPELLIER CEDEX 3 Lot n°5 et 7 à la société GGH "
    "(PEUGEOT) 34 072 MONTPELLIER CEDEX 3 Les marchés sont conclus à compter de la date de notification jusqu’au 31 "
    "décembre 2013."
)
# montpellier/pdfs/2013-06-17-0000064160.pdf, the neighbour ranked second over the whole corpus
SECURITY = "Marchés de Sécurité et Accompagnement Evènementiel Autorisation de signer les marchés"
# montpellier/pdfs/2013-06-17-0000064297.pdf (s27 store), and its record's title
PLEAC_TITLE = "Délibération 2013/274 — Demande de subvention à la Direction Régionale des Affaires Culturelles Languedoc-Roussillon"
PLEAC = (
    "Roussillon, au titre du Plan Local d’Education Artistique et Culturelle (PLEAC) Année scolaire 2012/2013, pour un "
    "montant de 20 350 €"
)


def _hit(text: str, title: str, doc: str, record: int | None = 0, date: str = "2013-06-17") -> ScoredChunk:
    meta = {
        schema.DOC_ID: doc,
        schema.TITLE: title,
        schema.KIND: schema.KIND_DELIBERATION,
        schema.DATE: date,
        schema.CHUNK_INDEX: 0,
    }
    if record is not None:
        meta[schema.RECORD_INDEX] = record
    return ScoredChunk(Chunk(id=f"{doc}-{abs(hash(text))}", text=text, meta=meta), 0.1)


def test_a_stem_common_in_a_large_council_space_is_common_whatever_the_law_beside_it(demo_kb, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    index = demo_kb.lexical
    # the demo's hundred council passages are too few to count as a space of their own: the store's IDF, or lower
    for stem in ("vill", "cantin", "conseil", "subvent"):
        assert index.space_idf(stem) <= index.idf(stem) + 1e-9
    assert abs(index.space_idf("cantin") - index.idf("cantin")) < 0.05
    # with a lower bar, the council space counts: "Ville", in many of its passages and few of the law's, is common
    monkeypatch.setattr(lexical, "SPACE_IDF_PASSAGES", 50)
    assert index.space_idf("vill") < index.idf("vill") - 0.5
    # the checks read it through `within_spaces`; a plain function is read as given
    assert within_spaces(index.idf)("vill") == index.space_idf("vill")
    plain = {"vill": 2.0}.__getitem__
    assert within_spaces(plain) is plain


def test_a_number_asked_is_met_in_another_retrieved_passage_of_a_top_record() -> None:
    question = (
        "Quelle société fournira à la Ville de Montpellier les véhicules électriques (lots 8 et 9 du marché de 2013) ?"
    )
    opening = _hit(VEHICLES_OPENING, VEHICLES_TITLE, "64311")
    neighbour = _hit(SECURITY, "Délibération 2013/247 — " + SECURITY, "64160")
    other_record = _hit(VEHICLES_OPENING, VEHICLES_TITLE, "64311", record=1)
    lots = _hit(VEHICLES_LOTS, VEHICLES_TITLE, "64311")

    def idf(stem: str) -> float:
        return 5.0

    # the three first passages never write the lots 8 and 9; the record's passage below them does
    assert not numbers_met(question, [opening, neighbour, other_record], idf, set())
    assert numbers_met(question, [opening, neighbour, other_record, lots], idf, set())


def test_a_year_with_no_word_of_its_own_is_met_beside_the_records_title_and_its_spelt_out_acronym() -> None:
    question = (
        "Quelle somme la ville demande-t-elle à la DRAC pour l'éducation artistique dans les écoles en 2012/2013 ?"
    )
    rarity = {"drac": 6.8}

    def idf(stem: str) -> float:
        return rarity.get(stem, 2.0)  # (a small store: every other word is common)

    assert numbers_met(question, [_hit(PLEAC, PLEAC_TITLE, "64297")], idf, set())
    # not in a passage of no record (its title is only the séance's), nor under a title naming another body
    assert not numbers_met(question, [_hit(PLEAC, "Montpellier — 17 juin 2013", "cr", record=None)], idf, set())
    other = "Délibération 2013/275 — Demande de subvention au Conseil Général de l'Hérault"
    assert not numbers_met(question, [_hit(PLEAC, other, "64298")], idf, set())


def test_an_unmeasured_closeness_is_taken_from_the_best_sentence() -> None:
    question = "À quelle heure a été levée la séance du conseil municipal de Montpellier du 25 juillet 2011 ?"
    # CR_CM_25_07_2011.pdf, p. 14: over the whole corpus the dense channel kept no passage of that séance
    text = (
        "Lecture des décisions prises depuis la dernière séance publique du Conseil municipal Plus rien n'étant à "
        "délibérer, la séance est levée à 19h12."
    )
    retrieval = Retrieval([_hit(text, "Montpellier — 25 juillet 2011", "cr", record=None)], 0.0, [], np.zeros(1))

    def idf(stem: str) -> float:
        return 3.0

    assert relevance_signals(question, retrieval, idf)["best_dense"] == 0.0
    signals = relevance_signals(question, retrieval, idf, dense=0.88)
    assert signals["best_dense"] == 0.88 and signals["score"] > 0.88


# montpellier/pdfs/2013-03-25-0000062238.pdf, p. 1 (s24 store)
MITTERRAND_TITLE = (
    "Délibération 2013/127 — Ecole MITTERRAND - Aménagement des espaces extérieurs - lot n° 1- aménagement urbain"
)
MITTERRAND = (
    "Par délibération n° 2011/618 en date du 7 novembre 2011, la Ville de Montpellier a attribué le lot n° 1 du marché "
    "1H46269A, aménagement des espaces extérieurs de l’école primaire François MITTERRAND au groupement SCREG "
    "SUD-EST/SOLS MEDITERRANEE."
)


def test_a_passages_numbered_thing_is_the_questions_number() -> None:
    question = (
        "À quelle société le marché d'aménagement des espaces extérieurs de l'école François Mitterrand (lot 1) a-t-il "
        "été cédé en 2013 ?"
    )

    def idf(stem: str) -> float:
        return 3.0

    assert numbers_met(question, [_hit(MITTERRAND, MITTERRAND_TITLE, "62238", date="2013-03-25")], idf, set())
    # another lot is still not this one
    other = MITTERRAND.replace("lot n° 1", "lot n° 2")
    assert not numbers_met(question, [_hit(other, "Délibération", "62238", date="2013-03-25")], idf, set())


def test_a_currency_is_no_topic_noun() -> None:
    question = (
        "À quel taux d'intérêt la SERM emprunte-t-elle 5 millions d'euros à la Caisse des Dépôts pour le Petit Bard ?"
    )
    assert key_nouns(question) == ["taux", "interet"]


def test_the_name_of_a_role_asked_is_written_by_the_first_sentence() -> None:
    # montpellier/pdfs/2014-05-22-0000072072.pdf, p. 1 (s26 store): the attendance list, then the CLSPD's history
    clspd = (
        "Valérie BARTHAS-ORSAL, Perla DANAN, Henri DE VERBIZIER, Sonia KERANGUEVEN, Gérard LANNELONGUE. Absents : "
        "Patrick VIGNAL Cette même loi fait obligation de l’installation d’un Conseil Local de Sécurité et de Prévention "
        "de la Délinquance (CLSPD) dans les communes de plus de 10.000 habitants"
    )
    chunk = _hit(clspd, "Délibération 2014/210 — Conseil Local de Sécurité et de Prévention de la Délinquance", "72072")
    citation = Citation(n=1, chunk=chunk.chunk, quote=clspd)
    retrieval = Retrieval([chunk], 0.9, [], None)
    line = AnswerSentence(text=f"Délibération 2014/210 : « {clspd} » [1]", citations=[1])

    def idf(stem: str) -> float:
        return 2.0

    asked = "Quel est le nom du coordonnateur du CLSPD de Montpellier ?"
    assert cited_reason(asked, retrieval, [line], [citation], idf) == "topic"
    named = clspd + " Le coordonnateur du CLSPD est M. Jean DUPONT."
    citation = Citation(n=1, chunk=chunk.chunk, quote=named)
    line = AnswerSentence(text=f"Délibération 2014/210 : « {named} » [1]", citations=[1])
    assert cited_reason(asked, retrieval, [line], [citation], idf) is None


def test_a_postcode_is_no_sum() -> None:
    # montpellier/pdfs/2013-06-17-0000064310.pdf, p. 1 (s27 store): a sale's base, no price
    sale = (
        "Les prix des ventes estimés par le Service Parc Auto serviront de base aux enchères publiques organisées par le "
        "Centre 113, route départementale 613, 34 740 VENDARGUES, 9% de frais seront facturés par cette société sur les "
        "prix effectifs."
    )
    question = "À quel prix le camion plateau réformé en juin 2013 a-t-il été vendu ?"
    assert not states_value(question, AMOUNT, sale)
    assert states_value(question, AMOUNT, "vendu au prix de 12 000 EUROS à la société SOGETREL 34470 PEROLS")


def test_a_question_on_what_a_code_says_is_a_question_on_the_law() -> None:
    folded = fold(
        "D'après le code de l'action sociale et des familles, combien de membres compte au plus une commission locale "
        "d'insertion ?"
    )
    assert LAW_SOURCE_RE.search(folded)
    assert not LAW_SOURCE_RE.search(fold("Combien de membres compte la commission locale d'insertion de Montpellier ?"))


def test_an_opening_listing_dated_decisions_gives_the_year_one_of_them_has() -> None:
    question = "Quel a été le vote du conseil municipal de Montpellier sur le budget primitif 2012 ?"
    # 2013-02-04-0000061086.pdf and CR_CM_16_12_2011.pdf (whole-corpus store), listed newest first by rag.lead
    budget_2013 = _hit(
        "Conformément aux orientations définies, il est proposé au Conseil d’adopter le Budget Primitif de la Ville de "
        "Montpellier pour l’exercice 2013.",
        "Délibération 2013/1 — Exercice 2013 - Budget Primitif de la Ville de Montpellier",
        "61086",
        date="2013-02-04",
    )
    budget_2012 = _hit(
        "Max LEVITA 1 Exercice 2012 - Budget Primitif 2012 de la Ville de Montpellier - Budget Principal et Budget Annexe "
        "Pour : 46 Contre : 7 Abstention : 2 Adopté à la majorité.",
        "Délibération — Exercice 2012 - Budget Primitif 2012 de la Ville de Montpellier",
        "cr-2011-12-16",
        date="2011-12-16",
    )
    scope = Scope(years=(2012,), stems=frozenset({"montpelli", "2012"}), communes=("montpellier",))
    retrieval = Retrieval([budget_2013, budget_2012], 0.9, [], None, scope=scope)
    citations = [Citation(n=1, chunk=budget_2013.chunk, quote="x"), Citation(n=2, chunk=budget_2012.chunk, quote="y")]
    head = AnswerSentence(text="Décisions trouvées, de la plus récente à la plus ancienne :", citations=[])
    first = AnswerSentence(
        text="- Le 4 février 2013, le conseil municipal de Montpellier a délibéré sur « Exercice 2013 »", citations=[1]
    )
    second = AnswerSentence(
        text="- Le 16 décembre 2011, le conseil municipal de Montpellier a délibéré sur « Exercice 2012 »",
        citations=[2],
    )

    def idf(stem: str) -> float:
        return 2.0

    assert cited_reason(question, retrieval, [head, first, second], citations, idf) is None
    # the first decision alone, not listed: another year's
    alone = AnswerSentence(text=first.text[2:], citations=[1])
    assert cited_reason(question, retrieval, [alone], citations[:1], idf) == "year"


def test_a_verb_before_a_number_says_nothing_of_what_it_counts() -> None:
    # montpellier/pdfs/2013-02-04-0000061116.pdf, p. 2 (s27 store): the association's budget, the Ville's line
    question = "Adesso e Sempre réclamait 55 000 € en tout : combien a-t-elle obtenu au final en février 2013 ?"
    assert question_numbers(question) == {"55000": None}
    assert question_numbers("Combien coûte le forfait 30 jours ?") == {"30": "forf"}
    budget = (
        "Présentation simplifiée du compte de Résultat 2011 et du budget Prévisionnel 2013 de l’association Cie Adesso e "
        "Sempre. Autres charges 5 591 4 474 Ville 42 000 55 000"
    )
    title = "Délibération 2013/26 — Association Compagnie Adesso e Sempré Attribution de subvention"

    def idf(stem: str) -> float:
        return 3.0

    assert numbers_met(question, [_hit(budget, title, "61116", date="2013-02-04")], idf, set())
