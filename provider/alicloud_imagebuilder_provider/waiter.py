"""Waiting, described as data (in the manner of botocore waiters).

A :class:`WaiterSpec` says what is awaited and which observed values end the wait
(:class:`Acceptor`); :func:`wait` polls on a :class:`Backoff` schedule until an acceptor
matches or the :class:`Deadline` passes, reporting each change to a progress callback and
calling a cancellation hook on timeout before it raises :class:`WaitTimeout`.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Literal

from .dotted import dig
from .errors import ApiError, Interrupted, WaitTimeout

State = Literal["success", "failure", "retry"]

_STOPPING = threading.Event()
# Interpreter shutdown (the dynamic provider host returns from main() on Ctrl-C) joins the worker
# threads; this hook, run before that join, ends every pause so the process exits promptly. The
# build goes on in the service and the next `pulumi up` adopts it.
_at_shutdown = getattr(threading, "_register_atexit", None)
if _at_shutdown is not None:
    _at_shutdown(_STOPPING.set)


def stop() -> None:
    """End every wait of the process (a plugin's Cancel): pauses raise :class:`Interrupted`."""
    _STOPPING.set()


def stopping() -> bool:
    """Is the process shutting down (see :func:`pause`)?"""
    return _STOPPING.is_set()


def interrupted() -> Interrupted:
    """What a wait raises once the process stops waiting (shutdown, or a plugin's Cancel)."""
    return Interrupted("interrupted: the provider is shutting down. Anything started keeps "
                       "running in the service; the next `pulumi up` picks it up.")


def pause(seconds: float) -> None:
    """``time.sleep`` that raises :class:`Interrupted` as soon as the process shuts down."""
    if _STOPPING.wait(seconds):
        raise interrupted()


@dataclass(frozen=True)
class Backoff:
    """Pause schedule: ``initial``, multiplied by ``factor`` per poll up to ``maximum``,
    each pause varied by +-``jitter`` (a fraction) so parallel pollers spread out."""

    initial: float
    maximum: float
    factor: float = 1.5
    jitter: float = 0.1

    def delays(self) -> Iterator[float]:
        delay = self.initial
        while True:
            yield max(0.0, delay * random.uniform(1 - self.jitter, 1 + self.jitter))
            delay = min(delay * self.factor, self.maximum)


class Schedule:
    """A :class:`Backoff`'s pauses continued across waits: a later wait (the copy search after
    the build) picks up where the earlier one stopped instead of starting over."""

    def __init__(self, backoff: Backoff):
        self._delays = backoff.delays()

    def delays(self) -> Iterator[float]:
        return self._delays


class Deadline:
    """A point ``seconds`` ahead on a monotonic clock."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic):
        self.seconds = seconds
        self._clock = clock
        self._end = clock() + seconds

    def remaining(self) -> float:
        return max(0.0, self._end - self._clock())

    @property
    def expired(self) -> bool:
        return self.remaining() <= 0


@dataclass(frozen=True)
class Acceptor:
    """When the value at ``path`` of an observation is one of ``expected``, the wait ends in
    ``state`` (or goes on, for "retry"). An empty path matches the observation itself
    (``None`` meaning "not there"). An error acceptor (``matcher="error"``, as botocore's)
    matches a poll that failed with an :class:`ApiError` whose kind or code is expected."""

    state: State
    expected: tuple[Any, ...]
    path: str = ""
    matcher: Literal["path", "error"] = "path"

    def matches(self, observation: Any) -> bool:
        if self.matcher == "error":
            return isinstance(observation, ApiError) and (
                observation.kind in self.expected or observation.code in self.expected)
        return dig(observation, self.path) in self.expected


@dataclass(frozen=True)
class WaiterSpec:
    what: str
    acceptors: tuple[Acceptor, ...]
    progress: tuple[str, ...] = ()  # paths whose change is reported to the progress callback
    hint: str = ""  # appended to the timeout message: what the user can do

    def matched(self, observation: Any) -> Acceptor | None:
        """The first acceptor that matches (an error acceptor only matches an error)."""
        return next((a for a in self.acceptors if a.matches(observation)), None)

    def state_of(self, observation: Any) -> State:
        acceptor = self.matched(observation)
        return "retry" if acceptor is None else acceptor.state


@dataclass(frozen=True)
class Outcome:
    """How a wait ended: the state, the last observation (the error, for an error acceptor)
    and which acceptor matched."""

    state: State
    value: Any
    acceptor: Acceptor | None = None


def wait(spec: WaiterSpec, poll: Callable[[], Any], *, backoff: Backoff | Schedule,
         deadline: Deadline,
         on_progress: Callable[[Any], None] | None = None,
         on_timeout: Callable[[Any], None] | None = None,
         sleep: Callable[[float], None] = pause) -> Outcome:
    """Poll until an acceptor ends the wait; on timeout call ``on_timeout`` then raise. A poll
    that fails with a retryable error (after its own retries) is tried again on the schedule:
    the awaited thing goes on in the service meanwhile, and the deadline still holds.

    ``sleep`` may do the observing (a :class:`.poller.Watch`'s ``refresh_after``), with ``poll``
    then only reading the latest observation."""
    delays = backoff.delays()
    seen: tuple[Any, ...] | None = None
    observation: Any = None
    while True:
        try:
            observation = poll()
        except ApiError as error:
            by_error = spec.matched(error)
            if by_error is not None and by_error.state != "retry":
                return Outcome(by_error.state, error, by_error)
            if by_error is None and not error.kind.retryable:
                raise
            if deadline.expired:
                if on_timeout is not None:
                    on_timeout(observation)
                raise WaitTimeout(spec.what, deadline.seconds, observation,
                                  f"{spec.hint} The last poll failed: {error}".strip()) from None
            sleep(min(next(delays), deadline.remaining()))
            continue
        marker = tuple(dig(observation, p) for p in spec.progress)
        if on_progress is not None and spec.progress and marker != seen:
            on_progress(observation)
        seen = marker
        acceptor = spec.matched(observation)
        if acceptor is not None and acceptor.state != "retry":
            return Outcome(acceptor.state, observation, acceptor)
        if deadline.expired:
            if on_timeout is not None:
                on_timeout(observation)
            raise WaitTimeout(spec.what, deadline.seconds, observation, spec.hint)
        sleep(min(next(delays), deadline.remaining()))
