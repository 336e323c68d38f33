"""Starting the Streamlit app for `mairie ui` and `mairie demo`: a port check first, then a child
process that stops with its parent (signals are forwarded, so no server is left serving)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import click

from rag.settings import Settings

_FORWARDED = ("SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK")  # those the platform has


def port_in_use(host: str, port: int) -> bool:
    """True when something already listens on host:port (so Streamlit could not serve there)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as sock:
        if sys.platform != "win32":  # as Streamlit's server does; a port in TIME_WAIT is free
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return True
    return False


def ensure_port_free(host: str, port: int) -> None:
    """Refuse a busy port before anything starts (Streamlit would print its URL, then fail in English)."""
    if port_in_use(host, port):
        raise click.ClickException(
            f"Le port {port} est déjà utilisé sur {host} (une interface déjà ouverte, ou un autre programme). "
            f"Ouvrez-la dans le navigateur (http://{host}:{port}), arrêtez le programme qui l'occupe, "
            f"ou choisissez un autre port : --port {port + 1}."
        )


def streamlit_command(settings: Settings, *, host: str, port: int) -> tuple[list[str], dict[str, str]]:
    """The command line and environment of the app's server (usage statistics off, headless)."""
    app = Path(__file__).resolve().parent / "app.py"
    env = dict(os.environ, MAIRIE_STORE=str(settings.store))
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        "--server.headless",
        "true",
        "--global.developmentMode",
        "false",
        "--client.toolbarMode",
        "minimal",
        "--server.maxUploadSize",
        str(max(1, int(settings.max_file_mb))),
    ]
    return cmd, env


def run_child(cmd: list[str], env: dict[str, str]) -> int:
    """Run cmd until it ends; a signal that would stop this process stops the child first.

    Returns the child's exit code, or 0 when it stopped because it was asked to.
    """
    child = subprocess.Popen(cmd, env=env)
    stopping = False

    def forward(_signum: int, _frame: Any) -> None:
        nonlocal stopping
        stopping = True
        with contextlib.suppress(ProcessLookupError):
            child.terminate()  # SIGTERM: Streamlit shuts down cleanly

    previous = {}
    for name in _FORWARDED:
        if hasattr(signal, name):
            sig = getattr(signal, name)
            previous[sig] = signal.signal(sig, forward)
    try:
        while True:
            try:
                code = child.wait()
                break
            except KeyboardInterrupt:  # a second Ctrl+C while the child stops
                stopping = True
                child.kill()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if child.poll() is None:
            child.kill()
            child.wait()
    return 0 if stopping else code
