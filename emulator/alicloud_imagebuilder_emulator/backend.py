"""The emulator's backend: all state and rules, in plain Python, behind one lock.

Every public method takes the lock and first applies the build events the clock has made due,
so statuses are always computed from the clock at the time of the call. The HTTP layer
(:mod:`.app`) is a thin wire around this class; tests and tools may also drive it directly.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from . import components, images, pipelines, snapshot, tagging, validation
from .catalog import PublicImage
from .clock import Clock
from .components import ComponentFilter, ComponentSpec
from .context import Context
from .errors import bad_request
from .faults import FaultInjector, InjectedFault, make_fault
from .images import ImageFilter
from .models import Component, Execution, Image, Pipeline, PipelineSpec, Tags
from .paging import Page
from .pipelines import ExecutionFilter, PipelineFilter
from .settings import Settings
from .tagging import TagEntry, TagFilter

R = TypeVar("R")


def _locked(method: Callable[..., R]) -> Callable[..., R]:
    @functools.wraps(method)
    def wrapper(self: Backend, *args: Any, **kwargs: Any) -> R:
        with self.lock:
            self._tick()
            return method(self, *args, **kwargs)

    return wrapper


def _fault(spec: Any) -> InjectedFault:
    if not isinstance(spec, dict):
        raise ValueError(f"inject: each fault is an object like {{\"code\": \"Throttling\"}}, got "
                         f"{spec!r}")
    try:
        return make_fault(**spec)
    except TypeError as exc:
        raise ValueError(f"inject: {exc}") from None


class Backend:
    def __init__(self, account_id: str, settings: Settings | None = None,
                 clock: Clock | None = None) -> None:
        if not account_id.isdigit():
            raise ValueError(f"account_id must be an account uid (digits), got {account_id!r}")
        self.lock = threading.RLock()
        self.account_id = account_id
        self.clock = clock or Clock()
        self._initial_manual = self.clock.manual
        self._initial_settings = settings or Settings()
        self.ctx = Context(self.clock, self._initial_settings, account_id)
        self.faults = FaultInjector(self._initial_settings.seed)

    @property
    def settings(self) -> Settings:
        return self.ctx.settings

    # -- behaviour -------------------------------------------------------------------------
    def configure(self, **changes: Any) -> dict[str, Any]:
        """Change behaviour: any :class:`Settings` field, ``manual_clock`` (bool) and ``inject``
        (a list of one-shot faults, see :func:`.faults.make_fault`). ValueError names a bad key."""
        manual = changes.pop("manual_clock", None)
        injected = [_fault(spec) for spec in changes.pop("inject", None) or []]
        with self.lock:
            self._tick()
            settings = self.ctx.settings.updated(**changes)
            if manual is not None:
                if not isinstance(manual, bool):
                    raise ValueError(f"manual_clock must be true or false, got {manual!r}")
                self.clock.set_manual(manual)
            if "seed" in changes:
                self.faults.reseed(settings.seed)
            self.ctx.settings = settings
            for fault in injected:
                self.faults.inject(fault)
            return self.describe_settings()

    def describe_settings(self) -> dict[str, Any]:
        data = self.ctx.settings.as_dict()
        data["manual_clock"] = self.clock.manual
        data["pending_faults"] = self.faults.pending()
        return data

    def advance(self, seconds: float) -> float:
        with self.lock:
            now = self.clock.advance(seconds)
            self._tick()
            return now

    def reset(self) -> None:
        """Forget all state and restore the settings (and clock mode) the emulator started with;
        the clock's reading is kept."""
        with self.lock:
            self.clock.set_manual(self._initial_manual)
            self.ctx = Context(self.clock, self._initial_settings, self.account_id)
            self.faults = FaultInjector(self._initial_settings.seed)

    def restore(self, document: Any) -> None:
        """Replace all state by a dump of ``GET /_emulator/state`` (see :func:`.snapshot.restore`;
        the settings stay). All or nothing: a bad document changes nothing. The clock moves on to
        the dump's time when it is behind it."""
        with self.lock:
            self._tick()
            ctx = Context(self.clock, self.ctx.settings, self.account_id)
            snapshot.restore(ctx, document)
            epoch = document.get("epoch")
            if isinstance(epoch, (int, float)) and epoch > self.clock.now():
                self.clock.advance(epoch - self.clock.now())
            self.ctx = ctx

    def read(self, reader: Callable[[Context], R]) -> R:
        """Run ``reader`` on the current state, under the lock, after applying due events."""
        with self.lock:
            self._tick()
            return reader(self.ctx)

    def _tick(self) -> None:
        now = self.clock.now()
        active = self.ctx.active_builds
        while True:
            due = [build for build in active.values() if build.events and build.events[0].at <= now]
            if not due:
                break
            min(due, key=lambda build: build.events[0]).step()
        for execution_id in [eid for eid, build in active.items() if build.done]:
            del active[execution_id]

    def _idempotent(self, action: str, region_id: str, token: str | None, parameters: object,
                    create: Callable[[], str]) -> str:
        """Run ``create`` once per ClientToken: a repeat with equal ``parameters`` returns the first
        id, one with other parameters is IdempotentParameterMismatch
        (ASSUMPTIONS["client-token"])."""
        validation.client_token(token)
        if not token:
            return create()
        key = (action, region_id, token)
        if key in self.ctx.client_tokens:
            result, first_parameters = self.ctx.client_tokens[key]
            if first_parameters != parameters:
                raise bad_request(
                    "IdempotentParameterMismatch",
                    "The specified parameter has changed while using an already used clientToken: "
                    "ClientToken "
                    f"{token!r} was used with other parameters for {action} (it returned "
                    f"{result}); use a new "
                    "ClientToken for a different request.",
                )
            return result
        result = create()
        self.ctx.client_tokens[key] = (result, parameters)
        return result

    # -- image templates and builds --------------------------------------------------------
    @_locked
    def create_image_pipeline(self, region_id: str, spec: PipelineSpec,
                              client_token: str | None = None) -> str:
        return self._idempotent("CreateImagePipeline", region_id, client_token, spec,
                                lambda: pipelines.create_pipeline(self.ctx, region_id,
                                                                  spec).pipeline_id)

    @_locked
    def describe_image_pipelines(self, region_id: str, where: PipelineFilter = PipelineFilter(),
                                 max_results: int = 50,
                                 next_token: str | None = None) -> Page[Pipeline]:
        return pipelines.describe_pipelines(self.ctx, region_id, where, max_results, next_token)

    @_locked
    def delete_image_pipeline(self, region_id: str, pipeline_id: str) -> None:
        pipelines.delete_pipeline(self.ctx, region_id, pipeline_id)

    @_locked
    def start_image_pipeline_execution(self, region_id: str, pipeline_id: str,
                                       client_token: str | None = None, tags: Tags = ()) -> str:
        return self._idempotent(
            "StartImagePipelineExecution", region_id, client_token, (pipeline_id, tags),
            lambda: pipelines.start_execution(self.ctx, region_id, pipeline_id, tags).execution_id,
        )

    @_locked
    def describe_image_pipeline_executions(self, region_id: str, where: ExecutionFilter,
                                           max_results: int = 50,
                                           next_token: str | None = None) -> Page[Execution]:
        return pipelines.describe_executions(self.ctx, region_id, where, max_results, next_token)

    @_locked
    def cancel_image_pipeline_execution(self, region_id: str, execution_id: str | None) -> None:
        pipelines.cancel_execution(self.ctx, region_id, execution_id)

    # -- components ------------------------------------------------------------------------
    @_locked
    def create_image_component(self, region_id: str, spec: ComponentSpec,
                               client_token: str | None = None) -> str:
        return self._idempotent("CreateImageComponent", region_id, client_token, spec,
                                lambda: components.create(self.ctx, region_id, spec).component_id)

    @_locked
    def describe_image_components(self, region_id: str, where: ComponentFilter = ComponentFilter(),
                                  max_results: int = 50,
                                  next_token: str | None = None) -> Page[Component]:
        return components.describe(self.ctx, region_id, where, max_results, next_token)

    @_locked
    def delete_image_component(self, region_id: str, component_id: str) -> None:
        components.delete(self.ctx, region_id, component_id)

    # -- images ----------------------------------------------------------------------------
    @_locked
    def describe_images(self, region_id: str, where: ImageFilter = ImageFilter(),
                        page_number: int = 1, page_size: int = 10) -> Page[Image | PublicImage]:
        return images.describe_images(self.ctx, region_id, where, page_number, page_size)

    @_locked
    def delete_image(self, region_id: str, image_id: str, force: bool = False) -> None:
        images.delete_image(self.ctx, region_id, image_id, force)

    @_locked
    def modify_image_share_permission(self, region_id: str, image_id: str, add: Sequence[str] = (),
                                      remove: Sequence[str] = ()) -> None:
        images.modify_share(self.ctx, region_id, image_id, add, remove)

    @_locked
    def describe_image_share_permission(self, region_id: str, image_id: str, page_number: int = 1,
                                        page_size: int = 10) -> Page[tuple[str, float]]:
        return images.describe_share(self.ctx, region_id, image_id, page_number, page_size)

    @_locked
    def mark_image_used(self, image_id: str, instance_id: str | None = None) -> str:
        return images.mark_used(self.ctx, image_id, instance_id)

    @_locked
    def clear_image_used(self, image_id: str) -> None:
        images.clear_used(self.ctx, image_id)

    # -- tags and resource groups ----------------------------------------------------------
    @_locked
    def tag_resources(self, region_id: str, resource_type: str | None, resource_ids: Sequence[str],
                      tags: Tags) -> None:
        tagging.tag(self.ctx, region_id, resource_type, resource_ids, tags)

    @_locked
    def untag_resources(self, region_id: str, resource_type: str | None,
                        resource_ids: Sequence[str],
                        keys: Sequence[str] = (), remove_all: bool = False) -> None:
        tagging.untag(self.ctx, region_id, resource_type, resource_ids, keys, remove_all)

    @_locked
    def list_tag_resources(self, region_id: str, resource_type: str | None,
                           resource_ids: Sequence[str] = (),
                           tags: Tags = (), filters: Sequence[TagFilter] = (),
                           next_token: str | None = None) -> Page[TagEntry]:
        return tagging.list_tags(self.ctx, region_id, resource_type, resource_ids, tags, filters,
                                 next_token)

    @_locked
    def join_resource_group(self, region_id: str, resource_type: str | None,
                            resource_id: str | None, resource_group_id: str | None) -> None:
        tagging.join_resource_group(self.ctx, region_id, resource_type, resource_id,
                                    resource_group_id)
