"""SCDL "Délibérations" CSV files (Socle commun des données locales, schema v2.1.5): export and import.

Export: one row per DeliberationRecord, the 17 columns of the schema. Vote figures are written only when the
document states them; VOTE_REEL is their sum and VOTE_EFFECTIF the members en exercice, both only when the
three figures are known (the schema's checks want VOTE_EFFECTIF either with every vote column or alone empty).

COLL_NOM and COLL_SIRET given by the user belong to one collectivity: they fill only the rows of its commune,
and the SIRET must be valid (14 digits, Luhn key). Cells that a spreadsheet would run as a formula (starting
with =, +, -, @, tab or carriage return) are written with a leading quote (CSV injection).

Import: `read_scdl_csv` checks every row and rejects the bad ones, one French message per problem:
"deliberations.csv, ligne 4, champ DELIB_DATE : date invalide « 2020-13-45 » (format attendu AAAA-MM-JJ)".
It also warns about formula cells (imported as plain text, never run).

>>> from rag.schema import DeliberationRecord
>>> rows = records_to_scdl_rows([DeliberationRecord(source="pv.pdf", commune="Preuilly-sur-Claise", date="2020-07-23",
...     delib_id="2020-045", objet="Cantine - tarifs", pour=13, contre=1, abstention=0, en_exercice=15)])
>>> rows[0]["VOTE_REEL"], rows[0]["VOTE_EFFECTIF"]
('14', '15')
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
import logging
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ingest.actes import MATIERES
from ingest.base import Loaded, SourceMeta, display_path
from ingest.chunking import chunk_id
from ingest.encoding import decode_text
from rag import schema
from rag.errors import ConfigError, SourceError
from rag.records import record_meta
from rag.schema import Chunk, DeliberationRecord, Document
from rag.store import doc_id_for, normalize_key

logger = logging.getLogger(__name__)

SCHEMA_PATH = Path(__file__).parent / "schemas" / "scdl_deliberations.json"
VOTE_FIELDS = ("VOTE_EFFECTIF", "VOTE_REEL", "VOTE_POUR", "VOTE_CONTRE", "VOTE_ABSTENTION")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet may run as a formula (OWASP)
_LA_POSTE_SIREN = "356000000"  # La Poste's offices share one SIREN: their SIRET digits sum to a multiple of 5


@functools.cache
def scdl_schema() -> dict[str, Any]:
    """The SCDL Délibérations table schema shipped with the package (ingest/schemas/)."""
    data: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return data


@functools.cache
def scdl_fields() -> tuple[str, ...]:
    """The 17 column names, in the schema's order."""
    return tuple(field["name"] for field in scdl_schema()["fields"])


@functools.cache
def _required() -> frozenset[str]:
    return frozenset(f["name"] for f in scdl_schema()["fields"] if f.get("constraints", {}).get("required"))


def _int_text(value: int | None) -> str:
    return "" if value is None else str(value)


def siret_problem(value: str) -> str | None:
    """Why a SIRET is invalid, in French (None when it is valid: 14 digits and a correct Luhn key).

    >>> siret_problem("21860194600013") is None
    True
    >>> siret_problem("123")
    '14 chiffres attendus, 3 reçus'
    """
    if not re.fullmatch(r"\d{14}", value):
        return f"14 chiffres attendus, {sum(c.isdigit() for c in value)} reçus"
    total = 0
    for position, digit in enumerate(int(c) for c in reversed(value)):
        doubled = digit * 2 if position % 2 else digit
        total += doubled - 9 if doubled > 9 else doubled
    valid = total % 10 == 0 or (value.startswith(_LA_POSTE_SIREN) and sum(int(c) for c in value) % 5 == 0)
    return None if valid else "la clé de contrôle ne correspond pas (un chiffre mal recopié ?)"


def check_siret(value: str) -> str:
    """The SIRET without spaces, or ConfigError naming the value and the fix."""
    siret = re.sub(r"[\s.]", "", value)
    problem = siret_problem(siret)
    if problem:
        raise ConfigError(
            f"SIRET invalide « {value} » : {problem}. Recopiez les 14 chiffres du SIRET de la "
            "collectivité, tel que l'affiche annuaire-entreprises.data.gouv.fr."
        )
    return siret


