"""Typed access to the flattened query parameters the SDK sends (docs/service-notes.md §2).

Lists arrive as ``Name.1``, ``Name.2``; lists of objects as ``Tag.1.Key``; nested objects as
dotted paths; booleans as ``True``/``False``. Every parse error names the parameter.
An empty value counts as absent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Literal, overload

from .errors import invalid, missing

_INDEXED = re.compile(r"^(?P<base>.+)\.(?P<index>[0-9]+)(?:\.(?P<field>[A-Za-z0-9]+))?$")


class Params:
    def __init__(self, values: Mapping[str, str]):
        self._values = {key: value for key, value in values.items() if value != ""}
        self._indexed: dict[str, dict[int, dict[str | None, str]]] = {}
        for key, value in self._values.items():
            match = _INDEXED.match(key)
            if match:
                slots = self._indexed.setdefault(match["base"], {})
                slots.setdefault(int(match["index"]), {})[match["field"]] = value

    def as_dict(self) -> dict[str, str]:
        return dict(self._values)

    def has(self, name: str) -> bool:
        return name in self._values

    @overload
    def text(self, name: str, default: str, required: bool = False) -> str: ...
    @overload
    def text(self, name: str, default: None = None, *, required: Literal[True]) -> str: ...
    @overload
    def text(self, name: str, default: str | None = None, required: bool = False) -> str | None: ...

    def text(self, name: str, default: str | None = None, required: bool = False) -> str | None:
        value = self._values.get(name)
        if value is None:
            if required:
                raise missing(name)
            return default
        return value

    @overload
    def integer(self, name: str, default: int, lo: int | None = None, hi: int | None = None,
                code: str | None = None) -> int: ...
    @overload
    def integer(self, name: str, default: None = None, lo: int | None = None,
                hi: int | None = None, code: str | None = None) -> int | None: ...

    def integer(self, name: str, default: int | None = None, lo: int | None = None,
                hi: int | None = None, code: str | None = None) -> int | None:
        raw = self._values.get(name)
        if raw is None:
            return default
        expected = "an integer" + (
            f" from {lo} to {hi}" if lo is not None and hi is not None else ""
        )
        try:
            value = int(raw)
        except ValueError:
            raise invalid(name, raw, expected, code) from None
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            raise invalid(name, raw, expected, code)
        return value

    def flag(self, name: str, default: bool | None = None) -> bool | None:
        raw = self._values.get(name)
        if raw is None:
            return default
        lowered = raw.lower()
        if lowered not in ("true", "false"):
            raise invalid(name, raw, "true or false")
        return lowered == "true"

    def values(self, name: str) -> list[str]:
        """``Name.1 .. Name.N`` in index order."""
        slots = self._indexed.get(name, {})
        return [slots[i][None] for i in sorted(slots) if None in slots[i]]

    def objects(self, name: str) -> list[dict[str, str]]:
        """``Name.N.Field`` entries in index order, each as ``{Field: value}``."""
        return [fields for _, fields in self.numbered(name)]

    def numbered(self, name: str) -> list[tuple[int, dict[str, str]]]:
        """``Name.N.Field`` entries in index order, each as ``(N, {Field: value})``."""
        slots = self._indexed.get(name, {})
        return [(i, {k: v for k, v in slots[i].items() if k is not None}) for i in sorted(slots)]

    def tags(self, name: str = "Tag") -> list[tuple[str, str]]:
        return [(entry.get("Key", ""), entry.get("Value", "")) for entry in self.objects(name)]

    def comma_list(self, name: str) -> list[str]:
        raw = self._values.get(name)
        if raw is None:
            return []
        return [part.strip() for part in raw.split(",") if part.strip()]
