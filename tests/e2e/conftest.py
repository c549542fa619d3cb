"""End-to-end harness: the real `pulumi` CLI (from `make pulumi`), the emulator as a real
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

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOOLS_BIN = ROOT / ".tools" / "bin"
EXAMPLES = ROOT / "examples"
PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


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

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=10)


class Project:
    """A copy of an example, driven through the real CLI."""

    def __init__(self, workdir: Path, env: dict[str, str], stack: str) -> None:
        self.dir = workdir
        self.env = env
        self.stack = stack
        self.log: list[str] = []

    def run(self, *args: str, check: bool = True, timeout: float = 600) -> subprocess.CompletedProcess:
        proc = subprocess.run(
            ["pulumi", *args, "--non-interactive", "--color", "never"],
            cwd=self.dir, env=self.env, capture_output=True, text=True, timeout=timeout,
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
        self.run("config", "set", *(["--secret"] if secret else []), key, value)

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


@pytest.fixture(scope="session")
def pulumi_env(tmp_path_factory) -> dict[str, str]:
    if not (TOOLS_BIN / "pulumi").exists():
        pytest.fail("The Pulumi CLI is missing from .tools/bin: run `make pulumi` (make test does).")
    home = tmp_path_factory.mktemp("pulumi-home")
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


@pytest.fixture
def emulator():
    emu = Emulator()
    yield emu
    emu.stop()


@pytest.fixture
def project(tmp_path, pulumi_env, emulator, request):
    """project(example) → a configured stack of a scratch copy of examples/<example>."""
    made: list[Project] = []

    def make(example: str, stack: str = "e2e", region: str = "cn-hangzhou") -> Project:
        workdir = tmp_path / example
        shutil.copytree(EXAMPLES / example, workdir)
        state = tmp_path / "state"
        state.mkdir(exist_ok=True)
        env = dict(pulumi_env, PULUMI_BACKEND_URL=f"file://{state}")
        proj = Project(workdir, env, stack)
        proj.run("stack", "init", stack)
        proj.config("alicloud-imagebuilder:region", region)
        proj.config("alicloud-imagebuilder:endpoint", emulator.url)
        proj.config("alicloud-imagebuilder:accessKey", emulator.access_key_id)
        proj.config("alicloud-imagebuilder:secretKey", emulator.access_key_secret, secret=True)
        proj.config("alicloud-imagebuilder:pollInterval", "0.1")
        made.append(proj)
        return proj

    yield make
    if request.node.rep_call.failed if hasattr(request.node, "rep_call") else False:
        for proj in made:
            print("\n".join(proj.log[-6:]))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)


def wait_for(predicate, timeout: float = 60, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s")
