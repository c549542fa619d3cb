"""examples/quickstart through the real Pulumi CLI against the emulator process."""

from __future__ import annotations

import json

from alibabacloud_ecs20140526 import models as ecs

REGIONS = {"cn-hangzhou", "cn-shanghai", "ap-southeast-1"}
SHARED_ACCOUNT = "1234567890123456"


def live_images(emulator) -> dict[str, dict]:
    return {i["ImageId"]: i for i in emulator.all("images")}


def test_up_hands_back_a_usable_image_in_every_region_and_nothing_drifts(project, emulator):
    stack = project("quickstart")
    stack.up()
    out = stack.outputs()

    assert set(out["image_ids"]) == REGIONS
    images = live_images(emulator)
    for region, image_id in out["image_ids"].items():
        image = images[image_id]
        assert image["Region"] == region
        assert image["Usable"] is True and image["Status"] == "Available"
        assert image["ImageName"] == out["image_name"]
        assert SHARED_ACCOUNT in image["SharedWith"]
    assert out["image_name"] == f"quickstart-web_{out['execution_id']}"

    # The classic invariants: nothing to do after up, and refresh finds the world as stored.
    stack.run("preview", "--expect-no-changes")
    stack.run("up", "--yes", "--skip-preview", "--expect-no-changes")
    stack.run("refresh", "--yes", "--skip-preview", "--expect-no-changes")
    stack.run("preview", "--expect-no-changes")
    assert len(emulator.all("executions")) == 1


def test_changing_build_content_replaces_the_template_and_bakes_new_images(project, emulator):
    stack = project("quickstart")
    stack.up()
    before = stack.outputs()

    stack.config("extraBuildContent", "RUN echo 'v2' > /etc/motd")
    preview = stack.run("preview", "--diff")
    assert "ImageTemplate" in preview.stdout and "replace" in preview.stdout
    assert "replaced because of build_content" in preview.stdout + preview.stderr
    stack.up()
    after = stack.outputs()

    assert after["template_id"] != before["template_id"]
    assert after["execution_id"] != before["execution_id"]
    assert set(after["image_ids"]) == REGIONS
    assert not set(after["image_ids"].values()) & set(before["image_ids"].values())
    templates = {t["ImagePipelineId"]: t for t in emulator.all("templates")}
    assert set(templates) == {after["template_id"]}
    assert "RUN echo 'v2' > /etc/motd" in templates[after["template_id"]]["BuildContent"]
    # The replaced build was destroyed with delete_images_on_destroy: its images are gone.
    assert set(live_images(emulator)) == set(after["image_ids"].values())


def test_a_rebuild_trigger_bakes_new_images_from_the_same_template(project, emulator):
    stack = project("quickstart")
    stack.up()
    before = stack.outputs()

    stack.config("release", "2")
    stack.up()
    after = stack.outputs()

    assert after["template_id"] == before["template_id"]
    assert after["execution_id"] != before["execution_id"]
    assert set(live_images(emulator)) == set(after["image_ids"].values())


def test_a_template_deleted_behind_the_stacks_back_is_dropped_by_refresh_and_recreated(project,
                                                                                       emulator):
    stack = project("quickstart")
    stack.up()
    before = stack.outputs()
    emulator.client("cn-hangzhou").delete_image_pipeline(
        ecs.DeleteImagePipelineRequest(region_id="cn-hangzhou",
                                       image_pipeline_id=before["template_id"])
    )

    refresh = stack.run("refresh", "--yes", "--skip-preview")
    assert "deleted" in refresh.stdout
    assert not stack.resources(":ImageTemplate")

    stack.up()
    after = stack.outputs()
    assert after["template_id"] != before["template_id"]
    assert [t["ImagePipelineId"] for t in emulator.all("templates")] == [after["template_id"]]
    assert set(after["image_ids"]) == REGIONS
    for image_id in after["image_ids"].values():
        assert live_images(emulator)[image_id]["Usable"] is True


def test_a_failing_build_fails_up_with_the_service_message_and_leaves_no_images(project, emulator):
    stack = project("quickstart")
    stack.config("extraBuildContent", "RUN exit 3")
    result = stack.up(check=False)

    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "FAILED" in output
    assert "exit 3" in output
    [execution] = emulator.all("executions")
    assert execution["Status"] == "FAILED"
    assert execution["ExecutionId"] in output
    assert live_images(emulator) == {}
    assert not stack.resources(":ImageBuild")


def test_destroy_leaves_nothing_billed_behind(project, emulator):
    stack = project("quickstart")
    stack.up()
    stack.run("destroy", "--yes", "--skip-preview")

    for kind in ("templates", "components", "images", "instances", "vpcs"):
        assert emulator.all(kind) == [], kind
    assert all(e["Status"] in {"SUCCESS", "FAILED", "CANCELLED"}
               for e in emulator.all("executions"))


def test_destroy_keeps_the_images_when_the_program_asks_to(project, emulator):
    stack = project("quickstart")
    stack.config("deleteImagesOnDestroy", "false")
    stack.up()
    image_ids = stack.outputs()["image_ids"]
    stack.run("destroy", "--yes", "--skip-preview")

    assert set(live_images(emulator)) == set(image_ids.values())
    for kind in ("templates", "components", "instances", "vpcs"):
        assert emulator.all(kind) == [], kind


def test_a_secret_key_in_stack_config_stays_encrypted_and_out_of_resource_state(project, emulator):
    stack = project("quickstart")
    stack.up()
    stack.run("refresh", "--yes", "--skip-preview")
    state = stack.run("stack", "export").stdout
    decrypted = stack.run("stack", "export", "--show-secrets").stdout
    outputs = stack.run("stack", "output", "--json", "--show-secrets").stdout
    stack.run("destroy", "--yes", "--skip-preview")

    secret = emulator.access_key_secret
    assert secret not in state and secret not in outputs
    assert not [entry for entry in stack.log if secret in entry and "--show-secrets" not in entry]
    # Decrypted, the engine's own record of the stack config (the default provider's inputs)
    # holds it, as for any provider's secret config; our resources never do.
    ours = [
        r
        for r in json.loads(decrypted)["deployment"]["resources"]
        if "dynamic/imagebuilder:" in r["type"]
    ]
    assert len(ours) == 3
    assert secret not in json.dumps(ours)


def test_credentials_from_the_environment_never_reach_state(project, emulator):
    stack = project("quickstart", credentials="environment")
    stack.up()
    decrypted = stack.run("stack", "export", "--show-secrets").stdout
    stack.run("destroy", "--yes", "--skip-preview")

    assert emulator.access_key_secret not in decrypted
    assert not [entry for entry in stack.log if emulator.access_key_secret in entry]


def test_a_first_preview_plans_everything_without_calling_the_service(project, emulator):
    stack = project("quickstart")
    preview = stack.run("preview")

    assert "+ 4 to create" in preview.stdout
    assert emulator.counts()["total"] == 0


def test_bad_input_fails_preview_naming_the_property_before_any_api_call(project, emulator):
    stack = project("quickstart")
    stack.config("extraBuildContent", "RUNN yum install -y nginx")
    preview = stack.run("preview", check=False)

    output = preview.stdout + preview.stderr
    assert preview.returncode != 0
    assert "build_content" in output and "RUNN" in output
    assert emulator.counts()["total"] == 0
    assert emulator.all("templates") == [] and emulator.all("components") == []
