"""Fixtures for the end-to-end suite (helpers in harness.py)."""

from __future__ import annotations

import os

import pytest

from harness import TOOLS_BIN, Emulator, Project, cli_env


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def pulumi_env(tmp_path_factory) -> dict[str, str]:
    if not (TOOLS_BIN / "pulumi").exists():
        pytest.fail("The Pulumi CLI is missing from .tools/bin: run `make pulumi` "
                    "(make test does).")
    return cli_env(tmp_path_factory.mktemp("pulumi-home"))


@pytest.fixture
def emulator(request):
    """The emulator process; `@pytest.mark.emulator(phase_seconds=..., args=[...])` sets it up."""
    marker = request.node.get_closest_marker("emulator")
    options = marker.kwargs if marker else {}
    emu = Emulator(options.get("phase_seconds", 0.2), *options.get("args", ()))
    yield emu
    emu.stop()


@pytest.fixture
def project(tmp_path, pulumi_env, emulator, request):
    """project(example) → a configured stack of a scratch copy of examples/<example>."""
    made: list[Project] = []

    def make(example: str, stack: str = "e2e", region: str = "cn-hangzhou",
             credentials: str = "config", program: str | None = None) -> Project:
        """credentials: "config" (stack config, the key secret as a secret) or "environment";
        program: a scratch __main__.py replacing the example's."""
        env = dict(pulumi_env)
        if credentials == "environment":
            env.update(ALIBABA_CLOUD_ACCESS_KEY_ID=emulator.access_key_id,
                       ALIBABA_CLOUD_ACCESS_KEY_SECRET=emulator.access_key_secret)
        proj = Project.scratch(example, tmp_path, env, stack, program=program)
        proj.config("alicloud-imagebuilder:region", region)
        proj.config("alicloud-imagebuilder:endpoint", emulator.url)
        if credentials == "config":
            proj.config("alicloud-imagebuilder:accessKey", emulator.access_key_id)
            proj.config("alicloud-imagebuilder:secretKey", emulator.access_key_secret, secret=True)
        proj.config("alicloud-imagebuilder:pollInterval", "0.1")
        made.append(proj)
        return proj

    yield make
    outcome = getattr(request.node, "rep_call", None)
    if outcome is not None and outcome.failed:  # the last CLI runs, to see what went wrong
        for proj in made:
            print("\n".join(proj.log[-6:]))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)
