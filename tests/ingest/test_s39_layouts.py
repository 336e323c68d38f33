"""Layouts of session 39's blind set (benchmarks/other_bodies_s39, its dev half) and session 38's seen set: a housing
office's minutes whose items are "Point n°4 —" over paragraphs numbered straight through, each closed by "Votants : 11 —
Pour : 8 — Contre : 3 ..."; a care home's council whose opinions stand for votes ("Avis du CVS : favorable (4 avis
favorables, 2 avis défavorables ...)"); a tourist office's vote labels after each numbered block ("5.3 – Pour 5 ·
Contre 8 · Abst. 1 – rejeté"); a small commune's register holding three séances, each opened by "L'an deux mille
vingt-cinq, le quatorze mars"."""

from __future__ import annotations

from pathlib import Path

from ingest.base import SourceMeta
from ingest.council import CouncilPdfLoader
from ingest.deliberations import split_deliberations
from ingest.pdf import load_pdf
from ingest.seance import document_head, seance_openings
from ingest.votes import _report_vote, counts_line, parse_counts
from rag import schema
from rag.schema import DeliberationRecord, Page
from rag.settings import Settings

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def _pages(path: Path) -> list[Page]:
    return load_pdf(path, display=path.name, max_pages=10, isolate=False)


def _records(path: Path) -> list[DeliberationRecord]:
    return split_deliberations(_pages(path), source=path.name)


def test_points_with_an_em_dash_are_the_items_and_their_labelled_counts_the_votes() -> None:
    records = _records(BENCHMARKS / "other_bodies_s39" / "cantelouze-oph-ca-pv-2024-12-12.pdf")
    assert [r.objet for r in records][:4] == [
        "Approbation du procès-verbal de la séance du 26 septembre 2024",
        "Évolution des loyers au 1er janvier 2025",
        "Budget 2025",
        "Réhabilitation thermique de la résidence des Hauts-de-Marcillou",
    ]
    rents = records[1]
    # "Votants : 11 — Pour : 8 — Contre : 3 (Mme LOUBATERNE, ...) —" / "Abstention : 0": the vote goes on below
    assert (rents.pour, rents.contre, rents.abstention) == (8, 3, 0) and "SYLLAMBÉ" in (rents.vote_text or "")
    assert "2,90 %" in rents.text
    parking = records[-1]
    assert parking.outcome == "rejected" and (parking.pour, parking.contre) == (3, 7)


def test_a_consultative_councils_opinions_are_its_votes() -> None:
    records = _records(BENCHMARKS / "other_bodies_s39" / "mornaval-ehpad-cvs-cr-2025-05-22.pdf")
    assert [r.objet for r in records] == [
        "Prix de journée 2026 (proposition de l'établissement)",
        "Repas des visiteurs",
        "Horaires des visites",
        "Animaux de compagnie",
    ]
    assert "4 avis favorables, 2 avis défavorables" in (records[0].vote_text or "")
    assert records[1].unanimous is True
    assert "renvoyé à la réunion de septembre" in (records[3].vote_text or "")
    assert _report_vote("Avis de la commission : le projet est intéressant") is None


def test_vote_labels_after_numbered_blocks_make_records() -> None:
    records = _records(BENCHMARKS / "other_bodies_s38" / "brumieres-ot-codir-2025-10-14.pdf")
    by_title = {r.objet: r for r in records}
    sunday = by_title["Ouverture dominicale en hiver"]
    assert (sunday.pour, sunday.contre, sunday.abstention, sunday.outcome) == (5, 8, 1, "rejected")
    assert sunday.vote_text == "Pour 5 · Contre 8 · Abst. 1 – rejeté"  # (the item's number "5.3 –" is no part of it)
    # "... ne prenant pas part au vote –" / "adopté": the outcome on the next line closes the vote
    assert "adopté" in (by_title["Domaine nordique du col des Vergnolles"].vote_text or "")
    assert by_title["Orientations du budget 2026"].pour is None  # "2.2 – Information – pas de vote"


def test_counts_under_their_labels() -> None:
    assert parse_counts("3.2 – Pour 12 · Contre 2 (Mme A, M. B) · Abst. 0 – adopté") == (12, 2, 0)
    assert parse_counts("10 voix pour 2 contre 1 abstention") == (10, 2, 1)  # (the counts first: read as written)
    assert counts_line("Votants : 11 — Pour : 9 — Contre : 1 — Abstention : 1")
    assert not counts_line("Le tarif pour 12 repas contre 10 l'an dernier")


def test_a_head_skips_the_running_header_and_the_page_number() -> None:
    head = document_head(_pages(BENCHMARKS / "other_bodies_s38" / "brumieres-ot-codir-2025-10-14.pdf"))
    assert "Office de tourisme des Hautes-Brumières" in head and "OTHB" not in head and "1 sur 2" not in head


def test_each_passage_of_a_register_takes_the_date_of_its_own_seance() -> None:
    path = BENCHMARKS / "other_bodies_s39" / "fontbremoux-cm-registre-2025-06-06.pdf"
    assert [iso for _, _, iso in seance_openings(_pages(path))] == ["2025-03-14", "2025-04-11", "2025-06-06"]
    loaded = CouncilPdfLoader().load(path, meta=SourceMeta(source=path.name, digest="x", settings=Settings()))
    dated = {chunk.meta[schema.DATE] for chunk in loaded.documents[0].chunks if "lavoir" in chunk.text}
    assert dated == {"2025-03-14"}  # the wash-house repair was voted on 14 March, not on the file's 6 June
    lease = [chunk for chunk in loaded.documents[0].chunks if "TRUCHASSON" in chunk.text]
    assert lease and all(chunk.meta[schema.DATE] == "2025-04-11" for chunk in lease)
