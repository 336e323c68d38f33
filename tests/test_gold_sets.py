"""The gold sets' evidence really is in the sources they name (benchmarks/check_gold.py)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from rag.evaluate import load_gold
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


def test_a_blind_sets_halves_share_no_document(tmp_path: Path) -> None:
    """benchmarks/halves.py: the dev half's documents are none of the test half's, every question is in one half."""
    gold = REPO / "benchmarks" / "gold_decisions_s30.jsonl"
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "halves.py"), str(gold), str(tmp_path)], check=True)
    dev, test = (load_gold(tmp_path / f"gold_decisions_s30_{name}.jsonl") for name in ("dev", "test"))
    docs = [{d["path"] for q in half for d in q.gold_docs} for half in (dev, test)]
    assert dev and test and not docs[0] & docs[1]
    assert sorted(q.id for q in dev + test) == sorted(q.id for q in load_gold(gold))


def test_other_bodies_gold_evidence_and_key_facts_are_on_their_pages() -> None:
    """Session 31's set on six other bodies' minutes (benchmarks/other_bodies_s31): every evidence and key fact is
    on the page it names, in the PDFs shipped with the set."""
    for gold in ("other_bodies_s31/gold_decisions_s31.jsonl", "other_bodies_s31/gold_s31_absent.jsonl"):
        result = _check(gold, str(REPO))
        assert result.returncode == 0, result.stdout + result.stderr
        assert " 0 fail" in result.stdout


def test_session_32s_other_bodies_gold_evidence_and_key_facts_are_on_their_pages() -> None:
    """Session 32's set on six more invented bodies (benchmarks/other_bodies_s32), checked the same way. Two key
    facts are amounts in a table row right after another column's number ("Communauté de communes du Haut-Ornel
    16 245 918 305,00 €"): read as text, the digits run together, so neither the check nor `mairie eval` can find
    "918 305,00" apart; those two questions count as missed whatever the answer (docs/EVALUATION.md, session 32)."""
    result = _check("other_bodies_s32/gold_s32_absent.jsonl", str(REPO))
    assert result.returncode == 0 and " 0 fail" in result.stdout, result.stdout + result.stderr
    result = _check("other_bodies_s32/gold_decisions_s32.jsonl", str(REPO))
    failed = sorted(set(re.findall(r"FAIL line \d+ \[(s32-\d+)\]", result.stdout)))
    assert failed == ["s32-051", "s32-053"], result.stdout
    assert "key fact not found" in result.stdout and "evidence not found" not in result.stdout


def test_session_33s_other_bodies_gold_evidence_and_key_facts_are_on_their_pages() -> None:
    """Session 33's set on six more invented bodies (benchmarks/other_bodies_s33): a commune's list of the
    deliberations examined, a verbatim procès-verbal, a SIAEP, a communauté de communes' decisions by delegation, a
    SIVOS compte rendu, a two-column compte rendu sommaire. Every evidence and key fact is on the page it names."""
    for gold in ("other_bodies_s33/gold_decisions_s33.jsonl", "other_bodies_s33/gold_s33_absent.jsonl"):
        result = _check(gold, str(REPO))
        assert result.returncode == 0 and " 0 fail" in result.stdout, result.stdout + result.stderr


def test_session_34s_other_bodies_gold_evidence_and_key_facts_are_on_their_pages() -> None:
    """Session 34's set on six more invented bodies (benchmarks/other_bodies_s34): a commune's recueil des actes
    administratifs (the mayor's orders and two séances' deliberations), an energy syndicate's bureau, a procès-verbal
    whose votes are gathered in a table on its last page, a public care home's conseil d'administration, a bulletin's
    "échos du conseil" of three séances, a river syndicate's comité with an annex. Every evidence and key fact is on the
    page it names."""
    for gold in ("other_bodies_s34/gold_decisions_s34.jsonl", "other_bodies_s34/gold_s34_absent.jsonl"):
        result = _check(gold, str(REPO))
        assert result.returncode == 0 and " 0 fail" in result.stdout, result.stdout + result.stderr


def test_session_35s_other_bodies_gold_evidence_and_key_facts_are_on_their_pages() -> None:
    """Session 35's set on six more invented bodies (benchmarks/other_bodies_s35): a commune's deliberations as sent to
    the prefecture, a water board's minutes with footnotes, a PETR's table of decisions, a bilingual mayor's letter, a
    port council with annexed schedules, a school-transport syndicate's installation. Every evidence and key fact is on
    the page it names."""
    for gold in ("other_bodies_s35/gold_decisions_s35.jsonl", "other_bodies_s35/gold_s35_absent.jsonl"):
        result = _check(gold, str(REPO))
        assert result.returncode == 0 and " 0 fail" in result.stdout, result.stdout + result.stderr


def test_session_36s_other_bodies_gold_evidence_and_key_facts_are_on_their_pages() -> None:
    """Session 36's set on six more invented bodies (benchmarks/other_bodies_s36): a local public company's board, a
    tender committee, a town's "Article 1er" deliberations, a nature park's slide deck, a landowners' association
    voting by surface, a small commune's minutes with a vote column. Every evidence and key fact is on the page it
    names."""
    for gold in ("other_bodies_s36/gold_decisions_s36.jsonl", "other_bodies_s36/gold_s36_absent.jsonl"):
        result = _check(gold, str(REPO))
        assert result.returncode == 0 and " 0 fail" in result.stdout, result.stdout + result.stderr


def test_session_37s_other_bodies_gold_evidence_and_key_facts_are_on_their_pages() -> None:
    """Session 37's set on six more invented bodies (benchmarks/other_bodies_s37): a communauté de communes' reports and
    deliberations, an energy syndicate's installation, a caisse des écoles, a land agency's cards, a section de commune's
    commission, a transport board's two-column deliberations. Every evidence and key fact is on the page it names."""
    for gold in ("other_bodies_s37/gold_decisions_s37.jsonl", "other_bodies_s37/gold_s37_absent.jsonl"):
        result = _check(gold, str(REPO))
        assert result.returncode == 0 and " 0 fail" in result.stdout, result.stdout + result.stderr


