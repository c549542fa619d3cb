"""The emulator as its own process, as users start it: a handle that starts it, reads its
endpoint, makes admin calls over HTTP and stops it.

    with EmulatorProcess(phase_seconds=0.2) as emulator:
        client = emulator.client("cn-shanghai")
        ...
        emulator.state()

The proxy variables are cleared for the process and for the admin calls: the official SDK routes
even loopback calls through a proxy and ignores ``NO_PROXY``.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Mapping
from types import TracebackType
from typing import Any

from .defaults import DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, DEFAULT_REGION_ID

PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy",
                   "all_proxy")


def without_proxies(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """A copy of ``env`` (default: this process's environment) without the proxy variables."""
    source = os.environ if env is None else env
    return {k: v for k, v in source.items() if k not in PROXY_VARIABLES}


def first_line(process: "subprocess.Popen[str]", timeout: float) -> str:
    """The first line a just-started process writes on its stdout (a pipe), waiting at most
    ``timeout`` seconds for it: "" when none comes in time or the process ends first."""
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], timeout)
    return process.stdout.readline() if ready else ""


class EmulatorProcess:
    """``python -m alicloud_imagebuilder_emulator --port 0 --quiet`` plus ``args`` (CLI options,
    e.g. ``"--manual-clock"``), started at construction; :meth:`stop` ends it."""

    def __init__(self, phase_seconds: float = 1.0, *args: str, timeout: float = 30) -> None:
        self.access_key_id = DEFAULT_ACCESS_KEY_ID
        self.access_key_secret = DEFAULT_ACCESS_KEY_SECRET
        self.timeout = timeout  # seconds the start, and each admin call, may take
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "alicloud_imagebuilder_emulator", "--port", "0",
             "--phase-seconds", str(phase_seconds), "--quiet", *args],
            stdout=subprocess.PIPE, text=True, env=without_proxies(),
        )
        first = first_line(self.proc, timeout).strip()
        if not first.startswith("endpoint: "):
            self.stop()
            raise RuntimeError(f"the emulator did not start: {first!r}")
        self.url = first.removeprefix("endpoint: ")

    @property
    def endpoint(self) -> str:
        """``HOST:PORT``, what goes in ``Config(endpoint=..., protocol="http")``."""
        return self.url.removeprefix("http://")

    # -- admin calls (GET/POST /_emulator/...) ---------------------------------------------
    def admin(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """One admin call, e.g. ``admin("POST", "clock/advance", {"seconds": 5})``."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            f"{self.url}/_emulator/{path}", data=data, method=method,
            headers={"Content-Type": "application/json"},
        )
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(request, timeout=self.timeout) as response:
            return json.loads(response.read() or b"null")

    def state(self) -> dict[str, Any]:
        result: dict[str, Any] = self.admin("GET", "state")
        return result

    def restore(self, state: dict[str, Any]) -> None:
        """Replace all state by a saved :meth:`state` (``POST /_emulator/state``)."""
        self.admin("POST", "state", state)

    def counts(self) -> dict[str, Any]:
        """``{"total": N, "by_action": {action: N}}``; admin calls excluded."""
        result: dict[str, Any] = self.admin("GET", "counts")
        return result

    def requests(self, action: str | None = None) -> list[dict[str, Any]]:
        """The request log (oldest first), of one action or all."""
        result: list[dict[str, Any]] = self.admin(
            "GET", "requests" + (f"?action={action}" if action else ""))
        return result

    def faults(self, **faults: Any) -> None:
        self.admin("POST", "faults", faults)

    def configure(self, **changes: Any) -> dict[str, Any]:
        result: dict[str, Any] = self.admin("POST", "settings", changes)
        return result

    def advance(self, seconds: float) -> dict[str, Any]:
        result: dict[str, Any] = self.admin("POST", "clock/advance", {"seconds": seconds})
        return result

    def all(self, kind: str) -> list[dict[str, Any]]:
        """Every object of a kind (templates, executions, components, images, instances, vpcs)
        in every region, each with its "Region"."""
        return [
            {**obj, "Region": region}
            for region, objects in self.state()["regions"].items()
            for obj in objects.get(kind, [])
        ]

    def client(self, region_id: str = DEFAULT_REGION_ID, **config: Any) -> Any:
        """An official ``alibabacloud_ecs20140526`` client for this emulator."""
        from alibabacloud_ecs20140526.client import Client
        from alibabacloud_tea_openapi.models import Config

        return Client(Config(**{
            "access_key_id": self.access_key_id, "access_key_secret": self.access_key_secret,
            "region_id": region_id, "endpoint": self.endpoint, "protocol": "http", **config,
        }))

    # -- lifetime --------------------------------------------------------------------------
    def stop(self, timeout: float = 10) -> None:
        """SIGTERM, then SIGKILL if it has not exited within ``timeout`` seconds."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=timeout)
        if self.proc.stdout is not None:
            self.proc.stdout.close()

    def __enter__(self) -> EmulatorProcess:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
