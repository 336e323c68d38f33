"""Session 24's refusal checks, on real text: a thing's number ("la décision modificative n°2", "le lot n°1") and a
person named with a civility ("M. Martin") must be in the cited evidence (rag.refusal.cited_reason); and, against
false refusals, a compte rendu's item heading is part of each of its sentences' context, a record's retrieved passages
hold the question's nouns together, a decision verb's infinitive is no topic noun, a one-letter misspelling of a long
word is the word, and a bare year is placed by the question's rarest noun or name (rag.refusal.relevance_signals,
rag.refusal._numbers_met). Passages are copied from the stores' documents (`pdftotext`, OCR for the scans); figures in
docs/EVALUATION.md, session 24."""

from __future__ import annotations

from collections.abc import Callable

from rag import schema
from rag.refusal import (
    _numbers_met,
    cited_reason,
    person_names,
    reference_numbers,
    relevance_signals,
)
from rag.retrieve import Retrieval
from rag.schema import AnswerSentence, Chunk, Citation, ScoredChunk

# montpellier/comptes_rendus/CR_CM_28_03_2011.pdf, p. 10 (s23 store, OCR of the scan): one item of the summary table
DM1_2011 = """Décision Modificative n°1 du budget principal de la Ville de Montpellier - Exercice
2011

Pour : 50

Contre : 7 (UMP)

Adopté à la majorité"""
# montpellier/pdfs/2013-06-17-0000064321.pdf, p. 1 (s23 store): the market's second lot, not its first
CRECHES_2013 = """Les deux lots géographiques prévus par ce marché ont permis d'attribuer le lot n°2 « Quartiers périphériques» à
l'entreprise « Les Petits Chaperons Rouges » (LPCR) pour 5 places au prix initial de 9800 € par an et par berceau."""
# montpellier/pdfs/2013-06-17-0000064295.pdf, p. 1 (unseen store): Madame Giner's parcel, route de Bionne
GINER_2013 = """Madame Andrée GINER, propriétaire de la parcelle cadastrée PN 10 – route de Bionne - d'une superficie de 4 846 m²,
propose de céder ce bien à la Ville au prix de 10 € /m2 soit un prix total de 48 460 €."""
# data/deliberations/couthenans/CR_conseil_municipal_07_10_2022.pdf, p. 1 (a compte rendu's item; no record)
MAM_2022 = """4/ Présentation d'un projet de maison d'assistante maternelle :
Mme Alcalay et Mme Nguyen présentent un projet de MAM dans le logement communal attenant à l'école.
Le logement communal est encore en travaux. L'ouverture serait demandée pour avril 2023.
Capacité d'accueil de 6 enfants maximum.
La délibération sera réalisée au prochain conseil."""
# data/deliberations/couthenans/CR_reunion_20210604.pdf, p. 4: the minutes write "befroi"
TEMPLE_2021 = """6.4 Temple
Devis pour du toit et réfection le befroi. C'est un jeune qui a été voir (sonne en sol #). A terme, la cloche va tomber.
1 DEVIS électrification cloche : 3400 €
1 devis réfection du befroi et abats-son: 12 924€
Total : 65800€"""
# flaux liste_des_deliberations_16_mai_2025.pdf (test store): the list of the séance's deliberations
FLAUX_LISTE_2025 = """Liste des délibérations votées
Le 16 MAI 2025
Approbation du procès-verbal du 04 avril 2025
Adhésion à l'association de création d'un parc naturel régional PNR
Subventions aux associations"""
# montpellier/pdfs/2013-06-17-0000064308.pdf, p. 3 (fresh store): a table row under its heading, one record
OCCE_2013 = """Attributions de subvention dans le cadre de la réussite educative:
CODE STRUCTURE NATURE  MONTANT
551 OFFICE CENTRAL DE LA COOPERATION A L'ECOLE DE L'HERAULT Fonctionnement              58 834 €
    Total           58 834 €
Les montants seront prélevés sur la ligne de crédit 1495, nature 6574, chapitre 922."""
# montpellier/pdfs/2014-05-22-0000072215.pdf, p. 2 (s22 store), séance of 22 May 2014
FISE_2014 = """La Ville de Montpellier met à disposition des espaces d'affichage publicitaire et engage différentes dépenses de
communication, constituant une subvention en nature évaluée à 72 000 €.
Enfin, il est proposé l'attribution d'une subvention à l'association FISE d'un montant de 70 000 €, qui fait
l'objet d'une délibération (et d'une convention d'attribution) complémentaire."""


