"""Key facts in the evaluation: the normaliser, the match, the per-kind rate and the gold files' format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rag.errors import ConfigError
from rag.evaluate import QuestionResult, key_fact_in, load_gold, normalize_fact, summarize

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("2 500 €", "2500 €"),
        ("2\u00a0500 €", "2500€"),
        ("2\u202f500,00 €", "2 500 euros"),
        ("1 250 000 €", "1250000 euros"),
        ("2,65 €", "2.65 €"),
        ("7.650,76 €", "7 650,76 €"),
        ("Désigné à l’unanimité", "designe a l'unanimite"),
        ("CRÉDIT   MUNICIPAL", "credit municipal"),
    ],
)
def test_normalize_fact_equates_french_spellings(a: str, b: str) -> None:
    assert normalize_fact(a) == normalize_fact(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("2,65 €", "265 €"),  # a decimal comma is not a thousands separator
        ("2 500 €", "2 50 €"),  # only groups of three digits are joined
        ("13 pour", "1 3 pour"),
        ("2.650 m²", "2650 m²"),  # a point without decimal comma may be a decimal point: left alone
        ("300 000,00 760 683,10", "300 000,00760 683,10"),  # two cells of a table row stay two numbers
        ("en 2013 500 €", "en 2013500 €"),  # a year before an amount is not its thousands
    ],
)
def test_normalize_fact_keeps_different_numbers_apart(a: str, b: str) -> None:
    assert normalize_fact(a) != normalize_fact(b)


def test_key_fact_needs_every_fact_and_one_alternative() -> None:
    answer = "Le 22 mai 2014, le conseil a attribué 3 000 € à l'association ATTITUDE (unanimité) [1]."
    assert key_fact_in(answer, ["3000 €", "ATTITUDE"]) is True
    assert key_fact_in(answer, ["3000 €", "5000 €"]) is False
    assert key_fact_in(answer, ["3000 €"], ["unanimité", "55 pour"]) is True
    assert key_fact_in(answer, ["3000 €"], ["55 pour", "2 contre"]) is False


def test_key_fact_is_found_in_a_table_row_of_several_amounts() -> None:
    row = "Travaux 2013   300 000,00  760 683,10  1 060 683,10"
    assert key_fact_in(row, ["760 683,10"]) is True
    assert key_fact_in(row, ["300 000"]) is True
    assert key_fact_in(row, ["683,10"]) is False


def test_key_fact_is_not_found_inside_a_longer_number_or_word() -> None:
    assert key_fact_in("Subvention de 13 000 €", ["3 000 €"]) is False
    assert key_fact_in("2,650 m²", ["2,65"]) is False
    assert key_fact_in("Monsieur MARTINEZ", ["MARTIN"]) is False
    assert key_fact_in("Monsieur MARTIN, adjoint", ["MARTIN"]) is True


def _result(kind: str, key_fact: bool | None, *, absent: bool = False) -> QuestionResult:
    return QuestionResult(
        id=kind,
        kind=kind,
        rank_doc=None if absent else 1,
        rank_page=None,
        article_rank1=None,
        refused=absent,
        absent=absent,
        fact_found=None,
        key_fact_found=key_fact,
        citation_precision=None,
        search_ms=1.0,
        answer_ms=1.0,
    )


def test_key_fact_rate_per_kind_ignores_questions_without_key_facts() -> None:
    results = [
        _result("deliberation", True),
        _result("deliberation", False),
        _result("deliberation", None),
        _result("article_ref", True),
        _result("absent", None, absent=True),
    ]
    summary = summarize(results)
    assert summary["deliberation"]["key_fact_rate"] == 0.5
    assert summary["deliberation"]["key_fact_questions"] == 2
    assert summary["article_ref"]["key_fact_rate"] == 1.0
    assert "key_fact_rate" not in summary["absent"]
    assert summary["overall"]["key_fact_rate"] == round(2 / 3, 3)


def test_load_gold_reads_key_facts_and_old_files(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(
        json.dumps(
            {
                "id": "q1",
                "question": "Combien ?",
                "kind": "deliberation",
                "gold_docs": [{"path": "a.pdf", "pages": [1]}],
                "key_facts": ["600 €"],
                "key_facts_any": ["12 pour", "unanimité"],
            }
        )
        + "\n"
        + json.dumps({"id": "q2", "question": "Quand ?", "kind": "absent"})
        + "\n",
        encoding="utf-8",
    )
    first, second = load_gold(path)
    assert (first.key_facts, first.key_facts_any) == (["600 €"], ["12 pour", "unanimité"])
    assert (second.key_facts, second.key_facts_any) == ([], [])
    for name in ("gold.jsonl", "gold_demo.jsonl"):  # the existing gold sets still load
        assert load_gold(BENCHMARKS / name)


def test_load_gold_rejects_a_key_fact_that_is_not_a_list_of_strings(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps({"question": "Combien ?", "key_facts": "600 €"}) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="ligne 1"):
        load_gold(path)
