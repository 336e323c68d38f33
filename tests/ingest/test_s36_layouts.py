"""Layouts of session 36's blind set (benchmarks/other_bodies_s36): a small commune's minutes with the vote in a
right-hand column of abbreviations ("Adopté – P 11 / C 2 / A 1", "C : M. X, Mme" / "Y", "unan."), lettered sub-items
and items withdrawn or not voted; a town's deliberations numbered "DCM 2024-141" in "Article 1er" form; a landowners'
association (ASA) voting by surface ("Pour 1 108 voix Contre 96 voix ... ADOPTÉ"); a company board's "PREMIÈRE
RÉSOLUTION" ... "Cette résolution est adoptée ..."; a park's slide deck whose decisions name their agenda point."""

from __future__ import annotations

from pathlib import Path

from ingest.deliberations import split_deliberations
from ingest.pdf import load_pdf
from ingest.seance import detect_commune
from ingest.votes import _report_vote, parse_counts
from rag.schema import Page

S36 = Path(__file__).resolve().parents[2] / "benchmarks" / "other_bodies_s36"


def _records(name: str) -> list:
    pages = load_pdf(S36 / name, display=name, max_pages=10, isolate=False)
    return split_deliberations(pages, source=name)


def _by_title(name: str) -> dict[str, object]:
    return {r.objet: r for r in _records(name)}


def test_a_vote_column_gives_each_lettered_item_its_counts_and_the_names_under_them() -> None:
    records = _by_title("frechinel-pv-2025-06-23.pdf")
    canteen = records["Tarifs de la cantine et de la garderie périscolaire"]
    assert (canteen.pour, canteen.contre, canteen.abstention) == (11, 2, 1)
    # the names the column writes under the counts, over a wrapped line, stay with this item, not the next one
    assert canteen.vote_text == "Adopté – P 11 / C 2 / A 1 C : M. LABARTHÈTE, Mme PRUNIÈRES abst. : M. BALDOUS"
    land = records["Acquisition d'une bande de terrain chemin de la Bartassière"]  # a run-in title ends at its stop
    assert "VIDOUZE sorti" in land.vote_text and "Dénomination" not in land.vote_text
    assert records["Dénomination des voies du lotissement communal"].unanimous is True  # "unan. (14)"
    stadium = next(r for t, r in records.items() if t.startswith("Terrain multisports"))
    assert stadium.outcome == "rejected" and (stadium.pour, stadium.contre) == (4, 9)
    withdrawn = records["Vente de l'ancien logement de la Poste, 2 rue du Four"]
    assert withdrawn.vote_text == "Retiré – pas de vote" and withdrawn.outcome is None


def test_deliberations_numbered_with_the_towns_acronym_are_records_and_a_recital_is_no_vote() -> None:
    records = {r.delib_id: r for r in _records("sarrelonde-deliberations-2024-12-16.pdf")}
    assert sorted(records) == [f"DCM-2024-14{n}" for n in range(1, 6)]
    # "Considérant que le Conseil municipal a décidé, à l'unanimité, de ne pas procéder au scrutin secret": no vote
    designation = records["DCM-2024-143"]
    assert (designation.pour, designation.contre, designation.abstention) == (21, 6, 2)
    assert "unanimit" not in designation.vote_text
    assert records["DCM-2024-144"].objet.endswith("(parcelle AK n° 208)")  # a title over two lines, whole


def test_an_assembly_voting_by_surface_counts_its_votes_in_thousands() -> None:
    assert parse_counts("Pour 1 108 voix Contre 96 voix Abstention 41 voix ADOPTÉ") == (1108, 96, 41)
    records = list(_by_title("asa-sagnere-ag-2025-03-28.pdf").values())
    loan = next(r for r in records if r.objet.startswith("Modernisation de la station de pompage"))
    assert loan.outcome == "rejected" and (loan.pour, loan.contre, loan.abstention) == (512, 688, 45)
    assert "GAEC de Roumégous" in next(r for r in records if r.objet.startswith("Bases de répartition")).vote_text


def test_a_company_boards_resolutions_are_records() -> None:
    records = _records("brezonne-spl-ca-2024-04-11.pdf")
    assert len(records) == 8
    assert records[2].objet.startswith("Agrément d'une cession d'actions")  # its ordinal heading ends page 1
    assert records[6].outcome == "rejected" and (records[6].pour, records[6].contre) == (3, 6)
    assert _report_vote("Cette résolution est adoptée à l'unanimité des administrateurs présents ou représentés.")


def test_a_decision_naming_its_agenda_point_is_that_items_record() -> None:
    """A slide deck lists the agenda, then each slide's "DÉCISION DU COMITÉ – POINT 2" above "✔ Adopté – 18 pour /
    1 contre": the vote is the record of item 2 of the agenda, titled as the agenda titles it."""
    records = _by_title("pnr-sauvernac-cs-2024-11-14.pdf")
    budget = records["Budget primitif 2025 et contributions statutaires"]
    assert (budget.pour, budget.contre) == (18, 1)
    assert records["Création d'un poste de chargé(e) de mission écotourisme"].outcome == "rejected"
    assert _report_vote("✖ Rejeté – 7 pour / 11 contre / 1 abstention") is not None


def test_the_body_heading_a_document_is_its_commune_not_a_word_of_the_heading() -> None:
    assert detect_commune([Page("Commune de Fréchinel PV du conseil municipal – 23 juin 2025", 1)], "x") == "Fréchinel"
    head = "ASA d'irrigation du Canal de la Sagnère – Assemblée des propriétaires\nsiège : mairie de Cabrenac"
    assert detect_commune([Page(head, 1)], "x") == "ASA du Canal de la Sagnère"
    spl = "SPL BRÉZONNE AMÉNAGEMENT ET LOISIRS Conseil d'administration\nSiège social : 47920 Courtebasse"
    assert detect_commune([Page(spl, 1)], "x") == "SPL Brézonne Aménagement et Loisirs"
