"""Fixtures of the emulator tests (helpers live in emulator_testkit.py)."""

from __future__ import annotations

import pytest
from emulator_testkit import Api

from alicloud_imagebuilder_emulator import EmulatorHandle


@pytest.fixture
def emulator(imagebuilder_emulator: EmulatorHandle) -> EmulatorHandle:
    """The default fixture with a manual clock: builds move only when a test advances time."""
    imagebuilder_emulator.configure(manual_clock=True)
    return imagebuilder_emulator


@pytest.fixture
def api(emulator: EmulatorHandle) -> Api:
    return Api(emulator)
