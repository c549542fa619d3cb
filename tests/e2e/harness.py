"""End-to-end helpers: the real `pulumi` CLI (from `make pulumi`), the emulator as a real
process, and the examples copied into a scratch directory with a local file backend."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from alicloud_imagebuilder_emulator.process import EmulatorProcess, without_proxies

ROOT = Path(__file__).resolve().parents[2]
TOOLS_BIN = ROOT / ".tools" / "bin"
EXAMPLES = ROOT / "examples"
UPGRADE = ROOT / "tests" / "e2e" / "upgrade"  # the upgrade test's program, a fixture per release


class Emulator(EmulatorProcess):
    """The emulator started as its own process, as users start it (phase 0.2 s by default)."""

    def __init__(self, phase_seconds: float = 0.2, *args: str) -> None:
        super().__init__(phase_seconds, *args)


def cli_env(home: Path) -> dict[str, str]:
    """The environment of the real CLI: this checkout's tools first, its own home, no proxies."""
    env = without_proxies()
    env.update(
        PATH=os.pathsep.join([str(TOOLS_BIN), str(Path(sys.executable).parent),
                              env.get("PATH", "")]),
        PULUMI_HOME=str(home),
        PULUMI_CONFIG_PASSPHRASE="e2e-passphrase",
        PULUMI_SKIP_UPDATE_CHECK="true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION="true",
        PULUMI_SKIP_CONFIRMATIONS="true",
    )
    return env


class Project:
    """A copy of an example, driven through the real CLI."""

    def __init__(self, workdir: Path, env: dict[str, str], stack: str,
                 timeout: float = 600) -> None:
        self.dir = workdir
        self.env = env
        self.stack = stack
        self.timeout = timeout  # seconds one CLI command may take
        self.log: list[str] = []

    @classmethod
    def scratch(cls, example: str, tmp_path: Path, env: dict[str, str], stack: str,
                timeout: float = 600, program: str | None = None) -> "Project":
        """A new stack of a copy of examples/<example>, with a local file backend; ``program``
        replaces the example's __main__.py."""
        workdir = tmp_path / example
        shutil.copytree(EXAMPLES / example, workdir)
        if program is not None:
            (workdir / "__main__.py").write_text(program)
        state = tmp_path / "state"
        state.mkdir(exist_ok=True)
        proj = cls(workdir, dict(env, PULUMI_BACKEND_URL=f"file://{state}"), stack, timeout)
        proj.run("stack", "init", stack)
        return proj

    def run(self, *args: str, check: bool = True, timeout: float | None = None,
            stdin: str | None = None) -> subprocess.CompletedProcess:
        proc = subprocess.run(
            ["pulumi", *args, "--non-interactive", "--color", "never"],
            cwd=self.dir, env=self.env, capture_output=True, text=True,
            timeout=timeout or self.timeout, input=stdin,
        )
        self.log.append(f"$ pulumi {' '.join(args)}\n{proc.stdout}{proc.stderr}")
        if check and proc.returncode != 0:
            raise AssertionError(
                f"pulumi {' '.join(args)} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
            )
        return proc

    def start(self, *args: str) -> subprocess.Popen:
        """Start a CLI command without waiting for it (to interrupt it)."""
        return subprocess.Popen(
            ["pulumi", *args, "--non-interactive", "--color", "never"],
            cwd=self.dir, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True,
        )

    def config(self, key: str, value: str, secret: bool = False) -> None:
        if secret:  # from stdin, as a user would, so that no command line holds it
            self.run("config", "set", "--secret", key, stdin=value)
        else:
            self.run("config", "set", key, value)

    def up(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return self.run("up", "--yes", "--skip-preview", *args, check=check)

    def outputs(self) -> dict:
        return json.loads(self.run("stack", "output", "--json").stdout)

    def export(self) -> dict:
        return json.loads(self.run("stack", "export").stdout)

    def resources(self, type_suffix: str = "") -> list[dict]:
        return [
            r for r in self.export()["deployment"].get("resources", [])
            if r["type"].endswith(type_suffix)
        ]


def upgrade_stack(tmp_path: Path, env: dict[str, str], emulator: EmulatorProcess) -> Project:
    """A new stack of the upgrade program (tests/e2e/upgrade), configured for ``emulator``: the
    same for the release that makes the fixture (tools/make-upgrade-fixture.py) and for this
    checkout. The endpoint comes from the environment, so that the state holds no port."""
    workdir = tmp_path / "upgrade"
    workdir.mkdir()
    for name in ("Pulumi.yaml", "__main__.py"):
        shutil.copy(UPGRADE / name, workdir / name)
    state = tmp_path / "upgrade-state"
    state.mkdir()
    env = dict(env, PULUMI_BACKEND_URL=f"file://{state}", ALIBABA_CLOUD_ECS_ENDPOINT=emulator.url)
    proj = Project(workdir, env, "upgrade")
    proj.run("stack", "init", proj.stack)
    proj.config("alicloud-imagebuilder:region", "cn-hangzhou")
    proj.config("alicloud-imagebuilder:accessKey", emulator.access_key_id)
    proj.config("alicloud-imagebuilder:secretKey", emulator.access_key_secret, secret=True)
    proj.config("alicloud-imagebuilder:pollInterval", "0.1")
    return proj


def _children() -> dict[int, list[int]]:
    """Parent pid -> child pids, from /proc."""
    tree: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        tree.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    return tree


def kill_tree(proc: subprocess.Popen) -> None:
    """SIGKILL a CLI and every process it started, as a crash would. The engine starts its
    plugins (language host, providers) in their own process groups: killing the CLI's group
    alone would leave them running, orphaned, for the rest of the test session."""
    family: list[int] = []
    for sig in (signal.SIGSTOP, signal.SIGKILL):  # freeze first, so that none escapes
        pending, tree = [proc.pid], _children()
        while pending:
            pid = pending.pop()
            if pid not in family:
                family.append(pid)
            pending += [c for c in tree.get(pid, []) if c not in family]
        for pid in family:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
    proc.wait(timeout=30)


def follow(proc: subprocess.Popen) -> list[str]:
    """The lines of a started command's output as they come (read by a thread), so that a test
    can wait for one of them."""
    lines: list[str] = []

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)

    threading.Thread(target=read, daemon=True).start()
    return lines


def wait_for(predicate, timeout: float = 60, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s")
