"""Tags and resource groups changed in place (TagResources, UntagResources, ListTagResources,
JoinResourceGroup) for image components and images, as Terraform does for components; templates
cannot be tagged after create."""

from __future__ import annotations

import pytest
from alibabacloud_ecs20140526 import models as m
from emulator_testkit import HOME, PHASE, Api, expect_error


def _tag(api: Api, resource_ids, tags: dict, resource_type: str = "imagecomponent") -> None:
    api.client.tag_resources(m.TagResourcesRequest(
        region_id=api.region, resource_type=resource_type, resource_id=list(resource_ids),
        tag=[m.TagResourcesRequestTag(key=k, value=v) for k, v in tags.items()]))


def _untag(api: Api, resource_ids, keys=None, resource_type: str = "imagecomponent",
           **fields) -> None:
    api.client.untag_resources(m.UntagResourcesRequest(
        region_id=api.region, resource_type=resource_type, resource_id=list(resource_ids),
        tag_key=keys, **fields))


def _listed(api: Api, resource_type: str = "imagecomponent",
            **fields) -> m.ListTagResourcesResponseBody:
    return api.client.list_tag_resources(m.ListTagResourcesRequest(
        region_id=api.region, resource_type=resource_type, **fields)).body


def _entries(body: m.ListTagResourcesResponseBody) -> list[tuple[str, str, str, str]]:
    return [(e.resource_id, e.resource_type, e.tag_key, e.tag_value)
            for e in body.tag_resources.tag_resource]


def _component_tags(api: Api, component_id: str) -> dict[str, str]:
    (found,) = api.components(image_component_id=[component_id]).image_component.image_component_set
    return {tag.tag_key: tag.tag_value for tag in found.tags.tag}


def _join(api: Api, resource_id: str, group: str | None,
          resource_type: str | None = "imagecomponent") -> None:
    api.client.join_resource_group(m.JoinResourceGroupRequest(
        region_id=api.region, resource_type=resource_type, resource_id=resource_id,
        resource_group_id=group))


def test_tags_change_in_place_and_show_in_describe_and_its_tag_filter(api):
    first = api.component(tag=[m.CreateImageComponentRequestTag(key="team", value="web")])
    second = api.component()
    _tag(api, [first, second], {"env": "prod", "team": "platform"})
    assert _component_tags(api, first) == {"team": "platform",
                                           "env": "prod"}  # an existing key is overwritten
    env_prod = [m.DescribeImageComponentsRequestTag(key="env", value="prod")]
    assert sorted(api.component_ids(tag=env_prod)) == sorted([first, second])
    _untag(api, [first], ["team", "absent"])
    assert _component_tags(api, first) == {"env": "prod"}
    assert api.component_ids(tag=[m.DescribeImageComponentsRequestTag(key="team")]) == [second]
    _untag(api, [second], all=True)
    assert _component_tags(api, second) == {}


def test_list_tag_resources_returns_one_entry_per_tag_in_the_documented_shape(api):
    first = api.component()
    second = api.component()
    untagged = api.component()
    _tag(api, [first], {"a": "1", "b": "2"})
    _tag(api, [second], {"a": "9"})
    body = _listed(api, resource_id=[first, second, untagged])
    assert _entries(body) == [(first, "imagecomponent", "a", "1"),
                              (first, "imagecomponent", "b", "2"),
                              (second, "imagecomponent", "a", "9")]
    assert body.next_token == ""
    by_tag = _listed(api, tag=[m.ListTagResourcesRequestTag(key="a", value="9")])
    assert {e[0] for e in _entries(by_tag)} == {second}
    by_filter = _listed(api,
                        tag_filter=[m.ListTagResourcesRequestTagFilter(tag_key="*",
                                                                       tag_values=["1*"])])
    assert {e[0] for e in _entries(by_filter)} == {first}
    assert _entries(_listed(api, resource_id=["ic-doesnotexist"])) == []
    expect_error(404, "MissingParameter.Tags", _listed, api)
    expect_error(400, "InvalidParameter.TagValue", _listed, api,
                 tag=[m.ListTagResourcesRequestTag(value="9")])


def test_list_tag_resources_pages_with_next_token(api):
    component_id = api.component()
    _tag(api, [component_id], {f"k{i:02}": "v" for i in range(20)})
    for _ in range(2):
        _tag(api, [api.component()], {f"k{i:02}": "v" for i in range(20)})
    first = _listed(api, tag=[m.ListTagResourcesRequestTag(key="k00")])
    second = _listed(api, tag=[m.ListTagResourcesRequestTag(key="k00")],
                     next_token=first.next_token)
    assert len(_entries(first)) == 50 and len(_entries(second)) == 10 and second.next_token == ""
    assert len(set(_entries(first)) | set(_entries(second))) == 60


