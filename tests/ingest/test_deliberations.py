"""Splitting council documents into deliberation records (ingest/deliberations.py, ingest/actes.py)."""

from __future__ import annotations

import csv
import json
import logging
import warnings
from pathlib import Path

import pytest

from ingest.actes import MATIERES, infer_matiere
from ingest.deliberations import split_deliberations
from ingest.seance import detect_commune, detect_seance_date
from ingest.votes import parse_counts
from rag.french import fold, parse_french_date
from rag.schema import DeliberationRecord, Page
from tests.conftest import benchmark_module

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data" / "deliberations"
SHARED = REPO.parent / "shared" / "corpus"
GOLD = REPO / "tests" / "data" / "deliberations_gold.json"


def pdf_pages(path: Path) -> list[Page]:
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reader = PdfReader(str(path))
        return [Page(page.extract_text() or "", number) for number, page in enumerate(reader.pages, start=1)]


def records_of(relative: str) -> list[DeliberationRecord]:
    return split_deliberations(pdf_pages(DATA / relative), source=relative)


def by_id(records: list[DeliberationRecord]) -> dict[str, DeliberationRecord]:
    return {r.delib_id: r for r in records if r.delib_id}


# --- unit ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Par 13 voix POUR – 1 ABSTENTION", (13, None, 1)),
        ("Par : DEUX voix POUR - ONZE voix CONTRE et 1 ABSTENTION", (2, 11, 1)),
        ("2 contre 3 absentions 6 votes pour", (6, 2, 3)),
        ("Adoption à 0 Contre, 0 abstention, 11 voix pour", (11, 0, 0)),
        ("Vote : 14 pour / 0 contre / 0 abstention adopté", (14, 0, 0)),
        ("ADOPTÉ à l’unanimité.", (None, None, None)),
        ("Il manque 2 personnes pour 12-16h", (None, None, None)),
        ("Adopté par dix-neuf voix pour et une voix contre", (19, 1, None)),  # compounds whole: not "neuf"
        ("DIX-SEPT voix POUR, vingt et une voix CONTRE", (17, 21, None)),
    ],
)
def test_parse_counts(text: str, expected: tuple[int | None, int | None, int | None]) -> None:
    assert parse_counts(text) == expected


def test_dates_from_text_and_file_name() -> None:
    assert parse_french_date("Séance du  23 Juillet 2020") == "2020-07-23"
    assert parse_french_date("le 1er février 2021") == "2021-02-01"
    assert parse_french_date("le 31 février 2021") is None
    written = [Page("PROCES VERBAL\nLe vingt trois Juillet  deux mille vingt  par convocation", 1)]
    assert detect_seance_date(written, "pv.pdf") == "2020-07-23"
    written = [Page("Le trente et un mars deux mille vingt et un", 1)]
    assert detect_seance_date(written, "pv.pdf") == "2021-03-31"
    written = [Page("Le premier juillet deux mille vingt et le conseil s'est réuni", 1)]
    assert detect_seance_date(written, "pv.pdf") == "2020-07-01"
    nothing = [Page("Compte rendu", 1)]
    assert detect_seance_date(nothing, "montpellier/2014-04-24-0000071216.pdf") == "2014-04-24"
    assert detect_seance_date(nothing, "CR_reunion_20210604.pdf") == "2021-06-04"
    assert detect_seance_date(nothing, "CR_conseil_municipal_07_10_2022.pdf") == "2022-10-07"
    assert detect_seance_date(nothing, "compte_rendu.pdf") is None
    # A list of deliberations dated by a line of its own, and a file name with the month in words.
    listed = [
        Page("Liste des délibérations votées\n\nLe 16 MAI 2025\n\nApprobation du procès-verbal du 04 avril 2025", 1)
    ]
    assert detect_seance_date(listed, "liste.pdf") == "2025-05-16"
    assert detect_seance_date(nothing, "liste_des_deliberations_16_mai_2025.pdf") == "2025-05-16"
    # A date inside an item's title is not the séance's.
    assert detect_seance_date([Page("Approbation du procès-verbal du 04 avril 2025", 1)], "x.pdf") is None


def test_commune_only_when_the_head_names_it() -> None:
    assert (
        detect_commune([Page("PROCES VERBAL DU CONSEIL MUNICIPAL\nDE LA COMMUNE DE PREUILLY SUR CLAISE\n", 1)], "x.pdf")
        == "Preuilly-sur-Claise"
    )
    head = "Extrait du registre des\ndélibérations du Conseil\nMunicipal de la Ville de\nMontpellier\nn° 2014 / 155"
    assert detect_commune([Page(head, 1)], "x.pdf") == "Montpellier"
    assert (
        detect_commune([Page("CR du conseil municipal 09 avril 2021\nPrésents : Yves", 1)], "couthenans/x.pdf") is None
    )


