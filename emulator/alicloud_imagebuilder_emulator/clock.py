"""The emulator's clock: real time, or a manual clock that only moves when told to.

Build statuses are computed from this clock whenever state is read, so a manual clock makes a
whole build deterministic: nothing happens until a test calls :meth:`Clock.advance`.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime, timezone


class Clock:
    """Epoch seconds, either following the wall clock (with an offset) or frozen until advanced.

    Switching modes never makes time jump: a clock made manual freezes at its current reading,
    and a manual clock made real again continues from where it stood.
    """

    def __init__(self, manual: bool = False, start: float | None = None) -> None:
        self._lock = threading.Lock()
        origin = time.time() if start is None else float(start)
        self._offset = origin - time.time()
        self._frozen = origin
        self._manual = manual

    @property
    def manual(self) -> bool:
        return self._manual

    def now(self) -> float:
        with self._lock:
            return self._frozen if self._manual else time.time() + self._offset

    def advance(self, seconds: float) -> float:
        """Move the clock forward (either mode); returns the new reading."""
        if seconds < 0:
            raise ValueError("seconds must be >= 0 (the clock never goes back)")
        with self._lock:
            self._frozen += seconds
            self._offset += seconds
            return self._frozen if self._manual else time.time() + self._offset

    def set_manual(self, manual: bool) -> None:
        with self._lock:
            if manual == self._manual:
                return
            if manual:
                self._frozen = time.time() + self._offset
            else:
                self._offset = self._frozen - time.time()
            self._manual = manual


def iso(epoch: float) -> str:
    """Render epoch seconds as the API renders times: ``2026-11-24T06:00:00Z``."""
    return datetime.fromtimestamp(epoch, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text: str) -> float:
    """The inverse of :func:`iso`: epoch seconds of ``2026-11-24T06:00:00Z``."""
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc).timestamp()
