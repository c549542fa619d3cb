"""The one module through which the plugin calls the lifecycles of :mod:`..resources`.

Every call is synchronous and may block (API calls, waits for a build): the provider runs them
in threads. Names in and out are the models' (snake_case); :mod:`.names` maps the wire's. This is
the plugin's edge between dicts and the core's state models: a state comes in as a dict and is
loaded into the resource's state model; what a lifecycle returns is dumped back into a dict
(check and diff take the dicts as they are: they may hold unknowns).
"""

from __future__ import annotations

from typing import Any, Callable

from .. import waiter
from ..errors import Interrupted
from ..lazy import load
from ..models import MODULE, PACKAGE
from ..resources.base import Created, Lifecycle, Observed
from ..settings import Settings

Progress = Callable[[str], None]


def _quiet(_line: str) -> None:
    """Calls that make no progress worth showing (check, read)."""


def lifecycle_class(token: str) -> type[Lifecycle[Any]]:
    """The lifecycle of a resource token, from the one registry (loaded on first use)."""
    entry = load(f"{__package__.rsplit('.', 1)[0]}.registry").BY_TOKEN.get(token)
    if entry is None:
        raise KeyError(f"unknown resource type {token}")
    cls: type[Lifecycle[Any]] = entry.lifecycle
    return cls


def _lifecycle(token: str, settings: Settings, progress: Progress) -> Any:
    """A lifecycle instance (its create/delete are the subclass's, hence ``Any``)."""
    return lifecycle_class(token)(settings, progress)


def check(token: str, settings: Settings, news: dict[str, Any]) -> list[tuple[str, str]]:
    """(property, reason) of every invalid input; the settings are checked too."""
    _lifecycle(token, settings, _quiet).check_setup(news)
    return [(f.property, f.reason) for f in lifecycle_class(token).check(news)]


def recorded(token: str, outs: dict[str, Any]) -> dict[str, Any]:
    """The state a create or update records: every provider-side property, None when unset, so
    that a state missing one can only come from an import (see :func:`diff`)."""
    return {**dict.fromkeys(lifecycle_class(token).INPUTS.PROVIDER_SIDE), **outs}


def with_settings(token: str, state: dict[str, Any],
                  old_inputs: dict[str, Any]) -> dict[str, Any]:
    """The old state with the provider-side properties (triggers, deleteImagesOnDestroy, ...)
    of the old inputs. The engine records the program's inputs even when nothing changed (the
    outputs stay as they were), so after an import and an `up` the inputs know these settings
    while the state the import read does not."""
    side = lifecycle_class(token).INPUTS.PROVIDER_SIDE
    return {**state, **{k: old_inputs[k] for k in side if k in old_inputs}}


def diff(token: str, olds: dict[str, Any], news: dict[str, Any],
         old_inputs: dict[str, Any] | None = None) -> Any:
    """The lifecycle's diff, with the provider-side properties taken from the old inputs when
    the engine sent them (:func:`with_settings`). One still missing (a resource just imported:
    the read by id cannot know it, and the engine diffs the program against what the read
    returned) takes the program's value: adopting an object with the program that describes it
    is no change, and its `triggers` are the program's from then on; the next `up` records them
    in the inputs, so a later change shows. States made by this plugin record every
    provider-side property (:func:`recorded`), so there a property the program adds is still a
    change."""
    olds = with_settings(token, olds, old_inputs or {})
    olds = {**{k: news.get(k) for k in lifecycle_class(token).INPUTS.PROVIDER_SIDE
               if k not in olds}, **olds}
    return lifecycle_class(token).diff(olds, news)


