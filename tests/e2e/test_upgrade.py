"""Upgrading: a stack made by an earlier release (its exported state and the emulator's state then,
saved by tools/make-upgrade-fixture.py into tests/e2e/upgrade/<version>/), taken over by this
checkout with the same program: no change on preview, refresh and up; then a trigger change
rebuilds, and destroy removes what it should and keeps what it should."""

from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path

import pytest
from harness import UPGRADE, Emulator, upgrade_stack

RELEASES = sorted(path for path in UPGRADE.iterdir() if (path / "release.json").exists())
WEB_REGIONS = {"cn-hangzhou", "cn-shanghai", "ap-southeast-1"}


def image_ids(emulator) -> set[str]:
    return {image["ImageId"] for image in emulator.all("images")}


@contextmanager
def taken_over(release: Path, tmp_path: Path, env: dict[str, str]):
    """The emulator started from the release's saved state, and a stack of this checkout holding
    the release's exported state (imported, as when a user moves a stack)."""
    with Emulator(0.2, "--state-file", str(release / "emulator.json")) as emulator:
        stack = upgrade_stack(tmp_path, env, emulator)
        stack.run("stack", "import", "--file", str(release / "stack.json"))
        yield emulator, stack


def assert_destroyed(emulator, kept_images: set[str]) -> None:
    assert emulator.all("templates") == [] and emulator.all("components") == []
    assert image_ids(emulator) == kept_images  # the base build's: kept by default


@pytest.mark.parametrize("release", RELEASES, ids=[path.name for path in RELEASES])
def test_a_stack_made_by_an_earlier_release_sees_no_change_and_then_works(
        release, tmp_path, pulumi_env):
    saved = json.loads((release / "emulator.json").read_text())
    with taken_over(release, tmp_path, pulumi_env) as (emulator, stack):
        before = stack.outputs()
        assert set(before["web_image_ids"]) == WEB_REGIONS

        stack.run("preview", "--expect-no-changes", "--diff")
        stack.run("refresh", "--yes", "--skip-preview", "--expect-no-changes")
        stack.run("up", "--yes", "--skip-preview", "--expect-no-changes")
        assert stack.outputs() == before
        actions = {r["action"] for r in emulator.requests()}
        assert {a for a in actions if not a.startswith("Describe")} == set()  # nothing changed

        stack.config("release", "2")  # a new trigger: a new build of the same template
        stack.up()
        after = stack.outputs()
        assert after["web_execution_id"] != before["web_execution_id"]
        assert set(after["web_image_ids"]) == WEB_REGIONS
        executions = [e for region in saved["regions"].values() for e in region["executions"]]
        assert len(emulator.all("executions")) == len(executions) + 1
        live = image_ids(emulator)
        assert set(after["web_image_ids"].values()) <= live
        assert not set(before["web_image_ids"].values()) & live  # deleteImagesOnDestroy=True

        stack.run("destroy", "--yes", "--skip-preview")
        assert_destroyed(emulator, set(before["base_image_ids"].values()))


@pytest.mark.parametrize("release", RELEASES, ids=[path.name for path in RELEASES])
def test_the_state_an_earlier_release_wrote_is_destroyed_by_its_delete_policies(
        release, tmp_path, pulumi_env):
    """Delete runs on the inputs and outputs that release wrote, untouched by a refresh."""
    with taken_over(release, tmp_path, pulumi_env) as (emulator, stack):
        outputs = stack.outputs()
        stack.run("destroy", "--yes", "--skip-preview")
        assert_destroyed(emulator, set(outputs["base_image_ids"].values()))
