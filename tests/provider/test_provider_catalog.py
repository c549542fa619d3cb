"""ImageComponent and ImageTemplate: create, read (drift, deletion), diff after read, delete."""

from __future__ import annotations

import dataclasses

import pytest
from alibabacloud_ecs20140526 import models as ecs

from alicloud_imagebuilder_provider.errors import ProviderError
from alicloud_imagebuilder_provider.models.component import ImageComponentState
from alicloud_imagebuilder_provider.models.template import ImageTemplateState

from provider_testkit import BASE, COPIES, HOME

YAML_COMPONENT = """Parameters:
  version:
    Type: String
    DefaultValue: "1.26"
Tasks:
  - Name: install
    Action: RunShellCommand
    Properties:
      commandContent: yum install -y nginx-{{ version }}
"""


def test_component_create_outputs_what_the_service_resolved(emulator, components):
    created = components.create(ImageComponentState.load(
        {"component_name": "nginx", "content": YAML_COMPONENT, "tags": {"team": "web"}}))
    outs = created.outs
    assert created.id.startswith("ic-") and outs.component_version == "1.0.0"
    assert outs.owner == "SELF" and outs.creation_time and outs.region == HOME
    assert outs.dump()["parameters"] == [
        {"name": "version", "type": "String", "default_value": "1.26"}]
    assert outs.tags == {"team": "web"} and outs.component_type == "Build"


def test_component_refresh_then_preview_shows_no_change(emulator, components):
    inputs = {"component_name": "nginx", "content": "RUN yum install -y nginx\n"}
    created = components.create(ImageComponentState.load(inputs))
    observed = components.read(created.id, created.outs)
    assert observed.outs.dump() == created.outs.dump()
    diff = components.diff(observed.outs.dump(), inputs)
    assert diff.changes is False and diff.replaces == []
    assert components.diff(observed.outs.dump(), observed.inputs.dump()).changes is False


def test_component_change_replaces_and_a_kept_version_deletes_first(components):
    olds = {"component_name": "nginx", "content": "RUN a", "component_version": "1.0.0"}
    diff = components.diff(olds, {**olds, "content": "RUN b"})
    assert diff.replaces == ["content"] and diff.delete_before_replace
    free = components.diff({**olds, "component_version": None},
                           {**olds, "content": "RUN b", "component_version": None})
    assert free.replaces == ["content"] and not free.delete_before_replace


def test_component_deleted_elsewhere_reads_as_gone(emulator, components):
    created = components.create(ImageComponentState.load({"content": "RUN echo hi"}))
    components.delete(created.id, created.outs)
    assert components.read(created.id, created.outs).id is None
    components.delete(created.id, created.outs)  # not found on delete is success


def test_component_in_use_cannot_be_deleted_and_says_why(emulator, components, template):
    created = components.create(ImageComponentState.load({"content": "RUN echo hi"}))
    template(build_components=[created.id], build_content=None)
    with pytest.raises(ProviderError) as failure:
        components.delete(created.id, created.outs)
    assert created.id in str(failure.value) and "build_components" in str(failure.value)
    assert "InvalidImageComponent.InUse" in str(failure.value)


def test_template_renders_components_with_parameters(emulator, components, template):
    component = components.create(ImageComponentState.load({"content": YAML_COMPONENT}))
    template_id, outs = template(
        build_components=[component.id, {"component_id": component.id,
                                         "parameters": {"version": "1.27 beta"}}])
    stored = emulator.state()["regions"][HOME]["templates"][0]["BuildContent"]
    assert stored.splitlines() == [f"COMPONENT {component.id}",
                                   f"COMPONENT {component.id} --version '1.27 beta'",
                                   "RUN echo hello"]
    assert outs.dump()["build_components"][1]["parameters"] == {"version": "1.27 beta"}


def test_template_outputs_every_field_as_read_back(emulator, template):
    template_id, outs = template(description="web servers", tags={"env": "prod"},
                                 image_family="web-family", image_tags={"app": "web"},
                                 repair_mode="Customized", repair_items=["grub", "fstab"],
                                 retain_cloud_assistant=False, nvme_support="supported")
    assert outs.template_name == template_id  # the service's default name
    assert outs.system_disk_size == 40 and outs.delete_instance_on_failure is True
    assert outs.repair_items == ["grub", "fstab"] and outs.image_tags == {"app": "web"}
    assert outs.retain_cloud_assistant is False and outs.nvme_support == "supported"
    assert outs.creation_time and outs.region == HOME


