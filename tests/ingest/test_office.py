"""Word (.doc, .docx) and LibreOffice (.odt) files: real files through the real converters and loaders."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest import detect
from ingest.base import SourceMeta
from ingest.loaders import LOADERS
from rag import schema
from rag.french import source_label
from rag.settings import Settings
from tests.conftest import REPO

FLAUX_DOC = REPO / "tests" / "data" / "office" / "flaux-cr-2020-07-10.doc"
ITEMS = [
    (
        "Tarifs de la cantine scolaire",
        "Le conseil municipal fixe le prix du repas à 3,20 euros à compter du 1er septembre 2024.",
        "ADOPTÉ à l'unanimité.",
    ),
    (
        "Travaux de voirie chemin des Oliviers",
        "Le conseil municipal attribue le marché de voirie à l'entreprise Roux pour 48 500 euros HT.",
        "ADOPTÉ par 9 voix pour et 2 contre.",
    ),
]
HEADER = "COMPTE RENDU du CONSEIL MUNICIPAL de la COMMUNE de FLAUX — Séance du 12 mars 2024"


def _load(path: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    kind = detect.detect_type(path)
    meta = SourceMeta(path.name, "digest", Settings(store=tmp_path / "store", cache_dir=tmp_path / "cache"))
    return kind, LOADERS[kind].load(path, meta=meta)


def _make_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_heading(HEADER, level=1)
    document.add_paragraph("Présents : Denis JUVIN, Muriel NIGGEL, Michel VAILLIES.")
    for title, body, vote in ITEMS:
        document.add_paragraph(title, style="List Number")
        document.add_paragraph(body)
        document.add_paragraph(vote)
    document.add_heading("Budget annexe", level=2)
    table = document.add_table(rows=2, cols=3)
    header, line = ("Chapitre", "Libellé", "Montant"), ("011", "Charges générales", "12 000")
    for row, cells in zip(table.rows, [header, line], strict=True):
        for cell, value in zip(row.cells, cells, strict=True):
            cell.text = value
    document.save(str(path))
    return path


def _make_odt(path: Path) -> Path:
    from odf.opendocument import OpenDocumentText
    from odf.style import ListLevelProperties
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, List, ListItem, ListLevelStyleNumber, ListStyle, P

    document = OpenDocumentText()
    numbered = ListStyle(name="Numbering")
    level = ListLevelStyleNumber(level=1, numformat="1", numsuffix=".")
    level.addElement(ListLevelProperties())
    numbered.addElement(level)
    document.automaticstyles.addElement(numbered)
    document.text.addElement(H(outlinelevel=1, text=HEADER))
    document.text.addElement(P(text="Présents : Denis JUVIN, Muriel NIGGEL, Michel VAILLIES."))
    items = List(stylename=numbered)
    for title, body, vote in ITEMS:  # one item each: the title, then its body and vote as paragraphs
        item = ListItem()
        for line in (title, body, vote):
            item.addElement(P(text=line))
        items.addElement(item)
    document.text.addElement(items)
    document.text.addElement(H(outlinelevel=2, text="Budget annexe"))
    table = Table(name="Budget")
    table.addElement(TableColumn(numbercolumnsrepeated=3))
    for cells in (("Chapitre", "Libellé", "Montant"), ("011", "Charges générales", "12 000")):
        row = TableRow()
        for value in cells:
            cell = TableCell()
            cell.addElement(P(text=value))
            row.addElement(cell)
        table.addElement(row)
    document.text.addElement(table)
    document.save(str(path))
    return path


def test_docx_keeps_headings_numbered_items_tables_and_splits_deliberations(tmp_path: Path) -> None:
    kind, loaded = _load(_make_docx(tmp_path / "cr-2024-03-12.docx"), tmp_path)
    assert kind == detect.DOCX
    document = loaded.documents[0]
    text = "\n".join(c.text for c in document.chunks)
    assert "1. Tarifs de la cantine scolaire" in text and "2. Travaux de voirie" in text
    assert "Chapitre | Libellé | Montant" in text and "011 | Charges générales | 12 000" in text
    _assert_council_records(document)


def test_odt_keeps_headings_list_items_tables_and_splits_deliberations(tmp_path: Path) -> None:
    kind, loaded = _load(_make_odt(tmp_path / "cr-2024-03-12.odt"), tmp_path)
    assert kind == detect.ODT
    document = loaded.documents[0]
    text = "\n".join(c.text for c in document.chunks)
    assert "1. Tarifs de la cantine scolaire" in text
    assert "011 | Charges générales | 12 000" in text
    _assert_council_records(document)


def _assert_council_records(document) -> None:  # type: ignore[no-untyped-def]
    """The same builders as for PDFs: one record per agenda item, with its vote; no page, a section."""
    assert document.kind == schema.KIND_DELIBERATION
    records = {c.meta.get(schema.OBJET): c.meta for c in document.chunks if c.meta.get(schema.RECORD_INDEX) is not None}
    cantine = next(meta for objet, meta in records.items() if objet and "cantine" in objet.lower())
    voirie = next(meta for objet, meta in records.items() if objet and "voirie" in objet.lower())
    assert cantine[schema.OUTCOME] == schema.OUTCOME_ADOPTED and cantine.get(schema.UNANIMOUS) is True
    assert voirie[schema.VOTE_POUR] == 9 and voirie[schema.VOTE_CONTRE] == 2
    assert document.meta[schema.COMMUNE] == "Flaux" and document.meta[schema.DATE] == "2024-03-12"
    for chunk in document.chunks:
        assert chunk.meta[schema.PAGE] == 0 and chunk.meta[schema.SECTION]
        assert "p. " not in source_label(chunk) and "section « " in source_label(chunk)
    budget = next(c for c in document.chunks if "Charges générales" in c.text)
    assert budget.meta[schema.SECTION] == "Budget annexe"


def test_flaux_word_97_file_is_read_with_its_layout_table_by_column(tmp_path: Path) -> None:
    if shutil.which("antiword") is None:
        pytest.skip("antiword is not installed (sudo apt-get install antiword)")
    kind, loaded = _load(FLAUX_DOC, tmp_path)
    assert kind == detect.WORD_DOC
    document = loaded.documents[0]
    text = "\n".join(c.text for c in document.chunks)
    # The body column is read as prose, not interleaved with the margin column ("Nombre de membres" ...).
    assert "Monsieur Denis JUVIN, a obtenu 10 voix, il est proclamé élu" in " ".join(text.split())
    assert "Le quorum est atteint, le conseil peut valablement délibérer." in text
    assert document.meta[schema.DATE] == "2020-07-10"
    assert all(c.meta[schema.PAGE] == 0 and c.meta[schema.SECTION] for c in document.chunks)
    assert document.meta["format"] == "Word (.doc)"
