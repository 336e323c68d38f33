"""Session 23 (issue 15): key facts on scanned minutes. Each behaviour is checked on OCR text of scanned Flaux
comptes rendus as the loader reads it (MAIRIE_CACHE_DIR/ocr): a tariff's rows cut from the header that gives their
year (compte_rendu_conseil_municipal_26_novembre_2021.pdf p. 3), a rate right after the words it is the rate of
(same document, p. 2), a two-column row read one cell under the other (compte_rendu_du_25_mars_2022_1_.pdf p. 2)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from rag import schema
from rag.decision import logical_lines
from rag.lead import lead_sentences
from rag.meeting import asks_about_meeting
from rag.question import AMOUNT, DATE, answer_type, gives, gives_asked, names_reference, references, value_named
from rag.refusal import _header_years, _numbers_met, _year_met
from rag.rows import label_value_row, previous_passage, typed_row, year_header
from rag.schema import Chunk, Citation, Document, ScoredChunk
from rag.settings import Settings
from rag.store import ChromaStore, doc_id_for
from rag.text import sentences


def _flat(_: str) -> float:
    return 1.0  # every word weighs the same: the choice rests on the layout, not on the index's statistics


def _store(
    tmp_path: Path, cache: Path, source: str, texts: list[str], pages: list[int], date: str = "2021-11-26"
) -> tuple[list[ScoredChunk], ChromaStore]:
    """The passages of one compte rendu (not split into records) written to a real store, in order."""
    doc_id = doc_id_for(source)
    chunks = [
        Chunk(f"{doc_id}-{i}", text, {schema.SOURCE: source, schema.DOC_ID: doc_id, schema.CHUNK_INDEX: i,
                                      schema.PAGE: page, schema.PAGE_END: page, schema.DATE: date,
                                      schema.COMMUNE: "Flaux", schema.KIND: schema.KIND_DOCUMENT})
        for i, (text, page) in enumerate(zip(texts, pages, strict=True))
    ]  # fmt: skip
    store = ChromaStore(settings=Settings(store=tmp_path / "store", cache_dir=cache))
    vectors = np.eye(len(chunks), 8, dtype=np.float32)  # the vectors play no part in reading rows
    store.write_documents([Document(source, doc_id, "0" * 64, "document", source, chunks)], embeddings=vectors)
    return [ScoredChunk(chunk=c, score=1.0) for c in chunks], store


# compte_rendu_conseil_municipal_26_novembre_2021.pdf, p. 3 (OCR): the header "pour l'année 2022" ends one passage,
# the tariff's rows open the next.
WATER_HEADER = """Eau et assainissement + Conditions de actu Récu efééfécture le 07/02/2022
Afilché le

Monsieur le Maire expose qu'il convient, commel lhgoe1apate-2der fiasFlauxoR261 12021-DE

conditions de facturation de l'eau et de l'assainissement pour l'année 2022,
Ïl est proposé de

1- Maintenir les 2 périodes : estivale : juin à septembre
hivernale : octobre À mai

2 Maintenir le prix du m d’eau assainie À 1,02 €,"""
WATER_ROWS = """3 Maintenir Le prix des abonnements
Eau : 45 € par an
Assainissement : 45 € par an

