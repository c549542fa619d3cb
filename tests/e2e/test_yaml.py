"""`runtime: yaml` programs through the real CLI and the YAML language host that `make pulumi`
provides (resource-less here: the YAML programs of this provider need its native plugin)."""

from __future__ import annotations

from harness import Project

IMAGES = """\
name: yaml-images
runtime: yaml
config:
  release:
    type: string
    default: one
variables:
  imageName:
    fn::join: ["-", ["web", "${release}", "${pulumi.stack}"]]
outputs:
  imageName: ${imageName}
  imageIds:
    cn-hangzhou: m-hangzhou
    cn-shanghai: m-shanghai
"""

CONSUMER = """\
name: yaml-consumer
runtime: yaml
resources:
  images:
    type: pulumi:pulumi:StackReference
    properties:
      name: organization/yaml-images/dev
outputs:
  shanghaiImage: ${images.outputs["imageIds"]["cn-shanghai"]}
"""


def yaml_project(tmp_path, pulumi_env, name: str, program: str) -> Project:
    workdir = tmp_path / name
    workdir.mkdir()
    (workdir / "Pulumi.yaml").write_text(program)
    state = tmp_path / "state"
    state.mkdir(exist_ok=True)
    proj = Project(workdir, dict(pulumi_env, PULUMI_BACKEND_URL=f"file://{state}"), "dev")
    proj.run("stack", "init", "dev")
    return proj


def test_a_yaml_program_runs_and_hands_its_outputs_to_another_yaml_stack(tmp_path, pulumi_env):
    images = yaml_project(tmp_path, pulumi_env, "images", IMAGES)
    images.run("config", "set", "release", "two")
    images.up()
    assert images.outputs() == {
        "imageName": "web-two-dev",
        "imageIds": {"cn-hangzhou": "m-hangzhou", "cn-shanghai": "m-shanghai"},
    }
    images.run("preview", "--expect-no-changes")

    consumer = yaml_project(tmp_path, pulumi_env, "consumer", CONSUMER)
    consumer.up()
    assert consumer.outputs() == {"shanghaiImage": "m-shanghai"}

    consumer.run("destroy", "--yes", "--skip-preview")
    images.run("destroy", "--yes", "--skip-preview")
    assert images.resources() == []
