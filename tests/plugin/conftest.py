"""The plugin's tests reuse the end-to-end suite's harness and fixtures (the real CLI, the emulator
as a process, scratch copies of the examples)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

E2E = Path(__file__).resolve().parents[1] / "e2e"
sys.path.insert(0, str(E2E))  # the e2e harness, reused

_spec = importlib.util.spec_from_file_location("e2e_conftest", E2E / "conftest.py")
assert _spec is not None and _spec.loader is not None
_e2e = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_e2e)
pulumi_env, emulator, project = _e2e.pulumi_env, _e2e.emulator, _e2e.project
