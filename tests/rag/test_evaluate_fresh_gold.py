"""The FRESH decision gold of session 21: valid, written from documents no other gold, test, store script or
demo file uses (by name, and by content: no copy of them under tests/ or data/), and every key fact is in
its document's text (Word files read as ingestion reads them, PDFs on the listed page). Measured once
before and once after a session's changes; never tuned on."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path, PurePosixPath

import pytest

from rag.evaluate import key_fact_in, load_gold
from tests.conftest import DATA, REPO, SHARED_CORPUS

FRESH_GOLD = REPO / "benchmarks" / "gold_decisions_fresh.jsonl"
OTHERS = (
    "gold.jsonl",
    "gold_demo.jsonl",
    "gold_decisions_dev.jsonl",
    "gold_decisions_unseen.jsonl",
    "gold_decisions_heldout.jsonl",
    "gold_decisions_test.jsonl",
    "gold_ocr_flaux.jsonl",
    "gold_answerable_heldout.jsonl",
    "gold_answerable_s19_demo.jsonl",
    "gold_answerable_s19_unseen.jsonl",
)
STORE_SCRIPTS = ("build_dev_store.sh", "build_unseen_store.sh", "build_heldout_store.sh", "build_test_store.sh")


def test_fresh_gold_has_40_decision_questions_with_key_facts() -> None:
    questions = load_gold(FRESH_GOLD)
    assert len(questions) >= 40
    assert {q.kind for q in questions} == {"deliberation"}
    assert all(q.key_facts or q.key_facts_any for q in questions)
    assert len({q.id for q in questions}) == len(questions)


def test_fresh_gold_uses_no_document_of_the_other_gold_sets_tests_store_scripts_or_demo_corpus() -> None:
    seen = {
        PurePosixPath(d["path"]).name
        for name in OTHERS
        for q in load_gold(REPO / "benchmarks" / name)
        for d in q.gold_docs
    }
    seen |= {p.name for p in DATA.rglob("*") if p.is_file()}
    seen |= {p.name for p in (REPO / "tests" / "data").rglob("*") if p.is_file()}
    scripts = "".join((REPO / "benchmarks" / s).read_text() for s in STORE_SCRIPTS)
    used = {PurePosixPath(d["path"]) for q in load_gold(FRESH_GOLD) for d in q.gold_docs}
    assert used and not {p.name for p in used} & seen
    assert not [p for p in used if p.stem in scripts or p.name in scripts]
    store_script = (REPO / "benchmarks" / "build_fresh_store.sh").read_text()
    assert all(p.name in store_script for p in used)


@pytest.mark.skipif(not SHARED_CORPUS.is_dir(), reason="../shared/corpus is not present")
def test_no_copy_of_a_fresh_document_is_in_the_repository() -> None:
    def sha1(path: Path) -> str:
        return hashlib.sha1(path.read_bytes()).hexdigest()

    copies = {sha1(p) for root in (DATA, REPO / "tests" / "data") for p in root.rglob("*") if p.is_file()}
    used = {d["path"] for q in load_gold(FRESH_GOLD) for d in q.gold_docs}
    assert not [path for path in used if sha1(SHARED_CORPUS / path) in copies]


@pytest.mark.skipif(not SHARED_CORPUS.is_dir() or shutil.which("antiword") is None, reason="corpus or antiword missing")
def test_fresh_gold_key_facts_and_evidence_are_in_their_documents() -> None:
    from pypdf import PdfReader

    from ingest.office import doc_text
    from rag.evaluate import normalize_fact

    for question in load_gold(FRESH_GOLD):
        doc = question.gold_docs[0]
        path = SHARED_CORPUS / doc["path"]
        if path.suffix == ".doc":
            text = "\n".join(doc_text(path, path.name).lines)
        else:
            pages = PdfReader(path).pages
            assert doc["pages"], question.id
            text = "\n".join(pages[n - 1].extract_text() or "" for n in doc["pages"])
        assert key_fact_in(text, question.key_facts, question.key_facts_any), question.id
        assert normalize_fact(question.evidence or "") in normalize_fact(text), question.id
