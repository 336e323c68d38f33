"""Layouts of session 33's blind set (benchmarks/other_bodies_s33), read from the PDFs shipped with it: a water
syndicate's acronym heading its minutes, and a communauté de communes' collection of decisions taken by delegation,
each decision numbered and dated on its own heading."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from ingest.deliberations import split_deliberations
from ingest.seance import detect_commune
from rag.schema import Page

SET = Path(__file__).resolve().parents[2] / "benchmarks" / "other_bodies_s33"


def _pages(name: str) -> list[Page]:
    return [Page(page.extract_text() or "", n) for n, page in enumerate(PdfReader(SET / name).pages, start=1)]


def test_a_water_syndicates_acronym_heads_its_minutes() -> None:
    name = "siaep-arnegue-cs-2024-12-12.pdf"
    assert detect_commune(_pages(name)[:1], name) == "SIAEP de la Vallée de l'Arnègue"


def test_decisions_taken_by_delegation_are_records_of_their_own_date() -> None:
    """ "DÉCISION N° 2024-D-011 3 avril 2024" / "Objet : ...": one record per decision, dated by its heading (the
    collection has no séance); the summary table on page 1 repeats the numbers without a body and makes none."""
    name = "cc-plateau-serandol-decisions-2024-t2.pdf"
    records = split_deliberations(_pages(name), source=name)
    assert [(r.delib_id, r.date) for r in records] == [
        ("2024-D-011", "2024-04-03"),
        ("2024-D-012", "2024-04-11"),
        ("2024-D-013", "2024-04-23"),
        ("2024-D-014", "2024-05-14"),
        ("2024-D-015", "2024-05-27"),
        ("2024-D-016", "2024-06-04"),
        ("2024-D-017", "2024-06-18"),
        ("2024-B-007", "2024-06-20"),
        ("2024-B-008", "2024-06-20"),
    ]
    assert records[2].objet.startswith("Bail dérogatoire – atelier-relais n° 2")
    assert (records[-1].pour, records[-1].contre) == (7, 1)
