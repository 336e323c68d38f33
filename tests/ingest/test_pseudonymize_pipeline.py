"""MAIRIE_PSEUDONYMIZE=1: private persons are pseudonymised in what is indexed and shown, officials kept."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from ingest.pipeline import Ingestor, collect_files
from rag.kb import KnowledgeBase
from rag.settings import Settings
from tests.conftest import DATA

pytestmark = pytest.mark.integration


def test_indexed_text_is_pseudonymised_and_the_mapping_is_private(tmp_path: Path, embedding_cache: Path) -> None:
    settings = Settings(store=tmp_path / "store", cache_dir=embedding_cache, pseudonymize=True)
    kb = KnowledgeBase(settings)
    files = collect_files([DATA / "deliberations" / "preuilly-sur-claise"])
    events = list(Ingestor(store=kb.store, settings=settings).run(files))
    assert [e.status for e in events] == ["indexed"]
    text = "\n".join(c.text for c in kb.store.iter_chunks())
    assert "JEAU" not in text  # the president of a sports club, a private person
    assert "Personne-" in text
    assert "CHARRIER" in text  # the mayor, acting in his role
    mapping = tmp_path / "store" / "pseudonymisation" / "pseudonymes.json"
    assert mapping.exists() and stat.S_IMODE(mapping.stat().st_mode) == 0o600
    assert "JEAU" in mapping.read_text(encoding="utf-8")
    # Switching pseudonymisation off re-indexes the document in clear (the file hash includes the flag).
    plain = settings.replace(pseudonymize=False)
    events = list(Ingestor(store=KnowledgeBase(plain).store, settings=plain).run(files))
    assert [e.status for e in events] == ["indexed"]
