"""Concurrency: while `mairie ingest` writes, `mairie search` and `mairie ask` keep answering; a second
writer (`mairie ingest`, `mairie remove`) stops at once on the lock with a French message; the store is
consistent afterwards.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
CHAPTER = DATA / "cgct" / "partie-legislative" / "deuxieme-partie" / "livre-ier" / "titre-ii" / "chapitre-ier"
LOCK_MESSAGE = "Une autre indexation ou suppression est en cours sur"

pytestmark = pytest.mark.integration


def _env(store: Path, cache: Path) -> dict[str, str]:
    return dict(os.environ, MAIRIE_STORE=str(store), MAIRIE_CACHE_DIR=str(cache), PYTHONPATH=str(REPO))


def _run(args: list[str], env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ui.cli", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout
    )


@pytest.mark.slow  # over 20 s on 2 cores: run in the slow step (the default run stays under 15 min)
def test_readers_work_and_a_second_writer_is_refused_during_an_ingestion(tmp_path: Path, embedding_cache: Path) -> None:
    store = tmp_path / "store"
    first = tmp_path / "premier-lot"
    shutil.copytree(CHAPTER / "section-4", first / "section-4")
    env = _env(store, embedding_cache)
    done = _run(["ingest", str(first), "--json"], env)
    assert done.returncode == 0, done.stderr[-2000:]

    # The long writer: every council PDF, embedded with a cold cache so that it lasts several seconds.
    second = tmp_path / "second-lot"
    shutil.copytree(DATA / "deliberations", second / "deliberations")
    shutil.copytree(CHAPTER / "section-1", second / "section-1")
    writer_env = _env(store, tmp_path / "cold-cache")
    writer = subprocess.Popen(
        [sys.executable, "-m", "ui.cli", "ingest", str(second), "--json"],
        cwd=REPO,
        env=writer_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lock = store / "write.lock"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not _locked(lock, writer.pid):
            time.sleep(0.05)
        assert _locked(lock, writer.pid), "the ingestion never took the write lock"

        readers: list[tuple[str, int, str]] = []
        refused: list[tuple[str, float, subprocess.CompletedProcess[str]]] = []
        for round_ in range(20):
            if writer.poll() is not None:
                break
            search = _run(["search", "quorum du conseil municipal", "--json"], env)
            readers.append(("search", search.returncode, search.stderr[-1500:]))
            if search.returncode == 0:
                assert json.loads(search.stdout)["hits"], "search found nothing in the existing documents"
            ask = _run(["ask", "Quel est le quorum du conseil municipal ?"], env)
            readers.append(("ask", ask.returncode, ask.stderr[-1500:]))
            if round_ == 0 and writer.poll() is None:
                for args in (["ingest", str(first)], ["remove", "section-4/article-l2121-17.md"]):
                    started = time.monotonic()
                    other = _run(args, env, timeout=60)
                    refused.append((args[0], time.monotonic() - started, other))
        out, err = writer.communicate(timeout=600)
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.communicate()
    assert writer.returncode == 0, err[-2000:]
    assert json.loads(out)["failed"] == 0

    assert len(readers) >= 2, "the ingestion ended before any reader ran: make it longer"
    failed_readers = [r for r in readers if r[1] != 0]
    assert not failed_readers, failed_readers
    assert [name for name, _, _ in refused] == ["ingest", "remove"], "no second writer ran during the ingestion"
    for name, seconds, other in refused:
        assert other.returncode != 0, (name, other.stdout, other.stderr)
        assert (
            f"Erreur : {LOCK_MESSAGE} {store}. Attendez qu'elle se termine puis relancez la commande." in other.stderr
        ), (name, other.stderr[-1500:])
        assert seconds < 30, f"{name} waited {seconds:.0f} s instead of failing fast"

    verify = _run(["verify"], env)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    # The refused removal removed nothing.
    documents = json.loads(_run(["documents", "--json"], env).stdout)
    assert "section-4/article-l2121-17.md" in {d["source"] for d in documents}
    print(
        f"\n{len(readers)} reader runs during the ingestion, all exit 0; second writers refused:",
        ", ".join(f"{name} in {seconds:.1f} s" for name, seconds, _ in refused),
    )


def _locked(path: Path, pid: int) -> bool:
    """True while process `pid` holds a flock on `path`, read from /proc/locks (probing would race it)."""
    if not path.exists():
        return False
    inode = path.stat().st_ino
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.split()
        # "1: FLOCK  ADVISORY  WRITE 4242 00:2f:1234 0 EOF"
        if (
            len(fields) >= 6
            and fields[1] == "FLOCK"
            and fields[4] == str(pid)
            and fields[5].rsplit(":", 1)[-1] == str(inode)
        ):
            return True
    return False
