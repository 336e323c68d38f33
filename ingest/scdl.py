"""SCDL "Délibérations" CSV files (Socle commun des données locales, schema v2.1.5): export and import.

Export: one row per DeliberationRecord, the 17 columns of the schema. Vote figures are written only when the
document states them; VOTE_REEL is their sum and VOTE_EFFECTIF the members en exercice, both only when the
three figures are known (the schema's checks want VOTE_EFFECTIF either with every vote column or alone empty).

Import: `read_scdl_csv` checks every row and rejects the bad ones, one French message per problem:
"deliberations.csv, ligne 4, champ DELIB_DATE : date invalide « 2020-13-45 » (format attendu AAAA-MM-JJ)".

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
from ingest.council import record_meta
from rag import schema
from rag.errors import SourceError
from rag.schema import Chunk, DeliberationRecord, Document
from rag.store import doc_id_for

logger = logging.getLogger(__name__)

SCHEMA_PATH = Path(__file__).parent / "schemas" / "scdl_deliberations.json"
VOTE_FIELDS = ("VOTE_EFFECTIF", "VOTE_REEL", "VOTE_POUR", "VOTE_CONTRE", "VOTE_ABSTENTION")


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


def records_to_scdl_rows(
    records: Iterable[DeliberationRecord], *, coll_nom: str | None = None, coll_siret: str | None = None
) -> list[dict[str, str]]:
    """One dict per record with the 17 SCDL columns (empty string = unknown)."""
    rows = []
    for record in records:
        row = dict.fromkeys(scdl_fields(), "")
        row.update({
            "COLL_NOM": coll_nom or record.commune or "",
            "COLL_SIRET": coll_siret or "",
            "DELIB_ID": record.delib_id or "",
            "DELIB_DATE": record.date or "",
            "DELIB_MATIERE_CODE": record.matiere_code or "",
            "DELIB_MATIERE_NOM": record.matiere_nom or MATIERES.get(record.matiere_code or "", ""),
            "DELIB_OBJET": record.objet or "",
            "DELIB_URL": record.url or "",
            "VOTE_POUR": _int_text(record.pour),
            "VOTE_CONTRE": _int_text(record.contre),
            "VOTE_ABSTENTION": _int_text(record.abstention),
        })
        if record.pour is not None and record.contre is not None and record.abstention is not None:
            row["VOTE_REEL"] = str(record.pour + record.contre + record.abstention)
            if record.en_exercice is not None and record.en_exercice >= int(row["VOTE_REEL"]):
                row["VOTE_EFFECTIF"] = str(record.en_exercice)
        rows.append(row)
    return rows


def write_scdl_csv(
    records: Iterable[DeliberationRecord],
    path: Path,
    *,
    coll_nom: str | None = None,
    coll_siret: str | None = None,
) -> Path:
    """Write an SCDL CSV (UTF-8, comma separated). Rows missing a required value are written anyway
    (never invented) and logged: a publication portal will reject them until someone fills them in."""
    rows = records_to_scdl_rows(records, coll_nom=coll_nom, coll_siret=coll_siret)
    for number, row in enumerate(rows, start=2):
        missing = [name for name in scdl_fields() if name in _required() and not row[name]]
        if missing:
            logger.info("%s, row %d: required value(s) unknown: %s", path.name, number,
                           ", ".join(missing))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(scdl_fields()), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
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
    if siret and not re.fullmatch(r"\d{14}", siret):
        problems.append(("COLL_SIRET", f"SIRET invalide « {siret} » (14 chiffres attendus)"))
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
                problems.append(("VOTE_REEL", f"{numbers['VOTE_REEL']} différent de VOTE_POUR + VOTE_CONTRE + "
                                              f"VOTE_ABSTENTION ({total})"))
        if "VOTE_EFFECTIF" in numbers and "VOTE_REEL" in numbers and numbers["VOTE_EFFECTIF"] < numbers["VOTE_REEL"]:
            problems.append(("VOTE_EFFECTIF", f"{numbers['VOTE_EFFECTIF']} inférieur à VOTE_REEL "
                                              f"({numbers['VOTE_REEL']})"))
    delib, pref = _parse_date(row.get("DELIB_DATE", "")), _parse_date(row.get("PREF_DATE", ""))
    if delib and pref and pref < delib:
        problems.append(("PREF_DATE", f"« {row['PREF_DATE']} » antérieure à DELIB_DATE ({row['DELIB_DATE']})"))
    return problems


def _to_record(row: dict[str, str], source: str) -> DeliberationRecord:
    def number(name: str) -> int | None:
        return int(row[name]) if row.get(name) else None

    pour, contre, abstention = number("VOTE_POUR"), number("VOTE_CONTRE"), number("VOTE_ABSTENTION")
    unanimous: bool | None = None
    if (contre or 0) > 0 or (abstention or 0) > 0:
        unanimous = False
    elif contre == 0 and abstention == 0 and (pour or 0) > 0:
        unanimous = True
    written = [f"{label} {value}" for label, value in (("pour", pour), ("contre", contre),
                                                       ("abstention", abstention)) if value is not None]
    code = row.get("DELIB_MATIERE_CODE") or None
    return DeliberationRecord(
        source=source,
        commune=row.get("COLL_NOM") or None,
        date=row.get("DELIB_DATE") or None,
        delib_id=row.get("DELIB_ID") or None,
        objet=row.get("DELIB_OBJET") or None,
        # The SCDL file lists adopted deliberations (schema description), whatever the figures.
        outcome="adopted",
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


def read_scdl_csv(path: Path, *, display: str | None = None) -> tuple[list[DeliberationRecord], list[str]]:
    """Records of the valid rows and one French message per problem of the rejected rows.

    Raises SourceError when the file itself cannot be used (encoding, separator, columns).
    """
    name = display or path.name
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise SourceError(name, f"fichier illisible ({e})", fix="vérifiez le chemin et les droits") from e
    try:
        text = raw.decode("utf-8-sig")
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
            messages.append(f"{name}, ligne {line} : {len(header) + len(raw_row[None])} valeurs pour "
                            f"{len(header)} colonnes (séparateur « {delimiter} » dans une valeur non protégée ?)")
            continue
        row = {key: (value or "").strip() for key, value in raw_row.items()}
        if not any(row.values()):
            continue
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
        records, problems = read_scdl_csv(path, display=meta.source)
        if not records:
            raise SourceError(meta.source, "aucune ligne valide dans le CSV SCDL : " + "; ".join(problems[:5]))
        doc_id = doc_id_for(meta.source)
        chunks = scdl_chunks(records, doc_id=doc_id, source=meta.source, digest=meta.digest)
        chunks = [Chunk(c.id, c.text, {**c.meta, "path": display_path(path)}) for c in chunks]
        doc_meta = {"rows": len(records), "rejected": len(problems)}
        document = Document(meta.source, doc_id, meta.digest, schema.KIND_DELIBERATION, path.name, chunks, doc_meta)
        return Loaded([document], warnings=[f"ligne rejetée : {p}" for p in problems])


def scdl_chunks(records: list[DeliberationRecord], *, doc_id: str, source: str, digest: str) -> list[Chunk]:
    chunks: list[Chunk] = []
    seen: dict[str, int] = {}
    for index, record in enumerate(records):
        text = record.text or " — ".join(p for p in (record.delib_id, record.objet, record.vote_text) if p)
        meta = {schema.SOURCE: source, schema.DOC_ID: doc_id, schema.DOC_HASH: digest, schema.PAGE: 0,
                schema.TITLE: (f"Délibération {record.delib_id} — {record.objet}" if record.delib_id else
                               record.objet or source)[:300], "record_index": index, schema.CHUNK_INDEX: index}
        meta.update(record_meta(record))
        chunks.append(Chunk(id=chunk_id(doc_id, text, 0, seen), text=text, meta=meta))
    return chunks
