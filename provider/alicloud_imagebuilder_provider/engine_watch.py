"""Leave with the engine, as Pulumi's own plugins do: every few minutes they ask the engine's
gRPC health service whether it is still there, and stop once it no longer answers (the CLI was
killed), so that no plugin outlives the CLI that started it."""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time
from typing import Callable

import grpc

INTERVAL_VARIABLE = "ALIBABA_CLOUD_IMAGEBUILDER_ENGINE_CHECK_INTERVAL"
DEFAULT_INTERVAL = 300.0  # seconds, as Pulumi's hosts


def engine_alive(channel: grpc.Channel, timeout: float) -> bool:
    """The engine answers gRPC's health check (an engine without that service is alive too)."""
    check = channel.unary_unary("/grpc.health.v1.Health/Check",
                                request_serializer=lambda _request: b"",
                                response_deserializer=lambda raw: raw)
    try:
        check(None, timeout=timeout)
    except grpc.RpcError as error:
        return bool(error.code() == grpc.StatusCode.UNIMPLEMENTED)
    return True


def watch_engine(address: str, gone: Callable[[], None]) -> threading.Thread:
    """Call ``gone`` once the engine at ``address`` stops answering (checked every
    ``$ALIBABA_CLOUD_IMAGEBUILDER_ENGINE_CHECK_INTERVAL`` seconds, 5 minutes by default)."""
    interval = float(os.environ.get(INTERVAL_VARIABLE) or DEFAULT_INTERVAL)

    def watch() -> None:
        with grpc.insecure_channel(address) as channel:
            while True:
                time.sleep(interval)
                if not engine_alive(channel, timeout=max(interval, 1.0)):
                    gone()
                    return

    thread = threading.Thread(target=watch, name="engine-watch", daemon=True)
    thread.start()
    return thread


_WATCHING = threading.Event()


def stop_on_interrupt() -> None:
    """Let SIGINT end this process even when it was inherited as ignored (a CLI started in the
    background by a non-interactive shell passes that on to its plugins). Python then installs
    no KeyboardInterrupt handler, and ``signal.signal`` only works in the main thread, which
    the host keeps waiting: restore the default action, which ends the process."""
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        ctypes.CDLL(None).signal(signal.SIGINT, signal.SIG_DFL)


def leave_with_the_engine() -> None:
    """In the dynamic provider host (``python -m pulumi.dynamic ENGINE_ADDRESS``), which has no
    such check of its own, interrupt this process once the engine is gone (the host stops on
    an interrupt, see :func:`stop_on_interrupt`). Elsewhere, or when already watching, do
    nothing."""
    main = os.path.join("pulumi", "dynamic", "__main__.py")
    if _WATCHING.is_set() or not sys.argv[0].endswith(main):
        return
    _WATCHING.set()
    stop_on_interrupt()
    if len(sys.argv) >= 2:
        watch_engine(sys.argv[1], lambda: os.kill(os.getpid(), signal.SIGINT))
