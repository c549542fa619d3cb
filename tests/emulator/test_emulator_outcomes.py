"""The documented outcome rules: what content makes a build fail, fail its tests, or partly fail."""

from __future__ import annotations

import pytest
from alibabacloud_ecs20140526 import models as m
from emulator_testkit import HOME, OTHER_ACCOUNT, admin

NO_INTERNET = "InstanceNoInternetAccess"


@pytest.mark.parametrize(
    ("build_content", "status", "code", "line"),
    [
        ("RUN echo start\nRUN exit 3", "FAILED", "BuildCommandFailed", 2),
        ("RUN false", "FAILED", "BuildCommandFailed", 1),
        ("ENV A=1\nRUN echo ok && exit 4", "FAILED", "BuildCommandFailed", 2),
        ("RUN sudo yum install -y nginx", "FAILED", NO_INTERNET, 1),
        ("RUN echo fetching \\\n  && curl -fsSL https://example.com/setup.sh | sh", "FAILED",
         NO_INTERNET, 1),
        ("RUN git clone https://example.com/app.git || true", "FAILED", NO_INTERNET, 1),
        ("WORKDIR /opt\nCOPY https://example.com/app.tar.gz /opt/app", "FAILED", NO_INTERNET, 2),
        ("RUN false || true", "SUCCESS", "", None),
        ("RUN ! false", "SUCCESS", "", None),
        ("RUN exit 0\nRUN echo after", "SUCCESS", "", None),
        ("RUN echo 'exit 3'", "SUCCESS", "", None),
        ("# RUN exit 3 is only a comment\nRUN echo hi", "SUCCESS", "", None),
        ("COPY ./app /opt/app\nRUN systemctl enable app", "SUCCESS", "", None),
    ],
)
def test_build_content_outcomes(api, build_content, status, code, line):
    execution = api.build(build_content=build_content)
    assert (execution.status, execution.error_code) == (status, code)
    if line is not None:
        assert f"line {line} of BuildContent" in execution.error_info
        assert f"line {line} of BuildContent" in execution.message
        assert execution.image_id == ""  # a failed build makes no image


def test_a_failed_build_says_the_instance_has_no_internet_access(api):
    execution = api.build(build_content="RUN apt-get update")
    assert "no internet access" in execution.message


def test_the_same_command_succeeds_with_public_bandwidth(api):
    execution = api.build(build_content="RUN yum install -y nginx", internet_max_bandwidth_out=5)
    assert execution.status == "SUCCESS"


def test_a_failing_test_gives_test_failed_and_keeps_a_launchable_image_without_copies(api):
    execution = api.build(test_content="RUN nginx -t\nRUN exit 1", to_region_id=["cn-shanghai"],
                          image_options=m.CreateImagePipelineRequestImageOptions(image_name="tested"))
    assert (execution.status, execution.error_code) == ("TEST_FAILED", "TestCommandFailed")
    assert "line 2 of TestContent" in execution.error_info
    image = api.image(execution.image_id)
    assert (image.status, image.usable) == ("Available", True)
    assert api.images("cn-shanghai", image_name="tested") == []


def test_a_region_named_to_fail_gives_partition_success_without_its_copy(api, emulator):
    emulator.configure(fail_distribution_to=["ap-southeast-1"])
    execution = api.build(to_region_id=["cn-shanghai", "ap-southeast-1"],
                          image_options=m.CreateImagePipelineRequestImageOptions(image_name="part"))
    assert (execution.status, execution.error_code) == ("PARTITION_SUCCESS",
                                                        "DistributeImageFailed")
    assert "ap-southeast-1" in execution.error_info and "cn-shanghai" not in execution.error_info
    assert api.images("ap-southeast-1", image_name="part") == []
    assert api.images("cn-shanghai", image_name="part")[0].usable is True
    assert api.image(execution.image_id).usable is True


