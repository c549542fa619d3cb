"""Importing on first use, one thread at a time.

The dynamic provider host runs up to four operations at once; their first calls import the
lifecycles and the ECS SDK, whose modules import each other. Concurrent first imports of such
module cycles can deadlock or see half-initialised modules, so they go through one lock.
"""

from __future__ import annotations

import importlib
import threading
from types import ModuleType

_LOCK = threading.RLock()


def load(name: str) -> ModuleType:
    with _LOCK:
        return importlib.import_module(name)
