"""Request authentication: ACS3-HMAC-SHA256 exactly as docs/service-notes.md §2, and the legacy v2
(``Signature``/``SignatureMethod=HMAC-SHA1`` query) scheme the SDK uses with
``Config(signature_algorithm='v2')``."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Mapping, Sequence
from urllib.parse import quote, quote_plus

from .errors import ApiError, bad_request, not_found

ACS3 = "ACS3-HMAC-SHA256"
_AUTHORIZATION = re.compile(
    r"^(?P<algorithm>\S+)\s+Credential=(?P<ak>[^,\s]+),\s*SignedHeaders=(?P<signed>[^,\s]+),\s*"
    r"Signature=(?P<signature>[0-9A-Fa-f]+)$"
)

Headers = Mapping[str, Sequence[str]]  # lower-case name -> every value sent


def _incomplete(why: str) -> ApiError:
    return bad_request("IncompleteSignature", f"The request signature is incomplete: {why}.")


def _mismatch(string_to_sign: str) -> ApiError:
    return bad_request(
        "SignatureDoesNotMatch",
        "The request signature does not match the emulator's calculation; check the AccessKey "
        "secret. "
        f"Server string to sign is: {string_to_sign!r}",
    )


def _secret(secrets: Mapping[str, str], access_key_id: str) -> str:
    secret = secrets.get(access_key_id)
    if secret is None:
        raise not_found("InvalidAccessKeyId.NotFound",
                        f"Specified access key {access_key_id!r} is not found.")
    return secret


def canonical_query(query: Mapping[str, str]) -> str:
    return "&".join(f"{key}={quote(query[key], safe='~')}" for key in sorted(query))


def verify_acs3(method: str, path: str, query: Mapping[str, str], headers: Headers, body: bytes,
                secrets: Mapping[str, str]) -> str:
    """Check an ACS3-HMAC-SHA256 request; returns the AccessKey id or raises the documented
    error."""
    authorization = (headers.get("authorization") or [""])[0].strip()
    match = _AUTHORIZATION.match(authorization)
    if not match:
        raise _incomplete("the Authorization header is missing or malformed")
    if match["algorithm"] != ACS3:
        raise _incomplete(f"unsupported signature algorithm {match['algorithm']!r} (use {ACS3})")
    secret = _secret(secrets, match["ak"])
    signed = match["signed"].lower().split(";")
    if "host" not in signed:
        raise _incomplete("the host header must be signed")
    unsigned = sorted(name for name in headers if name.startswith("x-acs-") and name not in signed)
    if unsigned:
        raise _incomplete(f"every x-acs-* header must be signed, not: {', '.join(unsigned)}")
    payload_hash = (headers.get("x-acs-content-sha256") or [""])[0]
    if not payload_hash:
        raise _incomplete("the x-acs-content-sha256 header is missing")
    lines = []
    for name in signed:
        values = headers.get(name)
        if not values:
            raise _incomplete(f"the signed header {name!r} is missing")
        lines.append(f"{name}:{','.join(sorted(v.strip() for v in values))}\n")
    canonical = "\n".join([method, path or "/", canonical_query(query), "".join(lines),
                           match["signed"].lower(), payload_hash])
    string_to_sign = f"{ACS3}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
    expected = hmac.new(secret.encode(), string_to_sign.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, match["signature"].lower()):
        raise _mismatch(string_to_sign)
    if payload_hash != hashlib.sha256(body).hexdigest():
        raise bad_request("SignatureDoesNotMatch",
                          "x-acs-content-sha256 does not match the SHA-256 of the body.")
    return match["ak"]


def verify_v2(method: str, params: Mapping[str, str], secrets: Mapping[str, str]) -> str:
    """Check a legacy HMAC-SHA1 query signature; returns the AccessKey id."""
    signature = params.get("Signature")
    access_key_id = params.get("AccessKeyId")
    if not signature or not access_key_id:
        raise _incomplete("Signature and AccessKeyId are required")
    if params.get("SignatureMethod") != "HMAC-SHA1":
        raise _incomplete("SignatureMethod must be HMAC-SHA1")
    secret = _secret(secrets, access_key_id)
    signed = {key: value for key, value in params.items() if key != "Signature"}
    canonical = "&".join(
        f"{quote(k, safe='~')}={quote(signed[k], safe='~')}" for k in sorted(signed)
    )
    string_to_sign = f"{method}&%2F&{quote_plus(canonical, safe='~')}"
    digest = hmac.new(f"{secret}&".encode(), string_to_sign.encode(), hashlib.sha1).digest()
    if not hmac.compare_digest(base64.b64encode(digest).decode(), signature):
        raise _mismatch(string_to_sign)
    return access_key_id
