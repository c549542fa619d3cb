"""ImageBuild: every outcome of a build, its images, reads, updates and deletes."""

from __future__ import annotations

from typing import Any

import pytest
from alibabacloud_ecs20140526 import models as ecs

from alicloud_imagebuilder_provider.errors import BuildFailed, ProviderError
from alicloud_imagebuilder_provider.models.build import ImageBuildInputs, ImageBuildState
from alicloud_imagebuilder_provider.resources import images
from alicloud_imagebuilder_provider.resources.build import client_token

from provider_testkit import (ACCOUNT, BUILD_PHASE, COPIES, HOME, IDENTITY, all_images, build_props,
                              copies_in, images_of)


def start_elsewhere(emulator: Any, template_id: str, token: str | None = None) -> str:
    """A build started outside this provider (another tool, or an interrupted earlier run)."""
    request = ecs.StartImagePipelineExecutionRequest(region_id=HOME, image_pipeline_id=template_id,
                                                     client_token=token)
    return emulator.client(HOME).start_image_pipeline_execution(request).body.execution_id


def status_of(emulator: Any, execution_id: str) -> str | None:
    for data in emulator.state()["regions"].values():
        for execution in data.get("executions", []):
            if execution["ExecutionId"] == execution_id:
                return execution["Status"]
    return None


def successful(emulator: Any, action: str) -> int:
    return sum(1 for r in emulator.requests if r.action == action and r.status == 200)


def test_success_outputs_every_regions_usable_image(emulator, template, builds, progress):
    template_id, _ = template()
    created = builds.create(build_props(template_id), IDENTITY)
    outs = created.outs
    assert created.id == outs.execution_id and outs.status == "SUCCESS"
    assert set(outs.image_ids) == {HOME, *COPIES}
    assert outs.image_ids == images_of(emulator, created.id)
    assert outs.image_id == outs.image_ids[HOME]
    assert outs.image_name == f"web_{created.id}"
    assert outs.shared_account_ids == [ACCOUNT] and outs.missing_regions == []
    assert all(image["Usable"] for _, image in all_images(emulator))
    assert outs.finished_time and outs.creation_time
    assert progress.mentions("BUILDING") and progress.mentions("SUCCESS")
    refreshed = builds.read(created.id, outs)  # a refresh right after changes nothing
    assert refreshed.outs.dump() == outs.dump()
    assert builds.diff(refreshed.outs.dump(), refreshed.inputs.dump()).changes is False


def test_home_region_only_build_outputs_one_image(emulator, template, builds):
    template_id, _ = template(to_region_ids=None, add_accounts=None)
    outs = builds.create(build_props(template_id), IDENTITY).outs
    assert list(outs.image_ids) == [HOME] and outs.shared_account_ids == []


def test_partition_success_is_an_error_naming_missing_regions_and_cleans_up(
        emulator, template, builds):
    emulator.configure(fail_distribution_to=["ap-southeast-1"])
    template_id, _ = template()
    with pytest.raises(BuildFailed) as failure:
        builds.create(build_props(template_id), IDENTITY)
    error = failure.value
    assert error.status == "PARTITION_SUCCESS" and error.missing_regions == ["ap-southeast-1"]
    assert "ap-southeast-1" in str(error) and "accept_partial_success" in str(error)
    assert error.error_code and error.execution_id in str(error)
    assert images_of(emulator, error.execution_id) == {}


def test_success_whose_copy_is_not_found_keeps_every_image_and_the_next_up_adopts_it(
        emulator, emulator_time, template, builds):
    template_id, _ = template()
    props = build_props(template_id, timeout="40m")  # copies are usable after 25 minutes
    renamed: dict[str, Any] = {}

    def rename_the_copy() -> bool:  # the copy is not named as the provider assumes
        copies = copies_in(emulator, "cn-shanghai")
        if copies:
            renamed["copy"], renamed["name"] = copies[0], copies[0].name
            copies[0].name = "renamed-elsewhere"
        return bool(copies)

    emulator_time.after_each_pause(rename_the_copy)
    with pytest.raises(ProviderError) as failure:
        builds.create(props, IDENTITY)
    error = failure.value
    assert not isinstance(error, BuildFailed)
    execution_id = emulator.state()["regions"][HOME]["executions"][0]["ExecutionId"]
    made = images_of(emulator, execution_id)
    assert set(made) == {HOME, *COPIES}  # nothing deleted
    text = str(error)
    for part in (execution_id, "SUCCESS", "cn-shanghai", made[HOME], made["ap-southeast-1"],
                 "kept"):
        assert part in text
    renamed["copy"].name = renamed["name"]
    again = builds.create(props, IDENTITY)  # the next `up` adopts the same build
    assert again.id == execution_id and again.outs.image_ids == made
    assert len(emulator.state()["regions"][HOME]["executions"]) == 1