def test_adopted_without_figures_keeps_counts_unknown() -> None:
    page = Page(
        "CR du conseil municipal 05 mars 2021\nOrdre du jour\n1/ Convention CAUE :\nDevis de 1800€.\nADOPTÉ.\n"
        "2/ Tarifs de la salle :\nRésultat du vote :\nPour les nouveaux tarifs : 12 votes\n"
        "3/ Questions diverses\nSondage panneau : Pour : 49 Contre : 33\n",
        1,
    )
    records = split_deliberations([page], source="cr.pdf", commune="Couthenans")
    assert [r.objet for r in records] == ["Convention CAUE", "Tarifs de la salle : les nouveaux tarifs"]
    first, second = records
    assert (first.outcome, first.pour, first.contre, first.abstention, first.unanimous) == (
        "adopted",
        None,
        None,
        None,
        None,
    )
    assert first.vote_text == "ADOPTÉ."
    assert (second.pour, second.contre, second.outcome) == (12, None, "adopted")
    assert all(r.commune == "Couthenans" and r.date == "2021-03-05" for r in records)


def test_report_votes_written_in_words() -> None:
    """A compte rendu line that starts with a compound count in words states a vote."""
    page = Page(
        "CR du conseil municipal 05 mars 2021\nOrdre du jour\n1/ Convention CAUE :\nDevis de 1800€.\n"
        "Dix-neuf voix pour, deux voix contre\n2/ Tarifs de la salle :\nVingt et une voix pour\n3/ Questions diverses\n",
        1,
    )
    records = split_deliberations([page], source="cr.pdf", commune="Couthenans")
    assert [(r.objet, r.pour, r.contre, r.outcome) for r in records] == [
        ("Convention CAUE", 19, 2, "adopted"),
        ("Tarifs de la salle", 21, None, "adopted"),
    ]


def test_infer_matiere() -> None:
    assert infer_matiere("CANTINE- TARIFS POUR RENTREE SCOLAIRE 2020-2021") == ("8.1", MATIERES["8.1"])
    assert infer_matiere("Garantie d’emprunt – Ville de Montpellier/S.E.R.M.")[0] == "7.3"
    assert infer_matiere("Désignation des membres de la CLECT")[0] == "5.3"
    assert infer_matiere("Rapport de la CLECT")[0] == "5.7"
    assert infer_matiere("Convention photo Mr Ambs") == (None, None)


@pytest.mark.skipif(not (SHARED / "schemas").is_dir(), reason="../shared/corpus absent")
def test_matiere_names_agree_with_the_nomenclature() -> None:
    path = SHARED / "schemas" / "actes_nomenclature" / "actes_matieres_niveau1_2.csv"
    with path.open(encoding="utf-8") as handle:
        level2 = {row["code"]: row["nom_ascii_as_found"] for row in csv.DictReader(handle) if row["level"] == "2"}

    def squash(text: str) -> str:
        return "".join(ch for ch in fold(text) if ch.isalnum())

    assert set(level2) == set(MATIERES)
    for code, name in level2.items():
        assert squash(MATIERES[code]) == squash(name.replace("pourvoirs", "pouvoirs")), code


# --- integration: real PDFs under data/deliberations --------------------------------------------
@pytest.mark.integration
def test_preuilly_proces_verbal() -> None:
    records = records_of("preuilly-sur-claise/PV_CM_2020-07-23.pdf")
    assert [r.delib_id for r in records] == [f"2020-{n:03d}" for n in range(38, 53)]
    assert {r.date for r in records} == {"2020-07-23"}
    assert {r.commune for r in records} == {"Preuilly-sur-Claise"}
    assert {(r.en_exercice, r.presents, r.votants) for r in records} == {(15, 14, 14)}
    ids = by_id(records)
    cantine = ids["2020-045"]
    assert "CANTINE" in (cantine.objet or "")
    assert (cantine.pour, cantine.contre, cantine.abstention, cantine.unanimous) == (13, 1, None, False)
    assert (cantine.page_start, cantine.page_end, cantine.matiere_code) == (3, 4, "8.1")
    ehpad = ids["2020-042"]
    assert (ehpad.pour, ehpad.contre, ehpad.abstention, ehpad.outcome) == (13, None, 1, "adopted")
    subvention = ids["2020-038"]
    assert (subvention.unanimous, subvention.outcome, subvention.pour) == (True, "adopted", None)
    assert "2500 euros" in subvention.text
    assert ids["2020-039"].articles_vises == ["L2121-33"]
    # Figures against, but the council DECIDES an unfavourable opinion: the outcome is not guessed.
    eolien = ids["2020-052"]
    assert (eolien.pour, eolien.contre, eolien.abstention, eolien.outcome) == (2, 11, 1, None)
    # The closing list repeats the numbers (2021-051 ...) and is not a deliberation.
    assert "QUESTIONS DIVERSES" not in eolien.text and "Signatures" not in eolien.text


