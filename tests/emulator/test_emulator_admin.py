"""The admin API under /_emulator/ (plain JSON over HTTP, no signature)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from alibabacloud_ecs20140526 import models as m
from alibabacloud_tea_openapi.exceptions import AlibabaCloudException
from emulator_testkit import OTHER_ACCOUNT, PHASE, admin, expect_error


def test_state_dumps_templates_builds_components_images_and_build_resources(api, emulator):
    component_id = api.component(name="setup")
    pipeline_id = api.template(build_content=f"COMPONENT {component_id}",
                               to_region_id=["cn-shanghai"],
                               add_account=[int(OTHER_ACCOUNT)], test_content="RUN true")
    execution_id = api.start(pipeline_id)
    emulator.advance(PHASE * 2.5)  # TESTING
    status, state = admin(emulator, "GET", "state")
    assert status == 200 and state == emulator.state()
    home = state["regions"]["cn-hangzhou"]
    assert [t["ImagePipelineId"] for t in home["templates"]] == [pipeline_id]
    assert home["templates"][0]["ExecutionIds"] == [execution_id]
    assert [(e["ExecutionId"], e["Status"]) for e in home["executions"]] == [(execution_id,
                                                                              "TESTING")]
    assert [c["ImageComponentId"] for c in home["components"]] == [component_id]
    (image,) = home["images"]
    assert (image["Status"], image["Usable"], image["SharedWith"]) == ("Available", False, [])
    assert len(home["instances"]) == 2 and len(home["vpcs"]) == 1
    emulator.advance(PHASE * 10)
    state = admin(emulator, "GET", "state")[1]
    (copy,) = state["regions"]["cn-shanghai"]["images"]
    assert (copy["Usable"], copy["SharedWith"], copy["SourceImageId"]) == (True, [OTHER_ACCOUNT],
                                                                           image["ImageId"])
    assert state["regions"]["cn-hangzhou"]["images"][0]["SharedWith"] == [OTHER_ACCOUNT]


def test_the_clock_advances_builds_only_through_the_admin_api_when_manual(api, emulator):
    execution_id = api.start(api.template())
    before = admin(emulator, "GET", "clock")[1]
    assert before["manual"] is True
    assert api.execution(execution_id).status == "PREPARING"
    status, after = admin(emulator, "POST", "clock/advance", {"seconds": PHASE * 10})
    assert status == 200 and after["epoch"] == pytest.approx(before["epoch"] + PHASE * 10)
    assert api.execution(execution_id).status == "SUCCESS"
    assert admin(emulator, "POST", "clock/advance", {"seconds": -1})[0] == 400
    assert admin(emulator, "POST", "clock/advance", {"seconds": "soon"})[0] == 400


def test_counts_cover_api_requests_only_and_can_be_reset(api, emulator):
    api.template()
    api.templates()
    api.templates()
    admin(emulator, "GET", "state")
    status, counts = admin(emulator, "GET", "counts")
    assert status == 200
    assert counts == {"total": 3,
                      "by_action": {"CreateImagePipeline": 1, "DescribeImagePipelines": 2}}
    requests = admin(emulator, "GET", "requests")[1]
    assert [(r["action"], r["region"], r["status"], r["code"]) for r in requests] == [
        ("CreateImagePipeline", "cn-hangzhou", 200, None),
        ("DescribeImagePipelines", "cn-hangzhou", 200, None),
        ("DescribeImagePipelines", "cn-hangzhou", 200, None)]
    assert requests[0]["parameters"]["BaseImageType"] == "IMAGE_FAMILY"
    admin(emulator, "POST", "counts/reset")
    assert admin(emulator, "GET", "counts")[1] == {"total": 0, "by_action": {}}
    assert emulator.count() == 0


def test_the_request_log_shows_that_a_create_went_through_with_the_id_it_returned(api, emulator):
    expect_error(400, "InvalidName.Malformed", api.template, name="1bad")
    pipeline_id = api.template()
    execution_id = api.start(pipeline_id)
    assert emulator.requests[-1].result == {"ExecutionId": execution_id}
    status, creates = admin(emulator, "GET", "requests?action=CreateImagePipeline")
    assert status == 200
    assert [(r["status"], r["code"], r["result"]) for r in creates] == [
        (400, "InvalidName.Malformed", {}), (200, None, {"ImagePipelineId": pipeline_id})]


def test_the_handle_counts_requests_per_action(api, emulator):
    api.template()
    api.templates()
    assert (emulator.count(), emulator.count("CreateImagePipeline"),
            emulator.count("DeleteImage")) == (2, 1, 0)
    emulator.reset_counts()
    assert emulator.count() == 0 and emulator.requests == []


def test_faults_route_sets_throttling_and_failing_regions(api, emulator):
    status, settings = admin(emulator, "POST", "faults", {"throttle_rate": 1.0, "seed": 3})
    assert status == 200 and settings["throttle_rate"] == 1.0
    with pytest.raises(AlibabaCloudException) as caught:
        api.templates()
    assert caught.value.code.startswith("Throttling")
    admin(emulator, "POST", "faults", {"throttle_rate": 0, "fail_distribution_to": ["cn-shanghai"]})
    execution = api.build(to_region_id=["cn-shanghai"])
    assert execution.status == "PARTITION_SUCCESS"
    status, body = admin(emulator, "POST", "faults", {"phase_seconds": 1})
    assert status == 400 and "phase_seconds" in body["error"]


def test_settings_route_changes_speed_and_clock_mode(emulator):
    status, settings = admin(emulator, "POST", "settings",
                             {"phase_seconds": 2.5, "manual_clock": False})
    assert status == 200 and (settings["phase_seconds"], settings["manual_clock"]) == (2.5, False)
    assert admin(emulator, "GET", "settings")[1]["phase_seconds"] == 2.5
    assert admin(emulator, "POST", "settings", {"phase_seconds": -1})[0] == 400


def test_reset_forgets_state_requests_and_runtime_settings(api, emulator):
    api.build()
    admin(emulator, "POST", "faults", {"error_rate": 0.5})
    assert admin(emulator, "POST", "reset")[0] == 200
    state = admin(emulator, "GET", "state")[1]
    assert state["regions"] == {} and state["settings"]["error_rate"] == 0.0
    assert emulator.count() == 0


def test_images_can_be_marked_used_and_released(api, emulator):
    image_id = api.build().image_id
    status, body = admin(emulator, "POST", f"images/{image_id}/instances")
    assert status == 200 and body["InstanceId"].startswith("i-")
    assert api.image(image_id).usage == "instance"
    assert admin(emulator, "DELETE", f"images/{image_id}/instances")[0] == 200
    api.delete_image(image_id)
    assert admin(emulator, "POST", "images/m-unknown/instances")[0] == 404


def test_catalog_health_and_unknown_routes(emulator):
    status, catalog = admin(emulator, "GET", "catalog")
    assert status == 200 and len(catalog["regions"]) >= 25
    assert "vsw-emu-cn-hangzhou-a" in {v for r in catalog["regions"] for v in r["VSwitchIds"]}
    assert "ecs.g7.large" in catalog["instance_types"]
    assert admin(emulator, "GET", "health") == (200, {"ok": True})
    status, body = admin(emulator, "GET", "nothing-here")
    assert status == 404 and "GET /_emulator/state" in body["routes"]
    assert admin(emulator, "POST", "settings", b"{not json")[0] == 400


def test_admin_calls_need_no_signature_but_api_calls_do(emulator):
    request = urllib.request.Request(f"{emulator.url}/?RegionId=cn-hangzhou", method="POST",
                                     headers={"x-acs-action": "DescribeRegions",
                                              "x-acs-version": "2014-05-26"})
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request)
    assert json.load(caught.value)["Code"] == "IncompleteSignature"
    assert admin(emulator, "GET", "health")[0] == 200
    regions = emulator.client().describe_regions(m.DescribeRegionsRequest()).body.regions.region
    assert regions
