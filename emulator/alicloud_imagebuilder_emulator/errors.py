"""The one exception type the backend raises for an API error (docs/service-notes.md §4).

The HTTP layer renders it as ``{"RequestId", "HostId", "Code", "Message", "Recommend"}`` with its
status; nothing else ever reaches the client.
"""

from __future__ import annotations


class ApiError(Exception):
    """An error answer of the service: HTTP status, error code and a message naming the cause."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})


def bad_request(code: str, message: str) -> ApiError:
    return ApiError(400, code, message)


def forbidden(code: str, message: str) -> ApiError:
    return ApiError(403, code, message)


def not_found(code: str, message: str) -> ApiError:
    return ApiError(404, code, message)


def missing(name: str) -> ApiError:
    return bad_request(
        f"MissingParameter.{name}",
        f'The input parameter "{name}" that is mandatory for processing this request is not '
        'supplied.',
    )


def invalid(name: str, value: object, expected: str, code: str | None = None) -> ApiError:
    """400 for a parameter with a bad value; the default code is ``InvalidParameter.<name>``."""
    return bad_request(
        code or f"InvalidParameter.{name}",
        f'The specified parameter "{name}" is not valid: {value!r} ({expected}).',
    )
