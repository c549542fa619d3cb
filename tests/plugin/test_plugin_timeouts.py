"""The engine's customTimeouts create bounds a build together with its `timeout` (the smaller
wins): a build past it is cancelled and `up` fails saying so."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


@pytest.mark.emulator(phase_seconds=5)
def test_custom_timeouts_create_shorter_than_timeout_cancels_the_build(project, emulator):
    stack = project("yaml-quickstart")
    program = (stack.dir / "Pulumi.yaml").read_text()
    (stack.dir / "Pulumi.yaml").write_text(program.replace(
        "      deleteImagesOnDestroy: ${deleteImagesOnDestroy}\n",
        "      deleteImagesOnDestroy: ${deleteImagesOnDestroy}\n      timeout: 1h\n"
        "    options:\n      customTimeouts:\n        create: 2s\n"))
    result = stack.up(check=False)
    assert result.returncode != 0
    [execution] = emulator.all("executions")
    assert execution["Status"] == "CANCELLED"
    assert "Traceback" not in result.stdout + result.stderr
    assert "timed out after 2s" in result.stdout
