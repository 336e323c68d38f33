"""The gold sets' evidence really is in the sources they name (benchmarks/check_gold.py)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import DATA, REPO, SHARED_CORPUS

CHECKER = REPO / "benchmarks" / "check_gold.py"


def _check(gold: str, root: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(CHECKER), str(REPO / "benchmarks" / gold), root],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_demo_gold_evidence_is_in_the_demo_corpus() -> None:
    result = _check("gold_demo.jsonl", str(DATA))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 fail" in result.stdout


@pytest.mark.slow
def test_full_gold_evidence_is_in_the_shared_corpus() -> None:
    if not SHARED_CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present beside the repository")
    result = _check("gold.jsonl", str(SHARED_CORPUS))
    assert result.returncode == 0, result.stdout + result.stderr
