"""The wire's (schema's camelCase) property names to the models' names and back, driven by the
schema's types: object types rename their keys, maps (``tags``, ``triggers``) keep theirs."""

from __future__ import annotations

import functools
from typing import Any

from ..schema import build_schema, camel

__all__ = ["camel", "to_core", "to_wire", "wire_name"]
from ..sdkgen import snake


@functools.cache
def schema() -> dict[str, Any]:
    return build_schema()


def resource_type(token: str) -> dict[str, Any]:
    """A resource's properties as one object type, for the conversions below."""
    return {"properties": schema()["resources"][token]["properties"]}


def _object_type(spec: dict[str, Any], value: Any) -> dict[str, Any] | None:
    if not isinstance(value, dict):
        return None
    for option in [spec, *spec.get("oneOf", [])]:
        if "$ref" in option:
            found: dict[str, Any] = schema()["types"][option["$ref"].rsplit("/", 1)[-1]]
            return found
    return None


def _convert(value: Any, spec: dict[str, Any], to_core: bool) -> Any:
    obj = _object_type(spec, value)
    if obj is not None:
        return convert_object(value, obj, to_core)
    if isinstance(value, list):
        return [_convert(v, spec.get("items", {}), to_core) for v in value]
    if isinstance(value, dict):
        return {k: _convert(v, spec.get("additionalProperties", {}), to_core)
                for k, v in value.items()}
    return value


def convert_object(value: dict[str, Any], obj: dict[str, Any], to_core: bool) -> dict[str, Any]:
    """Keys renamed (camelCase -> snake_case when ``to_core``, else back), values converted by
    their schema type. Going out, keys the schema does not know (internal ones) are dropped."""
    properties = obj["properties"]
    out = {}
    for key, item in value.items():
        wire = key if to_core else camel(key)
        if wire not in properties:
            if to_core:
                out[key] = item
            continue
        out[snake(key) if to_core else wire] = _convert(item, properties[wire], to_core)
    return out


def to_core(token: str, props: dict[str, Any]) -> dict[str, Any]:
    return convert_object(props, resource_type(token), True)


def to_wire(token: str, props: dict[str, Any]) -> dict[str, Any]:
    return convert_object(props, resource_type(token), False)


def wire_name(name: str) -> str:
    """A property path of the models (``build_components[0].component_id``) on the wire."""
    return ".".join(camel(part) for part in name.split("."))