def _chunk(
    text: str, commune: str, *, record: int | None = 0, kind: str = schema.KIND_DELIBERATION, date: str = ""
) -> Chunk:
    meta = {schema.DOC_ID: f"doc-{hash(text)}", schema.COMMUNE: commune, schema.TITLE: "", schema.KIND: kind}
    if record is not None:
        meta[schema.RECORD_INDEX] = record
    if date:
        meta[schema.DATE] = date
    return Chunk(id=f"c-{hash(text)}", text=text, meta=meta)


def _rare(stem: str) -> float:
    """Every word rare but the everyday ones: every check looks at every word of the question."""
    return 1.0 if stem in _COMMON else 5.0


_COMMON = {"apres", "conseil", "municipal", "associ", "vill"}


def _reason(question: str, chunk: Chunk, idf: Callable[[str], float] = _rare) -> str | None:
    """cited_reason for an answer whose first sentence quotes `chunk` [1], as the extractive answer does."""
    retrieval = Retrieval(hits=[ScoredChunk(chunk, 1.0)], best_dense=0.9, exact_articles=[], query_vector=None)
    quote = chunk.text.splitlines()[-1]
    sentences = [AnswerSentence(text=f"Le document cité précise : « {quote} » [1].", citations=[1])]
    return cited_reason(question, retrieval, sentences, [Citation(n=1, chunk=chunk, quote=quote)], idf)


def _signals(question: str, *chunks: Chunk, idf: Callable[[str], float] = _rare) -> dict[str, float]:
    retrieval = Retrieval(
        hits=[ScoredChunk(c, 1.0) for c in chunks], best_dense=0.9, exact_articles=[], query_vector=None
    )
    return relevance_signals(question, retrieval, idf)


def test_a_thing_s_number_must_be_the_evidence_s() -> None:
    chunk = _chunk(DM1_2011, "Montpellier", record=73)
    assert reference_numbers("Qui a voté contre la décision modificative n°2 du budget 2011 ?") == [
        ("modificative", "2")
    ]
    assert (
        _reason("Qui a voté contre la décision modificative n°2 du budget 2011 de Montpellier ?", chunk) == "reference"
    )
    assert _reason("Qui a voté contre la décision modificative n°1 du budget 2011 de Montpellier ?", chunk) is None


def test_a_quote_giving_another_lot_does_not_answer_for_this_one() -> None:
    chunk = _chunk(CRECHES_2013, "Montpellier")
    question = "Quel est le prix d'un berceau dans le lot n°{} de ce marché ?"
    assert _reason(question.format(1), chunk) == "reference"
    assert _reason(question.format(2), chunk) is None


def test_a_deliberation_number_is_left_to_the_scope() -> None:
    assert reference_numbers("Que contient la délibération n° 2014/300 du conseil municipal de Montpellier ?") == []


def test_a_person_named_with_a_civility_must_be_in_the_evidence_however_common_the_name() -> None:
    chunk = _chunk(GINER_2013, "Montpellier")

    def idf(stem: str) -> float:
        return 2.0 if stem in ("martin", "mme", "vill") else 5.0  # "Martin" is written all over the corpus

    assert person_names("Quel prix pour la parcelle de M. Martin ?") == ["martin"]
    assert _reason("Quel prix la Ville a-t-elle payé pour la parcelle de M. Martin, route de Bionne ?", chunk, idf) == (
        "names"
    )
    assert (
        _reason("Quel prix la Ville a-t-elle payé pour la parcelle de Mme Giner, route de Bionne ?", chunk, idf) is None
    )


