"""Each resource's state model: what Pulumi records comes back exactly as it was recorded, a state
from an older release still loads, and an interrupted build hands back a state to resume from."""

from __future__ import annotations

import pytest

from alicloud_imagebuilder_provider import waiter
from alicloud_imagebuilder_provider.errors import Interrupted
from alicloud_imagebuilder_provider.models.build import ImageBuildState
from alicloud_imagebuilder_provider.models.template import ImageTemplateState
from alicloud_imagebuilder_provider.registry import REGISTRY
from alicloud_imagebuilder_provider.resources.build import BuildLifecycle
from alicloud_imagebuilder_provider.resources.executions import RUNNING

from provider_testkit import HOME, IDENTITY, build_props


def test_each_state_is_its_inputs_and_outputs_and_names_no_field_itself():
    for entry in REGISTRY:
        assert entry.lifecycle.STATE is entry.state
        assert set(entry.state.model_fields) == (set(entry.inputs.model_fields)
                                                 | set(entry.outputs.model_fields))
        assert "region" in entry.state.model_fields


def test_a_recorded_state_dumps_back_exactly_as_recorded():
    """Stack outputs and exports keep their shape: the same keys (no new None-valued ones, the
    hidden `_identity` under its own name), the same values, nested objects as plain dicts."""
    recorded = {"_identity": "proj/dev/web", "base_image_type": "IMAGE_FAMILY",
                "base_image": "acs:alibaba_cloud_linux_3_2104_lts_x64", "description": None,
                "build_components": ["ic-1", {"component_id": "ic-2", "parameters": {"v": "1"}}],
                "region": HOME, "creation_time": "2026-11-27T09:00:00Z"}
    state = ImageTemplateState.load(recorded)
    assert state.dump() == recorded
    assert state.identity == "proj/dev/web" and state.region == HOME
    assert state.inputs().dump() == {k: v for k, v in recorded.items() if k != "creation_time"}


def test_a_build_state_from_an_older_release_refreshes_with_its_values_kept(template, builds):
    """A key that is no property any more is dropped; a value today's limits reject is kept."""
    template_id, _ = template()
    created = builds.create(build_props(template_id), IDENTITY)
    older = {**created.outs.dump(), "_build_key": "proj/stack/web-build", "timeout": "72h"}
    observed = builds.read(created.id, ImageBuildState.load(older))
    assert observed.id == created.id
    assert observed.outs.dump() == {**created.outs.dump(), "timeout": "72h"}


def test_an_interrupted_build_hands_back_a_state_that_the_next_run_resumes(settings, progress,
                                                                            template, builds):
    template_id, _ = template()

    def interrupt(_seconds: float) -> None:  # what a Ctrl-C does to the build's wait
        raise waiter.interrupted()

    with pytest.raises(Interrupted) as stop:
        BuildLifecycle(settings, progress, sleep=interrupt).create(build_props(template_id),
                                                                   IDENTITY)
    partial = stop.value.partial
    assert isinstance(partial.outs, ImageBuildState) and partial.outs.status in RUNNING
    assert partial.outs.dump() == {**build_props(template_id).dump(), "region": HOME,
                                   "execution_id": partial.id, "status": partial.outs.status}
    assert builds.create(build_props(template_id), IDENTITY).id == partial.id
