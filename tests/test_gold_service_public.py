"""The Service-Public gold (benchmarks/gold_service_public.jsonl) is well formed, its expected articles are
in the CGCT / CRPA sources, and an article hit needs the right code."""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import ModuleType

import pytest

from rag.evaluate import first_rank, load_gold
from rag.schema import Chunk, ScoredChunk
from rag.thesaurus import lexical_query
from tests.conftest import REPO, SHARED_CORPUS, benchmark_module

GOLD = REPO / "benchmarks" / "gold_service_public.jsonl"


def _builder() -> ModuleType:
    return benchmark_module("build_service_public_gold.py")


def _rows() -> list[dict]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_gold_lines_are_well_formed() -> None:
    builder = _builder()
    rows = _rows()
    assert len(rows) >= 50
    assert len({r["id"] for r in rows}) == len(rows)
    for row in rows:
        assert row["id"] == f"sp-{row['fiche_id']}"
        assert "question-réponse" not in row["fiche_kind"].lower()  # kept aside for the independent check
        assert row["question"].endswith("?") and row["question_from"] in ("title", "title_template")
        assert row["url"].startswith("https://www.service-public.fr/")
        assert row["split"] == builder.split_of(row["fiche_id"])
        refs = [(r["code"], r["article"]) for r in row["gold_refs"]]
        assert refs and {code for code, _ in refs} <= {"CGCT", "CRPA"}
        assert row["gold_articles"] == list(dict.fromkeys(a for _, a in refs))
        cited = {(ref["code"], a) for ref in row["references"] for a in ref["articles"]}
        assert cited == set(refs)
    splits = [r["split"] for r in rows]
    assert 0.35 <= splits.count("dev") / len(splits) <= 0.65
    questions = load_gold(GOLD)
    assert all(q.gold_refs and q.split in ("dev", "test") and not q.absent for q in questions)


def test_gold_articles_exist_in_the_legal_sources() -> None:
    corpus = SHARED_CORPUS if SHARED_CORPUS.is_dir() else Path(os.environ.get("MAIRIE_SHARED_CORPUS", "/nonexistent"))
    if not (corpus / "legal").is_dir():
        pytest.skip("../shared/corpus is not present beside the repository (or set MAIRIE_SHARED_CORPUS)")
    known = {code: set(numbers) for code, numbers in _builder().known_articles(corpus / "legal").items()}
    missing = [(r["id"], g) for r in _rows() for g in r["gold_refs"] if g["article"] not in known[g["code"]]]
    assert not missing


def test_cited_ranges_expand_over_the_articles_that_exist() -> None:
    from ingest.fiches import expand

    known = ["L311-8", "L311-9", "L311-14", "L312-1", "R311-3", "R311-15", "R311-16"]
    assert expand("articles L311-9 à R311-15", known) == ["L311-9", "L311-14", "R311-3", "R311-15"]
    assert expand("article R*311-15", known) == ["R311-15"]
    assert expand("articles L311-8 et L999-1", known) == ["L311-8"]  # not in the sources: dropped


def test_an_article_hit_needs_the_right_code() -> None:
    (gold,) = [q for q in load_gold(GOLD) if ("CRPA", "L211-2") in q.gold_refs][:1]
    cgct = ScoredChunk(Chunk("a", "...", {"article": "L211-2", "code": "CGCT"}), 1.0)
    crpa = ScoredChunk(Chunk("b", "...", {"article": "L211-2", "code": "CRPA"}), 0.5)
    assert first_rank([cgct, crpa], gold, page_level=False) == 2


def test_the_lexical_query_drops_the_question_frame() -> None:
    assert lexical_query("Crémation : que prévoit la loi ?") == "Crémation : ?"
    assert lexical_query("Quelles sont les règles applicables aux marchés ?") == "aux marchés ?"
    assert "délai jours francs" in lexical_query("Combien de jours avant la séance ? Que dit le code ?")
