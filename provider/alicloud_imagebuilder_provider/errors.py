"""Errors the provider raises. Every message names what failed and what to do next.

None of these carry credentials: the client scrubs service messages before they get here.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class ErrorKind(enum.Enum):
    """One classification of service errors, used by every lifecycle."""

    NOT_FOUND = "not found"
    CONFLICT = "conflict"
    THROTTLED = "throttled"
    UNAVAILABLE = "unavailable"  # 5xx, non-JSON answers, dropped connections
    INVALID = "invalid"
    FATAL = "fatal"  # credentials, permissions, anything unexpected

    @property
    def retryable(self) -> bool:
        return self in (ErrorKind.THROTTLED, ErrorKind.UNAVAILABLE)


# The service's error codes the provider branches on, in one place: the client classifies by
# CONFLICT_CODES; the lifecycles test a few by name.
TEMPLATE_BUSY = "InvalidImagePipeline.HasRunningExecution"  # another build of it runs
IMAGE_BUSY = ("ImageIsCreating", "OperationDenied.ImageCopying", "ImageUseShared")  # delete later
IMAGE_IN_USE = "ImageUsingByInstance"  # instances run from it: never deletable by waiting
ALREADY_IN_GROUP = "InvalidResourceGroup.Duplicate"  # JoinResourceGroup to its own group
CONFLICT_CODES = frozenset({
    TEMPLATE_BUSY,
    "InvalidImageComponent.InUse",
    "InvalidComponentVersion.Exist",
    "InvalidImageName.Duplicated",
    "InvalidStatus.CancelFailed",
    "InvalidStatus.ImagePipelineExecution",
    IMAGE_IN_USE,
    *IMAGE_BUSY,
})


class ProviderError(Exception):
    """Base class: the message is meant for the person running ``pulumi up``."""


class ConfigurationError(ProviderError):
    """Provider settings are missing or contradictory."""


class NotFound(ProviderError):
    """A resource looked up by id does not exist."""


@dataclass
class InputFailure:
    """One invalid input: the property path and a reason that says how to fix it."""

    property: str
    reason: str


class InvalidInputs(ProviderError):
    """Inputs broke a service limit; raised when a lifecycle runs without a prior check."""

    def __init__(self, resource: str, failures: list[InputFailure]):
        self.resource = resource
        self.failures = failures
        super().__init__("; ".join(f.reason for f in failures))


@dataclass
class ApiError(ProviderError):
    """A service error after classification (and after retries, for retryable kinds)."""

    kind: ErrorKind
    action: str
    code: str
    message: str
    request_id: str | None = None
    region: str | None = None
    status: int | None = None
    attempts: int = 1
    retry_after: float | None = None  # seconds the service asked us to wait (throttling)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f" in {self.region}" if self.region else ""
        tries = f" after {self.attempts} attempts" if self.attempts > 1 else ""
        rid = f" (request id {self.request_id})" if self.request_id else ""
        return f"ECS {self.action}{where} failed{tries}: {self.code}: {self.message}{rid}"


@dataclass
class BuildFailed(ProviderError):
    """An image build ended in a state the resource cannot accept."""

    execution_id: str
    status: str
    error_code: str | None = None
    error_info: str | None = None
    message: str | None = None
    missing_regions: list[str] = field(default_factory=list)
    hint: str = ""
    cleanup: str = ""

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        parts = [f"image build {self.execution_id} ended {self.status}"]
        if self.missing_regions:
            parts.append(f"no image in {', '.join(self.missing_regions)}")
        for label, value in (("ErrorCode", self.error_code), ("ErrorInfo", self.error_info),
                             ("Message", self.message)):
            if value:
                parts.append(f"{label}: {value.rstrip('. ')}")
        text = "; ".join(parts) + "."
        for extra in (self.cleanup, self.hint):
            if extra:
                text += " " + extra
        return text


class Interrupted(ProviderError):
    """The process is shutting down (Ctrl-C): waits end at once; nothing is cancelled.
    ``partial``: what a create had made when interrupted (a ``Created``), for the engine's
    state, so that the next `pulumi up` resumes it."""

    partial: object = None


class WaitTimeout(ProviderError):
    """A bounded wait ran out of time."""

    def __init__(self, what: str, seconds: float, last: object = None, hint: str = ""):
        self.seconds = seconds
        self.last = last
        text = f"timed out after {seconds:g}s waiting for {what}"
        super().__init__(f"{text}. {hint}".strip() if hint else text)
