"""Issue 12, items 8, 10, 11 and 12 in the app: the attacks re-run with AppTest and real function calls.

- a PDF that ingestion accepts but whose page inflates to gigabytes when drawn: the app shows a French
  message, its own process stays small (the page is drawn in the bounded worker);
- "Indexer un dossier du serveur" with /etc/security, a '..' escape and a link to /etc: refused;
- password guessing from several sessions at once: throttled per account and per address, and audited;
- a PDF whose name holds control characters: "Ouvrir la page" still shows the page.
"""

from __future__ import annotations

import json
import resource
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.data.make_bad_inputs import GOOD_PDF, make_form_bomb

REPO = Path(__file__).resolve().parents[2]
APP = str(REPO / "ui" / "app.py")

pytestmark = pytest.mark.integration


def walk(node: Any) -> Iterator[Any]:
    for child in getattr(node, "children", {}).values():
        yield child
        yield from walk(child)


def texts(elements: Any) -> str:
    return "\n".join(str(e.value) for e in elements)


def _index(store: Path, files: list[Path]) -> None:
    from ingest.service import ingest_files
    from rag.kb import KnowledgeBase
    from rag.settings import Settings

    summary = ingest_files(files, kb=KnowledgeBase(Settings.from_env(store=store)))
    assert summary.failed == 0, summary.events


def _app(store: Path, monkeypatch: pytest.MonkeyPatch, **env: str) -> AppTest:
    monkeypatch.setenv("MAIRIE_STORE", str(store))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    at = AppTest.from_file(APP, default_timeout=240)
    at.run()
    assert not at.exception, at.exception
    return at


def _open_first_page(at: AppTest, query: str) -> AppTest:
    at.switch_page("views/search.py").run()
    at.text_input[0].set_value(query)
    next(b for b in at.button if b.label == "Rechercher").click().run()
    assert not at.exception, at.exception
    next(b for b in at.button if b.label == "Ouvrir la page").click().run()
    assert not at.exception, at.exception
    return at


