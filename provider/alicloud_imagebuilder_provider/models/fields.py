"""Property metadata and the service's limits (docs/service-notes.md §6), as reusable field types.

Every validator raises ``ValueError`` with a sentence that states the rule and the fix; the
check step prefixes it with the resource type and property name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator
from pydantic.fields import FieldInfo


@dataclass(frozen=True)
class Prop:
    """How one property behaves, next to its type and description.

    ``api``: dotted request path (``ImageOptions.ImageName``); ``read``: where a Describe* item
    holds it, ``|``-separated alternatives (defaults to ``api``); ``codec``: ``value``, ``list``
    (read side may be wrapped as ``{"ToRegionId": [...]}``) or ``tags`` (``Tag.N.Key/Value`` out,
    ``{"Tag": [{"TagKey", "TagValue"}]}`` back). ``update``: what a change does: ``replace``,
    ``in_place`` (a provider setting, or a property the lifecycle's update changes through the
    service), ``create_only`` (the service takes it at creation and has no call to change it,
    and a replacement would rebuild images: a later change is not applied and the diff warns)
    or ``ignore``. ``compare``: ``value``,
    ``set`` (order and duplicates do not matter) or ``content`` (text compared line by line,
    trailing blanks ignored). ``computed``: the service picks a value when the program leaves
    it out, so leaving it out is no change. ``hidden``: an internal input kept out of schema,
    docs and the SDK's documented parameters.
    """

    api: str | None = None
    read: str | None = None
    codec: Literal["value", "list", "tags"] = "value"
    update: Literal["replace", "in_place", "create_only", "ignore"] = "replace"
    compare: Literal["value", "set", "content"] = "value"
    computed: bool = False
    hidden: bool = False

    @property
    def read_paths(self) -> tuple[str, ...]:
        return tuple((self.read or self.api or "").split("|"))


def prop_of(info: FieldInfo) -> Prop:
    """The :class:`Prop` of a pydantic field (the defaults when it declares none)."""
    return next((m for m in info.metadata if isinstance(m, Prop)), Prop())


NAME_RULE = "2-128 characters, starting with a letter, then letters, digits, `:`, `_`, `.`, `-`"
DESCRIPTION_RULE = "2-256 characters, not starting with `http://` or `https://`"
IN_PLACE_TAGS = ("Tags (at most 20); a change is applied in place (TagResources / "
                 "UntagResources), nothing is replaced.")
CREATE_ONLY_TAGS = ("Tags (at most 20) of the {what}, only taken at creation: ECS has no call to "
                    "change them afterwards, and a new {what} would mean new images, so a later "
                    "change is NOT applied (the preview prints a warning saying so); the new tags "
                    "apply when the {what} is next replaced for another reason.")
_URLS = ("http://", "https://")
_RESERVED = ("aliyun", "acs:")
_NAME_RE = re.compile(r"^[A-Za-z\u4e00-\u9fff][A-Za-z0-9\u4e00-\u9fff:_.\-]*$")
_NAME_CHARS = ("start with a letter (or CJK character) and use only letters, digits, ':', '_', "
               "'.', '-'")
MAX_LIST = 20
IDEMPOTENCY_NOTE = (
    "Idempotency: the create's ClientToken is the SHA-256 of the resource's identity (set by the "
    "SDK: project, stack, parent resource and name) and every parameter the call sends, so a "
    "`pulumi up` resumed after the CLI was killed adopts what the interrupted run created "
    "instead of making a second one. A token whose object has since been deleted is walked "
    "past with the next one.")


def short(value: Any, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class PropertyError(ValueError):
    """A rule spanning several properties, blamed on ``prop`` (raised by model validators)."""

    def __init__(self, prop: str, message: str):
        super().__init__(message)
        self.prop = prop


def _length(value: str, lo: int, hi: int) -> None:
    if not lo <= len(value) <= hi:
        fix = "shorten it" if len(value) > hi else "lengthen it"
        raise ValueError(f"must be {lo}-{hi} characters, got {len(value)}; {fix}")


def _no_url_start(value: str) -> None:
    if value.lower().startswith(_URLS):
        raise ValueError("must not start with http:// or https://; remove the scheme")


def _name(lo: int, hi: int, reserved: bool = False) -> AfterValidator:
    def check(value: str) -> str:
        _length(value, lo, hi)
        _no_url_start(value)
        if not _NAME_RE.match(value):
            raise ValueError(f"must {_NAME_CHARS}; got {short(value)}")
        if reserved and value.lower().startswith(_RESERVED):
            raise ValueError("must not start with 'aliyun' or 'acs:' (reserved); rename it")
        return value
    return AfterValidator(check)


def _description(value: str) -> str:
    _length(value, 2, 256)
    _no_url_start(value)
    return value


def _non_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty; set a value or leave the property out")
    return value


def as_text(value: Any) -> Any:
    """Scalars typed as numbers or booleans become text (Pulumi sends numbers as floats)."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return str(value)
    return value


