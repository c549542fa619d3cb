"""docs/reference.md, generated from the models (through schema.json's content).

``python -m alicloud_imagebuilder_provider.docs > docs/reference.md``; a test fails when the
file is stale.
"""

from __future__ import annotations

import json
from typing import Any

from .models import RESOURCES, ResourceSpec
from .models.fields import prop_of
from .schema import build_schema, camel
from .sdkgen import py_type, python_names, snake
from .settings import CONFIG_KEYS, NAMESPACE

_CHANGE = {"replace": "replace", "in_place": "update in place",
           "create_only": "not applied (warning)", "ignore": "-"}


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _type(spec: dict[str, Any]) -> str:
    return f"`{py_type(spec, as_input=False)}`"


def _name(name: str) -> str:
    """Python's name, and the schema's (YAML, TypeScript, Go) when it differs."""
    return f"`{name}`" + (f" / `{camel(name)}`" if camel(name) != name else "")


def _default(spec: dict[str, Any]) -> str:
    return f"`{json.dumps(spec['default'])}`" if "default" in spec else ""


_API_ELSEWHERE = {  # properties that reach the API other than through their own Prop.api
    "build_content": "`BuildContent`", "build_components": "`BuildContent`",
    "test_content": "`TestContent`", "test_components": "`TestContent`",
    "region": "`RegionId`", "triggers": "part of `ClientToken`",
}


def _api(resource: ResourceSpec, name: str) -> str:
    api = prop_of(resource.inputs.model_fields[name]).api
    return f"`{api}`" if api else _API_ELSEWHERE.get(name, "(provider only)")


def _resource(resource: ResourceSpec, schema: dict[str, Any]) -> list[str]:
    spec = python_names(schema["resources"][resource.token])
    lines = [f"## {resource.name}", "", spec["description"], "",
             f"Python: `pulumi_alicloud_imagebuilder.{resource.name}` "
             f"(`{resource.name}Args`, `{resource.name}.get(name, id)`), defined in "
             f"`pulumi_alicloud_imagebuilder/{snake(resource.name)}.py`. Pulumi type "
             f"`{resource.dynamic_type}`; schema token `{resource.token}`.", "",
             "### Inputs", "",
             "Names: Python's first, then the schema's (YAML, TypeScript, Go) where it differs.",
             "",
             "| Property | Type | Required | Default | On change | API parameter | Description |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for name, prop in spec["inputProperties"].items():
        info = resource.inputs.model_fields[name]
        behaviour = prop_of(info)
        change = _CHANGE[behaviour.update]
        change += " (left out: no change)" if behaviour.computed else ""
        required = "yes" if name in spec["requiredInputs"] else ""
        lines.append(f"| {_name(name)} | {_type(prop)} | {required}"
                     f" | {_default(prop)} | {change} | {_api(resource, name)} "
                     f"| {_cell(prop['description'])} |")
    if resource.inputs.NOTES:
        lines += ["", "### Behaviour", ""] + [f"- {note}" for note in resource.inputs.NOTES]
    lines += ["", "### Outputs", "",
              "Every input, as read back from the service (with defaults and the values the "
              "service chose), and:", "",
              "| Property | Type | Description |", "| --- | --- | --- |"]
    for name, prop in spec["properties"].items():
        if name not in spec["inputProperties"]:
            lines.append(f"| {_name(name)} | {_type(prop)} | {_cell(prop['description'])} |")
    return lines + [""]


def _types(schema: dict[str, Any]) -> list[str]:
    lines = ["## Object types", ""]
    for token, spec in schema["types"].items():
        spec = python_names(spec)
        lines += [f"### {token.rsplit(':', 1)[-1]}", "", spec["description"], "",
                  "| Property | Type | Required | Description |", "| --- | --- | --- | --- |"]
        for name, prop in spec["properties"].items():
            required = "yes" if name in spec["required"] else ""
            lines.append(f"| {_name(name)} | {_type(prop)} | {required}"
                         f" | {_cell(prop['description'])} |")
        lines.append("")
    return lines


def _functions(schema: dict[str, Any]) -> list[str]:
    lines = ["## Functions (provider plugin)", ""]
    for token, spec in schema["functions"].items():
        name = token.rsplit(":", 1)[-1]
        inputs = ", ".join(n if n in spec["inputs"]["required"] else f"{n}?"
                           for n in spec["inputs"]["properties"])
        lines += [f"### {name}", "", f"`{token}({inputs})`; Python: "
                  f"`pulumi_alicloud_imagebuilder.{snake(name)}(...)`. {spec['description']}",
                  "", "| Result | Type | Description |", "| --- | --- | --- |"]
        lines += [f"| {_name(snake(n))} | {_type(p)} | {_cell(p['description'])} |"
                  for n, p in spec["outputs"]["properties"].items()]
        lines.append("")
    return lines


def _config() -> list[str]:
    lines = ["## Provider configuration", "",
             f"Each key is read from stack config `{NAMESPACE}:<key>`, then pulumi-alicloud's key, "
             "then the environment, then the default. Credentials found nowhere come from the "
             "alibabacloud-credentials default chain (environment, OIDC, `~/.aliyun/config.json`, "
             "credentials file, ECS RAM role, credentials URI).", "",
             "| Key | Fallback | Environment | Default | Secret | Description |",
             "| --- | --- | --- | --- | --- | --- |"]
    for key in CONFIG_KEYS:
        lines.append(f"| `{NAMESPACE}:{key.key}` | "
                     f"{f'`alicloud:{key.fallback}`' if key.fallback else ''} | "
                     f"{f'`{key.env}`' if key.env else ''} | "
                     f"{'' if key.default is None else f'`{key.default}`'} | "
                     f"{'yes' if key.secret else ''} | {_cell(key.description)} |")
    return lines + [""]


def render() -> str:
    schema = build_schema()
    lines = ["# alicloud-imagebuilder reference", "",
             "Generated by `python -m alicloud_imagebuilder_provider.docs` from the provider's "
             "models (the same source as `schema.json` and the SDK); do not edit by hand.", "",
             "Changes marked *replace* delete and recreate the resource: the service has no "
             "update call for templates and components, and a new build is a new `ImageBuild`. "
             "*update in place* changes are settings that live only in the provider, or are "
             "applied through the service's own update calls (component tags and resource "
             "group). *not applied (warning)*: the service takes the value only at creation, and "
             "a replacement would rebuild images, so a change is reported and not applied.", "",
             "Two runtimes serve these resources: Python's dynamic provider (the default for "
             "Python programs, `pip install` only) and the provider plugin "
             "`pulumi-resource-alicloud-imagebuilder` (every language, `pulumi import`, a "
             "prompt Ctrl-C); the README says when to pick each. Python uses the snake_case "
             "names, YAML, TypeScript and Go the schema's camelCase ones.", ""]
    lines += _config()
    for resource in RESOURCES:
        lines += _resource(resource, schema)
    lines += _functions(schema)
    lines += _types(schema)
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    print(render(), end="")
