"""Before a release: the examples through the real CLI, on the emulator or a real account (see
conftest.py), checked through the provider's own client; `make sweep` finds what they leave."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from alicloud_imagebuilder_provider.client import EcsApi
from alicloud_imagebuilder_provider.resources import images, service
from alicloud_imagebuilder_provider.models.component import ImageComponentState
from alicloud_imagebuilder_provider.resources.component import ComponentLifecycle
from alicloud_imagebuilder_provider.settings import resolve_settings

from harness import ROOT

_spec = importlib.util.spec_from_file_location("sweep", ROOT / "tools" / "sweep.py")
sweep = sys.modules["sweep"] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sweep)


@pytest.fixture
def api(target) -> EcsApi:
    return EcsApi(resolve_settings(env=target.env))


def leftovers(api: EcsApi, target, prefix: str) -> list:
    regions = sweep.regions(api, resolve_settings(env=target.env))
    return [found for found in (sweep.leftovers(api, r, prefix) for r in regions) if found]


def assert_usable_everywhere(api: EcsApi, outputs: dict, regions: set[str]) -> None:
    assert set(outputs["image_ids"]) == regions
    for region, image_id in outputs["image_ids"].items():
        image = service.describe_image(api, region, image_id)
        assert image is not None, f"{image_id} is not in {region}"
        assert str(image.get("Usable")).lower() == "true", image
        assert image["ImageName"] == outputs["image_name"]


def test_quickstart_makes_usable_shared_images_and_sweep_removes_everything(
        example, target, api):
    stack, prefix = example("quickstart")
    stack.up()
    out = stack.outputs()

    assert prefix.startswith(sweep.DEFAULT_PREFIX)  # what `make sweep` finds by default
    assert out["image_name"].startswith(f"{prefix}quickstart-web_")
    assert_usable_everywhere(api, out, {target.region, "cn-shanghai", "ap-southeast-1"})
    for region, image_id in out["image_ids"].items():
        assert target.share_account in images.shared_accounts(api, region, image_id)
    stack.run("refresh", "--yes", "--skip-preview", "--expect-no-changes")
    stack.run("preview", "--expect-no-changes")

    # `make sweep` with this test's prefix, instead of destroy: everything goes, shares first,
    # and a name without this prefix stays (the default prefix still finds it, should it leak).
    others = ComponentLifecycle(resolve_settings(env=target.env), lambda _line: None)
    other = others.create(ImageComponentState.load(
        {"component_name": f"{sweep.DEFAULT_PREFIX}other-{prefix[-7:]}", "content": "RUN true"}))
    try:
        swept = subprocess.run([sys.executable, str(ROOT / "tools" / "sweep.py"), "--prefix",
                                prefix], env=stack.env, capture_output=True, text=True,
                               timeout=target.timeout)
        assert swept.returncode == 0, swept.stdout + swept.stderr
        for image_id in out["image_ids"].values():
            assert image_id in swept.stdout
        assert leftovers(api, target, prefix) == []
        assert others.read(other.id, other.outs).id == other.id
    finally:
        others.delete(other.id, other.outs)
    stack.run("stack", "rm", "--force", "--yes")


def test_tested_image_is_repaired_tested_distributed_and_destroyed(example, target, api):
    stack, prefix = example("tested-image")
    stack.up()
    out = stack.outputs()

    assert out["status"] == "SUCCESS" and out["missing_regions"] == []
    assert_usable_everywhere(api, {**out, "image_name": service.describe_image(
        api, target.region, out["image_ids"][target.region])["ImageName"]},
        {target.region, "cn-beijing", "eu-central-1"})
    stack.run("destroy", "--yes", "--skip-preview")
    assert leftovers(api, target, prefix) == []


def test_a_short_sweep_prefix_is_refused(target):
    swept = subprocess.run([sys.executable, str(ROOT / "tools" / "sweep.py"), "--prefix", "ib"],
                           env={**target.env, "PATH": ""}, capture_output=True, text=True,
                           timeout=60)
    assert swept.returncode != 0 and "at least 4 characters" in swept.stderr
