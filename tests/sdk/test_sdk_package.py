"""What installing the distribution brings: its metadata, extras and one version."""

from __future__ import annotations

import subprocess
import sys
from importlib import metadata

from packaging.requirements import Requirement

import pulumi_alicloud_imagebuilder

DIST = "pulumi-alicloud-imagebuilder"
TEST_ONLY = {"pytest", "pytest-httpserver", "pytest-timeout", "pulumi-alicloud", "mypy"}


def requirements(extra: str | None) -> set[str]:
    found = set()
    for text in metadata.requires(DIST) or []:
        req = Requirement(text)
        wanted = req.marker.evaluate({"extra": extra}) if req.marker else extra is None
        if wanted and (req.marker is not None) == (extra is not None):
            found.add(req.name)
    return found


def test_the_core_install_pulls_in_nothing_only_tests_need():
    core = requirements(None)
    assert "pulumi" in core and not core & TEST_ONLY


def test_the_pytest_extra_brings_what_the_emulator_fixture_needs_and_nothing_else():
    assert requirements("pytest") == {"pytest", "pytest-httpserver"}
    assert requirements("test") >= {DIST, "pulumi-alicloud", "mypy"}  # the project's own suites


def test_the_runtime_imports_nothing_only_tests_need():
    blocked = "; ".join(f"sys.modules[{m!r}] = None" for m in
                        ("pytest", "pytest_httpserver", "pulumi_alicloud", "mypy", "_pytest"))
    code = (f"import sys; {blocked}\n"
            "import pulumi_alicloud_imagebuilder, alicloud_imagebuilder_emulator.cli\n"
            "from alicloud_imagebuilder_provider.resources import build, component, template\n"
            "from alicloud_imagebuilder_provider import client\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr


def test_metadata_names_the_project_and_one_version():
    meta = metadata.metadata(DIST)
    urls = dict(u.split(", ", 1) for u in meta.get_all("Project-URL"))
    assert {"Homepage", "Source", "Issues", "Documentation"} <= set(urls)
    assert all(u.startswith("https://github.com/") for u in urls.values())
    assert "pulumi" in meta["Keywords"].split(",")
    assert "Typing :: Typed" in meta.get_all("Classifier")
    assert pulumi_alicloud_imagebuilder.__version__ == metadata.version(DIST)
