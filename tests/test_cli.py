"""The `mairie` command line as a real subprocess on the demo store: exit codes and user-facing lines."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration


def mairie(*args: str, store: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "MAIRIE_STORE": str(store), **env}
    return subprocess.run(
        [sys.executable, "-m", "ui.cli", *args], capture_output=True, text=True, env=full_env, timeout=300, check=False
    )


def test_search_json_ranks_the_named_article_first(demo_store: Path) -> None:
    result = mairie("search", "que dit l'article L2121-17", "--json", store=demo_store)
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)["hits"]
    assert hits[0]["article"] == "L2121-17" and hits[0]["kind"] == "article"


def test_ask_json_cites_the_canteen_deliberation(demo_store: Path) -> None:
    result = mairie("ask", "Qu'a voté le conseil municipal sur la cantine scolaire ?", "--json", store=demo_store)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["found"] is True
    first = data["citations"][0]
    assert first["source"].endswith("PV_CM_2020-07-23.pdf") and first["page"] == 3
    assert first["delib_id"] == "2020-045"


def test_ask_unknown_topic_says_nothing_was_found(demo_store: Path) -> None:
    result = mairie("ask", "Quels sont les horaires de la piscine municipale ?", store=demo_store)
    assert result.returncode == 0
    assert result.stdout.startswith("Je n'ai pas trouvé cette information dans les documents indexés.")


def test_bad_date_filter_is_a_clear_usage_error(demo_store: Path) -> None:
    result = mairie("search", "budget", "--since", "2021-13-45", store=demo_store)
    assert result.returncode == 2
    assert "date attendue au format AAAA-MM-JJ" in result.stderr


def test_ingest_missing_path_names_it(tmp_path: Path) -> None:
    result = mairie("ingest", str(tmp_path / "absent"), store=tmp_path / "store")
    assert result.returncode == 1
    assert "chemin introuvable" in result.stderr and "absent" in result.stderr


def test_settings_lists_every_variable_with_help(tmp_path: Path) -> None:
    result = mairie("settings", store=tmp_path / "store")
    assert result.returncode == 0
    assert "MAIRIE_STORE = " in result.stdout and "MAIRIE_CHROMA_URL" in result.stdout


@pytest.mark.slow  # over 20 s on 2 cores: run in the slow step (the default run stays under 15 min)
def test_ingest_twice_embeds_nothing_the_second_time(tmp_path: Path) -> None:
    from tests.conftest import DATA

    store = tmp_path / "store"
    pdf = DATA / "deliberations" / "preuilly-sur-claise" / "PV_CM_2020-07-23.pdf"
    first = mairie("ingest", str(pdf), "--json", store=store)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["indexed"] == 1
    second = mairie("ingest", str(pdf), "--json", store=store)
    report = json.loads(second.stdout)
    assert report["unchanged"] == 1 and report["embedded"] == 0
    removed = mairie("remove", "PV_CM_2020-07-23.pdf", store=store)
    assert removed.returncode == 0 and removed.stdout.startswith("Supprimé : PV_CM_2020-07-23.pdf (")
    verified = mairie("verify", store=store)
    assert verified.returncode == 0, verified.stdout
