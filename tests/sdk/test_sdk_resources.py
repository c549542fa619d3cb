"""What users import: resource classes, Args, outputs, get, options (under Pulumi's mocks)."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import pulumi
import pytest

import pulumi_alicloud_imagebuilder as imagebuilder


class Recorder(pulumi.runtime.Mocks):
    def __init__(self) -> None:
        self.created: dict[str, pulumi.runtime.MockResourceArgs] = {}
        self.registered: list[pulumi.runtime.MockResourceArgs] = []

    def new_resource(self, args):
        self.created[args.name] = args
        self.registered.append(args)
        outputs = dict(args.inputs)
        if args.typ.endswith(":ImageBuild"):
            outputs["image_ids"] = {"cn-hangzhou": "m-home", "cn-shanghai": "m-copy"}
        return [args.resource_id or f"{args.name}-id", outputs]

    def call(self, args):
        return {}


@pytest.fixture
def mocks():
    asyncio.set_event_loop(asyncio.new_event_loop())
    recorder = Recorder()
    pulumi.runtime.set_mocks(recorder, project="proj", stack="dev", preview=False)
    return recorder


@pulumi.runtime.test
def test_readme_program_registers_the_three_dynamic_types(mocks):
    comp = imagebuilder.ImageComponent("nginx", component_name="nginx",
                                       content="RUN yum install -y nginx")
    tpl = imagebuilder.ImageTemplate(
        "web", base_image_type="IMAGE_FAMILY", base_image="acs:alibaba_cloud_linux_3_2104_lts_x64",
        build_components=[comp.id], internet_max_bandwidth_out=10, image_name="web",
        to_region_ids=["cn-shanghai", "ap-southeast-1"], add_accounts=["1234567890123456"])
    build = imagebuilder.ImageBuild("web-build", template_id=tpl.id, triggers={"release": "42"})

    def check(values):
        image_ids, components = values
        assert image_ids == {"cn-hangzhou": "m-home", "cn-shanghai": "m-copy"}
        assert components == ["nginx-id"]
        types = {name: args.typ for name, args in mocks.created.items()}
        assert types == {"nginx": "pulumi-python:dynamic/imagebuilder:ImageComponent",
                         "web": "pulumi-python:dynamic/imagebuilder:ImageTemplate",
                         "web-build": "pulumi-python:dynamic/imagebuilder:ImageBuild"}
        inputs = mocks.created["web-build"].inputs
        assert inputs["_identity"] == "proj/dev/web-build" and inputs["template_id"] == "web-id"
        assert "__provider" in inputs

    return pulumi.Output.all(build.image_ids, tpl.build_components).apply(check)


@pulumi.runtime.test
def test_args_objects_and_keyword_arguments_register_the_same_inputs(mocks):
    first = imagebuilder.ImageComponent("a", imagebuilder.ImageComponentArgs(content="RUN a",
                                                                             tags={"t": "1"}))
    second = imagebuilder.ImageComponent("b", content="RUN a", tags={"t": "1"})

    def check(_):
        a, b = mocks.created["a"].inputs, mocks.created["b"].inputs
        hidden = ("__provider", "_identity")
        assert {k: v for k, v in a.items() if k not in hidden} == \
               {k: v for k, v in b.items() if k not in hidden} == {
                   "content": "RUN a", "tags": {"t": "1"},
                   "parameters": []}  # carries the secrecy of content to the parameters output
        assert (a["_identity"], b["_identity"]) == ("proj/dev/a", "proj/dev/b")

    return pulumi.Output.all(first.id, second.id).apply(check)


class Group(pulumi.ComponentResource):
    def __init__(self, name: str) -> None:
        super().__init__("acme:images:Group", name)
        options = pulumi.ResourceOptions(parent=self)
        self.template = imagebuilder.ImageTemplate("web", options, base_image_type="IMAGE",
                                                   base_image="m-1")
        self.component = imagebuilder.ImageComponent("web", options, content="RUN a")
        self.build = imagebuilder.ImageBuild("web", options, template_id=self.template.id)


@pulumi.runtime.test
def test_identity_of_every_resource_holds_its_parent_chain(mocks):
    """Two resources of one name under different parents get different idempotency tokens."""
    groups = [Group("blue"), Group("green")]

    def check(_):
        for typ in ("ImageTemplate", "ImageComponent", "ImageBuild"):
            identities = sorted(args.inputs["_identity"] for args in mocks.registered
                                if args.typ.endswith(f":{typ}"))
            assert len(identities) == 2 and all(
                identity.startswith("urn:pulumi:dev::proj::")
                and identity.endswith(f"acme:images:Group::{group}/web")
                for identity, group in zip(identities, ("blue", "green"), strict=False))

    return pulumi.Output.all(*(r.id for g in groups for r in (g.template, g.component, g.build))
                             ).apply(check)


def test_a_missing_required_property_is_a_type_error_naming_it(mocks):
    with pytest.raises(TypeError, match="template_id"):
        imagebuilder.ImageBuild("b")


def test_args_and_keywords_together_are_refused(mocks):
    with pytest.raises(TypeError, match="ImageBuildArgs or keyword"):
        imagebuilder.ImageBuild("b", imagebuilder.ImageBuildArgs(template_id="ip-1"),
                                template_id="ip-2")


@pulumi.runtime.test
def test_get_reads_an_existing_resource_by_id(mocks):
    found = imagebuilder.ImageBuild.get("old", "exec-123")

    def check(resource_id):
        assert resource_id == "exec-123" and mocks.created["old"].resource_id == "exec-123"

    return found.id.apply(check)


@pulumi.runtime.test
def test_resource_options_pass_through(mocks):
    def transform(_args):
        return None

    template = imagebuilder.ImageTemplate("t", pulumi.ResourceOptions(transforms=[transform]),
                                          base_image_type="IMAGE", base_image="m-1")

    def check(_):
        assert mocks.created["t"].transforms

    return template.id.apply(check)


def test_outputs_are_documented_properties():
    doc = imagebuilder.ImageBuild.image_ids.__doc__
    assert isinstance(imagebuilder.ImageBuild.image_ids, property)
    assert "Region id to image id" in doc
    assert "template_id" in imagebuilder.ImageBuild.__init__.__doc__


def test_importing_the_sdk_loads_neither_the_ecs_sdk_nor_the_models():
    probe = ("import sys, pulumi_alicloud_imagebuilder; "
             "print(sorted(m for m in ('alibabacloud_ecs20140526', 'pydantic', "
             "'alicloud_imagebuilder_provider.models') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"
