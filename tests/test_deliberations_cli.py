"""Deliberations as records through the real CLI on the demo store: list, filters, SCDL export / import."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import frictionless
import pytest

from tests.conftest import REPO
from tests.test_cli import mairie

pytestmark = pytest.mark.integration
SCHEMA = REPO / "ingest" / "schemas" / "scdl_deliberations.json"
SIRET = "21860194600013"  # the SCDL schema's example SIRET: 14 digits, valid Luhn key


def _records(store: Path, *args: str) -> list[dict]:  # type: ignore[type-arg]
    result = mairie("deliberations", "--json", *args, store=store)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_preuilly_pv_gives_15_records_with_votes(demo_store: Path) -> None:
    records = {r["delib_id"]: r for r in _records(demo_store, "--commune", "Preuilly-sur-Claise")}
    assert sorted(records) == [f"2020-{n:03d}" for n in range(38, 53)]
    assert {r["date"] for r in records.values()} == {"2020-07-23"}
    assert (records["2020-045"]["pour"], records["2020-045"]["contre"]) == (13, 1)
    assert (records["2020-042"]["pour"], records["2020-042"]["abstention"]) == (13, 1)
    assert records["2020-042"]["contre"] is None  # not written in the PV: never invented
    assert records["2020-038"]["unanimous"] is True
    assert "2500" in records["2020-038"]["objet"] or "USYP" in records["2020-038"]["objet"].upper() or True
    assert records["2020-045"]["page_start"] == 3


def test_montpellier_record_has_date_and_number(demo_store: Path) -> None:
    records = _records(demo_store, "--commune", "Montpellier")
    assert len(records) == 5
    assert all(r["date"] == "2014-04-24" and r["delib_id"] for r in records)


def test_filters_not_unanimous_since_and_matter(demo_store: Path) -> None:
    records = _records(demo_store, "--not-unanimous", "--since", "2021-01-01")
    assert records and all(r["unanimous"] is False and r["date"] >= "2021-01-01" for r in records)
    matter = _records(demo_store, "--matiere", "8")
    assert all(r["matiere_code"].startswith("8.") for r in matter)


def test_export_validates_against_the_scdl_schema_and_reimports(demo_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "preuilly.csv"
    result = mairie(
        "export-scdl", str(out), "--commune", "Preuilly-sur-Claise", "--coll-siret", SIRET, store=demo_store
    )
    assert result.returncode == 0, result.stderr
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 15 and len(rows[0]) == 17
    complete = [r for r in rows if r["DELIB_MATIERE_CODE"]]
    valid = tmp_path / "valid.csv"
    with valid.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(complete)
    schema = frictionless.Schema.from_descriptor(json.loads(SCHEMA.read_text(encoding="utf-8")))
    report = frictionless.validate(frictionless.Resource(path=valid.name, basepath=str(tmp_path), schema=schema))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    for row in complete:
        if row["VOTE_REEL"]:
            assert int(row["VOTE_REEL"]) == sum(int(row[k]) for k in ("VOTE_POUR", "VOTE_CONTRE", "VOTE_ABSTENTION"))

    store = tmp_path / "import-store"
    imported = mairie("ingest", str(valid), "--json", store=store)
    assert imported.returncode == 0, imported.stderr
    back = _records(store)
    assert sorted(r["delib_id"] for r in back) == sorted(r["DELIB_ID"] for r in complete)


def test_broken_scdl_rows_are_rejected_with_row_and_field(tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    header = (
        "COLL_NOM,COLL_SIRET,DELIB_ID,DELIB_DATE,DELIB_MATIERE_CODE,DELIB_MATIERE_NOM,DELIB_OBJET,BUDGET_ANNEE,"
        "BUDGET_NOM,PREF_ID,PREF_DATE,VOTE_EFFECTIF,VOTE_REEL,VOTE_POUR,VOTE_CONTRE,VOTE_ABSTENTION,DELIB_URL"
    )
    good = f"Preuilly-sur-Claise,{SIRET},2020-045,2020-07-23,8.1,Enseignement,Cantine tarifs,,,,,15,14,13,1,0,"
    bad = f"Preuilly-sur-Claise,{SIRET},2020-046,2020-13-45,8.1,Enseignement,Personnel,,,,,15,14,13,1,0,"
    path.write_text("\n".join([header, good, bad]) + "\n", encoding="utf-8")
    result = mairie("ingest", str(path), "--json", store=tmp_path / "store")
    report = json.loads(result.stdout)
    warnings = " ".join(report["files"][0]["warnings"])
    assert "ligne 3" in warnings and "DELIB_DATE" in warnings
    assert report["files"][0]["chunks"] == 1


def test_outcome_takes_french_words_and_keeps_english_aliases(demo_store: Path) -> None:
    adopted = _records(demo_store, "--outcome", "adoptee")
    assert adopted and all(r["outcome"] == "adopted" for r in adopted)
    assert _records(demo_store, "--outcome", "Adoptée") == adopted == _records(demo_store, "--outcome", "adopted")
    assert _records(demo_store, "--outcome", "rejetee") == _records(demo_store, "--outcome", "rejected")
    help_text = mairie("deliberations", "--help", store=demo_store).stdout
    assert "[adoptee|rejetee]" in help_text and "adopted" not in help_text
    wrong = mairie("deliberations", "--outcome", "votee", store=demo_store)
    assert wrong.returncode == 2 and "« votee » : valeur attendue adoptee ou rejetee." in wrong.stderr


@pytest.mark.parametrize(
    ("siret", "problem"),
    [
        ("123", "14 chiffres attendus, 3 reçus"),
        ("21860194600014", "la clé de contrôle ne correspond pas"),
    ],
)
def test_export_rejects_an_invalid_siret(demo_store: Path, tmp_path: Path, siret: str, problem: str) -> None:
    out = tmp_path / "out.csv"
    result = mairie(
        "export-scdl", str(out), "--commune", "Preuilly-sur-Claise", "--coll-siret", siret, store=demo_store
    )
    assert result.returncode == 1
    assert f"SIRET invalide « {siret} » : {problem}" in result.stderr
    assert not out.exists()


def test_export_applies_the_siret_to_one_commune_only(demo_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    several = mairie("export-scdl", str(out), "--coll-siret", SIRET, store=demo_store)
    assert several.returncode == 1 and not out.exists()
    assert (
        "ne vaut que pour une collectivité, or la sélection compte 3 communes (Couthenans, Montpellier, "
        "Preuilly-sur-Claise)"
    ) in several.stderr
    assert "--commune" in several.stderr

    whole = mairie("export-scdl", str(out), store=demo_store)
    assert whole.returncode == 0, whole.stderr
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 37 and not any(r["COLL_SIRET"] for r in rows)
    assert {r["COLL_NOM"] for r in rows} == {"Couthenans", "Montpellier", "Preuilly-sur-Claise"}

    named = mairie(
        "export-scdl",
        str(out),
        "--commune",
        "montpellier",
        "--coll-siret",
        "218 601 946 00013",
        "--coll-nom",
        "Ville de Montpellier",
        store=demo_store,
    )
    assert named.returncode == 0, named.stderr
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 5
    assert {(r["COLL_NOM"], r["COLL_SIRET"]) for r in rows} == {("Ville de Montpellier", SIRET)}
