"""Image components: create, versions, describe, delete, and COMPONENT lines in templates."""

from __future__ import annotations

from alibabacloud_ecs20140526 import models as m
from emulator_testkit import HOME, expect_error

YAML = """
Parameters:
  version:
    Type: String
    DefaultValue: "1.26"
  port:
    Type: Number
Tasks:
  - Name: install
    Action: RunShellCommand
    Properties:
      commandContent: echo nginx {{ version }} on {{ port }}
"""


def _only(body):
    (found,) = body.image_component.image_component_set
    return found


def test_a_component_reads_back_with_defaults_and_declared_parameters(api):
    component_id = api.component(name="nginx", description="installs nginx", content=YAML,
                                 tag=[m.CreateImageComponentRequestTag(key="team", value="web")])
    found = _only(api.components(image_component_id=[component_id]))
    assert component_id.startswith("ic-")
    assert (found.name, found.description, found.owner) == ("nginx", "installs nginx", "SELF")
    assert (found.component_type, found.system_type, found.component_version) == ("Build", "Linux",
                                                                                  "1.0.0")
    assert found.content == YAML
    assert [(p.name, p.type, p.default_value) for p in found.parameters.parameter] == [
        ("version", "String", "1.26"), ("port", "Number", "")]
    assert [(t.tag_key, t.tag_value) for t in found.tags.tag] == [("team", "web")]


def test_versions_default_to_the_next_major_and_a_pair_is_unique(api):
    api.component(name="base")
    api.component(name="base", component_version="1.4.2")
    third = api.component(name="base")
    assert _only(api.components(image_component_id=[third])).component_version == "2.0.0"
    expect_error(403, "InvalidComponentVersion.Exist", api.component, name="base",
                 component_version="1.4.2")
    expect_error(400, "InvalidParameter.ComponentVersion", api.component, name="base",
                 component_version="1.4")


def test_describe_filters_and_pages(api):
    ids = [api.component(name=f"c{i}") for i in range(5)]
    test_id = api.component(name="checks", component_type="Test")
    page = api.components(max_results=4)
    assert page.total_count == 6 and len(page.image_component.image_component_set) == 4
    assert api.component_ids(max_results=4, next_token=page.next_token) == ids[1::-1]
    assert api.component_ids(component_type="Test") == [test_id]
    assert _only(api.components(name="c3")).image_component_id == ids[3]
    expect_error(400, "InvalidParameter.Owner", api.components, owner="SOMEONE")
    expect_error(400, "InvalidImageComponentIdSize.ExceededMaxNumber", api.components,
                 image_component_id=[f"ic-{i}" for i in range(21)])
    expect_error(403, "Invalid.NextToken", api.components, next_token="bm9wZQ")


def test_client_token_makes_component_creation_idempotent(api):
    assert api.component(name="once", client_token="tok") == api.component(name="once",
                                                                           client_token="tok")
    assert api.components().total_count == 1


def test_components_are_referenced_by_id_or_by_name_and_version_with_a_wildcard(api, emulator):
    old = api.component(name="hardening", component_version="1.0.0", content="RUN echo old")
    new = api.component(name="hardening", component_version="1.2.0", content="RUN echo new")
    uid = emulator.account_id
    by_id = api.template(build_content=f"COMPONENT {old}")
    arn = f"acs:ecs:{HOME}:{uid}:imagecomponent/hardening"
    by_wildcard = api.template(build_content=f"COMPONENT {arn}/1.*.*")
    by_exact = api.template(build_content=f"COMPONENT {arn}/1.0.0")
    templates = {t["ImagePipelineId"]: t for t in emulator.state()["regions"][HOME]["templates"]}
    assert templates[by_id]["ImageComponentIds"] == [old]
    assert templates[by_wildcard]["ImageComponentIds"] == [new]
    assert templates[by_exact]["ImageComponentIds"] == [old]


def test_unknown_components_and_type_mismatches_are_refused(api, emulator):
    test_component = api.component(name="probe", component_type="Test")
    build_component = api.component(name="setup")
    windows = api.component(name="winsetup", system_type="Windows",
                            content="Tasks:\n  - Name: a\n    Action: RunPowerShellCommand\n"
                                    "    Properties:\n      commandContent: Write-Output hi\n")
    expect_error(404, "ImageComponent.NotFound", api.template,
                 build_content="COMPONENT ic-doesnotexist000000000")
    other_account = f"acs:ecs:{HOME}:999:imagecomponent/setup/*"
    expect_error(404, "ImageComponent.NotFound", api.template,
                 build_content=f"COMPONENT {other_account}")
    mismatch = "InvalidComponentType.NotSupportedValue"
    expect_error(400, mismatch, api.template, build_content=f"COMPONENT {test_component}")
    expect_error(400, mismatch, api.template, test_content=f"COMPONENT {build_component}")
    expect_error(400, "InvalidSystemType.NotSupportedValue", api.template,
                 build_content=f"COMPONENT {windows}")
    assert api.templates().total_count == 0


