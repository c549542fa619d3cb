"""Faults: seeded throttling and server errors, one-shot injected faults; a faulted request changes
no state and is counted with its code."""

from __future__ import annotations

import pytest
from alibabacloud_ecs20140526 import models as m
from alibabacloud_tea_openapi.exceptions import (
    AlibabaCloudException,
    ClientException,
    ServerException,
    ThrottlingException,
)
from emulator_testkit import Api, expect_error

REGIONS_REQUEST = m.DescribeRegionsRequest()


def _outcomes(emulator, calls=40):
    """The code (or None) of ``calls`` DescribeRegions requests."""
    client, seen = emulator.client(), []
    for _ in range(calls):
        try:
            client.describe_regions(REGIONS_REQUEST)
            seen.append(None)
        except AlibabaCloudException as error:
            seen.append(error.code)
    return seen


def test_throttling_answers_every_documented_variant(emulator):
    emulator.configure(throttle_rate=1.0, seed=7)
    client, kinds = emulator.client(), set()
    for _ in range(60):
        with pytest.raises(AlibabaCloudException) as caught:
            client.describe_regions(REGIONS_REQUEST)
        error = caught.value
        if isinstance(error, ThrottlingException):
            assert (error.status_code, error.code) == (403, "Throttling") and error.retry_after > 0
            kinds.add("retry-after")
        else:
            assert isinstance(error, ClientException)
            assert (error.status_code, error.code) in {(403, "Throttling"),
                                                       (400, "Throttling.User"),
                                                       (400, "Throttling.Api")}
            kinds.add(error.code)
    assert kinds == {"retry-after", "Throttling", "Throttling.User", "Throttling.Api"}


def test_error_rate_answers_server_errors(emulator):
    emulator.configure(error_rate=1.0)
    codes = set()
    for _ in range(20):
        with pytest.raises(ServerException) as caught:
            emulator.client().describe_regions(REGIONS_REQUEST)
        codes.add((caught.value.status_code, caught.value.code))
    assert codes == {(503, "ServiceUnavailable"), (500, "InternalError")}


def test_the_same_seed_repeats_the_same_faults(imagebuilder_emulator_factory):
    options = {"throttle_rate": 0.3, "error_rate": 0.2}
    first = _outcomes(imagebuilder_emulator_factory(seed=42, **options))
    again = _outcomes(imagebuilder_emulator_factory(seed=42, **options))
    other = _outcomes(imagebuilder_emulator_factory(seed=43, **options))
    assert first == again != other
    assert 0 < first.count(None) < len(first)


def test_a_faulted_request_changes_no_state_and_is_logged_with_its_code(api, emulator):
    emulator.configure(error_rate=1.0)
    with pytest.raises(ServerException):
        api.template()
    emulator.configure(error_rate=0.0)
    assert emulator.state()["regions"] == {}
    (record,) = emulator.requests
    assert record.action == "CreateImagePipeline" and record.code in {"ServiceUnavailable",
                                                                      "InternalError"}
    assert emulator.count("CreateImagePipeline") == 1


def test_fault_actions_limit_faults_to_the_named_actions(api, emulator):
    emulator.configure(throttle_rate=1.0, fault_actions=["StartImagePipelineExecution"])
    pipeline_id = api.template()
    with pytest.raises(AlibabaCloudException) as caught:
        api.start(pipeline_id)
    assert caught.value.code.startswith("Throttling")
    assert api.executions(image_pipeline_id=pipeline_id).total_count == 0


def test_injected_faults_answer_the_next_calls_of_an_action_once_each(api, emulator):
    emulator.configure(inject=[{"action": "StartImagePipelineExecution", "code": "Throttling",
                                "count": 2, "retry_after_ms": 250},
                               {"action": "StartImagePipelineExecution",
                                "code": "StartImagePipelineExecution.Failed", "status": 500}])
    pipeline_id = api.template()  # another action: not affected
    with pytest.raises(ThrottlingException) as caught:
        api.start(pipeline_id)
    assert caught.value.retry_after == 250
    expect_error(403, "Throttling", api.start, pipeline_id)
    expect_error(500, "StartImagePipelineExecution.Failed", api.start, pipeline_id)
    assert api.start(pipeline_id).startswith("exec-")
    assert emulator.count("StartImagePipelineExecution") == 4


def test_an_after_apply_fault_makes_the_change_and_loses_the_answer(api, emulator):
    emulator.configure(inject=[{"action": "CreateImagePipeline", "code": "ServiceUnavailable",
                                "after_apply": True}])
    expect_error(503, "ServiceUnavailable", api.template, client_token="lost-answer")
    (created,) = emulator.state()["regions"]["cn-hangzhou"]["templates"]
    assert emulator.requests[-1].code == "ServiceUnavailable"
    # the retry adopts it
    assert api.template(client_token="lost-answer") == created["ImagePipelineId"]
    assert api.templates().total_count == 1


def test_bad_fault_settings_are_refused_with_the_setting_named(emulator):
    for bad, name in [({"throttle_rate": 1.5}, "throttle_rate"),
                      ({"error_rate": "lots"}, "error_rate"),
                      ({"throttle_rate": 0.6, "error_rate": 0.6}, r"throttle_rate \+ error_rate"),
                      ({"fail_distribution_to": ["atlantis-1"]}, "fail_distribution_to"),
                      ({"inject": [{"code": "Mystery"}]}, "status"), ({"colour": "red"}, "colour"),
                      ({"inject": [{"code": "Throttling", "after_apply": "yes"}]}, "after_apply")]:
        with pytest.raises(ValueError, match=name):
            emulator.configure(**bad)


def test_faults_can_be_cleared_again(emulator):
    emulator.configure(throttle_rate=1.0)
    emulator.configure(throttle_rate=0.0)
    api = Api(emulator)
    assert api.template().startswith("ip-")


def test_a_delay_holds_the_chosen_actions_past_a_clients_read_timeout(
        imagebuilder_emulator_factory):
    emulator = imagebuilder_emulator_factory(delay_seconds=3, fault_actions=["DescribeRegions"])
    impatient = emulator.client(read_timeout=300)  # milliseconds
    with pytest.raises(Exception, match="timed out"):
        impatient.describe_regions(REGIONS_REQUEST)
    impatient.describe_images(m.DescribeImagesRequest(region_id="cn-hangzhou"))  # not held
    emulator.configure(delay_seconds=0)
    assert impatient.describe_regions(REGIONS_REQUEST).body.regions.region


def test_a_bad_delay_is_refused_naming_the_setting(emulator):
    with pytest.raises(ValueError, match="delay_seconds must be between 0 and 600"):
        emulator.configure(delay_seconds=-1)
