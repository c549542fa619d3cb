"""The retry policy: throttling, 5xx and dropped connections, with backoff and jitter."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import Callable, TypeVar

from ..errors import ApiError, ErrorKind

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = 8
    base_delay: float = 1.0
    max_delay: float = 20.0
    max_elapsed: float = 300.0  # one call, retries included, ends within this many seconds
    attempt_timeout: float = 0.0  # how long one attempt may take (connect + read timeouts)

    def delay(self, retry: int, retry_after: float | None = None) -> float:
        """Pause before retry number ``retry`` (1-based): "equal jitter" exponential backoff,
        never shorter than what the service asked for."""
        ceiling = min(self.max_delay, self.base_delay * 2 ** (retry - 1))
        return max(random.uniform(ceiling / 2, ceiling), retry_after or 0.0)


def call_with_retry(fn: Callable[[], T], policy: RetryPolicy,
                    classify: Callable[[BaseException], ApiError], *,
                    sleep: Callable[[float], None] = time.sleep,
                    clock: Callable[[], float] = time.monotonic) -> T:
    """Run ``fn``; retry retryable failures; raise the classified error otherwise."""
    started = clock()
    attempt = 0
    while True:
        attempt += 1
        try:
            return fn()
        except Exception as exc:  # noqa: BLE001 - classify() re-raises what it does not know
            error = classify(exc)
            error.attempts = attempt
            if not error.kind.retryable or attempt > policy.max_retries:
                raise error from None
            delay = policy.delay(attempt, error.retry_after)
            # A throttled call was answered at once: only a retry after an attempt that may
            # hang must leave room for a whole attempt within the call's budget.
            reserve = 0.0 if error.kind is ErrorKind.THROTTLED else policy.attempt_timeout
            if clock() - started + delay + reserve > policy.max_elapsed:
                raise error from None
            sleep(delay)
