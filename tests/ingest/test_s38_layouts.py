"""Layouts of session 38's blind set (benchmarks/other_bodies_s38, its dev half): a school syndicate's debate summed up
in one "relevé des décisions" table at the end; a river syndicate's minutes in prose, each vote inside a sentence
("La délibération est adoptée par dix-huit voix pour ...", "... recueille cinq voix pour, quatorze contre ..."); an
airfield syndicate's recueil set in small capitals ("A RTICLE  1 ER")."""

from __future__ import annotations

from pathlib import Path

from ingest.decision_table import table_rows
from ingest.deliberations import split_deliberations
from ingest.pdf import load_pdf
from ingest.votes import _report_vote, parse_counts
from rag.schema import DeliberationRecord, Page

S38 = Path(__file__).resolve().parents[2] / "benchmarks" / "other_bodies_s38"


def _pages(name: str) -> list[Page]:
    return load_pdf(S38 / name, display=name, max_pages=10, isolate=False)


def _records(name: str) -> list[DeliberationRecord]:
    return split_deliberations(_pages(name), source=name)


def test_each_row_of_a_table_of_decisions_is_a_record_with_its_vote() -> None:
    records = _records("orgeline-sivos-comite-2024-06-27.pdf")
    assert [r.delib_id for r in records] == [f"2024-{n}" for n in range(14, 20)] + [None, None, "2024-20"]
    tariffs = records[1]
    assert tariffs.objet == "Tarifs cantine et garderie 2024-2025"
    assert (tariffs.pour, tariffs.contre) == (6, 2) and "RASTOUILLE" in (tariffs.vote_text or "")
    assert "repas enfant 3,95 €" in tariffs.text
    screens = records[6]
    assert screens.objet == "Écrans numériques interactifs" and screens.outcome == "rejected"
    # the debate above the table holds no vote: "64 pour Orgeline-le-Bas, 41 pour Marvaux" shares pupils out
    assert not any(r.vote_text and "Orgeline-le-Bas" in r.vote_text for r in records)


def test_a_table_row_cut_after_its_years_hyphen_and_a_row_without_number() -> None:
    class Line:
        def __init__(self, text: str) -> None:
            self.text = text

    lines = [
        Line(t)
        for t in (
            "RELEVÉ DES DÉCISIONS",
            "N° Objet Décision Vote",
            "2024-",
            "19",
            "Création d'emploi Crée un emploi permanent d'adjoint technique à 24/35e au 1er",
            "septembre 2024 (service de cantine).",
            "Unanimité (8 voix)",
            "— Règlement intérieur du",
            "périscolaire",
            "Ajourné au comité de septembre 2024, après examen en commission. Sans vote",
            "Prochain comité syndical : jeudi 3 octobre 2024.",
        )
    ]
    head, rows = table_rows(lines)
    assert head == 1 and [(r.number, r.objet, r.vote) for r in rows] == [
        ("2024-19", "Création d'emploi", "Unanimité (8 voix)"),
        (None, "Règlement intérieur du périscolaire", "Sans vote"),
    ]
    assert rows[-1].stop == 10  # the note after the table is no row's
    assert table_rows([Line("Objet : tarifs"), Line("2024-")]) == (-1, [])


def test_votes_written_inside_the_minutes_sentences_make_records() -> None:
    records = {r.objet: r for r in _records("vezoulene-syndicat-riviere-cs-2024-11-19.pdf")}
    allowances = records["INDEMNITÉS DE FONCTION"]
    assert (allowances.pour, allowances.abstention) == (18, 3)
    # "... Tourvilliers 413 000 €. La" / "délibération est adoptée par dix-neuf voix pour et deux voix contre, ..."
    contributions = records["CONTRIBUTIONS DES MEMBRES POUR 2025"]
    assert (contributions.pour, contributions.contre) == (19, 2) and "413 000 €" in contributions.text
    # "... recueille cinq voix" / "pour, quatorze contre et deux abstentions ; elle est rejetée"
    pond = records["ÉTANG DE LA GOURDINIÈRE"]
    assert (pond.pour, pond.contre, pond.abstention, pond.outcome) == (5, 14, 2, "rejected")


def test_counts_in_words_may_leave_out_voix_and_shares_are_no_votes() -> None:
    assert parse_counts("recueille cinq voix pour, quatorze contre et deux abstentions") == (5, 14, 2)
    assert _report_vote("64 pour Orgeline-le-Bas, 41 pour Marvaux-sur-Orgeline et 27") is None
    assert _report_vote("La délibération est adoptée par dix-huit voix pour et trois abstentions,") is not None
    assert _report_vote("La délibération précise les modalités de versement.") is None


def test_small_capitals_are_read_as_words() -> None:
    text = "\n".join(page.text for page in _pages("brevillard-aerodrome-recueil-2025-04-04.pdf"))
    assert "ARTICLE 1 ER" in " ".join(text.split()) and "A RTICLE" not in text


def test_decisions_numbered_letter_first_are_records_of_their_own_date() -> None:
    records = _records("brevillard-aerodrome-recueil-2025-04-04.pdf")
    assert [r.delib_id for r in records] == [f"D-2025-{n:03d}" for n in range(1, 10)]
    mower = records[7]
    assert mower.objet == "portant acquisition d'un tracteur-tondeuse" and mower.date == "2025-03-18"
    assert "MOULINARD" in mower.text and mower.pour is None  # a decision by delegation: no vote


def test_a_hyphen_set_apart_is_joined_on_a_small_capitals_line_only() -> None:
    from ingest.pdf_extract import _clean

    assert _clean("SYNDICAT  MIXTE  DE  L ' AÉRODROME  DE  B RÉVILLARD -C OULMEREY") == (
        "SYNDICAT  MIXTE  DE  L'AÉRODROME  DE  BRÉVILLARD-COULMEREY"
    )
    assert (
        _clean("2013P01 ECOLE BEETHOVEN -LES GRISETTES 7 083 756") == "2013P01 ECOLE BEETHOVEN -LES GRISETTES 7 083 756"
    )
