"""Minutes of bodies other than a town council (a communauté de communes, a SIVOS, a syndicat, a département's
commission permanente): their own name, their séance's date and their deciding body are read from their head.

The heads below are those of sessions 31 and 32's blind sets (benchmarks/other_bodies_s31, other_bodies_s32: the
dev half of the latter only), whose layouts no rule was written for; the corpus's four communes keep the names and dates they had (checked by benchmarks on all 297 files).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ingest.council import outside_blocks
from ingest.deliberations import record_spans, split_deliberations
from ingest.pdf import load_pdf
from ingest.seance import describe_council_document, detect_commune, detect_seance_date
from rag.kb import KnowledgeBase
from rag.schema import DeliberationRecord, Page
from rag.settings import Settings
from tests.conftest import REPO


def _commune(head: str) -> str | None:
    return detect_commune([Page(head, 1)], "x.pdf")


def test_a_grouping_of_communes_is_named_by_its_heading_not_by_the_town_of_its_seat() -> None:
    head = "COMMUNAUTÉ DE COMMUNES DU VAL DE DORME Procès-verbal – Conseil communautaire du 14/03/2024"
    assert _commune(head) == "Communauté de communes du Val de Dorme"
    head = (
        "SIVOS DES QUATRE\nCLOCHERS\nSyndicat intercommunal à vocation\nscolaire\nSiège : Mairie de Pontgarel, 3 place"
    )
    assert _commune(head) == "SIVOS des Quatre Clochers"
    # a syndicat's heading says what it does before its name, in capitals or not
    assert _commune("SYNDICAT INTERCOMMUNAL D'EAU POTABLE DE LA HAUTE-\nLIZONNE\nCompte rendu") == (
        "Syndicat intercommunal de la Haute-Lizonne"
    )
    assert _commune("Syndicat intercommunal d'eau potable de la Haute-Lizonne\nCompte rendu") == (
        "Syndicat intercommunal de la Haute-Lizonne"
    )


def test_the_other_kinds_of_local_bodies_are_named_by_their_heading() -> None:
    """Session 32's blind set (benchmarks/other_bodies_s32): an acronym followed by its name in lower case, a name
    right after the kind with no particle, a name followed by the assembly on the same line."""
    assert _commune("SMICTOM du Haut-Velaunay – Comité syndical du 21 novembre 2023 – Relevé") == (
        "SMICTOM du Haut-Velaunay"
    )
    head = (
        "Office de tourisme Brévannes Lacs & Forêts\nÉtablissement public industriel et commercial (EPIC) de la "
        "Communauté de communes Brévannes Lacs et Forêts"
    )
    assert _commune(head) == "Office de tourisme Brévannes Lacs & Forêts"
    head = "Communauté d'agglomération du Pays de Vérandeuil Conseil communautaire – séance du 29/06/2023"
    assert _commune(head) == "Communauté d'agglomération du Pays de Vérandeuil"
    assert _commune("Centre Communal d'Action Sociale de Bramoncourt\nMairie de Bramoncourt") == (
        "Centre communal d'action sociale de Bramoncourt"
    )
    # a département in capitals with its particle in lower case (a scan's OCR) names no document either way
    assert _commune("REPUBLIQUE FRANCAISE\nDEPARTEMENT du GARD\nNombre de membres") is None


def test_a_commune_nouvelle_and_a_registers_folio_are_read_from_the_head() -> None:
    """Two heads of session 32's test half, read after its last measurement: "COMMUNE NOUVELLE DE VAL-SORBIER" names
    the commune; "Folio n° 2020/01" after the name in a register's running head is not part of it."""
    head = "COMMUNE NOUVELLE DE VAL-SORBIER\nCommunes déléguées de Saint-Aulme-sur-Sorbier et Crévilliers"
    assert _commune(head) == "Val-Sorbier"
    assert _commune("Registre des délibérations – Commune de FARNONCOURT Folio n° 2020/01\nParaphe") == "Farnoncourt"


def test_a_numbered_deliberation_whose_title_is_on_the_next_line_is_a_record() -> None:
    """ "Délibération n° 2023-117" alone on its line, the title in capitals below (the agglomération's extracts); a
    title cut inside a date ("applicable au 1er janvier" / "2024") is read whole (the SMICTOM's relevé)."""
    records = _records("ca-pays-verandeuil-2023-06-29.pdf", "other_bodies_s32")
    assert [r.delib_id for r in records] == [f"2023-{n}" for n in range(117, 122)]
    assert records[0].objet is not None and records[0].objet.startswith("SOLIDARITÉ TERRITORIALE")
    records = _records("smictom-haut-velaunay-2023-11-21.pdf", "other_bodies_s32")
    assert records[0].objet is not None and records[0].objet.endswith("applicable au 1er janvier 2024")


def test_a_departement_names_the_document_only_when_no_commune_does() -> None:
    assert _commune("DÉPARTEMENT DE LA\nSARVIENNE\nHôtel du Département") == "Département de la Sarvienne"
    head = "RÉPUBLIQUE FRANÇAISE\nDÉPARTEMENT DE L'INDRE ET LOIRE\nCOMMUNE DE PREUILLY SUR CLAISE"
    assert _commune(head) == "Preuilly-sur-Claise"


def test_a_grouping_mentioned_in_the_minutes_is_not_their_author() -> None:
    head = "CR du conseil municipal 21 janvier 2022\nM. LISCHKA présente le PFFS pour la communauté de communes du pays"
    assert _commune(head) is None


def test_a_heading_in_small_capitals_split_by_the_pdf_is_read_whole() -> None:
    assert _commune("C OMMUNE DE V AUGRENIER\nCompte rendu sommaire") == "Vaugrenier"


