"""Layouts of the dev half of session 35's blind set (benchmarks/other_bodies_s35): a commune's deliberations as sent
to the prefecture, one per page under the receipt stamp, with a counts box beside the text; a port council whose items
("Point n° 2 – ...") end with an opinion and its vote ("AVIS : avis favorable ... – 9 voix pour, ..."); a PETR whose
deliberations are headed "DÉLIBÉRATION 2023-25 – ..." in capitals."""

from __future__ import annotations

from pathlib import Path

from ingest.chunking import split_text
from ingest.deliberations import split_deliberations
from ingest.pdf import load_pdf
from ingest.seance import commune_from_path, detect_seance_date
from ingest.votes import _report_vote, _vote_phrase
from rag.schema import Page

S35 = Path(__file__).resolve().parents[2] / "benchmarks" / "other_bodies_s35"


def _records(name: str) -> dict[str | None, object]:
    pages = load_pdf(S35 / name, display=name, max_pages=10, isolate=False)
    return {r.delib_id or r.objet: r for r in split_deliberations(pages, source=name)}


def test_deliberations_sent_to_the_prefecture_one_per_page_are_records_of_their_own() -> None:
    """Each page repeats the masthead, the receipt stamp and "EXTRAIT DU REGISTRE" / "DES DÉLIBÉRATIONS" (the heading
    set over two lines): four records, each with its own number, title, vote and pages."""
    records = _records("rochecorbe-deliberations-2024-03-15.pdf")
    assert sorted(k for k in records if k) == ["DEL2024_012", "DEL2024_013", "DEL2024_014", "DEL2024_015"]
    first, land, grants, cameras = (records[f"DEL2024_01{n}"] for n in (2, 3, 4, 5))
    # only the counts box says how the first one was voted: "Vote" / "Pour 14" / "Contre 0" / "Abstention 0"
    assert (first.pour, first.contre, first.abstention, first.unanimous) == (14, 0, 0, True)
    # who voted against and who abstained, over a line break, stay in the vote as written
    assert (
        land.vote_text == "par 11 voix pour, 1 voix contre (M. Alain MAZIÈRES) et 1 abstention (Mme Sandrine LAPARRE)"
    )
    assert land.objet.endswith("– création d'un parking près de l'école")  # a title over two lines, whole
    assert (land.page_start, grants.page_start, cameras.page_start) == (2, 3, 4)
    assert cameras.outcome == "rejected" and (cameras.pour, cameras.contre) == (5, 8)
    assert "ACCUSÉ DE RÉCEPTION" not in first.text.split("EXTRAIT")[-1]  # the next page's stamp is the next record's


def test_a_consultative_bodys_items_end_with_its_opinion_and_vote() -> None:
    records = _records("orvaux-conseil-portuaire-2025-10-16.pdf")
    tariffs = records["Tarifs des redevances portuaires pour l'année 2026"]
    assert (tariffs.pour, tariffs.contre, tariffs.abstention) == (9, 2, 1)
    assert "GRELLIER" in tariffs.vote_text
    assert records["Campagne de dragage du chenal d'accès"].vote_text.startswith("11 voix pour, 1 abstention (Mme")
    assert records["Budget annexe du port d'Orvaux pour 2026"].unanimous is True


def test_an_opinion_or_an_approval_is_a_vote_only_with_its_count_and_a_footer_is_none() -> None:
    assert _report_vote("AVIS : avis favorable – 11 voix pour, 1 abstention (Mme B.).") is not None
    assert _report_vote("AVIS : approuvé à l'unanimité des 12 votants.") is not None
    assert _report_vote("Approuvé en séance du 19 décembre 2019") is None
    assert _report_vote("Avis favorable de la commission des finances") is None


def test_deliberations_headed_in_capitals_are_records() -> None:
    records = _records("petr-montaurel-cs-2023-09-26.pdf")
    assert {"2023-023", "2023-024", "2023-025"} <= set(records)


def test_a_vote_keeps_who_voted_so_after_its_last_count() -> None:
    assert _vote_phrase("par 5 voix pour, 8 voix contre et 1 abstention (Mme Cécile BOUSCAYROL),") == (
        "par 5 voix pour, 8 voix contre et 1 abstention (Mme Cécile BOUSCAYROL)"
    )


def test_a_passage_never_ends_on_an_abbreviation() -> None:
    text = "– d'acquérir auprès de M. et Mme Joël ARTIGALAS la parcelle AB n° 287 au prix de 9 960 € ; " * 4
    for chunk in split_text(text.strip(), 150):
        assert not chunk.endswith((" M.", " Mme.")), chunk


def test_a_folder_names_the_commune_only_when_the_document_writes_it(tmp_path: Path) -> None:
    folder = tmp_path / "benchmarks"
    folder.mkdir()
    pdf = folder / "cr.pdf"
    assert commune_from_path(pdf, [Page("Commune de Flaux – séance du 3 mars 2021", 1)]) is None
    couthenans = tmp_path / "couthenans"
    couthenans.mkdir()
    assert commune_from_path(couthenans / "cr.pdf", [Page("CONSEIL MUNICIPAL DE COUTHENANS", 1)]) == "Couthenans"


def test_the_seance_of_a_body_named_between_seance_and_date_is_the_documents() -> None:
    """A water board's minutes: "Procès-verbal de la séance du conseil d'exploitation du jeudi 21 novembre 2024"
    (the body between "séance du" and the date), not the earlier séance its first item approves."""
    name = "sorgeline-regie-eaux-ce-2024-11-21.pdf"
    pages = load_pdf(S35 / name, display=name, max_pages=10, isolate=False)
    assert detect_seance_date(pages, name) == "2024-11-21"


def test_an_election_forms_numbered_rows_are_no_items_and_items_give_their_number() -> None:
    """ "1 Nombre de délégués en exercice 14" is a row of the form's table, not item 1; an item headed
    "6. DÉLIBÉRATION N° 2020-14 – INDEMNITÉS ..." is deliberation 2020-14 on "INDEMNITÉS ..."."""
    records = _records("aubrette-sits-installation-2020-07-15.pdf")
    assert [k for k in records] == ["2020-13", "2020-14", "2020-15", "2020-16", "2020-17", "2020-18"]
    assert records["2020-14"].objet == "INDEMNITÉS DE FONCTION DU PRÉSIDENT ET DES VICE-PRÉSIDENTS"
    assert records["2020-13"].objet == "NOMBRE DE VICE-PRÉSIDENTS"


def test_a_document_naming_no_body_is_of_the_commune_its_folder_names(tmp_path: Path) -> None:
    folder = tmp_path / "couthenans"
    folder.mkdir()
    head = "Envoyé en préfecture le 12/02/2024\nREPUBLIQUE FRANCAISE\nDEPARTEMENT du GARD\nSéance du 15 décembre 2023"
    assert (
        commune_from_path(folder / "pv.pdf", [Page(head, 1)]) == "Couthenans"
    )  # (a département is no body of its own)
