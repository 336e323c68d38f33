"""The README documents every setting and starts with the two commands CI and users rely on."""

from __future__ import annotations

from rag.settings import Settings
from tests.conftest import REPO


def test_every_setting_is_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    missing = [env for env, _, _ in Settings.describe() if f"`{env}`" not in readme]
    assert missing == []


def test_readme_starts_with_install_and_test_commands_that_ci_runs() -> None:
    lines = (REPO / "README.md").read_text(encoding="utf-8").splitlines()
    block = "\n".join(lines[:6])
    assert "pip install -e ." in block and "mairie demo" in block
    test_command = 'python -m pytest -m "not slow and not e2e"'
    assert test_command in block
    assert test_command in (REPO / ".ci" / "run").read_text(encoding="utf-8")


def test_layers_import_only_downwards() -> None:
    """rag never imports ingest or ui; nothing imports ui (except ui itself and tests)."""
    offenders = []
    for package, forbidden in (("rag", ("ingest", "ui")), ("ingest", ("ui",))):
        for path in (REPO / package).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            for name in forbidden:
                if f"\nfrom {name}" in text or f"\nimport {name}" in text or f"    from {name}." in text:
                    offenders.append(f"{path.relative_to(REPO)} imports {name}")
    assert offenders == []
