"""What a typed program sees: the wheel marks its packages typed (py.typed), and mypy --strict
passes over the examples and a program handing an image id on to pulumi-alicloud."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROGRAMS = [*sorted(ROOT.glob("examples/*/__main__.py")),
            Path(__file__).with_name("typed_program.py")]


@pytest.fixture(scope="module")
def installed_wheel(tmp_path_factory) -> Path:
    """The built wheel, unpacked as pip installs it (outside the editable install)."""
    out = tmp_path_factory.mktemp("wheel")
    source = out / "source"  # a clean copy: the build writes nothing into the checkout
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".*", "__pycache__", "build", "dist", "*.egg-info"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-q", "-w",
                    str(out / "dist")], check=True, timeout=600)
    [wheel] = (out / "dist").glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for package in ("pulumi_alicloud_imagebuilder", "alicloud_imagebuilder_provider"):
        assert f"{package}/py.typed" in names
    site = out / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(site), str(wheel)], check=True, timeout=600)
    return site


@pytest.mark.parametrize("program", PROGRAMS, ids=[p.parent.name if p.name == "__main__.py"
                                                   else p.stem for p in PROGRAMS])
def test_mypy_strict_passes_with_the_installed_package(installed_wheel, program, tmp_path):
    env = dict(os.environ, PYTHONPATH=str(installed_wheel))
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir",
         str(tmp_path), str(program)],
        env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
