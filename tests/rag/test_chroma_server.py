"""Client/server mode against a real `chroma run` server on 127.0.0.1 started by the test."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.pipeline import Ingestor, collect_files
from rag.kb import KnowledgeBase
from rag.settings import Settings
from tests.conftest import DATA

pytestmark = pytest.mark.integration


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture()
def chroma_server(tmp_path: Path) -> Iterator[str]:
    chroma = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    port = _free_port()
    proc = subprocess.Popen(
        [chroma, "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(tmp_path / "server-data")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={"ANONYMIZED_TELEMETRY": "False", "PATH": "/usr/bin:/bin"},
    )
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("chroma run did not start within 60 s")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_ingest_search_and_remove_through_a_chroma_server(
    chroma_server: str, tmp_path: Path, embedding_cache: Path
) -> None:
    settings = Settings(
        store=tmp_path / "local", chroma_url=chroma_server, cache_dir=embedding_cache, collection="mairie_test"
    )
    kb = KnowledgeBase(settings)
    files = collect_files([DATA / "deliberations" / "preuilly-sur-claise"])
    events = list(Ingestor(store=kb.store, settings=settings).run(files))
    assert [e.status for e in events] == ["indexed"]
    assert not (tmp_path / "local" / "chroma").exists()  # nothing embedded locally: the server holds it
    hits = kb.search("tarifs de la cantine scolaire")
    assert hits and hits[0].chunk.source == "PV_CM_2020-07-23.pdf"
    assert kb.remove("PV_CM_2020-07-23.pdf")[0].chunks > 0
    assert kb.search("tarifs de la cantine scolaire") == []
    assert kb.verify() == []


def test_unreachable_server_is_a_clear_error(tmp_path: Path) -> None:
    from rag.errors import StoreError

    settings = Settings(store=tmp_path, chroma_url=f"http://127.0.0.1:{_free_port()}")
    with pytest.raises(StoreError, match="ne répond pas"):
        KnowledgeBase(settings).store.count()
