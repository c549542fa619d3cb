"""The README, the emulator manual and the demo set every secret config key with --secret, as
docs/reference.md (generated from the settings) marks it, and never a key that is not secret."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from alicloud_imagebuilder_provider.settings import CONFIG_KEYS, NAMESPACE

ROOT = Path(__file__).resolve().parents[2]
SECRET = {key.key: key.secret for key in CONFIG_KEYS}
SETS = re.compile(rf"pulumi config set (--secret )?{NAMESPACE}:(\w+)")


@pytest.mark.parametrize("doc", ["README.md", "emulator/README.md", "tools/demo.sh"])
def test_config_commands_mark_secrets_as_the_reference_does(doc):
    found = SETS.findall((ROOT / doc).read_text())
    disagree = [key for flag, key in found if bool(flag) != SECRET[key]]
    assert disagree == [], f"{doc}: set these keys as docs/reference.md marks them: {disagree}"


def test_the_reference_marks_the_same_keys_secret():
    reference = (ROOT / "docs" / "reference.md").read_text()
    marked = {m.group(1) for m in re.finditer(rf"^\| `{NAMESPACE}:(\w+)` \|.*\| yes \|", reference,
                                               re.MULTILINE)}
    assert marked == {key for key, secret in SECRET.items() if secret}


def test_the_reference_lists_the_poll_and_call_timeouts():
    reference = (ROOT / "docs" / "reference.md").read_text()
    for key in ("pollInterval", "pollMaxInterval", "connectTimeout", "readTimeout", "callTimeout"):
        assert f"`{NAMESPACE}:{key}`" in reference, key
