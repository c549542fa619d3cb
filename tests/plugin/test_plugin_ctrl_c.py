"""One Ctrl-C in the middle of a build on the plugin: the CLI stops promptly, the state holds the
build, the next `up` ends on that same build, and destroy leaves nothing."""

from __future__ import annotations

import os
import signal
import subprocess

import pytest
from harness import kill_tree, wait_for

pytestmark = pytest.mark.e2e
EXIT_BOUND = 10  # seconds the CLI may take to exit after the Ctrl-C (the promise)


def interrupted_up(stack, emulator) -> str:
    """`pulumi up`, one Ctrl-C once the build runs; the build's execution id."""
    proc = stack.start("up", "--yes", "--skip-preview")
    running = wait_for(lambda: emulator.all("executions"), timeout=300)
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
    try:
        output, _ = proc.communicate(timeout=EXIT_BOUND)
    except subprocess.TimeoutExpired:
        kill_tree(proc)
        pytest.fail(f"the CLI did not exit within {EXIT_BOUND}s of one Ctrl-C")
    assert proc.returncode != 0
    [execution] = emulator.all("executions")
    assert execution["Status"] == "PREPARING"  # the clock stood still: still running
    execution_id = running[0]["ExecutionId"]
    assert f"build {execution_id} keeps running in the service" in output
    assert "Traceback" not in output
    assert [b["id"] for b in stack.resources(":ImageBuild")] == [execution_id]
    return execution_id


@pytest.mark.emulator(phase_seconds=3, args=["--manual-clock"])  # the build waits for the test
def test_one_ctrl_c_mid_build_keeps_the_build_and_the_next_up_resumes_it(project, emulator):
    stack = project("yaml-quickstart")
    execution_id = interrupted_up(stack, emulator)
    emulator.configure(manual_clock=False)  # the build goes on, on wall time
    stack.up()
    assert stack.outputs()["executionId"] == execution_id
    assert [e["ExecutionId"] for e in emulator.all("executions")] == [execution_id]

    stack.run("destroy", "--yes", "--skip-preview")
    assert emulator.all("images") == []


@pytest.mark.emulator(phase_seconds=3, args=["--manual-clock"])  # the build waits for the test
def test_destroy_right_after_a_ctrl_c_leaves_nothing_behind(project, emulator):
    """The interrupted build is cancelled and `delete_images_on_destroy` applies (were it
    ended meanwhile, its images would be found and deleted)."""
    stack = project("yaml-quickstart")
    interrupted_up(stack, emulator)
    emulator.configure(manual_clock=False)  # a cancelled build stops within a phase of wall time
    stack.run("destroy", "--yes", "--skip-preview")
    assert emulator.all("images") == [] and emulator.all("templates") == []
