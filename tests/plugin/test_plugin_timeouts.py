"""The engine's customTimeouts create bounds a build together with its `timeout` (the smaller
wins): a build past it is cancelled and `up` fails saying so."""

from __future__ import annotations

import pytest
from harness import kill_tree, wait_for

pytestmark = pytest.mark.e2e


@pytest.mark.emulator(phase_seconds=1, args=["--manual-clock"])  # the build waits for the test
def test_custom_timeouts_create_shorter_than_timeout_cancels_the_build(project, emulator):
    stack = project("yaml-quickstart")
    program = (stack.dir / "Pulumi.yaml").read_text()
    (stack.dir / "Pulumi.yaml").write_text(program.replace(
        "      deleteImagesOnDestroy: ${deleteImagesOnDestroy}\n",
        "      deleteImagesOnDestroy: ${deleteImagesOnDestroy}\n      timeout: 1h\n"
        "    options:\n      customTimeouts:\n        create: 2s\n"))
    up = stack.start("up", "--yes", "--skip-preview")
    wait_for(lambda: emulator.requests("CancelImagePipelineExecution"), timeout=120)
    emulator.configure(manual_clock=False)  # cancelled: it stops within a phase of wall time
    try:
        output, _ = up.communicate(timeout=300)
    finally:
        if up.poll() is None:
            kill_tree(up)
    assert up.returncode != 0
    [execution] = emulator.all("executions")
    assert execution["Status"] == "CANCELLED"
    assert "Traceback" not in output
    assert "timed out after 2s" in output
