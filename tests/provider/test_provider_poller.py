"""The process's status poller (every awaited build polled together, in batched calls) and the
call budget of a build."""

from __future__ import annotations

import math
import threading
from collections import Counter
from typing import Any

from alicloud_imagebuilder_provider.client import EcsApi
from alicloud_imagebuilder_provider.models.template import ImageTemplateState
from alicloud_imagebuilder_provider.poller import BATCH, StatusPoller
from alicloud_imagebuilder_provider.resources.build import BuildLifecycle
from alicloud_imagebuilder_provider.resources.executions import RUNNING
from alicloud_imagebuilder_provider.resources.template import TemplateLifecycle
from alicloud_imagebuilder_provider.settings import resolve_settings

from provider_testkit import BASE, HOME, IDENTITY, build_props, stack_config, wait_for


def started_builds(api: EcsApi, count: int) -> list[str]:
    """``count`` running builds, one per template."""
    ids = []
    for index in range(count):
        template = api.call("CreateImagePipeline", {"BaseImageType": BASE["base_image_type"],
                                                    "BaseImage": BASE["base_image"],
                                                    "BuildContent": "RUN echo",
                                                    "Name": f"t{index}"},
                            region=HOME)["ImagePipelineId"]
        ids.append(api.call("StartImagePipelineExecution", {"ImagePipelineId": template},
                            region=HOME)["ExecutionId"])
    return ids


def polled(emulator: Any, ids: list[str]) -> Counter[str]:
    """How many status polls asked about each of ``ids``."""
    asked = Counter({execution_id: 0 for execution_id in ids})
    asked.update(execution_id for r in emulator.requests
                 if r.action == "DescribeImagePipelineExecutions"
                 for execution_id in r.parameters.get("ExecutionId", "").split(","))
    return asked


def test_one_round_observes_every_due_build_in_calls_of_a_batch_each(imagebuilder_emulator_factory):
    emulator = imagebuilder_emulator_factory(manual_clock=True)
    api = EcsApi(resolve_settings(stack_config(emulator), env={}))
    ids = started_builds(api, 2 * BATCH + 3)
    poller = StatusPoller(api, HOME, threaded=False)
    watches = [poller.watch(execution_id) for execution_id in ids]
    later = poller.watch(ids[0])
    for watch in watches:
        watch.request(0)
    later.request(3600)  # not due for an hour: not in this round
    emulator.reset_counts()

    assert poller.round() == math.ceil(len(ids) / BATCH) == 3
    assert emulator.counts() == {"DescribeImagePipelineExecutions": 3}
    assert [w.latest()["ExecutionId"] for w in watches] == ids
    assert all(w.latest()["Status"] in RUNNING for w in watches) and later.latest() is None
    assert poller.round() == 0  # nothing is due any more


def test_builds_waited_on_at_once_share_their_status_calls(imagebuilder_emulator_factory):
    emulator = imagebuilder_emulator_factory(manual_clock=True)
    config = stack_config(emulator, **{"alicloud-imagebuilder:pollInterval": "0.6",
                                       "alicloud-imagebuilder:pollMaxInterval": "0.6"})
    settings = resolve_settings(config, env={})
    count = BATCH + 5
    templates = [TemplateLifecycle(settings, lambda _l: None).create(ImageTemplateState.load(
        {**BASE, "build_content": "RUN echo", "image_name": f"web{i}"})).id for i in range(count)]
    results: list[Any] = []

    def build(index: int) -> None:
        lifecycle = BuildLifecycle(settings, lambda _l: None)
        try:
            results.append(lifecycle.create(build_props(templates[index]),
                                            f"proj/stack/b{index}"))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            results.append(error)

    threads = [threading.Thread(target=build, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    wait_for(lambda: len(emulator.state()["regions"][HOME]["executions"]) == count, limit=120)
    ids = [e["ExecutionId"] for e in emulator.state()["regions"][HOME]["executions"]]
    wait_for(lambda: min(polled(emulator, ids).values()) >= 3, limit=120)  # a few rounds each
    emulator.reset_counts()
    wait_for(lambda: emulator.count("DescribeImagePipelineExecutions") >= 6,  # a few rounds more
             limit=120)
    polls = [len(r.parameters["ExecutionId"].split(",")) for r in list(emulator.requests)[:6]]
    emulator.advance(3600)
    for thread in threads:
        thread.join(timeout=120)
    assert len(results) == count
    assert all(getattr(getattr(r, "outs", None), "status", None) == "SUCCESS"
               for r in results), results
    assert sum(polls) / len(polls) > 3 and max(polls) == BATCH, polls  # not 1 id a call
    assert len(emulator.state()["regions"][HOME]["executions"]) == count


def test_one_build_stays_within_its_call_budget_on_up_and_destroy(emulator, settings, template,
                                                                 builds):
    """up: 4 + (regions + 1) + polls; destroy: (regions + 1) + 2 when nothing was shared."""
    regions = ["cn-shanghai", "ap-southeast-1", "cn-beijing"]
    template_id, template_outs = template(to_region_ids=regions, add_accounts=None)
    created = builds.create(build_props(template_id, delete_images_on_destroy=True), IDENTITY)
    up = emulator.counts()
    assert up.pop("DescribeImagePipelineExecutions") >= 1  # polls
    assert up.pop("DescribeImages") >= len(regions) + 1  # a look at each image, then polls
    assert up == {"CreateImagePipeline": 1, "DescribeImagePipelines": 2,
                  "StartImagePipelineExecution": 1}  # the 4 other calls: nothing else
    assert created.outs.shared_account_ids == [] and len(created.outs.image_ids) == 4

    emulator.reset_counts()
    builds.delete(created.id, created.outs)
    TemplateLifecycle(settings, lambda _l: None).delete(template_id, template_outs)
    assert emulator.counts() == {"DescribeImagePipelineExecutions": 1,
                                 "DeleteImage": len(regions) + 1, "DeleteImagePipeline": 1}


def test_lifecycle_calls_share_one_sdk_client_per_region_and_credentials(settings):
    first, second = EcsApi(settings), EcsApi(settings)
    assert first._client(HOME) is second._client(HOME)
    assert first._client(HOME) is not first._client("cn-shanghai")


def test_a_poller_told_its_batch_is_too_large_asks_again_in_halves(emulator, settings):
    api = EcsApi(settings)
    ids = started_builds(api, 5)
    poller = StatusPoller(api, HOME, threaded=False)
    watches = [poller.watch(execution_id) for execution_id in ids]
    for watch in watches:
        watch.request(0)
    emulator.configure(inject=[{"code": "InvalidExecutionId.SizeExceeded", "status": 400,
                                "action": "DescribeImagePipelineExecutions"}])
    assert poller.round() == 1 + 3  # refused, then 2 + 2 + 1 ids
    assert poller.batch == 2 and [w.latest()["ExecutionId"] for w in watches] == ids
