"""Issue 12, items 2 and 3 in a real browser (Debian chromium through Playwright, like test_browser.py):
no request leaves the machine on any page, and a server bound to every interface without accounts serves
no page, whatever MAIRIE_UI_HOST says and whatever address is typed first."""

from __future__ import annotations

import contextlib
import ipaddress
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.ui.test_browser import CHROMIUM, CHROMIUM_ARGS, REPO, _free_port, _wait_healthy

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed (apt-get install chromium)"),
]
PAGES = ("Rechercher", "Délibérations", "Codes", "Nouveaux élus", "Confidentialité", "Documents", "Poser une question")


def _is_local(url: str) -> bool:
    if not url.startswith(("http:", "https:", "ws:", "wss:")):
        return True  # data:, blob:, about: never reach the network
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@contextlib.contextmanager
def _serve(args: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, *args], cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            yield process
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture()
def browser():  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def test_no_page_makes_a_request_outside_the_machine(
    browser,
    writable_demo_store: Path,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    from playwright.sync_api import expect

    port = _free_port()
    env = {**os.environ, "MAIRIE_STORE": str(writable_demo_store), "MAIRIE_USERS_FILE": str(tmp_path / "none.json")}
    url = f"http://127.0.0.1:{port}"
    with _serve(["-m", "ui.cli", "ui", "--port", str(port)], env, tmp_path / "server.log") as process:
        _wait_healthy(url, process)
        context = browser.new_context(locale="fr-FR")
        requests: list[str] = []
        context.on("request", lambda request: requests.append(request.url))
        tab = context.new_page()
        tab.set_default_timeout(120_000)
        tab.goto(url)
        expect(tab.get_by_role("heading", name="Poser une question")).to_be_visible(timeout=180_000)
        for title in PAGES:
            tab.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
            tab.wait_for_timeout(3000)  # the page runs, then its images, fonts and icons are fetched
            assert tab.get_by_test_id("stException").count() == 0, title
        context.close()
        assert requests, "the recorder saw nothing"
        outside = [r for r in requests if not _is_local(r)]
        assert not outside, outside


@pytest.mark.parametrize("first", ["/", "/documents", "/views/documents", "/pages/documents"])
def test_network_bind_without_accounts_serves_no_page(
    browser,
    demo_store: Path,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    first: str,
) -> None:
    """`streamlit run ui/app.py --server.address 0.0.0.0` with no accounts, MAIRIE_UI_HOST lying."""
    from playwright.sync_api import expect

    port = _free_port()
    env = {
        **os.environ,
        "MAIRIE_STORE": str(demo_store),
        "MAIRIE_USERS_FILE": str(tmp_path / "none.json"),
        "MAIRIE_UI_HOST": "127.0.0.1",
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
    }
    args = [
        "-m",
        "streamlit",
        "run",
        str(REPO / "ui" / "app.py"),
        "--server.address",
        "0.0.0.0",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
    ]
    url = f"http://127.0.0.1:{port}"
    with _serve(args, env, tmp_path / "server.log") as process:
        _wait_healthy(url, process)
        tab = browser.new_page(locale="fr-FR")
        tab.set_default_timeout(120_000)
        tab.goto(url + first)
        if first.count("/") == 1:  # an address of the app: it runs and explains
            expect(tab.get_by_text("mairie users add NOM --role admin")).to_be_visible(timeout=180_000)
        else:  # a module's path: no page of the app is served there at all
            tab.wait_for_timeout(15_000)
            assert tab.get_by_text("Indexer les fichiers").count() == 0
        assert tab.get_by_role("heading", name="Documents").count() == 0
        assert tab.get_by_role("heading", name="Poser une question").count() == 0
        assert tab.get_by_test_id("stSidebarNav").count() == 0
        tab.close()
