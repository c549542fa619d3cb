"""A ``pulumi.provider.experimental`` Provider over the lifecycles (through :mod:`.seam`).

Values arrive as ``PropertyValue``s with camelCase names; :mod:`.seam` gets plain values with the
models' names (:mod:`.names`), unknowns as the core's marker and secrets unwrapped (it loads them
into the lifecycles' state models), and what comes back goes the other way, secret where the
input was. Every lifecycle call runs in a
thread: creates, updates and deletes (which wait for builds) in their own large pool, so that
checks, diffs and reads never queue behind running builds; the engine's ``--parallel`` is the only
cap on how many builds run at once.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Mapping, TypeVar

from pulumi.provider.experimental.property_value import Computed, PropertyValue
from pulumi.provider.experimental.provider import (
    CheckFailure, CheckRequest, CheckResponse, ConfigureRequest, ConfigureResponse, CreateRequest,
    CreateResponse, DeleteRequest, DiffRequest, DiffResponse, GetSchemaRequest,
    GetSchemaResponse, InvokeRequest, InvokeResponse, PropertyDiff, PropertyDiffKind, Provider,
    ReadRequest, ReadResponse, UpdateRequest, UpdateResponse)

from .. import schema as schema_module
from ..errors import ConfigurationError, Interrupted, ProviderError
from ..settings import NAMESPACE, Settings, resolve_settings
from ..unknowns import UNKNOWN
from . import names, seam

# Threads for lifecycle calls that wait (one per build in flight); created only when needed, so
# this is no cap in practice: the engine's --parallel decides how many run at once.
WAITING_WORKERS = 1024
QUICK_WORKERS = 8
Log = Callable[[str, str, bool], None]  # (urn, message, ephemeral), callable from any thread
# The old inputs of the Diff or Delete being served: the experimental requests carry only the
# old state, so the servicer (server.py) sets this from the gRPC request for each call.
OLD_INPUTS: contextvars.ContextVar[Mapping[str, PropertyValue] | None] = contextvars.ContextVar(
    "old_inputs", default=None)
T = TypeVar("T")


_DIFF_KINDS = {"replace": PropertyDiffKind.UPDATE_REPLACE, "update": PropertyDiffKind.UPDATE}


def token_of(urn: str) -> str:
    """The resource type of a URN (the last of its type chain: a child's URN holds its parent's)."""
    return urn.split("::")[-2].split("$")[-1]


def plain(value: PropertyValue) -> Any:
    """A PropertyValue as a plain value: unknown -> the core's marker, secrets unwrapped, whole
    numbers as ints (the wire has only floats)."""
    inner = value.value
    if isinstance(inner, Computed):
        return UNKNOWN
    if isinstance(inner, Mapping):
        return {k: plain(v) for k, v in inner.items()}
    if isinstance(inner, tuple):
        return [plain(v) for v in inner]
    if isinstance(inner, float) and inner.is_integer():
        return int(inner)
    return inner


def wire(value: Any, secret: bool = False) -> PropertyValue:
    """A plain value as a PropertyValue (the inverse of :func:`plain`)."""
    if value is UNKNOWN:
        return PropertyValue.computed()
    if isinstance(value, dict):
        value = {k: wire(v) for k, v in value.items()}
    elif isinstance(value, list):
        value = [wire(v) for v in value]
    elif isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    return PropertyValue(value, is_secret=secret)


def plain_map(props: Mapping[str, PropertyValue]) -> dict[str, Any]:
    return {k: plain(v) for k, v in props.items()}


def wire_map(props: Mapping[str, Any], secrets: frozenset[str] = frozenset()
             ) -> dict[str, PropertyValue]:
    return {k: wire(v, k in secrets) for k, v in props.items()}


def secret_keys(*bags: Mapping[str, PropertyValue]) -> frozenset[str]:
    return frozenset(k for bag in bags for k, v in bag.items() if v.contains_secret())


def stack_config(variables: Mapping[str, str], args: Mapping[str, PropertyValue]) -> dict[str, Any]:
    """The provider's config as :func:`..settings.resolve_settings` reads it: the stack config's
    ``alicloud-imagebuilder:<key>`` variables, and an explicit provider's arguments."""
    config: dict[str, Any] = dict(variables)
    for key, value in plain_map(args).items():
        if value is not None and value is not UNKNOWN:
            config[f"{NAMESPACE}:{key}"] = value
    return config


class InitFailed(Exception):
    """A create interrupted after it made something: the engine records ``id`` and
    ``properties`` (ErrorResourceInitFailed), and the next `pulumi up` updates it."""

    def __init__(self, id_: str, properties: dict[str, PropertyValue],
                 inputs: dict[str, PropertyValue], reason: str) -> None:
        super().__init__(reason)
        self.id, self.properties, self.inputs, self.reason = id_, properties, inputs, reason


