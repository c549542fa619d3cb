"""The limits of docs/service-notes.md §6, each raising the documented code with a message
naming the field."""

from __future__ import annotations

import re

from . import assumptions
from .errors import bad_request

_NAME = re.compile(r"^[A-Za-z\u4e00-\u9fff][A-Za-z0-9\u4e00-\u9fff:_.\-]*$")
_VERSION = re.compile(r"^(0|[1-9][0-9]{0,8})\.(0|[1-9][0-9]{0,8})\.(0|[1-9][0-9]{0,8})$")
_ACCOUNT = re.compile(r"^[0-9]{1,32}$")
_URL_PREFIXES = ("http://", "https://")
_RESERVED_PREFIXES = ("aliyun", "acs:")

MAX_TAGS = 20
MAX_TAG_KEY = 128
MAX_TAG_VALUE = 128


def _name_ok(value: str, lo: int, hi: int) -> bool:
    return (lo <= len(value) <= hi and bool(_NAME.match(value))
            and not value.startswith(_URL_PREFIXES))


def name(value: str | None, field: str = "Name") -> None:
    """Template and component names: 2-128 chars, a letter (or CJK) first, then ``[\\w:.-]``."""
    if value is not None and not _name_ok(value, 2, 128):
        raise bad_request(
            "InvalidName.Malformed",
            f"{field} {value!r} is malformed: it must be 2 to 128 characters, start with a letter "
            "and "
            "contain only letters, digits, ':', '_', '.' and '-'.",
        )


def description(value: str | None, field: str = "Description",
                code: str = "InvalidDescription.Malformed") -> None:
    if value is not None and (not 2 <= len(value) <= 256 or value.startswith(_URL_PREFIXES)):
        raise bad_request(
            code,
            f"{field} is malformed: it must be 2 to 256 characters and not start with http:// or https://."
        )


def image_name_prefix(value: str | None, field: str) -> None:
    if value is not None and not _name_ok(value, 2, 64):
        raise bad_request(
            "InvalidImageName.Malformed",
            f"{field} {value!r} is malformed: it must be 2 to 64 characters, start with a letter "
            "and "
            "contain only letters, digits, ':', '_', '.' and '-'.",
        )


def image_family(value: str | None, field: str) -> None:
    if value is None:
        return
    if not _name_ok(value, 2, 128) or value.lower().startswith(_RESERVED_PREFIXES):
        raise bad_request(
            "InvalidImageFamily.Malformed",
            f"{field} {value!r} is malformed: it must be 2 to 128 characters, start with a letter "
            "and not "
            "start with 'aliyun' or 'acs:'.",
        )


def _has_url(text: str) -> bool:
    return any(prefix in text for prefix in _URL_PREFIXES)


def tags(pairs: list[tuple[str, str]], field: str = "Tag") -> None:
    if len(pairs) > MAX_TAGS:
        raise bad_request(assumptions.CODE_TAG_COUNT,
                          f"At most {MAX_TAGS} {field} entries are allowed, got {len(pairs)}.")
    seen: set[str] = set()
    for index, (key, value) in enumerate(pairs, start=1):
        if (not 1 <= len(key) <= MAX_TAG_KEY or key.lower().startswith(_RESERVED_PREFIXES)
                or _has_url(key)):
            raise bad_request(
                "InvalidTagKey.Malformed",
                f"{field}.{index}.Key {key!r} is malformed: 1 to {MAX_TAG_KEY} characters, not "
                "starting with "
                "'aliyun' or 'acs:', without http:// or https://.",
            )
        if len(value) > MAX_TAG_VALUE or _has_url(value):
            raise bad_request(
                "InvalidTagValue.Malformed",
                f"{field}.{index}.Value is malformed: at most {MAX_TAG_VALUE} characters, without "
                "http:// or https://.",
            )
        if key in seen:
            raise bad_request("Duplicate.TagKey",
                              f"{field}.{index}.Key {key!r} is given more than once.")
        seen.add(key)


def component_version(value: str) -> None:
    if not _VERSION.match(value):
        raise bad_request(
            "InvalidParameter.ComponentVersion",
            f"ComponentVersion {value!r} is malformed: it must be major.minor.patch, e.g. 1.0.0.",
        )


def parse_version(value: str) -> tuple[int, int, int]:
    major, minor, patch = (int(part) for part in value.split("."))
    return major, minor, patch


def client_token(value: str | None) -> None:
    if value is not None and (len(value) > 64 or not value.isascii()):
        raise bad_request(
            assumptions.CODE_CLIENT_TOKEN, "ClientToken is malformed: at most 64 ASCII characters."
        )


def accounts(values: list[str], field: str) -> None:
    for index, value in enumerate(values, start=1):
        if not _ACCOUNT.match(value):
            raise bad_request(
                assumptions.CODE_ACCOUNT_MALFORMED,
                f"{field}.{index} {value!r} is malformed: an Alibaba Cloud account id is a string "
                "of digits.",
            )


def content_length(value: str | None, field: str, code: str) -> None:
    if value is not None and len(value.encode("utf-8")) > assumptions.CONTENT_MAX_BYTES:
        raise bad_request(
            code,
            f"{field} is {len(value.encode('utf-8'))} bytes; at most "
            f"{assumptions.CONTENT_MAX_BYTES} are allowed."
        )
