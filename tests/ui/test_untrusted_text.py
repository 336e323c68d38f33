"""Issue 12, item 3: text from a document is never rendered as markdown. A document holding a markdown image
that points outside is searched and asked about in the app (AppTest): every rendered element holds the image
only as literal text (escaped markdown, HTML entities, or plain text), never as markup the browser would fetch."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from ingest.service import ingest_files
from rag.kb import KnowledgeBase
from rag.settings import Settings
from ui.views.common import html_text, md_escape

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
APP = str(REPO / "ui" / "app.py")
EVIL = "![x](http://evil.example/?q=1)"
TEXT = (
    "# Piscine municipale\n\n"
    f"Le tarif de la piscine municipale est fixé à trois euros {EVIL} par entrée pour les habitants de la commune.\n"
    "Les horaires d'ouverture de la piscine municipale sont affichés à l'entrée du bâtiment.\n"
)
PLAIN_ELEMENTS = {"Text", "Code", "TextInput", "ChatInput"}  # shown as typed, never parsed as markdown


def walk(node: Any) -> Iterator[Any]:
    for child in getattr(node, "children", {}).values():
        yield child
        yield from walk(child)


@pytest.fixture()
def evil_store(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "piscine.md").write_text(TEXT, encoding="utf-8")
    store = tmp_path / "evil-store"
    kb = KnowledgeBase(Settings(store=store, cache_dir=Path(os.environ["MAIRIE_CACHE_DIR"])))
    summary = ingest_files([folder], kb=kb)
    assert summary.indexed == 1, summary.events
    return store


def rendered(at: AppTest) -> list[tuple[str, str]]:
    """(element type, the string it gives the browser) for every element with a text value."""
    out = []
    for element in walk(at._tree):
        value = getattr(element, "value", None)
        if isinstance(value, str):
            out.append((type(element).__name__, value))
    return out


def assert_only_literal(at: AppTest) -> None:
    assert not at.exception, at.exception
    seen = rendered(at)
    literal = [(kind, v) for kind, v in seen if md_escape(EVIL) in v or html_text(EVIL) in v]
    assert literal, "the document's text should be shown"
    raw = [(kind, v) for kind, v in seen if EVIL in v and kind not in PLAIN_ELEMENTS]
    assert not raw, raw


def test_markdown_image_in_a_document_is_shown_literally(evil_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAIRIE_STORE", str(evil_store))
    at = AppTest.from_file(APP, default_timeout=180).run()
    assert not at.exception, at.exception

    at.chat_input[0].set_value("Quel est le tarif de la piscine municipale ?").run()
    assert_only_literal(at)

    at.switch_page("views/search.py").run()
    at.text_input[0].set_value("tarif de la piscine municipale")
    at.button[0].click().run()  # the form's submit button
    assert_only_literal(at)
    assert any(EVIL in v for kind, v in rendered(at) if kind == "Text")  # the full passage, as plain text


def test_escaping_helpers_leave_no_markup() -> None:
    assert md_escape(EVIL) == r"\!\[x\]\(http://evil.example/?q=1\)"
    encoded = html_text(f"<b>{EVIL}</b>")
    assert "<" not in encoded and "[" not in encoded and "(" not in encoded and "!" not in encoded
