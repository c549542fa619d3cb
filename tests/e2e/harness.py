"""End-to-end helpers: the real `pulumi` CLI (from `make pulumi`), the emulator as a real
process, and the examples copied into a scratch directory with a local file backend."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TOOLS_BIN = ROOT / ".tools" / "bin"
EXAMPLES = ROOT / "examples"
PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy")


class Emulator:
    """The emulator started as its own process, as users start it."""

    def __init__(self, phase_seconds: float = 0.2, *extra: str) -> None:
        from alicloud_imagebuilder_emulator import DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET

        self.access_key_id = DEFAULT_ACCESS_KEY_ID
        self.access_key_secret = DEFAULT_ACCESS_KEY_SECRET
        env = {k: v for k, v in os.environ.items() if k not in PROXY_VARS}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "alicloud_imagebuilder_emulator", "--port", "0",
             "--phase-seconds", str(phase_seconds), "--quiet", *extra],
            stdout=subprocess.PIPE, text=True, env=env,
        )
        first = self.proc.stdout.readline().strip()
        assert first.startswith("endpoint: "), f"emulator did not start: {first!r}"
        self.url = first.removeprefix("endpoint: ")

    def _call(self, method: str, path: str, body: dict | None = None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(
            f"{self.url}/_emulator/{path}", data=data, method=method,
            headers={"Content-Type": "application/json"},
        )
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(req, timeout=10) as resp:
            return json.loads(resp.read() or b"null")

    def state(self) -> dict:
        return self._call("GET", "state")

    def counts(self) -> dict:
        return self._call("GET", "counts")

    def faults(self, **faults) -> None:
        self._call("POST", "faults", faults)

    def client(self, region_id: str = "cn-hangzhou"):
        """An official SDK client, for changes made behind the stack's back."""
        from alibabacloud_ecs20140526.client import Client
        from alibabacloud_tea_openapi.models import Config

        return Client(Config(
            access_key_id=self.access_key_id, access_key_secret=self.access_key_secret,
            region_id=region_id, endpoint=self.url.removeprefix("http://"), protocol="http",
        ))

    def all(self, kind: str) -> list[dict]:
        """Every object of a kind (templates, executions, components, images, instances, vpcs)
        in every region, each with its "Region"."""
        return [
            {**obj, "Region": region}
            for region, objects in self.state()["regions"].items()
            for obj in objects.get(kind, [])
        ]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=10)


def cli_env(home: Path) -> dict[str, str]:
    """The environment of the real CLI: this checkout's tools first, its own home, no proxies."""
    env = {k: v for k, v in os.environ.items() if k not in PROXY_VARS}
    env.update(
        PATH=os.pathsep.join([str(TOOLS_BIN), str(Path(sys.executable).parent), env.get("PATH", "")]),
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


def wait_for(predicate, timeout: float = 60, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s")