def collectivity_commune(
    records: Iterable[DeliberationRecord], *, coll_nom: str | None = None, coll_siret: str | None = None
) -> str | None:
    """The commune that COLL_NOM/COLL_SIRET given by the user belong to: the only one of the records.

    None when neither is given. Raises ConfigError when the SIRET is invalid or the records span several
    communes (a SIRET written into another commune's rows would be published as false).
    """
    if not coll_nom and not coll_siret:
        return None
    if coll_siret:
        check_siret(coll_siret)
    communes: dict[str, str] = {}
    for record in records:
        communes.setdefault(normalize_key(record.commune or ""), record.commune or "commune inconnue")
    if len(communes) > 1:
        given = " et ".join(
            p
            for p in (f"le SIRET « {coll_siret} »" if coll_siret else "", f"le nom « {coll_nom} »" if coll_nom else "")
            if p
        )
        names = ", ".join(sorted(communes.values(), key=str.lower))
        raise ConfigError(
            f"{given[:1].upper()}{given[1:]} ne vaut que pour une collectivité, or la sélection compte "
            f"{len(communes)} communes ({names}) : exportez une commune à la fois."
        )
    return next(iter(communes), None)


def records_to_scdl_rows(
    records: Iterable[DeliberationRecord], *, coll_nom: str | None = None, coll_siret: str | None = None
) -> list[dict[str, str]]:
    """One dict per record with the 17 SCDL columns (empty string = unknown).

    coll_nom/coll_siret fill the rows of their commune only (see collectivity_commune).
    """
    records = list(records)
    commune = collectivity_commune(records, coll_nom=coll_nom, coll_siret=coll_siret)
    siret = check_siret(coll_siret) if coll_siret else ""
    rows = []
    for record in records:
        own = commune is not None and normalize_key(record.commune or "") == commune
        row = dict.fromkeys(scdl_fields(), "")
        row.update(
            {
                "COLL_NOM": (coll_nom if own and coll_nom else record.commune) or "",
                "COLL_SIRET": siret if own else "",
                "DELIB_ID": record.delib_id or "",
                "DELIB_DATE": record.date or "",
                "DELIB_MATIERE_CODE": record.matiere_code or "",
                "DELIB_MATIERE_NOM": record.matiere_nom or MATIERES.get(record.matiere_code or "", ""),
                "DELIB_OBJET": record.objet or "",
                "DELIB_URL": record.url or "",
                "VOTE_POUR": _int_text(record.pour),
                "VOTE_CONTRE": _int_text(record.contre),
                "VOTE_ABSTENTION": _int_text(record.abstention),
            }
        )
        if record.pour is not None and record.contre is not None and record.abstention is not None:
            row["VOTE_REEL"] = str(record.pour + record.contre + record.abstention)
            if record.en_exercice is not None and record.en_exercice >= int(row["VOTE_REEL"]):
                row["VOTE_EFFECTIF"] = str(record.en_exercice)
        rows.append(row)
    return rows


def neutralise_formula(value: str) -> str:
    """A cell a spreadsheet would run as a formula, prefixed with a quote so it is shown as text.

    >>> neutralise_formula("=1+1"), neutralise_formula("Cantine")
    ("'=1+1", 'Cantine')
    """
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def scdl_csv_text(rows: list[dict[str, str]], *, name: str = "export") -> str:
    """The rows as SCDL CSV text (comma separated, formula cells neutralised). Rows missing a required value
    are written anyway (never invented) and logged: a portal will reject them until someone fills them in."""
    for number, row in enumerate(rows, start=2):
        missing = [field for field in scdl_fields() if field in _required() and not row[field]]
        if missing:
            logger.info("%s, row %d: required value(s) unknown: %s", name, number, ", ".join(missing))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(scdl_fields()), lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: neutralise_formula(v) for k, v in row.items()} for row in rows)
    return out.getvalue()


def write_scdl_csv(
    records: Iterable[DeliberationRecord],
    path: Path,
    *,
    coll_nom: str | None = None,
    coll_siret: str | None = None,
) -> Path:
    """Write an SCDL CSV (UTF-8, comma separated): records_to_scdl_rows, then scdl_csv_text."""
    rows = records_to_scdl_rows(records, coll_nom=coll_nom, coll_siret=coll_siret)
    path.write_text(scdl_csv_text(rows, name=path.name), encoding="utf-8", newline="")
    return path


