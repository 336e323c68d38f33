"""The one deliberation record: record <-> chunk metadata round trip, vote label, and records read from the store."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from rag import schema
from rag.records import (
    MAX_OBJET,
    list_records,
    outcome_from_text,
    record_from_meta,
    record_matches,
    record_meta,
    vote_label,
)
from rag.schema import DeliberationRecord, Filters
from rag.store import matches_filters

FULL = DeliberationRecord(
    source="preuilly/PV_CM_2020-07-23.pdf",
    commune="Preuilly-sur-Claise",
    date="2020-07-23",
    delib_id="2020-045",
    objet="Cantine scolaire - tarifs",
    rapporteur="M. Dupont",
    outcome=schema.OUTCOME_ADOPTED,
    unanimous=False,
    vote_text="13 pour, 1 contre",
    pour=13,
    contre=1,
    abstention=0,
    en_exercice=15,
    presents=13,
    representes=1,
    votants=14,
    matiere_code="8.1",
    matiere_nom="domaines de compétences par thèmes/enseignement",
    articles_vises=["L2121-29", "L2331-2"],
    page_start=3,
    page_end=4,
    url="https://example.org/2020-045.pdf",
    path="/srv/pv/PV_CM_2020-07-23.pdf",
)
UNKNOWN = DeliberationRecord(source="pv.pdf")  # nothing known but the source


@pytest.mark.parametrize("record", [FULL, UNKNOWN, dataclasses.replace(FULL, unanimous=True, contre=None)])
def test_record_meta_and_record_from_meta_are_inverses(record: DeliberationRecord) -> None:
    meta = record_meta(record)
    assert all(isinstance(v, (str, int, float, bool)) for v in meta.values()), meta  # flat scalars for Chroma
    assert record_from_meta(meta) == record


def test_unknown_values_are_absent_from_the_metadata_and_come_back_none() -> None:
    record = DeliberationRecord(source="pv.pdf", delib_id="2020-042", pour=13, abstention=1)
    meta = record_meta(record)
    for key in (
        schema.VOTE_CONTRE,
        schema.EN_EXERCICE,
        schema.PRESENTS,
        schema.REPRESENTES,
        schema.VOTANTS,
        schema.UNANIMOUS,
        schema.OUTCOME,
        schema.RAPPORTEUR,
        schema.MATIERE,
        schema.MATIERE_L1,
        schema.ARTICLES_VISES,
        schema.COMMUNE,
        schema.COMMUNE_KEY,
        schema.DATE,
        schema.URL,
        schema.PATH,
    ):
        assert key not in meta, key
    back = record_from_meta(meta)
    assert (back.pour, back.contre, back.abstention) == (13, None, 1)  # a missing count is never 0
    assert back.unanimous is None and back.outcome is None and back.en_exercice is None


def test_zero_and_false_are_kept_not_dropped() -> None:
    record = DeliberationRecord(source="pv.pdf", pour=0, contre=0, abstention=0, unanimous=False)
    back = record_from_meta(record_meta(record))
    assert (back.pour, back.contre, back.abstention, back.unanimous) == (0, 0, 0, False)


def test_derived_filter_keys_are_written() -> None:
    meta = record_meta(FULL)
    assert meta[schema.KIND] == schema.KIND_DELIBERATION
    assert meta[schema.COMMUNE_KEY] == "preuilly-sur-claise"
    assert meta[schema.DATE_INT] == 20200723
    assert meta[schema.MATIERE_L1] == "8"
    assert meta[schema.ARTICLES_VISES] == "L2121-29;L2331-2"
    assert (meta[schema.RECORD_PAGE_START], meta[schema.RECORD_PAGE_END]) == (3, 4)


def test_long_objet_is_cut_in_the_metadata_only() -> None:
    record = dataclasses.replace(FULL, objet="x" * (MAX_OBJET + 50))
    assert record_from_meta(record_meta(record)).objet == "x" * MAX_OBJET


def test_record_matches_is_the_store_predicate() -> None:
    cases = [
        Filters(commune="preuilly sur claise"),
        Filters(commune="Montpellier"),
        Filters(matiere="8"),
        Filters(matiere="8.2"),
        Filters(since="2020-07-23"),
        Filters(until="2020-07-22"),
        Filters(outcome=schema.OUTCOME_ADOPTED),
        Filters(outcome=schema.OUTCOME_REJECTED),
        Filters(not_unanimous=True),
        Filters(kind=schema.KIND_ARTICLE),
    ]
    for filters in cases:
        assert record_matches(FULL, filters) == matches_filters(record_meta(FULL), filters), filters
    assert [record_matches(FULL, f) for f in cases] == [True, False, True, False, True, False, True, False, True, False]


@pytest.mark.parametrize(
    ("changes", "label"),
    [
        ({"pour": 13, "contre": 1, "abstention": 0}, "13 pour, 1 contre, 0 abstention(s)"),
        ({"pour": 13, "abstention": 1}, "13 pour, 1 abstention(s)"),
        ({"pour": 13, "unanimous": True}, "13 pour (unanimité)"),
        ({"pour": 4, "contre": 9, "outcome": schema.OUTCOME_REJECTED}, "rejeté : 4 pour, 9 contre"),
        ({"unanimous": True, "outcome": schema.OUTCOME_ADOPTED}, "unanimité"),
        ({"outcome": schema.OUTCOME_ADOPTED}, "adopté (décompte non précisé)"),
        ({"outcome": schema.OUTCOME_ADOPTED, "unanimous": False}, "adopté à la majorité (décompte non précisé)"),
        ({"outcome": schema.OUTCOME_REJECTED}, "rejeté (décompte non précisé)"),
        ({"unanimous": False}, "non unanime (décompte non précisé)"),
        ({}, "vote non précisé"),
    ],
)
def test_vote_label_says_what_the_document_says(changes: dict[str, Any], label: str) -> None:
    assert vote_label(DeliberationRecord(source="pv.pdf", **changes)) == label


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("adoptee", "adopted"),
        ("Adoptée", "adopted"),
        ("ADOPTÉ", "adopted"),
        ("adopted", "adopted"),
        ("rejetee", "rejected"),
        ("rejetée", "rejected"),
        ("rejected", "rejected"),
        ("votée", None),
        ("", None),
    ],
)
def test_outcome_words(text: str, outcome: str | None) -> None:
    assert outcome_from_text(text) == outcome


# --- records read from the real demo store -----------------------------------------------------------
@pytest.mark.integration
def test_list_records_on_the_demo_store(demo_kb: Any) -> None:
    records = list_records(demo_kb.store)
    assert len({r.key for r in records}) == len(records)  # one record per (document, record index)
    canteen = next(r for r in records if r.delib_id == "2020-045")
    assert canteen.commune == "Preuilly-sur-Claise" and canteen.date == "2020-07-23"
    assert (canteen.pour, canteen.contre) == (13, 1) and canteen.page_start == 3
    assert "cantine" in canteen.text.lower()
    assert canteen.path and canteen.path.endswith("PV_CM_2020-07-23.pdf")
    assert vote_label(canteen).startswith("13 pour, 1 contre")
    dates = [r.date or "" for r in records]
    assert dates == sorted(dates, reverse=True)  # newest séance first


@pytest.mark.integration
def test_list_records_filters_agree_with_record_matches(demo_kb: Any) -> None:
    everything = list_records(demo_kb.store)
    for filters in (
        Filters(commune="Montpellier"),
        Filters(not_unanimous=True, since="2021-01-01"),
        Filters(matiere="8"),
        Filters(outcome=schema.OUTCOME_ADOPTED),
    ):
        listed = {r.key for r in list_records(demo_kb.store, filters)}
        assert listed, filters
        assert listed == {r.key for r in everything if record_matches(r, filters)}, filters
