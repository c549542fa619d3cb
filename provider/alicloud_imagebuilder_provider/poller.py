"""One status poller per provider process (per credentials and region).

Every build the process waits on holds a :class:`Watch`. A wait (:func:`.waiter.wait`) uses the
watch as its ``poll`` (the latest observation, no call) and its ``sleep`` (ask to be observed
again after the pause, then block until a round has done so). The poller's thread runs a round
when the earliest watch is due and takes along every watch due within half its own pause, so
builds waited on at once fall into the same rounds and stay there (of two groups polled apart,
one is always due within half a pause of the other's round); a round asks
``DescribeImagePipelineExecutions`` for up to :data:`BATCH` execution ids per call. Calls per
round grow with builds / :data:`BATCH`, not with builds.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any, Callable

from .errors import ApiError, ErrorKind
from .waiter import interrupted, stopping

if TYPE_CHECKING:
    from .client import EcsApi

# ExecutionId values per DescribeImagePipelineExecutions call (a comma list). The API reference
# names the limit's error (InvalidExecutionId.SizeExceeded) but not its value; 20 is what the
# emulator assumes. A poller answered that error halves its batch and asks again.
BATCH = 20
_TOO_MANY = "InvalidExecutionId.SizeExceeded"
COALESCE = 0.5  # a round also takes watches due within this share of their own pause
IDLE_EXIT = 30.0  # seconds a poller thread lingers without watches before it ends
_ITEMS = "ImagePipelineExecution.ImagePipelineExecutionSet"


class Watch:
    """One awaited build: its latest observation, and when it wants the next one."""

    def __init__(self, poller: "StatusPoller", execution_id: str):
        self.poller, self.execution_id = poller, execution_id
        self.observation: dict[str, Any] | None = None
        self.due: float | None = None  # monotonic time of the wanted observation; None: none
        self.slack = 0.0
        self._error: BaseException | None = None
        self._fresh = threading.Event()

    def latest(self) -> dict[str, Any] | None:
        """The last observation (``None``: the build is gone), or the error of the round that
        made it; for :func:`.waiter.wait`, which tolerates retryable ones until its deadline."""
        if self._error is not None:
            raise self._error
        return self.observation

    def request(self, delay: float) -> None:
        """Ask for an observation ``delay`` seconds from now (without waiting for it)."""
        self._fresh.clear()
        self._error = None
        self.poller.schedule(self, delay)

    def refresh_after(self, delay: float) -> None:
        """Be observed again after ``delay`` seconds; returns once that round is done."""
        self.request(delay)
        while not self._fresh.wait(0.2):
            if stopping():
                self.poller.forget(self)
                raise interrupted()

    def observe(self) -> dict[str, Any] | None:
        """An observation now (batched with whatever else is due)."""
        self.refresh_after(0.0)
        return self.latest()

    def deliver(self, observation: dict[str, Any] | None, error: BaseException | None) -> None:
        self.observation, self._error = observation, error
        self._fresh.set()

    def close(self) -> None:
        self.poller.forget(self)

    def __enter__(self) -> "Watch":
        return self

    def __exit__(self, *_exc: Any) -> None:
        self.close()


class StatusPoller:
    """Polls the watched builds of one region with one set of credentials, in batches."""

    def __init__(self, api: "EcsApi", region: str, *, threaded: bool = True,
                 clock: Callable[[], float] = time.monotonic):
        self.api, self.region = api, region
        self.threaded, self.clock = threaded, clock
        self._watches: set[Watch] = set()
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self.batch = BATCH

    def watch(self, execution_id: str) -> Watch:
        watch = Watch(self, execution_id)
        with self._cond:
            self._watches.add(watch)
        return watch

    def forget(self, watch: Watch) -> None:
        with self._cond:
            self._watches.discard(watch)
            watch.due = None

    def schedule(self, watch: Watch, delay: float) -> None:
        with self._cond:
            self._watches.add(watch)
            watch.due, watch.slack = self.clock() + delay, COALESCE * delay
            if self.threaded and self._thread is None:
                self._thread = threading.Thread(target=self._run, name="imagebuilder-poller",
                                                daemon=True)
                self._thread.start()
            self._cond.notify()

    def _due(self) -> list[Watch]:
        """Watches to poll now (called with the lock held)."""
        now = self.clock()
        return [w for w in self._watches if w.due is not None and w.due - w.slack <= now]

    def round(self) -> int:
        """Observe every due watch, :attr:`batch` ids per call; returns the calls made."""
        with self._cond:
            due = self._due()
            for watch in due:
                watch.due = None
        ids = sorted({w.execution_id for w in due})
        calls = 0
        while ids:
            chunk, ids = ids[:self.batch], ids[self.batch:]
            found, error = self._describe(chunk)
            calls += 1
            if isinstance(error, ApiError) and error.code == _TOO_MANY and len(chunk) > 1:
                self.batch = len(chunk) // 2
                ids = chunk + ids
                continue
            for watch in due:
                if watch.execution_id in chunk:
                    watch.deliver(found.get(watch.execution_id), error)
        return calls

    def _describe(self, ids: list[str]) -> tuple[dict[str, dict[str, Any]], Exception | None]:
        """id -> execution (absent: gone), or the error every watch of the batch gets."""
        try:
            items = self.api.token_pages("DescribeImagePipelineExecutions",
                                         {"ExecutionId": ",".join(ids)}, region=self.region,
                                         items=_ITEMS)
            return {i["ExecutionId"]: i for i in items if i.get("ExecutionId") in ids}, None
        except ApiError as error:
            if error.kind is ErrorKind.NOT_FOUND:
                return {}, None
            return {}, error
        except Exception as error:  # noqa: BLE001 - handed to the waiting build, not lost here
            return {}, error

    def _run(self) -> None:
        idle_since = self.clock()
        while not stopping():
            with self._cond:
                waiting = [w.due for w in self._watches if w.due is not None]
                if not waiting:
                    if not self._watches and self.clock() - idle_since > IDLE_EXIT:
                        self._thread = None
                        return
                    self._cond.wait(1.0)
                    continue
                pause = min(waiting) - self.clock()
                if pause > 0:
                    self._cond.wait(min(pause, 1.0))
                    continue
            self.round()
            idle_since = self.clock()


_POLLERS: dict[tuple[Any, str], StatusPoller] = {}
_POLLERS_LOCK = threading.Lock()


def poller_for(api: "EcsApi", region: str) -> StatusPoller:
    """The process's poller for these credentials and region."""
    key = (api.identity, region)
    with _POLLERS_LOCK:
        if key not in _POLLERS:  # its own handle: the process's poller retries on real time
            _POLLERS[key] = StatusPoller(type(api)(api.settings, api.policy), region)
        return _POLLERS[key]
