"""Build and test content (docs/service-notes.md §8): rules, COMPONENT lines, YAML components."""

from __future__ import annotations

import json
import re
import shlex
from typing import Any, Iterable

import yaml

MAX_BYTES = 16 * 1024
MAX_COMMANDS = 127
COMMANDS = ("RUN", "ENV", "WORKDIR", "COPY", "USER", "LABEL", "CMD", "ENTRYPOINT", "RESTART")
YAML_ACTIONS = {"RunShellCommand": "Linux", "RunPowerShellCommand": "Windows",
                "InvokeCommand": None, "OSSDownload": None, "OSSUpload": None,
                "WebDownload": None, "Reboot": None}
_REQUIRED_PROPERTIES = {"RunShellCommand": ("commandContent",),
                        "RunPowerShellCommand": ("commandContent",),
                        "InvokeCommand": ("commandId",),
                        "WebDownload": ("sourcePath", "destinationDir")}
PARAMETER_TYPES = ("String", "Number", "Boolean")
_COMPONENT_ID = re.compile(r"^ic-[A-Za-z0-9]+$")
_PART = r"(?:\d+|\*)"
_COMPONENT_ARN = re.compile(
    rf"^acs:ecs:[a-z0-9-]*:[0-9*]*:imagecomponent/[^/\s]+/{_PART}\.{_PART}\.{_PART}$")
_PARAM_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")


def normalize_text(text: str | None) -> str:
    """Content as compared for drift: unified newlines, no trailing blanks or blank lines."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n")


def _size(text: str, note: str = "") -> None:
    size = len(text.encode("utf-8"))
    if size > MAX_BYTES:
        raise ValueError(f"is {size} bytes{note}; at most {MAX_BYTES} (16 KB) are allowed: "
                         "move commands into image components")


def commands(text: str) -> list[tuple[int, str, str]]:
    """(line number, COMMAND, arguments) per command: ``\\`` continues a line; blank lines and
    ``#`` comments are skipped."""
    found: list[tuple[int, str, str]] = []
    pending, start = "", 0
    for number, raw in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        line = raw.rstrip()
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        start = start if pending else number
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        whole = (pending + line).strip()
        pending = ""
        word, _, rest = whole.partition(" ")
        found.append((start, word.upper(), rest.strip()))
    if pending.strip():
        word, _, rest = pending.strip().partition(" ")
        found.append((start, word.upper(), rest.strip()))
    return found


def check_component_reference(reference: str) -> None:
    if not (_COMPONENT_ID.match(reference) or _COMPONENT_ARN.match(reference)):
        raise ValueError(
            f"{reference!r} is not an image component reference: use a component id "
            "(ic-...) or acs:ecs:<region>:<account>:imagecomponent/<name>/<x.y.z> "
            "(one part may be *)")


def check_parameters(parameters: dict[str, str]) -> None:
    for name, value in parameters.items():
        if not _PARAM_NAME.match(name):
            raise ValueError(f"parameter name {name!r} must start with a letter or '_' and use "
                             "letters, digits, '_', '.', '-'")
        if "\n" in value or "\r" in value:
            raise ValueError(f"parameter {name!r} must be one line; remove the line break")


def check_limits(text: str, note: str = "") -> None:
    """Size and command count; ``note`` says what the text was made of."""
    _size(text, note)
    count = len(commands(text))
    if count > MAX_COMMANDS:
        raise ValueError(f"has {count} commands{note}; at most {MAX_COMMANDS} are allowed: "
                         "join commands with && or move them into components")


def check_dockerfile(text: str, *, where: str) -> None:
    """Dockerfile-style content of a template (``where="template"``) or a component."""
    check_limits(text)
    found = commands(text)
    if not found:
        raise ValueError("has no command; add at least one line such as 'RUN ...'")
    for index, (line, word, rest) in enumerate(found):
        at = f"line {line}"
        if word == "FROM" and where == "template":
            continue  # deprecated and ignored by the service
        if word == "FROM":
            raise ValueError(f"{at}: FROM is not allowed in a component (the template's base image "
                             "is used); remove it")
        if word == "COMPONENT" and where != "template":
            raise ValueError(f"{at}: COMPONENT is only allowed in templates; remove it")
        if word not in COMMANDS + ("COMPONENT",):
            allowed = ", ".join(COMMANDS + (("COMPONENT",) if where == "template" else ()))
            raise ValueError(f"{at}: unknown command {word!r}; use one of {allowed}")
        if word == "RESTART" and (rest or index != len(found) - 1):
            raise ValueError(f"{at}: RESTART takes no arguments and must be the last command")
        if word != "RESTART":
            _check_arguments(at, word, rest)


