"""What every resource model shares: validation into failures, canonical values for diffs,
and the mapping between properties and API parameters driven by each field's :class:`Prop`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Annotated, Any, ClassVar, Iterator, Optional

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo

from ..dotted import dig
from ..errors import InputFailure
from ..unknowns import contains_unknown
from .content import normalize_text
from .fields import Prop, as_text, prop_of, short


class ApiModel(BaseModel):
    """A model whose fields carry :class:`Prop` metadata (resources and nested objects)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)
    SCHEMA_NAME: ClassVar[str] = ""  # name of a nested object type in schema.json and the SDK
    ACCEPTS_ID: ClassVar[bool] = False  # a bare id string may stand in for the object

    @classmethod
    def props(cls) -> Iterator[tuple[str, FieldInfo, Prop]]:
        for name, info in cls.model_fields.items():
            yield name, info, prop_of(info)

    @classmethod
    def key(cls, name: str) -> str:
        """The property's name on the wire (an alias such as ``_identity``, or the name)."""
        return cls.model_fields[name].alias or name

    def to_api(self) -> dict[str, Any]:
        """API-shaped parameters for every property with an ``api`` path."""
        out: dict[str, Any] = {}
        for name, _info, prop in self.props():
            value = getattr(self, name)
            if prop.api and value is not None:
                _put(out, prop.api, _encode(value, prop))
        return out

    @classmethod
    def from_api(cls, item: dict[str, Any]) -> dict[str, Any]:
        """Property values (unvalidated, snake_case) found in a Describe* item."""
        values: dict[str, Any] = {}
        for name, info, prop in cls.props():
            if not prop.api:
                continue
            raw = next((v for v in (dig(item, p) for p in prop.read_paths) if v not in (None, "")),
                       None)
            values[name] = _decode(raw, prop, _nested(info))
        return values


class ResourceInputs(ApiModel):
    """Inputs of one resource type; ``RESOURCE`` names it in every message."""

    RESOURCE: ClassVar[str] = ""
    DESCRIPTION: ClassVar[str] = ""
    NOTES: ClassVar[tuple[str, ...]] = ()  # behaviour worth knowing, listed in the reference

    identity: Annotated[Optional[str], Prop(update="ignore", hidden=True)] = Field(
        None, alias="_identity", description="Set by the SDK: what identifies the resource "
        "across runs of the program (project, stack, parent, name); the stable part of its "
        "idempotency tokens. Never compared: adding it to an existing stack changes nothing.")


class Failures(Exception):
    def __init__(self, failures: list[InputFailure]):
        super().__init__("; ".join(f.reason for f in failures))
        self.failures = failures


# ---------------------------------------------------------------- validation

_TYPE_WORDS = {
    "string_type": "must be text", "int_type": "must be a whole number",
    "int_parsing": "must be a whole number", "int_from_float": "must be a whole number",
    "float_type": "must be a number", "float_parsing": "must be a number",
    "bool_type": "must be true or false", "bool_parsing": "must be true or false",
    "list_type": "must be a list", "dict_type": "must be a map",
    "model_type": "must be an object", "model_attributes_type": "must be an object",
}


