"""Constants and helpers shared by the provider tests (fixtures live in conftest.py)."""

from __future__ import annotations

from typing import Any

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


def build_props(template_id: str, **extra: Any) -> dict[str, Any]:
    return {"template_id": template_id, "triggers": {"release": "42"},
            "_build_key": "proj/stack/web-build", **extra}


def images_of(emulator: Any, execution_id: str) -> dict[str, str]:
    """Region -> image id of every image the emulator holds for a build (copies included)."""
    return {region: image["ImageId"] for region, image in all_images(emulator)
            if image.get("ExecutionId") == execution_id}


def all_images(emulator: Any) -> list[tuple[str, dict[str, Any]]]:
    return [(region, image) for region, data in emulator.state()["regions"].items()
            for image in data.get("images", [])]
