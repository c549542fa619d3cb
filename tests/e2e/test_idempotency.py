"""Idempotency and interrupts through the real CLI: a changed input never adopts another
resource's build, a create that went through before the CLI was killed is adopted, not
duplicated, and a destroy after an interrupted `up` names what the orphaned build left."""

from __future__ import annotations

import pytest
from harness import kill_tree, wait_for

REGIONS = {"cn-hangzhou", "cn-shanghai", "ap-southeast-1"}


def live_image_ids(emulator) -> set[str]:
    return {image["ImageId"] for image in emulator.all("images")}


def test_changing_only_tags_never_rebuilds_nor_deletes_exported_images(project, emulator):
    stack = project("quickstart")  # delete_images_on_destroy=True; one `team` tag on all three
    stack.up()
    before = stack.outputs()
    [component] = emulator.all("components")

    stack.config("team", "web")
    preview = stack.run("preview", "--diff")
    shown = preview.stdout + preview.stderr
    for resource in ("ImageTemplate", "ImageBuild"):
        assert f"{resource}.tags changed but is NOT applied" in shown
    stack.up()
    after = stack.outputs()

    assert after == before  # the same template and build: no rebuild
    [retagged] = emulator.all("components")  # changed in place
    assert retagged["ImageComponentId"] == component["ImageComponentId"]
    assert {t["TagKey"]: t["TagValue"] for t in retagged["Tags"]["Tag"]} == {"team": "web"}
    assert set(after["image_ids"].values()) <= live_image_ids(emulator)
    assert len(emulator.all("executions")) == 1

    stack.config("release", "2")  # a new build, whose token covers the new tags
    stack.up()
    newest = stack.outputs()
    assert newest["execution_id"] != before["execution_id"]
    assert set(newest["image_ids"].values()) <= live_image_ids(emulator)
    tags = {e["ExecutionId"]: e.get("Tags") for e in emulator.all("executions")}
    assert "web" in str(tags[newest["execution_id"]])


def test_a_template_created_before_the_cli_was_killed_is_adopted_not_duplicated(
        project, emulator):
    stack = project("quickstart")
    # The provider's read-back of the new template is throttled with a long retry-after, so
    # the CLI is killed after CreateImagePipeline went through and before it heard of it.
    emulator.faults(inject=[{"code": "Throttling", "action": "DescribeImagePipelines",
                             "retry_after_ms": 60000}])
    running = stack.start("up", "--yes", "--skip-preview")
    wait_for(lambda: emulator.all("templates") or running.poll() is not None, timeout=120)
    wait_for(lambda: emulator.counts()["by_action"].get("DescribeImagePipelines"), timeout=60)
    kill_tree(running)
    [first] = emulator.all("templates")

    stack.run("cancel", "--yes")  # what the CLI asks for after a crash: drop the stale lock
    stack.up()
    assert [t["ImagePipelineId"] for t in emulator.all("templates")] == [
        first["ImagePipelineId"]]
    assert stack.outputs()["template_id"] == first["ImagePipelineId"]
    assert len(emulator.all("components")) == 1

    stack.run("destroy", "--yes", "--skip-preview")
    for kind in ("templates", "components", "images"):
        assert emulator.all(kind) == [], kind


@pytest.mark.emulator(phase_seconds=1.0)
def test_destroy_after_an_interrupted_up_names_the_images_of_the_build_it_left(
        project, emulator):
    stack = project("quickstart")
    running = stack.start("up", "--yes", "--skip-preview")
    wait_for(lambda: emulator.all("executions") or running.poll() is not None, timeout=120)
    kill_tree(running)  # the build goes on; the stack never records it
    [execution] = emulator.all("executions")

    stack.run("cancel", "--yes")
    destroy = stack.run("destroy", "--yes", "--skip-preview")
    output = destroy.stdout + destroy.stderr
    images = {image["Region"]: image["ImageId"] for image in emulator.all("images")}
    assert set(images) == REGIONS  # the build ended well: its images are kept...
    assert f"build {execution['ExecutionId']}" in output and "kept" in output
    assert all(image_id in output for image_id in images.values())  # ...and named
    assert emulator.all("templates") == [] and emulator.all("components") == []
