"""The HTTP layer: a WSGI application (werkzeug) in front of one :class:`~.backend.Backend`.

An API request is checked in this order: action and version, signature, faults, then the action
handler (RegionId, parameters, rules). Results and errors are JSON with
``Content-Type: application/json;charset=utf-8``; an unexpected exception is logged to stderr and
answered as ``InternalError``, never as a stack trace. ``/_emulator/...`` is the admin API.
"""

from __future__ import annotations

import json
import sys
import threading
import time
import traceback
from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from werkzeug.wrappers import Request, Response

from . import admin, signing
from .backend import Backend
from .clock import Clock
from .defaults import DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, DEFAULT_ACCOUNT_ID
from .errors import ApiError, bad_request, missing, not_found
from .ids import request_id
from .params import Params
from .responses import ACTIONS, REGIONLESS_ACTIONS, Handler
from .settings import Settings

API_VERSION = "2014-05-26"
CONTENT_TYPE = "application/json;charset=utf-8"
HOST_ID = "ecs.aliyuncs.com"
MAX_LOGGED_REQUESTS = 10_000
_UNLOGGED_PARAMETERS = ("Signature",)


@dataclass(frozen=True)
class RequestRecord:
    """One API request as the emulator saw it (admin calls are not recorded)."""

    action: str
    region: str | None
    parameters: dict[str, str]
    status: int
    code: str | None
    duration_ms: float
    request_id: str
    # the ids of a success body, e.g. ImagePipelineId
    result: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=status, headers=headers or {},
                    content_type=CONTENT_TYPE)


def error_response(error: ApiError, rid: str) -> Response:
    body = {"RequestId": rid, "HostId": HOST_ID, "Code": error.code, "Message": error.message,
            "Recommend": f"https://api.aliyun.com/troubleshoot?q={error.code}&product=Ecs&requestId={rid}"}
    return json_response(error.status, body, {"x-acs-request-id": rid, **error.headers})


