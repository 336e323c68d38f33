"""The Code page and `mairie article` read one LegalIndex: asked the same questions, they give the same answers.

The CLI runs as a real subprocess on the demo store; the page runs with streamlit.testing.v1.AppTest.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from rag.articles import code_name
from rag.french import french_date

REPO = Path(__file__).resolve().parents[2]
APP = str(REPO / "ui" / "app.py")
EVIL = "![x](http://evil/?q=1) [lien](http://evil) **gras**"

pytestmark = pytest.mark.integration


def unescape(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def cli_article(store: Path, number: str, date: str | None = None) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, "-m", "ui.cli", "--store", str(store), "article", number, "--json"]
    if date:
        args += ["--date", date]
    return subprocess.run(
        args, cwd=REPO, capture_output=True, text=True, timeout=300, env=os.environ.copy(), check=False
    )


def code_page(store: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.delenv("MAIRIE_UI_HOST", raising=False)
    monkeypatch.setenv("MAIRIE_STORE", str(store))
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    at.switch_page("views/code.py").run()
    assert not at.exception, at.exception
    return at


def shown(at: AppTest) -> dict[str, Any]:
    """What the page shows of the open article, in the CLI's JSON terms."""
    header = unescape(at.header[0].value)
    number, code = re.fullmatch(r"Article (\S+) \((.+)\)", header).groups()  # type: ignore[union-attr]
    captions = [unescape(c.value) for c in at.caption]
    versions = at.dataframe[0].value if at.dataframe else None
    return {
        "number": number,
        "code": code,
        "code_name": unescape(at.title[0].value),
        "text": at.text[0].value,
        "heading_path": captions[0],
        "version_line": next((c for c in captions if c.startswith(("Texte consolidé au ", "Date du texte"))), None),
        "newer": [unescape(w.value) for w in at.main.warning if w.value.startswith("Une version")],
        "newer_text": at.text[1].value if len(at.text) > 1 else "",
        "link": next((b.url for b in at.get("link_button")), None),
        "cites": [b.key.split("-", 1)[1] for b in at.button if b.key and b.key.startswith("cite-")],
        "cited_by": [b.key.split("-", 1)[1] for b in at.button if b.key and b.key.startswith("citedby-")],
        "versions": []
        if versions is None
        else list(zip(versions["En vigueur le"], versions["Texte modificateur"], strict=True)),
        "notes": [unescape(i.value) for i in at.main.info],  # the sidebar holds the access notice
    }


def expected(data: dict[str, Any]) -> dict[str, Any]:
    """The CLI's JSON as the page words it (French dates)."""
    version_line = "Date du texte inconnue : vérifiez-le sur Légifrance."
    if data["version_date"]:
        origin = f" ({data['version_message']})" if data["version_message"] else ""
        when = f" — en vigueur le {french_date(data['requested_date'])}" if data["requested_date"] else ""
        version_line = f"Texte consolidé au {french_date(data['version_date'])}{origin}{when}"
    newer = []
    if data["changed_since"]:
        newer = [f"Une version plus récente du {french_date(data['newest_date'])} est connue :"]
    return {
        "number": data["number"],
        "code": data["code"],
        "code_name": data["code_name"],
        "text": data["text"],
        "heading_path": data["heading_path"],
        "version_line": version_line,
        "newer": newer,
        "newer_text": data["newest_text"] if newer else "",
        "link": data["url"],
        "cites": data["cites"],
        "cited_by": data["cited_by"],
        "versions": [(french_date(v["date"]), v["message"]) for v in data["versions"]],
        "notes": data["notes"],
    }


QUESTIONS = [
    ("L2121-17", None),  # cites a range: L2121-10 à L2121-12
    ("L2121-10", None),  # cited by L2121-17; newer 2023 text than the indexed one
    ("L2122-22", None),  # 20 versions
    ("L2122-22", "2010-01-01"),  # the version in force on a date
    ("L311-1", None),  # CRPA
]


