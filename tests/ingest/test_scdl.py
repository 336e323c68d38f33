"""SCDL Délibérations CSV export and import (ingest/scdl.py), validated with frictionless."""

from __future__ import annotations

import csv
import json
import logging
import warnings
from pathlib import Path

import frictionless
import pytest

from ingest.deliberations import split_deliberations
from ingest.scdl import (
    SCHEMA_PATH,
    check_siret,
    read_scdl_csv,
    records_to_scdl_rows,
    scdl_fields,
    siret_problem,
    write_scdl_csv,
)
from rag.errors import ConfigError, SourceError
from rag.schema import DeliberationRecord, Page

REPO = Path(__file__).resolve().parents[2]
PREUILLY = REPO / "data" / "deliberations" / "preuilly-sur-claise" / "PV_CM_2020-07-23.pdf"
# Not Preuilly's SIRET (unknown to the project): a well-formed placeholder for the tests only.
TEST_SIRET = "00000000000000"


def preuilly_records() -> list[DeliberationRecord]:
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pages = [Page(p.extract_text() or "", n) for n, p in enumerate(PdfReader(str(PREUILLY)).pages, start=1)]
    return split_deliberations(pages, source="PV_CM_2020-07-23.pdf")


def validate(path: Path) -> list[tuple[int, str, str]]:
    schema = frictionless.Schema.from_descriptor(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    resource = frictionless.Resource(path=path.name, basepath=str(path.parent), schema=schema)
    report = frictionless.validate(resource)
    return [tuple(row) for row in report.flatten(["rowNumber", "fieldName", "type"])]


def test_packaged_schema_has_the_17_fields() -> None:
    assert len(scdl_fields()) == 17
    assert scdl_fields()[:4] == ("COLL_NOM", "COLL_SIRET", "DELIB_ID", "DELIB_DATE")


@pytest.mark.integration
def test_preuilly_csv_is_valid_scdl(tmp_path: Path) -> None:
    records = preuilly_records()
    path = write_scdl_csv(records, tmp_path / "deliberations.csv", coll_siret=TEST_SIRET)
    errors = validate(path)
    # The only rows frictionless rejects are those whose ACTES matter is unknown (required, never guessed).
    unknown = {n for n, r in enumerate(records, start=2) if r.matiere_code is None}
    assert unknown, "the test expects at least one deliberation without a matter"
    assert {(n, field, kind) for n, field, kind in errors} == {
        (n, field, "constraint-error") for n in unknown for field in ("DELIB_MATIERE_CODE", "DELIB_MATIERE_NOM")
    }
    complete = write_scdl_csv([r for r in records if r.matiere_code], tmp_path / "complete.csv", coll_siret=TEST_SIRET)
    assert validate(complete) == []


@pytest.mark.integration
def test_vote_columns(tmp_path: Path) -> None:
    rows = records_to_scdl_rows(preuilly_records(), coll_siret=TEST_SIRET)
    by_id = {row["DELIB_ID"]: row for row in rows}
    eolien = by_id["2020-052"]
    assert (eolien["VOTE_POUR"], eolien["VOTE_CONTRE"], eolien["VOTE_ABSTENTION"]) == ("2", "11", "1")
    assert (eolien["VOTE_REEL"], eolien["VOTE_EFFECTIF"]) == ("14", "15")
    # 13 pour, 1 contre, abstentions not written: no total, no effectif (never invented).
    cantine = by_id["2020-045"]
    assert (cantine["VOTE_POUR"], cantine["VOTE_CONTRE"], cantine["VOTE_ABSTENTION"], cantine["VOTE_REEL"]) == (
        "13",
        "1",
        "",
        "",
    )
    # Unanimous without figures: all vote columns empty.
    assert all(by_id["2020-038"][name] == "" for name in ("VOTE_EFFECTIF", "VOTE_REEL", "VOTE_POUR"))
    for row in rows:
        if row["VOTE_REEL"]:
            total = int(row["VOTE_POUR"]) + int(row["VOTE_CONTRE"]) + int(row["VOTE_ABSTENTION"])
            assert int(row["VOTE_REEL"]) == total
        if row["VOTE_EFFECTIF"]:
            assert all(row[name] for name in ("VOTE_REEL", "VOTE_POUR", "VOTE_CONTRE", "VOTE_ABSTENTION"))


@pytest.mark.integration
def test_round_trip(tmp_path: Path) -> None:
    records = preuilly_records()
    path = write_scdl_csv(records, tmp_path / "deliberations.csv", coll_siret=TEST_SIRET)
    imported, messages = read_scdl_csv(path)
    missing = [n for n, r in enumerate(records, start=2) if r.matiere_code is None]
    assert messages == [
        f"deliberations.csv, ligne {n}, champ {field} : valeur obligatoire manquante"
        for n in missing
        for field in ("DELIB_MATIERE_CODE", "DELIB_MATIERE_NOM")
    ]
    assert [r.delib_id for r in imported] == [r.delib_id for r in records if r.matiere_code]
    eolien = next(r for r in imported if r.delib_id == "2020-052")
    assert (eolien.pour, eolien.contre, eolien.abstention, eolien.votants, eolien.en_exercice) == (2, 11, 1, 14, 15)
    assert eolien.commune == "Preuilly-sur-Claise" and eolien.date == "2020-07-23"


def write_rows(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(scdl_fields()))
        writer.writeheader()
        for row in rows:
            writer.writerow({name: row.get(name, "") for name in scdl_fields()})
    return path


GOOD = {
    "COLL_NOM": "Commune de Test",
    "COLL_SIRET": TEST_SIRET,
    "DELIB_ID": "2020-045",
    "DELIB_DATE": "2020-07-23",
    "DELIB_MATIERE_CODE": "8.1",
    "DELIB_MATIERE_NOM": "domaines de compétences par thèmes/enseignement",
    "DELIB_OBJET": "Cantine - tarifs",
    "VOTE_EFFECTIF": "15",
    "VOTE_REEL": "14",
    "VOTE_POUR": "13",
    "VOTE_CONTRE": "1",
    "VOTE_ABSTENTION": "0",
}


def test_broken_csv_is_rejected_row_by_row(tmp_path: Path) -> None:
    path = write_rows(
        tmp_path / "deliberations.csv",
        [
            GOOD,
            {**GOOD, "DELIB_ID": "2020-046", "DELIB_DATE": "2020-13-45"},
            {**GOOD, "DELIB_ID": "2020-047", "VOTE_REEL": "12"},
            {**GOOD, "DELIB_ID": "", "COLL_SIRET": "1234", "VOTE_POUR": "treize"},
            {**GOOD, "DELIB_ID": "2020-049", "DELIB_MATIERE_CODE": "12.3", "VOTE_EFFECTIF": "15", "VOTE_REEL": ""},
        ],
    )
    records, messages = read_scdl_csv(path)
    assert [r.delib_id for r in records] == ["2020-045"]
    assert (records[0].pour, records[0].contre, records[0].abstention, records[0].unanimous) == (13, 1, 0, False)
    assert messages == [
        "deliberations.csv, ligne 3, champ DELIB_DATE : date invalide « 2020-13-45 » (format attendu AAAA-MM-JJ)",
        "deliberations.csv, ligne 4, champ VOTE_REEL : 12 différent de VOTE_POUR + VOTE_CONTRE + VOTE_ABSTENTION (14)",
        "deliberations.csv, ligne 5, champ DELIB_ID : valeur obligatoire manquante",
        "deliberations.csv, ligne 5, champ COLL_SIRET : SIRET invalide « 1234 » (14 chiffres attendus, 4 reçus)",
        "deliberations.csv, ligne 5, champ VOTE_POUR : nombre entier positif attendu « treize »",
        "deliberations.csv, ligne 6, champ DELIB_MATIERE_CODE : code de matière ACTES inconnu « 12.3 » "
        "(attendu de 1.1 à 9.4)",
        "deliberations.csv, ligne 6, champ VOTE_REEL : valeur manquante alors que VOTE_EFFECTIF est renseigné",
    ]


def test_wrong_columns_and_encoding_are_file_errors(tmp_path: Path) -> None:
    wrong = tmp_path / "liste.csv"
    wrong.write_text("numero;titre;date\n1;Budget;2020-01-01\n", encoding="utf-8")
    with pytest.raises(SourceError) as info:
        read_scdl_csv(wrong)
    assert str(info.value).startswith(
        "liste.csv : ce n'est pas un fichier SCDL Délibérations (colonnes manquantes : COLL_NOM, COLL_SIRET"
    )
    assert "colonnes inconnues : numero, titre, date" in str(info.value)

    latin1 = tmp_path / "latin1.csv"
    header = ",".join(scdl_fields())
    latin1.write_bytes((header + "\nCommune de Préuilly,,,,,,,,,,,,,,,,\n").encode("latin-1"))
    with pytest.raises(SourceError) as info:
        read_scdl_csv(latin1)
    assert "encodage non UTF-8" in str(info.value) and "réenregistrez le fichier en UTF-8" in str(info.value)


def test_semicolon_separated_file_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "delibs.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(scdl_fields()), delimiter=";")
        writer.writeheader()
        writer.writerow({name: GOOD.get(name, "") for name in scdl_fields()})
    records, messages = read_scdl_csv(path)
    assert messages == [] and [r.delib_id for r in records] == ["2020-045"]


# --- SIRET and the collectivity's values ----------------------------------------------------------
@pytest.mark.parametrize(
    ("siret", "problem"),
    [
        ("21860194600013", None),  # the SCDL schema's example
        ("35600000000048", None),  # La Poste's head office: Luhn key
        ("35600000000010", None),  # a La Poste office: no Luhn key, but its digits sum to a multiple of 5
        ("35600000000011", "la clé de contrôle ne correspond pas (un chiffre mal recopié ?)"),
        ("21860194600014", "la clé de contrôle ne correspond pas (un chiffre mal recopié ?)"),
        ("123", "14 chiffres attendus, 3 reçus"),
        ("2186019460001A", "14 chiffres attendus, 13 reçus"),
    ],
)
def test_siret_needs_14_digits_and_a_valid_key(siret: str, problem: str | None) -> None:
    assert siret_problem(siret) == problem


def test_check_siret_names_the_value_and_the_fix() -> None:
    assert check_siret("218 601 946 00013") == "21860194600013"
    with pytest.raises(ConfigError) as info:
        check_siret("123")
    assert str(info.value) == (
        "SIRET invalide « 123 » : 14 chiffres attendus, 3 reçus. Recopiez les 14 chiffres du "
        "SIRET de la collectivité, tel que l'affiche annuaire-entreprises.data.gouv.fr."
    )


TWO_COMMUNES = [
    DeliberationRecord(source="a.pdf", commune="Preuilly-sur-Claise", delib_id="1"),
    DeliberationRecord(source="b.pdf", commune="Montpellier", delib_id="2"),
]


def test_collectivity_values_belong_to_one_commune() -> None:
    with pytest.raises(ConfigError) as info:
        records_to_scdl_rows(TWO_COMMUNES, coll_siret="21860194600013")
    assert str(info.value) == (
        "Le SIRET « 21860194600013 » ne vaut que pour une collectivité, or la sélection "
        "compte 2 communes (Montpellier, Preuilly-sur-Claise) : exportez une commune à la fois."
    )
    with pytest.raises(ConfigError, match="Le nom « Ville » ne vaut que"):
        records_to_scdl_rows(TWO_COMMUNES, coll_nom="Ville")
    with pytest.raises(ConfigError, match="SIRET invalide « 123 »"):
        records_to_scdl_rows(TWO_COMMUNES[:1], coll_siret="123")
    rows = records_to_scdl_rows(TWO_COMMUNES)  # nothing given: each row keeps its own commune
    assert [(r["COLL_NOM"], r["COLL_SIRET"]) for r in rows] == [("Preuilly-sur-Claise", ""), ("Montpellier", "")]
    rows = records_to_scdl_rows(TWO_COMMUNES[1:], coll_nom="Ville de Montpellier", coll_siret="21860194600013")
    assert [(r["COLL_NOM"], r["COLL_SIRET"]) for r in rows] == [("Ville de Montpellier", "21860194600013")]


# --- CSV formula injection ------------------------------------------------------------------------
FORMULAS = ['=HYPERLINK("http://evil.example","clic")', "+33 1 23", "-2+3", "@SUM(A1)"]


def test_export_neutralises_formula_cells_and_import_restores_them(tmp_path: Path) -> None:
    records = [
        DeliberationRecord(
            source="pv.pdf",
            commune="Preuilly-sur-Claise",
            date="2020-07-23",
            delib_id=f"2020-0{n}",
            objet=objet,
            matiere_code="8.1",
        )
        for n, objet in enumerate(FORMULAS, start=10)
    ]
    path = write_scdl_csv(records, tmp_path / "export.csv", coll_siret=TEST_SIRET)
    with path.open(encoding="utf-8", newline="") as handle:
        cells = [row["DELIB_OBJET"] for row in csv.DictReader(handle)]
    assert cells == [f"'{objet}" for objet in FORMULAS]  # shown as text by a spreadsheet, never run
    notes: list[str] = []
    imported, messages = read_scdl_csv(path, notes=notes)
    assert messages == [] and notes == []  # our own quotes: nothing suspicious
    assert [r.objet for r in imported] == FORMULAS


def test_import_warns_about_formula_cells_with_row_and_field(tmp_path: Path) -> None:
    path = write_rows(
        tmp_path / "deliberations.csv",
        [
            GOOD,
            {**GOOD, "DELIB_ID": "2020-046", "DELIB_OBJET": "=cmd|' /C calc'!A0"},
            {**GOOD, "DELIB_ID": "2020-047", "DELIB_MATIERE_NOM": "@SUM(1+1)"},
        ],
    )
    notes: list[str] = []
    records, messages = read_scdl_csv(path, notes=notes)
    assert messages == [] and [r.delib_id for r in records] == ["2020-045", "2020-046", "2020-047"]
    assert notes == [
        "deliberations.csv, ligne 3, champ DELIB_OBJET : la valeur commence par « = », comme une formule de "
        "tableur ; elle est gardée comme du texte, sans être exécutée",
        "deliberations.csv, ligne 4, champ DELIB_MATIERE_NOM : la valeur commence par « @ », comme une formule de "
        "tableur ; elle est gardée comme du texte, sans être exécutée",
    ]
    assert records[1].objet == "=cmd|' /C calc'!A0"  # kept as data; the export quotes it again
    rows = records_to_scdl_rows(records[1:2])
    assert rows[0]["DELIB_OBJET"] == "=cmd|' /C calc'!A0"


def test_import_rejects_a_siret_with_a_wrong_key(tmp_path: Path) -> None:
    path = write_rows(
        tmp_path / "deliberations.csv", [GOOD, {**GOOD, "DELIB_ID": "2020-046", "COLL_SIRET": "21860194600014"}]
    )
    records, messages = read_scdl_csv(path)
    assert [r.delib_id for r in records] == ["2020-045"]
    assert messages == [
        "deliberations.csv, ligne 3, champ COLL_SIRET : SIRET invalide « 21860194600014 » (la clé "
        "de contrôle ne correspond pas (un chiffre mal recopié ?))"
    ]
