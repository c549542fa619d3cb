"""Resource ids in the service's shape (``ip-``/``exec-``/``ic-``/``m-``/``i-``/``vpc-`` + 20
lowercase letters and digits), drawn from a seeded generator so a run repeats."""

from __future__ import annotations

import random
import string
import threading
import uuid

_ALPHABET = string.ascii_lowercase + string.digits


class IdFactory:
    def __init__(self, seed: int = 0) -> None:
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._taken: set[str] = set()  # ids of a restored state, never drawn again

    def new(self, prefix: str) -> str:
        with self._lock:
            while True:
                new_id = prefix + "".join(self._rng.choice(_ALPHABET) for _ in range(20))
                if new_id not in self._taken:
                    return new_id

    def reserve(self, existing: str) -> None:
        """An id that exists already (restored): :meth:`new` will not hand it out."""
        with self._lock:
            self._taken.add(existing)


def request_id() -> str:
    return str(uuid.uuid4()).upper()