# --- import ---------------------------------------------------------------------------------------
def _parse_date(value: str) -> dt.date | None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _check_row(row: dict[str, str]) -> list[tuple[str, str]]:
    """(field, problem) pairs for one row, in French."""
    problems: list[tuple[str, str]] = []
    for name in scdl_fields():
        if name in _required() and not row.get(name):
            problems.append((name, "valeur obligatoire manquante"))
    siret = row.get("COLL_SIRET", "")
    problem = siret_problem(siret) if siret else None
    if problem:
        problems.append(("COLL_SIRET", f"SIRET invalide « {siret} » ({problem})"))
    for name in ("DELIB_DATE", "PREF_DATE"):
        value = row.get(name, "")
        if value and _parse_date(value) is None:
            problems.append((name, f"date invalide « {value} » (format attendu AAAA-MM-JJ)"))
    code = row.get("DELIB_MATIERE_CODE", "")
    if code and code not in MATIERES:
        problems.append(("DELIB_MATIERE_CODE", f"code de matière ACTES inconnu « {code} » (attendu de 1.1 à 9.4)"))
    year = row.get("BUDGET_ANNEE", "")
    if year and not re.fullmatch(r"\d{4}(/\d{4})?", year):
        problems.append(("BUDGET_ANNEE", f"année invalide « {year} » (format attendu AAAA ou AAAA/AAAA)"))
    url = row.get("DELIB_URL", "")
    if url and not re.match(r"https?://\S+$", url):
        problems.append(("DELIB_URL", f"adresse invalide « {url} » (attendu http:// ou https://)"))
    numbers: dict[str, int] = {}
    for name in VOTE_FIELDS:
        value = row.get(name, "")
        if not value:
            continue
        if re.fullmatch(r"\d+", value):
            numbers[name] = int(value)
        else:
            problems.append((name, f"nombre entier positif attendu « {value} »"))
    if not any(field == name for field, _ in problems for name in VOTE_FIELDS):
        if "VOTE_EFFECTIF" in numbers:
            for name in VOTE_FIELDS[1:]:
                if name not in numbers:
                    problems.append((name, "valeur manquante alors que VOTE_EFFECTIF est renseigné"))
        parts = [numbers.get(name) for name in ("VOTE_POUR", "VOTE_CONTRE", "VOTE_ABSTENTION")]
        if "VOTE_REEL" in numbers and all(p is not None for p in parts):
            total = sum(p for p in parts if p is not None)
            if numbers["VOTE_REEL"] != total:
                problems.append(
                    (
                        "VOTE_REEL",
                        f"{numbers['VOTE_REEL']} différent de VOTE_POUR + VOTE_CONTRE + VOTE_ABSTENTION ({total})",
                    )
                )
        if "VOTE_EFFECTIF" in numbers and "VOTE_REEL" in numbers and numbers["VOTE_EFFECTIF"] < numbers["VOTE_REEL"]:
            problems.append(
                ("VOTE_EFFECTIF", f"{numbers['VOTE_EFFECTIF']} inférieur à VOTE_REEL ({numbers['VOTE_REEL']})")
            )
    delib, pref = _parse_date(row.get("DELIB_DATE", "")), _parse_date(row.get("PREF_DATE", ""))
    if delib and pref and pref < delib:
        problems.append(("PREF_DATE", f"« {row['PREF_DATE']} » antérieure à DELIB_DATE ({row['DELIB_DATE']})"))
    return problems


def _unquote_formula(value: str) -> str:
    """Undo neutralise_formula (a quote before a formula sign is ours, not the collectivity's)."""
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_STARTS) else value


def _to_record(row: dict[str, str], source: str) -> DeliberationRecord:
    def number(name: str) -> int | None:
        return int(row[name]) if row.get(name) else None

    pour, contre, abstention = number("VOTE_POUR"), number("VOTE_CONTRE"), number("VOTE_ABSTENTION")
    unanimous: bool | None = None
    if (contre or 0) > 0 or (abstention or 0) > 0:
        unanimous = False
    elif contre == 0 and abstention == 0 and (pour or 0) > 0:
        unanimous = True
    written = [
        f"{label} {value}"
        for label, value in (("pour", pour), ("contre", contre), ("abstention", abstention))
        if value is not None
    ]
    code = row.get("DELIB_MATIERE_CODE") or None
    return DeliberationRecord(
        source=source,
        commune=row.get("COLL_NOM") or None,
        date=row.get("DELIB_DATE") or None,
        delib_id=row.get("DELIB_ID") or None,
        objet=row.get("DELIB_OBJET") or None,
        # The SCDL file lists adopted deliberations (schema description), whatever the figures.
        outcome=schema.OUTCOME_ADOPTED,
        unanimous=unanimous,
        vote_text=", ".join(written) or None,
        pour=pour,
        contre=contre,
        abstention=abstention,
        en_exercice=number("VOTE_EFFECTIF"),
        votants=number("VOTE_REEL"),
        matiere_code=code,
        matiere_nom=row.get("DELIB_MATIERE_NOM") or MATIERES.get(code or "") or None,
        url=row.get("DELIB_URL") or None,
    )


