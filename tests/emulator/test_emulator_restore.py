"""A saved state (GET /_emulator/state) loaded into another emulator: POST /_emulator/state, the
handles' restore() and the --state-file option. Users start from a known world this way, or keep
their objects across restarts."""

from __future__ import annotations

import json

import pytest
from alibabacloud_ecs20140526 import models as m
from emulator_testkit import OTHER_ACCOUNT, PHASE, Api, admin, expect_error

from alicloud_imagebuilder_emulator.cli import main
from alicloud_imagebuilder_emulator.process import EmulatorProcess

KINDS = ("templates", "executions", "components", "images", "instances", "vpcs")


def ids(state: dict, kind: str) -> set[str]:
    key = {"templates": "ImagePipelineId", "executions": "ExecutionId",
           "components": "ImageComponentId", "images": "ImageId", "instances": "InstanceId",
           "vpcs": "VpcId"}[kind]
    return {obj[key] for region in state["regions"].values() for obj in region[kind]}


@pytest.fixture
def saved(imagebuilder_emulator_factory) -> dict:
    """A world: a component used by a template that distributes and shares, a build of it that
    succeeded, another template whose build failed its test and kept its instances, an image
    used by an instance."""
    emulator = imagebuilder_emulator_factory(manual_clock=True)
    api = Api(emulator)
    component_id = api.component(name="setup")
    web = api.build(build_content=f"COMPONENT {component_id}", to_region_id=["cn-shanghai"],
                    add_account=[int(OTHER_ACCOUNT)])
    api.build(test_content="RUN false", delete_instance_on_failure=False)
    emulator.backend.mark_image_used(web.image_id)
    return emulator.state()


def test_a_restored_emulator_serves_the_saved_objects_with_their_rules(
        saved, imagebuilder_emulator_factory):
    emulator = imagebuilder_emulator_factory(manual_clock=True)  # same seed: same ids to draw
    status, answer = admin(emulator, "POST", "state", saved)
    assert status == 200 and answer["regions"] == saved["regions"] == emulator.state()["regions"]

    api = Api(emulator)
    [web, failed] = [t["ImagePipelineId"] for t in saved["regions"]["cn-hangzhou"]["templates"]]
    [component_id] = ids(saved, "components")
    assert api.template_ids() == [failed, web]  # newest first, as before
    assert api.template_info(web).to_map()["ToRegionIds"] == {"ToRegionId": ["cn-shanghai"]}
    [execution_id] = [e["ExecutionId"] for e in saved["regions"]["cn-hangzhou"]["executions"]
                      if e["ImagePipelineId"] == web]
    assert api.execution(execution_id).status == "SUCCESS"
    expect_error(400, "InvalidStatus.CancelFailed", api.cancel, execution_id)
    expect_error(403, "InvalidImageComponent.InUse", api.client.delete_image_component,
                 m.DeleteImageComponentRequest(region_id="cn-hangzhou",
                                               image_component_id=component_id))
    [copy] = api.images("cn-shanghai")
    assert copy.usable and api.shared_with(copy.image_id, "cn-shanghai") == [OTHER_ACCOUNT]

    again = api.start(web)  # a new build of a restored template: new ids, a new image everywhere
    emulator.advance(PHASE * 12)
    assert api.execution(again).status == "SUCCESS"
    after = emulator.state()
    for kind in KINDS:
        assert ids(saved, kind) <= ids(after, kind), kind
    assert len(ids(after, "images")) == len(ids(saved, "images")) + 2
    api.delete_template(failed)
    assert api.template_ids() == [web]


def test_a_state_that_cannot_be_restored_is_refused_whole(saved, imagebuilder_emulator_factory):
    source = imagebuilder_emulator_factory(manual_clock=True)
    api = Api(source)
    running = api.start(api.template())
    source.advance(PHASE * 1.5)
    emulator = imagebuilder_emulator_factory(manual_clock=True)
    Api(emulator).component(name="mine")
    before = emulator.state()["regions"]

    status, answer = admin(emulator, "POST", "state", source.state())
    assert status == 400 and running in answer["error"] and "advance the clock" in answer["error"]
    broken = json.loads(json.dumps(saved))
    del broken["regions"]["cn-hangzhou"]["templates"][0]["BaseImage"]
    status, answer = admin(emulator, "POST", "state", broken)
    assert status == 400 and "regions.cn-hangzhou.templates[0]" in answer["error"]
    status, answer = admin(emulator, "POST", "state", {**saved, "account_id": OTHER_ACCOUNT})
    assert status == 400 and f"--account-id {OTHER_ACCOUNT}" in answer["error"]
    assert admin(emulator, "POST", "state", [])[0] == 400
    assert emulator.state()["regions"] == before  # nothing of them was applied


def test_the_state_file_option_starts_from_a_saved_state(saved, tmp_path, capsys):
    path = tmp_path / "state.json"
    path.write_text(json.dumps(saved))
    with EmulatorProcess(1.0, "--manual-clock", "--state-file", str(path)) as emulator:
        assert emulator.state()["regions"] == saved["regions"]
        emulator.restore({"regions": {}})  # the process handle restores too: an empty world
        assert emulator.state()["regions"] == {}

    path.write_text('{"regions": {"atlantis-1": {}}}')
    with pytest.raises(SystemExit) as exited:
        main(["--state-file", str(path)])
    assert exited.value.code == 2
    assert "--state-file" in capsys.readouterr().err
