"""Thin Pulumi dynamic-provider adapters over the lifecycles in :mod:`.resources`.

The edge between Pulumi's values and the core's: every state the host hands over (inputs, old
state) is loaded into the resource's state model, and every state a lifecycle returns is dumped
back into the dict the host records; check and diff take the value bags as they are (with the
core's unknown marker), since at preview they may hold unknowns.

The classes live at module level of this installed package, so dill pickles them by
reference (a few dozen bytes). They keep nothing on the instance: the stack config that
``configure`` receives goes into a process-level store keyed by the provider object and is
resolved into settings on each call, so the pickled ``__provider`` never holds a secret.
The lifecycles (and with them pydantic and the ECS SDK) are imported on first use.
"""

from __future__ import annotations

import functools
import sys
import weakref
from typing import Any, Callable, ClassVar, TypeVar

from pulumi.dynamic import (CheckFailure, CheckResult, ConfigureRequest, CreateResult,
                            DiffResult, ReadResult, ResourceProvider, UpdateResult)
from pulumi.output import Unknown
from pulumi.runtime import rpc

from .hostpool import widen_host_pool
from .lazy import load

_CONFIG: "weakref.WeakKeyDictionary[ResourceProvider, dict[str, Any]]" = (
    weakref.WeakKeyDictionary())


def core_value(value: Any) -> Any:
    """Pulumi values -> core values: unknowns become the core's marker, secrets are unwrapped."""
    from .unknowns import UNKNOWN

    if isinstance(value, Unknown) or (isinstance(value, str) and value == rpc.UNKNOWN):
        return UNKNOWN
    if rpc.is_rpc_secret(value):
        return core_value(value["value"])
    if isinstance(value, dict):
        return {k: core_value(v) for k, v in value.items() if k != "__provider"}
    if isinstance(value, list):
        return [core_value(v) for v in value]
    return value


def stack_config(req: ConfigureRequest) -> dict[str, Any]:
    """The keys this provider reads, taken from the stack config through its public API."""
    from .settings import CONFIG_KEYS, NAMESPACE

    wanted = [f"{NAMESPACE}:{k.key}" for k in CONFIG_KEYS]
    wanted += [f"alicloud:{k.fallback}" for k in CONFIG_KEYS if k.fallback]
    return {key: req.config.get(key) for key in wanted if req.config.get(key) is not None}


_F = TypeVar("_F", bound=Callable[..., Any])


def stderr_progress(line: str) -> None:
    """Progress for ``pulumi up``: the engine shows what a dynamic provider writes to stderr."""
    print(f"[imagebuilder] {line}", file=sys.stderr, flush=True)


def _message_only(method: _F) -> _F:
    """An expected error (:class:`ProviderError`) reaches the CLI as its message alone: the
    host formats errors with ``traceback.format_exc()``, which honours ``sys.tracebacklimit``.
    Any other error keeps its traceback, as a bug report needs it."""

    @functools.wraps(method)
    def run(*args: Any, **kwargs: Any) -> Any:
        from .errors import ProviderError

        try:
            return method(*args, **kwargs)
        except ProviderError:
            sys.tracebacklimit = 0
            raise
        except BaseException:
            vars(sys).pop("tracebacklimit", None)
            raise
    return run  # type: ignore[return-value]


class _Adapter(ResourceProvider):
    """The dynamic provider of one entry of :mod:`.registry` (``resource`` names it)."""

    resource: ClassVar[str]  # the registry entry's name, e.g. "ImageBuild"
    serialize_as_secret_always = False  # nothing secret is ever captured

    def _lifecycle_class(self) -> Any:
        return load(f"{__package__}.registry").BY_NAME[self.resource].lifecycle

    def _lifecycle(self) -> Any:
        from .settings import resolve_settings

        return self._lifecycle_class()(resolve_settings(_CONFIG.get(self, {})), stderr_progress)

    def configure(self, req: ConfigureRequest) -> None:
        from .engine_watch import leave_with_the_engine

        widen_host_pool()
        _CONFIG[self] = stack_config(req)
        leave_with_the_engine()

    @_message_only
    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        self._lifecycle().check_setup(core_value(news))
        failures = self._lifecycle_class().check(core_value(news))
        return CheckResult(news, [CheckFailure(f.property, f.reason) for f in failures])

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        result = self._lifecycle_class().diff(core_value(olds), core_value(news))
        for warning in result.warnings:
            stderr_progress(f"warning: {warning}")
        # The host passes no detailed diff on (only ``replaces``), so the CLI cannot mark the
        # property that forces a replacement: say it with the preview.
        if result.replaces:
            stderr_progress(f"{self.resource} {_id}: replaced because of "
                            f"{', '.join(result.replaces)}")
        return DiffResult(changes=result.changes, replaces=result.replaces,
                          delete_before_replace=result.delete_before_replace)

    def _state(self, values: dict[str, Any]) -> Any:
        """The host's values as the entry's state model."""
        return self._lifecycle_class().STATE.load(core_value(values))

    @_message_only
    def create(self, props: dict[str, Any]) -> CreateResult:
        # The identity the SDK writes as the hidden ``_identity`` input (the plugin: the URN).
        news = self._state(props)
        created = self._lifecycle().create(news, news.identity)
        return CreateResult(created.id, created.outs.dump())

    @_message_only
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        observed = self._lifecycle().observe(id_, self._state(props))
        if observed.id is None:
            return ReadResult("", {})
        return ReadResult(observed.id, observed.outs.dump(), observed.inputs.dump())

    @_message_only
    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        return UpdateResult(
            self._lifecycle().update(id_, self._state(olds), self._state(news)).dump())

    @_message_only
    def delete(self, id_: str, props: dict[str, Any]) -> None:
        self._lifecycle().delete(id_, self._state(props))


# One adapter class per registry entry, at module level so that dill pickles it by reference
# (tests/provider/test_provider_generated.py checks that every entry has one).
class ImageComponentProvider(_Adapter):
    resource = "ImageComponent"


class ImageTemplateProvider(_Adapter):
    resource = "ImageTemplate"


class ImageBuildProvider(_Adapter):
    resource = "ImageBuild"