@pytest.mark.integration
def test_couthenans_reports() -> None:
    june = records_of("couthenans/CR_reunion_20210604.pdf")
    assert len(june) == 6  # the survey results ("Pour : 49 Contre : 33") are not votes of the council
    assert {(r.pour, r.contre, r.abstention, r.unanimous, r.outcome) for r in june} == {(14, 0, 0, True, "adopted")}
    assert june[-1].objet == "Verger de sauvegarde : Adhésion à l’association verger vivant= 30€/an"
    assert (june[-1].page_start, june[-1].page_end) == (4, 4)
    assert {r.date for r in june} == {"2021-06-04"}

    january = records_of("couthenans/CR_reunion_20220121.pdf")
    assert [(r.pour, r.contre, r.abstention) for r in january] == [
        (14, None, None),
        (14, None, None),
        (13, None, 1),
        (14, None, None),
        (11, None, 3),
        (11, 2, 1),
    ]
    assert january[0].objet and january[0].objet.startswith("Pacte Financier et Fiscal")

    october = records_of("couthenans/CR_conseil_municipal_07_10_2022.pdf")
    assert len(october) == 5
    subsidies = next(r for r in october if r.objet == "Subventions aux associations")
    # "13 votes" says neither for nor against: nothing is invented.
    assert (subsidies.vote_text, subsidies.pour, subsidies.outcome) == ("13 votes", None, None)


@pytest.mark.integration
@pytest.mark.parametrize(
    ("name", "delib_id", "rapporteur", "objet"),
    [
        ("2014-04-24-0000071216.pdf", "2014/155", "Monsieur le Maire", "Personnel Municipal - Instances Paritaires"),
        ("2014-04-24-0000071217.pdf", "2014/137", "Monsieur le Maire", "Délégations du Conseil municipal au Maire"),
        (
            "2014-04-24-0000071244.pdf",
            "2014/145",
            "Monsieur le Maire",
            "Société Publique Locale d'Aménagement Désignation des représentants de la Ville",
        ),
        (
            "2014-04-24-0000071251.pdf",
            "2014/139",
            "Monsieur EL KANDOUSSI",
            "Modalités et conditions de remboursement des frais de déplacement des agents territoriaux et des élus",
        ),
        (
            "2014-04-24-0000071272.pdf",
            "2014/159",
            "Monsieur le Maire",
            "Agence Locale de l'Energie - Désignation des représentants du Conseil Municipal",
        ),
    ],
)
def test_montpellier_extracts(name: str, delib_id: str, rapporteur: str, objet: str) -> None:
    [record] = records_of(f"montpellier/{name}")
    assert (record.delib_id, record.rapporteur, record.objet) == (delib_id, rapporteur, objet)
    assert (record.date, record.commune, record.outcome, record.vote_text) == (
        "2014-04-24",
        "Montpellier",
        "adopted",
        record.vote_text,
    )
    assert record.vote_text and record.vote_text.lower().startswith("le conseil adopte")
    assert (record.pour, record.contre, record.abstention, record.unanimous) == (None, None, None, None)
    assert record.page_start == 1 and record.page_end >= 2


@pytest.mark.integration
def test_same_records_from_the_pipeline_loader() -> None:
    """The pipeline loads pages with ingest.pdf.load_pdf, which tidies whitespace: same records."""
    from ingest.pdf import load_pdf

    for relative in (
        "preuilly-sur-claise/PV_CM_2020-07-23.pdf",
        "couthenans/CR_reunion_20210604.pdf",
        "montpellier/2014-04-24-0000071251.pdf",
    ):
        raw = records_of(relative)
        cleaned = split_deliberations(load_pdf(DATA / relative, display=relative, max_pages=500), source=relative)
        keys = (
            "delib_id",
            "date",
            "objet",
            "pour",
            "contre",
            "abstention",
            "unanimous",
            "outcome",
            "page_start",
            "page_end",
            "matiere_code",
            "rapporteur",
        )
        assert [[getattr(r, k) for k in keys] for r in cleaned] == [[getattr(r, k) for k in keys] for r in raw]


# --- slow: the whole gold file against ../shared/corpus ---------------------------------------------
@pytest.mark.slow
@pytest.mark.skipif(not (SHARED / "deliberations").is_dir(), reason="../shared/corpus absent")
def test_gold_precision() -> None:
    benchmark = benchmark_module("delib_extraction.py")
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["records"]
    scores, errors = benchmark.evaluate(SHARED / "deliberations", gold)
    assert scores["records"].recall == 1.0, errors
    low = {name: round(s.precision, 3) for name, s in scores.items() if s.precision < 0.95}
    assert not low, errors
