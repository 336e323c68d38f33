"""Session 25's evidence checks (rag.refusal.cited_reason), on real text copied from the stores' documents (`pdftotext`,
`antiword`, OCR for the scans):
- an answer to a question asking a sum, a count, a duration or an hour states such a value (`states_value`): a form's
  blanks, a duration, a price or a vote count are no count of places or children;
- a name of the question missing from the evidence while another retrieved passage writes it, whatever its rarity
  (`_named_elsewhere`);
- a compte rendu's name read only in another document's citation does not back the first cited sentence;
- a commoner noun that no quoted passage writes while an uncited retrieved passage does;
- a long stem's family shares all its letters but the last two (`_akin`).
Figures in docs/EVALUATION.md, session 25."""

from __future__ import annotations

from collections.abc import Callable

from rag import schema
from rag.question import AMOUNT, NUMBER
from rag.refusal import _akin, cited_reason, states_value
from rag.retrieve import Retrieval
from rag.schema import AnswerSentence, Chunk, Citation, ScoredChunk

# flaux 20200710-5_-_compte_rendu_du_10_juillet.doc (antiword; s24 store, a distractor there)
GOMIS_2020 = """Désignation d'un coordonnateur communal
Après en avoir délibéré Le conseil décide à l'unanimité de désigner Madame Kristel GOMIS coordonnateur d'enquête chargé de la préparation et de la réalisation des enquêtes de recensement.
Madame GOMIS Kristel, bénéficiera d'une augmentation de son régime indemnitaire (IFTS ou IHTS)."""
# flaux 20201215-3_-_note_de_synthese.doc (fresh store): the form's amounts left blank
BLANKS_2020 = (
    "Considérant que 25% des dépenses d'investissement du budget primitif 2020 peuvent être mandatés avant le vote du "
    "budget (25% de € = € sur le chapitre 21 et 25% de € = € sur le chapitre 23)"
)
# PV_DU_15_DECEMBRE_2024-tampon.pdf, p. 3 (s24 store, OCR): the same form filled in
FILLED_2023 = "(25% de 15 700 € = 3 925 € sur le chapitre 21 et 25% de 75 332 € = 18 833 € sur le chapitre 23)"
# montpellier/pdfs/2013-03-25-0000062252.pdf, p. 1 (dev store)
FOCH_2013 = (
    "Il est proposé au Conseil municipal d'approuver le tarif concernant la cession des places en amodiation des parcs "
    "de stationnement Foch Préfecture et Marché aux fleurs pour une durée de 13 ans à compter du 14 février 2013 pour "
    "toute prolongation."
)
# montpellier/pdfs/2013-03-25-0000062248.pdf, p. 1 (s22 store)
OVERTIME_2013 = (
    "Seuls les agents de catégorie C et de catégorie B sans limitation d'indice peuvent bénéficier de l'indemnisation "
    "des heures supplémentaires dont le volume mensuel ne peut excéder 25 heures."
)
# data/deliberations/preuilly-sur-claise/PV_CM_2020-07-23.pdf, p. 3, and the answer's opening built on it
CANTINE_2020 = "3.40€ pour les enfants qui déjeunent de manière régulière"
CANTINE_LEAD = (
    "Le 23 juillet 2020, le conseil municipal de Preuilly-sur-Claise a accepté les tarifs proposés pour les repas "
    "enfants à la cantine à compter de la rentrée scolaire de septembre 2020 : 3.40€ pour les enfants qui déjeunent de "
    "manière régulière (13 pour, 1 contre)"
)
# montpellier/pdfs/2013-06-17-0000064292.pdf, p. 1 (s24 store): Port Marianne's advance, two passages of one record
PORT_MARIANNE_TITLE = """Concession d'aménagement
ZAC Port Marianne - Parc Marianne
Convention d'avance de trésorerie"""
PORT_MARIANNE_2013 = """Au regard des dépenses importantes à engager pour la réalisation des infrastructures primaires de Port Marianne
incluses dans la concession, la Ville de Montpellier propose de verser une avance de trésorerie à la SERM.
Ainsi, la Ville de Montpellier versera chaque premier trimestre des années 2013, 2014, 2015 et 2016 une avance de
trésorerie de 3 000 000 € destinée à couvrir les besoins de trésorerie annuels de l'opération."""
# montpellier/pdfs/2014-05-22-0000072225.pdf, p. 1 (s24 store)
SAINT_ROCH_2014 = """Zone d'aménagement concerté Nouveau Saint Roch
Terrain 11 rue Jules Ferry (parcelle EW 562)
Le 27 février 2012, la Ville de Montpellier a vendu à la Société d'équipement de la région montpelliéraine
(SERM), concessionnaire de l'aménagement de la zone d'aménagement concerté (ZAC) Nouveau Saint Roch,
une parcelle de terrain nu de 1718 m² située 11 rue Jules Ferry, cadastrée EW 562 au prix de 295 000 €."""
# PV_DU_15_DECEMBRE_2024-tampon.pdf, p. 5 (s24 store, OCR): the questions diverses
SICTOMU_2023 = """Questions diverses
Mr le Maire fait un point sur la participation mal
Recensement des chemins ruraux
Sictomu mise en place du composteur collectif au stade, et recherche d'un référent
SICTOMU (affichage)"""
# data/deliberations/couthenans/CR_conseil_municipal_07_10_2022.pdf, p. 1
ASSOCIATIONS_2022 = """3/ Subventions aux associations :
Le budget réservé aux associations s'élève à 2000€
ASSPEC : 600€
Coopérative scolaire : 600€
Cycloclub Couthenans : 230€"""
# CGCT article L1613-2-1 (the demo store's law pack)
DGF_ARTICLE = (
    "Le montant revenant à chaque établissement public de coopération intercommunale bénéficiaire est égal à la "
    "différence entre la dotation qui lui a été notifiée au titre de la dotation globale de fonctionnement pour 2001 "
    "et la dotation qui lui aurait été notifiée au titre de la même année si la masse totale mise en répartition "
    "avait été initialement majorée de 200 millions de francs."
)


