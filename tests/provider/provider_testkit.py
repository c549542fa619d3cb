"""Constants and helpers shared by the provider tests (fixtures live in conftest.py)."""

from __future__ import annotations

import threading
import time
from typing import Any, Callable

from alicloud_imagebuilder_provider.models.build import ImageBuildState

HOME = "cn-hangzhou"
COPIES = ["cn-shanghai", "ap-southeast-1"]
ACCOUNT = "1234567890123456"
BASE = {"base_image_type": "IMAGE_FAMILY", "base_image": "acs:alibaba_cloud_linux_3_2104_lts_x64"}
BUILD_PHASE = 300.0  # each build phase on the emulator's clock: builds of about half an hour
QUICK_RETRIES = {"alicloud-imagebuilder:retryBaseDelay": "0.01"}  # a retry pauses on wall time
QUICK_POLLS = {"alicloud-imagebuilder:pollInterval": "0.01",  # for lifecycles on wall time
               "alicloud-imagebuilder:pollMaxInterval": "0.05"}


def stack_config(emulator: Any, **extra: str) -> dict[str, str]:
    """Stack config as ``configure`` receives it, pointing at the emulator. Polls keep the
    provider's own schedule (seconds apart: right on the emulator's clock); a lifecycle that
    waits on wall time gets ``**QUICK_POLLS``."""
    return {"alicloud-imagebuilder:endpoint": emulator.url,
            "alicloud-imagebuilder:accessKey": emulator.access_key_id,
            "alicloud-imagebuilder:secretKey": emulator.access_key_secret,
            "alicloud-imagebuilder:region": HOME, **QUICK_RETRIES, **extra}


class Progress(list):
    """Collects the progress lines a lifecycle would print to stderr."""

    def __call__(self, line: str) -> None:
        self.append(line)

    def mentions(self, text: str) -> bool:
        return any(text in line for line in self)


IDENTITY = "proj/stack/web-build"  # what the runtime passes to a build's create


def build_props(template_id: str, **extra: Any) -> ImageBuildState:
    return ImageBuildState.load({"template_id": template_id, "triggers": {"release": "42"},
                                 **extra})


def images_of(emulator: Any, execution_id: str) -> dict[str, str]:
    """Region -> image id of every image the emulator holds for a build (copies included)."""
    return {region: image["ImageId"] for region, image in all_images(emulator)
            if image.get("ExecutionId") == execution_id}


def all_images(emulator: Any) -> list[tuple[str, dict[str, Any]]]:
    return [(region, image) for region, data in emulator.state()["regions"].items()
            for image in data.get("images", [])]


class EmulatorTime:
    """The emulator's manual clock as a lifecycle's ``clock`` and ``sleep``: each pause moves
    the clock on by its length, so a build of half an hour takes no wall time and runs the same
    way on any machine. After each pause, before the lifecycle looks again, every hook given to
    :meth:`after_each_pause` runs, until it returns true: how a test acts at a chosen moment of
    a build (renames a copy the moment it exists, cancels a build once it runs)."""

    def __init__(self, emulator: Any):
        self.emulator = emulator
        self._hooks: list[Callable[[], bool]] = []
        self._lock = threading.Lock()  # a lifecycle may pause in several threads at once

    def now(self) -> float:
        return self.emulator.clock.now()

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.emulator.advance(seconds)
            self._hooks = [hook for hook in self._hooks if not hook()]

    def after_each_pause(self, hook: Callable[[], bool]) -> None:
        self._hooks.append(hook)


def wait_for(until: Callable[[], bool], limit: float = 30.0) -> None:
    """Wait (bounded) for an observable event, such as a request in the emulator's log."""
    deadline = time.monotonic() + limit
    while not until():
        assert time.monotonic() < deadline, "the awaited event never happened"
        time.sleep(0.01)


def copies_in(emulator: Any, region: str) -> list[Any]:
    """The emulator's distributed copies in ``region`` (to rename them: a copy named otherwise
    than the provider assumes)."""
    return emulator.backend.read(lambda ctx: [image for image in ctx.region(region).images.values()
                                             if image.source_image_id])
