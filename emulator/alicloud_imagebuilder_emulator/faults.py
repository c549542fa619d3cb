"""Fault injection: a seeded share of requests answered with throttling or server errors, plus
one-shot faults queued for chosen actions. A faulted request is answered before it reaches the
backend, so it changes no state, unless an injected fault is ``after_apply``: then the request is
applied and only its answer is replaced (a lost response)."""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass
from typing import Any

from .errors import ApiError
from .settings import Settings

# code -> (HTTP status, message); Throttling.User/Throttling.Api statuses are ASSUMED
# (docs/service-notes.md §4).
KNOWN_FAULTS: dict[str, tuple[int, str]] = {
    "Throttling": (403, "Request was denied due to request throttling."),
    "Throttling.User": (400, "Request was denied due to user flow control."),
    "Throttling.Api": (400, "Request was denied due to api flow control."),
    "ServiceUnavailable": (503, "The request has failed due to a temporary failure of the server."),
    "InternalError": (500,
                      "The request processing has failed due to some unknown error, exception or "
                      "failure."),
}
_THROTTLE_VARIANTS = ("Throttling", "Throttling", "Throttling.User", "Throttling.Api")
_ERROR_VARIANTS = ("ServiceUnavailable", "InternalError")
_RETRY_AFTER_MS = (100, 200, 500, 1000)


@dataclass
class InjectedFault:
    code: str
    status: int
    message: str
    action: str | None = None  # None: the next API request of any action
    count: int = 1
    retry_after_ms: int | None = None
    # the request is applied first: the change is made, the answer is lost
    after_apply: bool = False

    def error(self) -> ApiError:
        headers = {"x-acs-retry-after": str(self.retry_after_ms)} if self.retry_after_ms else None
        return ApiError(self.status, self.code, self.message, headers)


def make_fault(code: str, action: str | None = None, count: int = 1, status: int | None = None,
               message: str | None = None, retry_after_ms: int | None = None,
               after_apply: bool = False) -> InjectedFault:
    """Validate a one-shot fault; ValueError naming the field when it is unusable."""
    known = KNOWN_FAULTS.get(code)
    if status is None and known is None:
        raise ValueError(f"fault code {code!r} needs a status (known codes: "
                         f"{', '.join(KNOWN_FAULTS)})")
    if status is None:
        assert known is not None  # checked above
        status = known[0]
    if not 400 <= int(status) <= 599:
        raise ValueError(f"fault status must be 400-599, got {status!r}")
    if int(count) < 1:
        raise ValueError(f"fault count must be >= 1, got {count!r}")
    if retry_after_ms is not None and int(retry_after_ms) < 1:
        raise ValueError(f"retry_after_ms must be >= 1, got {retry_after_ms!r}")
    if not isinstance(after_apply, bool):
        raise ValueError(f"after_apply must be true or false, got {after_apply!r}")
    return InjectedFault(code, int(status),
                         message or (known[1] if known else f"Injected fault {code}."),
                         action, int(count),
                         None if retry_after_ms is None else int(retry_after_ms), after_apply)


class FaultInjector:
    def __init__(self, seed: int) -> None:
        self._lock = threading.Lock()
        self._rng = random.Random(seed)
        self._queue: list[InjectedFault] = []

    def reseed(self, seed: int) -> None:
        with self._lock:
            self._rng = random.Random(seed)

    def inject(self, fault: InjectedFault) -> None:
        with self._lock:
            self._queue.append(fault)

    def clear(self) -> None:
        with self._lock:
            self._queue.clear()

    def pending(self) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(vars(fault)) for fault in self._queue]

    @staticmethod
    def delay(action: str, settings: Settings) -> float:
        """Seconds to hold this request before serving it (a slow or hanging service)."""
        if settings.fault_actions and action not in settings.fault_actions:
            return 0.0
        return settings.delay_seconds

    def draw(self, action: str, settings: Settings) -> InjectedFault | None:
        """The fault answering this request, or None to serve it (an InjectedFault may be
        ``after_apply``: serve the request, then answer the fault)."""
        with self._lock:
            for fault in self._queue:
                if fault.action in (None, action):
                    fault.count -= 1
                    if fault.count == 0:
                        self._queue.remove(fault)
                    return fault
            if settings.fault_actions and action not in settings.fault_actions:
                return None
            if settings.throttle_rate <= 0 and settings.error_rate <= 0:
                return None
            roll = self._rng.random()
            if roll < settings.throttle_rate:
                code = self._rng.choice(_THROTTLE_VARIANTS)
                with_header = code == "Throttling" and self._rng.random() < 0.5
                retry_after = self._rng.choice(_RETRY_AFTER_MS) if with_header else None
                return make_fault(code, retry_after_ms=retry_after)
            if roll < settings.throttle_rate + settings.error_rate:
                return make_fault(self._rng.choice(_ERROR_VARIANTS))
            return None
