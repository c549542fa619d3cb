"""Fixtures: the provider's lifecycles wired to a fresh emulator over HTTP (no mocks), on the
emulator's manual clock (see :class:`provider_testkit.EmulatorTime`)."""

from __future__ import annotations

from typing import Any, Callable

import pytest

from alicloud_imagebuilder_provider.models.template import ImageTemplateState
from alicloud_imagebuilder_provider.resources.build import BuildLifecycle
from alicloud_imagebuilder_provider.resources.component import ComponentLifecycle
from alicloud_imagebuilder_provider.resources.template import TemplateLifecycle
from alicloud_imagebuilder_provider.settings import Settings, resolve_settings

from provider_testkit import (ACCOUNT, BASE, BUILD_PHASE, COPIES, EmulatorTime, Progress,
                              stack_config)


@pytest.fixture
def emulator(imagebuilder_emulator: Any) -> Any:
    return imagebuilder_emulator


@pytest.fixture
def settings(emulator: Any) -> Settings:
    return resolve_settings(stack_config(emulator), env={})


@pytest.fixture
def progress() -> Progress:
    return Progress()


@pytest.fixture
def emulator_time(emulator: Any) -> EmulatorTime:
    """The emulator on its manual clock, with builds of realistic length, as the lifecycles'
    clock and sleep."""
    emulator.configure(manual_clock=True, phase_seconds=BUILD_PHASE)
    return EmulatorTime(emulator)


@pytest.fixture
def on_emulator_time(emulator_time: EmulatorTime, settings: Settings,
                     progress: Progress) -> Callable[..., Any]:
    """``on_emulator_time(LifecycleClass)``: a lifecycle whose clock is the emulator's manual
    clock and whose every pause advances it, so a wait of minutes takes no wall time."""

    def make(cls: type[Any]) -> Any:
        return cls(settings, progress, clock=emulator_time.now, sleep=emulator_time.sleep)

    return make


@pytest.fixture
def components(on_emulator_time: Callable[..., Any]) -> ComponentLifecycle:
    return on_emulator_time(ComponentLifecycle)


@pytest.fixture
def templates(on_emulator_time: Callable[..., Any]) -> TemplateLifecycle:
    return on_emulator_time(TemplateLifecycle)


@pytest.fixture
def builds(on_emulator_time: Callable[..., Any]) -> BuildLifecycle:
    return on_emulator_time(BuildLifecycle)


@pytest.fixture
def template(templates: TemplateLifecycle) -> Callable[..., tuple[str, ImageTemplateState]]:
    """``template(identity=None, **inputs) -> (id, outs)``: an image template copying to two
    regions and sharing with one account unless told otherwise."""

    def make(identity: str | None = None, **inputs: Any) -> tuple[str, ImageTemplateState]:
        props = {**BASE, "build_content": "RUN echo hello", "image_name": "web",
                 "internet_max_bandwidth_out": 10, "to_region_ids": COPIES,
                 "add_accounts": [ACCOUNT], **inputs}
        created = templates.create(
            ImageTemplateState.load({k: v for k, v in props.items() if v is not None}), identity)
        return created.id, created.outs

    return make
