"""Layouts met in session 34: a verbatim procès-verbal whose speakers are set in small capitals
(benchmarks/other_bodies_s33/castelbrune-pv-2023-11-27.pdf), which pypdf gives as "M ME  F AURIEL . —"."""

from __future__ import annotations

from pathlib import Path

from ingest.pdf import load_pdf

S33 = Path(__file__).resolve().parents[2] / "benchmarks" / "other_bodies_s33"


def test_small_capitals_are_read_as_the_words_they_spell() -> None:
    path = S33 / "castelbrune-pv-2023-11-27.pdf"
    text = "\n".join(page.text for page in load_pdf(path, display=path.name, max_pages=10, isolate=False))
    assert "MME  FAURIEL . —" in text
    assert "M. LE  MAIRE . —" in text
    assert "M ME" not in text and "M AIRE" not in text
    # ordinary capitals keep their spaces: "À RETENIR", "A LA MAJORITÉ" are words of their own
    assert "Le rapport est adopté à la majorité" in text
