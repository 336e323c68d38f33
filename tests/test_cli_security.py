"""Issue 12 (items 8, 12 and the removal/move edges), attacked through the real `mairie` command line.

Each test does what the adversarial review did: documents carrying terminal escape sequences, a folder full
of links, hidden and missing entries, UTF-16 exports, a document too long to embed, a moved folder, and
`mairie remove /`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.data.make_bad_inputs import SCDL_HEADER

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[1]
OSC_TITLE = "\x1b]0;PIRATE\x07"  # sets the terminal's window title
CSI_RED = "\x1b[31m"
C1_CSI = "\x9b2J"  # one-byte CSI: clears the screen on some terminals
RAW_CONTROLS = ("\x1b", "\x07", "\x9b", "\x9d")


def mairie(*args: str, store: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "MAIRIE_STORE": str(store), **env}
    return subprocess.run(
        [sys.executable, "-m", "ui.cli", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=300,
        check=False,
        cwd=REPO,
    )


def _scdl_row(objet: str) -> str:
    return f'Preuilly-sur-Claise;00000000000000;2020-045;2020-07-23;7.10;Divers;"{objet}";;;;;15;14;13;1;0;'


def _hostile_lot(folder: Path) -> Path:
    """A Markdown note, an SCDL CSV (both UTF-16, as Windows tools save "Unicode" text) and a CGCT-like
    article, all carrying escape sequences; one file name carries an OSC sequence too."""
    folder.mkdir(parents=True)
    note = (
        f"# Règlement de la salle des fêtes{OSC_TITLE}\n\nLa salle des fêtes est louée aux associations "
        f"{CSI_RED}le samedi{C1_CSI} pour cent vingt euros.\n"
    )
    (folder / f"note{OSC_TITLE}.md").write_bytes(note.encode("utf-16"))
    row = _scdl_row(f"Tarifs de la salle des fêtes{OSC_TITLE} pour les associations")
    (folder / "delibs.csv").write_bytes((SCDL_HEADER + "\r\n" + row + "\r\n").encode("utf-16"))
    return folder


def _no_raw_controls(*outputs: str) -> None:
    for output in outputs:
        for char in RAW_CONTROLS:
            assert char not in output, repr(output[:400])


@pytest.mark.slow  # over 15 s on 2 cores: run in the slow step (the default run stays under 15 min)
def test_escape_sequences_from_documents_never_reach_the_terminal(tmp_path: Path) -> None:
    store = tmp_path / "store"
    lot = _hostile_lot(tmp_path / "lot")
    ingest = mairie("ingest", str(lot), store=store)
    assert ingest.returncode == 0, ingest.stderr
    # UTF-16 files are read, not "type non reconnu".
    assert "non reconnu" not in ingest.stderr
    assert "Indexé : delibs.csv" in ingest.stderr and "Indexé : note?]0;PIRATE?.md" in ingest.stderr
    _no_raw_controls(ingest.stdout, ingest.stderr)

    search = mairie("search", "salle des fêtes associations samedi", store=store)
    assert search.returncode == 0, search.stderr
    assert "La salle des fêtes est louée aux associations le samedi" in search.stdout
    ask = mairie("ask", "Combien coûte la salle des fêtes pour les associations le samedi ?", store=store)
    documents = mairie("documents", store=store)
    deliberations = mairie("deliberations", store=store)
    assert "Tarifs de la salle des fêtes pour les associations" in deliberations.stdout
    for run in (search, ask, documents, deliberations):
        assert run.returncode == 0, run.stderr
        _no_raw_controls(run.stdout, run.stderr)

    # JSON keeps the text (escaped), without any raw control character on the terminal.
    as_json = mairie("search", "salle des fêtes associations samedi", "--json", store=store)
    _no_raw_controls(as_json.stdout)
    texts = [hit["text"] for hit in json.loads(as_json.stdout)["hits"]]
    assert any(CSI_RED in text for text in texts)


def test_walk_reports_every_entry_it_leaves_out_and_indexes_the_rest(tmp_path: Path) -> None:
    store = tmp_path / "store"
    lot = tmp_path / "lot"
    (lot / "sous-dossier").mkdir(parents=True)
    (lot / "sous-dossier" / "note.md").write_text("# Cimetière\n\nLes concessions sont trentenaires.\n")
    (lot / ".brouillon.md").write_text("# Brouillon\n\nTexte caché.\n")
    (lot / ".cache").mkdir()
    (lot / ".cache" / "vieux.md").write_text("# Vieux\n\nTexte.\n")
    (lot / "systeme").symlink_to("/etc", target_is_directory=True)
    (lot / "boucle-a.md").symlink_to(lot / "boucle-b.md")
    (lot / "boucle-b.md").symlink_to(lot / "boucle-a.md")
    (lot / "casse.md").symlink_to(lot / "disparu.md")
    empty = tmp_path / "vide"
    empty.mkdir()
    missing = tmp_path / "absent"

    run = mairie("ingest", "--json", str(missing), str(lot), str(empty), store=store)
    assert run.returncode == 1, run.stderr
    report = {f["source"]: f for f in json.loads(run.stdout)["files"]}
    # The missing path first in the list did not stop the batch.
    assert report["sous-dossier/note.md"]["status"] == "indexed"
    expected = {
        str(missing): ("failed", "chemin introuvable"),
        str(empty): ("failed", "aucun fichier à indexer dans ce dossier"),
        ".brouillon.md": ("skipped", "fichier caché"),
        ".cache": ("skipped", "dossier caché"),
        "systeme": ("skipped", "lien symbolique vers un dossier, non suivi"),
        "boucle-a.md": ("failed", "lien symbolique en boucle"),
        "boucle-b.md": ("failed", "lien symbolique en boucle"),
        "casse.md": ("failed", "lien symbolique cassé"),
    }
    for source, (status, words) in expected.items():
        assert report[source]["status"] == status, report[source]
        assert words in report[source]["message"], report[source]
    assert not any("erreur inattendue" in f["message"] for f in report.values())
    assert "passwd" not in run.stdout  # the link to /etc was not followed

    # The same lines on stderr without --json, and "aucun fichier" for an empty folder alone.
    alone = mairie("ingest", str(empty), store=store)
    assert alone.returncode == 1
    assert f"Échec : {empty} : aucun fichier à indexer dans ce dossier" in alone.stderr


@pytest.mark.skipif(
    getattr(os, "geteuid", lambda: -1)() == 0, reason="root reads every folder: permissions cannot make one unreadable"
)
def test_unreadable_subfolder_is_reported(tmp_path: Path) -> None:
    lot = tmp_path / "lot"
    (lot / "ferme").mkdir(parents=True)
    (lot / "note.md").write_text("# Voirie\n\nLe chemin rural est entretenu par la commune.\n")
    (lot / "ferme").chmod(0)
    try:
        run = mairie("ingest", "--json", str(lot), store=tmp_path / "store")
    finally:
        (lot / "ferme").chmod(0o755)
    assert run.returncode == 1
    report = {f["source"]: f for f in json.loads(run.stdout)["files"]}
    assert report["ferme"]["status"] == "failed" and "dossier illisible" in report["ferme"]["message"]
    assert report["note.md"]["status"] == "indexed"


def test_a_document_too_long_to_embed_is_refused_by_name(tmp_path: Path) -> None:
    lot = tmp_path / "lot"
    lot.mkdir()
    paragraph = "Le conseil municipal approuve le compte administratif de l'exercice écoulé. " * 12
    (lot / "enorme.md").write_text("# Compte rendu\n\n" + "\n\n".join([paragraph] * 12))
    (lot / "court.md").write_text("# Voirie\n\nLe chemin rural est entretenu par la commune.\n")
    run = mairie("ingest", str(lot), store=tmp_path / "store", MAIRIE_MAX_PASSAGES="5")
    assert run.returncode == 1
    assert "Échec : enorme.md : document de 12 passages, au-delà de la limite de 5 passages par document" in run.stderr
    assert "MAIRIE_MAX_PASSAGES" in run.stderr
    assert "Indexé : court.md" in run.stderr


def test_a_moved_folder_gets_the_exact_command_and_it_works(tmp_path: Path) -> None:
    store = tmp_path / "store"
    first = tmp_path / "archives"
    first.mkdir()
    (first / "voirie.md").write_text("# Voirie\n\nLe chemin rural est entretenu par la commune.\n")
    assert mairie("ingest", str(first), store=store).returncode == 0
    moved = tmp_path / "archives 2020"
    shutil.move(first, moved)

    run = mairie("ingest", str(moved), store=store)
    assert run.returncode == 1
    command = f"mairie ingest --replace '{moved}'"
    assert f"contenu identique au document déjà indexé depuis {first / 'voirie.md'}" in run.stderr
    assert f"lancez `{command}`" in run.stderr
    again = mairie("ingest", "--replace", str(moved), store=store)
    assert again.returncode == 0, again.stderr
    removed = mairie("remove", str(moved / "voirie.md"), store=store)  # the new place is the one recorded
    assert removed.returncode == 0 and "Supprimé : voirie.md" in removed.stdout


@pytest.mark.slow  # over 20 s on 2 cores: run in the slow step (the default run stays under 15 min)
def test_remove_of_a_prefix_matching_everything_needs_all(tmp_path: Path) -> None:
    store = tmp_path / "store"
    lot = tmp_path / "lot"
    lot.mkdir()
    (lot / "voirie.md").write_text("# Voirie\n\nLe chemin rural est entretenu par la commune.\n")
    (lot / "cimetiere.md").write_text("# Cimetière\n\nLes concessions sont trentenaires.\n")
    assert mairie("ingest", str(lot), store=store).returncode == 0
    for target in ("/", str(tmp_path)):
        refused = mairie("remove", target, store=store)
        assert refused.returncode == 1
        assert f"« {target} » désigne tous les documents indexés (2) : rien n'est supprimé" in refused.stderr
        assert "--all" in refused.stderr
    assert len(json.loads(mairie("documents", "--json", store=store).stdout)) == 2
    one = mairie("remove", str(lot / "voirie.md"), store=store)
    assert one.returncode == 0, one.stderr
    everything = mairie("remove", "/", "--all", store=store)
    assert everything.returncode == 0 and "Supprimé : cimetiere.md" in everything.stdout
    assert json.loads(mairie("documents", "--json", store=store).stdout) == []