def test_a_compte_rendu_s_item_heading_is_the_context_of_its_lines() -> None:
    chunk = _chunk(MAM_2022, "Couthenans", record=None, kind=schema.KIND_DOCUMENT)
    signals = _signals("Combien d'enfants la future maison d'assistantes maternelles pourra-t-elle accueillir ?", chunk)
    assert signals["scattered_nouns"] == 0.0
    # a topic the item does not hold is still missing
    assert _signals("Combien d'enfants la crèche pourra-t-elle accueillir ?", chunk)["missing_nouns"] == 1.0


def test_a_record_holds_its_nouns_together() -> None:
    question = "Quelle subvention l'Office central de la coopération reçoit-il pour la réussite éducative ?"
    assert _signals(question, _chunk(OCCE_2013, "Montpellier", record=0))["scattered_nouns"] == 0.0


def test_a_one_letter_misspelling_is_the_word() -> None:
    chunk = _chunk(TEMPLE_2021, "Couthenans", record=None, kind=schema.KIND_DOCUMENT)
    assert _signals("Combien coûte la réfection du beffroi du temple d'après le devis ?", chunk)["missing_nouns"] == 0.0
    assert (
        _signals("Combien coûte la réfection de la charpente du temple d'après le devis ?", chunk)["missing_nouns"]
        == 1.0
    )


def test_the_act_a_decision_verb_introduces_is_no_topic_noun() -> None:
    chunk = _chunk(FLAUX_LISTE_2025, "Flaux", record=None, kind=schema.KIND_DOCUMENT)
    question = "À quelle association le conseil municipal de Flaux a-t-il décidé d'adhérer en mai 2025 ?"
    assert _signals(question, chunk)["missing_nouns"] == 0.0
    assert (
        _signals("À quelle association le conseil a-t-il décidé de verser une cotisation ?", chunk)["missing_nouns"]
        == 1.0
    )


def test_a_bare_year_is_placed_by_the_question_s_rarest_noun_or_name() -> None:
    chunk = _chunk(FISE_2014, "Montpellier", date="2014-05-22")

    def idf(stem: str) -> float:
        return {"argent": 5.0, "fis": 3.2}.get(stem, 1.5)  # "en argent" rarer than the association's name

    question = "Quelle subvention en argent la Ville propose-t-elle d'attribuer à l'association {} en 2014 ?"
    assert _numbers_met(question.format("FISE"), [ScoredChunk(chunk, 1.0)], idf, set())
    other = _chunk(FISE_2014, "Montpellier", date="2013-06-17")  # the same text voted in another year
    assert not _numbers_met(question.format("FISE"), [ScoredChunk(other, 1.0)], idf, set())


def test_a_name_of_middling_rarity_must_be_in_the_evidence_too() -> None:
    chunk = _chunk(GINER_2013, "Montpellier")

    def idf(stem: str) -> float:
        # in a small store a street or a ZAC is written in a few documents: rarer than "Ville", not rare
        return {"mend": 3.0, "bion": 3.0, "vill": 1.2, "mme": 1.5}.get(stem, 5.0)

    assert _reason("Quel prix la Ville a-t-elle payé pour la parcelle de Mme Giner, route de Mende ?", chunk, idf) == (
        "names"
    )
    assert (
        _reason("Quel prix la Ville a-t-elle payé pour la parcelle de Mme Giner, route de Bionne ?", chunk, idf) is None
    )


# montpellier/pdfs/2013-02-04-0000061117.pdf, p. 2 (dev store), séance of 4 February 2013: the 2013 subsidy
VISTA_2013 = """Considérant que les objectifs poursuivis par La Vista - Théâtre de la Méditerranée s'inscrivent pleinement dans
la politique culturelle de la Ville il est proposé d'attribuer à cette association une subvention de  50 000 euros
pour son fonctionnement et de 15 000 euros pour le dispositif « Pass Vista » et de passer une convention de
partenariat, jointe en annexe, avec la dite association. Le budget étant également joint en annexe."""


