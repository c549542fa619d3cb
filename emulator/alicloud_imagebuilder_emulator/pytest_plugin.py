"""pytest fixtures for the emulator (registered as a ``pytest11`` plugin by the distribution).

``imagebuilder_emulator``
    A fresh emulator per test behind pytest-httpserver's ``httpserver`` (real HTTP, one request
    at a time), real clock, ``phase_seconds=0.05``: a whole build takes well under a second.
    Yields an :class:`~.handle.EmulatorHandle`; change behaviour with ``.configure(...)``.

``imagebuilder_emulator_factory``
    ``factory(**options) -> EmulatorHandle``: a fresh emulator on its own threaded server (for
    concurrency, or options fixed from the start: ``manual_clock=True``, credentials, settings).
    Servers stop at the end of the test.

Both clear ``HTTP(S)_PROXY``/``ALL_PROXY`` for the test: the SDK would route loopback through them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from .app import make_app
from .handle import EmulatorHandle
from .process import PROXY_VARIABLES
from .server import EmulatorServer

FIXTURE_PHASE_SECONDS = 0.05


def _clear_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def _options(options: dict[str, Any]) -> dict[str, Any]:
    return {"phase_seconds": FIXTURE_PHASE_SECONDS, **options}


def _httpserver(request: pytest.FixtureRequest) -> Any:
    try:
        return request.getfixturevalue("httpserver")
    except pytest.FixtureLookupError:
        pytest.fail("the imagebuilder_emulator fixture needs pytest-httpserver: "
                    "pip install 'pulumi-alicloud-imagebuilder[pytest]'", pytrace=False)


@pytest.fixture
def imagebuilder_emulator(request: pytest.FixtureRequest,
                          monkeypatch: pytest.MonkeyPatch) -> Iterator[EmulatorHandle]:
    httpserver = _httpserver(request)
    _clear_proxies(monkeypatch)
    app = make_app(**_options({}))
    httpserver.expect_request(re.compile(".*")).respond_with_handler(app.handle)
    host = "127.0.0.1" if httpserver.host in ("localhost", "", None) else httpserver.host
    yield EmulatorHandle(app, host, httpserver.port)
    httpserver.clear()


@pytest.fixture
def imagebuilder_emulator_factory(
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Callable[..., EmulatorHandle]]:
    _clear_proxies(monkeypatch)
    servers: list[EmulatorServer] = []

    def factory(**options: Any) -> EmulatorHandle:
        server = EmulatorServer(make_app(**_options(options)))
        servers.append(server)
        return server.start()

    yield factory
    for server in servers:
        server.stop()
