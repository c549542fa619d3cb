"""Decides whether a shell command of the build or test content "succeeds" (the outcome rules).

Only the top level of a command is evaluated, the way ``sh -c`` would run it: simple commands
joined by ``;``, ``&&``, ``||``, ``|``, ``&`` or newlines, with an optional leading ``!``.
A simple command fails when it is ``false``, exits when it is ``exit N`` (N != 0 fails the
command), and fails for lack of internet access when its program needs the internet
(``assumptions.INTERNET_PROGRAMS``) and the build instance has no public bandwidth: that failure
ends the whole script at once, even after ``||``. Everything else succeeds. Words starting with
``#`` begin a comment.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

from . import assumptions

_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
_SEPARATORS = {";", "&", "\n", ";;"}
_OPERATORS = {"&&", "||", "|", "|&"} | _SEPARATORS


@dataclass(frozen=True)
class Failure:
    """Why a command failed: its exit code and a sentence for Message/ErrorInfo."""

    exit_code: int
    reason: str
    no_internet: bool = False


class ShellSyntaxError(ValueError):
    pass


def tokenize(script: str) -> list[str]:
    lexer = shlex.shlex(script, posix=True, punctuation_chars=";&|\n")
    lexer.whitespace = " \t\r"
    lexer.whitespace_split = True
    lexer.commenters = ""
    try:
        tokens = list(lexer)
    except ValueError as exc:  # unbalanced quotes, a dangling escape
        raise ShellSyntaxError(str(exc)) from None
    return _strip_comments(tokens)


def _strip_comments(tokens: list[str]) -> list[str]:
    kept: list[str] = []
    in_comment = False
    for token in tokens:
        if token == "\n":
            in_comment = False
        elif in_comment or token.startswith("#"):
            in_comment = True
            continue
        kept.append(token)
    return kept


def _pipeline_parts(tokens: list[str]) -> list[tuple[str | None, list[str]]]:
    """Split into (operator before, words) pairs; the first operator is None."""
    parts: list[tuple[str | None, list[str]]] = []
    operator: str | None = None
    words: list[str] = []
    for token in tokens:
        if token in _OPERATORS:
            if words:
                parts.append((operator, words))
            elif token not in _SEPARATORS and parts:
                raise ShellSyntaxError(f"syntax error near {token!r}")
            operator, words = token, []
        else:
            words.append(token)
    if words:
        parts.append((operator, words))
    return parts


def _program(words: list[str]) -> list[str]:
    """Drop leading VAR=value assignments and ``sudo [-flags]``."""
    index = 0
    while index < len(words) and _ASSIGNMENT.match(words[index]):
        index += 1
    if index < len(words) and words[index] == "sudo":
        index += 1
        while index < len(words) and words[index].startswith("-"):
            index += 1
    return words[index:]


class _Fatal(Exception):
    """Ends the script: ``exit N`` (failure None when N is 0) or a command that needs the
    internet."""

    def __init__(self, failure: Failure | None):
        self.failure = failure


def _run_simple(words: list[str], last_status: int, internet: bool) -> int:
    negate = bool(words) and words[0] == "!"
    command = _program(words[1:] if negate else words)
    if command[:1] == ["exit"]:
        code = last_status
        if len(command) > 1:
            code = int(command[1]) if command[1].lstrip("-").isdigit() else 2
        code &= 0xFF
        raise _Fatal(Failure(code, f"the command exited with code {code}") if code else None)
    if not internet and needs_internet(command):
        raise _Fatal(
            Failure(
                1,
                f"{command[0]} needs internet access, but {assumptions.NO_INTERNET_REASON}",
                no_internet=True,
            )
        )
    status = 1 if command[:1] == ["false"] else 0
    return (0 if status else 1) if negate else status


def needs_internet(command: list[str]) -> bool:
    return bool(command) and command[0].rsplit("/", 1)[-1] in assumptions.INTERNET_PROGRAMS


def evaluate(script: str, internet: bool) -> Failure | None:
    """None when the script succeeds; otherwise why it failed."""
    status = 0
    try:
        for operator, words in _pipeline_parts(tokenize(script)):
            if operator == "&&" and status != 0 or operator == "||" and status == 0:
                continue
            status = _run_simple(words, status, internet)
    except _Fatal as fatal:
        return fatal.failure
    return Failure(status, f"the command exited with code {status}") if status else None