def test_the_year_asked_must_be_the_cited_record_s_or_written_in_it() -> None:
    from rag.scope import Scope

    chunk = _chunk(VISTA_2013, "Montpellier", date="2013-02-04")

    def reason(year: int) -> str | None:
        retrieval = Retrieval(
            hits=[ScoredChunk(chunk, 1.0)],
            best_dense=0.9,
            exact_articles=[],
            query_vector=None,
            scope=Scope(years=(year,), stems=frozenset({str(year)})),
        )
        quote = "il est proposé d'attribuer à cette association une subvention de 50 000 euros"
        sentences = [AnswerSentence(text=f"Le document cité précise : « {quote} » [1].", citations=[1])]
        return cited_reason(
            f"Quelle subvention la Ville a-t-elle accordée au théâtre La Vista en {year} ?",
            retrieval,
            sentences,
            [Citation(n=1, chunk=chunk, quote=quote)],
            _rare,
        )

    assert reason(2012) == "year"
    assert reason(2013) is None


# flaux compte_rendu_du_11_mars_2021.pdf, p. 4 (s22 store, OCR of the scan): the page header's date, then the item
FLAUX_EMPRUNT_2021 = """Date de la ceuvocation :
5 mars 2021
Objet :
Compte rendu
conseil muoicipal du
11 mars 2021
4/5
Emprunt à court terme
Suite au projet de réhabilitation du lavoir du Hameau des Auvis, monsieur le Maire
propose de recourir à un emprunt à court terme sur 2 ans pour l'intégralité du
montant total T. T. C, de l'opération, soit 35 000.00 €."""


def test_a_date_in_a_scanned_page_header_is_no_item_heading() -> None:
    from rag.refusal import _ITEM_HEADING_RE, _amount_beside_topic

    assert not _ITEM_HEADING_RE.match("5 mars 2021")
    assert not _ITEM_HEADING_RE.match("12 Décembre 2011")
    assert _ITEM_HEADING_RE.match("6.5.2 Panneau Pocket")
    hit = ScoredChunk(
        _chunk(FLAUX_EMPRUNT_2021, "Flaux", record=None, kind=schema.KIND_DOCUMENT, date="2021-03-11"), 1.0
    )
    question = "Quel montant le conseil de Flaux a-t-il emprunté à court terme pour réhabiliter le lavoir des Auvis ?"
    assert _amount_beside_topic(question, [hit], [hit], _rare, {"flaux"})


# flaux PV_DU_9_JUIN_2023-tampon.pdf, p. 5-6 (s23 store, OCR of the scan): an item opens at the end of one passage
# and its designations are in the next, after the page's stamp
FLAUX_PV_2023_BEFORE = """Monsieur le Maire demande aux membres du conseil municipal de l'autorisation à
signer la promesse de bail
Vote : à l'unanimité
Renouvellement membres de la commission de contrôle des listes électorales
(2023-2026)
Le Maire expose aux membres du conseil municipal que le mandat des membres de la
commission de contrôle des listes électorales de la commune arrive à son terme."""
FLAUX_PV_2023 = """Reçu en préfecture le 05/10/2023
Il convient donc de procéder au renouvellement
pour une nouvelle période de 3 ans (2023-2026).
Monsieur le Maire propose de laisser les membres de la commission de contrôle
actuels à savoir :
Délégué de l'administration : Mr DIEUL Fabrice titulaire
Mme VERDAN Marie-Claude suppléant
Délégué du Tribunal judiciaire : Mr Laurent RODILLA
Vote : à l'unanimité
Questions diverses"""