def test_a_build_that_succeeds_as_its_timeout_cancels_it_keeps_its_images(
        emulator, template, builds):
    template_id, _ = template()
    with pytest.raises(ProviderError) as failure:  # the timeout falls as it distributes (10-15 min)
        builds.create(build_props(template_id, timeout="12m"), IDENTITY)
    error = str(failure.value)
    assert emulator.count("CancelImagePipelineExecution") == 1  # too late to cancel
    [execution] = emulator.state()["regions"][HOME]["executions"]
    assert execution["Status"] == "SUCCESS"
    assert "timed out" in error and "ended SUCCESS" in error and "kept" in error
    made = images_of(emulator, execution["ExecutionId"])
    assert set(made) == {HOME, *COPIES}
    assert builds.create(build_props(template_id), IDENTITY).outs.image_ids == made  # adopted


def test_a_copy_is_the_image_of_that_name_made_since_the_build_started(emulator, template,
                                                                       builds):
    template_id, _ = template(add_accounts=None)
    outs = builds.create(build_props(template_id), IDENTITY).outs
    found = images.find_copy(builds.api, "cn-shanghai", outs.image_name, outs.creation_time)
    assert found["ImageId"] == outs.image_ids["cn-shanghai"]
    assert images.find_copy(builds.api, "cn-shanghai", outs.image_name,
                            "2999-01-01T00:00:00Z") is None  # older than that build: not its copy


@pytest.mark.parametrize("keep", [False, True])
def test_template_deleted_after_the_build_ended_finds_its_images_by_name(
        emulator, emulator_time, template, builds, keep):
    template_id, _ = template()
    ended: dict[str, Any] = {}

    def ended_then_template_deleted() -> bool:  # it ends, then another stack deletes the template
        executions = emulator.state()["regions"][HOME]["executions"]
        if not executions or executions[0]["Status"] != "SUCCESS":
            return False
        ended["id"] = executions[0]["ExecutionId"]
        ended["made"] = images_of(emulator, ended["id"])
        emulator.backend.delete_image_pipeline(HOME, template_id)
        return True

    emulator_time.after_each_pause(ended_then_template_deleted)
    with pytest.raises(ProviderError) as failure:
        builds.create(build_props(template_id, keep_failed_images=keep), IDENTITY)
    error, execution_id, made = str(failure.value), ended["id"], ended["made"]
    assert set(made) == {HOME, *COPIES}
    assert execution_id in error and template_id in error
    assert all(image_id in error for image_id in made.values())
    assert images_of(emulator, execution_id) == (made if keep else {})
    assert ("kept" if keep else "deleted") in error


def test_partition_success_with_every_copy_usable_is_a_success_with_a_warning(
        emulator, template, builds, progress):
    emulator.configure(release_failure=True)  # the service could not release its instance
    template_id, _ = template()
    created = builds.create(build_props(template_id), IDENTITY)
    outs = created.outs
    assert outs.status == "PARTITION_SUCCESS" and outs.missing_regions == []
    assert outs.image_ids == images_of(emulator, created.id) and len(outs.image_ids) == 3
    warnings = [line for line in progress if line.startswith("warning")]
    assert len(warnings) == 1 and created.id in warnings[0]
    assert "PARTITION_SUCCESS" in warnings[0] and "ReleaseResourceFailed" in warnings[0]
    # adopted, not rebuilt:
    assert builds.create(build_props(template_id), IDENTITY).id == created.id


