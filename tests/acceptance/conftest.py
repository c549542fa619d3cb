"""Where the acceptance suite runs: the emulator (started as a process) by default, so it runs in
every `make test`; a real Alibaba Cloud account when IMAGEBUILDER_ACCEPTANCE=real and the
standard credential variables are set. Every name it creates starts with a prefix that
`make sweep` finds (see the README, "Before a release")."""

from __future__ import annotations

import os
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))  # the e2e harness, reused

from harness import TOOLS_BIN, Emulator, Project, cli_env  # noqa: E402

OPT_IN = "IMAGEBUILDER_ACCEPTANCE"
CREDENTIALS = ("ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
               "ALIBABA_CLOUD_REGION_ID")
SHARE_ACCOUNT = "IMAGEBUILDER_ACCEPTANCE_SHARE_ACCOUNT"  # an account id to share images with
PREFIX = "ibacc-"  # tools/sweep.py's default prefix
REAL_TIMEOUT = 4 * 3600.0  # seconds one test (one real build or two) may take


def real_account() -> bool:
    """A real account only when asked for explicitly, and then with every variable set."""
    if os.environ.get(OPT_IN, "").lower() != "real":
        return False
    missing = [name for name in (*CREDENTIALS, SHARE_ACCOUNT) if not os.environ.get(name)]
    if missing:
        raise pytest.UsageError(f"{OPT_IN}=real needs {', '.join(missing)} set (README: Before "
                                "a release)")
    return True


def pytest_collection_modifyitems(items):
    if real_account():
        for item in items:
            if "tests/acceptance/" in str(item.fspath).replace(os.sep, "/"):
                item.add_marker(pytest.mark.timeout(REAL_TIMEOUT))


@dataclass
class Target:
    """The account the suite runs against, as the provider and tools/sweep.py see it."""

    name: str
    env: dict[str, str]  # the ALIBABA_CLOUD_* variables for the provider's client
    region: str
    share_account: str
    config: dict[str, str]  # stack config every project gets
    timeout: float  # seconds one CLI command may take


@pytest.fixture(scope="session")
def target() -> Iterator[Target]:
    if real_account():
        env = {k: v for k, v in os.environ.items() if k.startswith("ALIBABA_CLOUD_")}
        yield Target("real account", env, env["ALIBABA_CLOUD_REGION_ID"],
                     os.environ[SHARE_ACCOUNT], {}, REAL_TIMEOUT)
        return
    emulator = Emulator()
    env = {"ALIBABA_CLOUD_ECS_ENDPOINT": emulator.url,
           "ALIBABA_CLOUD_ACCESS_KEY_ID": emulator.access_key_id,
           "ALIBABA_CLOUD_ACCESS_KEY_SECRET": emulator.access_key_secret,
           "ALIBABA_CLOUD_REGION_ID": "cn-hangzhou"}
    try:
        yield Target("emulator", env, "cn-hangzhou", "1234567890123456",
                     {"alicloud-imagebuilder:endpoint": emulator.url,
                      "alicloud-imagebuilder:pollInterval": "0.1"}, 600.0)
    finally:
        emulator.stop()


@pytest.fixture
def example(tmp_path, target) -> Callable[[str], tuple[Project, str]]:
    """example(name) -> (a stack of a copy of examples/<name> on the target, its name prefix)."""
    if not (TOOLS_BIN / "pulumi").exists():
        pytest.fail("The Pulumi CLI is missing from .tools/bin: run `make pulumi` (make test "
                    "does).")
    env = {**cli_env(tmp_path / "pulumi-home"), **target.env}

    def make(name: str) -> tuple[Project, str]:
        prefix = f"{PREFIX}{uuid.uuid4().hex[:6]}-"
        stack = Project.scratch(name, tmp_path, env, "acceptance", target.timeout)
        for key, value in {**target.config, "alicloud-imagebuilder:region": target.region,
                           "namePrefix": prefix, "shareWithAccount": target.share_account}.items():
            stack.config(key, value)
        return stack, prefix

    return make
