"""`mairie ingest` as a real subprocess whose stderr is a pipe (a log file, a scheduled task): no progress bar
escape codes, one plain line per file, each failure printed once."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PDF = REPO / "data" / "deliberations" / "montpellier" / "2014-04-24-0000071216.pdf"

pytestmark = pytest.mark.integration


def test_ingest_log_has_one_line_per_file_and_each_failure_once(tmp_path: Path) -> None:
    folder = tmp_path / "a-indexer"
    folder.mkdir()
    shutil.copy(PDF, folder / "extrait.pdf")
    (folder / "vide.pdf").write_bytes(b"")
    (folder / "note.md").write_text("Ordre du jour\n\nRéunion de la commission des finances.\n", encoding="utf-8")
    env = {**os.environ, "MAIRIE_STORE": str(tmp_path / "store"), "PYTHONPATH": str(REPO)}
    run = subprocess.run(
        [sys.executable, "-m", "ui.cli", "ingest", str(folder)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert run.returncode == 1
    assert run.stdout == ""
    lines = run.stderr.splitlines()
    assert "\x1b[" not in run.stderr and "\r" not in run.stderr and "Fichiers:" not in run.stderr
    failure = "Échec : vide.pdf : fichier vide (0 octet) (vérifiez la copie du fichier)"
    assert [line for line in lines if "vide.pdf" in line] == [failure]
    assert any(line.startswith("Indexé : extrait.pdf (") and line.endswith(" passage(s))") for line in lines)
    assert any(line.startswith("Indexé : note.md (") for line in lines)
    assert "  ! note.md : aucun titre « # Article ... » : indexé comme document texte simple" in lines
    assert any(
        line.startswith("Terminé en ") and "2 fichier(s) indexé(s)" in line and "1 en échec" in line for line in lines
    )