def _check_arguments(at: str, word: str, rest: str) -> None:
    """The argument forms of docs/service-notes.md §8 (``ENV k v``, ``COPY src dir``, ...)."""
    if not rest:
        raise ValueError(f"{at}: {word} needs arguments")
    try:
        words = shlex.split(rest)
    except ValueError:
        raise ValueError(f"{at}: {word} has unbalanced quotes or a dangling backslash") from None
    pairs = all("=" in w and not w.startswith("=") for w in words)
    problem = {
        "ENV": not (pairs or (len(words) >= 2 and "=" not in words[0])) and "use `ENV key value` "
               "or `ENV key=\"value\" ...`",
        "LABEL": not pairs and "use `LABEL key=\"value\" ...`",
        "COPY": len(words) < 2 and "use `COPY <url-or-path> <directory>`",
        "USER": len(words) != 1 and "use `USER <name>`",
        "WORKDIR": len(words) != 1 and "use `WORKDIR <directory>`",
    }.get(word)
    if word in ("CMD", "ENTRYPOINT") and rest.startswith("["):
        try:
            array = json.loads(rest)
        except ValueError:
            array = None
        if not (isinstance(array, list) and all(isinstance(a, str) for a in array)):
            problem = "the [...] form must be a JSON array of strings"
    if word == "COMPONENT":
        check_component_reference(words[0])
        flags = words[1::2]
        if len(words[1:]) % 2 or not all(f.startswith("--") and len(f) > 2 for f in flags):
            problem = "pass parameters as `--name value` pairs"
    if problem:
        raise ValueError(f"{at}: malformed {word}: {problem}")


def is_yaml_component(text: str) -> bool:
    found = commands(text)
    if found and found[0][1] in COMMANDS + ("FROM", "COMPONENT"):
        return False
    try:
        return isinstance(yaml.safe_load(text), dict)
    except yaml.YAMLError:
        return False


def _check_yaml_parameters(parameters: Any) -> None:
    if parameters is None:
        return
    if not isinstance(parameters, dict):
        raise ValueError("Parameters must be a mapping of name to {Type, DefaultValue}")
    for name, spec in parameters.items():
        kind = spec.get("Type") if isinstance(spec, dict) else None
        if kind not in PARAMETER_TYPES:
            raise ValueError(f"parameter {name!r} needs Type: one of "
                             f"{', '.join(PARAMETER_TYPES)}")


def check_yaml_component(text: str, system_type: str) -> None:
    _size(text)
    document = yaml.safe_load(text)
    _check_yaml_parameters(document.get("Parameters"))
    tasks = document.get("Tasks")
    if not isinstance(tasks, list) or not tasks:
        raise ValueError("a YAML component needs 'Tasks:' with at least one task")
    if len(tasks) > MAX_COMMANDS:
        raise ValueError(f"has {len(tasks)} tasks; at most {MAX_COMMANDS} are allowed")
    names: set[str] = set()
    for number, task in enumerate(tasks, start=1):
        if not isinstance(task, dict) or not task.get("Name") or not task.get("Action"):
            raise ValueError(f"task {number} needs a Name and an Action")
        name, action = str(task["Name"]), task["Action"]
        if name in names:
            raise ValueError(f"task name {name!r} is used twice; names must be unique")
        names.add(name)
        if action not in YAML_ACTIONS:
            raise ValueError(f"task {name!r} has unknown Action {action!r}; use one of "
                             f"{', '.join(YAML_ACTIONS)}")
        if YAML_ACTIONS[action] not in (None, system_type):
            raise ValueError(f"Action {action} only runs on {YAML_ACTIONS[action]}; "
                             f"this component's system_type is {system_type}")
        properties = task.get("Properties") or {}
        if not isinstance(properties, dict):
            raise ValueError(f"task {name!r} Properties must be a mapping")
        missing = [p for p in _REQUIRED_PROPERTIES.get(action, ()) if p not in properties]
        if missing:
            raise ValueError(f"task {name!r} ({action}) needs Properties "
                             f"{', '.join(missing)}")


def component_line(component_id: str, parameters: dict[str, str]) -> str:
    args = "".join(f" --{name} {shlex.quote(parameters[name])}" for name in sorted(parameters))
    return f"COMPONENT {component_id}{args}"


def render(content: str | None, components: Iterable[tuple[str, dict[str, str]]]) -> str | None:
    """What the service receives: one COMPONENT line per component, then the raw content."""
    lines = [component_line(cid, params) for cid, params in components]
    if content:
        lines.append(content)
    return "\n".join(lines) if lines else None


def split(text: str | None) -> tuple[list[dict[str, Any]], str | None]:
    """Inverse of :func:`render` for content read back: the leading COMPONENT lines as
    ``{"component_id", "parameters"}`` and the rest as raw content."""
    lines = normalize_text(text).split("\n") if text else []
    components: list[dict[str, Any]] = []
    while lines and lines[0].upper().startswith("COMPONENT "):
        words = shlex.split(lines.pop(0))[1:]
        params = dict(zip((w[2:] for w in words[1::2]), words[2::2], strict=False))
        components.append({"component_id": words[0], "parameters": params})
    rest = "\n".join(lines)
    return components, rest or None
