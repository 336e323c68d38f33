"""`mairie eval` reports the key-fact rate per kind of question, in its table and its JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

QUESTIONS = [
    {
        "id": "ref",
        "question": "Que dit l'article L2121-17 ?",
        "kind": "article_ref",
        "gold_articles": ["L2121-17"],
        "key_facts": ["L2121-17"],
    },
    {
        "id": "canteen",
        "question": "Qu'a voté le conseil municipal sur la cantine scolaire ?",
        "kind": "deliberation",
        "gold_docs": [{"path": "deliberations/preuilly-sur-claise/PV_CM_2020-07-23.pdf", "pages": [3, 4]}],
        "key_facts": ["999 999 €"],
    },  # on no page: can never be stated
    {
        "id": "old-style",
        "question": "Combien de membres compte le conseil ?",
        "kind": "deliberation",
        "gold_articles": ["L2121-2"],
        "expected": "selon la population",
    },  # no key facts: not counted
]


def _eval(store: Path, gold: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MAIRIE_STORE": str(store)}
    return subprocess.run(
        [sys.executable, "-m", "ui.cli", "eval", str(gold), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )


def test_eval_reports_the_key_fact_rate_per_kind(demo_store: Path, tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in QUESTIONS), encoding="utf-8")

    result = _eval(demo_store, gold, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    summary = data["summary"]
    assert (summary["article_ref"]["key_fact_rate"], summary["article_ref"]["key_fact_questions"]) == (1.0, 1)
    assert (summary["deliberation"]["key_fact_rate"], summary["deliberation"]["key_fact_questions"]) == (0.0, 1)
    assert summary["overall"]["key_fact_rate"] == 0.5
    assert {q["id"]: q["key_fact_found"] for q in data["questions"]} == {
        "ref": True,
        "canteen": False,
        "old-style": None,
    }

    table = _eval(demo_store, gold, "--details")
    assert table.returncode == 0, table.stderr
    header, *rows = table.stdout.splitlines()
    assert "fait clé" in header
    assert any(r.startswith("  fait clé absent : canteen ") for r in rows)


def test_eval_says_which_check_refused(demo_store: Path, tmp_path: Path) -> None:
    """A question on a commune the store does not hold is refused by the scope check: the JSON says so per question
    and counts it in the summary, and the table prints the count."""
    gold = tmp_path / "absent.jsonl"
    absent = {
        "id": "lyon",
        "question": "Qu'a voté le conseil municipal de Lyon sur la cantine scolaire ?",
        "kind": "absent",
    }
    gold.write_text(json.dumps(absent, ensure_ascii=False) + "\n", encoding="utf-8")

    result = _eval(demo_store, gold, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [(q["refused"], q["refusal_reason"]) for q in data["questions"]] == [(True, "scope")]
    assert data["summary"]["overall"]["absent_refusal_reasons"] == {"scope": 1}
    assert "false_refusal_reasons" not in data["summary"]["overall"]

    table = _eval(demo_store, gold)
    assert "refus justes par contrôle : scope 1" in table.stdout
