"""Build and test content of templates (docs/service-notes.md §8): the parsed forms and their
parsing.

Templates and Dockerfile-style components are one command a line (a trailing ``\\`` continues a
line, ``#`` lines are comments). Parsing raises :class:`~.errors.ApiError` with the codes of
docs/service-notes.md §8.
YAML components are parsed in :mod:`.component_content`; outcomes are decided in :mod:`.outcomes`.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from . import assumptions, shell
from .errors import ApiError, bad_request, not_found

DOCKERFILE_COMMANDS = ("RUN", "ENV", "WORKDIR", "COPY", "USER", "LABEL", "CMD", "ENTRYPOINT",
                       "RESTART")
_ARN = re.compile(
    r"^acs:ecs:(?P<region>[a-z0-9-]+):(?P<uid>[0-9]+):imagecomponent/(?P<name>[^/]+)/"
    r"(?P<version>(?:\*|[0-9]+)\.(?:\*|[0-9]+)\.(?:\*|[0-9]+)|\*)$"
)


@dataclass(frozen=True)
class Command:
    """One logical line: ``line`` is where it starts (1-based), ``text`` the line as written."""

    line: int
    keyword: str
    args: str
    text: str


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: str | None


@dataclass(frozen=True)
class Task:
    name: str
    action: str
    properties: dict[str, Any]


@dataclass(frozen=True)
class ComponentDocument:
    """A parsed component: Dockerfile-style ``commands`` or YAML ``parameters`` + ``tasks``."""

    format: str  # "dockerfile" | "yaml"
    commands: tuple[Command, ...] = ()
    parameters: tuple[Parameter, ...] = ()
    tasks: tuple[Task, ...] = ()


class ResolvedComponent(Protocol):
    component_id: str
    name: str
    component_version: str
    component_type: str
    system_type: str
    document: ComponentDocument


@dataclass(frozen=True)
class ComponentStep:
    """A ``COMPONENT`` line of a template, resolved to a stored component."""

    command: Command
    component: ResolvedComponent
    arguments: dict[str, str] = field(default_factory=dict)


Step = Command | ComponentStep


# -- Dockerfile-style lines -------------------------------------------------------------------

def split_commands(content: str) -> list[Command]:
    commands: list[Command] = []
    pending: list[str] = []
    start = 0
    for number, raw in enumerate(content.splitlines(), start=1):
        line = raw.strip()
        if not pending:
            if not line or line.startswith("#"):
                continue
            start = number
        continued = line.endswith("\\")
        pending.append(line[:-1].rstrip() if continued else line)
        if continued:
            continue
        commands.append(_command(start, " ".join(part for part in pending if part)))
        pending = []
    if pending:
        commands.append(_command(start, " ".join(part for part in pending if part)))
    return commands


def _command(line: int, text: str) -> Command:
    keyword, *rest = text.split(None, 1)
    return Command(line=line, keyword=keyword.upper(), args=rest[0].strip() if rest else "",
                   text=text)


def _where(command: Command, field_name: str) -> str:
    return f"line {command.line} of {field_name} ({command.text!r})"


def _words(command: Command, field_name: str) -> list[str]:
    try:
        return shlex.split(command.args)
    except ValueError as exc:
        raise bad_request(f"InvalidCommandContent.{command.keyword}",
                          f"{_where(command, field_name)}: {exc}.") from None


# keyword -> whether its words are well formed (commands not listed take any non-empty content)
_WELL_FORMED: dict[str, Callable[[list[str]], bool]] = {
    "ENV": lambda words: all("=" in w for w in words) if "=" in words[0] else len(words) >= 2,
    "LABEL": lambda words: all("=" in w and not w.startswith("=") for w in words),
    "COPY": lambda words: len(words) >= 2,
    "USER": lambda words: len(words) == 1,
}


def _check_arguments(command: Command, field_name: str) -> None:
    """Argument rules of the plain commands (RUN, ENV, WORKDIR, COPY, USER, LABEL, CMD,
    ENTRYPOINT)."""
    keyword, where = command.keyword, _where(command, field_name)
    if keyword == "RESTART":
        if command.args:
            raise bad_request("NotEmptyCommandContent.RESTART",
                              f"{where}: RESTART takes no arguments.")
        return
    if not command.args:
        raise bad_request(f"EmptyCommandContent.{keyword}", f"{where}: {keyword} needs content.")
    invalid = bad_request(f"InvalidCommandContent.{keyword}",
                          f"{where}: malformed {keyword} arguments.")
    if keyword == "RUN":
        try:
            shell.tokenize(command.args)
        except shell.ShellSyntaxError as exc:
            raise bad_request("InvalidCommandContent.RUN", f"{where}: {exc}.") from None
        return
    if keyword in ("CMD", "ENTRYPOINT") and command.args.startswith("["):
        try:
            value = json.loads(command.args)
        except ValueError:
            raise invalid from None
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise invalid
        return
    rule = _WELL_FORMED.get(keyword)
    words = _words(command, field_name)
    if rule is not None and not (words and rule(words)):
        raise invalid


# templates and components alike
COMMAND_COUNT_CODE = "InvalidImageTemplateCommandSize.ExceededMaxNumber"


def parse_lines(content: str, field_name: str, allow_component: bool,
                 on_component: Callable[[Command], Step] | None) -> list[Step]:
    steps: list[Step] = []
    for command in split_commands(content):
        where = _where(command, field_name)
        if command.keyword == "FROM":
            if not allow_component:
                raise not_found("NotSupportedCommand.FROM",
                                f"{where}: FROM is not supported in a component.")
            continue  # deprecated in templates and ignored
        if command.keyword == "COMPONENT":
            if not allow_component or on_component is None:
                raise bad_request("InvalidCommand.Component",
                                  f"{where}: COMPONENT cannot be used inside a component.")
            steps.append(on_component(command))
            continue
        if command.keyword not in DOCKERFILE_COMMANDS:
            supported = ", ".join(DOCKERFILE_COMMANDS + (("COMPONENT",) if allow_component else ()))
            raise bad_request("InvalidImageTemplateCommand.NotSupported",
                              f"{where}: unknown command {command.keyword!r} (supported: "
                              f"{supported}).")
        _check_arguments(command, field_name)
        steps.append(command)
    if len(steps) > assumptions.MAX_COMMANDS:
        raise bad_request(COMMAND_COUNT_CODE, f"{field_name} has {len(steps)} commands; "
                                              f"at most {assumptions.MAX_COMMANDS} are allowed.")
    return steps


# -- templates --------------------------------------------------------------------------------

def parse_component_arn(reference: str) -> tuple[str, str, str, str] | None:
    """``acs:ecs:<region>:<uid>:imagecomponent/<Name>/<x.y.z>`` -> (region, uid, name, version
    pattern)."""
    match = _ARN.match(reference)
    return (match["region"], match["uid"], match["name"], match["version"]) if match else None


def version_matches(pattern: str, version: str) -> bool:
    if pattern == "*":
        return True
    pairs = zip(pattern.split("."), version.split("."), strict=False)
    return all(want in ("*", have) for want, have in pairs)


def parse_template_content(
    content: str, field_name: str, component_type: str, system_type: str,
    resolve: Callable[[str, str], ResolvedComponent],
) -> list[Step]:
    """Parse BuildContent (component_type "Build") or TestContent ("Test") of a template.

    ``resolve(reference, where)`` returns the stored component or raises
    ``ImageComponent.NotFound``.
    """

    def component_step(command: Command) -> ComponentStep:
        where = _where(command, field_name)
        words = _words(command, field_name)
        if not words:
            raise bad_request("EmptyCommandContent.COMPONENT",
                              f"{where}: COMPONENT needs a component id or name.")
        component = resolve(words[0], where)
        if component.component_type != component_type:
            raise bad_request(
                "InvalidComponentType.NotSupportedValue",
                f"{where}: component {component.component_id} is a {component.component_type} "
                "component; "
                f"only {component_type} components can be used in {field_name}.",
            )
        if component.system_type != system_type:
            raise bad_request(
                "InvalidSystemType.NotSupportedValue",
                f"{where}: component {component.component_id} is for {component.system_type}, "
                f"but the base image runs {system_type}.",
            )
        arguments = _component_arguments(words[1:], component.document, where, field_name)
        return ComponentStep(command=command, component=component, arguments=arguments)

    return parse_lines(content, field_name, allow_component=True, on_component=component_step)


def _component_arguments(words: Sequence[str], document: ComponentDocument, where: str,
                         field_name: str) -> dict[str, str]:
    def _parameter_error(message: str) -> ApiError:  # ASSUMPTIONS["component-parameters"]
        return bad_request(f"InvalidParameter.{field_name}", message)

    given: dict[str, str] = {}
    index = 0
    while index < len(words):
        word = words[index]
        if not word.startswith("--") or len(word) == 2:
            raise _parameter_error(f"{where}: expected --name value, got {word!r}.")
        name, has_value, value = word[2:].partition("=")
        if not has_value:
            if index + 1 >= len(words):
                raise _parameter_error(f"{where}: parameter --{name} has no value.")
            index += 1
            value = words[index]
        given[name] = value
        index += 1
    declared = {parameter.name: parameter for parameter in document.parameters}
    for name in given:
        if name not in declared:
            raise _parameter_error(f"{where}: the component has no parameter {name!r}.")
    arguments: dict[str, str] = {}
    for parameter in document.parameters:
        chosen = given.get(parameter.name, parameter.default)
        if chosen is None:
            raise _parameter_error(
                f"{where}: parameter {parameter.name!r} has no default; pass --{parameter.name} "
                "value.")
        if not _type_ok(parameter.type, chosen):
            raise _parameter_error(f"{where}: parameter {parameter.name!r} must be a "
                                   f"{parameter.type}, got {chosen!r}.")
        arguments[parameter.name] = chosen
    return arguments


def _type_ok(kind: str, value: str) -> bool:
    if kind == "Number":
        try:
            float(value)
        except ValueError:
            return False
    return kind != "Boolean" or value.lower() in ("true", "false")


def scalar(value: Any) -> str:
    """A YAML scalar as the text a template or command would see."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