def test_the_release_failure_fault_gives_partition_success_with_every_copy_and_share_fine(api,
                                                                                          emulator):
    status, settings = admin(emulator, "POST", "faults", {"release_failure": True})
    assert status == 200 and settings["release_failure"] is True
    execution = api.build(to_region_id=["cn-shanghai"], add_account=[int(OTHER_ACCOUNT)],
                          image_options=m.CreateImagePipelineRequestImageOptions(image_name="kept"))
    assert (execution.status, execution.error_code) == ("PARTITION_SUCCESS",
                                                        "ReleaseResourceFailed")
    region = emulator.state()["regions"][HOME]
    leftovers = ([i["InstanceId"] for i in region["instances"]]
                 + [v["VpcId"] for v in region["vpcs"]])
    assert leftovers and all(resource in execution.error_info for resource in leftovers)
    assert "could not be released" in execution.error_info and "released" in execution.message
    (copy,) = api.images("cn-shanghai", image_name="kept")
    assert (copy.usable, api.image(execution.image_id).usable) == (True, True)
    assert api.shared_with(execution.image_id) == api.shared_with(copy.image_id,
                                                                  "cn-shanghai") == [OTHER_ACCOUNT]


def test_a_failed_copy_and_a_failed_release_together_name_both(api, emulator):
    emulator.configure(release_failure=True, fail_distribution_to=["ap-southeast-1"])
    execution = api.build(to_region_id=["ap-southeast-1"])
    assert (execution.status, execution.error_code) == ("PARTITION_SUCCESS",
                                                        "DistributeImageFailed")
    assert "ap-southeast-1" in execution.error_info
    assert "could not be released" in execution.error_info


def test_failed_builds_keep_their_instances_only_when_delete_instance_on_failure_is_false(api,
                                                                                          emulator):
    kept = api.build(build_content="RUN false", delete_instance_on_failure=False)
    api.build(build_content="RUN false")
    region = emulator.state()["regions"]["cn-hangzhou"]
    assert {i["ExecutionId"] for i in region["instances"]} == {kept.execution_id}
    assert {v["ExecutionId"] for v in region["vpcs"]} == {kept.execution_id}


def test_a_failing_dockerfile_component_fails_the_build_naming_the_component(api):
    component_id = api.component(name="broken", content="RUN echo setup\nRUN exit 7")
    execution = api.build(build_content=f"RUN echo before\nCOMPONENT {component_id}")
    assert execution.status == "FAILED"
    assert "line 2 of BuildContent" in execution.error_info
    assert component_id in execution.error_info and "line 2" in execution.error_info


YAML_COMPONENT = """
Parameters:
  code:
    Type: Number
    DefaultValue: 0
Tasks:
  - Name: finish
    Action: RunShellCommand
    Properties:
      commandContent: exit {{ code }}
"""


def test_yaml_component_parameters_decide_the_outcome(api):
    component_id = api.component(name="exiter", content=YAML_COMPONENT)
    passed = api.build(build_content=f"COMPONENT {component_id}")
    failed = api.build(build_content=f"COMPONENT {component_id} --code 5")
    assert passed.status == "SUCCESS"
    assert failed.status == "FAILED"
    assert "task 'finish'" in failed.error_info and "code 5" in failed.error_info


def test_web_download_in_a_component_needs_internet(api):
    content = (
        "Tasks:\n  - Name: fetch\n    Action: WebDownload\n    Properties:\n"
        "      sourcePath: https://example.com/agent.rpm\n      destinationDir: /tmp\n"
    )
    component_id = api.component(name="fetcher", content=content)
    offline = api.build(build_content=f"COMPONENT {component_id}")
    online = api.build(build_content=f"COMPONENT {component_id}", internet_max_bandwidth_out=1)
    assert (offline.status, offline.error_code) == ("FAILED", NO_INTERNET)
    assert online.status == "SUCCESS"


def test_a_failing_test_component_gives_test_failed(api):
    component_id = api.component(name="smoke", component_type="Test", content="RUN exit 1")
    execution = api.build(
        test_content=f"COMPONENT {component_id}", add_account=[int(OTHER_ACCOUNT)]
    )
    assert execution.status == "TEST_FAILED"
    assert api.shared_with(execution.image_id) == []  # nothing was distributed or shared
