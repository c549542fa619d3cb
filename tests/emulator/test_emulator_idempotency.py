"""ClientToken idempotency of every action that takes one (CreateImagePipeline,
CreateImageComponent, StartImagePipelineExecution): the same token with the same parameters returns
the first result, with other parameters IdempotentParameterMismatch, as the idempotency guide
says."""

from __future__ import annotations

import pytest
from alibabacloud_ecs20140526 import models as m
from emulator_testkit import HOME, PHASE, Api, expect_error

TAG = [m.CreateImagePipelineRequestTag(key="team", value="web")]


def _template(api: Api, token: str, **fields) -> str:
    return api.template(client_token=token, **fields)


def _component(api: Api, token: str, **fields) -> str:
    return api.component(client_token=token, **fields)


def _build(api: Api, token: str, **fields) -> str:
    templates = api.template_ids()  # always the same template: the only one
    return api.start(templates[0] if templates else api.template(), client_token=token, **fields)


def _count(api: Api, action: str) -> int:
    region = api.emulator.state()["regions"].get(HOME, {})
    key = {"CreateImagePipeline": "templates", "CreateImageComponent": "components",
           "StartImagePipelineExecution": "executions"}[action]
    return len(region.get(key, []))


# action, how to call it with a token, a change of one parameter
CASES = [
    ("CreateImagePipeline", _template, {"name": "other"}),
    ("CreateImagePipeline", _template, {"tag": TAG}),
    ("CreateImagePipeline", _template, {"build_content": "RUN echo changed"}),
    ("CreateImagePipeline", _template,
     {"image_options": m.CreateImagePipelineRequestImageOptions(image_name="x1")}),
    ("CreateImageComponent", _component, {"description": "changed text"}),
    ("CreateImageComponent", _component,
     {"tag": [m.CreateImageComponentRequestTag(key="team", value="web")]}),
    ("StartImagePipelineExecution", _build,
     {"tag": [m.StartImagePipelineExecutionRequestTag(key="k", value="v")]}),
]


@pytest.mark.parametrize(("action", "call", "change"), CASES,
                         ids=[f"{c[0]}-{next(iter(c[2]))}" for c in CASES])
def test_the_same_token_with_other_parameters_is_a_mismatch_and_creates_nothing(api, action, call,
                                                                                change):
    first = call(api, "token-1")
    assert call(api, "token-1") == first  # same parameters: the first result, nothing new
    before = _count(api, action)
    error = expect_error(400, "IdempotentParameterMismatch", call, api, "token-1", **change)
    assert "token-1" in error.message and first in error.message
    assert _count(api, action) == before


def test_a_build_token_covers_the_template_it_starts(api, emulator):
    first_template, second_template = api.template(), api.template()
    first = api.start(first_template, client_token="build")
    emulator.advance(PHASE * 12)
    expect_error(400, "IdempotentParameterMismatch", api.start, second_template,
                 client_token="build")
    assert api.executions(image_pipeline_id=second_template).total_count == 0
    assert api.start(first_template, client_token="build") == first


def test_equal_values_in_another_spelling_are_the_same_parameters(api):
    first = api.template(client_token="t", delete_instance_on_failure=True,
                         internet_max_bandwidth_out=5)
    client = api.client
    again = client.create_image_pipeline(m.CreateImagePipelineRequest(
        region_id=HOME, base_image_type="IMAGE_FAMILY",
        base_image="acs:alibaba_cloud_linux_3_2104_lts_x64",
        build_content="RUN echo hello", delete_instance_on_failure=True,
        internet_max_bandwidth_out=5,
        client_token="t", description=""))  # an empty value counts as absent
    assert again.body.image_pipeline_id == first


def test_a_token_is_scoped_to_its_action_and_region(emulator):
    hangzhou, singapore = Api(emulator, HOME), Api(emulator, "ap-southeast-1")
    template_here = hangzhou.template(client_token="shared")
    template_there = singapore.template(client_token="shared", name="different")
    component_here = hangzhou.component(client_token="shared")
    assert len({template_here, template_there, component_here}) == 3


def test_a_failed_request_does_not_bind_its_token(api):
    expect_error(400, "InvalidName.Malformed", api.template, client_token="retry-me", name="1bad")
    assert api.template(client_token="retry-me", name="good") in api.template_ids()


@pytest.mark.parametrize("kind", ["template", "component", "build"])
def test_a_token_whose_object_was_deleted_returns_the_old_id_and_creates_nothing(api, emulator,
                                                                                 kind):
    if kind == "template":
        first = api.template(client_token="gone")
        api.delete_template(first)
        assert api.template(client_token="gone") == first
        assert api.template_ids() == []
    elif kind == "component":
        first = api.component(client_token="gone")
        api.client.delete_image_component(m.DeleteImageComponentRequest(region_id=HOME,
                                                                        image_component_id=first))
        assert api.component(client_token="gone") == first
        assert api.component_ids() == []
    else:
        pipeline_id = api.template()
        first = api.start(pipeline_id, client_token="gone")
        emulator.advance(PHASE * 12)
        api.delete_template(pipeline_id)
        assert api.start(pipeline_id, client_token="gone") == first
        assert emulator.state()["regions"][HOME]["executions"] == []