def _stringify_map(value: Any) -> Any:
    return {k: as_text(v) for k, v in value.items()} if isinstance(value, dict) else value


def _tags(value: dict[str, str]) -> dict[str, str]:
    if len(value) > MAX_LIST:
        raise ValueError(f"at most {MAX_LIST} tags are allowed, got {len(value)}; remove some")
    for key, val in value.items():
        if not 1 <= len(key) <= 128:
            raise ValueError(f"tag key {short(key)} must be 1-128 characters")
        if key.lower().startswith(_RESERVED):
            raise ValueError(
                f"tag key {short(key)} must not start with 'aliyun' or 'acs:'; rename it")
        if any(u in key.lower() for u in _URLS) or any(u in (val or "").lower() for u in _URLS):
            raise ValueError(f"tag {short(key)} must not contain http:// or https://")
        if len(val or "") > 128:
            raise ValueError(f"the value of tag {short(key)} must be at most 128 characters")
    return value


def _unique_list(what: str, pattern: re.Pattern[str],
                 example: str) -> AfterValidator:
    def check(values: list[str]) -> list[str]:
        if len(values) > MAX_LIST:
            raise ValueError(f"at most {MAX_LIST} {what}s are allowed, got {len(values)}; "
                             "remove some")
        for value in values:
            if not pattern.match(value):
                raise ValueError(f"{short(value)} is not a valid {what} (e.g. {example})")
        duplicates = sorted({v for v in values if values.count(v) > 1})
        if duplicates:
            raise ValueError(f"{', '.join(duplicates)} listed more than once; list each once")
        return values
    return AfterValidator(check)


_REGION_RE = re.compile(r"^[a-z]{2,}(-[a-z0-9]+)+$")
_ACCOUNT_RE = re.compile(r"^[0-9]{1,32}$")


def _region(value: str) -> str:
    if not _REGION_RE.match(value):
        raise ValueError(f"must be a region id such as cn-hangzhou, got {short(value)}")
    return value


def _numbers_as_text(values: Any) -> Any:
    return [as_text(v) for v in values] if isinstance(values, list) else values


Name = Annotated[str, _name(2, 128)]
ImageNamePrefix = Annotated[str, _name(2, 64)]
ImageFamily = Annotated[str, _name(2, 128, reserved=True)]
Description = Annotated[str, AfterValidator(_description)]
NonBlank = Annotated[str, AfterValidator(_non_blank)]
Tags = Annotated[dict[str, str], BeforeValidator(_stringify_map), AfterValidator(_tags)]
StringMap = Annotated[dict[str, str], BeforeValidator(_stringify_map)]
RegionId = Annotated[str, AfterValidator(_region)]
RegionIds = Annotated[list[str], _unique_list("region id", _REGION_RE, "cn-shanghai")]
AccountIds = Annotated[list[str], BeforeValidator(_numbers_as_text),
                       _unique_list("account id", _ACCOUNT_RE, "1234567890123456")]