# --- item 8: drawing a page is bounded -------------------------------------------------------------------
def test_a_page_inflating_to_gigabytes_is_refused_in_the_card(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "lot"
    folder.mkdir()
    bomb = make_form_bomb(folder / "tarifs.pdf", inflated_mb=400)  # 0.8 MB on disk, accepted by ingestion
    store = tmp_path / "store"
    _index(store, [folder])
    at = _app(store, monkeypatch)
    before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    started = time.monotonic()
    _open_first_page(at, "tarifs du conseil municipal")
    seconds = time.monotonic() - started
    warning = texts(at.warning)
    assert "Page trop lourde pour être affichée ici" in warning and bomb.name in warning
    assert not [e for e in walk(at.main) if type(e).__name__ == "Image"]
    grown_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024 - before_mb
    assert grown_mb < 300, f"the app's process grew by {grown_mb} MB"
    assert seconds < 90, seconds


def test_render_page_bounds_time_and_memory_and_still_draws_a_real_page() -> None:
    from ui.render import RenderError, render_page

    shown = render_page(GOOD_PDF, pages=[1], quote="")
    assert shown.png.startswith(b"\x89PNG") and shown.page_count >= 1
    with pytest.raises(RenderError, match="plus de 0 s ou de 1024 Mo"):
        render_page(GOOD_PDF, pages=[1], timeout=0.01)


# --- item 10: folder ingestion from the app is limited to configured roots ----------------------------
def test_folder_ingestion_is_limited_to_the_configured_roots(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    allowed = tmp_path / "archives"
    allowed.mkdir()
    (allowed / "etc").symlink_to("/etc", target_is_directory=True)
    store = tmp_path / "store"
    at = _app(store, monkeypatch, MAIRIE_INGEST_ROOTS=str(allowed))
    at.switch_page("views/documents.py").run()
    assert f"Dossiers autorisés : {allowed}" in texts(at.caption)
    for attempt in ("/etc/security", f"{allowed}/{'../' * 20}etc/security", f"{allowed}/etc/security"):
        at.text_input[0].set_value(attempt).run()
        next(b for b in at.button if b.label == "Indexer le dossier").click().run()
        assert not at.exception, at.exception
        errors = texts(at.error)
        assert "Dossier refusé : /etc/security n'est pas dans les dossiers que l'application peut indexer" in errors
        assert "MAIRIE\\_INGEST\\_ROOTS" in errors  # markdown-escaped
    from rag.kb import KnowledgeBase
    from rag.settings import Settings

    assert KnowledgeBase(Settings.from_env(store=store)).documents() == []
    audit = [json.loads(line) for line in (store / "audit.log").read_text(encoding="utf-8").splitlines()]
    assert [a["folder"] for a in audit if a["action"] == "ingest-refused"][0] == "/etc/security"


def test_without_roots_no_server_folder_can_be_indexed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "archives"
    folder.mkdir()
    shutil.copy(GOOD_PDF, folder / "pv.pdf")
    at = _app(tmp_path / "store", monkeypatch)
    at.switch_page("views/documents.py").run()
    assert "Aucun dossier autorisé" in texts(at.caption)
    at.text_input[0].set_value(str(folder)).run()
    next(b for b in at.button if b.label == "Indexer le dossier").click().run()
    assert "aucun dossier autorisé" in texts(at.error)


# --- item 11: login throttling ------------------------------------------------------------------------
def _accounts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ui import auth

    path = tmp_path / "accounts.json"
    auth.add_user(path, "claire", "admin", "mot-de-passe-admin")
    monkeypatch.setenv("MAIRIE_USERS_FILE", str(path))


def _login(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input[0].set_value(name)
    at.text_input[1].set_value(password)
    return at.button[0].click().run()


def test_parallel_guesses_are_counted_before_bcrypt_runs(tmp_path: Path) -> None:
    """8 sessions guessing at once (one LoginThrottle each, one shared file): at most 5 reach bcrypt."""
    from ui import auth

    users_file = tmp_path / "accounts.json"
    auth.add_user(users_file, "claire", "admin", "mot-de-passe-admin")
    users = auth.load_users(users_file)
    checked: list[str] = []
    waits: list[float] = []

    def guesser(n: int) -> None:
        throttle = auth.LoginThrottle(tmp_path / "logins.sqlite3")
        for attempt in range(3):
            wait = throttle.reserve("claire", f"192.0.2.{n}")
            if wait > 0:
                waits.append(wait)
                continue
            checked.append(f"{n}-{attempt}")
            assert auth.authenticate(users, "claire", f"essai-{n}-{attempt}") is None

    threads = [threading.Thread(target=guesser, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(checked) == auth.ACCOUNT_FAILURES, checked
    assert len(waits) == 8 * 3 - auth.ACCOUNT_FAILURES
    assert all(0 < w <= auth.FIRST_DELAY_SECONDS for w in waits)


def test_throttle_delay_doubles_expires_and_a_success_clears_it(tmp_path: Path) -> None:
    from ui import auth

    now = [1_000_000.0]
    throttle = auth.LoginThrottle(tmp_path / "logins.sqlite3", clock=lambda: now[0])
    for _ in range(auth.ACCOUNT_FAILURES):
        assert throttle.reserve("claire", "192.0.2.1") == 0
    assert throttle.reserve("claire", "192.0.2.2") == auth.FIRST_DELAY_SECONDS  # the account, from anywhere
    assert throttle.reserve("paul", "192.0.2.1") == 0  # another account from the same address
    now[0] += auth.FIRST_DELAY_SECONDS
    assert throttle.reserve("claire", "192.0.2.1") == 0  # the sixth attempt, once the delay is over ...
    assert throttle.waiting("claire", "192.0.2.1") == 2 * auth.FIRST_DELAY_SECONDS  # ... doubles the next
    # Many accounts from one address: the address is throttled too.
    for n in range(auth.ADDRESS_FAILURES):
        throttle.reserve(f"compte{n}", "198.51.100.9")
    assert throttle.reserve("quelquun", "198.51.100.9") > 0
    # The window passes: everything is forgotten; a success clears the account at once.
    now[0] += auth.WINDOW_SECONDS + 1
    assert throttle.waiting("claire", "192.0.2.1") == 0
    for _ in range(auth.ACCOUNT_FAILURES - 1):
        throttle.reserve("claire", "192.0.2.1")
    throttle.reserve("claire", "192.0.2.1")
    throttle.succeeded("claire", "192.0.2.1")
    assert throttle.waiting("claire", "192.0.2.1") == 0


def test_app_locks_an_account_for_every_session_and_audits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ui import auth

    _accounts(tmp_path, monkeypatch)
    store = tmp_path / "store"
    attacker = _app(store, monkeypatch)
    for n in range(auth.ACCOUNT_FAILURES):
        _login(attacker, "claire", f"mauvais-{n}")
        assert "incorrect" in texts(attacker.error)
    _login(attacker, "claire", "mauvais-encore")
    assert "Trop de tentatives de connexion échouées" in texts(attacker.error)
    # Another session, even with the right password, waits too.
    owner = _app(store, monkeypatch)
    _login(owner, "claire", "mot-de-passe-admin")
    assert "Trop de tentatives de connexion échouées" in texts(owner.error)
    assert [t.value for t in owner.title] == ["Connexion"]
    audit = [json.loads(line) for line in (store / "audit.log").read_text(encoding="utf-8").splitlines()]
    failed = [a for a in audit if a["action"] == "login-failed"]
    assert len(failed) == auth.ACCOUNT_FAILURES and {a["who"] for a in failed} == {"claire"}
    assert failed[0]["client"] == "127.0.0.1"
    assert [a["who"] for a in audit if a["action"] == "login-locked"] == ["claire"]


# --- item 12: a file name with control characters -------------------------------------------------------
def test_open_the_page_of_a_pdf_whose_name_has_control_characters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "lot"
    folder.mkdir()
    shutil.copy(GOOD_PDF, folder / "deliberation\x1b[31m\x07.pdf")
    store = tmp_path / "store"
    _index(store, [folder])
    at = _app(store, monkeypatch)
    _open_first_page(at, "Montpellier conseil municipal")
    assert "introuvable" not in texts(at.warning)
    images = [e for e in walk(at.main) if type(e).__name__ == "Image"]
    assert images, texts(at.warning)
