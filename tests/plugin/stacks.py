"""Helpers for a second stack of an example's project."""

from __future__ import annotations

NAMESPACE = "alicloud-imagebuilder"


def second_stack(made, emulator, name: str) -> None:
    """Create and select stack ``name`` with the same provider config as the first one."""
    values = {key: made.run("config", "get", f"{NAMESPACE}:{key}").stdout.strip()
              for key in ("region", "endpoint", "accessKey")}
    made.run("stack", "init", name)
    for key, value in values.items():
        made.run("config", "set", f"{NAMESPACE}:{key}", value)
    made.config(f"{NAMESPACE}:secretKey", emulator.access_key_secret, secret=True)
