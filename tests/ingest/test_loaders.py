"""The loader table: every readable type found by ingest.detect has one loader, every other type a French
refusal; each loader reads a real file of its format into documents (or versions) without a store."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from ingest import detect
from ingest.base import Loaded, SourceMeta
from ingest.deliberations import split_deliberations
from ingest.loaders import LOADERS, refusal
from ingest.pdf import load_pdf
from ingest.scdl import write_scdl_csv
from rag.settings import Settings

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data"
PV = DATA / "deliberations" / "preuilly-sur-claise" / "PV_CM_2020-07-23.pdf"
ARTICLE = (
    DATA
    / "cgct"
    / "partie-legislative"
    / "deuxieme-partie"
    / "livre-ier"
    / "titre-iii"
    / "chapitre-ier"
    / "article-l2131-3.md"
)


def _load(path: Path, tmp_path: Path) -> tuple[str, Loaded]:
    kind = detect.detect_type(path)
    meta = SourceMeta(path.name, hashlib.sha256(path.read_bytes()).hexdigest(), Settings(store=tmp_path / "store"))
    return kind, LOADERS[kind].load(path, meta=meta)


def test_every_detected_type_has_a_loader_or_a_refusal() -> None:
    types = {value for name, value in vars(detect).items() if name.isupper() and isinstance(value, str)}
    readable = {
        detect.PDF,
        detect.ARTICLE_MARKDOWN,
        detect.MARKDOWN,
        detect.LEGI_JSON,
        detect.VERSIONS_JSONL,
        detect.CSV,
        detect.WORD_DOC,
        detect.DOCX,
        detect.ODT,
    }
    assert set(LOADERS) == readable
    for kind in types - readable:
        reason, fix = refusal(kind, ".bin")
        assert reason and fix and (kind == detect.UNKNOWN or reason != refusal(detect.UNKNOWN, ".bin")[0]), kind
    assert refusal(detect.UNKNOWN, ".PDF")[0] == "extension .pdf mais le contenu n'est pas un PDF"


@pytest.mark.integration
def test_each_format_is_read_without_a_store(tmp_path: Path) -> None:
    kind, loaded = _load(PV, tmp_path)
    (pv,) = loaded.documents
    assert (kind, pv.kind, pv.meta["commune"]) == (detect.PDF, "deliberation", "Preuilly-sur-Claise")
    assert {c.meta["delib_id"] for c in pv.chunks if c.meta["kind"] == "deliberation"} >= {"2020-045"}

    kind, loaded = _load(ARTICLE, tmp_path)
    (article,) = loaded.documents
    assert (kind, article.title, article.chunks[0].meta["code"]) == (detect.ARTICLE_MARKDOWN, "Article L2131-3", "CGCT")

    kind, loaded = _load(DATA / "legal" / "crpa-legi-data-sample.json", tmp_path)
    assert kind == detect.LEGI_JSON and len(loaded.documents) == 6 and not loaded.versions

    kind, loaded = _load(DATA / "legal" / "cgct-versions-demo.jsonl", tmp_path)
    assert kind == detect.VERSIONS_JSONL and loaded.versions and not loaded.documents

    records = split_deliberations(load_pdf(PV, display=PV.name, max_pages=50), source=PV.name)
    csv = write_scdl_csv(
        [r for r in records if r.matiere_code], tmp_path / "deliberations.csv", coll_siret="00000000000000"
    )
    kind, loaded = _load(csv, tmp_path)
    (table,) = loaded.documents
    assert kind == detect.CSV and len(table.chunks) == table.meta["rows"] > 0

    note = tmp_path / "note.md"
    note.write_text("Ordre du jour\n\nCommission des finances.\n", encoding="utf-8")
    kind, loaded = _load(note, tmp_path)
    assert kind == detect.MARKDOWN and loaded.documents[0].title == "Ordre du jour" and loaded.warnings
    assert not (tmp_path / "store").exists()  # nothing was written
