"""An offline emulator of the Alibaba Cloud ECS Image Builder API (image templates, builds,
components and images), for testing without an Alibaba Cloud account.

Start it with ``alicloud-imagebuilder-emulator`` (or ``python -m alicloud_imagebuilder_emulator``),
start it from Python with :class:`EmulatorProcess`, or use the ``imagebuilder_emulator``
pytest fixture. See emulator/README.md.
"""

from .app import EmulatorApp, RequestRecord, make_app
from .backend import Backend
from .clock import Clock
from .defaults import (
    DEFAULT_ACCESS_KEY_ID,
    DEFAULT_ACCESS_KEY_SECRET,
    DEFAULT_ACCOUNT_ID,
    DEFAULT_REGION_ID,
)
from .errors import ApiError
from .handle import EmulatorHandle
from .process import PROXY_VARIABLES, EmulatorProcess
from .server import EmulatorServer
from .settings import Settings

__all__ = [
    "DEFAULT_ACCESS_KEY_ID",
    "DEFAULT_ACCESS_KEY_SECRET",
    "DEFAULT_ACCOUNT_ID",
    "DEFAULT_REGION_ID",
    "PROXY_VARIABLES",
    "ApiError",
    "Backend",
    "Clock",
    "EmulatorApp",
    "EmulatorHandle",
    "EmulatorProcess",
    "EmulatorServer",
    "RequestRecord",
    "Settings",
    "make_app",
]
