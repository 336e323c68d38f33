"""The app decides open access from the server's real bind address (option server.address): AppTest runs
without a server, so each test says where that server would listen. Loopback unless a test says otherwise."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from streamlit import config


@pytest.fixture(autouse=True)
def bind_address() -> Iterator[Callable[[str | None], None]]:
    """Set the app's server.address for this test (127.0.0.1 by default); restored afterwards."""
    previous = config.get_option("server.address")

    def bind(address: str | None) -> None:
        config.set_option("server.address", address)

    bind("127.0.0.1")
    yield bind
    bind(previous)
