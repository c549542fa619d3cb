"""The one module through which the plugin calls the lifecycles of :mod:`..resources`.

Every call is synchronous and may block (API calls, waits for a build): the provider runs them
in threads. Names in and out are the models' (snake_case); :mod:`.names` maps the wire's.
"""

from __future__ import annotations

from typing import Any, Callable

from .. import dynamic, waiter
from ..lazy import load
from ..models import RESOURCES
from ..resources.base import Created, Lifecycle, Observed
from ..settings import Settings

Progress = Callable[[str], None]
_NAMES = {spec.token: getattr(dynamic, f"{spec.name}Provider").lifecycle_name
          for spec in RESOURCES}


def _quiet(_line: str) -> None:
    """Calls that make no progress worth showing (check, read)."""


def lifecycle_class(token: str) -> type[Lifecycle]:
    if token not in _NAMES:
        raise KeyError(f"unknown resource type {token}")
    module, _, name = _NAMES[token].partition(".")
    cls: type[Lifecycle] = getattr(load(f"{__package__.rsplit('.', 1)[0]}.resources.{module}"),
                                   name)
    return cls


def _lifecycle(token: str, settings: Settings, progress: Progress) -> Lifecycle:
    return lifecycle_class(token)(settings, progress)


def check(token: str, settings: Settings, news: dict[str, Any]) -> list[tuple[str, str]]:
    """(property, reason) of every invalid input; the settings are checked too."""
    _lifecycle(token, settings, _quiet).check_setup(news)
    return [(f.property, f.reason) for f in lifecycle_class(token).check(news)]


def diff(token: str, olds: dict[str, Any], news: dict[str, Any]) -> Any:
    return lifecycle_class(token).diff(olds, news)


def create(token: str, settings: Settings, progress: Progress, identity: str,
           props: dict[str, Any], engine_timeout: float = 0.0) -> Created:
    """A create; ``engine_timeout`` (the engine's customTimeouts create, seconds, 0: none)
    bounds a build together with its `timeout`: the smaller wins for this create, while the
    state keeps the program's `timeout`."""
    bounded = dict(props, _identity=identity)
    if engine_timeout and "timeout" in lifecycle_class(token).INPUTS.model_fields:
        from ..models.build import DEFAULT_TIMEOUT, parse_duration

        own = parse_duration(props.get("timeout") or DEFAULT_TIMEOUT)
        bounded["timeout"] = min(own, engine_timeout)
    created = _lifecycle(token, settings, progress).create(bounded)
    if "timeout" in bounded:
        created.outs["timeout"] = props.get("timeout")
    return created


def read(token: str, settings: Settings, id_: str, state: dict[str, Any]) -> Observed:
    return _lifecycle(token, settings, _quiet).observe(id_, state)


def update(token: str, settings: Settings, progress: Progress, identity: str, id_: str,
           olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
    """An update; for a build whose create was interrupted (its state has the execution but no
    images yet), the create again, which adopts that same build (same identity, same token)."""
    if lifecycle_class(token).__name__ == "BuildLifecycle" and not olds.get("image_ids"):
        return create(token, settings, progress, identity, news).outs
    return _lifecycle(token, settings, progress).update(id_, olds, news)


def stop_waits() -> None:
    """Every wait of the process ends within a poll (Cancel, the first Ctrl-C): the waits raise
    :class:`..errors.Interrupted`; what runs in the service goes on."""
    waiter._STOPPING.set()


def delete(token: str, settings: Settings, progress: Progress, id_: str,
           state: dict[str, Any]) -> None:
    _lifecycle(token, settings, progress).delete(id_, state)