def create(token: str, settings: Settings, progress: Progress, identity: str,
           props: dict[str, Any], engine_timeout: float = 0.0) -> Created[dict[str, Any]]:
    """A create; ``engine_timeout`` (the engine's customTimeouts create, seconds, 0: none)
    bounds a build together with its `timeout`: the smaller wins for this create, while the
    state keeps the program's `timeout`."""
    bounded = dict(props)
    if engine_timeout and "timeout" in lifecycle_class(token).INPUTS.model_fields:
        from ..models.build import DEFAULT_TIMEOUT, parse_duration

        own = parse_duration(props.get("timeout") or DEFAULT_TIMEOUT)
        bounded["timeout"] = min(own, engine_timeout)
    lifecycle = _lifecycle(token, settings, progress)
    try:
        made = lifecycle.create(lifecycle.STATE.load(bounded), identity)
    except Interrupted as stop:  # the partial state, for the engine's record
        if isinstance(stop.partial, Created):
            stop.partial = Created(stop.partial.id, stop.partial.outs.dump())
        raise
    outs = made.outs.dump()
    if "timeout" in bounded:
        outs["timeout"] = props.get("timeout")
    return Created(made.id, recorded(token, outs))


def read(token: str, settings: Settings, id_: str,
         state: dict[str, Any]) -> Observed[dict[str, Any]]:
    lifecycle = _lifecycle(token, settings, _quiet)
    observed = lifecycle.observe(id_, lifecycle.STATE.load(state))
    return Observed(observed.id, observed.outs.dump(), observed.inputs.dump())


def update(token: str, settings: Settings, progress: Progress, identity: str, id_: str,
           olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
    """An update; for a build whose create was interrupted (its state has the execution but no
    images yet), the create again, which adopts that same build (same identity, same token)."""
    if lifecycle_class(token).__name__ == "BuildLifecycle" and not olds.get("image_ids"):
        return create(token, settings, progress, identity, news).outs
    lifecycle = _lifecycle(token, settings, progress)
    outs = lifecycle.update(id_, lifecycle.STATE.load(olds), lifecycle.STATE.load(news))
    return recorded(token, outs.dump())


def get_build(settings: Settings, execution_id: str, region: str | None) -> dict[str, Any]:
    """getBuild: a build's outputs read from the service (a missing id is an error)."""
    from ..errors import NotFound
    from ..schema import FUNCTION_OUTPUTS

    observed = read(f"{PACKAGE}:{MODULE}:ImageBuild", settings, execution_id, {"region": region})
    if observed.id is None:
        raise NotFound(f"getBuild: build {execution_id} has no image left in region "
                       f"{settings.region_for(region)}")
    outs = observed.outs
    return {**{n: outs.get(n) for n in FUNCTION_OUTPUTS}, "template_id": outs.get("template_id"),
            "region": outs["region"]}


def get_latest_build(settings: Settings, template_id: str, region: str | None) -> dict[str, Any]:
    """getLatestBuild: the newest SUCCESS build of a template, as getBuild gives it."""
    from ..errors import NotFound
    from ..resources.executions import newest_success

    build = _lifecycle(f"{PACKAGE}:{MODULE}:ImageBuild", settings, _quiet)
    chosen = settings.region_for(region)
    newest = newest_success(build.api, chosen, template_id)
    if newest is None:
        raise NotFound(f"getLatestBuild: template {template_id} has no successful build in "
                       f"region {chosen}: check the id and the region")
    return get_build(settings, newest["ExecutionId"], chosen)


def stop_waits() -> None:
    """Every wait of the process ends within a poll (Cancel, the first Ctrl-C): the waits raise
    :class:`..errors.Interrupted`; what runs in the service goes on."""
    waiter.stop()


def delete(token: str, settings: Settings, progress: Progress, id_: str,
           state: dict[str, Any]) -> None:
    """A delete; a build whose create was interrupted (no images in its state) is cancelled if
    still running, then the images it made are found, so `delete_images_on_destroy` applies."""
    lifecycle = _lifecycle(token, settings, progress)
    loaded = lifecycle.STATE.load(state)
    lifecycle.delete(id_, loaded)
    if lifecycle_class(token).__name__ == "BuildLifecycle" and not state.get("image_ids"):
        observed = lifecycle.read(id_, loaded)
        if observed.id is not None and observed.outs.image_ids:
            lifecycle.delete(id_, observed.outs)  # the state read back, with the images
