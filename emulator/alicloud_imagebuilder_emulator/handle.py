"""A handle on one running emulator: where it listens, its credentials, its state and request log.

The pytest fixtures and :class:`~.server.EmulatorServer` both hand one of these out.
"""

from __future__ import annotations

from typing import Any

from . import snapshot
from .app import EmulatorApp, RequestRecord
from .backend import Backend
from .clock import Clock


class EmulatorHandle:
    def __init__(self, app: EmulatorApp, host: str, port: int) -> None:
        self.app = app
        self.host = host
        self.port = port

    # -- where and who ---------------------------------------------------------------------
    @property
    def endpoint(self) -> str:
        """``HOST:PORT``, what goes in ``Config(endpoint=..., protocol="http")``."""
        return f"{self.host}:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.endpoint}"

    @property
    def access_key_id(self) -> str:
        return self.app.access_key_id

    @property
    def access_key_secret(self) -> str:
        return self.app.access_key_secret

    @property
    def account_id(self) -> str:
        return self.backend.account_id

    @property
    def backend(self) -> Backend:
        return self.app.backend

    @property
    def clock(self) -> Clock:
        return self.backend.clock

    def client(self, region_id: str = "cn-hangzhou", **config: Any) -> Any:
        """An official ``alibabacloud_ecs20140526`` client for this emulator (extra ``Config``
        fields allowed)."""
        from alibabacloud_ecs20140526.client import Client
        from alibabacloud_tea_openapi.models import Config

        settings = {
            "access_key_id": self.access_key_id,
            "access_key_secret": self.access_key_secret,
            "region_id": region_id,
            "endpoint": self.endpoint,
            "protocol": "http",
            **config,
        }
        return Client(Config(**settings))

    # -- request log -----------------------------------------------------------------------
    @property
    def requests(self) -> list[RequestRecord]:
        """API requests so far (the last 10,000, oldest first), including rejected and faulted
        ones; :meth:`count` counts them all."""
        return self.app.requests

    def count(self, action: str | None = None) -> int:
        """How many API requests (of one action, or all) reached the emulator; admin calls
        excluded."""
        return self.app.count(action)

    def counts(self) -> dict[str, int]:
        return self.app.counts()

    def reset_counts(self) -> None:
        self.app.reset_counts()

    # -- behaviour and state ---------------------------------------------------------------
    def configure(self, **changes: Any) -> dict[str, Any]:
        """phase_seconds, manual_clock, throttle_rate, error_rate, seed, fail_distribution_to,
        release_failure, fault_actions, pipeline_quota, component_quota,
        inject=[{"code": ..., "action": ..., "after_apply": False}]."""
        return self.backend.configure(**changes)

    def advance(self, seconds: float) -> float:
        """Move the clock forward (the usual way to drive builds with ``manual_clock=True``)."""
        return self.backend.advance(seconds)

    def state(self) -> dict[str, Any]:
        """The same JSON-able dict as ``GET /_emulator/state``."""
        return snapshot.dump(self.backend)

    def restore(self, state: dict[str, Any]) -> None:
        """Replace all state by a saved :meth:`state` (settings stay)."""
        self.backend.restore(state)

    def reset(self) -> None:
        """Forget all state and requests; restore the settings the emulator started with."""
        self.app.reset()
