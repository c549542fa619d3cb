"""A standalone threaded HTTP server around one emulator (werkzeug's server, one thread a
request)."""

from __future__ import annotations

import threading
from typing import Any, cast

from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler, make_server

from .app import EmulatorApp
from .handle import EmulatorHandle


class _QuietHandler(WSGIRequestHandler):
    """The emulator logs its own one-line records; werkzeug's access log stays silent."""

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass

    def log(self, *args: Any, **kwargs: Any) -> None:
        pass


class EmulatorServer:
    """``with EmulatorServer(make_app()) as emulator: ...`` serves in a background thread;
    ``serve_forever()`` serves in the calling thread until :meth:`stop`."""

    def __init__(self, app: EmulatorApp, host: str = "127.0.0.1", port: int = 0) -> None:
        self._server = cast(ThreadedWSGIServer, make_server(
            host, port, app, threaded=True, request_handler=_QuietHandler))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None
        self.handle = EmulatorHandle(app, host, self._server.server_port)

    @property
    def url(self) -> str:
        return self.handle.url

    def start(self) -> EmulatorHandle:
        self._thread = threading.Thread(
            target=self.serve_forever, name="imagebuilder-emulator", daemon=True
        )
        self._thread.start()
        return self.handle

    def serve_forever(self) -> None:
        self._server.serve_forever(poll_interval=0.1)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> EmulatorHandle:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
