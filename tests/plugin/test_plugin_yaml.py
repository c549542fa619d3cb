"""examples/yaml-quickstart (`runtime: yaml`) through the real CLI, the YAML language host and the
provider plugin that `make pulumi` puts beside the CLI, against the emulator process."""

from __future__ import annotations

import pytest
from stacks import second_stack

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


FUNCTIONS = """\
name: imagebuilder-yaml-quickstart
runtime: yaml
config:
  templateId:
    type: string
  executionId:
    type: string
variables:
  latest:
    fn::invoke:
      function: alicloud-imagebuilder:imagebuilder:getLatestBuild
      arguments:
        templateId: ${templateId}
  build:
    fn::invoke:
      function: alicloud-imagebuilder:imagebuilder:getBuild
      arguments:
        executionId: ${executionId}
outputs:
  latest: ${latest}
  build: ${build}
"""


def test_get_build_and_get_latest_build_return_what_the_service_holds(project, emulator):
    made = project("yaml-quickstart")
    made.config("release", "1")
    made.up()
    first = made.outputs()
    made.config("release", "2")
    made.up()
    second = made.outputs()
    assert second["executionId"] != first["executionId"]

    second_stack(made, emulator, "consumer")  # same project, another program
    (made.dir / "Pulumi.yaml").write_text(FUNCTIONS)
    made.config("templateId", second["templateId"])
    made.config("executionId", second["executionId"])
    made.up()
    found = made.outputs()

    assert found["latest"]["executionId"] == second["executionId"]
    assert found["latest"]["imageIds"] == second["imageIds"]
    assert found["latest"]["status"] == "SUCCESS"
    assert found["build"]["imageIds"] == second["imageIds"]
    assert found["build"]["imageName"] == second["imageName"]
    assert found["build"]["templateId"] == second["templateId"]
