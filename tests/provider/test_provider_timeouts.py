"""A hanging API is bounded: every call has connect, read and overall timeouts, and a build that
reaches its deadline while the API hangs is still cancelled."""

from __future__ import annotations

from typing import Any

import pytest

from alicloud_imagebuilder_provider.client import EcsApi
from alicloud_imagebuilder_provider.errors import ApiError, ErrorKind, ProviderError
from alicloud_imagebuilder_provider.models.template import ImageTemplateState
from alicloud_imagebuilder_provider.resources.build import BuildLifecycle
from alicloud_imagebuilder_provider.resources.template import TemplateLifecycle
from alicloud_imagebuilder_provider.settings import resolve_settings

from provider_testkit import (BASE, BUILD_PHASE, HOME, IDENTITY, QUICK_POLLS, Progress, build_props,
                              stack_config)

POLL = "DescribeImagePipelineExecutions"
IMPATIENT = {**QUICK_POLLS, "alicloud-imagebuilder:connectTimeout": "0.5",
             "alicloud-imagebuilder:readTimeout": "0.3",
             "alicloud-imagebuilder:callTimeout": "1"}


def test_a_call_to_a_hanging_api_fails_within_its_call_timeout(imagebuilder_emulator_factory):
    emulator = imagebuilder_emulator_factory(delay_seconds=5, fault_actions=["DescribeRegions"])
    api = EcsApi(resolve_settings(stack_config(emulator, **IMPATIENT), env={}))
    with pytest.raises(ApiError) as failure:
        api.call("DescribeRegions", {}, region=HOME)
    assert failure.value.kind is ErrorKind.UNAVAILABLE and "timed out" in str(failure.value)


def test_a_build_whose_polls_hang_past_its_timeout_is_still_cancelled(
        imagebuilder_emulator_factory):
    def hang_the_polls_while_it_runs(record: Any) -> None:
        if record.action == POLL and emulator.count(POLL) == 1:  # the build runs: polls hang
            emulator.configure(delay_seconds=5, fault_actions=[POLL])
        if record.action == "CancelImagePipelineExecution":  # cancelled: they answer again,
            emulator.configure(delay_seconds=0)  # and the build stops within a phase
            emulator.advance(BUILD_PHASE)

    # The build stands still (manual clock) while the provider's deadline runs on wall time.
    emulator = imagebuilder_emulator_factory(manual_clock=True, phase_seconds=BUILD_PHASE,
                                             on_request=hang_the_polls_while_it_runs)
    settings = resolve_settings(stack_config(emulator, **IMPATIENT), env={})
    template_id = TemplateLifecycle(settings, Progress()).create(
        ImageTemplateState.load({**BASE, "build_content": "RUN echo hello"})).id

    with pytest.raises(ProviderError) as failure:
        BuildLifecycle(settings, Progress()).create(build_props(template_id, timeout=2), IDENTITY)
    assert "timed out" in str(failure.value) and "cancelled" in str(failure.value)
    [execution] = emulator.state()["regions"][HOME]["executions"]
    assert execution["Status"] == "CANCELLED"
    assert emulator.count("CancelImagePipelineExecution") == 1
