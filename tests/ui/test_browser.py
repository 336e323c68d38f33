"""What a person sees: `mairie ui` as a real server, driven by Debian's headless Chromium (Playwright).

Needs /usr/bin/chromium (`apt-get install chromium`); Playwright never downloads a browser here.
Screenshots land in tests/ui/artifacts/ (ignored by git) so a person can look at them.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CANTEEN = "Qu'a voté le conseil municipal sur la cantine scolaire ?"
GOOD_PDF = REPO / "data" / "deliberations" / "preuilly-sur-claise" / "PV_CM_2020-07-23.pdf"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed (apt-get install chromium)"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_healthy(url: str, process: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"`mairie ui` exited early with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"`mairie ui` not ready after {timeout:.0f} s at {url}")


@pytest.fixture()
def server(writable_demo_store: Path, tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    env = dict(os.environ)
    env.update(
        {
            "MAIRIE_STORE": str(writable_demo_store),
            "MAIRIE_USERS_FILE": str(tmp_path / "no-users.json"),
            "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
        }
    )
    env.pop("MAIRIE_UI_HOST", None)
    log = (tmp_path / "server.log").open("wb")
    # Its own session, so the test can stop `mairie ui` and the Streamlit child it starts, and nothing else.
    process = subprocess.Popen(
        [sys.executable, "-m", "ui.cli", "ui", "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process)
        yield url
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        log.close()


@pytest.fixture()
def page(server: str):  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
        tab = context.new_page()
        tab.set_default_timeout(120_000)
        # Assertions wait as long as actions: the first page opens the knowledge base (Chroma, BM25, e5),
        # which takes tens of seconds on a loaded 2-core machine.
        expect.set_options(timeout=120_000)
        tab.goto(server)
        try:
            yield tab
        finally:
            context.close()
            browser.close()


def shot(tab, name: str) -> None:  # type: ignore[no-untyped-def]
    tab.wait_for_timeout(500)  # let the last rerun paint
    tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)  # Streamlit scrolls inside its own container


def go_to(tab, title: str) -> None:  # type: ignore[no-untyped-def]
    tab.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()


def next_step(tab, before: str, after: str) -> None:  # type: ignore[no-untyped-def]
    """Click "Étape suivante →" until the step `after` shows. A click that lands while the app still reruns from the
    last one may be dropped (seen once in CI under load: the page stayed on step 2); it is clicked again only while
    the step `before` still shows, so a late click never skips a step."""
    from playwright.sync_api import expect

    for _ in range(3):
        tab.get_by_role("button", name="Étape suivante →").click()
        try:
            expect(tab.get_by_role("heading", name=after)).to_be_visible(timeout=20_000)
            return
        except AssertionError:
            expect(tab.get_by_role("heading", name=before)).to_be_visible()
    expect(tab.get_by_role("heading", name=after)).to_be_visible()


def test_a_secretary_asks_opens_the_page_walks_onboarding_and_uploads(  # type: ignore[no-untyped-def]
    page, tmp_path: Path, writable_demo_store: Path
) -> None:
    from playwright.sync_api import expect

    tab = page
    expect(tab.get_by_role("heading", name="Poser une question")).to_be_visible()
    expect(tab.get_by_text("Accès local sans identification")).to_be_visible()

    # Ask: the answer streams in, then the source card of délibération 2020-045.
    box = tab.get_by_test_id("stChatInputTextArea")
    box.fill(CANTEEN)
    box.press("Enter")
    expect(tab.get_by_text("Délibération 2020-045 — CANTINE", exact=False).first).to_be_visible()
    expect(tab.locator("mark").first).to_be_visible()
    tab.get_by_text("Réponse extractive", exact=False).first.scroll_into_view_if_needed()
    shot(tab, "01-reponse-cantine")

    tab.get_by_role("button", name="Ouvrir la page").first.click()
    image = tab.get_by_test_id("stImage").locator("img").first
    expect(image).to_be_visible()
    expect(tab.get_by_text("passage cité surligné", exact=False)).to_be_visible()
    shot(tab, "02a-page-pdf-bouton")
    # The chat keeps the view pinned to its bottom: photograph the rendered page itself.
    image.screenshot(path=str(ARTIFACTS / "02b-page-pdf-surlignee.png"))

    # The other reading pages render without error.
    go_to(tab, "Délibérations")
    expect(tab.get_by_text("délibération(s) sur", exact=False)).to_be_visible()
    expect(tab.get_by_test_id("stDataFrame")).to_be_visible()
    tab.wait_for_timeout(2500)  # the table and charts are drawn on canvases after the rerun
    shot(tab, "03a-deliberations")
    go_to(tab, "Codes")
    tab.get_by_label("Aller à l'article").fill("L2121-17")
    tab.get_by_label("Aller à l'article").press("Enter")
    expect(tab.get_by_role("heading", name="Article L2121-17 (CGCT)")).to_be_visible()
    shot(tab, "03b-code-article")

    # Onboarding: two steps forward.
    go_to(tab, "Nouveaux élus")
    expect(tab.get_by_role("heading", name="1. Le rôle du conseiller municipal")).to_be_visible()
    next_step(tab, "1. Le rôle du conseiller municipal", "2. Les séances et les convocations")
    next_step(tab, "2. Les séances et les convocations", "3. L'ordre du jour")
    expect(tab.get_by_text("L2121-10", exact=False).first).to_be_visible()
    shot(tab, "03c-parcours-etape-3")

    # Documents: a broken PDF and a good one, sent together.
    broken = tmp_path / "pv-casse.pdf"
    broken.write_bytes(b"%PDF-1.4 garbage")
    good = tmp_path / "pv-juillet-2020.pdf"
    shutil.copy(GOOD_PDF, good)
    go_to(tab, "Documents")
    expect(tab.get_by_role("heading", name="Documents")).to_be_visible()
    tab.locator("input[type=file]").set_input_files([str(broken), str(good)])
    expect(tab.get_by_text("pv-juillet-2020.pdf", exact=False).first).to_be_visible()
    tab.get_by_role("button", name="Indexer les fichiers").click()
    expect(tab.get_by_text("Indexation terminée avec des erreurs", exact=False)).to_be_visible()
    expect(tab.get_by_text("uploads/pv-casse.pdf : PDF", exact=False)).to_be_visible()
    expect(tab.get_by_text("1 fichier(s) indexé(s)", exact=False)).to_be_visible()
    shot(tab, "04-indexation-erreur-claire")

    tab.get_by_role("tab", name="Documents indexés").click()
    expect(tab.get_by_text("document(s)", exact=False).first).to_be_visible()
    shot(tab, "05-documents-indexes")

    listed = subprocess.run(
        [sys.executable, "-m", "ui.cli", "--store", str(writable_demo_store), "documents"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "uploads/pv-juillet-2020.pdf" in listed and "pv-casse.pdf" not in listed
