"""What the three lifecycles share: state models in and out (:class:`..models.base.ResourceState`),
plain dataclasses around them; no Pulumi types. Only the preview-time calls (check, diff) take
the runtime's value bags as dicts: those may hold unknowns, which no model can."""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Generic, TypeVar

from ..errors import (ApiError, ErrorKind, InputFailure, InvalidInputs, NotFound,
                      ProviderError)
from ..lazy import load
from ..models.base import (ApiModel, Diff, Failures, ResourceInputs, ResourceState, canonical,
                           diff, validate)
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
S = TypeVar("S", bound=ResourceState)
T = TypeVar("T")  # a state model (lifecycles), or its dump (what an adapter hands on)


@dataclass
class Created(Generic[T]):
    """A create: the resource's id and its whole state (inputs, outputs, region)."""

    id: str
    outs: T


@dataclass
class Observed(Generic[T]):
    """A read: the state read back, and the inputs matching it (which replace the stored
    inputs). ``id`` None means the resource is gone (``outs`` and ``inputs`` are then the state
    it was read with)."""

    id: str | None
    outs: T
    inputs: T


class Lifecycle(Generic[S]):
    """Base of a resource's lifecycle; subclasses implement create/read/delete over ``STATE``,
    the resource's state model: every state a lifecycle takes or returns is one, with its
    region resolved (:meth:`placed`) so that no operation adds it by hand.

    The runtime (dynamic adapter or plugin) supplies the settings and the progress sink; a
    create also gets the resource's identity from it (see :meth:`CatalogLifecycle.create`).
    Every deadline reads ``clock`` and every pause between polls is ``sleep`` (tests inject
    the emulator's manual clock; the defaults are real time, and a pause that ends when the
    process shuts down)."""

    STATE: type[S]  # the state model; a subclass names it, and INPUTS follows from it
    INPUTS: ClassVar[type[ResourceInputs]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "STATE" in vars(cls):
            cls.INPUTS = cls.STATE.INPUTS

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
            self._api = load(_CLIENT).EcsApi(self.settings, sleep=self.sleep, clock=self.clock)
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
    def check(cls, news: dict[str, Any]) -> list[InputFailure]:
        """Every failure against the service's limits; unknown values pass for now. Takes the
        runtime's value bag (a dict): at preview it holds unknowns, which a state cannot."""
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
            self.settings.region_for(news.get("region"))
        self.settings.check_credentials()

    @classmethod
    def diff(cls, olds: dict[str, Any], news: dict[str, Any]) -> Diff:
        """The old state against the new inputs, both the runtime's value bags (dicts): the
        new inputs may hold unknowns at preview."""
        return diff(cls.INPUTS, olds, news)

    # -------------------------------------------------------------- helpers

    def parse(self, state: S) -> Any:
        """Validated inputs (an ``INPUTS`` model) for an operation that calls the service."""
        try:
            model = validate(self.INPUTS, state.inputs().dump())
        except Failures as exc:
            raise InvalidInputs(self.INPUTS.RESOURCE, exc.failures) from None
        if model is None:
            raise ProviderError(f"{self.INPUTS.RESOURCE}: some inputs are still unknown")
        return model

    def in_properties(self, error: ApiError) -> ApiError:
        """The error of a call made from the inputs, naming the properties the user wrote
        instead of the API parameters the service's message names."""
        return replace(error, message=self.INPUTS.with_property_names(error.message))

    def region_of(self, state: S) -> str:
        return self.settings.region_for(state.region)

    def placed(self, state: S) -> S:
        """The state with its region resolved (the provider's region when it has none): every
        state a lifecycle returns derives from one placed on entry, so it records the region."""
        return state.model_copy(update={"region": self.region_of(state)})

    def merge(self, state: S, found: dict[str, Any]) -> S:
        """Outputs after reading the service's view ``found`` (input-shaped) of a resource whose
        last state (or inputs) is ``state``.

        A property whose read-back value means the same as before keeps its form (the program's
        order of regions, its component objects), so no spurious diff appears; a property the
        program left out shows the default or the value the service chose; anything else is
        drift and takes the service's value.
        """
        given = state.given()
        outs: dict[str, Any] = {}
        for name, _info, _prop in self.INPUTS.props():
            mine = given.get(name)
            if name not in found:
                if name in given:
                    outs[name] = mine
                continue
            theirs = found[name]
            same = canonical(self.INPUTS, name, mine) == canonical(self.INPUTS, name, theirs)
            outs[name] = mine if same and mine is not None else theirs
        return self.STATE.load(outs)

    def refreshed_inputs(self, outs: S) -> S:
        """Inputs matching refreshed outputs: every property that differs from leaving it out."""
        given = outs.given()
        return self.STATE.load({
            name: given[name] for name in self.INPUTS.model_fields
            if given.get(name) is not None
            and canonical(self.INPUTS, name, given[name]) != canonical(self.INPUTS, name, None)})

    def observe(self, id_: str, state: S) -> Observed[S]:
        """A refresh (``state`` holds the last inputs) or a lookup by id (``.get``: no inputs).
        A lookup of an id that does not exist fails; a refresh reports the resource gone."""
        observed = self.read(id_, state)
        values = state.given()
        given = [n for n, _i, prop in self.INPUTS.props()
                 if not prop.hidden and values.get(n) is not None]
        if observed.id is None and not given:
            raise NotFound(f"{self.INPUTS.RESOURCE} {id_} not found in region "
                           f"{self.region_of(state)}: check the id, and the region "
                           f"(`pulumi config get alicloud-imagebuilder:region`)")
        return observed

    def applied_inputs(self, olds: S, news: S) -> S:
        """The inputs an update records: the new ones, except that create-only properties and
        the region keep their old value (their change is not applied, see
        :func:`..models.base.diff`; a new region replaces the resource)."""
        kept = {n for n, _info, prop in self.INPUTS.props() if prop.update == "create_only"}
        kept.add("region")
        old, new = self.placed(olds).given(), news.inputs().given()
        return self.STATE.load({**{k: v for k, v in new.items() if k not in kept},
                                **{k: v for k, v in old.items() if k in kept}})

    def read(self, id_: str, state: S) -> Observed[S]:
        raise NotImplementedError

    def update(self, id_: str, olds: S, news: S) -> S:
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


class CatalogLifecycle(Lifecycle[S]):
    """A resource the service creates, describes and deletes by id, and never updates."""

    CREATE: ClassVar[str]
    CATALOG: ClassVar[service.Catalog]  # how the service lists it (describe by id)
    OUTPUTS: ClassVar[type[ApiModel]]  # the state's outputs, read from a Describe* item

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "STATE" in vars(cls):
            outputs = cls.STATE.OUTPUTS
            assert issubclass(outputs, ApiModel), f"{outputs.__name__} must map API fields"
            cls.OUTPUTS = outputs

    @classmethod
    def output_keys(cls) -> set[str]:
        return set(cls.OUTPUTS.model_fields) - cls.input_keys()

    def describe(self, region: str, id_: str) -> dict[str, Any] | None:
        return service.describe(self.api, self.CATALOG, region, id_)

    def found(self, state: S, item: dict[str, Any]) -> dict[str, Any]:
        """The service's view of the inputs (input-shaped, by field name)."""
        return self.INPUTS.from_api(item)

    def observed(self, state: S, item: dict[str, Any]) -> Observed[S]:
        """What a Describe* ``item`` says of the resource whose inputs are ``state`` (placed)."""
        outs = self.merge(state, self.found(state, item)).model_copy(
            update=self.OUTPUTS.from_api(item))
        return Observed(item[self.CATALOG.id_key], outs, self.refreshed_inputs(outs))

    def create(self, news: S, identity: str | None = None) -> Created[S]:
        """Create, or adopt what an interrupted earlier run of this same resource (``identity``,
        from the runtime: the SDK's identity string or the URN) created with these same inputs
        (the token is deterministic); a token whose object has since been deleted is walked
        past with the next one."""
        news = self.placed(news.inputs())
        model, region = self.parse(news), self.region_of(news)
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
                return Created(id_, self.observed(news, item).outs)
            if not identity:
                break
            self.progress(f"{self.INPUTS.RESOURCE} {id_}, made earlier with these inputs, has "
                          "since been deleted; creating a new one")
        raise ProviderError(f"{self.INPUTS.RESOURCE} {id_} was created in {region} but cannot "
                            "be read back; run `pulumi refresh` to pick it up")

    def read(self, id_: str, state: S) -> Observed[S]:
        state = self.placed(state.inputs())
        item = self.describe(self.region_of(state), id_)
        if item is None:
            return Observed(None, state, state)
        return self.observed(state, item)


def gone_is_fine(error: ApiError) -> bool:
    """Deleting what is already gone is success."""
    return error.kind is ErrorKind.NOT_FOUND