def test_session_38s_other_bodies_gold_evidence_and_key_facts_are_on_their_pages() -> None:
    """Session 38's set on six more invented bodies (benchmarks/other_bodies_s38): an airfield syndicate's decisions by
    delegation, a CCAS's minutes in prose, a school syndicate's table of decisions, a tourist office's comité de
    direction, a river syndicate's register, a commune déléguée's opinions. Every evidence and key fact is on the page
    it names."""
    for gold in ("other_bodies_s38/gold_decisions_s38.jsonl", "other_bodies_s38/gold_s38_absent.jsonl"):
        result = _check(gold, str(REPO))
        assert result.returncode == 0 and " 0 fail" in result.stdout, result.stdout + result.stderr


def test_session_39s_other_bodies_gold_evidence_and_key_facts_are_on_their_pages() -> None:
    """Session 39's set on six more invented bodies (benchmarks/other_bodies_s39): a communauté de communes' bureau
    relevé of boxed decisions, a housing office's conseil d'administration, a very small commune's register of three
    séances, a water syndicate's procès-verbal with tariff tables, a care home's conseil de la vie sociale, a
    département's commission permanente extract. Every evidence and key fact is on the page it names."""
    for gold in ("other_bodies_s39/gold_decisions_s39.jsonl", "other_bodies_s39/gold_s39_absent.jsonl"):
        result = _check(gold, str(REPO))
        assert result.returncode == 0 and " 0 fail" in result.stdout, result.stdout + result.stderr


def test_session_40s_other_bodies_gold_evidence_and_key_facts_are_on_their_pages() -> None:
    """Session 40's set on six more invented bodies (benchmarks/other_bodies_s40): a commune's minutes with numbered
    lines and a roll-call annex, a land association's minutes sent as an e-mail, a ski-lift board's decisions as a
    spreadsheet print-out, a region's act with its amendments as tracked changes, a centre de gestion's online
    register of acts, a lycée board's minutes with vote bar charts. Every evidence and key fact is on the page it
    names."""
    for gold in ("other_bodies_s40/gold_decisions_s40.jsonl", "other_bodies_s40/gold_s40_absent.jsonl"):
        result = _check(gold, str(REPO))
        assert result.returncode == 0 and " 0 fail" in result.stdout, result.stdout + result.stderr


def test_session_41s_other_bodies_gold_evidence_and_key_facts_are_on_their_pages() -> None:
    """Session 41's set on six more invented bodies (benchmarks/other_bodies_s41): a syndicate's minutes typed into a
    pre-printed form, a SIVOM's edition of its deliberations, a CLECT's report printed as an imposed booklet, a
    gendarmerie SIVU's budget minutes, a hospital's signed extracts exported from a signature workflow, a comité social
    territorial's record of opinions. Every evidence and key fact is on the page it names."""
    for gold in ("other_bodies_s41/gold_decisions_s41.jsonl", "other_bodies_s41/gold_s41_absent.jsonl"):
        result = _check(gold, str(REPO))
        assert result.returncode == 0 and " 0 fail" in result.stdout, result.stdout + result.stderr
