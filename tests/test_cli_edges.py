"""The CLI's edges: French from Click too, `--store` anywhere, settings in French, whole summaries in
`mairie --help`, and `mairie ui` that refuses a busy port and never outlives its own process."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from ui.cli import main
from ui.cli_base import FRENCH

REPO = Path(__file__).resolve().parent.parent


def _run(*args: str) -> click.testing.Result:
    return CliRunner().invoke(main, list(args))


def test_every_translated_message_is_one_click_writes() -> None:
    """A Click upgrade that rewords a message would silently bring English back: fail instead."""
    source = "".join(p.read_text(encoding="utf-8") for p in Path(click.__file__).parent.glob("*.py"))
    missing = [m for m in FRENCH if f'"{m}"' not in source]
    assert not missing


def test_help_and_errors_are_in_french() -> None:
    top = _run("--help")
    assert top.exit_code == 0
    for english in ("Usage:", "Show this message", "Commands:", "COMMAND [ARGS]"):
        assert english not in top.output
    assert "Utilisation :" in top.output and "Affiche cette aide et quitte." in top.output
    assert "Commandes:" in top.output
    demo = _run("demo", "-h")
    assert "[défaut : 8501]" in demo.output and "default" not in demo.output
    wrong = _run("search", "quorum", "--jsn")
    assert wrong.exit_code == 2
    assert "Erreur : Option inconnue : --jsn." in wrong.output and "Vouliez-vous dire" in wrong.output
    assert "Error" not in wrong.output and "Try" not in wrong.output
    missing = _run("ask")
    assert "Erreur : Argument manquant 'QUESTION'." in missing.output


def test_command_summaries_are_never_cut() -> None:
    """Click cuts a summary at its first period ("Affiche un article (ex."): each shows its first paragraph."""
    out = " ".join(_run("--help").output.split())
    for command in main.commands.values():
        first_paragraph = " ".join((command.help or "").split("\n\n")[0].split())
        assert first_paragraph and first_paragraph in out, command.name
    assert "Affiche un article (ex. L2121-17) : texte" in out


def test_store_is_accepted_before_and_after_the_subcommand(tmp_path: Path) -> None:
    store = tmp_path / "ailleurs"
    for args in (
        ["--store", str(store), "settings"],
        ["settings", "--store", str(store)],
        ["users", "list", "--store", str(store)],
        ["users", "--store", str(store), "list"],
    ):
        result = _run(*args)
        assert result.exit_code == 0, (args, result.output)
        if args[-1] == "settings" or "settings" in args:
            assert f"MAIRIE_STORE = {store}" in result.output
    after = _run("documents", "--store", str(store), "--json")
    assert after.exit_code == 0, after.output
    assert store.is_dir()  # the store was opened there, not in MAIRIE_STORE


def test_settings_prints_booleans_in_french() -> None:
    out = _run("settings").output
    values = re.findall(r"^MAIRIE_\w+ = (.*)$", out, flags=re.MULTILINE)
    assert "oui" in values or "non" in values
    assert "True" not in values and "False" not in values


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_busy_port_is_refused_in_french_before_anything_starts(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        for command in (["ui"], ["demo"]):
            result = _run(*command, "--port", str(port))
            assert result.exit_code != 0
            assert f"Le port {port} est déjà utilisé" in result.output and f"--port {port + 1}" in result.output
            assert "Interface sur" not in result.output and "Indexation" not in result.output


@pytest.mark.integration
def test_stopping_mairie_ui_stops_the_streamlit_server(tmp_path: Path) -> None:
    port = _free_port()
    env = dict(os.environ, MAIRIE_STORE=str(tmp_path / "store"), PYTHONPATH=str(REPO))
    parent = subprocess.Popen(
        [sys.executable, "-m", "ui.cli", "ui", "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        healthy = False
        while time.monotonic() < deadline and parent.poll() is None and not healthy:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
                    healthy = response.status == 200
            except OSError:
                time.sleep(0.5)
        assert healthy, parent.stderr.read() if parent.poll() is not None and parent.stderr else "no health"
        (child,) = Path(f"/proc/{parent.pid}/task/{parent.pid}/children").read_text().split()
        args = Path(f"/proc/{child}/cmdline").read_text().split("\0")
        assert args[args.index("--browser.gatherUsageStats") + 1] == "false"  # the server `mairie ui` starts
        parent.send_signal(signal.SIGTERM)
        assert parent.wait(timeout=20) == 0
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and _listening(port):
            time.sleep(0.2)
        assert not _listening(port), "the Streamlit child still serves after its parent was stopped"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_the_readme_usage_examples_name_files_a_user_has() -> None:
    """The examples run from a fresh clone: paths of the bundled data/, and how to reach `mairie`."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    usage = readme.split("## Utilisation", 1)[1].split("\n## ", 1)[0]
    assert ".venv/bin/activate" in usage and ".venv/bin/mairie" in usage
    block = usage.split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#", 1)[0].split() for line in block.splitlines() if line.startswith("mairie")]
    paths = [word for words in commands for word in words if "/" in word and not word.startswith("-")]
    assert paths and "../shared" not in block
    assert [p for p in paths if not (REPO / p).exists()] == []
    assert {words[1] for words in commands if len(words) > 1 and not words[1].startswith("-")} <= set(main.commands)


@pytest.mark.integration
def test_bench_measures_latencies_on_a_store(writable_demo_store: Path, tmp_path: Path) -> None:
    """`mairie bench` stays a CLI command over ingest.bench (the benchmark left the UI package)."""
    queries = tmp_path / "q.jsonl"
    queries.write_text(
        '{"question": "Quel est le quorum du conseil municipal ?"}\n{"question": "tarifs de la cantine"}\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        main, ["bench", "--store", str(writable_demo_store), "--on-store", "--queries", str(queries), "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["questions"] == 2 and report["store"]["chunks"] > 200
    assert report["store"]["search_hybrid"]["p50_ms"] > 0
    assert report["peak_rss_mb"] is None or report["peak_rss_mb"] > 0
