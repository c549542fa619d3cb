"""The core's own marker for values that are not known yet (Pulumi preview).

The dynamic adapters translate Pulumi's unknowns into :data:`UNKNOWN` so the core
stays free of Pulumi types.
"""

from __future__ import annotations

from typing import Any


class Unknown:
    """A value that will only be known after an upstream resource is created."""

    _instance: "Unknown | None" = None

    def __new__(cls) -> "Unknown":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "<unknown>"


UNKNOWN = Unknown()


def contains_unknown(value: Any) -> bool:
    if isinstance(value, Unknown):
        return True
    if isinstance(value, dict):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(contains_unknown(v) for v in value)
    return False
