"""Offline: nothing leaves the machine. The suite blocks the network, telemetry is off, and the whole chain
(ingest, ask, the Streamlit UI) works inside a network namespace that has no network at all.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
SECTION_4 = (
    DATA / "cgct" / "partie-legislative" / "deuxieme-partie" / "livre-ier" / "titre-ii" / "chapitre-ier" / "section-4"
)
PV = DATA / "deliberations" / "preuilly-sur-claise" / "PV_CM_2020-07-23.pdf"
# TEST-NET-1 (RFC 5737): documentation only, never routed. The guard refuses it before any packet is sent.
TEST_NET = ("192.0.2.1", 80)


def test_the_suite_blocks_non_loopback_connections() -> None:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        started = time.monotonic()
        with pytest.raises(RuntimeError, match="network access blocked during tests"):
            sock.connect(TEST_NET)
        with pytest.raises(RuntimeError, match="network access blocked during tests"):
            sock.connect_ex(TEST_NET)
        assert time.monotonic() - started < 0.5  # refused at once, not a timeout
    finally:
        sock.close()
    with pytest.raises(RuntimeError, match="network access blocked"):
        socket.create_connection(TEST_NET, timeout=1)


def test_loopback_stays_allowed() -> None:
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    accepted: list[bytes] = []

    def serve() -> None:
        conn, _ = server.accept()
        accepted.append(conn.recv(16))
        conn.close()

    thread = threading.Thread(target=serve)
    thread.start()
    with socket.create_connection(("127.0.0.1", port), timeout=5) as client:
        client.sendall(b"ping")
    thread.join(timeout=5)
    server.close()
    assert accepted == [b"ping"]


@pytest.mark.integration
def test_chroma_telemetry_is_off(tmp_path: Path) -> None:
    from rag.settings import Settings
    from rag.store import ChromaStore

    store = ChromaStore(settings=Settings(store=tmp_path / "store"))
    assert store.client.get_settings().anonymized_telemetry is False


def test_the_ui_command_turns_streamlit_usage_stats_off(tmp_path: Path) -> None:
    from rag.settings import Settings
    from ui.serve import streamlit_command

    cmd, env = streamlit_command(Settings(store=tmp_path / "store"), host="127.0.0.1", port=8599)
    start = cmd.index("run") + 2  # python -m streamlit run APP --key value ...
    options = dict(zip(cmd[start::2], cmd[start + 1 :: 2], strict=True))
    assert options["--browser.gatherUsageStats"] == "false"
    assert options["--server.address"] == "127.0.0.1"
    assert options["--server.headless"] == "true"
    assert env["MAIRIE_STORE"] == str(tmp_path / "store")


def _unshare_works() -> str:
    if shutil.which("unshare") is None or shutil.which("ip") is None:
        return "unshare or ip not installed"
    try:
        done = subprocess.run(["unshare", "-n", "sh", "-c", "ip link set lo up"], capture_output=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"unshare -n failed: {e}"
    if done.returncode != 0:
        return f"unshare -n needs root or user namespaces: {done.stderr.decode(errors='replace').strip()}"
    return ""


DRIVER = textwrap.dedent("""
    import json, os, signal, subprocess, sys, time, urllib.request
    result = {}
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    # Proof that there is no network here: any non-loopback address is unreachable at once.
    routes = subprocess.run(["ip", "-o", "route", "show"], capture_output=True, text=True).stdout.strip()
    result["routes"] = routes
    folder, port = sys.argv[1], sys.argv[2]
    cli = [sys.executable, "-m", "ui.cli"]
    run = subprocess.run(cli + ["ingest", folder, "--json"], capture_output=True, text=True, timeout=600)
    result["ingest"] = [run.returncode, run.stdout, run.stderr[-2000:]]
    run = subprocess.run(cli + ["ask", "Quel est le quorum du conseil municipal ?"], capture_output=True, text=True,
                         timeout=600)
    result["ask"] = [run.returncode, run.stdout, run.stderr[-2000:]]
    ui = subprocess.Popen(cli + ["ui", "--host", "127.0.0.1", "--port", port], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, start_new_session=True)
    health, deadline = None, time.monotonic() + 90
    while time.monotonic() < deadline and health is None and ui.poll() is None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                health = [r.status, r.read().decode()]
        except OSError:
            time.sleep(0.5)
    result["health"] = health
    result["page"] = None
    if health:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
            result["page"] = [r.status, "<html" in r.read(4096).decode(errors="replace").lower()]
    os.killpg(ui.pid, signal.SIGTERM)
    try:
        out, _ = ui.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(ui.pid, signal.SIGKILL)
        out, _ = ui.communicate()
    result["ui_output"] = out[-3000:]
    print("RESULT " + json.dumps(result))
""")


@pytest.mark.slow
def test_end_to_end_inside_a_network_namespace_without_network(tmp_path: Path, embedding_cache: Path) -> None:
    reason = _unshare_works()
    if reason:
        pytest.skip(reason)
    folder = tmp_path / "corpus"
    shutil.copytree(SECTION_4, folder / "cgct")
    (folder / "deliberations").mkdir()
    shutil.copyfile(PV, folder / "deliberations" / PV.name)
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    env = dict(
        os.environ,
        MAIRIE_STORE=str(tmp_path / "store"),
        MAIRIE_CACHE_DIR=str(embedding_cache),
        PYTHONPATH=str(REPO),
        HOME=str(tmp_path),
    )
    done = subprocess.run(
        ["unshare", "-n", sys.executable, str(driver), str(folder), "8765"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("RESULT ")), None)
    assert line is not None, done.stdout[-2000:] + done.stderr[-3000:]
    result = json.loads(line[len("RESULT ") :])
    # Only the loopback interface: no route at all, so nothing can leave.
    assert result["routes"] == "", result["routes"]
    code, out, err = result["ingest"]
    assert code == 0, err
    report = json.loads(out)
    assert report["failed"] == 0 and report["indexed"] == 26, out
    code, out, err = result["ask"]
    assert code == 0, err
    assert "[1]" in out and "L2121-17" in out.replace(". ", "").replace(" ", ""), out
    assert result["health"] == [200, "ok"], result["ui_output"]
    assert result["page"] == [200, True]
