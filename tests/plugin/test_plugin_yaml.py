"""examples/yaml-quickstart (`runtime: yaml`) through the real CLI, the YAML language host and the
provider plugin that `make pulumi` puts beside the CLI, against the emulator process."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e
REGIONS = {"cn-hangzhou", "cn-shanghai", "ap-southeast-1"}


def test_the_yaml_quickstart_builds_previews_clean_and_destroys_everything(project, emulator):
    stack = project("yaml-quickstart")
    up = stack.up()
    out = stack.outputs()

    assert set(out["imageIds"]) == REGIONS
    images = {i["ImageId"]: i for i in emulator.all("images")}
    for region, image_id in out["imageIds"].items():
        assert images[image_id]["Region"] == region and images[image_id]["Usable"] is True
    assert out["imageName"] == f"quickstart-web_{out['executionId']}"
    # Progress lands on the build (the engine's Log with its URN), not on the stack.
    on_build = up.stdout.split("alicloud-imagebuilder:imagebuilder:ImageBuild (build):", 1)
    assert len(on_build) == 2 and f"build {out['executionId']}: SUCCESS" in on_build[1]

    stack.run("preview", "--expect-no-changes")
    assert len(emulator.all("executions")) == 1
    stack.run("destroy", "--yes", "--skip-preview")
    for kind in ("templates", "components", "images"):
        assert emulator.all(kind) == [], kind