def test_partition_success_with_an_unshared_copy_is_not_a_success_unless_accepted(
        emulator, emulator_time, template, builds):
    emulator.configure(release_failure=True)
    template_id, _ = template()
    unshared: dict[str, str] = {}

    def ended_and_one_share_lost() -> bool:  # the service ended it; a copy lost its share
        executions = emulator.state()["regions"][HOME]["executions"]
        if not executions or executions[0]["Status"] != "PARTITION_SUCCESS":
            return False
        copy = copies_in(emulator, "cn-shanghai")[0]
        copy.shared_with.clear()
        unshared["id"] = copy.image_id
        return True

    emulator_time.after_each_pause(ended_and_one_share_lost)
    with pytest.raises(BuildFailed) as failure:
        builds.create(build_props(template_id), IDENTITY)
    error = failure.value
    assert error.status == "PARTITION_SUCCESS"
    assert unshared["id"] in str(error) and "Not shared with every account" in str(error)
    assert images_of(emulator, error.execution_id) == {}  # not accepted: cleaned up


def test_partition_success_accepted_lists_missing_regions(emulator, template, builds):
    emulator.configure(fail_distribution_to=["ap-southeast-1"])
    template_id, _ = template()
    outs = builds.create(build_props(template_id, accept_partial_success=True), IDENTITY).outs
    assert outs.status == "PARTITION_SUCCESS"
    assert set(outs.image_ids) == {HOME, "cn-shanghai"}
    assert outs.missing_regions == ["ap-southeast-1"]


def test_failed_build_reports_code_info_message_and_execution(emulator, template, builds):
    template_id, _ = template(build_content="RUN false")
    with pytest.raises(BuildFailed) as failure:
        builds.create(build_props(template_id), IDENTITY)
    error = failure.value
    assert error.status == "FAILED"
    text = str(error)
    for part in (error.execution_id, error.error_code, error.error_info, "FAILED"):
        assert part and part in text
    assert "left no image" in text


def test_test_failed_build_deletes_its_image(emulator, template, builds):
    template_id, _ = template(test_content="RUN false")
    with pytest.raises(BuildFailed) as failure:
        builds.create(build_props(template_id), IDENTITY)
    assert failure.value.status == "TEST_FAILED"
    assert "unshared and deleted" in str(failure.value)
    assert images_of(emulator, failure.value.execution_id) == {}


def test_keep_failed_images_keeps_them(emulator, template, builds):
    template_id, _ = template(test_content="RUN false")
    with pytest.raises(BuildFailed) as failure:
        builds.create(build_props(template_id, keep_failed_images=True), IDENTITY)
    kept = images_of(emulator, failure.value.execution_id)
    assert list(kept) == [HOME] and kept[HOME] in str(failure.value)


def test_build_cancelled_elsewhere_is_an_error(emulator, emulator_time, template, builds):
    template_id, _ = template()

    def cancel_it() -> bool:  # someone cancels the build while the provider waits on it
        running = emulator.state()["regions"][HOME]["executions"]
        request = ecs.CancelImagePipelineExecutionRequest(region_id=HOME,
                                                          execution_id=running[0]["ExecutionId"])
        emulator.client(HOME).cancel_image_pipeline_execution(request)
        return True

    emulator_time.after_each_pause(cancel_it)
    with pytest.raises(BuildFailed) as failure:
        builds.create(build_props(template_id), IDENTITY)
    assert failure.value.status == "CANCELLED"
    assert "pulumi up" in str(failure.value)


def test_timeout_cancels_the_build_then_fails(emulator, template, builds):
    emulator.configure(phase_seconds=10.0)
    template_id, _ = template()
    with pytest.raises(ProviderError) as failure:
        builds.create(build_props(template_id, timeout=2), IDENTITY)
    assert "timed out" in str(failure.value) and "cancelled" in str(failure.value)
    executions = emulator.state()["regions"][HOME]["executions"]
    assert [e["Status"] for e in executions] == ["CANCELLED"]
    assert successful(emulator, "CancelImagePipelineExecution") == 1


def test_build_queues_behind_a_running_build_of_the_template(emulator, template, builds, progress):
    template_id, _ = template()
    other = start_elsewhere(emulator, template_id)
    outs = builds.create(build_props(template_id), IDENTITY).outs
    assert outs.execution_id != other and outs.status == "SUCCESS"
    assert status_of(emulator, other) == "SUCCESS"
    refused = [r for r in emulator.requests if r.action == "StartImagePipelineExecution"
               and r.code == "InvalidImagePipeline.HasRunningExecution"]
    assert refused and progress.mentions("starts when it ends")


def test_queue_wait_is_bounded_by_the_timeout(emulator, template, builds):
    emulator.configure(phase_seconds=10.0)
    template_id, _ = template()
    start_elsewhere(emulator, template_id)
    with pytest.raises(ProviderError, match="nothing was started"):
        builds.create(build_props(template_id, timeout=2), IDENTITY)
    assert successful(emulator, "StartImagePipelineExecution") == 1  # only the other build


