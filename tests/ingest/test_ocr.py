"""Scanned pages: detection, real OCR (OCRmyPDF + Tesseract, French) on a real scan, cache, switches, messages."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.base import SourceMeta
from ingest.council import CouncilPdfLoader
from ingest.ocr import OCR_NEVER, ScanSkipped, file_digest, ocr_reason
from ingest.pdf import load_pdf
from rag import schema
from rag.french import source_label
from rag.settings import Settings
from tests.conftest import REPO
from tests.data.make_bad_inputs import GOOD_PDF

SCAN = REPO / "tests" / "data" / "scans" / "flaux-cr-2021-09-24-p1.pdf"
# The text layer of every page of Flaux's "-tampon" PDFs: the prefecture's stamp and nothing else.
STAMP = (
    "Envoyé en préfecture le 21/12/2023\nReçu en préfecture le 21/12/2023\nPublié le \n"
    "ID : 030-213001100-20231215-PV17112023-AU"
)
needs_engine = pytest.mark.skipif(
    shutil.which("ocrmypdf") is None,
    reason="OCR engine not installed (sudo apt-get install ocrmypdf tesseract-ocr-fra)",
)


def test_pages_that_need_ocr_are_detected_from_their_text_layer() -> None:
    text_page = load_pdf(GOOD_PDF, display="bon.pdf", max_pages=50)[0].text
    assert ocr_reason(text_page) is None
    assert ocr_reason(text_page, full_page_image=True) is None  # a text PDF with a letterhead picture
    assert ocr_reason("") == "aucun texte"
    assert ocr_reason(STAMP) == "seulement le tampon de la préfecture"
    assert ocr_reason("Ýþ§ ¤¶ÐÆ ßñ ÿþ ÑÐ×ÞÝ " * 20) == "texte illisible (encodage ou ancienne OCR)"
    assert ocr_reason("Mairie de Flaux\nCompte rendu du conseil municipal", full_page_image=True) == (
        "quelques mots sur une page image"
    )
    assert ocr_reason("902 - CULTURE 5 273 381,00 655 643,00\n" * 40) is None  # a table of figures


def _meta(tmp_path: Path, source: str, **settings: object) -> tuple[SourceMeta, list[tuple[str, int, int]]]:
    seen: list[tuple[str, int, int]] = []
    config = Settings(store=tmp_path / "store", cache_dir=tmp_path / "cache").replace(**settings)
    meta = SourceMeta(source, "digest", config, on_page=lambda *args: seen.append(args))
    return meta, seen


@pytest.mark.slow  # over 15 s on 2 cores: run in the slow step (the default run stays under 15 min)
@needs_engine
def test_real_scan_is_read_in_french_with_confidence_and_never_ocrd_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    meta, progress = _meta(tmp_path, "flaux/cr-24-09-2021.pdf")
    document = CouncilPdfLoader().load(SCAN, meta=meta).documents[0]
    text = " ".join(" ".join(c.text for c in document.chunks).split())
    assert "CONSEIL MUNICIPAL de la COMMUNE de FLAUX" in text
    assert "Séance du 24 septembre 2021" in text
    assert "sous la présidence de Monsieur Denis JUVIN" in text
    assert document.meta[schema.DATE] == "2021-09-24" and document.meta["ocr_pages"] == 1
    for chunk in document.chunks:
        assert chunk.meta[schema.PAGE] == 1
        assert 0.6 < chunk.meta[schema.OCR_CONFIDENCE] <= 1.0
        assert "texte issu d'une numérisation" in source_label(chunk)
    assert progress[-1] == ("flaux/cr-24-09-2021.pdf", 1, 1)
    cached = tmp_path / "cache" / "ocr" / f"{file_digest(SCAN)}.json"
    assert json.loads(cached.read_text(encoding="utf-8"))["pages"]["1"]["text"]

    # Re-ingesting reads the cache: it works without the engine on the PATH, and gives the same passages.
    empty = tmp_path / "no-tools"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    again = CouncilPdfLoader().load(SCAN, meta=_meta(tmp_path, "flaux/cr-24-09-2021.pdf")[0]).documents[0]
    assert [c.text for c in again.chunks] == [c.text for c in document.chunks]


def test_ocr_never_skips_a_scan_instead_of_indexing_it_empty(tmp_path: Path) -> None:
    meta, _ = _meta(tmp_path, "scan.pdf", ocr=OCR_NEVER)
    with pytest.raises(ScanSkipped) as err:
        CouncilPdfLoader().load(SCAN, meta=meta)
    assert "OCR désactivée" in err.value.reason and "--ocr auto" in (err.value.fix or "")


def _cli(args: list[str], store: Path, env_path: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, MAIRIE_STORE=str(store), MAIRIE_CACHE_DIR=str(store / "cache"), PYTHONPATH=str(REPO))
    env["PATH"] = env_path
    return subprocess.run(
        [sys.executable, "-m", "ui.cli", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=600
    )


def test_without_the_engine_the_scan_says_how_to_install_it_and_the_rest_is_indexed(tmp_path: Path) -> None:
    folder = tmp_path / "flaux"
    folder.mkdir()
    shutil.copyfile(SCAN, folder / "cr-scanne.pdf")
    shutil.copyfile(GOOD_PDF, folder / "deliberation.pdf")
    empty = tmp_path / "no-tools"
    empty.mkdir()
    done = _cli(["ingest", str(folder), "--json"], tmp_path / "store", str(empty))
    assert done.returncode == 1, done.stderr
    files = {f["source"]: f for f in json.loads(done.stdout)["files"]}
    assert files["deliberation.pdf"]["status"] == "indexed"
    assert files["cr-scanne.pdf"]["status"] == "failed"
    assert "sudo apt-get install ocrmypdf tesseract-ocr-fra" in files["cr-scanne.pdf"]["message"]
    assert "ocrmypdf" in files["cr-scanne.pdf"]["message"]

    # --ocr never: the scan is reported as skipped (not indexed empty, not an error).
    never = _cli(["ingest", str(folder), "--json", "--ocr", "never"], tmp_path / "store", str(empty))
    files = {f["source"]: f for f in json.loads(never.stdout)["files"]}
    assert files["cr-scanne.pdf"]["status"] == "skipped"
    assert "OCR désactivée" in files["cr-scanne.pdf"]["message"]
    assert files["deliberation.pdf"]["status"] == "unchanged"