class EmulatorApp:
    backend: Backend

    def __init__(self, backend: Backend, access_key_id: str, access_key_secret: str,
                 on_request: Callable[[RequestRecord], None] | None = None) -> None:
        self.backend = backend
        self.access_key_id = access_key_id
        self.access_key_secret = access_key_secret
        self.secrets = {access_key_id: access_key_secret}
        self.on_request = on_request
        self._log_lock = threading.Lock()
        self._records: deque[RequestRecord] = deque(maxlen=MAX_LOGGED_REQUESTS)
        self._counts: Counter[str] = Counter()

    # -- WSGI ------------------------------------------------------------------------------
    def __call__(self, environ: dict[str, Any],
                 start_response: Callable[..., Any]) -> Iterable[bytes]:
        return self.handle(Request(environ))(environ, start_response)

    def handle(self, request: Request) -> Response:
        if request.path == "/_emulator" or request.path.startswith("/_emulator/"):
            return admin.handle(self, request)
        return self._api(request)

    # -- request log -----------------------------------------------------------------------
    @property
    def requests(self) -> list[RequestRecord]:
        with self._log_lock:
            return list(self._records)

    def count(self, action: str | None = None) -> int:
        with self._log_lock:
            return sum(self._counts.values()) if action is None else self._counts[action]

    def counts(self) -> dict[str, int]:
        with self._log_lock:
            return dict(self._counts)

    def reset_counts(self) -> None:
        with self._log_lock:
            self._records.clear()
            self._counts.clear()

    def reset(self) -> None:
        self.backend.reset()
        self.reset_counts()

    def _record(self, record: RequestRecord) -> None:
        with self._log_lock:
            self._records.append(record)
            self._counts[record.action] += 1
        if self.on_request is not None:
            self.on_request(record)

    # -- API -------------------------------------------------------------------------------
    def _api(self, request: Request) -> Response:
        started = time.perf_counter()
        rid = request_id()
        raw_body = request.get_data(cache=True)
        query = {key: request.args[key] for key in request.args}
        if request.mimetype == "application/x-www-form-urlencoded" and raw_body:
            for key, value in parse_qsl(raw_body.decode("utf-8", "replace"),
                                        keep_blank_values=True):
                query.setdefault(key, value)
        action = request.headers.get("x-acs-action") or query.get("Action") or ""
        result: dict[str, str] = {}
        try:
            body = self._serve(request, action, query, raw_body)
            response, code = json_response(200, {"RequestId": rid, **body},
                                           {"x-acs-request-id": rid}), None
            result = {k: v for k, v in body.items()
                      if k.endswith("Id") and k != "RegionId" and isinstance(v, str)}
        except ApiError as error:
            response, code = error_response(error, rid), error.code
        except Exception:  # never a stack trace to the client
            traceback.print_exc(file=sys.stderr)
            internal = ApiError(500, "InternalError",
                                "The request processing has failed due to some unknown error.")
            response, code = error_response(internal, rid), internal.code
        parameters = {k: v for k, v in query.items() if k not in _UNLOGGED_PARAMETERS}
        self._record(RequestRecord(action or "(none)", query.get("RegionId"), parameters,
                                   response.status_code, code,
                                   (time.perf_counter() - started) * 1000.0, rid, result))
        return response

    def _serve(self, request: Request, action: str, query: dict[str, str],
               raw_body: bytes) -> dict[str, Any]:
        if not action:
            raise missing("Action")
        handler = ACTIONS.get(action)
        if handler is None:
            raise not_found("InvalidAction.NotFound",
                            f"Specified api {action!r} is not found; the emulator serves: "
                            f"{', '.join(ACTIONS)}.")
        version = request.headers.get("x-acs-version") or query.get("Version")
        if version != API_VERSION:
            raise bad_request("InvalidVersion", f"Specified parameter Version {version!r} is not "
                                                "valid "
                                                f"(the ECS API version is {API_VERSION}).")
        self._authenticate(request, query, raw_body)
        fault = self.backend.faults.draw(action, self.backend.settings)
        if fault is not None:
            if fault.after_apply:
                self._apply(action, handler, query)  # the change is made; its answer is lost
            raise fault.error()
        time.sleep(self.backend.faults.delay(action, self.backend.settings))
        return self._apply(action, handler, query)

    def _apply(self, action: str, handler: Handler, query: dict[str, str]) -> dict[str, Any]:
        params = Params(query)
        region = "" if action in REGIONLESS_ACTIONS else params.text("RegionId", required=True)
        with self.backend.lock:  # render under the lock too: builds move only on reads
            return handler(self.backend, region, params)

    def _authenticate(self, request: Request, query: dict[str, str], raw_body: bytes) -> str:
        if request.headers.get("Authorization"):
            headers: dict[str, list[str]] = {}
            for name, value in request.headers.items():
                headers.setdefault(name.lower(), []).append(value)
            return signing.verify_acs3(request.method, request.path, dict(request.args.items()),
                                       headers, raw_body, self.secrets)
        if "Signature" in query:
            return signing.verify_v2(request.method, query, self.secrets)
        raise bad_request("IncompleteSignature", "The request signature is incomplete: no "
                                                 "Authorization header "
                                                 "and no Signature parameter.")


def make_app(access_key_id: str = DEFAULT_ACCESS_KEY_ID,
             access_key_secret: str = DEFAULT_ACCESS_KEY_SECRET,
             account_id: str = DEFAULT_ACCOUNT_ID, manual_clock: bool = False,
             on_request: Callable[[RequestRecord], None] | None = None,
             **settings: Any) -> EmulatorApp:
    """A fresh emulator; ``settings`` are :class:`~.settings.Settings` fields (ValueError names a
    bad one)."""
    backend = Backend(account_id, Settings().updated(**settings), Clock(manual=manual_clock))
    return EmulatorApp(backend, access_key_id, access_key_secret, on_request)
