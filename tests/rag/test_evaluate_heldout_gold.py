"""The held-out decision gold of session 19: valid, written from documents no other gold, test or demo
file uses, and every key fact is in its document's text (Word comptes rendus read as ingestion reads them)."""

from __future__ import annotations

import shutil
from pathlib import Path, PurePosixPath

import pytest

from rag.evaluate import key_fact_in, load_gold
from tests.conftest import DATA, REPO, SHARED_CORPUS

HELDOUT = REPO / "benchmarks" / "gold_decisions_heldout.jsonl"
OTHERS = (
    "gold.jsonl",
    "gold_demo.jsonl",
    "gold_decisions_dev.jsonl",
    "gold_decisions_unseen.jsonl",
    "gold_ocr_flaux.jsonl",
)


def test_heldout_gold_has_20_decision_questions_with_key_facts() -> None:
    questions = load_gold(HELDOUT)
    assert len(questions) >= 20
    assert {q.kind for q in questions} == {"deliberation"}
    assert all(q.key_facts for q in questions) and len({q.id for q in questions}) == len(questions)


def test_heldout_gold_uses_no_document_of_the_other_gold_sets_tests_or_demo_corpus() -> None:
    seen = {
        PurePosixPath(d["path"]).name
        for name in OTHERS
        for q in load_gold(REPO / "benchmarks" / name)
        for d in q.gold_docs
    }
    seen |= {p.name for p in DATA.rglob("*") if p.is_file()}
    scripts = "".join((REPO / "benchmarks" / s).read_text() for s in ("build_dev_store.sh", "build_unseen_store.sh"))
    used = {PurePosixPath(d["path"]) for q in load_gold(HELDOUT) for d in q.gold_docs}
    assert used and not {p.name for p in used} & seen
    assert not [p for p in used if p.stem in scripts]
    # The one Flaux Word file the tests read (tests/data/office) is not one of them.
    assert not [p for p in used if "20200710" in p.name]


@pytest.mark.skipif(not SHARED_CORPUS.is_dir() or shutil.which("antiword") is None, reason="corpus or antiword missing")
def test_heldout_key_facts_are_in_their_documents() -> None:
    from pypdf import PdfReader

    from ingest.office import doc_text

    texts: dict[str, str] = {}
    for question in load_gold(HELDOUT):
        doc = question.gold_docs[0]
        path = SHARED_CORPUS / doc["path"]
        if doc["path"] not in texts:
            if path.suffix == ".doc":
                texts[doc["path"]] = "\n".join(doc_text(path, path.name).lines)
            else:
                texts[doc["path"]] = "\n".join(p.extract_text() or "" for p in PdfReader(Path(path)).pages)
        assert key_fact_in(texts[doc["path"]], question.key_facts, question.key_facts_any), question.id
