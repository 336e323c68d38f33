"""The held-out decision golds (issue 15): each is valid, written from documents that no other gold set, store
script, test fixture or demo file uses (by name, and by content: no copy under tests/ or data/), its store
script indexes exactly its documents, and every key fact is in its document's text (Word files read as
ingestion reads them, PDFs on the listed pages, scanned pages as OCR read them at ingestion: from the OCR cache).
They are measured, never tuned on (docs/EVALUATION.md)."""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pytest

from rag.evaluate import GoldQuestion, key_fact_in, load_gold, normalize_fact
from tests.conftest import DATA, REPO, SHARED_CORPUS

BENCHMARKS = REPO / "benchmarks"
FIXTURES = REPO / "tests" / "data"


@dataclass(frozen=True)
class HeldOut:
    gold: str
    at_least: int  # questions
    store_script: str
    evidence_checked: bool  # evidence copied from the text as ingestion reads it (session 20 on)


HELD_OUT = [
    HeldOut("gold_decisions_heldout.jsonl", 20, "build_heldout_store.sh", evidence_checked=False),  # session 19
    HeldOut("gold_decisions_test.jsonl", 25, "build_test_store.sh", evidence_checked=True),  # session 20
    HeldOut("gold_decisions_fresh.jsonl", 40, "build_fresh_store.sh", evidence_checked=True),  # session 21
    HeldOut("gold_decisions_s22.jsonl", 40, "build_s22_store.sh", evidence_checked=True),  # session 22, with scans
    HeldOut("gold_decisions_s22b.jsonl", 30, "build_s22b_store.sh", evidence_checked=True),  # session 22, second
    HeldOut("gold_decisions_s23.jsonl", 50, "build_s23_store.sh", evidence_checked=True),  # session 23, scans
    HeldOut("gold_decisions_s24.jsonl", 40, "build_s24_store.sh", evidence_checked=True),  # session 24, scan + delibs
    HeldOut("gold_decisions_s25.jsonl", 40, "build_s25_store.sh", evidence_checked=True),  # session 25, delibs
    HeldOut("gold_decisions_s26.jsonl", 45, "build_s26_store.sh", evidence_checked=True),  # session 26, delibs
    HeldOut("gold_decisions_s27.jsonl", 45, "build_s27_store.sh", evidence_checked=True),  # session 27, delibs
    HeldOut("gold_decisions_s28.jsonl", 45, "build_s28_store.sh", evidence_checked=True),  # session 28, delibs
    HeldOut("gold_decisions_s29.jsonl", 45, "build_s29_store.sh", evidence_checked=True),  # session 29, delibs
    HeldOut("gold_decisions_s30.jsonl", 50, "build_s30_store.sh", evidence_checked=True),  # session 30, delibs
]
IDS = [h.gold for h in HELD_OUT]


def _questions(held: HeldOut) -> list[GoldQuestion]:
    return load_gold(BENCHMARKS / held.gold)


def _paths(held: HeldOut) -> set[PurePosixPath]:
    return {PurePosixPath(d["path"]) for q in _questions(held) for d in q.gold_docs}


@pytest.mark.parametrize("held", HELD_OUT, ids=IDS)
def test_a_held_out_gold_has_decision_questions_with_key_facts(held: HeldOut) -> None:
    questions = _questions(held)
    assert len(questions) >= held.at_least
    assert {q.kind for q in questions} == {"deliberation"}
    assert all(q.key_facts or q.key_facts_any for q in questions)
    assert len({q.id for q in questions}) == len(questions)


@pytest.mark.parametrize("held", HELD_OUT, ids=IDS)
def test_a_held_out_gold_uses_no_document_of_another_gold_script_fixture_or_the_demo(held: HeldOut) -> None:
    others = [p for p in sorted(BENCHMARKS.glob("gold*.jsonl")) if p.name != held.gold]
    seen = {PurePosixPath(d["path"]).name for gold in others for q in load_gold(gold) for d in q.gold_docs}
    seen |= {p.name for root in (DATA, FIXTURES) for p in root.rglob("*") if p.is_file()}
    used = _paths(held)
    assert used and not {p.name for p in used} & seen
    # a later set's store may hold an earlier set's documents as distractors (that set was measured before it)
    later = {h.store_script for h in HELD_OUT[HELD_OUT.index(held) :]}
    scripts = "".join(p.read_text() for p in BENCHMARKS.glob("build_*_store.sh") if p.name not in later)
    assert not [p for p in used if p.stem in scripts or p.name in scripts]
    own = (BENCHMARKS / held.store_script).read_text()
    assert all(p.name in own for p in used)


@pytest.mark.skipif(not SHARED_CORPUS.is_dir(), reason="../shared/corpus is not present")
@pytest.mark.parametrize("held", HELD_OUT, ids=IDS)
def test_no_copy_of_a_held_out_document_is_in_the_repository(held: HeldOut) -> None:
    def sha1(path: Path) -> str:
        return hashlib.sha1(path.read_bytes()).hexdigest()

    copies = {sha1(p) for root in (DATA, FIXTURES) for p in root.rglob("*") if p.is_file()}
    assert not [p for p in _paths(held) if sha1(SHARED_CORPUS / p) in copies]


def _ocr_text(path: Path, numbers: list[int], texts: list[str]) -> str:
    """The pages' text as ingestion reads it: a page ingestion OCRs (no text layer, or only the prefecture's
    stamp: ingest.ocr.ocr_reason) from the OCR cache it filled (skips when it was never OCR'd here)."""
    from ingest.ocr import OcrCache, file_digest, ocr_reason
    from rag.settings import Settings

    scanned = [n for n, text in zip(numbers, texts, strict=True) if ocr_reason(text)]
    if not scanned:
        return "\n".join(texts)
    known = OcrCache(Settings.from_env().cache_dir).get(file_digest(path))
    if not all(n in known for n in scanned):
        hint = "build the store with its benchmarks/build_*_store.sh, run with MAIRIE_TEST_CACHE_DIR = its cache"
        pytest.skip(f"{path.name}: no OCR cache ({hint})")
    return "\n".join(known[n].text if n in scanned else text for n, text in zip(numbers, texts, strict=True))


@pytest.mark.skipif(not SHARED_CORPUS.is_dir() or shutil.which("antiword") is None, reason="corpus or antiword missing")
@pytest.mark.parametrize("held", HELD_OUT, ids=IDS)
def test_a_held_out_gold_key_facts_are_in_their_documents(held: HeldOut) -> None:
    from pypdf import PdfReader

    from ingest.office import doc_text

    for question in _questions(held):
        doc = question.gold_docs[0]
        path = SHARED_CORPUS / doc["path"]
        if path.suffix == ".doc":
            text = "\n".join(doc_text(path, path.name).lines)
        else:
            pages = PdfReader(path).pages
            numbers = list(doc["pages"] or range(1, len(pages) + 1))
            text = _ocr_text(path, numbers, [pages[n - 1].extract_text() or "" for n in numbers])
        assert key_fact_in(text, question.key_facts, question.key_facts_any), question.id
        if held.evidence_checked:
            assert normalize_fact(question.evidence or "") in normalize_fact(text), question.id
