"""``EcsApi``: every ECS call goes through here (one region-aware entry, retries, pages)."""

from __future__ import annotations

import re
import threading
import time
from functools import partial
from typing import Any, Callable, Iterator

from alibabacloud_ecs20140526 import models
from darabonba.runtime import RuntimeOptions

from ..dotted import dig
from ..settings import Settings
from ..waiter import pause
from .errors import classify
from .retry import RetryPolicy, call_with_retry
from .sdk import make_client


def _method_name(action: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", action).lower() + "_with_options"


# One SDK client per credentials and region, for the process.
_CLIENTS: dict[tuple[Any, ...], Any] = {}
_CLIENTS_LOCK = threading.Lock()


class EcsApi:
    """A short-lived handle (one lifecycle call) over the process's SDK clients."""

    def __init__(self, settings: Settings, policy: RetryPolicy | None = None, *,
                 sleep: Callable[[float], None] = pause,
                 clock: Callable[[], float] = time.monotonic):
        self.settings = settings
        self.policy = policy or RetryPolicy(
            max_retries=settings.max_retries, base_delay=settings.retry_base_delay,
            max_elapsed=settings.call_timeout,
            attempt_timeout=settings.connect_timeout + settings.read_timeout)
        # Between retries (the default ends on shutdown), and what a call's budget reads: a
        # lifecycle passes its own, so a test's clock also governs the pauses of retries.
        self.sleep = sleep
        self.clock = clock

    @property
    def identity(self) -> tuple[Any, ...]:
        """What an SDK client depends on: where it calls and with which credentials."""
        s = self.settings
        return (s.endpoint, s.access_key_id, s.access_key_secret, s.security_token, s.profile)

    def _client(self, region: str) -> Any:
        key = (*self.identity, region)
        with _CLIENTS_LOCK:
            if key not in _CLIENTS:
                _CLIENTS[key] = make_client(self.settings, region)
            return _CLIENTS[key]

    def call(self, action: str, params: dict[str, Any], *, region: str) -> dict[str, Any]:
        """Call ``action`` with API-shaped ``params`` (``{"ToRegionId": [...], ...}``)."""
        request = getattr(models, f"{action}Request")().from_map({**params, "RegionId": region})
        method = getattr(self._client(region), _method_name(action))

        def attempt() -> dict[str, Any]:
            response = method(request, RuntimeOptions())
            return response.body.to_map() if response.body is not None else {}

        return call_with_retry(attempt, self.policy,
                               partial(classify, action=action, region=region,
                                       secrets=self.settings.secrets),
                               sleep=self.sleep, clock=self.clock)

    def token_pages(self, action: str, params: dict[str, Any], *, region: str, items: str,
                    page_size: int = 100) -> Iterator[dict[str, Any]]:
        """Items of a MaxResults/NextToken listing, page after page."""
        token = None
        while True:
            page = {**params, "MaxResults": page_size, **({"NextToken": token} if token else {})}
            body = self.call(action, page, region=region)
            yield from dig(body, items) or []
            token = body.get("NextToken")
            if not token:
                return

    def numbered_pages(self, action: str, params: dict[str, Any], *, region: str, items: str,
                       page_size: int = 100) -> Iterator[dict[str, Any]]:
        """Items of a PageNumber/PageSize listing, page after page."""
        number, seen = 1, 0
        while True:
            body = self.call(action, {**params, "PageNumber": number, "PageSize": page_size},
                             region=region)
            batch = dig(body, items) or []
            yield from batch
            seen += len(batch)
            if not batch or seen >= int(body.get("TotalCount") or 0):
                return
            number += 1
