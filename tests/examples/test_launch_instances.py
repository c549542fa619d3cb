"""examples/launch-instances with Pulumi mocks: the alicloud plugin cannot be installed here, so
the instance half of the hand-off is checked by intercepting resource registrations (the
StackReference half runs for real in tests/e2e)."""

import json
import runpy
from pathlib import Path

import pulumi
import pytest

PROGRAM = Path(__file__).resolve().parents[2] / "examples" / "launch-instances" / "__main__.py"
PROJECT = "imagebuilder-launch-instances"
IMAGE_IDS = {"cn-hangzhou": "m-hz0001", "cn-shanghai": "m-sh0001", "ap-southeast-1": "m-sg0001"}


class Mocks(pulumi.runtime.Mocks):
    def __init__(self):
        self.registered = []

    def new_resource(self, args):
        self.registered.append(args)
        if args.typ == "pulumi:pulumi:StackReference":
            return f"{args.name}-id", {"name": args.name, "outputs": {"image_ids": IMAGE_IDS}}
        return f"{args.name}-id", dict(args.inputs)

    def call(self, args):
        return {}


@pytest.fixture
def mocks():
    m = Mocks()
    pulumi.runtime.set_mocks(m, project=PROJECT, stack="dev", preview=False)
    pulumi.runtime.set_all_config({
        f"{PROJECT}:imagesStack": "organization/imagebuilder-quickstart/prod",
        f"{PROJECT}:vswitchIds": json.dumps({r: f"vsw-{r}" for r in IMAGE_IDS}),
        f"{PROJECT}:securityGroupIds": json.dumps({r: f"sg-{r}" for r in IMAGE_IDS}),
    })
    yield m
    pulumi.runtime.set_all_config({})


@pulumi.runtime.test
def run_program():
    runpy.run_path(str(PROGRAM), run_name="__main__")


def test_each_region_launches_from_the_image_baked_for_it(mocks):
    run_program()
    instances = {
        a.name: a.inputs for a in mocks.registered if a.typ == "alicloud:ecs/instance:Instance"
    }
    assert {name: inputs["imageId"] for name, inputs in instances.items()} == {
        f"web-{region}": image for region, image in IMAGE_IDS.items()
    }
    assert instances["web-cn-shanghai"]["vswitchId"] == "vsw-cn-shanghai"
    assert instances["web-cn-shanghai"]["securityGroups"] == ["sg-cn-shanghai"]


def test_instances_use_a_provider_in_their_own_region(mocks):
    run_program()
    providers = {
        a.name: a.inputs["region"] for a in mocks.registered if a.typ == "pulumi:providers:alicloud"
    }
    assert providers == {region: region for region in IMAGE_IDS}
    refs = [a for a in mocks.registered if a.typ == "pulumi:pulumi:StackReference"]
    assert [r.inputs["name"] for r in refs] == ["organization/imagebuilder-quickstart/prod"]