def test_component_parameters_are_checked_against_the_declaration(api):
    component_id = api.component(name="param", content=YAML)
    error = expect_error(400, "InvalidParameter.BuildContent", api.template,
                         build_content=f"COMPONENT {component_id}")
    assert "port" in error.message
    expect_error(400, "InvalidParameter.BuildContent", api.template,
                 build_content=f"COMPONENT {component_id} --port 80 --colour blue")
    expect_error(400, "InvalidParameter.BuildContent", api.template,
                 build_content=f"COMPONENT {component_id} --port eighty")
    test_component = api.component(name="paramtest", component_type="Test", content=YAML)
    expect_error(400, "InvalidParameter.TestContent", api.template,
                 test_content=f"COMPONENT {test_component}")
    content = f"COMPONENT {component_id} --port=8080 --version 1.27"
    assert api.template(build_content=content).startswith("ip-")


def test_a_component_in_use_cannot_be_deleted_until_its_templates_are_gone(api):
    component_id = api.component(name="used")
    pipeline_id = api.template(build_content=f"COMPONENT {component_id}")
    delete = api.client.delete_image_component
    request = m.DeleteImageComponentRequest(region_id=HOME, image_component_id=component_id)
    expect_error(403, "InvalidImageComponent.InUse", delete, request)
    api.delete_template(pipeline_id)
    delete(request)
    expect_error(404, "InvalidImageComponent.NotFound", delete, request)


def test_component_content_rules(api):
    expect_error(404, "NotSupportedCommand.FROM", api.component, content="FROM centos\nRUN echo")
    expect_error(400, "InvalidCommand.Component", api.component, content="COMPONENT ic-abc")
    expect_error(400, "InvalidImageTemplateCommand.NotSupported", api.component,
                 content="INSTALL nginx")
    expect_error(400, "EmptyCommandContent.RUN", api.component, content="RUN")
    expect_error(400, "NotEmptyCommandContent.RESTART", api.component, content="RESTART now")
    expect_error(400, "MissingParameter.Content", api.component, content=None)
    expect_error(400, "InvalidContent.LengthExceeded", api.component,
                 content="RUN echo " + "x" * 16384)
    expect_error(400, "InvalidParameter.Content", api.component, content="Tasks: []")
    expect_error(400, "InvalidParameter.Content", api.component,
                 content="Tasks:\n  - Name: a\n    Action: Teleport\n")
    expect_error(400, "InvalidSystemType.NotSupportedValue", api.component, system_type="Windows",
                 content="RUN echo linux-only form")
    expect_error(400, "InvalidSystemType.NotSupportedValue", api.component, system_type="Solaris")
    expect_error(400, "InvalidComponentType.NotSupportedValue", api.component,
                 component_type="Deploy")
    expect_error(400, "InvalidName.Malformed", api.component, name="9lives")
    too_many = "InvalidImageTemplateCommandSize.ExceededMaxNumber"
    expect_error(400, too_many, api.component, content="\n".join(["RUN true"] * 128))
    tasks = "".join(f"  - Name: t{i}\n    Action: RunShellCommand\n" for i in range(128))
    expect_error(400, too_many, api.component, content="Tasks:\n" + tasks)
    assert api.component(content="# a comment\n" + "\n".join(["RUN true"] * 127)).startswith("ic-")
    expect_error(400, "InvalidDescription.Malformed", api.component, description="https://example.com")


def test_owner_aliyun_lists_system_components_that_templates_can_use(api, emulator):
    system = api.components(owner="ALIYUN").image_component.image_component_set
    assert len(system) >= 3 and {c.owner for c in system} == {"ALIYUN"}
    assert {c.component_type for c in system} == {"Build", "Test"}
    assert api.component_ids() == []  # without Owner: only the caller's own
    (reboot,) = [c for c in system if c.name == "aliyun-reboot-linux"]
    assert [c.image_component_id for c in api.components(owner="ALIYUN", name="aliyun-reboot-linux")
            .image_component.image_component_set] == [reboot.image_component_id]
    execution = api.build(build_content=f"RUN echo ready\nCOMPONENT {reboot.image_component_id}")
    assert execution.status == "SUCCESS"
    delete = api.client.delete_image_component
    expect_error(404, "InvalidImageComponent.NotFound", delete,
                 m.DeleteImageComponentRequest(region_id=HOME,
                                               image_component_id=reboot.image_component_id))
    assert api.components(owner="ALIYUN",
                          image_component_id=[reboot.image_component_id]).total_count == 1


def test_the_component_quota_is_enforced(api, emulator):
    emulator.configure(component_quota=2)
    api.component(name="first")
    api.component(name="second")
    expect_error(400, "QuotaExceed.ImageComponent", api.component, name="third")