1e tranche On à 80 nv 142€/r8
[2 tranche [8m 1.33 m5

6- Les taux de redevances sont fixées annuellement par l'Agence de Peau :
+ préservation de la ressource en eau 0,068 calculé sur les volumes de 2020

Vote : à l'unanirnité"""


def test_a_tariffs_rows_inherit_the_year_of_the_header_ending_the_passage_before(
    tmp_path: Path, embedding_cache: Path
) -> None:
    source = "compte_rendu_conseil_municipal_26_novembre_2021.pdf"
    hits, store = _store(tmp_path, embedding_cache, source, [WATER_HEADER, WATER_ROWS], [3, 3])
    header, rows = hits
    assert previous_passage(rows.chunk, store).id == header.chunk.id  # type: ignore[union-attr]
    assert previous_passage(header.chunk, store) is None

    # In the refusal checks: "pour 2022" is met by the rows on the subscription under "pour l'année 2022".
    question = "Quel est le prix de l'abonnement à l'eau à Flaux pour 2022 ?"

    def header_of(hit: ScoredChunk) -> set[str]:
        return _header_years(hit, lambda c: previous_passage(c, store))

    assert header_of(rows) == {"2022"}
    assert _numbers_met(question, [rows], _flat, {"flaux"}, header_of)
    assert not _numbers_met(question, [rows], _flat, {"flaux"})  # the rows alone write no 2022
    assert _year_met(question, rows, {"2022"}, _flat, {"flaux"}, header_of(rows))
    assert not _year_met(question, rows, {"2022"}, _flat, {"flaux"})
    # Another year is not: the header gives 2022 only.
    assert not _numbers_met(question.replace("2022", "2023"), [rows], _flat, {"flaux"}, header_of)

    # In the answer's evidence: the header is quoted from the passage before, cited with the rows.
    found = year_header(rows.chunk, store, {"2022"})
    assert found is not None and found[0].id == header.chunk.id
    assert found[2].startswith("conditions de facturation de l'eau et de l'assainissement pour l'année 2022,")
    assert year_header(rows.chunk, store, {"2023"}) is None
    assert year_header(header.chunk, store, {"2022"}) is None  # it writes the year itself


def test_a_header_on_another_page_is_not_inherited(tmp_path: Path, embedding_cache: Path) -> None:
    source = "compte_rendu_conseil_municipal_26_novembre_2021.pdf"
    hits, store = _store(tmp_path, embedding_cache, source, [WATER_HEADER, WATER_ROWS], [2, 3])
    rows = hits[1]
    assert _header_years(rows, lambda c: previous_passage(c, store)) == set()
    assert year_header(rows.chunk, store, {"2022"}) is None


def test_the_m3_of_a_price_is_its_unit_not_its_topic(tmp_path: Path, embedding_cache: Path) -> None:
    # The OCR lost the "3" of "m3" ("le prix du m d'eau assainie"): the year is met beside the water and sewage.
    hits, _ = _store(
        tmp_path, embedding_cache, "compte_rendu_conseil_municipal_26_novembre_2021.pdf", [WATER_HEADER], [3]
    )
    question = "Quel est le prix du m3 d'eau assainie fixé par Flaux pour 2022 ?"
    assert _numbers_met(question, hits, _flat, {"flaux", "2022"})
    assert not _numbers_met(question.replace("2022", "2019"), hits, _flat, {"flaux"})


def test_the_tariffs_opening_quotes_the_value_after_its_label() -> None:
    # "Eau :" then "45 € par an Assainissement :" (the splitter cuts after each colon): the opening goes on to the
    # value the last label announces, never ends on "Assainissement :".
    quote = "3 Maintenir Le prix des abonnements Eau : 45 € par an Assainissement : 45 € par an"
    meta = {schema.SOURCE: "compte_rendu_conseil_municipal_26_novembre_2021.pdf", schema.KIND: schema.KIND_DOCUMENT}
    citation = Citation(n=1, chunk=Chunk(id="c1", text=WATER_ROWS, meta=meta), quote=quote)
    lead = lead_sentences("Quel est le prix de l'abonnement à l'eau à Flaux pour 2022 ?", [citation])
    assert lead and "45 € par an" in lead[0].text and not lead[0].text.endswith("Assainissement : » [1]."), lead


# compte_rendu_conseil_municipal_26_novembre_2021.pdf, p. 2 (OCR): two rates of two items, both naming CNRACL.
CONTRIBUTION = (
    "D'accepter qu'en contre partie de la mission définie dans la convention, la collectivité verse une contribution"
    " fixée à 0,25 % de la masse salariale CNRACL et IROANTEC servant d'assiette de calcul de la prime d'assurance"
)
INSURANCE = (
    "Nature des prestations : tous risques CNRACL à 7,40 % avec franchise de 10 jours et tous risques IRCANTEC à"
    " 0.60 % avec franchise de 10 jours"
)


def test_the_rate_asked_is_the_one_right_after_the_words_it_is_the_rate_of() -> None:
    question = "À quel taux sont couverts les risques CNRACL dans le contrat d'assurance statutaire de Flaux ?"
    assert value_named(question, AMOUNT, INSURANCE)
    assert not value_named(question, AMOUNT, CONTRIBUTION)  # CNRACL comes after the rate: a contribution's
    assert not value_named("À quel taux ?", AMOUNT, "au taux de 3 %")  # the word asked is no label of its own
    meta = {schema.SOURCE: "compte_rendu_conseil_municipal_26_novembre_2021.pdf", schema.KIND: schema.KIND_DOCUMENT}
    citations = [
        Citation(n=1, chunk=Chunk(id="c1", text=CONTRIBUTION, meta=meta), quote=CONTRIBUTION),
        Citation(n=2, chunk=Chunk(id="c2", text=INSURANCE, meta=meta), quote=INSURANCE),
    ]
    lead = lead_sentences(question, citations)
    assert lead and "7,40 %" in lead[0].text and "0,25" not in lead[0].text, lead


# compte_rendu_du_25_mars_2022_1_.pdf, p. 2 (OCR): the tax rates' table, each label above its rate.
TAX_RATES = """| Monsieur le Maire propose au Conseil Municipal les affectations suivantes

|-Taxe foncière bâti

Le usnmée À

39.11 %
(ex part comraunale 14.46 % +
part Départementale 24.65 %)

| Taxe foncière non-bâti

68.16 %

2021 et 2022.

Vote: À l'unanimité"""


def test_a_label_and_its_rate_read_one_under_the_other_are_one_row(tmp_path: Path, embedding_cache: Path) -> None:
    lines = [" ".join(line.split()) for line in logical_lines(TAX_RATES)]
    at = lines.index("| Taxe foncière non-bâti")
    assert label_value_row(lines, at, AMOUNT) == "Taxe foncière non-bâti 68.16 %"
    assert label_value_row(lines, lines.index("|-Taxe foncière bâti"), AMOUNT) == ""  # OCR noise between: no row
    assert label_value_row(lines, at, "person") == ""
    hits, store = _store(
        tmp_path, embedding_cache, "compte_rendu_du_25_mars_2022_1_.pdf", [TAX_RATES], [2], date="2022-03-25"
    )
    question = "Quel taux de taxe foncière sur le non bâti Flaux a-t-elle voté en mars 2022 ?"
    quoted = "39.11 % (ex part comraunale 14.46 % + part Départementale 24.65 %)"
    row = typed_row(question, answer_type(question), hits, quoted, store, _flat)
    assert row is not None and row[2] == "Taxe foncière non-bâti 68.16 %", row


# COMPTE_RENDU_DU_15_OCTOBRE.pdf, p. 3 (OCR): two amounts of the Christmas items, the total of the parcels last.
NOEL = (
    "Tournée du père Noël par Mr PEDENEAU 250 €",
    "Pour les 67 séniors - colis individuel 27 x 15.95 € = 430.65 € colis couple + employés + sylvie 25 x 20.95 € ="
    " 523.00 € total colis = 1 306 €",
)


def test_the_total_asked_is_the_value_after_more_of_the_questions_words() -> None:
    question = "Combien ont coûté au total les colis de Noël 2021 pour les séniors de Flaux ?"
    assert value_named(question, AMOUNT, NOEL[0]) == 1  # "Noël" before 250 €
    assert value_named(question, AMOUNT, NOEL[1]) == 2  # "total colis" before 1 306 €
    meta = {schema.SOURCE: "COMPTE_RENDU_DU_15_OCTOBRE.pdf", schema.KIND: schema.KIND_DOCUMENT}
    quote = " […] ".join(NOEL)
    citation = Citation(n=1, chunk=Chunk(id="c1", text="\n".join(NOEL), meta=meta), quote=quote)
    lead = lead_sentences(question, [citation])
    assert lead and "1 306 €" in lead[0].text and "250 €" not in lead[0].text, lead


def test_when_an_association_meets_is_not_a_question_about_the_councils_meeting() -> None:
    # COMPTE_RENDU_DU_15_OCTOBRE.pdf, p. 3 (OCR); the page's margin repeats "Date de la convocation : il octobre 2021"
    question = "Quand l'association La Ronde des aînés se réunit-elle au château de Flaux ?"
    assert not asks_about_meeting(question) and asks_about_meeting("Quand le conseil municipal s'est-il réuni ?")
    schedule = (
        "Mr le Maire informe les membres du Conseil municipal que l'association La Ronde des ainés de La Capelle et"
        " Masmolène et St Hippolyte de Montaigu se réuniront dans le château les jeudis en semaines paires de 13h30 à 18h"
    )
    assert answer_type(question) == DATE and gives(DATE, schedule)
    meta = {schema.SOURCE: "COMPTE_RENDU_DU_15_OCTOBRE.pdf", schema.KIND: schema.KIND_DOCUMENT}
    quote = f"Date de la convocation : il octobre 2021 […] {schedule}"
    citation = Citation(n=1, chunk=Chunk(id="c1", text=quote.replace(" […] ", "\n"), meta=meta), quote=quote)
    lead = lead_sentences(question, [citation])
    assert lead and "13h30" in lead[0].text and "convocation" not in lead[0].text, lead


def test_a_price_before_tax_cut_by_a_scans_line_break_is_one_sentence() -> None:
    # Compte_rendu_du_28_avril_2022.pdf, p. 3 (OCR): "€ H." ends a line, "T./forfait annuel" opens the next.
    text = "Entretien annuel des armoires éclairage public\nLe coût est de : 1 190.00 € H.\nT./forfait annuel soit 1 428.00 € TTC"
    assert "1 190.00 € H. T./forfait annuel soit 1 428.00 € TTC" in sentences(text)


def test_the_line_writing_the_article_the_question_names_opens_the_answer() -> None:
    # PV_du_16_decembre_2022.pdf, p. 2 (OCR): the "Considérant" names more of the question, the row names the article.
    question = (
        "Avant le vote du budget 2023, quelles dépenses d'investissement Flaux mandate-t-elle sur l'article 2181 ?"
    )
    assert references(question) == (("article", "2181"),)
    considering = (
        "Considérant que 25% des dépenses d'investissement du budget primitif 2022 peuvent être mandatés avant le vote"
        " du budget 2023 (25% de 90 000 € = 22 500 € sur le chapitre 21)"
    )
    rows = ["Chapitre 21 - article 2181 20 000 €", "- article 21534 2 500 €"]
    assert names_reference(question, rows[0]) and not names_reference(question, rows[1])
    assert not names_reference(question, considering)
    meta = {schema.SOURCE: "PV_du_16_decembre_2022.pdf", schema.KIND: schema.KIND_DOCUMENT}
    quote = f"{considering} […] {rows[0]}"
    citation = Citation(n=1, chunk=Chunk(id="c1", text=f"{considering}\n{rows[0]}\n{rows[1]}", meta=meta), quote=quote)
    lead = lead_sentences(question, [citation])
    assert lead and "article 2181 20 000 €" in lead[0].text, lead


def test_a_quote_a_contribution_a_fonds_de_concours_are_amounts() -> None:
    # compte_rendu_du_25_mars_2022_1_.pdf p. 6 and compte_rendu_conseil_municipal_26_novembre_2021.pdf p. 2 (OCR):
    # "valider le devis ... pour un montant de 3 350 € HT", "solliciter un fond de concours auprès de la CCPU 1 500 €",
    # "une contribution fixée à 0,25 % de la masse salariale": the figure opens the answer, not the item's title.
    for question in (
        "Quel devis Flaux a-t-elle validé pour l'achat de batardeaux ?",
        "Quel fonds de concours Flaux demande-t-elle à la CCPU pour les batardeaux ?",
        "Quelle contribution Flaux verse-t-elle au Centre de Gestion du Gard pour la gestion des sinistres statutaires ?",
    ):
        assert answer_type(question) == AMOUNT, question
    assert gives_asked(
        "Quelle contribution Flaux verse-t-elle ?", AMOUNT, "une contribution fixée à 0,25 % de la masse"
    )
