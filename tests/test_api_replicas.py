"""Two `mairie serve` replicas (two real processes, two ports, two derived-index folders) over ONE
`chroma run` server started by the test: what is written through one is found, or gone, on the other, and
a token of one space never sees another space's passages on either replica.

Each replica keeps its own BM25 partitions on its own disk (MAIRIE_STORE/lexical-remote); the test checks
that replica B's saved partition itself follows the writes made through replica A (not only the dense
channel, which Chroma serves to both).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.rag.test_chroma_server import _free_port, chroma_server  # noqa: F401  (the fixture)
from tests.test_api import run_cli

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parent.parent
PDFS = {
    "alpha": REPO / "data" / "deliberations" / "couthenans" / "CR_conseil_municipal_07_10_2022.pdf",
    "beta": REPO / "data" / "deliberations" / "montpellier" / "2014-04-24-0000071216.pdf",
}
QUESTIONS = {"alpha": "Couthenans conseil municipal", "beta": "Montpellier métropole"}


class Replica:
    """One `mairie serve` process with its own MAIRIE_STORE, sharing the Chroma server and the tokens."""

    def __init__(self, name: str, env: dict[str, str]) -> None:
        self.name, self.env = name, env
        self.store = Path(env["MAIRIE_STORE"])
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[str] | None = None

    def mairie(self, *args: str) -> subprocess.CompletedProcess[str]:
        """The CLI with this replica's settings (its store folder, the shared Chroma server)."""
        return run_cli(self.env, *args)

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "ui.cli", "serve", "--port", str(self.port), "--rate", "600", "--burst", "50"],
            env=self.env,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )

    def wait_ready(self) -> None:
        assert self.proc is not None
        deadline = time.time() + 120
        while time.time() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"replica {self.name} stopped: {self.proc.stderr.read() if self.proc.stderr else ''}")
            try:
                if httpx.get(self.url + "/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.3)
        pytest.fail(f"replica {self.name} did not answer within 120 s")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def get(self, path: str, token: str, **params: Any) -> Any:
        response = httpx.get(self.url + path, params=params, headers=_auth(token), timeout=120)
        assert response.status_code == 200, response.text
        return response.json()

    def search(self, token: str, question: str) -> list[dict[str, Any]]:
        hits: list[dict[str, Any]] = self.get("/search", token, question=question, top_k=10)["hits"]
        return hits

    def partition_sources(self, space: str) -> set[str]:
        """The sources in this replica's saved BM25 partition of `space` (read from its own disk)."""
        sources: set[str] = set()
        for state in (self.store / "lexical-remote").glob("*/ids.json"):
            data = json.loads(state.read_text(encoding="utf-8"))
            if data["space"] == space:
                sources.update(str(m.get("source")) for m in data["metas"])
        return sources


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture()
def replicas(chroma_server: str, tmp_path: Path, embedding_cache: Path) -> Iterator[tuple[Replica, Replica]]:  # noqa: F811
    base = {k: v for k, v in os.environ.items() if not k.startswith("MAIRIE_")}
    base.update(
        MAIRIE_CHROMA_URL=chroma_server,
        MAIRIE_CACHE_DIR=str(embedding_cache),
        MAIRIE_USERS_FILE=str(tmp_path / "shared" / "users.json"),  # one tokens file for both replicas
        MAIRIE_COLLECTION="replicas",
    )
    pair = tuple(Replica(name, {**base, "MAIRIE_STORE": str(tmp_path / f"replica-{name}")}) for name in ("a", "b"))
    try:
        for replica in pair:
            replica.start()
        for replica in pair:
            replica.wait_ready()
        yield pair  # type: ignore[misc]
    finally:
        for replica in pair:
            replica.stop()


def _sources(hits: list[dict[str, Any]]) -> set[str]:
    return {str(h["source"]) for h in hits}


def test_two_replicas_over_one_chroma_server_see_each_others_writes(
    replicas: tuple[Replica, Replica], tmp_path: Path
) -> None:
    a, b = replicas
    tokens = {}
    for space in ("alpha", "beta"):
        result = a.mairie("tokens", "add", f"admin-{space}", "--space", space, "--role", "admin")
        assert result.returncode == 0, result.stderr
        tokens[space] = result.stdout.strip()
    folders = {}
    for space, pdf in PDFS.items():
        folders[space] = tmp_path / "files" / space
        folders[space].mkdir(parents=True)
        shutil.copy(pdf, folders[space] / pdf.name)

    # beta's document is written through replica B; both replicas then build their BM25 partitions.
    result = b.mairie("ingest", "--space", "beta", str(folders["beta"]))
    assert result.returncode == 0, result.stderr
    for replica in (a, b):
        assert PDFS["beta"].name in _sources(replica.search(tokens["beta"], QUESTIONS["beta"]))
        assert replica.search(tokens["alpha"], QUESTIONS["alpha"]) == []  # alpha is still empty
    assert b.partition_sources("alpha") == set()

    # alpha's document is written through replica A: replica B finds it, by words too (its own partition).
    result = a.mairie("ingest", "--space", "alpha", str(folders["alpha"]))
    assert result.returncode == 0, result.stderr
    hits_b = b.search(tokens["alpha"], QUESTIONS["alpha"])
    assert PDFS["alpha"].name in _sources(hits_b)
    assert any("bm25" in h["ranks"] for h in hits_b if h["source"] == PDFS["alpha"].name)
    assert PDFS["alpha"].name in b.partition_sources("alpha")
    assert [d["source"] for d in b.get("/documents", tokens["alpha"])] == [PDFS["alpha"].name]

    # A token of one space never sees the other space, on either replica, whatever it asks.
    for replica in (a, b):
        for space, other in (("alpha", "beta"), ("beta", "alpha")):
            for question in QUESTIONS.values():
                assert PDFS[other].name not in _sources(replica.search(tokens[space], question))
            listed = {d["source"] for d in replica.get("/documents", tokens[space])}
            assert listed == {PDFS[space].name}

    # Removed through replica A's API: gone from replica B, from its dense and its lexical channel.
    removed = httpx.delete(
        a.url + "/documents", params={"source": PDFS["alpha"].name}, headers=_auth(tokens["alpha"]), timeout=120
    )
    assert removed.status_code == 200, removed.text
    assert removed.json()["removed"][0]["chunks"] > 0
    assert b.search(tokens["alpha"], QUESTIONS["alpha"]) == []
    assert b.partition_sources("alpha") == set()
    assert b.get("/documents", tokens["alpha"]) == []
    assert a.search(tokens["alpha"], QUESTIONS["alpha"]) == []
    # beta, untouched, is still served by both.
    for replica in (a, b):
        assert PDFS["beta"].name in _sources(replica.search(tokens["beta"], QUESTIONS["beta"]))
