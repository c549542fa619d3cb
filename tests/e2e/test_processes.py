"""No process outlives the CLI: the language host and the dynamic provider host exit once the
engine is gone, as Pulumi's own plugins do."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from harness import wait_for

RUNNING = {"PREPARING", "REPAIRING", "BUILDING", "TESTING", "DISTRIBUTING", "RELEASING"}


def children() -> dict[int, int]:
    """pid -> parent pid of every process."""
    found = {}
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
        except (OSError, ValueError):
            continue
        if entry.name.isdigit():
            found[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    return found


def descendants(root: int) -> set[int]:
    parents, found, pending = children(), set(), [root]
    while pending:
        pid = pending.pop()
        kids = {p for p, parent in parents.items() if parent == pid} - found
        found |= kids
        pending.extend(kids)
    return found


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


@pytest.mark.emulator(args=["--manual-clock"])  # the build runs until the test ends
def test_no_plugin_outlives_a_killed_cli(project, emulator):
    stack = project("quickstart")
    stack.env["ALIBABA_CLOUD_IMAGEBUILDER_ENGINE_CHECK_INTERVAL"] = "1"
    cli = stack.start("up", "--yes", "--skip-preview")
    started: set[int] = set()
    try:
        wait_for(lambda: any(e["Status"] in RUNNING for e in emulator.all("executions")),
                 timeout=120)
        started = descendants(cli.pid)
        hosts = {pid for pid in started if "pulumi_language_python" in command(pid)
                 or "pulumi.dynamic" in command(pid)}
        assert len(hosts) == 2, {pid: command(pid) for pid in started}
        cli.send_signal(signal.SIGKILL)
        cli.wait(timeout=30)
        wait_for(lambda: not any(running(pid) for pid in started), timeout=60)
    finally:
        for pid in started:  # whatever this test started and is still running
            if running(pid):
                os.kill(pid, signal.SIGKILL)
        if cli.poll() is None:
            cli.kill()