def test_the_seance_date_is_not_the_earlier_one_whose_minutes_are_approved() -> None:
    head = (
        "PROCÈS-VERBAL DE LA RÉUNION DU COMITÉ SYNDICAL\nDU 6 FÉVRIER 2025\nLa Présidente ouvre la séance et fait "
        "approuver le procès-\nverbal de la séance du 12 décembre 2024 (unanimité)."
    )
    assert detect_seance_date([Page(head, 1)], "sivos.pdf") == "2025-02-06"
    assert detect_seance_date([Page("Approbation du compte rendu de la séance du 17 mars 2022\n", 1)], "cr.pdf") is None
    # a compte rendu's head names its own meeting ("Réunion du jeudi 23 juin 2022") before the earlier minutes it approves
    head = "Compte rendu – Conseil d'administration\nRéunion du jeudi 23 juin 2022, 18 h\n1. Compte rendu de la séance du 17 mars 2022"
    assert detect_seance_date([Page(head, 1)], "ccas.pdf") == "2022-06-23"


def test_the_deciding_body_named_at_the_head_is_kept() -> None:
    info = describe_council_document(
        [Page("SIVOS DES QUATRE CLOCHERS\nRÉUNION DU COMITÉ SYNDICAL DU 6 FÉVRIER 2025", 1)], "x.pdf"
    )
    assert info["body"] == "comite syndical"
    assert (
        describe_council_document([Page("Conseil municipal de Flaux\nSéance du 3 mars 2021", 1)], "x.pdf")["body"] == ""
    )


def _records(name: str, folder: str = "other_bodies_s31") -> list[DeliberationRecord]:
    path = REPO / "benchmarks" / folder / name
    return split_deliberations(load_pdf(path, display=name, max_pages=50), source=name)


def test_numbered_deliberations_headed_delibération_n_are_records_with_their_vote_box() -> None:
    """ "Délibération n° 2024-030 – Objet : ..." heads each record; "Votants : 38 – Pour : 35 – Contre : 1 –
    Abstentions : 2" is its vote."""
    records = {r.delib_id: r for r in _records("cc-val-dorme-2024-03-14.pdf")}
    assert sorted(records) == [f"2024-0{n}" for n in range(29, 36)]
    taxes = records["2024-030"]
    assert taxes.objet is not None and taxes.objet.startswith("Vote des taux de fiscalité directe locale")
    assert (taxes.pour, taxes.contre, taxes.abstention) == (35, 1, 2)


def test_a_file_of_several_extracts_gives_one_record_each() -> None:
    records = _records("cd-sarvienne-cp-2019-11-18.pdf")
    assert [r.delib_id for r in records] == ["CP-2019-11-045", "CP-2019-11-046", "CP-2019-11-047"]
    assert [r.page_start for r in records] == sorted(r.page_start for r in records)
    assert records[0].page_start == 1 and records[-1].page_start > records[0].page_start


def test_a_tariff_row_in_a_quotient_range_answers_a_family_of_that_quotient(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The SIVOS's grid "QF de 501 € à 800 € 2,35 €" (no word of three letters: still a row to quote) answers a
    family whose quotient is 700 €, and each other quotient gets its own band's row, never the one beside it (on a
    real store of the set's document ingested by the CLI)."""
    monkeypatch.setenv("MAIRIE_STORE", str(tmp_path / "store"))
    pdf = REPO / "benchmarks" / "other_bodies_s31" / "sivos-quatre-clochers-2025-02-06.pdf"
    done = subprocess.run(
        [sys.executable, "-m", "ui.cli", "ingest", str(pdf)], cwd=REPO, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-2000:]
    kb = KnowledgeBase(Settings.from_env())
    answer = kb.ask("Combien coûte un repas à la cantine pour une famille dont le quotient familial est de 700 € ?")
    assert "QF de 501 € à 800 € 2,35 €" in answer.sentences[0].text
    # another quotient: its own row, never the one above or below
    answer = kb.ask("Quel est le prix du repas pour un quotient familial de 1 000 € ?")
    assert "QF de 801 € à 1 200 € 3,40 €" in answer.sentences[0].text, answer.sentences[0].text
    assert "501 € à 800 €" not in answer.sentences[0].text
    # the open bands at both ends of the grid
    answer = kb.ask("Quel est le prix du repas pour un quotient familial de 400 € ?")
    assert "QF inférieur ou égal à 500 € 1,00 €" in answer.sentences[0].text, answer.sentences[0].text
    answer = kb.ask("Combien paie une famille au QF de 1500 € pour un repas ?")
    assert "QF supérieur à 1 200 € ou non communiqué 4,15 €" in answer.sentences[0].text, answer.sentences[0].text


def test_a_running_header_inside_a_record_is_left_out_of_its_text_and_kept_searchable() -> None:
    """The SMICTOM's relevé (2 pages, session 32's dev half): its header "SMICTOM du Haut-Velaunay – Comité syndical
    du 21 novembre 2023 – Relevé des délibérations" and "Publié le 24/11/2023 – 2 –" fall inside a sentence; the
    record reads "une subvention de fonctionnement de 6 000 €", and the header is kept once, as boilerplate."""
    path = REPO / "benchmarks" / "other_bodies_s32" / "smictom-haut-velaunay-2023-11-21.pdf"
    pages = load_pdf(path, display=path.name, max_pages=50)
    spans = record_spans(pages, source=path.name)
    record = next(r for r, _, _ in spans if r.delib_id == "2023-034")
    assert "subvention de fonctionnement\nde 6 000 € pour l'année 2024." in (record.text or "")
    boiler = [b.text for b in outside_blocks(pages, [(a, b) for _, a, b in spans]) if b.boilerplate]
    assert boiler and "SMICTOM du Haut-Velaunay – Comité syndical du 21 novembre 2023" in boiler[0]
