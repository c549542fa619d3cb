"""Under 30% throttling and 10% server errors, whole lifecycles still finish, each build once."""

from __future__ import annotations

from provider_testkit import ACCOUNT, BASE, COPIES, HOME, build_props, images_of


def test_lifecycles_finish_with_exactly_one_start_per_build(emulator, components, templates,
                                                            builds):
    emulator.configure(throttle_rate=0.3, error_rate=0.1, seed=11)
    component = components.create({"component_name": "nginx", "content": "RUN yum install -y x"})
    template = templates.create({**BASE, "build_components": [component.id], "image_name": "web",
                                 "internet_max_bandwidth_out": 10, "to_region_ids": COPIES,
                                 "add_accounts": [ACCOUNT]})
    first = builds.create(build_props(template.id))
    second = builds.create(build_props(template.id, triggers={"release": "43"},
                                       delete_images_on_destroy=True))
    for build in (first, second):
        assert build.outs["status"] == "SUCCESS"
        assert set(build.outs["image_ids"]) == {HOME, *COPIES}
    starts = [r for r in emulator.requests if r.action == "StartImagePipelineExecution"]
    assert sum(r.status == 200 for r in starts) == 2
    assert len(emulator.state()["regions"][HOME]["executions"]) == 2
    faults = {r.code for r in emulator.requests if r.status >= 400}
    assert faults & {"Throttling", "Throttling.User", "Throttling.Api"}
    assert faults & {"ServiceUnavailable", "InternalError"}

    builds.delete(second.id, second.outs)
    templates.delete(template.id, template.outs)
    components.delete(component.id, component.outs)
    assert images_of(emulator, second.id) == {}
    assert images_of(emulator, first.id) == first.outs["image_ids"]
    state = emulator.state()["regions"][HOME]
    assert state["templates"] == [] and state["components"] == []
