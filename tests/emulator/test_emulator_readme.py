"""emulator/README.md documents what users rely on: every ASSUMED behaviour, admin route, flag,
action, catalog region and the default credentials."""

from __future__ import annotations

from pathlib import Path

import pytest

from alicloud_imagebuilder_emulator import (
    DEFAULT_ACCESS_KEY_ID,
    DEFAULT_ACCESS_KEY_SECRET,
    DEFAULT_ACCOUNT_ID,
    admin,
    assumptions,
    catalog,
)
from alicloud_imagebuilder_emulator.cli import build_parser
from alicloud_imagebuilder_emulator.responses import ACTIONS

README = (Path(__file__).resolve().parents[2] / "emulator" / "README.md").read_text(
    encoding="utf-8"
)


@pytest.mark.parametrize("key", sorted(assumptions.ASSUMPTIONS))
def test_every_assumed_behaviour_is_listed_with_its_text(key):
    assert f"- **{key}**: {assumptions.ASSUMPTIONS[key]}" in README


def test_every_admin_route_flag_action_and_region_is_documented():
    assert [
        f"{method} {path}" for method, path in admin.ROUTES if f"{method} {path}" not in README
    ] == []
    flags = [
        option
        for action in build_parser()._actions
        for option in action.option_strings
        if option.startswith("--")
    ]
    missing_flags = [flag for flag in flags if flag != "--help" and f"`{flag}" not in README]
    assert missing_flags == []
    assert [action for action in ACTIONS if action not in README] == []
    assert [region for region in catalog.REGIONS if f"`{region}`" not in README] == []
    assert [image.image_id for image in catalog.PUBLIC_IMAGES if image.image_id not in README] == []
    assert [
        c.component_id for c in catalog.SYSTEM_COMPONENTS if f"`{c.component_id}`" not in README
    ] == []


def test_the_default_credentials_are_documented():
    for value in (DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, DEFAULT_ACCOUNT_ID):
        assert f"`{value}`" in README
