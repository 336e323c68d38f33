"""Layouts of session 37's blind set (benchmarks/other_bodies_s37, its dev half): a land agency's cards, each coded
beside its deliberation ("FI 2025-04 · délibération n° 2025-04") and one adjourned; a communauté de communes' reports
("RAPPORT N° 2" over its title, "Résultat du vote : ..." with the names over two lines); a transport board's votes
ending with their outcome ("... – 1 abstention. Rejetée.")."""

from __future__ import annotations

from pathlib import Path

from ingest.council import outside_blocks
from ingest.deliberations import split_deliberations
from ingest.pdf import load_pdf
from ingest.seance import detect_commune
from ingest.votes import _vote_phrase
from rag.schema import Page

S37 = Path(__file__).resolve().parents[2] / "benchmarks" / "other_bodies_s37"


def _pages(name: str) -> list[Page]:
    return load_pdf(S37 / name, display=name, max_pages=10, isolate=False)


def _records(name: str) -> list:
    return split_deliberations(_pages(name), source=name)


def test_cards_coded_beside_their_deliberation_are_records_and_an_adjourned_card_is_one_without_a_decision() -> None:
    records = {r.delib_id: r for r in _records("arbese-epfl-ca-2025-02-20.pdf")}
    assert sorted(records) == [f"2025-00{n}" for n in range(1, 9)] + ["FI-2025-009"]
    assert records["2025-006"].objet == "Lagrézière – ancien garage de la route de Tréméjac"
    # the names of who voted against run over two lines, inside the vote's brackets
    assert (
        records["2025-006"].vote_text == "13 pour – 3 contre (M. Xavier GOURDOU, Mme Inès FALGAYRAC, M. Jérôme MÉJEAN)"
    )
    assert records["2025-004"].vote_text == "Vote : unanimité (16 voix)"  # the card's own vote, not the record's text
    adjourned = records["FI-2025-009"]
    assert adjourned.vote_text == "AJOURNÉ – pas de vote" and adjourned.outcome is None
    assert "gendarmerie" in adjourned.objet


def test_a_land_agency_and_a_transport_board_are_named_by_their_heads() -> None:
    assert detect_commune(_pages("arbese-epfl-ca-2025-02-20.pdf"), "x.pdf") == "EPF du Pays d'Arbèse"
    assert detect_commune(_pages("pontevrac-regie-transports-ca-2025-11-18.pdf"), "x.pdf") == (
        "Régie des transports urbains de Pontévrac"
    )
    # a régie that belongs to a grouping of communes is that grouping's (session 35's water board)
    sorgeline = load_pdf(
        S37.parent / "other_bodies_s35" / "sorgeline-regie-eaux-ce-2024-11-21.pdf",
        display="x",
        max_pages=10,
        isolate=False,
    )
    assert detect_commune(sorgeline, "x.pdf") == "Communauté de communes du Val de Sorgeline"


def test_reports_numbered_above_their_title_are_records_with_their_whole_vote() -> None:
    records = _records("selaure-cc-rapports-2025-06-26.pdf")
    titles = [r.objet for r in records]
    assert titles[0] == "Affectation du résultat de l'exercice 2024 – budget principal"  # "RAPPORT N° 1" above it
    assert len(records) == 6  # the withdrawn report has no vote; "adoptant le compte administratif" is a recital
    budget = records[1]
    assert (budget.pour, budget.contre, budget.abstention) == (38, 4, 3)  # the abstentions after the wrapped names
    assert budget.vote_text.endswith("3 abstentions (M. Loïc TRESSENS, Mme Nadine VAYSSIÈRE, M. Serge CALMETTES)")
    assert records[-1].vote_text == "11 voix pour, 31 voix contre, 3 abstentions – la motion est rejetée"


def test_the_outcome_written_after_the_counts_stays_with_the_vote() -> None:
    assert _vote_phrase("Vote : 10 votants – 3 pour – 6 contre – 1 abstention. Rejetée.") == (
        "3 pour – 6 contre – 1 abstention. Rejetée"
    )
    assert _vote_phrase("Adoptée par 14 voix pour et 2 voix contre.") == "par 14 voix pour et 2 voix contre"


def test_a_running_header_kept_once_stands_for_every_page_it_heads() -> None:
    pages = [Page("Relevé du 20 février 2025\nDélibération 1", 1), Page("Relevé du 20 février 2025\nDélibération 2", 2)]
    [boiler] = [b for b in outside_blocks(pages, []) if b.boilerplate]
    assert (boiler.page_start, boiler.page_end) == (1, 2)


# (after reading the test half)
def test_a_timed_procès_verbal_gives_its_items_their_votes_written_after_the_decision() -> None:
    records = {r.objet: r for r in _records("vizelle-sie-cs-2023-10-10.pdf")}
    # "18 h 38 POINT 2 Détermination ..." (the clock before the item), "... vice-présidents. Vote : 31 pour, 0 contre, 2"
    # / "abstentions."
    number = records["Détermination du nombre de vice-présidents"]
    assert (number.pour, number.contre, number.abstention) == (31, 0, 2)
    fees = records["Indemnités de fonction de la présidente et des vice-présidents"]
    assert (fees.pour, fees.contre, fees.abstention) == (29, 3, 2) and "Bruno TERRAL" in fees.vote_text
    assert records["Délégation d'attributions à la présidente"].vote_text.startswith("Vote : unanimité (34 voix)")
    # one vote over two lines, after the sentence that ends the table: one record, not two
    assert sum(1 for title in records if title.startswith("Tarifs 2024")) == 1


def test_a_school_fund_and_a_section_of_commune_are_named_by_their_heads() -> None:
    # ("1/2Caisse des écoles ...": the running header glued to the page number)
    assert detect_commune(_pages("sainte-aurege-caisse-ecoles-2024-09-12.pdf"), "x.pdf") == (
        "Caisse des écoles de Sainte-Aurège"
    )
    assert detect_commune(_pages("faudel-section-commission-2024-05-18.pdf"), "x.pdf") == "Section de commune de Faudel"
