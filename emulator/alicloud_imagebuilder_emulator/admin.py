"""The admin API under ``/_emulator/`` (JSON in and out, no signature).

=========================================  =======================================================
``GET  /_emulator/health``                 ``{"ok": true}``
``GET  /_emulator/state``                  every template, build, component, image (with share
                                           list, Status/Usable), intermediate instance and
                                           transition VPC, per region
``POST /_emulator/state``                  replace all state by such a dump (settings stay)
``POST /_emulator/reset``                  forget all state and the request log; restore start
                                           settings
``GET  /_emulator/settings``               current behaviour settings
``POST /_emulator/settings``               change any setting (see ``Backend.configure``)
``POST /_emulator/faults``                 throttle_rate, error_rate, seed, fail_distribution_to,
                                           release_failure, fault_actions, inject (one-shot faults)
``GET  /_emulator/clock``                  ``{"now", "epoch", "manual"}``
``POST /_emulator/clock/advance``          ``{"seconds": N}``: move the clock (and the builds)
                                           forward
``GET  /_emulator/counts``                 ``{"total": N, "by_action": {...}}`` (API requests only)
``POST /_emulator/counts/reset``           zero the counts and the request log
``GET  /_emulator/requests``               the request log (action, region, parameters, status,
                                           code, result ids); ``?action=CreateImagePipeline``
                                           filters
``GET  /_emulator/catalog``                regions, public images, instance types, vSwitches,
                                           groups, system components
``POST /_emulator/images/<id>/instances``  mark a custom image as used by an instance
                                           (``{"instance_id": ...}`` optional)
``DELETE /_emulator/images/<id>/instances``  no instance uses it any more
=========================================  =======================================================
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Request, Response

from . import catalog, snapshot
from .clock import iso
from .errors import ApiError

if TYPE_CHECKING:
    from .app import EmulatorApp

FAULT_KEYS = ("throttle_rate", "error_rate", "seed", "fail_distribution_to", "release_failure",
              "fault_actions", "delay_seconds",
              "inject")
_IMAGE_INSTANCES = re.compile(r"^/_emulator/images/(?P<image_id>[^/]+)/instances$")


class AdminError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def _json(status: int, body: Any) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=status,
                    content_type="application/json")


def _body(request: Request) -> dict[str, Any]:
    raw = request.get_data(cache=True)
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except ValueError:
        raise AdminError(400, "the request body must be a JSON object") from None
    if not isinstance(body, dict):
        raise AdminError(400, "the request body must be a JSON object")
    return body


def _clock(app: EmulatorApp) -> dict[str, Any]:
    now = app.backend.clock.now()
    return {"now": iso(now), "epoch": now, "manual": app.backend.clock.manual}


def _advance(app: EmulatorApp, body: dict[str, Any]) -> dict[str, Any]:
    seconds = body.get("seconds")
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds < 0:
        raise AdminError(400, f'"seconds" must be a number >= 0, got {seconds!r}')
    app.backend.advance(float(seconds))
    return _clock(app)


def _faults(app: EmulatorApp, body: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(body) - set(FAULT_KEYS))
    if unknown:
        raise AdminError(400,
                         f"unknown fault setting(s) {', '.join(unknown)} (known: "
                         f"{', '.join(FAULT_KEYS)})")
    return app.backend.configure(**body)


def _restore(app: EmulatorApp, request: Request) -> dict[str, Any]:
    app.backend.restore(_body(request))
    return snapshot.dump(app.backend)


def _reset(app: EmulatorApp) -> dict[str, Any]:
    app.reset()
    return {"ok": True}


def _reset_counts(app: EmulatorApp) -> dict[str, Any]:
    app.reset_counts()
    return {"ok": True}


ROUTES: dict[tuple[str, str], Callable[[EmulatorApp, Request], Any]] = {
    ("GET", "/_emulator/health"): lambda app, _: {"ok": True},
    ("GET", "/_emulator/state"): lambda app, _: snapshot.dump(app.backend),
    ("POST", "/_emulator/state"): _restore,
    ("POST", "/_emulator/reset"): lambda app, _: _reset(app),
    ("GET", "/_emulator/settings"): lambda app,
    _: app.backend.read(lambda ctx: app.backend.describe_settings()),
    ("POST", "/_emulator/settings"): lambda app, request: app.backend.configure(**_body(request)),
    ("POST", "/_emulator/faults"): lambda app, request: _faults(app, _body(request)),
    ("GET", "/_emulator/clock"): lambda app, _: _clock(app),
    ("POST", "/_emulator/clock/advance"): lambda app, request: _advance(app, _body(request)),
    ("GET", "/_emulator/counts"): lambda app, _: {"total": app.count(), "by_action": app.counts()},
    ("POST", "/_emulator/counts/reset"): lambda app, _: _reset_counts(app),
    ("GET", "/_emulator/requests"): lambda app, request: [
        record.as_dict() for record in app.requests if request.args.get("action") in (None,
                                                                                      record.action)],
    ("GET", "/_emulator/catalog"): lambda app, _: catalog.describe(),
}


def _image_instances(app: EmulatorApp, request: Request, image_id: str) -> Any:
    if request.method == "POST":
        instance_id = _body(request).get("instance_id")
        if instance_id is not None and not isinstance(instance_id, str):
            raise AdminError(400, f'"instance_id" must be a string, got {instance_id!r}')
        return {"ImageId": image_id,
                "InstanceId": app.backend.mark_image_used(image_id, instance_id)}
    if request.method == "DELETE":
        app.backend.clear_image_used(image_id)
        return {"ImageId": image_id, "InstanceIds": []}
    raise AdminError(405, "use POST or DELETE")


def handle(app: EmulatorApp, request: Request) -> Response:
    path = request.path.rstrip("/")
    try:
        route = ROUTES.get((request.method, path))
        if route is not None:
            return _json(200, route(app, request))
        match = _IMAGE_INSTANCES.match(path)
        if match:
            return _json(200, _image_instances(app, request, match["image_id"]))
        routes = sorted({f"{method} {route_path}" for method, route_path in ROUTES}
                        | {"POST|DELETE /_emulator/images/<id>/instances"})
        return _json(404, {"error": f"no admin route {request.method} {path}", "routes": routes})
    except AdminError as error:
        return _json(error.status, {"error": str(error)})
    except ValueError as error:
        return _json(400, {"error": str(error)})
    except ApiError as error:
        return _json(error.status, {"error": error.message, "code": error.code})
