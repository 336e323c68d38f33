"""ingest.service.ingest_files: the one ingestion the CLI and the Documents page run (real Chroma, real PDFs)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.pipeline import FileEvent, SourceFile
from ingest.service import ingest_files
from rag.errors import StoreError
from rag.kb import KnowledgeBase
from rag.schema import Chunk, Document
from rag.settings import Settings
from rag.store import STATUS_WRITING, WriteLock, doc_id_for

REPO = Path(__file__).resolve().parents[2]
PDF = REPO / "data" / "deliberations" / "montpellier" / "2014-04-24-0000071216.pdf"

pytestmark = pytest.mark.integration


def _kb(tmp_path: Path, embedding_cache: Path) -> KnowledgeBase:
    return KnowledgeBase(Settings(store=tmp_path / "store", cache_dir=embedding_cache))


def test_one_run_cleans_writes_refreshes_and_audits(tmp_path: Path, embedding_cache: Path) -> None:
    kb = _kb(tmp_path, embedding_cache)
    # What a killed ingestion leaves: a document still marked "writing" (private API: no other way to stage it).
    ghost = Document(
        "fantome.pdf",
        doc_id_for("fantome.pdf"),
        "0" * 64,
        "document",
        "fantôme",
        [Chunk("c" * 32, "texte", {"source": "fantome.pdf", "doc_id": doc_id_for("fantome.pdf")})],
    )
    kb.store._manifest_upsert([ghost], STATUS_WRITING)
    bad = tmp_path / "vide.pdf"
    bad.write_bytes(b"")
    started: list[tuple[int, list[str]]] = []
    events: list[FileEvent] = []
    embedded: list[int] = []

    summary = ingest_files(
        [PDF, SourceFile(bad, "vide.pdf")],
        kb=kb,
        who="secretariat",
        on_start=lambda n, cleaned: started.append((n, cleaned)),
        on_event=events.append,
        on_embedded=embedded.append,
    )

    assert started == [(2, ["fantome.pdf"])] and summary.cleaned == ["fantome.pdf"]
    assert [(e.source, e.status) for e in events] == [("vide.pdf", "failed"), (PDF.name, "indexed")]
    assert summary.events == events and (summary.indexed, summary.failed) == (1, 1)
    assert summary.chunks == sum(embedded) == summary.embedded > 0
    assert [d.source for d in kb.store.documents(include_incomplete=True)] == [PDF.name]
    assert kb.verify() == []  # the lexical index was refreshed to match Chroma
    assert kb.search("rapport", top_k=1)[0].chunk.source == PDF.name
    (line,) = (tmp_path / "store" / "audit.log").read_text(encoding="utf-8").splitlines()
    audit = json.loads(line)
    assert {k: audit[k] for k in ("action", "who", "files", "indexed", "failed", "chunks")} == {
        "action": "ingest",
        "who": "secretariat",
        "files": 2,
        "indexed": 1,
        "failed": 1,
        "chunks": summary.chunks,
    }

    again = ingest_files([PDF], kb=kb)
    assert (again.unchanged, again.embedded, again.computed) == (1, 0, 0)


def test_a_second_writer_is_refused_and_a_missing_path_named(tmp_path: Path, embedding_cache: Path) -> None:
    kb = _kb(tmp_path, embedding_cache)
    with WriteLock(kb.settings), pytest.raises(StoreError, match="Une autre indexation"):
        ingest_files([PDF], kb=kb)
    assert not (tmp_path / "store" / "audit.log").exists()
    # A missing path is reported and the rest of the batch indexed (issue 12).
    summary = ingest_files([tmp_path / "absent", PDF], kb=kb)
    assert (summary.failed, summary.indexed) == (1, 1)
    assert summary.events[0].source == str(tmp_path / "absent")
    assert "chemin introuvable" in summary.events[0].message