def test_a_passage_goes_on_with_the_item_opened_at_the_end_of_the_one_before() -> None:
    def chunk(text: str, index: int) -> Chunk:
        meta = {schema.DOC_ID: "pv-2023-06-09", schema.COMMUNE: "Flaux", schema.TITLE: "", schema.CHUNK_INDEX: index}
        meta[schema.KIND] = schema.KIND_DOCUMENT
        return Chunk(id=f"pv-{index}", text=text, meta=meta)

    before, passage = chunk(FLAUX_PV_2023_BEFORE, 5), chunk(FLAUX_PV_2023, 6)
    hits = [ScoredChunk(passage, 1.0), ScoredChunk(before, 0.9)]  # both retrieved, as in the s23 store
    retrieval = Retrieval(hits=hits, best_dense=0.9, exact_articles=[], query_vector=None)
    question = "Qui est le délégué du tribunal judiciaire à la commission de contrôle des listes électorales ?"
    # the lists in one passage, the tribunal's delegate in the other: scattered, unless the item goes on
    assert relevance_signals(question, retrieval, _rare)["scattered_nouns"] == 1.0
    assert (
        relevance_signals(question, retrieval, _rare, lambda c: before if c.id == "pv-6" else None)["scattered_nouns"]
        == 0.0
    )
    # a passage whose passage before ends with a vote goes on with no item
    closed = chunk(FLAUX_PV_2023_BEFORE.split("Renouvellement")[0], 5)
    assert (
        relevance_signals(question, retrieval, _rare, lambda c: closed if c.id == "pv-6" else None)["scattered_nouns"]
        == 1.0
    )


# data/deliberations/preuilly-sur-claise/PV_CM_2020-07-23.pdf, p. 8 (questions diverses: no designation) and p. 4
SMICTOM_2020 = """Ordures ménagères :
Mme Chevry indique que des personnes lui ont fait remarquer une  hausse des tarifs avec moins de
services.
M. le Maire demande à M. Thoreau de faire remonter l'information au SMICTOM.
M. Véron informe que les ordures ménagères sont transformées en bio-gaz à Loches."""
CVS_2020 = """2020-043  CONSEIL DE VIE SOCIALE : Désignation d'un délégué
Monsieur le Maire expose qu'il convient de désigner un délégué  du Conseil Municipal pour représenter
la Commune au Conseil de vie sociale à  l'EHPAD
DESIGNE comme  Délégué : M. ROBERT Henri"""


def test_the_role_a_qui_question_asks_about_must_be_in_the_evidence_however_common() -> None:
    def idf(stem: str) -> float:
        return {"delegu": 3.4, "deleg": 3.4, "preuilly": 1.0, "conseil": 1.0}.get(stem, 5.0)  # "délégué": common

    smictom = _chunk(SMICTOM_2020, "Preuilly-sur-Claise", record=None, kind=schema.KIND_DOCUMENT)
    assert _reason("Qui a été désigné délégué de Preuilly au SMICTOM ?", smictom, idf) == "topic"
    cvs = _chunk(CVS_2020, "Preuilly-sur-Claise", record=5)
    assert _reason("Qui a été désigné délégué de Preuilly au conseil de vie sociale de l'EHPAD ?", cvs, idf) is None


def test_a_deliberation_s_number_with_n_is_left_to_the_scope_and_a_title_is_evidence() -> None:
    assert reference_numbers("Que dit la délibération n°12 du conseil municipal ?") == []
    chunk = Chunk(
        id="dm1",
        text="Pour : 50\nContre : 7 (UMP)\nAdopté à la majorité",
        meta={
            schema.DOC_ID: "cr-2011-03-28",
            schema.COMMUNE: "Montpellier",
            schema.TITLE: "Délibération « Décision Modificative n°1 du budget principal de la Ville de Montpellier »",
            schema.KIND: schema.KIND_DELIBERATION,
            schema.RECORD_INDEX: 73,
        },
    )
    assert _reason("Qui a voté contre la décision modificative n°1 du budget principal ?", chunk) is None
    assert _reason("Qui a voté contre la décision modificative n°2 du budget principal ?", chunk) == "reference"
