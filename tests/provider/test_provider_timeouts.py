"""A hanging API is bounded: every call has connect, read and overall timeouts, and a build that
reaches its deadline while the API hangs is still cancelled."""

from __future__ import annotations

import threading
import time

import pytest

from alicloud_imagebuilder_provider.client import EcsApi
from alicloud_imagebuilder_provider.errors import ApiError, ErrorKind, ProviderError
from alicloud_imagebuilder_provider.models.template import ImageTemplateState
from alicloud_imagebuilder_provider.resources.build import BuildLifecycle
from alicloud_imagebuilder_provider.resources.template import TemplateLifecycle
from alicloud_imagebuilder_provider.settings import resolve_settings

from provider_testkit import BASE, HOME, IDENTITY, Progress, build_props, stack_config

POLL = "DescribeImagePipelineExecutions"
IMPATIENT = {"alicloud-imagebuilder:connectTimeout": "0.5",
             "alicloud-imagebuilder:readTimeout": "0.3",
             "alicloud-imagebuilder:callTimeout": "1"}


def when(condition, then) -> threading.Thread:
    """Run ``then`` once ``condition`` holds (checked every 10 ms, for at most 60 s)."""
    def watch() -> None:
        for _ in range(6000):
            if condition():
                then()
                return
            time.sleep(0.01)
    worker = threading.Thread(target=watch, daemon=True)
    worker.start()
    return worker


def test_a_call_to_a_hanging_api_fails_within_its_call_timeout(imagebuilder_emulator_factory):
    emulator = imagebuilder_emulator_factory(delay_seconds=5, fault_actions=["DescribeRegions"])
    api = EcsApi(resolve_settings(stack_config(emulator, **IMPATIENT), env={}))
    with pytest.raises(ApiError) as failure:
        api.call("DescribeRegions", {}, region=HOME)
    assert failure.value.kind is ErrorKind.UNAVAILABLE and "timed out" in str(failure.value)


def test_a_build_whose_polls_hang_past_its_timeout_is_still_cancelled(
        imagebuilder_emulator_factory):
    emulator = imagebuilder_emulator_factory(phase_seconds=3)
    settings = resolve_settings(stack_config(emulator, **IMPATIENT), env={})
    template_id = TemplateLifecycle(settings, Progress()).create(
        ImageTemplateState.load({**BASE, "build_content": "RUN echo hello"})).id
    # Once the build runs, the status polls hang; once it is cancelled, they answer again.
    when(lambda: emulator.count(POLL) >= 1,
         lambda: emulator.configure(delay_seconds=5, fault_actions=[POLL]))
    when(lambda: emulator.count("CancelImagePipelineExecution") >= 1,
         lambda: emulator.configure(delay_seconds=0))

    with pytest.raises(ProviderError) as failure:
        BuildLifecycle(settings, Progress()).create(build_props(template_id, timeout=2), IDENTITY)
    assert "timed out" in str(failure.value) and "cancelled" in str(failure.value)
    [execution] = emulator.state()["regions"][HOME]["executions"]
    assert execution["Status"] in ("CANCELLING", "CANCELLED")
    assert emulator.count("CancelImagePipelineExecution") == 1