def _path(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif not str(part)[:1].isupper() and "[" not in str(part):  # skip union-branch labels
            text += f".{part}" if text else str(part)
    return text


def _reason(cls: type[ResourceInputs], error: dict[str, Any], path: str) -> str:
    kind, message = error["type"], error["msg"]
    if kind == "missing":
        return f"{cls.RESOURCE}.{path} is required: set it"
    if kind == "extra_forbidden":
        known = ", ".join(sorted(n for n, _i, p in cls.props() if not p.hidden))
        return f"{cls.RESOURCE}.{path} is not a property; check the spelling (known: {known})"
    if kind == "literal_error":
        expected = message.removeprefix("Input should be ").replace(" or ", ", ")
        return f"{cls.RESOURCE}.{path} must be one of {expected}; got {short(error.get('input'))}"
    ctx = error.get("ctx") or {}
    if kind in ("greater_than_equal", "less_than_equal"):
        bound = f"at least {ctx.get('ge')}" if "ge" in ctx else f"at most {ctx.get('le')}"
        return f"{cls.RESOURCE}.{path} must be {bound}; got {short(error.get('input'))}"
    if kind == "too_short":
        return f"{cls.RESOURCE}.{path} must have at least {ctx.get('min_length')} item(s)"
    if kind in _TYPE_WORDS:
        return f"{cls.RESOURCE}.{path} {_TYPE_WORDS[kind]}; got {short(error.get('input'))}"
    message = message.removeprefix("Value error, ")
    joiner = " " if message.startswith(("must ", "is ", "has ", "only ")) else ": "
    return f"{cls.RESOURCE}.{path}{joiner}{message}"


def validate(cls: type[ResourceInputs], data: dict[str, Any]) -> ResourceInputs | None:
    """Validate inputs. Returns ``None`` when some values are unknown (preview) and all known
    values pass; raises :class:`Failures` listing every problem otherwise."""
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        failures = []
        for error in exc.errors(include_url=False):
            if contains_unknown(error.get("input")):
                continue  # checked again once the value is known
            blamed = (error.get("ctx") or {}).get("error")
            path = getattr(blamed, "prop", None) or _path(error["loc"]) or "inputs"
            failures.append(InputFailure(re.split(r"[.\[]", path)[0], _reason(cls, error, path)))
        if failures:
            raise Failures(failures) from None
        return None


# ---------------------------------------------------------------- diff


@dataclass
class Diff:
    """``changes`` None means "cannot tell yet" (unknown values)."""

    changes: bool | None = False
    replaces: list[str] = field(default_factory=list)
    updates: list[str] = field(default_factory=list)
    delete_before_replace: bool = False
    warnings: list[str] = field(default_factory=list)  # shown with the preview


@lru_cache(maxsize=None)
def _adapter(cls: type[ApiModel], name: str) -> TypeAdapter[Any]:
    return TypeAdapter(cls.model_fields[name].rebuild_annotation())


def canonical(cls: type[ApiModel], name: str, value: Any) -> Any:
    """The value as compared by diffs: validated (defaults applied), sets sorted, text
    normalised, empties as ``None``."""
    info = cls.model_fields[name]
    prop = prop_of(info)
    if value is None and not info.is_required():
        value = info.get_default(call_default_factory=True)
    try:
        value = _adapter(cls, name).dump_python(
            _adapter(cls, name).validate_python(value), mode="json")
    except ValidationError:
        pass  # compare as given: an unusable old value differs from any valid new one
    if prop.compare == "set" and isinstance(value, list):
        value = sorted(set(map(str, value)))
    elif prop.compare == "content" and isinstance(value, str):
        value = normalize_text(value)
    return None if value in ("", [], {}) else value


def diff(cls: type[ResourceInputs], olds: dict[str, Any], news: dict[str, Any]) -> Diff:
    """Compare old state with new inputs. An unknown new value counts as a change: a
    replacement for replace-only properties, an "unknown" diff otherwise. A change of a
    create-only property is no change, with a warning."""
    result, unknown = Diff(), False
    for name, _info, prop in cls.props():
        if prop.update == "ignore":
            continue
        key = cls.key(name)
        old, new = olds.get(key), news.get(key)
        if contains_unknown(new):
            unknown = unknown or prop.update not in ("replace", "create_only")
            if prop.update == "create_only":
                continue
        elif (new is None and prop.computed) or canonical(cls, name, old) == canonical(cls, name, new):
            continue
        elif prop.update == "create_only":
            result.warnings.append(
                f"{cls.RESOURCE}.{name} changed but is NOT applied: the service takes it only "
                f"when the {cls.RESOURCE} is created and has no call to change it, and a new "
                f"{cls.RESOURCE} would rebuild images. It applies when the {cls.RESOURCE} is next "
                "replaced for another reason.")
            continue
        (result.replaces if prop.update == "replace" else result.updates).append(name)
    result.changes = True if result.replaces else None if unknown else bool(result.updates)
    return result


# ---------------------------------------------------------------- API mapping


def _put(out: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for part in parents:
        out = out.setdefault(part, {})
    out[last] = value


def _nested(info: FieldInfo) -> type[ApiModel] | None:
    """The nested model of a field typed ``Model``, ``list[Model]`` or ``Optional`` of those."""
    pending = [info.annotation]
    while pending:
        typ = pending.pop()
        if isinstance(typ, type) and issubclass(typ, ApiModel):
            return typ
        pending.extend(getattr(typ, "__args__", ()))
    return None


def _encode(value: Any, prop: Prop) -> Any:
    if prop.codec == "tags":
        return [{"Key": k, "Value": v} for k, v in value.items()]
    if isinstance(value, ApiModel):
        return value.to_api()
    if isinstance(value, list):
        return [v.to_api() if isinstance(v, ApiModel) else v for v in value]
    return value


def unwrap_list(raw: Any) -> list[Any]:
    """``[..]``, ``{"Tag": [..]}`` or ``None`` -> a list (Describe* answers wrap their lists)."""
    if isinstance(raw, dict):
        lists = [v for v in raw.values() if isinstance(v, list)]
        return lists[0] if lists else []
    return list(raw) if isinstance(raw, list) else []


def _decode_tags(raw: Any) -> dict[str, str]:
    pairs = unwrap_list(raw)
    return {str(p.get("TagKey", p.get("Key"))): as_text(p.get("TagValue", p.get("Value")) or "")
            for p in pairs if isinstance(p, dict)}


def _decode(raw: Any, prop: Prop, nested: type[ApiModel] | None) -> Any:
    if raw is None:
        return None
    if prop.codec == "tags":
        return _decode_tags(raw)
    if prop.codec == "list":
        items = unwrap_list(raw)
        return [nested.from_api(i) if nested and isinstance(i, dict) else as_text(i)
                for i in items]
    if nested is not None and isinstance(raw, dict):
        values = nested.from_api(raw)
        return values if any(v not in (None, [], {}) for v in values.values()) else None
    return raw
