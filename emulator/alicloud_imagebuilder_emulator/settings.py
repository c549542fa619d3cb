"""Behaviour knobs of one emulator: build speed, faults, failing regions, quotas."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from . import assumptions, catalog


@dataclass(frozen=True)
class Settings:
    phase_seconds: float = 1.0
    throttle_rate: float = 0.0
    error_rate: float = 0.0
    seed: int = 0
    fail_distribution_to: tuple[str, ...] = ()
    fault_actions: tuple[str, ...] = ()  # empty: faults may hit every action
    delay_seconds: float = 0.0  # answer each request (of fault_actions) this much later
    release_failure: bool = False  # builds ending now fail to release their temporary resources
    pipeline_quota: int = assumptions.PIPELINE_QUOTA
    component_quota: int = assumptions.COMPONENT_QUOTA

    def updated(self, **changes: Any) -> Settings:
        """A copy with ``changes`` applied; ValueError naming the setting when one is bad."""
        known = {f.name for f in fields(self)}
        for key in changes:
            if key not in known:
                raise ValueError(f"unknown setting {key!r} (known: {', '.join(sorted(known))})")
        values = {key: _coerce(key, value) for key, value in changes.items()}
        result = replace(self, **values)
        if result.throttle_rate + result.error_rate > 1.0:
            raise ValueError("throttle_rate + error_rate must not exceed 1")
        return result

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["fail_distribution_to"] = list(self.fail_distribution_to)
        data["fault_actions"] = list(self.fault_actions)
        return data


def _number(key: str, value: Any, lo: float, hi: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(f"{key} must be a number, got {value!r}")
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"{key} must be a number, got {value!r}") from None
    if number < lo or (hi is not None and number > hi):
        bounds = f"between {lo:g} and {hi:g}" if hi is not None else f">= {lo:g}"
        raise ValueError(f"{key} must be {bounds}, got {value!r}")
    return number


def _strings(key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"{key} must be a list of strings, got {value!r}")
    return tuple(value)


def _coerce(key: str, value: Any) -> Any:
    if key == "release_failure":
        if not isinstance(value, bool):
            raise ValueError(f"release_failure must be true or false, got {value!r}")
        return value
    if key == "phase_seconds":
        return _number(key, value, 0.0)
    if key == "delay_seconds":
        return _number(key, value, 0.0, 600.0)
    if key in ("throttle_rate", "error_rate"):
        return _number(key, value, 0.0, 1.0)
    if key in ("seed", "pipeline_quota", "component_quota"):
        number = _number(key, value, 0.0)
        if number != int(number):
            raise ValueError(f"{key} must be a whole number, got {value!r}")
        return int(number)
    names = _strings(key, value)  # fail_distribution_to or fault_actions
    unknown = [
        name for name in names if key == "fail_distribution_to" and name not in catalog.REGIONS
    ]
    if unknown:
        raise ValueError(f"fail_distribution_to: unknown region(s) {', '.join(unknown)}")
    return names
