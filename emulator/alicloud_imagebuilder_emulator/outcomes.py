"""The outcome rules: which step of parsed content fails a build, and why (see :mod:`.shell`)."""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from . import assumptions, shell
from .content import Command, ComponentStep, Step, Task, scalar

_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
_URL = re.compile(r"^(https?|ftp)://", re.IGNORECASE)


@dataclass(frozen=True)
class StepFailure:
    step: Step
    failure: shell.Failure
    detail: str  # e.g. "task 'install' (RunShellCommand)" inside a component, else ""

    @property
    def command(self) -> Command:
        """The line of the template content that failed (a COMPONENT line for component steps)."""
        return self.step.command if isinstance(self.step, ComponentStep) else self.step


def _command_failure(command: Command, internet: bool) -> shell.Failure | None:
    if command.keyword == "RUN":
        return shell.evaluate(command.args, internet)
    if command.keyword == "COPY" and not internet:
        source = shlex.split(command.args)[0]
        if _URL.match(source):
            return shell.Failure(1,
                                 f"COPY fetches {source} with wget, but "
                                 f"{assumptions.NO_INTERNET_REASON}",
                                 no_internet=True)
    return None


def _substitute(value: Any, arguments: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: arguments.get(m.group(1), m.group(0)), scalar(value))


def _task_failure(task: Task, arguments: dict[str, str], internet: bool) -> shell.Failure | None:
    if task.action in ("RunShellCommand", "RunPowerShellCommand"):
        return shell.evaluate(_substitute(task.properties.get("commandContent", ""), arguments),
                              internet)
    if task.action == "WebDownload" and not internet:
        source = _substitute(task.properties.get("sourcePath", ""), arguments)
        return shell.Failure(1, f"WebDownload of {source!r} needs internet access, but "
                                f"{assumptions.NO_INTERNET_REASON}", no_internet=True)
    return None


def _component_failure(step: ComponentStep, internet: bool) -> tuple[shell.Failure, str] | None:
    document = step.component.document
    component = step.component
    label = (f"component {component.component_id} ({component.name} "
             f"{component.component_version})")
    for command in document.commands:
        failure = _command_failure(command, internet)
        if failure:
            return failure, f"{label} line {command.line} ({command.text!r})"
    for task in document.tasks:
        failure = _task_failure(task, step.arguments, internet)
        if failure:
            return failure, f"{label} task {task.name!r} ({task.action})"
    return None


def first_failure(steps: Sequence[Step], internet: bool) -> StepFailure | None:
    """The first step that fails under the outcome rules, or None when all succeed."""
    for step in steps:
        if isinstance(step, ComponentStep):
            found = _component_failure(step, internet)
            if found:
                return StepFailure(step, found[0], found[1])
            continue
        failure = _command_failure(step, internet)
        if failure:
            return StepFailure(step, failure, "")
    return None
