"""Paging: MaxResults/NextToken on the three Describe* listings, PageNumber/PageSize on the others.

A NextToken is opaque to clients; it encodes the listing it belongs to and the position after the
last item returned, so deleting items between pages neither repeats nor skips the rest.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from .errors import forbidden

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    next_token: str = ""
    max_results: int = 0


def _encode(kind: str, seq: int) -> str:
    return base64.urlsafe_b64encode(f"{kind}:{seq}".encode()).decode().rstrip("=")


def _decode(kind: str, token: str) -> int:
    error = forbidden("Invalid.NextToken", f"The specified NextToken {token!r} is not valid for "
                                           "this listing.")
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise error from None
    prefix, _, number = raw.partition(":")
    if prefix != kind or not number.isdigit():
        raise error
    return int(number)


def by_token(items: Sequence[T], seq: Callable[[T], int], kind: str, max_results: int,
             next_token: str | None) -> Page[T]:
    """``items`` newest first (descending ``seq``); returns the page after ``next_token``."""
    start = 0
    if next_token:
        after = _decode(kind, next_token)
        start = next((i for i, item in enumerate(items) if seq(item) < after), len(items))
    chunk = list(items[start:start + max_results])
    more = start + max_results < len(items)
    token = _encode(kind, seq(chunk[-1])) if more and chunk else ""
    return Page(chunk, len(items), token, max_results)


def by_number(items: Sequence[T], page_number: int, page_size: int) -> Page[T]:
    start = (page_number - 1) * page_size
    return Page(list(items[start:start + page_size]), len(items))
