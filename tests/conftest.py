"""Shared fixtures: no network beyond loopback, a data directory under tmp, a demo store built once."""

from __future__ import annotations

import importlib.util
import ipaddress
import os
import shutil
import socket
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
SHARED_CORPUS = REPO.parent / "shared" / "corpus"

os.environ["ANONYMIZED_TELEMETRY"] = "False"
os.environ["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] = "false"
os.environ["HF_HUB_OFFLINE"] = "1"


def benchmark_module(script: str) -> ModuleType:
    """A script of benchmarks/ loaded as a module (the folder is no package), registered in sys.modules
    (dataclasses look their module up while a class is built)."""
    path = REPO / "benchmarks" / script
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _is_loopback(address: object) -> bool:
    if isinstance(address, tuple) and address:
        host = str(address[0])
    else:
        return isinstance(address, str)  # an AF_UNIX path is local; anything else is refused
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        try:
            return all(ipaddress.ip_address(info[4][0]).is_loopback for info in socket.getaddrinfo(host, None))
        except OSError:
            return False


class NetworkBlocked(RuntimeError):
    pass


@pytest.fixture(autouse=True, scope="session")
def _block_network() -> Iterator[None]:
    """Any connection to a non-loopback address fails for the whole suite."""
    original = socket.socket.connect
    original_ex = socket.socket.connect_ex

    def guarded(self: socket.socket, address: object) -> object:
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address):
            raise NetworkBlocked(f"network access blocked during tests: {address!r}")
        return original(self, address)  # type: ignore[arg-type]

    def guarded_ex(self: socket.socket, address: object) -> int:
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address):
            raise NetworkBlocked(f"network access blocked during tests: {address!r}")
        return original_ex(self, address)  # type: ignore[arg-type]

    socket.socket.connect = guarded  # type: ignore[method-assign]
    socket.socket.connect_ex = guarded_ex  # type: ignore[method-assign]
    yield
    socket.socket.connect = original  # type: ignore[method-assign]
    socket.socket.connect_ex = original_ex  # type: ignore[method-assign]


@pytest.fixture(scope="session")
def embedding_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One embedding cache for the session: a text is embedded once even if several stores index it."""
    shared = os.environ.get("MAIRIE_TEST_CACHE_DIR")
    return Path(shared) if shared else tmp_path_factory.mktemp("embedding-cache")


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, embedding_cache: Path) -> None:
    monkeypatch.setenv("MAIRIE_STORE", str(tmp_path / "store"))
    monkeypatch.setenv("MAIRIE_CACHE_DIR", str(embedding_cache))
    monkeypatch.setenv("MAIRIE_USERS_FILE", str(tmp_path / "users.json"))
    for name in list(os.environ):
        if name.startswith("MAIRIE_LLM"):
            monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory, embedding_cache: Path) -> Path:
    """A store with the whole demo corpus (data/), built once per session with the real embedder.

    Tests must not write to it: copy it with `writable_demo_store` for that.
    """
    from ingest.pipeline import Ingestor, collect_files
    from rag.kb import KnowledgeBase
    from rag.settings import Settings

    store = tmp_path_factory.mktemp("demo-store")
    settings = Settings(store=store, cache_dir=embedding_cache)
    kb = KnowledgeBase(settings)
    files = collect_files([DATA / "cgct", DATA / "deliberations", DATA / "legal"])
    events = list(Ingestor(store=kb.store, settings=settings).run(files))
    failed = [e for e in events if e.status == "failed"]
    assert not failed, failed
    kb.lexical.ensure_fresh()
    return store


@pytest.fixture()
def writable_demo_store(demo_store: Path, tmp_path: Path) -> Path:
    target = tmp_path / "demo-copy"
    shutil.copytree(demo_store, target)
    return target


@pytest.fixture(scope="session")
def demo_kb(demo_store: Path, embedding_cache: Path):  # type: ignore[no-untyped-def]
    from rag.kb import KnowledgeBase
    from rag.settings import Settings

    return KnowledgeBase(Settings(store=demo_store, cache_dir=embedding_cache))


def private_cache(shared: Path, target: Path) -> Path:
    """A consistent copy of the shared embedding cache (SQLite online backup: other test processes may be writing
    it); an empty cache when the shared one cannot be read at that moment (its vectors are then computed again, which
    costs time, not correctness)."""
    target.mkdir(parents=True, exist_ok=True)
    source = shared / "embeddings.sqlite3"
    if source.exists():
        copy = target / "embeddings.sqlite3"
        src, dst = sqlite3.connect(source), sqlite3.connect(copy)
        try:
            src.backup(dst)
        except sqlite3.DatabaseError:
            dst.close()
            copy.unlink(missing_ok=True)
        finally:
            dst.close()
            src.close()
    return target
