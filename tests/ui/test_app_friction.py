"""Friction a new user met in the app: clickable example questions, ranks instead of raw scores, no module
names in the sidebar before access is granted (AppTest on the demo store)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "ui" / "app.py")

pytestmark = pytest.mark.integration


def texts(elements: Any) -> str:
    return "\n".join(str(e.value) for e in elements)


@pytest.fixture()
def home(demo_store: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.delenv("MAIRIE_UI_HOST", raising=False)
    monkeypatch.setenv("MAIRIE_STORE", str(demo_store))
    at = AppTest.from_file(APP, default_timeout=180).run()
    assert not at.exception, at.exception
    return at


def test_an_example_question_on_the_home_page_is_asked_when_clicked(home: AppTest) -> None:
    at = home
    examples = [b for b in at.button if str(b.key).startswith("example-")]
    assert [b.label for b in examples][:1] == ["Qu'a voté le conseil municipal sur la cantine scolaire ?"]
    examples[0].click().run()
    assert not at.exception, at.exception
    history = at.session_state["chat_history"]
    assert [q for q, _ in history] == ["Qu'a voté le conseil municipal sur la cantine scolaire ?"]
    assert "Délibération 2020-045" in texts(at.markdown)
    assert not [b for b in at.button if str(b.key).startswith("example-")]  # asked: the examples give way


def test_an_exact_reference_is_labelled_in_french_without_a_score(home: AppTest) -> None:
    at = home
    at.switch_page("views/search.py").run()
    at.text_input[0].set_value("L2121-17")
    at.button[0].click().run()
    assert not at.exception, at.exception
    captions = texts(at.caption)
    assert "référence exacte" in captions and "score" not in captions


def test_no_page_is_reachable_before_access_is_granted(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch, bind_address
) -> None:  # type: ignore[no-untyped-def]
    """Network mode without accounts: refused, and Streamlit's automatic page list (module names) is off."""
    monkeypatch.setenv("MAIRIE_STORE", str(demo_store))
    bind_address("0.0.0.0")
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert "mairie users add" in texts(at.error)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("views/search.py")
