"""The other examples, the schema and interrupted updates, through the real Pulumi CLI."""

from __future__ import annotations

import json
import signal

import pytest

from harness import ROOT, follow, wait_for


def test_tested_image_is_repaired_tested_and_distributed(project, emulator):
    stack = project("tested-image")
    stack.up()
    out = stack.outputs()

    assert out["status"] == "SUCCESS"
    assert set(out["image_ids"]) == {"cn-hangzhou", "cn-beijing", "eu-central-1"}
    assert out["missing_regions"] == []
    [template] = emulator.all("templates")
    assert template["RepairMode"] == "Standard"
    assert template["TestContent"].startswith("COMPONENT ic-")


def test_failed_image_tests_fail_up_and_delete_the_images_the_build_left(project, emulator):
    stack = project("tested-image")
    stack.config("failTests", "true")
    result = stack.up(check=False)

    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "TEST_FAILED" in output
    [execution] = emulator.all("executions")
    assert execution["Status"] == "TEST_FAILED"
    # The service keeps a TEST_FAILED build's image; the provider removes it
    # (keep_failed_images=False).
    assert emulator.all("images") == []


@pytest.mark.emulator(args=["--fail-distribution-to", "eu-central-1"])
def test_a_partly_distributed_build_fails_unless_partial_success_is_accepted(project, emulator):
    stack = project("tested-image")
    refused = stack.up(check=False)
    assert refused.returncode != 0
    assert "PARTITION_SUCCESS" in refused.stdout and "eu-central-1" in refused.stdout
    assert emulator.all("images") == []

    stack.config("acceptPartialSuccess", "true")
    stack.config("release", "2")
    stack.up()
    out = stack.outputs()
    assert out["status"] == "PARTITION_SUCCESS"
    assert out["missing_regions"] == ["eu-central-1"]
    assert set(out["image_ids"]) == {"cn-hangzhou", "cn-beijing"}


def test_image_ids_reach_another_stack_through_a_stack_reference(project, emulator):
    images = project("quickstart", stack="images")
    images.up()
    baked = images.outputs()["image_ids"]

    consumer = project("launch-instances", stack="web")
    consumer.config("imagesStack", "organization/imagebuilder-quickstart/images")
    consumer.config("launchInstances", "false")
    consumer.up()
    assert consumer.outputs()["image_ids"] == baked


@pytest.mark.emulator(phase_seconds=1.5, args=["--manual-clock"])  # builds wait for the test
def test_an_interrupted_up_resumes_the_same_build_instead_of_starting_another(project, emulator):
    stack = project("quickstart")
    running = stack.start("up", "--yes", "--skip-preview")
    output = follow(running)
    wait_for(lambda: emulator.all("executions"), timeout=120)
    emulator.advance(1.5)  # one phase: the build is BUILDING
    # Ctrl-C twice, as a user in a hurry: the first asks the CLI to stop gracefully (it would wait
    # for the build), the second, once the CLI says it is cancelling, ends the update at once,
    # leaving the create pending and the build running on the service.
    running.send_signal(signal.SIGINT)
    wait_for(lambda: any("^C received" in line for line in output), timeout=60)
    running.send_signal(signal.SIGINT)
    running.wait(timeout=60)
    assert running.returncode != 0
    [interrupted] = emulator.all("executions")
    assert interrupted["Status"] == "BUILDING"

    emulator.configure(manual_clock=False)  # the build goes on, on wall time
    stack.up()
    out = stack.outputs()
    assert [e["ExecutionId"] for e in emulator.all("executions")] == [interrupted["ExecutionId"]]
    assert out["execution_id"] == interrupted["ExecutionId"]
    assert set(out["image_ids"]) == {"cn-hangzhou", "cn-shanghai", "ap-southeast-1"}


def test_schema_json_is_accepted_by_the_pulumi_cli(pulumi_env, tmp_path):
    import subprocess

    result = subprocess.run(
        ["pulumi", "schema", "check", str(ROOT / "schema.json")],
        env=pulumi_env, cwd=tmp_path, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    schema = json.loads((ROOT / "schema.json").read_text())
    assert {token.rsplit(":", 1)[-1] for token in schema["resources"]} == {
        "ImageComponent", "ImageTemplate", "ImageBuild"
    }
