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

    def new(self, prefix: str) -> str:
        with self._lock:
            return prefix + "".join(self._rng.choice(_ALPHABET) for _ in range(20))


def request_id() -> str:
    return str(uuid.uuid4()).upper()
