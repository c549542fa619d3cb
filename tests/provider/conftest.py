"""Fixtures: the provider's lifecycles wired to a fresh emulator over HTTP (no mocks)."""

from __future__ import annotations

from typing import Any, Callable

import pytest

from alicloud_imagebuilder_provider.models.template import ImageTemplateState
from alicloud_imagebuilder_provider.resources.build import BuildLifecycle
from alicloud_imagebuilder_provider.resources.component import ComponentLifecycle
from alicloud_imagebuilder_provider.resources.template import TemplateLifecycle
from alicloud_imagebuilder_provider.settings import Settings, resolve_settings

from provider_testkit import ACCOUNT, BASE, COPIES, Progress, stack_config


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
def components(settings: Settings, progress: Progress) -> ComponentLifecycle:
    return ComponentLifecycle(settings, progress)


@pytest.fixture
def templates(settings: Settings, progress: Progress) -> TemplateLifecycle:
    return TemplateLifecycle(settings, progress)


@pytest.fixture
def builds(settings: Settings, progress: Progress) -> BuildLifecycle:
    return BuildLifecycle(settings, progress)


@pytest.fixture
def on_emulator_time(emulator: Any, settings: Settings, progress: Progress) -> Callable[..., Any]:
    """``on_emulator_time(LifecycleClass)``: a lifecycle whose clock is the emulator's manual
    clock and whose every pause advances it, so a wait of minutes takes no wall time."""
    emulator.configure(manual_clock=True)

    def make(cls: type[Any]) -> Any:
        return cls(settings, progress, clock=emulator.clock.now, sleep=emulator.advance)

    return make


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