def _chunk(
    text: str,
    doc: str,
    commune: str,
    *,
    record: int | None = 0,
    kind: str = schema.KIND_DELIBERATION,
    index: int = 0,
) -> Chunk:
    meta = {
        schema.DOC_ID: doc,
        schema.COMMUNE: commune,
        schema.TITLE: "",
        schema.KIND: kind,
        schema.CHUNK_INDEX: index,
    }
    if record is not None:
        meta[schema.RECORD_INDEX] = record
    return Chunk(id=f"{doc}-{index}", text=text, meta=meta)


def _reason(
    question: str,
    cited: list[tuple[Chunk, str]],
    first: int,
    *,
    retrieved: list[Chunk] | None = None,
    idf: Callable[[str], float],
) -> str | None:
    """cited_reason for an answer quoting each (chunk, quote) as [1], [2] ... and opening with the quote of [first]."""
    citations = [Citation(n=i + 1, chunk=chunk, quote=quote) for i, (chunk, quote) in enumerate(cited)]
    hits = [ScoredChunk(chunk, 1.0) for chunk, _ in cited] + [ScoredChunk(c, 0.5) for c in retrieved or []]
    retrieval = Retrieval(hits=hits, best_dense=0.9, exact_articles=[], query_vector=None)
    lead = AnswerSentence(text=f"Le document cité précise : « {cited[first - 1][1]} » [{first}].", citations=[first])
    lines = [AnswerSentence(text=f"Document : « {c.quote} » [{c.n}]", citations=[c.n]) for c in citations]
    return cited_reason(question, retrieval, [lead, *lines], citations, idf)


def _idf(common: dict[str, float]) -> Callable[[str], float]:
    return lambda stem: common.get(stem, 5.0)


def test_a_sum_asked_is_not_stated_by_a_form_s_blanks() -> None:
    question = "Combien Flaux peut-il mandater au chapitre 21 du budget avant le vote du budget 2021 ?"
    blanks = BLANKS_2020[BLANKS_2020.index("(25%") :]
    assert not states_value(question, AMOUNT, blanks)
    # (a percentage of the whole is still a value: the passage's "25% des dépenses" answers a "combien" - a limit)
    assert states_value(question, AMOUNT, BLANKS_2020)
    assert states_value(question, AMOUNT, FILLED_2023)
    assert states_value(question, AMOUNT, "Relancé en procédure adaptée TOTAL en euros HT 446 930,36")  # a table's sum


def test_an_increase_asked_is_not_answered_by_the_increase_without_its_figure() -> None:
    chunk = _chunk(GOMIS_2020, "flaux-2020-07-10", "Flaux", record=None, kind=schema.KIND_DOCUMENT)
    quote = GOMIS_2020.splitlines()[1] + " " + GOMIS_2020.splitlines()[2]
    idf = _idf({"flaux": 0.6})
    question = (
        "De combien le régime indemnitaire de Kristel Gomis, coordonnatrice du recensement, a-t-il été augmenté ?"
    )
    assert _reason(question, [(chunk, quote)], 1, idf=idf) == "fact"
    # the same answer may be given to a question that asks no figure
    assert _reason("Qui a été désigné coordonnateur du recensement ?", [(chunk, quote)], 1, idf=idf) is None


