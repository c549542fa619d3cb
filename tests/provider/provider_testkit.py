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
FAST = {"alicloud-imagebuilder:pollInterval": "0.01",
        "alicloud-imagebuilder:pollMaxInterval": "0.05",
        "alicloud-imagebuilder:retryBaseDelay": "0.01"}


def stack_config(emulator: Any, **extra: str) -> dict[str, str]:
    """Stack config as ``configure`` receives it, pointing at the emulator."""
    return {"alicloud-imagebuilder:endpoint": emulator.url,
            "alicloud-imagebuilder:accessKey": emulator.access_key_id,
            "alicloud-imagebuilder:secretKey": emulator.access_key_secret,
            "alicloud-imagebuilder:region": HOME, **FAST, **extra}


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


class Background:
    """A lifecycle call running in a thread (while the test drives the emulator's clock)."""

    def __init__(self, work: Callable[[], Any]):
        self.result: Any = None
        self.error: BaseException | None = None

        def run() -> None:
            try:
                self.result = work()
            except BaseException as error:  # noqa: BLE001 - handed to the test
                self.error = error

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()

    def join(self, seconds: float = 60.0) -> "Background":
        self.thread.join(seconds)
        assert not self.thread.is_alive(), "the lifecycle call did not finish"
        return self


def drive(emulator: Any, until: Callable[[], bool], step: float = 1.0, limit: int = 500) -> None:
    """Advance the emulator's manual clock one step at a time until ``until()`` holds; each
    step and the check after it happen under the emulator's lock, so no request sees the
    state in between (``until`` may change the state, e.g. rename a copy the moment it exists)."""
    for _ in range(limit):
        with emulator.backend.lock:
            if until():
                return
            emulator.advance(step)
            if until():
                return
        time.sleep(0.01)  # let the provider poll between steps
    raise AssertionError("the emulator never reached the awaited state")


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
