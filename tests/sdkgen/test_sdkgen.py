"""The TypeScript and Go SDKs (sdk/nodejs, sdk/go): generated from schema.json by Pulumi's own
generators (tools/gen-sdk, `make sdks`), current, and compiling against Pulumi's SDKs. The npm
packages and Go builds they use are prepared by `make sdk-deps` (make test does it)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SDK = ROOT / "sdk"
NODE_MODULES = ROOT / ".tools" / "nodejs-sdk" / "node_modules"
LANGUAGES = ("nodejs", "go")
SCHEMA = json.loads((ROOT / "schema.json").read_text())
RESOURCES = sorted(token.rsplit(":", 1)[-1] for token in SCHEMA["resources"])


def run(cmd: list[str], cwd: Path, **env: str) -> str:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=540,
                          env={**os.environ, **env})
    assert proc.returncode == 0, f"{' '.join(cmd)} (in {cwd}) failed:\n{proc.stdout}{proc.stderr}"
    return proc.stdout


def files(folder: Path) -> dict[str, bytes]:
    """The generated files under folder, without what building the SDK adds (its .gitignore)."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file() and not {"node_modules", "bin"} & set(path.relative_to(folder).parts)
    }


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sdk")
    run(["go", "run", ".", "-schema", str(ROOT / "schema.json"), "-out", str(out)],
        cwd=ROOT / "tools" / "gen-sdk")
    return out


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_committed_sdk_is_what_the_generator_makes_of_schema_json(regenerated, language):
    committed, fresh = files(SDK / language), files(regenerated / language)
    stale = sorted(name for name in committed.keys() | fresh.keys()
                   if committed.get(name) != fresh.get(name))
    assert not stale, f"sdk/{language} is stale ({', '.join(stale)}): run `make sdks`"


def test_the_typescript_sdk_compiles_and_loads_with_pulumi_from_npm(tmp_path):
    assert (NODE_MODULES / "@pulumi" / "pulumi").is_dir(), "run `make sdk-deps` (make test does)"
    package = tmp_path / "package"
    shutil.copytree(SDK / "nodejs", package)
    (package / "node_modules").symlink_to(NODE_MODULES.resolve())
    run(["node", "node_modules/typescript/bin/tsc", "-p", "."], cwd=package)

    # Published as Pulumi's providers publish theirs: bin/ with the package.json beside the code.
    shutil.copy(package / "package.json", package / "bin")
    loaded = json.loads(run(["node", "-e", """
        const sdk = require("./bin");
        const types = {};
        for (const [name, cls] of Object.entries(sdk.imagebuilder)) types[name] = cls.__pulumiType;
        console.log(JSON.stringify({types, provider: typeof sdk.Provider}));
    """], cwd=package))
    assert loaded == {
        "types": {name: f"alicloud-imagebuilder:imagebuilder:{name}" for name in RESOURCES},
        "provider": "function",
    }
    assert json.loads((package / "package.json").read_text())["pulumi"] == {
        "resource": True, "name": "alicloud-imagebuilder", "version": SCHEMA["version"],
    }


def test_the_go_sdk_builds_and_vets_against_pulumis_go_sdk():
    go = SDK / "go"
    run(["go", "build", "./..."], cwd=go, GOFLAGS="-mod=readonly")
    run(["go", "vet", "./..."], cwd=go, GOFLAGS="-mod=readonly")
    packages = run(["go", "list", "./..."], cwd=go).split()
    assert any(p.endswith("/imagebuilder/imagebuilder") for p in packages), packages
