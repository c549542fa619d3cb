"""Explicit providers in Python: resources given an `imagebuilder.Provider` run on the provider
plugin with that provider's account, endpoint and region; one without stays dynamic."""

from __future__ import annotations

import pytest
from harness import Emulator

pytestmark = pytest.mark.e2e
SECOND_KEY = ("LTAI5tSecondAccountKey", "second-account-secret-value")

PROGRAM = '''
import pulumi
import pulumi_alicloud_imagebuilder as imagebuilder

config = pulumi.Config()
for account in ("a", "b"):
    provider = imagebuilder.Provider(
        f"acct-{account}", region=config.require(f"region_{account}"),
        endpoint=config.require(f"endpoint_{account}"),
        access_key=config.require(f"access_key_{account}"),
        secret_key=config.require_secret(f"secret_key_{account}"), poll_interval=0.1)
    opts = pulumi.ResourceOptions(provider=provider)
    nginx = imagebuilder.ImageComponent(f"nginx-{account}", component_name=f"nginx-{account}",
                                        content="RUN echo hello", opts=opts)
    web = imagebuilder.ImageTemplate(
        f"web-{account}", base_image_type="IMAGE_FAMILY",
        base_image="acs:alibaba_cloud_linux_3_2104_lts_x64", build_components=[nginx.id],
        image_name=f"web-{account}", opts=opts)
    build = imagebuilder.ImageBuild(f"web-{account}", template_id=web.id,
                                    delete_images_on_destroy=True, opts=opts)
    pulumi.export(f"image_ids_{account}", build.image_ids)

imagebuilder.ImageComponent("dynamic", component_name="dynamic", content="RUN echo dynamic")
'''


def test_two_explicit_providers_build_in_their_own_accounts_and_regions(project, emulator):
    second = Emulator(0.2, "--access-key-id", SECOND_KEY[0], "--access-key-secret", SECOND_KEY[1])
    try:
        stack = project("quickstart", program=PROGRAM)
        first_key = (emulator.access_key_id, emulator.access_key_secret)
        for account, emu, region, (key, secret) in (
                ("a", emulator, "cn-hangzhou", first_key),
                ("b", second, "cn-shanghai", SECOND_KEY)):
            stack.config(f"region_{account}", region)
            stack.config(f"endpoint_{account}", emu.url)
            stack.config(f"access_key_{account}", key)
            stack.config(f"secret_key_{account}", secret, secret=True)
        stack.up()
        out = stack.outputs()

        assert list(out["image_ids_a"]) == ["cn-hangzhou"]
        assert list(out["image_ids_b"]) == ["cn-shanghai"]
        assert {t["ImageName"] for t in emulator.all("templates")} == {"web-a"}
        assert [(t["ImageName"], t["Region"]) for t in second.all("templates")] == [
            ("web-b", "cn-shanghai")]
        assert {c["Name"] for c in emulator.all("components")} == {
            "nginx-a", "dynamic"}
        types = {r["urn"].rsplit("::", 1)[-1]: r["type"] for r in stack.resources()}
        assert types["web-b"] == "alicloud-imagebuilder:imagebuilder:ImageBuild"
        assert types["dynamic"].startswith("pulumi-python:dynamic")
        exported = str(stack.export())
        assert SECOND_KEY[1] not in exported and emulator.access_key_secret not in exported

        stack.run("preview", "--expect-no-changes")
        stack.run("destroy", "--yes", "--skip-preview")
        assert emulator.all("images") == [] and second.all("images") == []
    finally:
        second.stop()
