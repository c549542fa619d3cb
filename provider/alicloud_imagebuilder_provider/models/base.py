"""What every resource model shares: validation into failures, canonical values for diffs,
and the mapping between properties and API parameters driven by each field's :class:`Prop`."""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import (TYPE_CHECKING, Annotated, Any, Callable, ClassVar, Iterator, Literal, Mapping,
                    Optional, get_args, get_origin)

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo
from typing_extensions import Self

from ..dotted import dig
from ..errors import InputFailure
from ..unknowns import UNKNOWN, Unknown, contains_unknown
from .content import normalize_text
from .fields import Prop, as_text, prop_of, short


class ApiModel(BaseModel):
    """A model whose fields carry :class:`Prop` metadata (resources and nested objects)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)
    SCHEMA_NAME: ClassVar[str] = ""  # name of a nested object type in schema.json and the SDK
    API_NAMES: ClassVar[dict[str, str]] = {}  # parameters made from several properties
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
    def property_path(cls, api_name: str) -> str | None:
        """``to_region_ids[0]`` for ``ToRegionId.1``: the property an API parameter name (as a
        service message spells it) stands for, or ``None`` when it names no property."""
        parts, path, model = api_name.split("."), "", cls
        while parts:
            match = next(((name, info, prop) for name, info, prop in model.props() if prop.api
                          and parts[:len(prop.api.split("."))] == prop.api.split(".")), None)
            if match is None:
                return None
            name, info, prop = match
            api_parts = (prop.api or "").split(".")
            path, parts = f"{path}.{name}" if path else name, parts[len(api_parts):]
            if prop.codec == "tags":
                return path
            if prop.codec == "list" and parts and (parts[0].isdigit() or parts[0] == "N"):
                index = parts.pop(0)
                path += f"[{int(index) - 1}]" if index.isdigit() else ""
            nested = _nested(info)
            if parts and nested is None:
                return None
            model = nested or model
        return path

    @classmethod
    def with_property_names(cls, text: str) -> str:
        """A service message with the API parameter names it mentions turned into properties."""
        def name(match: re.Match[str]) -> str:
            token = match.group(0)
            return cls.API_NAMES.get(token) or cls.property_path(token) or token
        return _API_TOKEN.sub(name, text)

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


_API_TOKEN = re.compile(r"\b[A-Z][A-Za-z]*(?:\.(?:[A-Z][A-Za-z]*|\d+|N)\b)*")


class ResourceInputs(ApiModel):
    """Inputs of one resource type; ``RESOURCE`` names it in every message."""

    RESOURCE: ClassVar[str] = ""
    DESCRIPTION: ClassVar[str] = ""
    # Properties with no counterpart in the service (they only steer the provider): a read by
    # id cannot know them.
    PROVIDER_SIDE: ClassVar[tuple[str, ...]] = ()
    NOTES: ClassVar[tuple[str, ...]] = ()  # behaviour worth knowing, listed in the reference

    identity: Annotated[Optional[str], Prop(update="ignore", hidden=True)] = Field(
        None, alias="_identity", description="Set by the SDK: what identifies the resource "
        "across runs of the program (project, stack, parent, name); the stable part of its "
        "idempotency tokens. Never compared: adding it to an existing stack changes nothing.")


class ResourceState(ResourceInputs):
    """What the runtime records for one resource: its inputs, its outputs and its region, as
    one typed model. A resource's state class derives from this, its outputs model and its
    inputs model, in that order, and lists no field itself::

        class ImageBuildState(ResourceState, ImageBuildOutputs, ImageBuildInputs): ...

    A state is lenient, never validated: it may be partial (a lookup by id knows only its
    region; an interrupted build its execution, status and region; an import what the service
    says) or come from an older release (a key that is no property is dropped; a value that was
    valid then is kept even where today's limits reject it). :meth:`load` builds one, and
    :meth:`dump` gives back exactly the keys it was given or set since, under their wire names
    (``_identity``), with the values as they are (nested objects stay plain dicts): what
    Pulumi records, so stack outputs and exports never change shape. A property the state
    lacks reads as its default, or ``None`` when it has none; ``model_fields_set`` tells the
    two apart. For validated inputs, the lifecycle parses a state (``Lifecycle.parse``): a
    state is an inputs model for typing only, and the inputs' checks never run on it."""

    INPUTS: ClassVar[type[ResourceInputs]]
    OUTPUTS: ClassVar[type[BaseModel]]
    if TYPE_CHECKING:  # every resource's inputs have one (a field of each inputs model)
        region: Optional[str]

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        _state, outputs, inputs = cls.__bases__
        if not (issubclass(outputs, BaseModel) and issubclass(inputs, ResourceInputs)
                and "region" in inputs.model_fields):
            raise TypeError(f"{cls.__name__}: bases must be ResourceState, the outputs model "
                            "and an inputs model with a region")
        cls.INPUTS, cls.OUTPUTS = inputs, outputs
        shared = set(cls.INPUTS.model_fields) & set(cls.OUTPUTS.model_fields)
        if shared:
            raise TypeError(f"{cls.__name__}: inputs and outputs share {sorted(shared)}")

    @classmethod
    def load(cls, values: Mapping[str, Any]) -> Self:
        """A state from a bag of values keyed by wire name (``_identity``) or field name; keys
        that name no property are dropped, and nothing is validated."""
        names = {**{name: name for name in cls.model_fields},
                 **{cls.key(name): name for name in cls.model_fields}}
        given = {names[key]: value for key, value in values.items() if key in names}
        absent = {name: None for name, info in cls.model_fields.items()
                  if info.is_required() and name not in given}
        return cls.model_construct(set(given), **given, **absent)

    def given(self) -> dict[str, Any]:
        """The values the state holds, by field name (what :meth:`dump` gives, by name)."""
        return {name: getattr(self, name) for name in type(self).model_fields
                if name in self.model_fields_set}

    def dump(self) -> dict[str, Any]:
        """The values the state holds, keyed by wire name, for the runtime to record."""
        return {type(self).key(name): value for name, value in self.given().items()}

    def inputs(self) -> Self:
        """The input properties alone (outputs dropped)."""
        return self.load({k: v for k, v in self.given().items() if k in self.INPUTS.model_fields})

    def outputs(self) -> Self:
        """The output properties alone (inputs dropped)."""
        return self.load({k: v for k, v in self.given().items() if k in self.OUTPUTS.model_fields})

    def to_api(self) -> dict[str, Any]:
        """Never from a state: its values were not validated (see the class docstring)."""
        raise TypeError(f"{type(self).__name__} is a recorded state: build API parameters from "
                        "the validated inputs (Lifecycle.parse), not from a state")


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


def _failures(cls: type[ResourceInputs], exc: ValidationError) -> list[InputFailure]:
    """Failures of known values (an error about an unknown value waits until it is known)."""
    failures = []
    for error in exc.errors(include_url=False):
        if contains_unknown(error.get("input")):
            continue
        blamed = (error.get("ctx") or {}).get("error")
        path = getattr(blamed, "prop", None) or _path(error["loc"]) or "inputs"
        failures.append(InputFailure(re.split(r"[.\[]", path)[0],
                                     _reason(cls, dict(error), path)))
    return failures


def validate(cls: type[ResourceInputs], data: dict[str, Any]) -> ResourceInputs | None:
    """Validate inputs. Returns ``None`` when some values are unknown (preview) and all rules
    pass whatever they turn out to be; raises :class:`Failures` listing every problem otherwise.

    Every value is checked on its own first. Then the rules that combine properties run with
    each unknown value (and each value that failed on its own) standing in as placeholders that
    pass its own property's rules; a failure counts when it holds for every set of placeholders
    tried. So every problem is reported at once, at preview."""
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        failures = _failures(cls, exc)
    blamed = {f.property for f in failures}
    failures += _combined_failures(cls, {k: UNKNOWN if k in blamed else v for k, v in data.items()})
    if failures:
        raise Failures(failures)
    return None


# Placeholder leaves, tried in order; strings take the leaf's index so lists stay unique.
_SAMPLES: tuple[Callable[[int], Any], ...] = (
    lambda i: f"ic-placeholder{i}", lambda i: f"1.0.{i}", lambda i: str(1234567890123456 + i),
    lambda i: 40, lambda i: True, lambda i: False, lambda i: [], lambda i: {})
_MAX_VARIANTS = 64


def _fill(value: Any, leaf: Callable[[int], Any], counter: list[int]) -> Any:
    if isinstance(value, Unknown):
        counter[0] += 1
        return leaf(counter[0] - 1)
    if isinstance(value, dict):
        return {k: _fill(v, leaf, counter) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_fill(v, leaf, counter) for v in value]
    return value


def _literals(annotation: Any) -> list[Any]:
    if get_origin(annotation) is Literal:
        return list(get_args(annotation))
    return [v for arg in get_args(annotation) for v in _literals(arg)]


def _stand_ins(cls: type[ResourceInputs], name: str, value: Any) -> list[Any]:
    """Values of one property with its unknowns filled in, each passing the property's rules:
    none (when allowed), each allowed literal, and the first generic placeholder that fits."""
    info = cls.model_fields[name]
    leaves = [lambda i, v=v: v for v in _literals(info.annotation)] + list(_SAMPLES)
    if isinstance(value, Unknown) and not info.is_required():
        leaves.insert(0, lambda i: None)
    found: list[Any] = []
    generic = False
    for leaf in leaves:
        candidate = _fill(value, leaf, [0])
        try:
            _adapter(cls, name).validate_python(candidate)
        except ValidationError:
            continue
        if leaf in _SAMPLES:
            if generic:
                continue
            generic = True
        if candidate not in found:
            found.append(candidate)
    return found


def _combined_failures(cls: type[ResourceInputs], data: dict[str, Any]) -> list[InputFailure]:
    unknown = {key: value for key, value in data.items() if contains_unknown(value)}
    if not unknown:
        return []  # the model's own validation has run already
    names = {cls.key(n): n for n in cls.model_fields}
    choices = {key: _stand_ins(cls, names[key], value) for key, value in unknown.items()
               if key in names}
    if not all(choices.values()):
        return []  # some unknown cannot be stood in for: wait until it is known
    if math.prod(len(c) for c in choices.values()) <= _MAX_VARIANTS:
        variants = [dict(zip(choices, combo, strict=True))
                    for combo in itertools.product(*choices.values())]
    else:  # too many combinations: vary one property at a time
        first = {key: c[0] for key, c in choices.items()}
        variants = [{**first, key: v} for key, c in choices.items() for v in c]
    common: list[InputFailure] | None = None
    for variant in variants:
        try:
            cls.model_validate({**data, **variant})
            return []  # one way the unknowns can turn out passes every rule
        except ValidationError as exc:
            found = [f for f in _failures(cls, exc) if f.property not in unknown]
        common = found if common is None else [f for f in common if f in found]
    return common or []


# ---------------------------------------------------------------- diff


@dataclass
class Diff:
    """``changes`` None means "cannot tell yet" (unknown values)."""

    changes: bool | None = False
    replaces: list[str] = field(default_factory=list)
    updates: list[str] = field(default_factory=list)
    delete_before_replace: bool = False
    warnings: list[str] = field(default_factory=list)  # shown with the preview

    def detailed(self) -> dict[str, str]:
        """Property name -> "replace" or "update": the per-property diff a native plugin
        reports as a detailed diff (the dynamic host passes only ``replaces`` on)."""
        return {**{name: "update" for name in self.updates},
                **{name: "replace" for name in self.replaces}}


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
        elif (new is None and prop.computed) or (
                canonical(cls, name, old) == canonical(cls, name, new)):
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
