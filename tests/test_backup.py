"""Issue 12 item 6: a damaged embedding cache is set aside; an emptied or damaged chroma.sqlite3 is reported
in French with what is lost and how to recover, exit code 1, no traceback; `mairie backup` / `mairie restore`
bring a store back with the same search results.

Real CLI in subprocesses, real Chroma, two real PDFs; each test works on a copy of one store built once.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import private_cache

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parent.parent
PDFS = [
    REPO / "data" / "deliberations" / "montpellier" / "2014-04-24-0000071216.pdf",
    REPO / "data" / "deliberations" / "montpellier" / "2014-04-24-0000071244.pdf",
]
QUESTION = "désignation des représentants de la ville"
RECOVERY = "Pour réparer : `mairie restore DOSSIER` depuis une sauvegarde faite avec `mairie backup`"


def mairie(args: list[str], store: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, MAIRIE_STORE=str(store), MAIRIE_CACHE_DIR=str(cache), PYTHONPATH=str(REPO))
    return subprocess.run(
        [sys.executable, "-m", "ui.cli", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=600
    )


def assert_clean_failure(done: subprocess.CompletedProcess[str], *lines: str) -> None:
    assert done.returncode == 1, done.stdout + done.stderr
    for line in lines:
        assert line in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and "panicked" not in done.stderr, done.stderr


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, embedding_cache: Path) -> Path:
    """A store with the two PDFs, built once (never written afterwards: tests copy it)."""
    root = tmp_path_factory.mktemp("backup")
    docs = root / "docs"
    docs.mkdir()
    for pdf in PDFS:
        shutil.copy(pdf, docs / pdf.name)
    done = mairie(["ingest", str(docs)], root / "store", embedding_cache)
    assert done.returncode == 0, done.stderr
    return root / "store"


@pytest.fixture()
def store(built: Path, tmp_path: Path) -> Path:
    target = tmp_path / "store"
    shutil.copytree(built, target)
    return target


def search_sources(store: Path, cache: Path) -> list[tuple[str, int, str]]:
    done = mairie(["search", "--json", QUESTION], store, cache)
    assert done.returncode == 0, done.stderr
    return [(h["source"], h["page"], h["text"]) for h in json.loads(done.stdout)["hits"]]


def test_a_damaged_embedding_cache_is_set_aside_and_work_goes_on(
    store: Path, tmp_path: Path, embedding_cache: Path
) -> None:
    cache = private_cache(embedding_cache, tmp_path / "cache")
    expected = search_sources(store, cache)
    db = cache / "embeddings.sqlite3"
    size = db.stat().st_size
    with db.open("r+b") as fh:  # header page intact, every other page garbage
        fh.seek(4096)
        fh.write(b"\xde\xad\xbe\xef" * ((size - 4096) // 4))

    done = mairie(["search", "--json", QUESTION], store, cache)
    assert done.returncode == 0, done.stderr
    assert "Cache des embeddings endommagé" in done.stderr and "mis de côté sous" in done.stderr
    assert "Traceback" not in done.stderr
    assert [(h["source"], h["page"], h["text"]) for h in json.loads(done.stdout)["hits"]] == expected
    aside = [p.name for p in cache.iterdir() if ".endommage-" in p.name]
    assert len(aside) == 1 and aside[0].startswith("embeddings.sqlite3.endommage-")

    # A cache that is not a database at all (header overwritten) is set aside as well, during ingest.
    (cache / "embeddings.sqlite3").write_bytes(b"\x00garbage" * 1000)
    extra = tmp_path / "extra"
    extra.mkdir()
    shutil.copy(REPO / "data" / "deliberations" / "montpellier" / "2014-04-24-0000071272.pdf", extra)
    done = mairie(["ingest", str(extra)], store, cache)
    assert done.returncode == 0, done.stderr
    assert "Cache des embeddings endommagé" in done.stderr and "Traceback" not in done.stderr


def test_a_zero_byte_chroma_database_is_reported_as_lost_not_as_an_empty_store(
    store: Path, embedding_cache: Path
) -> None:
    db = store / "chroma" / "chroma.sqlite3"
    db.write_bytes(b"")
    message = f"Erreur : Magasin endommagé : {db} est vide (0 octet) ; les 2 document(s) indexé(s)"
    for command in (["search", QUESTION], ["verify"], ["documents"]):
        assert_clean_failure(mairie(command, store, embedding_cache), message, RECOVERY)
    assert db.stat().st_size == 0  # Chroma did not quietly make a new, empty database over it


def test_a_chroma_database_emptied_or_deleted_is_reported(store: Path, embedding_cache: Path) -> None:
    shutil.rmtree(store / "chroma")
    done = mairie(["verify"], store, embedding_cache)
    assert_clean_failure(done, f"Erreur : Magasin vidé : {store} contenait 2 document(s)", RECOVERY)
    # Chroma made a new, valid but empty database meanwhile: the store is still reported, not "cohérent".
    assert (store / "chroma" / "chroma.sqlite3").exists()
    assert_clean_failure(mairie(["search", QUESTION], store, embedding_cache), "Magasin vidé")


def test_garbage_in_the_middle_of_the_chroma_database_is_reported_without_a_traceback(
    store: Path, embedding_cache: Path
) -> None:
    db = store / "chroma" / "chroma.sqlite3"
    with db.open("r+b") as fh:
        fh.seek(db.stat().st_size // 3)
        fh.write(b"\xde\xad" * 20000)
    for command in (["search", QUESTION], ["verify"]):
        assert_clean_failure(
            mairie(command, store, embedding_cache),
            f"Erreur : Magasin endommagé : {db} endommagé (database disk image is malformed)",
            RECOVERY,
        )


def test_backup_then_restore_brings_back_the_same_search_results(
    store: Path, tmp_path: Path, embedding_cache: Path
) -> None:
    expected = search_sources(store, embedding_cache)
    assert expected
    backup = tmp_path / "sauvegarde"
    done = mairie(["backup", str(backup)], store, embedding_cache)
    assert done.returncode == 0, done.stderr
    assert f"Sauvegarde faite dans {backup} : 2 document(s), 8 passage(s)." in done.stdout
    assert not (backup / "write.lock").exists()
    # A second backup into the same, now non-empty, folder is refused.
    assert_clean_failure(mairie(["backup", str(backup)], store, embedding_cache), "n'est pas vide")

    (store / "chroma" / "chroma.sqlite3").write_bytes(b"")  # disaster
    assert_clean_failure(mairie(["search", QUESTION], store, embedding_cache), "Magasin endommagé")
    done = mairie(["restore", str(backup)], store, embedding_cache)
    assert_clean_failure(done, f"Le magasin {store} n'est pas vide : ajoutez --force")

    done = mairie(["restore", "--force", str(backup)], store, embedding_cache)
    assert done.returncode == 0, done.stderr
    assert f"Magasin restauré depuis {backup} : 2 document(s), 8 passage(s)." in done.stdout
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("store.avant-restauration-")]
    assert len(aside) == 1 and (aside[0] / "chroma" / "chroma.sqlite3").stat().st_size == 0  # kept, not erased
    assert search_sources(store, embedding_cache) == expected
    done = mairie(["verify"], store, embedding_cache)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Magasin cohérent : 2 document(s), 8 passage(s)" in done.stdout


def test_restore_refuses_a_damaged_backup_and_leaves_the_store_alone(
    store: Path, tmp_path: Path, embedding_cache: Path
) -> None:
    backup = tmp_path / "sauvegarde"
    assert mairie(["backup", str(backup)], store, embedding_cache).returncode == 0
    db = backup / "chroma" / "chroma.sqlite3"
    with db.open("r+b") as fh:
        fh.seek(db.stat().st_size // 3)
        fh.write(b"\xde\xad" * 20000)
    done = mairie(["restore", "--force", str(backup)], store, embedding_cache)
    assert_clean_failure(done, "Sauvegarde inutilisable")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sauvegarde", "store"]
    assert search_sources(store, embedding_cache)