def test_resumed_create_adopts_the_interrupted_runs_build(emulator, template, builds):
    template_id, _ = template()
    props = build_props(template_id)
    token = client_token(ImageBuildInputs.model_validate(props.dump()), IDENTITY, 0)
    interrupted = start_elsewhere(emulator, template_id, token)  # what the killed run started
    outs = builds.create(props, IDENTITY).outs
    assert outs.execution_id == interrupted
    assert len(emulator.state()["regions"][HOME]["executions"]) == 1


def test_create_again_after_success_adopts_instead_of_building_twice(emulator, template, builds):
    template_id, _ = template()
    first = builds.create(build_props(template_id), IDENTITY)
    again = builds.create(build_props(template_id), IDENTITY)
    assert again.id == first.id and again.outs.image_ids == first.outs.image_ids
    assert len(emulator.state()["regions"][HOME]["executions"]) == 1


def test_create_after_a_failed_earlier_run_starts_a_new_build(emulator, template, builds, progress):
    template_id, _ = template()
    props = build_props(template_id)
    token = client_token(ImageBuildInputs.model_validate(props.dump()), IDENTITY, 0)
    earlier = start_elsewhere(emulator, template_id, token)
    emulator.client(HOME).cancel_image_pipeline_execution(
        ecs.CancelImagePipelineExecutionRequest(region_id=HOME, execution_id=earlier))
    emulator.advance(BUILD_PHASE)  # a cancelled build stops within a phase
    assert status_of(emulator, earlier) == "CANCELLED"
    outs = builds.create(props, IDENTITY).outs
    assert outs.execution_id != earlier and outs.status == "SUCCESS"
    assert progress.mentions(f"build {earlier} of an earlier run ended CANCELLED")


def test_other_triggers_make_another_build(emulator, template, builds):
    template_id, _ = template()
    first = builds.create(build_props(template_id), IDENTITY)
    second = builds.create(build_props(template_id, triggers={"release": "43"}), IDENTITY)
    assert second.id != first.id


def test_other_tags_never_adopt_another_resources_build(emulator, template, builds):
    """The token covers every parameter of the call: tags too."""
    template_id, _ = template()
    first = builds.create(build_props(template_id), IDENTITY)
    second = builds.create(build_props(template_id, tags={"team": "web"}), IDENTITY)
    assert second.id != first.id
    assert len(emulator.state()["regions"][HOME]["executions"]) == 2


def test_read_reports_deleted_copies_as_drift(emulator, template, builds):
    template_id, _ = template(add_accounts=None)
    created = builds.create(build_props(template_id), IDENTITY)
    client = emulator.client("cn-shanghai")
    client.delete_image(ecs.DeleteImageRequest(region_id="cn-shanghai",
                                               image_id=created.outs.image_ids["cn-shanghai"]))
    observed = builds.read(created.id, created.outs)
    assert observed.id == created.id
    assert set(observed.outs.image_ids) == {HOME, "ap-southeast-1"}
    assert observed.outs.missing_regions == ["cn-shanghai"]
    assert observed.inputs.dump() == {**build_props(template_id).dump(), "region": HOME}


def test_read_without_any_image_means_gone(emulator, template, builds):
    template_id, _ = template(add_accounts=None)
    created = builds.create(build_props(template_id), IDENTITY)
    for region, image_id in created.outs.image_ids.items():
        emulator.client(region).delete_image(
            ecs.DeleteImageRequest(region_id=region, image_id=image_id))
    assert builds.read(created.id, created.outs).id is None


def test_read_survives_the_templates_deletion(emulator, template, templates, builds):
    template_id, template_outs = template()
    created = builds.create(build_props(template_id), IDENTITY)
    templates.delete(template_id, template_outs)
    observed = builds.read(created.id, created.outs)
    assert observed.id == created.id and observed.outs.image_ids == created.outs.image_ids
    assert observed.outs.status == "SUCCESS"


def test_lookup_by_id_discovers_the_images(emulator, template, builds):
    template_id, _ = template()
    created = builds.create(build_props(template_id), IDENTITY)
    observed = builds.read(created.id, ImageBuildState.load({}))
    assert observed.outs.image_ids == created.outs.image_ids
    assert observed.outs.template_id == template_id
    assert observed.outs.shared_account_ids == [ACCOUNT]


