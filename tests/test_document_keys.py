"""Issue 12, item 1: documents of the same name never overwrite each other silently, and `mairie remove`
takes the path the user just ingested. The real `mairie` CLI as a subprocess on small real PDFs of data/."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from rag.kb import KnowledgeBase
from rag.settings import Settings

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parent.parent
COUTHENANS = REPO / "data" / "deliberations" / "couthenans"
SMALL_A = COUTHENANS / "CR_conseil_municipal_07_10_2022.pdf"
SMALL_B = COUTHENANS / "CR_reunion_20220121.pdf"


def mairie(*args: str, store: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MAIRIE_STORE": str(store), "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "ui.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=300,
        check=False,
    )


def stored_paths(store: Path) -> dict[str, str]:
    """source key -> the absolute path it was indexed from (metadata "path")."""
    kb = KnowledgeBase(Settings(store=store, cache_dir=Path(os.environ["MAIRIE_CACHE_DIR"])))
    return {d.source: str(d.meta.get("path", "")) for d in kb.documents()}


def _folders(tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "A", tmp_path / "B"
    a.mkdir()
    b.mkdir()
    shutil.copy(SMALL_A, a / "pv.pdf")
    shutil.copy(SMALL_B, a / "autre.pdf")
    shutil.copy(SMALL_B, b / "pv.pdf")  # same name, other content
    return a, b


def test_same_name_in_two_folders_is_never_replaced_silently(tmp_path: Path) -> None:
    a, b = _folders(tmp_path)
    store = tmp_path / "store"

    both = mairie("ingest", "A", "B", store=store, cwd=tmp_path)
    assert both.returncode == 1, both.stderr
    assert "Traceback" not in both.stderr and "DuplicateIDError" not in both.stderr
    assert "Ignoré : pv.pdf (même nom qu'un autre fichier de ce lot" in both.stderr
    assert stored_paths(store) == {"pv.pdf": str(a / "pv.pdf"), "autre.pdf": str(a / "autre.pdf")}

    again = mairie("ingest", "B/", store=store, cwd=tmp_path)
    assert again.returncode == 1
    assert f"un document de même nom, indexé depuis {a / 'pv.pdf'}, existe déjà" in again.stderr
    assert "--replace" in again.stderr
    assert stored_paths(store)["pv.pdf"] == str(a / "pv.pdf")  # A's document is still there

    replaced = mairie("ingest", "B/", "--replace", "--json", store=store, cwd=tmp_path)
    assert replaced.returncode == 0, replaced.stderr
    assert [(f["source"], f["status"]) for f in json.loads(replaced.stdout)["files"]] == [("pv.pdf", "indexed")]
    assert stored_paths(store)["pv.pdf"] == str(b / "pv.pdf")


def test_names_differing_by_a_control_character_are_reported_not_crashed(tmp_path: Path) -> None:
    folder = tmp_path / "C"
    folder.mkdir()
    shutil.copy(SMALL_A, folder / "p\x01v.pdf")
    shutil.copy(SMALL_B, folder / "p\x02v.pdf")
    shutil.copy(SMALL_B, folder / "bon.pdf")
    store = tmp_path / "store"
    result = mairie("ingest", "C", store=store, cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "Ignoré : p?v.pdf (même nom qu'un autre fichier de ce lot" in result.stderr
    assert sorted(stored_paths(store)) == ["bon.pdf", "p?v.pdf"]  # the rest of the batch is indexed


def test_remove_takes_the_path_that_was_ingested(tmp_path: Path) -> None:
    folder = tmp_path / "DIR"
    (folder / "deliberations").mkdir(parents=True)
    (folder / "autres").mkdir()
    shutil.copy(SMALL_A, folder / "deliberations" / "PV_CM_2020-07-23.pdf")
    shutil.copy(SMALL_B, folder / "deliberations" / "PV_CM_2022-01-21.pdf")
    shutil.copy(SMALL_B, folder / "autres" / "note.pdf")
    store = tmp_path / "store"
    assert mairie("ingest", "DIR", store=store, cwd=tmp_path).returncode == 0

    relative = mairie("remove", "DIR/deliberations/PV_CM_2020-07-23.pdf", store=store, cwd=tmp_path)
    assert relative.returncode == 0, relative.stderr
    assert relative.stdout.startswith("Supprimé : deliberations/PV_CM_2020-07-23.pdf (")
    assert sorted(stored_paths(store)) == ["autres/note.pdf", "deliberations/PV_CM_2022-01-21.pdf"]

    # A folder, from another working directory, relative to it.
    other = tmp_path / "ailleurs"
    other.mkdir()
    folder_removed = mairie("remove", "../DIR/deliberations/", store=store, cwd=other)
    assert folder_removed.returncode == 0, folder_removed.stderr
    assert sorted(stored_paths(store)) == ["autres/note.pdf"]

    by_key = mairie("remove", "autres/note.pdf", store=store, cwd=other)
    assert by_key.returncode == 0 and stored_paths(store) == {}

    absent = mairie("remove", str(folder / "deliberations" / "PV_CM_2020-07-23.pdf"), store=store, cwd=other)
    assert absent.returncode == 1
    assert "Aucun document indexé ne correspond" in absent.stderr