def read_scdl_csv(
    path: Path, *, display: str | None = None, notes: list[str] | None = None
) -> tuple[list[DeliberationRecord], list[str]]:
    """Records of the valid rows and one French message per problem of the rejected rows.

    Cells that a spreadsheet would run as a formula are kept as text; one French note per cell is appended
    to `notes` when given (a quote added by neutralise_formula is removed).

    Raises SourceError when the file itself cannot be used (encoding, separator, columns).
    """
    name = display or path.name
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise SourceError(name, f"fichier illisible ({e})", fix="vérifiez le chemin et les droits") from e
    try:
        text = decode_text(raw)  # UTF-8 (BOM or not), or UTF-16 from a spreadsheet's "Unicode" export
    except UnicodeDecodeError as e:
        raise SourceError(
            name,
            f"encodage non UTF-8 (octet invalide en position {e.start})",
            fix="réenregistrez le fichier en UTF-8, par exemple « CSV UTF-8 » dans le tableur",
        ) from e
    if not text.strip():
        raise SourceError(name, "fichier vide", fix="exportez à nouveau les délibérations au format SCDL")
    first_line = text.splitlines()[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [f for f in scdl_fields() if f not in header]
    unknown = [h for h in header if h not in scdl_fields()]
    if missing or unknown:
        details = []
        if missing:
            details.append("colonnes manquantes : " + ", ".join(missing))
        if unknown:
            details.append("colonnes inconnues : " + ", ".join(unknown))
        raise SourceError(
            name,
            "ce n'est pas un fichier SCDL Délibérations (" + " ; ".join(details) + ")",
            fix="la première ligne doit nommer les 17 colonnes du schéma : " + ", ".join(scdl_fields()),
        )
    reader.fieldnames = header
    records: list[DeliberationRecord] = []
    messages: list[str] = []
    line_end = 1
    for raw_row in reader:
        line = line_end + 1  # the first physical line of this row
        line_end = reader.line_num
        if None in raw_row:  # more cells than columns
            messages.append(
                f"{name}, ligne {line} : {len(header) + len(raw_row[None])} valeurs pour "
                f"{len(header)} colonnes (séparateur « {delimiter} » dans une valeur non protégée ?)"
            )
            continue
        row = {key: (value or "").strip() for key, value in raw_row.items()}
        if not any(row.values()):
            continue
        formulas = [
            f"{name}, ligne {line}, champ {field} : la valeur commence par « {value[0]} », comme une formule "
            "de tableur ; elle est gardée comme du texte, sans être exécutée"
            for field, value in row.items()
            if value.startswith(FORMULA_STARTS)
        ]
        if formulas:
            logger.warning(
                "%s, row %d: %d cell(s) starting like a spreadsheet formula, kept as text", name, line, len(formulas)
            )
        if notes is not None:
            notes.extend(formulas)
        row = {key: _unquote_formula(value) for key, value in row.items()}
        problems = _check_row(row)
        if problems:
            messages.extend(f"{name}, ligne {line}, champ {field} : {problem}" for field, problem in problems)
            continue
        records.append(_to_record(row, name))
    if messages:
        logger.info("%s: %d deliberation(s) imported, %d problem(s)", name, len(records), len(messages))
    return records, messages


class ScdlLoader:
    """An SCDL « Délibérations » CSV -> one Document, one chunk per valid row; rejected rows are warnings."""

    def load(self, path: Path, *, meta: SourceMeta) -> Loaded:
        notes: list[str] = []
        records, problems = read_scdl_csv(path, display=meta.source, notes=notes)
        if not records:
            raise SourceError(meta.source, "aucune ligne valide dans le CSV SCDL : " + "; ".join(problems[:5]))
        doc_id = doc_id_for(meta.source)
        chunks = scdl_chunks(records, doc_id=doc_id, source=meta.source, digest=meta.digest)
        chunks = [Chunk(c.id, c.text, {**c.meta, schema.PATH: display_path(path)}) for c in chunks]
        doc_meta = {"rows": len(records), "rejected": len(problems)}
        document = Document(meta.source, doc_id, meta.digest, schema.KIND_DELIBERATION, path.name, chunks, doc_meta)
        return Loaded([document], warnings=notes + [f"ligne rejetée : {p}" for p in problems])


def scdl_chunks(records: list[DeliberationRecord], *, doc_id: str, source: str, digest: str) -> list[Chunk]:
    chunks: list[Chunk] = []
    seen: dict[str, int] = {}
    for index, record in enumerate(records):
        text = record.text or " — ".join(p for p in (record.delib_id, record.objet, record.vote_text) if p)
        meta = {
            schema.SOURCE: source,
            schema.DOC_ID: doc_id,
            schema.DOC_HASH: digest,
            schema.PAGE: 0,
            schema.TITLE: (
                f"Délibération {record.delib_id} — {record.objet}" if record.delib_id else record.objet or source
            )[:300],
            schema.RECORD_INDEX: index,
            schema.CHUNK_INDEX: index,
        }
        meta.update(record_meta(record))
        chunks.append(Chunk(id=chunk_id(doc_id, text, 0, seen), text=text, meta=meta))
    return chunks
