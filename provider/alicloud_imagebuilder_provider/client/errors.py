"""One classification of what the ECS SDK raises (see docs/service-notes.md §4)."""

from __future__ import annotations

import re

from alibabacloud_credentials.exceptions import CredentialException
from alibabacloud_tea_openapi.exceptions import AlibabaCloudException, ThrottlingException
from darabonba.exceptions import ResponseException
from Tea.exceptions import TeaException, UnretryableException

from ..errors import CONFLICT_CODES, ApiError, ErrorKind

_THROTTLING = ("Throttling",)  # Throttling, Throttling.User, Throttling.Api
_UNAVAILABLE = {"ServiceUnavailable", "InternalError", "UnknownError"}
_AUTH = ("InvalidAccessKeyId", "SignatureDoesNotMatch", "IncompleteSignature",
         "InvalidSecurityToken", "Forbidden", "NoPermission", "InvalidCredentials",
         "SignatureNonceUsed")


def kind_of(code: str, status: int | None) -> ErrorKind:
    if code.startswith(_THROTTLING):
        return ErrorKind.THROTTLED
    if code in _UNAVAILABLE or (status or 0) >= 500:
        return ErrorKind.UNAVAILABLE
    if code.startswith(_AUTH):
        return ErrorKind.FATAL
    if code in CONFLICT_CODES:
        return ErrorKind.CONFLICT
    if "NotFound" in code:
        return ErrorKind.NOT_FOUND
    if status in (400, 403, 404):
        return ErrorKind.INVALID
    return ErrorKind.FATAL


def scrub(text: str, secrets: tuple[str, ...]) -> str:
    for secret in secrets:
        text = text.replace(secret, "***")
    return text


def _service_message(exc: ResponseException) -> str:
    data = exc.data if isinstance(exc.data, dict) else {}
    return str(data.get("Message") or exc.message or "")


def _transport_reason(exc: UnretryableException) -> str:
    """A short cause without the request URL (whose query may name the AccessKey ID)."""
    text = str(getattr(exc.inner_exception, "message", None) or exc.inner_exception or "")
    errno = re.search(r"\[Errno -?\d+\] ([^\"')]+)", text)
    if errno:
        return errno.group(1).strip()
    for phrase in ("timed out", "Connection aborted", "RemoteDisconnected", "Expecting value"):
        if phrase in text:
            return phrase if phrase != "Expecting value" else "the answer was not JSON"
    return type(exc.inner_exception).__name__


def classify(exc: BaseException, *, action: str, region: str | None,
             secrets: tuple[str, ...] = ()) -> ApiError:
    """Turn an SDK exception into an :class:`ApiError`; anything else is re-raised."""
    if isinstance(exc, ResponseException):
        code = str(exc.code or "Unknown")
        status = getattr(exc, "status_code", None) or getattr(exc, "statusCode", None)
        retry_after = None
        if isinstance(exc, ThrottlingException) and exc.retry_after:
            retry_after = exc.retry_after / 1000.0
        request_id = exc.request_id if isinstance(exc, AlibabaCloudException) else None
        kind = ErrorKind.THROTTLED if retry_after else kind_of(code, status)
        return ApiError(kind, action, code, scrub(_service_message(exc), secrets),
                        request_id=request_id if request_id not in (None, "None") else None,
                        region=region, status=status, retry_after=retry_after)
    inner = getattr(exc, "inner_exception", None)
    if isinstance(inner, CredentialException):
        exc = inner  # the SDK wraps a failed credential chain
    if isinstance(exc, CredentialException):
        return ApiError(ErrorKind.FATAL, action, "NoCredentials",
                        "no usable credentials: set alicloud-imagebuilder:accessKey and "
                        "secretKey (secret), export ALIBABA_CLOUD_ACCESS_KEY_ID/SECRET, or "
                        f"configure a profile ({scrub(str(exc), secrets)})", region=region)
    if isinstance(exc, UnretryableException):
        return ApiError(ErrorKind.UNAVAILABLE, action, "ConnectionFailed",
                        f"the call got no usable answer ({_transport_reason(exc)})",
                        region=region)
    if isinstance(exc, TeaException) and getattr(exc, "code", None):
        code = str(exc.code)
        return ApiError(kind_of(code, None), action, code,
                        scrub(str(exc.message or ""), secrets), region=region)
    raise exc
