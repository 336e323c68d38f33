"""The French text toolkit (rag/french.py): folding, dates, number words, source labels."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ingest.deliberations import split_deliberations
from ingest.pdf import load_pdf
from ingest.seance import detect_seance_date
from ingest.votes import parse_counts
from rag import schema
from rag.french import (
    MONTHS,
    fold,
    french_date,
    month_number,
    number_from_words,
    parse_french_date,
    short_date,
    source_label,
    source_title,
)
from rag.records import record_meta
from rag.schema import Chunk
from rag.store import normalize_key
from rag.text import tokens

REPO = Path(__file__).resolve().parents[2]
PV = REPO / "data" / "deliberations" / "preuilly-sur-claise" / "PV_CM_2020-07-23.pdf"


# --- fold ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Délibération", "deliberation"),
        ("Vœu de l’Œuvre", "voeu de l'oeuvre"),  # ligatures expanded, typographic apostrophe made plain
        ("ex æquo", "ex aequo"),
        ("« Adopté à l'unanimité »", '" adopte a l\'unanimite "'),
        ("“cantine”", '"cantine"'),
        ("2\u00a0500\u202f€", "2 500 "),  # non-breaking spaces become spaces; other signs are dropped
        ("ÉCOLE", "ecole"),
    ],
)
def test_fold(text: str, expected: str) -> None:
    assert fold(text) == expected


def test_fold_can_keep_the_case() -> None:
    assert fold("Œuvre d’Élise", keep_case=True) == "OEuvre d'Elise"


def test_every_spelling_of_a_word_folds_the_same() -> None:
    """What the callers rely on: the same word written with or without accents, ligatures or typographic
    apostrophes is one token for the lexical index and one key for the commune filter."""
    assert tokens("vœu") == tokens("voeu")
    assert tokens("l’élection") == tokens("l'election")
    assert normalize_key("L’Île-Bouchard") == normalize_key("L'Ile-Bouchard") == "l-ile-bouchard"
    assert normalize_key("Preuilly-sur-Claise") == "preuilly-sur-claise"


# --- months and dates ----------------------------------------------------------------------------
def test_months() -> None:
    assert MONTHS[0] == "janvier" and MONTHS[7] == "août" and MONTHS[11] == "décembre"
    for number, name in enumerate(MONTHS, start=1):
        assert month_number(name) == month_number(name.upper()) == month_number(fold(name)) == number
    assert [month_number(a) for a in ("janv.", "févr", "fevr.", "avr", "juil", "sept", "oct", "nov", "déc")] == [
        1,
        2,
        2,
        4,
        7,
        9,
        10,
        11,
        12,
    ]
    assert month_number("lundi") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Séance du 23 Juillet 2020", "2020-07-23"),  # Preuilly-sur-Claise
        ("à compter du 1er Juin 2014", "2014-06-01"),  # Montpellier
        ("le 1er février 2013", "2013-02-01"),
        ("Conseil municipal du 26/05/2014", "2014-05-26"),
        ("reçu le 7/10/2022", "2022-10-07"),
        ("le 5 août 2021 puis le 12/09/2021", "2021-08-05"),  # the first date written wins
        ("le 12/09/2021 puis le 5 août 2021", "2021-09-12"),
        ("le 31 février 2021", None),
        ("31/02/2021", None),
        ("rien", None),
    ],
)
def test_parse_french_date(text: str, expected: str | None) -> None:
    assert parse_french_date(text) == expected


def test_dates_round_trip() -> None:
    day = dt.date(2020, 1, 1)
    while day.year == 2020:
        iso = day.isoformat()
        assert parse_french_date(french_date(iso)) == iso
        assert parse_french_date(short_date(iso)) == iso
        day += dt.timedelta(days=1)


def test_date_formats() -> None:
    assert french_date("2022-10-07") == "7 octobre 2022"
    assert french_date("2020-07-01") == "1er juillet 2020"
    assert french_date("2020-12-25") == "25 décembre 2020"
    assert short_date("2022-10-07") == "07/10/2022"
    for unknown in ("2020", "23/07/2020", "2020-13-01", ""):
        assert french_date(unknown) == unknown
    assert short_date("2020") == "2020"
    assert french_date(None) == short_date(None) == ""


# --- number words --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("treize", 13),
        ("TREIZE", 13),
        ("dix-neuf", 19),
        ("dix neuf", 19),
        ("vingt et un", 21),
        ("vingt-et-une", 21),
        ("vingt trois", 23),
        ("soixante et onze", 71),
        ("quatre-vingts", 80),
        ("quatre-vingt-treize", 93),
        ("deux mille vingt", 2020),
        ("deux mil vingt", 2020),
        ("premier", 1),
        ("1er", 1),
        ("zéro", 0),
        ("15", 15),
        (" quinze ", 15),
        ("voix", None),
        ("", None),
        ("et", None),
        ("un deux", None),
    ],
)
def test_number_from_words(words: str, expected: int | None) -> None:
    assert number_from_words(words) == expected


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("Par : DEUX voix POUR - ONZE voix CONTRE et 1 ABSTENTION", (2, 11, 1)),  # Preuilly PV, 2020-052
        ("treize voix pour", (13, None, None)),
        ("Adopté par dix-neuf voix pour et une voix contre", (19, 1, None)),  # not "neuf"
        ("vingt et une voix pour, deux voix contre", (21, 2, None)),
    ],
)
def test_votes_written_in_words(statement: str, expected: tuple[int | None, int | None, int | None]) -> None:
    assert parse_counts(statement) == expected


@pytest.mark.integration
def test_seance_date_written_in_words_in_a_real_minutes() -> None:
    """The Preuilly PV opens with "Le vingt trois Juillet deux mille vingt"."""
    pages = load_pdf(PV, display=PV.name, max_pages=50)
    assert "vingt trois Juillet deux mille vingt" in " ".join(pages[0].text.split())
    assert detect_seance_date(pages[:1], "pv.pdf") == "2020-07-23"


# --- source labels -------------------------------------------------------------------------------
def _deliberation_chunk(delib_id: str) -> Chunk:
    pages = load_pdf(PV, display=PV.name, max_pages=50)
    records = split_deliberations(
        pages, source="PV_CM_2020-07-23.pdf", commune="Preuilly-sur-Claise", seance_date="2020-07-23"
    )
    record = next(r for r in records if r.delib_id == delib_id)
    meta = {schema.SOURCE: "PV_CM_2020-07-23.pdf", schema.PAGE: record.page_start, **record_meta(record)}
    return Chunk(id="c", text=record.text or "", meta=meta)


@pytest.mark.integration
def test_label_of_a_real_deliberation() -> None:
    chunk = _deliberation_chunk("2020-045")
    assert source_label(chunk) == (
        "Délibération 2020-045, Preuilly-sur-Claise, séance du 23 juillet 2020, PV_CM_2020-07-23.pdf, p. 3"
    )
    assert source_title(chunk).startswith("Délibération 2020-045 — ") and "CANTINE" in source_title(chunk)


def test_label_of_an_article() -> None:
    article = Chunk(
        id="a",
        text="",
        meta={
            schema.KIND: schema.KIND_ARTICLE,
            schema.ARTICLE: "L2121-17",
            schema.CODE: "CGCT",
            schema.VERSION_DATE: "2015-01-01",
        },
    )
    assert source_title(article) == "Article L2121-17 (CGCT)"
    assert source_label(article) == "Article L2121-17 (CGCT), texte consolidé au 1er janvier 2015"
    article.meta[schema.VERSION_NOTE] = "texte consolidé au 1er janvier 2015, inchangé au 3 juin 2023"
    assert (
        source_label(article) == "Article L2121-17 (CGCT), texte consolidé au 1er janvier 2015, inchangé au 3 juin 2023"
    )


def test_label_of_a_deliberation_without_number_or_date() -> None:
    chunk = Chunk(
        id="d",
        text="",
        meta={
            schema.KIND: schema.KIND_DELIBERATION,
            schema.OBJET: "Tarifs cantine",
            schema.SOURCE: "CR.pdf",
            schema.PAGE: 2,
        },
    )
    assert source_label(chunk) == "Délibération « Tarifs cantine », CR.pdf, p. 2"
    assert source_title(chunk) == "Délibération — Tarifs cantine"
    page = Chunk(id="p", text="", meta={schema.SOURCE: "note.pdf", schema.TITLE: "Note", schema.PAGE: 1})
    assert (source_label(page), source_title(page)) == ("note.pdf, p. 1", "Note")