@pytest.mark.slow  # over 20 s on 2 cores: run in the slow step (the default run stays under 15 min)
def test_code_page_and_cli_agree_on_every_article(demo_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = code_page(demo_store, monkeypatch)
    for number, date in QUESTIONS:
        result = cli_article(demo_store, number, date)
        assert result.returncode == 0, result.stderr
        data = json.loads(result.stdout)
        at.date_input(key="code-date").set_value(dt.date.fromisoformat(date) if date else None)
        at.text_input(key="code-goto").set_value(number).run()
        assert not at.exception, at.exception
        assert shown(at) == expected(data), (number, date)
    l2121_17 = json.loads(cli_article(demo_store, "L2121-17").stdout)
    assert l2121_17["cites"] == ["L2121-10", "L2121-11", "L2121-12"]
    assert l2121_17["code_name"] == code_name("CGCT")

    # An unknown number: the same message, nearest numbers included.
    unknown = cli_article(demo_store, "L2121-99")
    assert unknown.returncode == 1
    at.text_input(key="code-goto").set_value("L2121-99").run()
    assert [unescape(w.value) for w in at.warning] == [unknown.stderr.strip()]
    assert unknown.stderr.startswith("Article inconnu : L2121-99. Numéros proches : L2121-40")


def test_code_page_switches_codes_and_follows_references(demo_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = code_page(demo_store, monkeypatch)
    assert [t.value for t in at.title] == ["Code général des collectivités territoriales"]
    assert at.selectbox(key="code-code").options == [
        "Code général des collectivités territoriales",
        "Code des relations entre le public et l'administration",
    ]
    at.selectbox(key="code-code").set_value("CRPA").run()
    assert [t.value for t in at.title] == ["Code des relations entre le public et l'administration"]
    chapters = next(s for s in at.selectbox if s.label == "Chapitre")
    assert len(chapters.options) == 2 and chapters.options[1].endswith("Communication des documents administratifs")
    chapters.set_value(1).run()
    next(b for b in at.button if b.key == "art-L311-1").click().run()
    assert [h.value for h in at.header] == ["Article L311-1 (CRPA)"]
    cite = next(b for b in at.button if b.key and b.key.startswith("cite-"))
    target = cite.key.split("-", 1)[1]
    cite.click().run()
    assert [h.value for h in at.header] == [f"Article {target} (CRPA)"]
    assert "L311-1" in [b.key.split("-", 1)[1] for b in at.button if b.key and b.key.startswith("citedby-")]
    # A CGCT number typed while the CRPA is shown opens it in the CGCT.
    at.text_input(key="code-goto").set_value("L2121-17").run()
    assert [h.value for h in at.header] == ["Article L2121-17 (CGCT)"]
    assert at.selectbox(key="code-code").value == "CGCT"


def test_document_text_is_shown_literally(
    tmp_path: Path, embedding_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Headings and article text come from files: no image fetched, no link, no bold."""
    from ingest.pipeline import Ingestor, collect_files
    from rag.kb import KnowledgeBase
    from rag.settings import Settings

    root = tmp_path / "code"
    chapter = root / "partie" / "chapitre"
    chapter.mkdir(parents=True)
    (root / "README.md").write_text("# Code général des collectivités territoriales\n", encoding="utf-8")
    (root / "partie" / "README.md").write_text(f"# Partie législative {EVIL}\n", encoding="utf-8")
    (chapter / "README.md").write_text(f"# CHAPITRE Ier : {EVIL}\n", encoding="utf-8")
    body = f"Le maire {EVIL} <img src=x onerror=alert(1)> $x^2$ :material/home:"
    (chapter / "article-l9999-1.md").write_text(f"# Article L9999-1\n\n{body}\n", encoding="utf-8")
    store = tmp_path / "store"
    settings = Settings(store=store, cache_dir=embedding_cache)
    events = list(Ingestor(store=KnowledgeBase(settings).store, settings=settings).run(collect_files([root])))
    assert [e.status for e in events if e.status == "failed"] == []

    at = code_page(store, monkeypatch)
    at.text_input(key="code-goto").set_value("L9999-1").run()
    assert not at.exception, at.exception
    assert [t.value for t in at.text] == [body]  # st.text: no markdown at all
    button = next(b for b in at.button if b.key == "art-L9999-1")
    rendered = [m.value for m in [*at.caption, *at.markdown, *at.header, *at.title]]
    rendered += [button.label, *(e.label for e in at.expander)]
    assert any(unescape(r).endswith(f"CHAPITRE Ier : {EVIL}") for r in rendered)  # the heading path is there
    for value in rendered:  # markdown: every character that could open an image, a link or bold is escaped
        assert not set("![]*") & set(re.sub(r"\\.", "", value)), value


def test_article_in_the_address_opens_once(demo_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MAIRIE_UI_HOST", raising=False)
    monkeypatch.setenv("MAIRIE_STORE", str(demo_store))
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    at.query_params["article"] = "L311-1"
    at.switch_page("views/code.py").run()
    assert [h.value for h in at.header] == ["Article L311-1 (CRPA)"]
    at.selectbox(key="code-code").set_value("CGCT").run()  # choosing another code closes the article
    assert not at.header and [t.value for t in at.title] == ["Code général des collectivités territoriales"]
