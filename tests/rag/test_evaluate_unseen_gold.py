"""The unseen decision gold: valid, checked against its PDFs, and written from documents no other gold uses."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path, PurePosixPath

import pytest

from rag.evaluate import load_gold
from tests.conftest import DATA, REPO, SHARED_CORPUS

CHECKER = REPO / "benchmarks" / "check_gold.py"
UNSEEN = REPO / "benchmarks" / "gold_decisions_unseen.jsonl"
needs_corpus = pytest.mark.skipif(not SHARED_CORPUS.is_dir(), reason="../shared/corpus is not present")


def _check(gold: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(CHECKER), str(gold), str(SHARED_CORPUS)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_unseen_gold_has_40_decision_questions_with_key_facts() -> None:
    questions = load_gold(UNSEEN)
    assert len(questions) >= 40
    assert {q.kind for q in questions} == {"deliberation"}
    assert all(q.key_facts or q.key_facts_any for q in questions)
    assert len({q.id for q in questions}) == len(questions)


def test_unseen_gold_uses_no_document_of_the_other_gold_sets_nor_of_the_demo_corpus() -> None:
    seen = {
        PurePosixPath(d["path"]).name
        for name in ("gold.jsonl", "gold_demo.jsonl")
        for q in load_gold(REPO / "benchmarks" / name)
        for d in q.gold_docs
    }
    seen |= {p.name for p in DATA.rglob("*.pdf")}
    unseen = {PurePosixPath(d["path"]).name for q in load_gold(UNSEEN) for d in q.gold_docs}
    assert unseen and not unseen & seen


@pytest.mark.slow  # reads 44 PDFs (about a minute on a loaded machine), like the full gold's check
@needs_corpus
def test_unseen_gold_evidence_and_key_facts_are_on_the_cited_pages() -> None:
    result = _check(UNSEEN)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "49 pass, 0 fail" in result.stdout


@needs_corpus
def test_check_gold_rejects_a_key_fact_that_the_cited_page_does_not_state(tmp_path: Path) -> None:
    row = json.loads(UNSEEN.read_text(encoding="utf-8").splitlines()[0])
    row["key_facts"] = ["4 662 €"]  # the page says 4 661 €
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    result = _check(gold)
    assert result.returncode == 1
    assert "key fact not found in listed sources: '4 662 €'" in result.stdout
