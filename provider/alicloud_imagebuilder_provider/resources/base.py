"""What the three lifecycles share. Plain dicts in, plain dataclasses out: no Pulumi types."""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Callable, ClassVar

from ..errors import (ApiError, ErrorKind, InputFailure, InvalidInputs, NotFound,
                      ProviderError)
from ..lazy import load
from ..models.base import ApiModel, Diff, Failures, ResourceInputs, canonical, diff, validate
from ..settings import Settings
from ..unknowns import contains_unknown
from ..waiter import Backoff, Deadline, pause
from . import service

if TYPE_CHECKING:
    from ..client import EcsApi

Progress = Callable[[str], None]  # where a lifecycle reports what it does; the runtime's
Clock = Callable[[], float]  # monotonic seconds
Sleep = Callable[[float], None]
EARLIER_OBJECTS = 20  # how many deleted objects of one resource's inputs a create walks past
_CLIENT = __package__.rsplit(".", 1)[0] + ".client"


@dataclass
class Created:
    id: str
    outs: dict[str, Any]


@dataclass
class Observed:
    """A read: ``id`` None means the resource is gone; ``inputs`` replace the stored inputs."""

    id: str | None
    outs: dict[str, Any] = field(default_factory=dict)
    inputs: dict[str, Any] = field(default_factory=dict)


