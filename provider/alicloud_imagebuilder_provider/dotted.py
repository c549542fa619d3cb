"""Following dotted paths through the nested dicts of API answers."""

from __future__ import annotations

from typing import Any


def dig(data: Any, path: str) -> Any:
    """``dig(body, "Images.Image")``: follow dotted keys; ``None`` when a step is missing; an
    empty path is ``data`` itself."""
    for part in filter(None, path.split(".")):
        data = data.get(part) if isinstance(data, dict) else None
    return data
