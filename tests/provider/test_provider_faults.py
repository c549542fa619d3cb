"""Under 30% throttling and 10% server errors, whole lifecycles still finish, each build once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from alicloud_imagebuilder_provider.client import EcsApi, RetryPolicy
from alicloud_imagebuilder_provider.models.component import ImageComponentState
from alicloud_imagebuilder_provider.models.template import ImageTemplateState
from alicloud_imagebuilder_provider.resources.build import BuildLifecycle
from alicloud_imagebuilder_provider.resources.template import TemplateLifecycle
from alicloud_imagebuilder_provider.settings import resolve_settings

from provider_testkit import (ACCOUNT, BASE, COPIES, HOME, IDENTITY, QUICK_POLLS, build_props,
                              images_of, stack_config)


def test_lifecycles_finish_with_exactly_one_start_per_build(emulator, components, templates,
                                                            builds):
    emulator.configure(throttle_rate=0.3, error_rate=0.1, seed=11)  # retries pause on its clock
    component = components.create(ImageComponentState.load(
        {"component_name": "nginx", "content": "RUN yum install -y x"}))
    template = templates.create(ImageTemplateState.load(
        {**BASE, "build_components": [component.id], "image_name": "web",
         "internet_max_bandwidth_out": 10, "to_region_ids": COPIES, "add_accounts": [ACCOUNT]}))
    first = builds.create(build_props(template.id), IDENTITY)
    second = builds.create(build_props(template.id, triggers={"release": "43"},
                                       delete_images_on_destroy=True), IDENTITY)
    for build in (first, second):
        assert build.outs.status == "SUCCESS"
        assert set(build.outs.image_ids) == {HOME, *COPIES}
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
    assert images_of(emulator, first.id) == first.outs.image_ids
    state = emulator.state()["regions"][HOME]
    assert state["templates"] == [] and state["components"] == []


class RecordingPolicy(RetryPolicy):
    """The provider's retry policy, noting each retry's (asked retry-after, chosen pause)."""

    def delay(self, retry: int, retry_after: float | None = None) -> float:
        chosen = super().delay(retry, retry_after)
        RETRIES.append((retry_after, chosen))
        return chosen


RETRIES: list[tuple[float | None, float]] = []


def test_builds_waited_on_together_under_throttling_start_once_and_honour_retry_after(
        imagebuilder_emulator_factory):
    emulator = imagebuilder_emulator_factory(throttle_rate=0.3, seed=5)
    settings = resolve_settings(stack_config(emulator, **QUICK_POLLS), env={})
    policy = RecordingPolicy(max_retries=settings.max_retries, base_delay=0.01, max_delay=0.05)
    RETRIES.clear()

    def lifecycle(kind: type) -> Any:
        made = kind(settings, lambda _line: None)
        made._api = EcsApi(settings, policy)  # the same calls, retries noted
        return made

    count = 8
    templates = [lifecycle(TemplateLifecycle).create(ImageTemplateState.load(
        {**BASE, "build_content": "RUN echo", "image_name": f"web{i}"})).id for i in range(count)]
    with ThreadPoolExecutor(max_workers=count) as pool:
        built = list(pool.map(lambda i: lifecycle(BuildLifecycle).create(
            build_props(templates[i]), f"proj/stack/b{i}"), range(count)))
    assert [b.outs.status for b in built] == ["SUCCESS"] * count
    executions = emulator.state()["regions"][HOME]["executions"]
    assert sorted(e["ImagePipelineId"] for e in executions) == sorted(templates)  # one each
    asked = [(after, pause) for after, pause in RETRIES if after]
    assert asked and all(pause >= after for after, pause in asked)