def test_template_second_up_and_refresh_show_no_change(emulator, templates, template):
    inputs = {**BASE, "build_content": "RUN echo hello", "to_region_ids": COPIES,
              "add_accounts": ["1234567890123456"], "image_name": "web",
              "internet_max_bandwidth_out": 10}
    created = templates.create(ImageTemplateState.load(inputs))
    assert templates.diff(created.outs.dump(), inputs).changes is False
    observed = templates.read(created.id, created.outs)
    assert observed.outs.dump() == created.outs.dump()
    refreshed = observed.inputs.dump()
    assert {k: refreshed[k] for k in inputs} == inputs  # refreshed inputs keep the program's
    assert templates.diff(observed.outs.dump(), refreshed).changes is False
    reordered = {**inputs, "to_region_ids": list(reversed(COPIES)), "system_disk_size": 40}
    assert templates.diff(observed.outs.dump(), reordered).changes is False


def test_template_change_replaces(templates, template):
    _, outs = template()
    diff = templates.diff(outs.dump(), {**outs.inputs().dump(), "system_disk_size": 80})
    assert diff.changes and diff.replaces == ["system_disk_size"]


def test_a_template_tag_change_is_not_applied_and_the_preview_says_so(templates, template):
    """ECS cannot retag a template; a new template would rebuild every build of it."""
    _, outs = template(tags={"team": "web"})
    diff = templates.diff(outs.dump(), {**outs.inputs().dump(), "tags": {"team": "ops"}})
    assert diff.changes is False and diff.replaces == [] and diff.updates == []
    [warning] = diff.warnings
    assert "ImageTemplate.tags" in warning and "NOT applied" in warning
    assert "rebuild images" in warning


def test_template_read_detects_field_drift(emulator, templates, template):
    template_id, outs = template()
    pipeline = emulator.backend.ctx.region(HOME).pipelines[template_id]
    pipeline.spec = dataclasses.replace(pipeline.spec, build_content="COMPONENT ic-x1\nRUN other",
                                        to_region_ids=("cn-beijing",))
    observed = templates.read(template_id, outs)
    assert observed.inputs.build_content == "RUN other"
    assert observed.inputs.dump()["build_components"] == [
        {"component_id": "ic-x1", "parameters": {}}]
    assert observed.inputs.to_region_ids == ["cn-beijing"]
    diff = templates.diff(observed.outs.dump(), outs.inputs().dump())
    assert set(diff.replaces) == {"build_content", "build_components", "to_region_ids"}


def test_template_deleted_elsewhere_reads_as_gone(emulator, templates, template):
    template_id, outs = template()
    emulator.client(HOME).delete_image_pipeline(
        ecs.DeleteImagePipelineRequest(region_id=HOME, image_pipeline_id=template_id))
    assert templates.read(template_id, outs).id is None
    templates.delete(template_id, outs)


def test_template_delete_waits_for_a_running_build(emulator, templates, template,
                                                    progress):
    emulator.configure(phase_seconds=1.0)
    template_id, outs = template()
    started = emulator.client(HOME).start_image_pipeline_execution(
        ecs.StartImagePipelineExecutionRequest(region_id=HOME, image_pipeline_id=template_id))
    assert started.body.execution_id
    templates.delete(template_id, outs)
    assert emulator.state()["regions"][HOME]["templates"] == []
    assert progress.mentions("waiting for it to end")


def test_create_in_the_resources_own_region(emulator, template):
    template_id, outs = template(region="cn-beijing", to_region_ids=None)
    assert outs.region == "cn-beijing"
    assert [t["ImagePipelineId"] for t in emulator.state()["regions"]["cn-beijing"]["templates"]] \
        == [template_id]


