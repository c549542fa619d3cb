"""Component content (docs/service-notes.md §8): Dockerfile-style lines (Linux only) or YAML with
``Parameters`` and ``Tasks``."""

from __future__ import annotations

from typing import Any

import yaml

from . import assumptions
from .content import (
    COMMAND_COUNT_CODE,
    Command,
    ComponentDocument,
    Parameter,
    Task,
    parse_lines,
    scalar,
)
from .errors import ApiError, bad_request

YAML_ACTIONS = {
    "RunShellCommand": ("Linux",),
    "RunPowerShellCommand": ("Windows",),
    "InvokeCommand": ("Linux", "Windows"),
    "OSSDownload": ("Linux", "Windows"),
    "OSSUpload": ("Linux", "Windows"),
    "WebDownload": ("Linux", "Windows"),
    "Reboot": ("Linux", "Windows"),
}
PARAMETER_TYPES = ("String", "Number", "Boolean")


def parse_component_content(content: str, system_type: str) -> ComponentDocument:
    loaded = _load_yaml(content)
    if loaded is not None:
        return _parse_yaml_component(loaded, system_type)
    if system_type != "Linux":
        raise bad_request("InvalidSystemType.NotSupportedValue",
                          "Content: Windows components must be written in YAML (Parameters/Tasks); "
                          "the Dockerfile-style form is Linux only.")
    steps = parse_lines(content, "Content", allow_component=False, on_component=None)
    commands = tuple(s for s in steps if isinstance(s, Command))
    return ComponentDocument(format="dockerfile", commands=commands)


def _load_yaml(content: str) -> dict[str, Any] | None:
    try:
        loaded = yaml.safe_load(content)
    except yaml.YAMLError:
        return None
    if isinstance(loaded, dict) and ("Tasks" in loaded or "Parameters" in loaded):
        return loaded
    return None


def _yaml_error(message: str) -> ApiError:
    return bad_request("InvalidParameter.Content",
                       f"Content: {message}")  # ASSUMPTIONS["component-parameters"]


def _parse_yaml_component(document: dict[str, Any], system_type: str) -> ComponentDocument:
    raw_parameters = document.get("Parameters") or {}
    if not isinstance(raw_parameters, dict):
        raise _yaml_error("Parameters must be a mapping of parameter name to {Type, DefaultValue}.")
    parameters = []
    for name, spec in raw_parameters.items():
        spec = spec or {}
        kind = spec.get("Type") if isinstance(spec, dict) else None
        if kind not in PARAMETER_TYPES:
            raise _yaml_error(f"parameter {name!r} needs Type String, Number or Boolean.")
        default = spec.get("DefaultValue")
        parameters.append(Parameter(str(name), kind, None if default is None else scalar(default)))
    raw_tasks = document.get("Tasks")
    if not isinstance(raw_tasks, list) or not raw_tasks:
        raise _yaml_error("Tasks must be a list of at least one task.")
    if len(raw_tasks) > assumptions.MAX_COMMANDS:
        raise bad_request(COMMAND_COUNT_CODE,
                          f"Content has {len(raw_tasks)} tasks; at most {assumptions.MAX_COMMANDS} "
                          "are allowed.")
    tasks: list[Task] = []
    for index, raw in enumerate(raw_tasks, start=1):
        if not isinstance(raw, dict) or not raw.get("Name") or not raw.get("Action"):
            raise _yaml_error(f"task {index} needs a Name and an Action.")
        name, action = str(raw["Name"]), str(raw["Action"])
        if any(task.name == name for task in tasks):
            raise _yaml_error(f"task name {name!r} is used twice.")
        if action not in YAML_ACTIONS:
            raise _yaml_error(f"task {name!r} has unsupported Action {action!r} "
                              f"(supported: {', '.join(YAML_ACTIONS)}).")
        if system_type not in YAML_ACTIONS[action]:
            raise _yaml_error(f"task {name!r}: {action} cannot run on {system_type}.")
        properties = raw.get("Properties") or {}
        if not isinstance(properties, dict):
            raise _yaml_error(f"task {name!r}: Properties must be a mapping.")
        tasks.append(Task(name, action, properties))
    return ComponentDocument(format="yaml", parameters=tuple(parameters), tasks=tuple(tasks))