def test_update_changes_provider_settings_without_api_calls(emulator, template, builds):
    template_id, _ = template()
    created = builds.create(build_props(template_id), IDENTITY)
    news = {**created.outs.inputs().dump(), "timeout": "2h", "delete_images_on_destroy": True}
    diff = builds.diff(created.outs.dump(), news)
    assert diff.changes and diff.replaces == []
    assert set(diff.updates) == {"timeout", "delete_images_on_destroy"}
    emulator.reset_counts()
    outs = builds.update(created.id, created.outs, ImageBuildState.load(news))
    assert emulator.count() == 0
    assert outs.timeout == "2h" and outs.delete_images_on_destroy is True
    assert outs.image_ids == created.outs.image_ids


def test_a_tag_change_never_rebuilds_and_is_not_applied(emulator, template, builds):
    template_id, _ = template()
    created = builds.create(build_props(template_id, tags={"team": "web"}), IDENTITY)
    news = {**created.outs.inputs().dump(), "tags": {"team": "ops"}, "timeout": "2h"}
    diff = builds.diff(created.outs.dump(), news)
    assert diff.replaces == [] and diff.updates == ["timeout"]
    assert len(diff.warnings) == 1 and "ImageBuild.tags" in diff.warnings[0]
    outs = builds.update(created.id, created.outs, ImageBuildState.load(news))
    assert outs.tags == {"team": "web"} and outs.timeout == "2h"  # what the service has
    assert outs.image_ids == created.outs.image_ids
    assert len(emulator.state()["regions"][HOME]["executions"]) == 1


def test_destroy_keeps_images_by_default(emulator, template, builds, progress):
    template_id, _ = template()
    created = builds.create(build_props(template_id), IDENTITY)
    builds.delete(created.id, created.outs)
    assert images_of(emulator, created.id) == created.outs.image_ids
    assert progress.mentions("images kept")


def test_destroy_unshares_and_deletes_images_everywhere(emulator, template, builds):
    template_id, _ = template()
    created = builds.create(build_props(template_id, delete_images_on_destroy=True), IDENTITY)
    builds.delete(created.id, created.outs)
    assert images_of(emulator, created.id) == {}
    removed = [r for r in emulator.requests if r.action == "ModifyImageSharePermission"]
    assert removed and all(r.parameters.get("RemoveAccount.1") == ACCOUNT for r in removed)


def test_destroy_names_an_image_still_used_by_instances(emulator, template, builds):
    template_id, _ = template(add_accounts=None)
    created = builds.create(build_props(template_id, delete_images_on_destroy=True), IDENTITY)
    used = created.outs.image_ids["cn-shanghai"]
    emulator.backend.mark_image_used(used)
    with pytest.raises(ProviderError) as failure:
        builds.delete(created.id, created.outs)
    assert used in str(failure.value) and "cn-shanghai" in str(failure.value)
    assert "instances" in str(failure.value)
    assert images_of(emulator, created.id) == {"cn-shanghai": used}


def test_destroy_cancels_a_running_build(emulator, template, builds):
    emulator.configure(phase_seconds=1.0)
    template_id, _ = template()
    running = start_elsewhere(emulator, template_id)
    builds.delete(running,
                                            ImageBuildState.load({"template_id": template_id}))
    assert status_of(emulator, running) == "CANCELLED"


def test_delete_of_a_vanished_build_succeeds(emulator, builds):
    builds.delete("exec-doesnotexist", ImageBuildState.load({"image_ids": {}}))
    assert emulator.count("DescribeImagePipelineExecutions") == 1


def test_deleting_a_template_while_an_unrecorded_build_runs_names_the_images_it_kept(
        emulator, template, templates, progress):
    emulator.configure(phase_seconds=1.0)
    template_id, outs = template()
    running = start_elsewhere(emulator, template_id)  # e.g. left by an interrupted `pulumi up`
    templates.delete(template_id, outs)
    assert emulator.state()["regions"][HOME]["templates"] == []
    made = images_of(emulator, running)
    assert set(made) == {HOME, *COPIES}  # kept, and named:
    [report] = [line for line in progress if f"build {running}," in line]
    assert "ended SUCCESS" in report and "kept" in report
    assert all(image_id in report for image_id in made.values())
