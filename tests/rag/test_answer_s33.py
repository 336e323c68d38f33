"""Answers fixed in session 33, on the text of the s31, s32 and s33 blind sets' documents as pypdf reads them
(benchmarks/other_bodies_s3*/): a tariff band asked as a bound ("au-dessus de 120 m³", "les 120 premiers m³"), a table
row read under its column heads, a table whose announcement ends the page before, a vote strip naming who voted
against, years that are no vote count."""

from __future__ import annotations

from rag import schema
from rag.decision import _vote_of
from rag.lead import _names_the_vote, _quoted_answer
from rag.question import AMOUNT, VOTE, answer_type, asked_in_range, gives
from rag.refusal import _header_years, _numbers_met, question_numbers
from rag.rows import vote_after
from rag.schema import Chunk, Citation, ScoredChunk
from rag.text import sentences

# SIVOS des Trois-Fontaines, compte rendu of 2 July 2024, p. 1 (benchmarks/other_bodies_s33)
CANTEEN = """4. Tarifs de la cantine – année scolaire 2024-2025
La Cuisine centrale du Vaurois passe de 3,62 € à 3,81 € par repas livré au 1er septembre.
Après discussion, la présidente propose de garder une tarification au quotient familial (QF de la CAF) et
d'appliquer à compter du lundi 2 septembre 2024 le barème suivant :
Quotient familial Prix du repas enfant
QF ≤ 600 € 1,90 €
QF de 601 à 1 000 € 3,10 €
QF > 1 000 € 3,85 €
Repas adulte (enseignants, personnel) 6,40 €
Enfant avec PAI (panier repas fourni par la famille) 1,20 €
Sans justificatif de quotient familial, c'est le tarif le plus élevé qui s'applique.
→ Vote pour à l'unanimité (11 voix)."""
TRIP = "Classe de mer des CM1-CM2 (38 élèves) à Port-Garenne du 12 au 16 mai 2025 : coût total 14 800 €."
# SIAEP de la Vallée de l'Arnègue, comité syndical of 12 December 2024, p. 1 and p. 2
WATER = """Part proportionnelle – prix du m³ consommé (hors taxes)
Tranche 1 : de 0 à 120 m³ inclus 1,38 € HT le m³
Tranche 2 : de 121 à 600 m³ inclus 1,61 € HT le m³
Tranche 3 : au-delà de 600 m³ 1,49 € HT le m³"""
WRITE_OFF = """Sur proposition du comptable public, qui a épuisé les voies de recouvrement, LE COMITÉ SYNDICAL DÉCIDE
d'admettre en non-valeur 27 factures d'eau des exercices 2019 à 2022 pour un montant total de 3 412,86 €,
imputé au compte 6541 du budget 2024.
Votants 15 Pour 13 Contre 2 (Mme NOGARET, M. RIGAL) Abstention néant"""


def _hit(text: str, page: int = 1, index: int = 0) -> ScoredChunk:
    meta = {schema.SOURCE: "x.pdf", schema.DOC_ID: "x", schema.CHUNK_INDEX: index, schema.PAGE: page,
            schema.PAGE_END: page, schema.DATE: "2024-07-02", schema.KIND: schema.KIND_DOCUMENT}  # fmt: skip
    return ScoredChunk(chunk=Chunk(f"x-{index}", text, meta), score=1.0)


def test_a_bound_asked_is_the_band_past_or_below_it() -> None:
    above = "Je consomme environ 300 m³ d'eau par an : combien vais-je payer le m³ au-dessus de 120 m³ ?"
    rows = WATER.splitlines()
    assert [asked_in_range(above, row) for row in rows[1:]] == [False, True, False]
    first = "Quel est le prix du m³ d'eau pour les 120 premiers m³ en 2025 ?"
    assert [asked_in_range(first, row) for row in rows[1:]] == [True, False, False]


def test_a_table_row_is_read_under_its_column_heads() -> None:
    """ "un quotient familial de 800 €": the row "QF de 601 à 1 000 € 3,10 €" writes no "quotient", its heads do."""
    question = (
        "Combien paiera le repas à la cantine du SIVOS des Trois-Fontaines un enfant dont la famille a un quotient "
        "familial de 800 € ?"
    )
    assert question_numbers(question) == {"800": None}
    idf = {"quotient": 5.0, "famil": 2.0, "repas": 3.0, "enfant": 2.5, "cantin": 3.0}.get
    assert _numbers_met(question, [_hit(CANTEEN)], lambda s: idf(s) or 1.0, set())
    assert not _numbers_met(question, [_hit(TRIP)], lambda s: idf(s) or 1.0, set())


def test_the_row_of_the_band_asked_opens_the_answer() -> None:
    question = "Combien paiera le repas un enfant dont la famille a un quotient familial de 800 € ?"
    assert answer_type(question) == AMOUNT
    canteen, trip = Chunk("c", CANTEEN, {}), Chunk("t", TRIP, {})
    citations = [
        Citation(n=1, chunk=canteen, quote="Quotient familial Prix du repas enfant […] QF de 601 à 1 000 € 3,10 €"),
        Citation(n=2, chunk=trip, quote=TRIP),
    ]
    opening = _quoted_answer(question, AMOUNT, citations)
    assert opening and "QF de 601 à 1 000 € 3,10 €" in opening[0].text and opening[0].citations == [1]


def test_a_tables_year_announced_at_the_foot_of_the_page_before() -> None:
    """Office de tourisme de Brévannes (s32): "les tarifs applicables au 1er janvier 2025 ... :" ends page 1, the
    table of the taxe de séjour opens page 2."""
    before = _hit(
        "La Communauté de communes doit délibérer avant le 1er juillet 2024 sur les tarifs applicables au 1er janvier\n"
        "2025. Après travail du groupe « hébergeurs », le comité propose de retenir les tarifs suivants, par personne "
        "et\npar nuitée, hors taxe additionnelle départementale de 10 % :",
        page=1,
        index=0,
    )
    table = _hit("Catégorie d'hébergement Tarif par nuit et par personne\nPalaces 4,00 €", page=2, index=1)
    assert "2025" in _header_years(table, lambda chunk: before.chunk)
    ended = _hit("Le budget primitif 2024 est adopté.", page=1, index=0)
    assert _header_years(table, lambda chunk: ended.chunk) == set()


def test_who_voted_against_is_the_strip_naming_them() -> None:
    question = "Qui a voté contre l'effacement des factures d'eau impayées au syndicat de l'Arnègue ?"
    assert answer_type(question) == VOTE
    split = sentences(WRITE_OFF)
    assert vote_after(split, 0) == (1, "Votants 15 Pour 13 Contre 2 (Mme NOGARET, M. RIGAL) Abstention néant")
    assert _names_the_vote(question, split[1])
    assert not _names_the_vote(question, "Votants 15 Pour 15 Contre néant Abstention néant")


def test_years_are_no_vote_counts() -> None:
    """ "des exercices 2019 à 2022 pour un montant": no "2022 pour" vote."""
    decided = sentences(WRITE_OFF)[0]
    assert not gives(VOTE, decided)
    assert _vote_of([decided]) is None
    assert _vote_of(["Votants : 20 – Pour : 19 – Contre : 0 – Abstention : 1 (M. Gérald MONTAGUT)"]) == (
        "19 pour, 0 contre, 1 abstention(s) (M. Gérald MONTAGUT)"  # (who abstained: session 34)
    )