class ImageBuilderProvider(Provider):
    def __init__(self, log: Log) -> None:
        self.log = log
        self.settings: Settings | None = None
        self._quick = ThreadPoolExecutor(QUICK_WORKERS, "imagebuilder-quick")
        self._waiting = ThreadPoolExecutor(WAITING_WORKERS, "imagebuilder-wait")

    async def _run(self, pool: ThreadPoolExecutor, fn: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(pool, functools.partial(fn, *args))

    def _settings(self) -> Settings:
        if self.settings is None:
            raise ConfigurationError(f"{NAMESPACE}: the provider was not configured")
        return self.settings

    def progress(self, urn: str) -> Callable[[str], None]:
        """A lifecycle's progress: a log line on the resource and, for a build's phase, its
        status line (ephemeral) during `pulumi up`."""
        def report(line: str) -> None:
            self.log(urn, line, False)
            self.log(urn, line, True)
        return report

    # ------------------------------------------------------------------ provider config

    async def get_schema(self, request: GetSchemaRequest) -> GetSchemaResponse:
        return GetSchemaResponse(schema=schema_module.render())

    async def check_config(self, request: CheckRequest) -> CheckResponse:
        try:
            resolve_settings(stack_config({}, request.new_inputs))
        except ConfigurationError as error:
            return CheckResponse(request.new_inputs, [CheckFailure("", str(error))])
        return CheckResponse(request.new_inputs)

    async def configure(self, request: ConfigureRequest) -> ConfigureResponse:
        self.settings = resolve_settings(stack_config(request.variables, request.args))
        return ConfigureResponse(accept_secrets=True, supports_preview=False,
                                 accept_resources=False, accept_outputs=False)

    # ------------------------------------------------------------------ resources

    async def check(self, request: CheckRequest) -> CheckResponse:
        token = token_of(request.urn)
        news = names.to_core(token, plain_map(request.new_inputs))
        failures = await self._run(self._quick, seam.check, token, self._settings(), news)
        return CheckResponse(request.new_inputs,
                             [CheckFailure(names.wire_name(p), r) for p, r in failures])

    async def diff(self, request: DiffRequest) -> DiffResponse:
        token = token_of(request.urn)
        olds = names.to_core(token, plain_map(request.old_state))
        news = names.to_core(token, plain_map(request.new_inputs))
        old_inputs = names.to_core(token, plain_map(OLD_INPUTS.get() or {}))
        result = await self._run(self._quick, seam.diff, token, olds, news, old_inputs)
        for warning in result.warnings:
            self.log(request.urn, f"warning: {warning}", False)
        detailed = {names.wire_name(p): PropertyDiff(_DIFF_KINDS[kind], input_diff=True)
                    for p, kind in result.detailed().items()}
        return DiffResponse(changes=result.changes,
                            replaces=[names.wire_name(p) for p in result.replaces],
                            delete_before_replace=result.delete_before_replace,
                            diffs=list(detailed), detailed_diff=dict(detailed))

    async def create(self, request: CreateRequest) -> CreateResponse:
        token = token_of(request.urn)
        props = names.to_core(token, plain_map(request.properties))
        secrets = secret_keys(request.properties)
        try:
            created = await self._run(self._waiting, seam.create, token, self._settings(),
                                      self.progress(request.urn), request.urn, props,
                                      request.timeout)
        except Interrupted as stop:
            if stop.partial is None:
                raise
            partial: Any = stop.partial
            reason = (f"interrupted: build {partial.id} keeps running in the service; the next "
                      "`pulumi up` waits for this same build (`pulumi destroy` cancels it)")
            raise InitFailed(partial.id, wire_map(names.to_wire(token, partial.outs), secrets),
                             request.properties, reason) from None
        return CreateResponse(created.id, wire_map(names.to_wire(token, created.outs), secrets))

    async def read(self, request: ReadRequest) -> ReadResponse:
        token = token_of(request.urn)
        state = names.to_core(token, plain_map({**request.inputs, **request.properties}))
        observed = await self._run(self._quick, seam.read, token, self._settings(),
                                   request.resource_id, state)
        if observed.id is None:
            return ReadResponse("", {}, {})
        secrets = secret_keys(request.properties, request.inputs)
        return ReadResponse(observed.id, wire_map(names.to_wire(token, observed.outs), secrets),
                            wire_map(names.to_wire(token, observed.inputs), secrets))

    async def update(self, request: UpdateRequest) -> UpdateResponse:
        token = token_of(request.urn)
        olds = names.to_core(token, plain_map(request.olds))
        news = names.to_core(token, plain_map(request.news))
        outs = await self._run(self._waiting, seam.update, token, self._settings(),
                               self.progress(request.urn), request.urn, request.resource_id,
                               olds, news)
        return UpdateResponse(wire_map(names.to_wire(token, outs),
                                       secret_keys(request.olds, request.news)))

    async def invoke(self, request: InvokeRequest) -> InvokeResponse:
        functions = {"getBuild": (seam.get_build, "executionId"),
                     "getLatestBuild": (seam.get_latest_build, "templateId")}
        name = request.tok.rsplit(":", 1)[-1]
        if name not in functions:
            raise ProviderError(f"unknown function {request.tok}")
        function, key = functions[name]
        args = plain_map(request.args)
        if not args.get(key):
            return InvokeResponse(failures=[CheckFailure(key, f"{name}: set `{key}`")])
        found = await self._run(self._quick, function, self._settings(), args[key],
                                args.get("region"))
        return InvokeResponse(wire_map({names.camel(k): v for k, v in found.items()}))

    async def cancel(self) -> None:
        seam.stop_waits()

    async def delete(self, request: DeleteRequest) -> None:
        token = token_of(request.urn)
        state = names.to_core(token, plain_map(request.properties))
        old_inputs = names.to_core(token, plain_map(OLD_INPUTS.get() or {}))
        await self._run(self._waiting, seam.delete, token, self._settings(),
                        self.progress(request.urn), request.resource_id,
                        seam.with_settings(token, state, old_inputs))