def test_a_count_is_not_a_duration_a_price_or_a_vote() -> None:
    assert not states_value("Combien de places de stationnement compte le parc Foch Préfecture ?", NUMBER, FOCH_2013)
    # what is counted in hours is stated by hours
    assert states_value("Combien d'heures supplémentaires par mois un agent peut-il faire ?", NUMBER, OVERTIME_2013)
    question = "Combien d'enfants mangent chaque jour à la cantine de Preuilly ?"
    assert not states_value(question, NUMBER, CANTINE_2020)
    assert not states_value(question, NUMBER, CANTINE_LEAD)
    assert states_value(question, NUMBER, "La cantine accueille 45 enfants chaque jour.")


def test_a_name_missing_from_the_evidence_but_written_by_another_passage_is_a_neighbour() -> None:
    title = _chunk(PORT_MARIANNE_TITLE, "mtp-2013-265", "Montpellier", index=0)
    body = _chunk(PORT_MARIANNE_2013, "mtp-2013-265", "Montpellier", index=1)
    saint_roch = _chunk(SAINT_ROCH_2014, "mtp-2014-177", "Montpellier")
    # a small store: every name is common (the idf of the s24 store)
    idf = _idf({"vill": 0.6, "serm": 2.4, "zac": 2.4, "nouveau": 1.9, "saint": 1.8, "roch": 2.3, "montpelli": 0.2})
    idf_nouns = _idf({"avanc": 2.8, "tresorer": 2.8, **{k: idf(k) for k in ("vill", "serm", "zac", "montpelli")}})
    quote = " ".join(PORT_MARIANNE_2013.splitlines()[-2:])
    question = "Quel montant d'avance de trésorerie la Ville verse-t-elle à la SERM pour la ZAC {} ?"
    cited = [(body, quote), (title, PORT_MARIANNE_TITLE)]
    assert _reason(question.format("Nouveau Saint Roch"), cited, 1, retrieved=[saint_roch], idf=idf) == "names"
    # not retrieved anywhere: the check has nothing to compare with (the names' rarity decides, as before)
    assert _reason(question.format("Nouveau Saint Roch"), cited, 1, idf=idf) is None
    assert _reason(question.format("Port Marianne"), cited, 1, retrieved=[saint_roch], idf=idf_nouns) is None


def test_another_meeting_s_name_does_not_back_a_designation_that_names_nothing_asked() -> None:
    sictomu = _chunk(SICTOMU_2023, "flaux-2023-12-15", "Flaux", record=None, kind=schema.KIND_DOCUMENT)
    gomis = _chunk(GOMIS_2020, "flaux-2020-07-10", "Flaux", record=None, kind=schema.KIND_DOCUMENT)
    idf = _idf({"flaux": 0.6, "sictomu": 3.9, "commun": 0.7})
    cited = [(sictomu, SICTOMU_2023.splitlines()[3]), (gomis, GOMIS_2020.splitlines()[1])]
    question = "Qui a été désigné référent SICTOMU de la commune de Flaux ?"
    assert _reason(question, cited, 2, idf=idf) == "names"
    # the same two minutes, the answer opening with the item that names the SICTOMU
    assert _reason(question, cited, 1, idf=idf) is None


def test_a_noun_only_an_uncited_passage_writes_is_what_the_evidence_is_not_about() -> None:
    associations = _chunk(ASSOCIATIONS_2022, "couthenans-2022-10-07", "Couthenans", record=2)
    article = _chunk(DGF_ARTICLE, "cgct-L1613-2-1", "", record=None, kind=schema.KIND_ARTICLE)
    idf = _idf({"dotat": 2.4, "fonction": 1.4, "commun": 0.7, "global": 3.2, "couthenan": 5.3})
    question = "Quel montant de dotation globale de fonctionnement la commune de Couthenans perçoit-elle ?"
    cited = [(associations, ASSOCIATIONS_2022.splitlines()[1])]
    assert _reason(question, cited, 1, retrieved=[article], idf=idf) == "topic"
    assert _reason(question, cited, 1, idf=idf) is None  # "dotation" is too common to be asked of the evidence alone
    # a question whose nouns the quoted record writes
    assert (
        _reason("Quel budget est réservé aux associations à Couthenans ?", cited, 1, retrieved=[article], idf=idf)
        is None
    )


def test_a_long_stem_s_family_shares_all_but_its_last_two_letters() -> None:
    assert _akin({"foot"}, {"football"})  # a short stem: its first four letters
    assert _akin({"tresorer"}, {"tresorerie"})
    assert _akin({"recenseur"}, {"recensement"})
    assert not _akin({"recenseur"}, {"recett", "recevoir"})
    assert not _akin({"directeur"}, {"direction"})