class Lifecycle:
    """Base of a resource's lifecycle; subclasses implement create/read/delete.

    The runtime (dynamic adapter or plugin) supplies the settings and the progress sink; a
    create also gets the resource's identity from it (see :meth:`CatalogLifecycle.create`).
    Every deadline reads ``clock`` and every pause between polls is ``sleep`` (tests inject
    the emulator's manual clock; the defaults are real time, and a pause that ends when the
    process shuts down)."""

    INPUTS: ClassVar[type[ResourceInputs]]

    def __init__(self, settings: Settings, progress: Progress, *,
                 clock: Clock = time.monotonic, sleep: Sleep = pause):
        self.settings = settings
        self.progress = progress
        self.clock = clock
        self.sleep = sleep
        self._api: EcsApi | None = None

    @property
    def api(self) -> "EcsApi":
        if self._api is None:  # the SDK loads only when a call is made
            self._api = load(_CLIENT).EcsApi(self.settings)
        return self._api

    def deadline(self, seconds: float) -> Deadline:
        return Deadline(seconds, clock=self.clock)

    @property
    def backoff(self) -> Backoff:
        return Backoff(initial=self.settings.poll_interval,
                       maximum=max(self.settings.poll_interval, self.settings.poll_max_interval))

    # -------------------------------------------------------------- preview-time

    @classmethod
    def input_keys(cls) -> set[str]:
        return {cls.INPUTS.key(name) for name in cls.INPUTS.model_fields}

    @classmethod
    def output_keys(cls) -> set[str]:
        return set()

    @classmethod
    def inputs_of(cls, props: dict[str, Any]) -> dict[str, Any]:
        """The input properties of a state or input bag (outputs and ``__provider`` dropped)."""
        keys = cls.input_keys()
        return {k: v for k, v in props.items() if k in keys}

    @classmethod
    def check(cls, news: dict[str, Any]) -> list[InputFailure]:
        """Every failure against the service's limits; unknown values pass for now."""
        # None is how Pulumi says "not set"; the SDK also sends outputs' keys (see with_outputs).
        candidate = {k: v for k, v in news.items()
                     if not k.startswith("__") and v is not None and k not in cls.output_keys()}
        try:
            validate(cls.INPUTS, candidate)
        except Failures as exc:
            return exc.failures
        return []

    def check_setup(self, news: dict[str, Any]) -> None:
        """The provider's settings are usable for these inputs (at preview, no API call): a
        region, and complete credentials unless they come from the default chain."""
        if not contains_unknown(news.get("region")):
            self.region_of(news)
        self.settings.check_credentials()

    @classmethod
    def diff(cls, olds: dict[str, Any], news: dict[str, Any]) -> Diff:
        return diff(cls.INPUTS, olds, news)

    # -------------------------------------------------------------- helpers

    def parse(self, props: dict[str, Any]) -> Any:
        """Validated inputs for an operation that calls the service."""
        try:
            model = validate(self.INPUTS, self.inputs_of(props))
        except Failures as exc:
            raise InvalidInputs(self.INPUTS.RESOURCE, exc.failures) from None
        if model is None:
            raise ProviderError(f"{self.INPUTS.RESOURCE}: some inputs are still unknown")
        return model

    def in_properties(self, error: ApiError) -> ApiError:
        """The error of a call made from the inputs, naming the properties the user wrote
        instead of the API parameters the service's message names."""
        return replace(error, message=self.INPUTS.with_property_names(error.message))

    def region_of(self, props: dict[str, Any]) -> str:
        return self.settings.region_for(props.get("region"))

    def merge(self, state: dict[str, Any], found: dict[str, Any]) -> dict[str, Any]:
        """Outputs after reading the service's view ``found`` (input-shaped) of a resource whose
        last state (or inputs) is ``state``.

        A property whose read-back value means the same as before keeps its form (the program's
        order of regions, its component objects), so no spurious diff appears; a property the
        program left out shows the default or the value the service chose; anything else is
        drift and takes the service's value.
        """
        outs: dict[str, Any] = {}
        for name, _info, _prop in self.INPUTS.props():
            key = self.INPUTS.key(name)
            mine = state.get(key)
            if name not in found:
                if key in state:
                    outs[key] = mine
                continue
            theirs = found[name]
            same = canonical(self.INPUTS, name, mine) == canonical(self.INPUTS, name, theirs)
            outs[key] = mine if same and mine is not None else theirs
        return outs

    def refreshed_inputs(self, outs: dict[str, Any]) -> dict[str, Any]:
        """Inputs matching refreshed outputs: every property that differs from leaving it out."""
        inputs = {}
        for name in self.INPUTS.model_fields:
            key = self.INPUTS.key(name)
            value = outs.get(key)
            if value is not None and canonical(self.INPUTS, name, value) != canonical(
                    self.INPUTS, name, None):
                inputs[key] = value
        return inputs

    def observe(self, id_: str, state: dict[str, Any]) -> Observed:
        """A refresh (``state`` holds the last inputs) or a lookup by id (``.get``: no inputs).
        A lookup of an id that does not exist fails; a refresh reports the resource gone."""
        observed = self.read(id_, state)
        given = [n for n, _i, prop in self.INPUTS.props()
                 if not prop.hidden and state.get(self.INPUTS.key(n)) is not None]
        if observed.id is None and not given:
            raise NotFound(f"{self.INPUTS.RESOURCE} {id_} not found in region "
                           f"{self.region_of(state)}: check the id, and the region "
                           f"(`pulumi config get alicloud-imagebuilder:region`)")
        return observed

    def applied_inputs(self, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
        """The inputs an update records: the new ones, except that create-only properties keep
        their old value (their change is not applied, see :func:`..models.base.diff`)."""
        inputs = self.inputs_of(news)
        for name, _info, prop in self.INPUTS.props():
            key = self.INPUTS.key(name)
            if prop.update == "create_only":
                inputs.pop(key, None)
                if key in olds:
                    inputs[key] = olds[key]
        return inputs

    def read(self, id_: str, state: dict[str, Any]) -> Observed:
        raise NotImplementedError

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
        raise ProviderError(f"{self.INPUTS.RESOURCE} {id_} cannot change in place (the service "
                            "has no update call): every change replaces it")


def client_token(identity: str | None, params: dict[str, Any], attempt: int) -> str:
    """The idempotency token of a create call: the SHA-256 (64 ASCII characters, the API's
    limit) of the resource's identity (from the runtime: project, stack, parent, name), every
    parameter the call sends and ``attempt`` (how many objects of this token that are gone, or
    builds that are unusable, the create walked past). The same program retried or resumed
    sends the same token and gets back what it made; any other parameter gives another token.
    Without an identity every call gets a fresh token: nothing to adopt."""
    if not identity:
        return uuid.uuid4().hex
    seed = json.dumps({"identity": identity, "params": params, "attempt": attempt},
                      sort_keys=True, default=str)
    return hashlib.sha256(seed.encode()).hexdigest()


class CatalogLifecycle(Lifecycle):
    """A resource the service creates, describes and deletes by id, and never updates."""

    CREATE: ClassVar[str]
    CATALOG: ClassVar[service.Catalog]  # how the service lists it (describe by id)
    OUTPUTS: ClassVar[type[ApiModel]]

    @classmethod
    def output_keys(cls) -> set[str]:
        return set(cls.OUTPUTS.model_fields) - cls.input_keys()

    def describe(self, region: str, id_: str) -> dict[str, Any] | None:
        return service.describe(self.api, self.CATALOG, region, id_)

    def found(self, state: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
        """The service's view of the inputs (input-shaped)."""
        return self.INPUTS.from_api(item)

    def observed(self, state: dict[str, Any], item: dict[str, Any], region: str) -> Observed:
        outs = self.merge(state, self.found(state, item))
        outs.update(self.OUTPUTS.from_api(item), region=region)
        return Observed(item[self.CATALOG.id_key], outs, self.refreshed_inputs(outs))

    def create(self, props: dict[str, Any], identity: str | None = None) -> Created:
        """Create, or adopt what an interrupted earlier run of this same resource (``identity``,
        from the runtime: the SDK's identity string or the URN) created with these same inputs
        (the token is deterministic); a token whose object has since been deleted is walked
        past with the next one."""
        model = self.parse(props)
        region = self.region_of(props)
        params = model.to_api()
        for attempt in range(EARLIER_OBJECTS):
            token = client_token(identity, params, attempt)
            try:
                id_ = self.api.call(self.CREATE, {**params, "ClientToken": token},
                                    region=region)[self.CATALOG.id_key]
            except ApiError as error:
                raise self.in_properties(error) from None
            item = self.describe(region, id_)
            if item is not None:
                return Created(id_, self.observed(self.inputs_of(props), item, region).outs)
            if not identity:
                break
            self.progress(f"{self.INPUTS.RESOURCE} {id_}, made earlier with these inputs, has "
                          "since been deleted; creating a new one")
        raise ProviderError(f"{self.INPUTS.RESOURCE} {id_} was created in {region} but cannot "
                            "be read back; run `pulumi refresh` to pick it up")

    def read(self, id_: str, state: dict[str, Any]) -> Observed:
        region = self.region_of(state)
        item = self.describe(region, id_)
        if item is None:
            return Observed(None)
        return self.observed(self.inputs_of(state), item, region)


def gone_is_fine(error: ApiError) -> bool:
    """Deleting what is already gone is success."""
    return error.kind is ErrorKind.NOT_FOUND