def test_images_take_tags_and_resource_groups_too(api, emulator):
    image_id = api.build().image_id
    _tag(api, [image_id], {"release": "2026-11"}, resource_type="image")
    assert {(t.tag_key, t.tag_value) for t in api.image(image_id).tags.tag} == {("release",
                                                                                 "2026-11")}
    tagged = api.images(tag=[m.DescribeImagesRequestTag(key="release")])
    assert [i.image_id for i in tagged] == [image_id]
    _join(api, image_id, "rg-emulator-prod", resource_type="image")
    assert emulator.state()["regions"][HOME]["images"][0]["ResourceGroupId"] == "rg-emulator-prod"


@pytest.mark.parametrize("resource_type", ["imagepipeline", "ImageComponent", "nonsense"])
def test_templates_and_unknown_types_are_refused_as_the_service_refuses_an_unknown_type(api,
                                                                                        resource_type):
    pipeline_id = api.template()
    expect_error(404, "InvalidResourceType.NotFound", _tag, api, [pipeline_id], {"k": "v"},
                 resource_type)
    expect_error(404, "InvalidResourceType.NotFound", _join, api, pipeline_id, "rg-emulator-dev",
                 resource_type)
    assert api.template_info(pipeline_id).tags.tag == []


def test_documented_limits_and_errors(api):
    component_id = api.component()
    too_many = {f"k{i}": "v" for i in range(21)}
    cases = [
        ((404, "InvalidResourceId.NotFound"), ([component_id, "ic-unknown"], {"k": "v"})),
        ((404, "InvalidResourceId.NotFound"), (["i-someinstance"], {"k": "v"}, "instance")),
        ((400, "NumberExceed.ResourceIds"), ([component_id] * 51, {"k": "v"})),
        ((400, "NumberExceed.Tags"), ([component_id], too_many)),
        ((404, "MissingParameter.Tags"), ([component_id], {})),
        ((400, "InvalidTagKey.Malformed"), ([component_id], {"aliyun:owner": "me"})),
        ((400, "InvalidTagKey.Malformed"), ([component_id], {"see https://example.com": "x"})),
        ((400, "InvalidTagValue.Malformed"), ([component_id], {"k": "http://example.com"})),
        ((400, "InvalidTagKey.Malformed"), ([component_id], {"k" * 129: "v"})),
    ]
    for (status, code), args in cases:
        expect_error(status, code, _tag, api, *args)
    assert _component_tags(api, component_id) == {}  # a refused call changes nothing
    expect_error(404, "MissingParameter.ResourceType", api.client.tag_resources,
                 m.TagResourcesRequest(region_id=HOME, resource_id=[component_id],
                                       tag=[m.TagResourcesRequestTag(key="k", value="v")]))
    expect_error(400, "Duplicate.TagKey", api.client.tag_resources, m.TagResourcesRequest(
        region_id=HOME, resource_type="imagecomponent", resource_id=[component_id],
        tag=[m.TagResourcesRequestTag(key="k", value="1"),
             m.TagResourcesRequestTag(key="k", value="2")]))
    expect_error(404, "MissingParameter.Tags", _untag, api, [component_id])


def test_a_resource_holds_at_most_twenty_tags(api):
    component_id = api.component()
    _tag(api, [component_id], {f"k{i}": "v" for i in range(20)})
    _tag(api, [component_id], {"k0": "overwritten"})  # still 20
    expect_error(400, "OperationDenied.QuotaExceed", _tag, api, [component_id], {"one-more": "v"})
    assert len(_component_tags(api, component_id)) == 20


def test_join_resource_group_moves_a_component(api):
    component_id = api.component()
    _join(api, component_id, "rg-emulator-dev")
    (found,) = api.components(image_component_id=[component_id]).image_component.image_component_set
    assert found.resource_group_id == "rg-emulator-dev"
    assert api.component_ids(resource_group_id="rg-emulator-dev") == [component_id]
    expect_error(403, "InvalidResourceGroup.Duplicate", _join, api, component_id, "rg-emulator-dev")
    expect_error(404, "InvalidResourceGroup.NotFound", _join, api, component_id, "rg-nowhere")
    expect_error(404, "InvalidResourceId.NotFound", _join, api, "ic-unknown", "rg-emulator-prod")
    expect_error(403, "MissingParameter", _join, api, component_id, None)


def test_a_tag_change_does_not_touch_templates_builds_or_images(api, emulator):
    component_id = api.component()
    pipeline_id = api.template(build_content=f"COMPONENT {component_id}")
    execution_id = api.start(pipeline_id)
    emulator.advance(PHASE * 12)
    before = emulator.state()
    _tag(api, [component_id], {"k": "v"})
    _join(api, component_id, "rg-emulator-prod")
    after = emulator.state()
    region_before, region_after = before["regions"][HOME], after["regions"][HOME]
    for kind in ("templates", "executions", "images"):
        assert region_after[kind] == region_before[kind]
    assert api.execution(execution_id).status == "SUCCESS"
