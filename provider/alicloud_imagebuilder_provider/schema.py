"""schema.json: a Pulumi package schema generated from the models.

``python -m alicloud_imagebuilder_provider.schema > schema.json`` (``make schema``). Tokens are
``alicloud-imagebuilder:imagebuilder:<Resource>``; each resource lists the type the SDK's dynamic
resource records (``pulumi-python:dynamic/imagebuilder:<Resource>``) as an alias. Property names
are camelCase (:func:`camel` of the models' snake_case field names), as Pulumi's conventions want;
the Python SDK and the dynamic runtime keep the snake_case names (``sdkgen.snake`` maps back).
"""

from __future__ import annotations

import json
import types
import typing
from typing import Any, Iterator

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from . import __version__
from .models import MODULE, PACKAGE, RESOURCES, ResourceSpec
from .models.base import ApiModel
from .models.fields import prop_of
from .settings import CONFIG_KEYS

_SCALARS = {str: "string", int: "integer", float: "number", bool: "boolean"}


def camel(name: str) -> str:
    """The schema's (wire) name of a model field: ``to_region_ids`` -> ``toRegionIds``."""
    head, *rest = name.split("_")
    return head + "".join(word[:1].upper() + word[1:] for word in rest)


def visible_fields(model: type[BaseModel]) -> Iterator[tuple[str, FieldInfo]]:
    for name, info in model.model_fields.items():
        if not prop_of(info).hidden:
            yield name, info


def type_token(model: type[ApiModel]) -> str:
    return f"{PACKAGE}:{MODULE}:{model.SCHEMA_NAME}"


def type_spec(annotation: Any) -> dict[str, Any]:
    """The schema type of a Python annotation (``Optional`` dropped, unions as ``oneOf``)."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return type_spec(args[0])
    if origin in (typing.Union, types.UnionType):
        options = [type_spec(a) for a in args if a is not type(None)]
        return options[0] if len(options) == 1 else {"oneOf": options}
    if origin is typing.Literal:
        return {"type": _SCALARS[type(args[0])]}
    if origin is list:
        return {"type": "array", "items": type_spec(args[0])}
    if origin is dict:
        return {"type": "object", "additionalProperties": type_spec(args[1])}
    if isinstance(annotation, type) and issubclass(annotation, ApiModel):
        ref = {"$ref": f"#/types/{type_token(annotation)}"}
        return {"oneOf": [{"type": "string"}, ref]} if annotation.ACCEPTS_ID else ref
    return {"type": _SCALARS[annotation]}


def property_spec(info: FieldInfo, *, replaces: bool = False) -> dict[str, Any]:
    spec = {**type_spec(info.annotation), "description": info.description or ""}
    default = None if info.is_required() else info.get_default(call_default_factory=True)
    if default not in (None, [], {}):
        if "oneOf" in spec:  # a union's default is applied by the provider (Check), not the SDKs
            spec["description"] += f" Default: `{json.dumps(default)}`."
        else:
            spec["default"] = default
    if replaces:
        spec["willReplaceOnChanges"] = True
    return spec


def nested_models(model: type[BaseModel]) -> Iterator[type[ApiModel]]:
    """Object types used by ``model``'s fields, depth first."""
    for _name, info in visible_fields(model):
        pending = [info.annotation]
        while pending:
            typ = pending.pop()
            if isinstance(typ, type) and issubclass(typ, ApiModel) and typ.SCHEMA_NAME:
                yield from nested_models(typ)
                yield typ
            pending.extend(typing.get_args(typ))


def object_spec(model: type[ApiModel]) -> dict[str, Any]:
    return {"type": "object", "description": (model.__doc__ or "").strip(),
            "properties": {camel(n): property_spec(i) for n, i in visible_fields(model)},
            "required": [camel(n) for n, i in visible_fields(model) if i.is_required()]}


