"""Builds on the clock: phases, messages, images and copies, one build at a time, cancel."""

from __future__ import annotations


from alibabacloud_ecs20140526 import models as m
from emulator_testkit import OTHER_ACCOUNT, PHASE, Api, expect_error, wait_until

DISTRIBUTED = {
    "test_content": "RUN true",
    "repair_mode": "Standard",
    "to_region_id": ["cn-shanghai", "ap-southeast-1"],
    "add_account": [int(OTHER_ACCOUNT)],
    "image_options": m.CreateImagePipelineRequestImageOptions(image_name="web"),
}


def _timeline(api, emulator, execution_id, steps):
    """(Status, has ImageId, Message) sampled at the middle of each phase."""
    seen = []
    emulator.advance(PHASE / 4)
    for _ in range(steps):
        e = api.execution(execution_id)
        seen.append((e.status, bool(e.image_id), e.message))
        emulator.advance(PHASE)
    return seen


def test_a_full_build_walks_every_phase_with_a_new_message_each_time(api, emulator):
    execution_id = api.start(api.template(**DISTRIBUTED))
    seen = _timeline(api, emulator, execution_id, 8)
    statuses = [status for status, _, _ in seen]
    assert statuses == ["PREPARING", "REPAIRING", "BUILDING", "TESTING", "DISTRIBUTING",
                        "RELEASING", "SUCCESS", "SUCCESS"]
    messages = [message for _, _, message in seen[:7]]
    assert len(set(messages)) == 7 and all(messages)
    assert [has_image for _, has_image, _ in seen] == [False, False, False, True, True, True, True,
                                                       True]


def test_phases_without_repair_tests_or_distribution_are_skipped(api, emulator):
    execution_id = api.start(api.template())
    statuses = [status for status, _, _ in _timeline(api, emulator, execution_id, 4)]
    assert statuses == ["PREPARING", "BUILDING", "RELEASING", "SUCCESS"]


def test_the_home_image_appears_mid_build_creating_then_available_and_usable_only_at_the_end(api,
                                                                                             emulator):
    execution_id = api.start(api.template())
    emulator.advance(PHASE * 1.6)  # past the middle of BUILDING
    execution = api.execution(execution_id)
    assert execution.status == "BUILDING" and execution.image_id.startswith("m-")
    image = api.image(execution.image_id)
    assert (image.status, image.usable) == ("Creating", False)
    assert api.images(image_id=execution.image_id,
                      status=None) == []  # DescribeImages shows Available only by default
    emulator.advance(PHASE)  # RELEASING
    image = api.image(execution.image_id)
    assert (image.status, image.usable) == ("Available", False)
    emulator.advance(PHASE)
    assert api.execution(execution_id).status == "SUCCESS"
    assert api.image(execution.image_id).usable is True


def test_copies_keep_the_name_are_shared_and_become_usable_one_phase_after_success(api, emulator):
    execution_id = api.start(api.template(**DISTRIBUTED))
    emulator.advance(PHASE * 4.2)  # DISTRIBUTING
    home = api.image(api.execution(execution_id).image_id)
    assert home.image_name == f"web_{execution_id}"
    assert api.shared_with(home.image_id) == [OTHER_ACCOUNT]
    (copy,) = api.images("cn-shanghai", image_name=home.image_name)
    assert (copy.status, copy.usable, copy.is_copied) == ("Creating", False, True)
    emulator.advance(PHASE * 2)  # SUCCESS
    assert api.execution(execution_id).status == "SUCCESS"
    for region in ("cn-shanghai", "ap-southeast-1"):
        (copy,) = api.images(region, image_name=home.image_name)
        assert (copy.status, copy.usable) == ("Available", False)
        assert api.shared_with(copy.image_id, region) == [OTHER_ACCOUNT]
    emulator.advance(PHASE)
    assert all(api.images(region, image_name=home.image_name)[0].usable
               for region in ("cn-shanghai", "ap-southeast-1"))


def test_a_repeated_or_home_target_region_gets_no_extra_copy(api):
    execution = api.build(to_region_id=["cn-shanghai", "cn-shanghai", "cn-hangzhou"],
                          image_options=m.CreateImagePipelineRequestImageOptions(image_name="once"))
    assert execution.status == "SUCCESS"
    assert len(api.images("cn-shanghai", image_name="once")) == 1
    assert [i.image_id for i in api.images(image_name="once")] == [execution.image_id]


def test_image_names_follow_prefix_suffix_and_id_rules(api):
    prefixed = api.build(image_options=m.CreateImagePipelineRequestImageOptions(image_name="web"))
    exact = api.build(image_options=m.CreateImagePipelineRequestImageOptions(image_name="exact"),
                      advanced_options=m.CreateImagePipelineRequestAdvancedOptions(image_name_suffix="disable"))
    unnamed = api.build()
    assert api.image(prefixed.image_id).image_name == f"web_{prefixed.execution_id}"
    assert api.image(exact.image_id).image_name == "exact"
    assert api.image(unnamed.image_id).image_name == unnamed.execution_id


def test_a_second_build_with_suffix_disabled_fails_on_the_taken_name(api, emulator):
    pipeline_id = api.template(
        image_options=m.CreateImagePipelineRequestImageOptions(image_name="fixed"),
        advanced_options=m.CreateImagePipelineRequestAdvancedOptions(image_name_suffix="disable"))
    api.start(pipeline_id)
    emulator.advance(PHASE * 12)
    second = api.start(pipeline_id)
    emulator.advance(PHASE * 12)
    execution = api.execution(second)
    assert (execution.status, execution.error_code, execution.image_id) == (
        "FAILED", "InvalidImageName.Duplicated", "")


