"""Lifting the dynamic provider host's four-call ceiling (the one place that does it).

Why: Pulumi's dynamic provider host (``python -m pulumi.dynamic``, pulumi 3.x) serves every gRPC
call from ``grpc.server(futures.ThreadPoolExecutor(max_workers=4))``. A create of an
``ImageBuild`` holds its worker for the whole build (minutes to an hour), so a stack ran at most
four builds at once whatever ``--parallel`` said, and a fifth call (even a preview-time Check)
queued behind them. The host offers no setting for it.

What: the first call of our adapters in a process (``configure``, which the host runs inside the
worker serving that call) finds the executor that runs it and raises its ``_max_workers`` to
:data:`HOST_WORKERS`. ``ThreadPoolExecutor`` reads that attribute on every ``submit`` and starts
another thread when none is idle, so later calls no longer wait for a busy worker. The engine's
``--parallel`` stays the only limit.

Guard: it acts only when everything is exactly the layout read from the host's source: the
process's ``__main__`` is ``pulumi.dynamic.__main__``, a frame of that module is on the current
call stack, the current thread is a ``concurrent.futures.thread`` worker whose executor is a plain
``ThreadPoolExecutor`` with an integer ``_max_workers``, a ``_threads`` set and an
``_idle_semaphore``. Anything else (another host, a native plugin, tests calling the adapters
directly, a changed CPython or pulumi) leaves everything as it is: today's behaviour. A runtime
that guarantees this by design is the native provider plugin.
"""

from __future__ import annotations

import sys
import threading
from concurrent.futures import ThreadPoolExecutor, thread
from types import FrameType

HOST_MODULE = "pulumi.dynamic.__main__"
HOST_WORKERS = 256  # more than any sensible --parallel; threads start only when needed

_lock = threading.Lock()


def _host_executor(frame: FrameType | None) -> ThreadPoolExecutor | None:
    """The executor of the host worker running ``frame``'s call, when the layout is the host's."""
    main = sys.modules.get("__main__")
    if getattr(getattr(main, "__spec__", None), "name", None) != HOST_MODULE:
        return None
    in_host_call, reference = False, None
    while frame is not None:
        if frame.f_globals is vars(main):
            in_host_call = True
        if frame.f_code is thread._worker.__code__:
            reference = frame.f_locals.get("executor_reference")
        frame = frame.f_back
    executor = reference() if in_host_call and callable(reference) else None
    if (type(executor) is not ThreadPoolExecutor
            or type(getattr(executor, "_max_workers", None)) is not int
            or not isinstance(getattr(executor, "_threads", None), set)
            or not hasattr(executor, "_idle_semaphore")):
        return None
    return executor


def widen_host_pool() -> bool:
    """Raise the host's worker limit to :data:`HOST_WORKERS`; True when it is (now) that wide."""
    executor = _host_executor(sys._getframe(1))
    if executor is None:
        return False
    with _lock:
        executor._max_workers = max(executor._max_workers, HOST_WORKERS)
    return True