def resource_spec(spec: ResourceSpec) -> dict[str, Any]:
    inputs = {camel(name): property_spec(info, replaces=prop_of(info).update == "replace")
              for name, info in visible_fields(spec.inputs)}
    outputs = {camel(name): property_spec(info) for name, info in visible_fields(spec.outputs)}
    required_inputs = [camel(n) for n, i in visible_fields(spec.inputs) if i.is_required()]
    # Outputs that are always set: required ones and those with a value by default ({} or []).
    always = required_inputs + [camel(n) for n, i in visible_fields(spec.outputs)
                                if i.is_required()
                                or i.get_default(call_default_factory=True) is not None]
    return {
        "description": spec.inputs.DESCRIPTION,
        "properties": {**inputs, **outputs},
        "required": always + ["region"],
        "inputProperties": inputs,
        "requiredInputs": required_inputs,
        "aliases": [{"type": spec.dynamic_type}],
    }


FUNCTION_OUTPUTS = ("execution_id", "status", "image_id", "image_name", "image_ids",
                    "creation_time", "finished_time")


def function_specs() -> dict[str, Any]:
    """getBuild and getLatestBuild: a build's images, read by another stack (their outputs are
    ImageBuild's, from its model)."""
    from .models.build import ImageBuildOutputs

    fields = ImageBuildOutputs.model_fields
    outputs = {"properties": {**{camel(n): property_spec(fields[n]) for n in FUNCTION_OUTPUTS},
                              "templateId": {"type": "string", "description": "The template."},
                              "region": {"type": "string", "description": "The build's region."}},
               "required": ["executionId", "imageIds", "templateId", "region"]}
    region = {"type": "string", "description": "Region of the build (default: the provider's)."}

    def function(what: str, key: str, about: str) -> dict[str, Any]:
        return {"description": what,
                "inputs": {"properties": {key: {"type": "string", "description": about},
                                          "region": region}, "required": [key]},
                "outputs": outputs}

    return {
        f"{PACKAGE}:{MODULE}:getBuild": function(
            "A build (its status, image name and each region's image id) by its execution id.",
            "executionId", "The build's execution id (`exec-...`)."),
        f"{PACKAGE}:{MODULE}:getLatestBuild": function(
            "The newest successful build of a template, and each region's image id.",
            "templateId", "The template's id (`ip-...`)."),
    }


def config_spec() -> dict[str, Any]:
    variables: dict[str, dict[str, Any]] = {}
    for key in CONFIG_KEYS:
        notes = [f"Falls back to `alicloud:{key.fallback}`." if key.fallback else "",
                 f"Environment: `{key.env}`." if key.env else ""]
        variables[key.key] = {"type": key.type,
                              "description": " ".join([key.description, *filter(None, notes)])}
        if key.default is not None:
            variables[key.key]["default"] = key.default
        if key.secret:
            variables[key.key]["secret"] = True
    return {"variables": variables}


def build_schema() -> dict[str, Any]:
    nested = {m.SCHEMA_NAME: m for spec in RESOURCES for m in [*nested_models(spec.inputs),
                                                                 *nested_models(spec.outputs)]}
    return {
        "name": PACKAGE,
        "displayName": "Alibaba Cloud ECS Image Builder",
        "version": __version__,
        "description": "Image templates, components and builds of Alibaba Cloud ECS Image Builder "
                       "that run to their end and output each region's image id.",
        "keywords": ["pulumi", "alicloud", "ecs", "image", "category/cloud"],
        "license": "Apache-2.0",
        "meta": {"moduleFormat": "(.*)", "supportPack": True},
        "language": {
            "python": {"packageName": "pulumi_alicloud_imagebuilder"},
            "nodejs": {"packageName": "pulumi-alicloud-imagebuilder"},
            "go": {"importBasePath": "github.com/pulumi-alicloud-imagebuilder/"
                                     "pulumi-alicloud-imagebuilder/sdk/go/imagebuilder",
                   "generateResourceContainerTypes": True},
        },
        "config": config_spec(),
        "types": {type_token(m): object_spec(m) for _name, m in sorted(nested.items())},
        "resources": {spec.token: resource_spec(spec) for spec in RESOURCES},
        "functions": function_specs(),
    }


def render() -> str:
    return json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    print(render(), end="")