def test_a_bad_value_only_the_service_knows_surfaces_its_code(emulator, templates):
    with pytest.raises(ProviderError) as failure:
        templates.create(ImageTemplateState.load({**BASE, "base_image": "acs:no_such_family"}))
    assert "InvalidImage.NotFound" in str(failure.value) and "request id" in str(failure.value)
    assert emulator.counts() == {"CreateImagePipeline": 1}  # at once: no retry, no wait


def test_templates_never_change_in_place(templates, template):
    assert all(prop.update in ("replace", "create_only") or prop.hidden
               for _n, _i, prop in templates.INPUTS.props())
    template_id, outs = template()
    with pytest.raises(ProviderError, match="every change replaces it"):
        templates.update(template_id, outs, outs.inputs().model_copy(
            update={"description": "new"}))


def component_tags(emulator, component_id: str) -> dict[str, str]:
    [item] = [c for c in emulator.state()["regions"][HOME]["components"]
              if c["ImageComponentId"] == component_id]
    return {t["TagKey"]: t["TagValue"] for t in item["Tags"]["Tag"]}


def test_component_tags_and_resource_group_change_in_place(emulator, components):
    created = components.create(ImageComponentState.load(
        {"content": "RUN echo hi", "tags": {"team": "web", "old": "1"}}))
    news = {**created.outs.inputs().dump(), "tags": {"team": "ops", "new": "2"},
            "resource_group_id": "rg-emulator-prod"}
    diff = components.diff(created.outs.dump(), news)
    assert diff.changes and diff.replaces == []
    assert set(diff.updates) == {"tags", "resource_group_id"}
    outs = components.update(created.id, created.outs, ImageComponentState.load(news))
    assert component_tags(emulator, created.id) == {"team": "ops", "new": "2"}
    assert outs.tags == {"team": "ops", "new": "2"}
    assert outs.resource_group_id == "rg-emulator-prod"
    calls = {r.action: r.parameters for r in emulator.requests if r.status == 200}
    assert calls["UntagResources"]["ResourceType"] == "imagecomponent"
    assert calls["UntagResources"]["TagKey.1"] == "old"
    assert calls["TagResources"]["ResourceType"] == "imagecomponent"
    assert calls["JoinResourceGroup"]["ResourceId"] == created.id
    assert len(emulator.state()["regions"][HOME]["components"]) == 1
    assert components.diff(outs.dump(), news).changes is False


def test_a_create_retried_with_the_same_identity_and_inputs_adopts_what_it_made(
        emulator, templates, components, template):
    """What a crash between the create call and the state write leaves: the next run adopts."""
    component_inputs = ImageComponentState.load({"content": "RUN echo hi"})
    first = components.create(component_inputs, "proj/dev/group/nginx")
    assert components.create(component_inputs, "proj/dev/group/nginx").id == first.id
    template_id, _ = template(identity="proj/dev/web")
    assert template(identity="proj/dev/web")[0] == template_id
    state = emulator.state()["regions"][HOME]
    assert len(state["templates"]) == 1 and len(state["components"]) == 1


def test_another_identity_or_other_inputs_never_adopt(emulator, template):
    template_id, _ = template(identity="proj/dev/web")
    assert template(identity="proj/dev/other-parent/web")[0] != template_id
    assert template(identity="proj/dev/web", tags={"team": "web"})[0] != template_id
    assert len(emulator.state()["regions"][HOME]["templates"]) == 3


def test_a_token_whose_template_was_deleted_since_makes_a_new_one(emulator, templates, template,
                                                                   progress):
    template_id, outs = template(identity="proj/dev/web")
    templates.delete(template_id, outs)
    again, _ = template(identity="proj/dev/web")
    assert again != template_id
    assert [t["ImagePipelineId"] for t in emulator.state()["regions"][HOME]["templates"]] == [again]
    assert progress.mentions(f"{template_id}, made earlier with these inputs, has since been "
                             "deleted")


def test_the_identity_added_to_an_existing_stack_changes_nothing(templates, template):
    _template_id, outs = template()
    olds = {k: v for k, v in outs.dump().items() if k != "_identity"}
    news = {**outs.inputs().dump(), "_identity": "proj/dev/web"}
    assert templates.diff(olds, news).changes is False