def test_only_one_build_runs_per_template(api, emulator):
    pipeline_id = api.template()
    first = api.start(pipeline_id)
    error = expect_error(403, "InvalidImagePipeline.HasRunningExecution", api.start, pipeline_id)
    assert first in error.message
    emulator.advance(PHASE * 12)
    second = api.start(pipeline_id)
    assert second != first


def test_client_token_makes_start_idempotent_even_while_running(api, emulator):
    pipeline_id = api.template()
    first = api.start(pipeline_id, client_token="build-1")
    assert api.start(pipeline_id, client_token="build-1") == first
    assert api.executions(image_pipeline_id=pipeline_id).total_count == 1


def test_intermediate_instances_and_transition_vpc_live_while_the_build_runs(api, emulator):
    api.start(api.template(test_content="RUN true"))
    emulator.advance(PHASE * 2.2)  # TESTING
    region = emulator.state()["regions"]["cn-hangzhou"]
    assert sorted(i["Role"] for i in region["instances"]) == ["build", "test"]
    assert len(region["vpcs"]) == 1
    emulator.advance(PHASE * 12)
    region = emulator.state()["regions"]["cn-hangzhou"]
    assert region["instances"] == [] and region["vpcs"] == []


def test_a_template_with_a_vswitch_makes_no_transition_vpc(api, emulator):
    api.start(api.template(v_switch_id="vsw-emu-cn-hangzhou-b"))
    assert emulator.state()["regions"]["cn-hangzhou"]["vpcs"] == []


def test_cancel_while_building_goes_through_cancelling_and_removes_the_image(api, emulator):
    execution_id = api.start(api.template())
    emulator.advance(PHASE * 1.6)
    image_id = api.execution(execution_id).image_id
    api.cancel(execution_id)
    assert api.execution(execution_id).status == "CANCELLING"
    emulator.advance(PHASE)
    assert api.execution(execution_id).status == "CANCELLED"
    assert api.images(image_id=image_id) == []
    region = emulator.state()["regions"]["cn-hangzhou"]
    assert region["instances"] == [] and region["vpcs"] == []


def test_cancel_is_refused_after_building_and_after_the_end(api, emulator):
    execution_id = api.start(api.template(test_content="RUN true"))
    emulator.advance(PHASE * 2.5)  # TESTING
    expect_error(403, "InvalidStatus.ImagePipelineExecution", api.cancel, execution_id)
    emulator.advance(PHASE * 12)
    expect_error(400, "InvalidStatus.CancelFailed", api.cancel, execution_id)
    expect_error(404, "InvalidImagePipelineExecution.NotFound", api.cancel,
                 "exec-doesnotexist00000000")
    expect_error(404, "InvalidImagePipelineExecutionId.NotFound", api.cancel, "not-an-execution")


def test_start_errors_for_missing_templates_and_vanished_base_images(api, emulator):
    expect_error(404, "InvalidImagePipeline.NotFound", api.start, "ip-doesnotexist000000000")
    options = m.CreateImagePipelineRequestImageOptions(image_family="custom-family")
    base = api.build(image_options=options)
    by_id = api.template(base_image_type="IMAGE", base_image=base.image_id)
    by_family = api.template(base_image_type="IMAGE_FAMILY", base_image="custom-family")
    api.delete_image(base.image_id)
    expect_error(404, "InvalidImagePipeline.BaseImageNotFound", api.start, by_id)
    expect_error(404, "InvalidImage.NotFound", api.start, by_family)


def test_executions_list_filters_by_status_and_pages(api, emulator):
    pipeline_id = api.template()
    finished = []
    for _ in range(3):
        finished.append(api.start(pipeline_id))
        emulator.advance(PHASE * 12)
    running = api.start(pipeline_id)
    page = api.executions(image_pipeline_id=pipeline_id, max_results=2)
    assert page.total_count == 4
    assert api.execution_ids(image_pipeline_id=pipeline_id, max_results=2) == [running, finished[2]]
    second_page = {"image_pipeline_id": pipeline_id, "max_results": 2,
                   "next_token": page.next_token}
    assert api.executions(**second_page).next_token == ""
    assert api.execution_ids(**second_page) == finished[1::-1]
    assert api.execution_ids(image_pipeline_id=pipeline_id,
                             status="PREPARING,BUILDING") == [running]
    assert set(api.execution_ids(execution_id=f"{finished[0]},{running}")) == {finished[0], running}


def test_executions_list_errors(api):
    expect_error(400, "MissingParameter.ImagePipelineId", api.executions)
    expect_error(400, "InvalidParameter.Status", api.executions, image_pipeline_id="ip-x",
                 status="DONE")
    expect_error(404, "InvalidImagePipeline.NotFound", api.executions,
                 image_pipeline_id="ip-doesnotexist00000000")
    pipeline_id = api.template()
    expect_error(403, "Invalid.NextToken", api.executions, image_pipeline_id=pipeline_id,
                 next_token="aXA6MQ")
    too_many = ",".join(f"exec-{i:020d}" for i in range(21))
    expect_error(400, "InvalidExecutionId.SizeExceeded", api.executions, execution_id=too_many)


def test_builds_progress_on_the_real_clock_too(imagebuilder_emulator):
    api = Api(imagebuilder_emulator)
    execution_id = api.start(api.template())
    wait_until(lambda: api.execution(execution_id).status == "SUCCESS")
