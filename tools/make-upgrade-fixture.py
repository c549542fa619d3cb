"""Make the fixture of the upgrade test: a stack made by an earlier release of this project.

    .venv/bin/python tools/make-upgrade-fixture.py <commit>     # the release's commit, e.g. d3819c1

It takes <commit> of this repository (`git archive`) into a scratch directory, installs it into a
virtualenv of its own, starts the emulator of this checkout and runs the upgrade program
(tests/e2e/upgrade/__main__.py) with that release through the real CLI of `make pulumi`,
configured exactly as tests/e2e/test_upgrade.py configures it. It then writes, into
tests/e2e/upgrade/<the release's version>/:

    stack.json     `pulumi stack export` (secrets under the e2e harness's passphrase), without
                   the places in the program (and so the machine's paths) the CLI records
    emulator.json  GET /_emulator/state, once every build has settled
    release.json   the commit and version that made them

The test loads them with this checkout's code; it needs neither git history nor a network. This
script needs both (git, and a package index for the release's dependencies).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from harness import TOOLS_BIN, UPGRADE, Emulator, cli_env, upgrade_stack, wait_for  # noqa: E402


def _write(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def make(commit: str, scratch: Path) -> Path:
    """Run the release of ``commit`` in ``scratch``; returns the fixture's directory."""
    commit = subprocess.run(["git", "rev-parse", "--verify", f"{commit}^{{commit}}"], cwd=ROOT,
                            check=True, capture_output=True, text=True).stdout.strip()
    release = scratch / "release"
    release.mkdir()
    archive = subprocess.run(["git", "archive", commit], cwd=ROOT, check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(release)], input=archive, check=True)
    version = tomllib.loads((release / "pyproject.toml").read_text())["project"]["version"]
    venv = scratch / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
                    str(release)], check=True)

    env = cli_env(scratch / "pulumi-home")  # the program and its provider run the release's
    env["PATH"] = os.pathsep.join([str(TOOLS_BIN), str(venv / "bin"), env["PATH"]])
    with Emulator() as emulator:
        stack = upgrade_stack(scratch, env, emulator)
        stack.up()
        wait_for(lambda: all(e["Settled"] for e in emulator.all("executions")), timeout=120)
        out = UPGRADE / version
        out.mkdir(exist_ok=True)
        exported = stack.export()
        for resource in exported["deployment"]["resources"]:
            for key in ("sourcePosition", "stackTrace"):
                resource.pop(key, None)
        _write(out / "stack.json", exported)
        _write(out / "emulator.json", emulator.state())
        _write(out / "release.json", {"commit": commit, "version": version})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("commit", help="the commit of the release (any git revision)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="upgrade-fixture-") as scratch:
        print(f"wrote {make(args.commit, Path(scratch)).relative_to(ROOT)}")


if __name__ == "__main__":
    main()
