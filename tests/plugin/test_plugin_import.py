"""Adopting existing objects through the plugin: `pulumi import` of a component, a template and a
build, and a Python program's `import_` resource option; the program that describes them then
previews with no changes."""

from __future__ import annotations

import pytest
from stacks import second_stack

pytestmark = pytest.mark.e2e
TYPE = "alicloud-imagebuilder:imagebuilder:"


def test_an_imported_component_template_and_build_preview_with_no_changes(project, emulator):
    made = project("yaml-quickstart")
    made.up()
    ids = made.outputs()
    component_id = emulator.all("components")[0]["ImageComponentId"]
    # A build made by the plugin records its provider-side settings, unset ones too: a setting
    # the program adds later is a change there (only an import's state lacks them).
    program = made.dir / "Pulumi.yaml"
    setting = "      deleteImagesOnDestroy: ${deleteImagesOnDestroy}\n"
    program.write_text(program.read_text().replace(setting, setting + "      timeout: 30m\n"))
    changed = made.run("preview", "--expect-no-changes", "--diff", check=False)
    assert changed.returncode != 0 and "timeout" in changed.stdout

    # Another stack of the same program adopts them. The build's triggers, and the other
    # settings that only steer the provider, are the program's: no new build runs.
    second_stack(made, emulator, "adopter")
    made.run("import", f"{TYPE}ImageComponent", "nginx", component_id, "--yes")
    made.run("import", f"{TYPE}ImageTemplate", "web", ids["templateId"], "--yes")
    made.run("import", f"{TYPE}ImageBuild", "build", ids["executionId"], "--yes")
    adopted = made.run("preview", "--expect-no-changes")
    # The build's tags (create-only) are read from the service: no warning of a change.
    assert "NOT applied" not in adopted.stdout + adopted.stderr
    assert [r["id"] for r in made.resources(":ImageTemplate")] == [ids["templateId"]]
    assert [r["id"] for r in made.resources(":ImageBuild")] == [ids["executionId"]]
    assert len(emulator.all("templates")) == 1 and len(emulator.all("components")) == 1
    assert [e["ExecutionId"] for e in emulator.all("executions")] == [ids["executionId"]]

    # The first `up` records the program's settings in the inputs: a later trigger change is a
    # new build, and destroy applies deleteImagesOnDestroy (true in this program).
    made.up()
    made.config("release", "2")
    changed = made.run("preview", "--expect-no-changes", "--diff", check=False)
    assert changed.returncode != 0 and "triggers" in changed.stdout
    made.config("release", "1")
    made.run("destroy", "--yes")
    assert [i for i in emulator.all("images") if i.get("ImageName") == ids["imageName"]] == []


ADOPTER = '''
import pulumi
import pulumi_alicloud_imagebuilder as imagebuilder

config = pulumi.Config()
provider = imagebuilder.Provider(
    "acct", region=config.require("region"), endpoint=config.require("endpoint"),
    access_key=config.require("access_key"), secret_key=config.require_secret("secret_key"))
imagebuilder.ImageTemplate(
    "web", template_name="web", base_image_type="IMAGE_FAMILY",
    base_image="acs:alibaba_cloud_linux_3_2104_lts_x64", image_name="web",
    opts=pulumi.ResourceOptions(provider=provider, import_=config.get("template_id")))
'''


def test_a_python_import_option_adopts_a_template_through_an_explicit_provider(project, emulator):
    stack = project("quickstart", program=ADOPTER)

    def configure(**more: str) -> None:
        for key, value in {"region": "cn-hangzhou", "endpoint": emulator.url,
                           "access_key": emulator.access_key_id, **more}.items():
            stack.config(key, value)
        stack.config("secret_key", emulator.access_key_secret, secret=True)

    configure()
    stack.up()  # no template_id yet: the program creates the template
    template_id = emulator.all("templates")[0]["ImagePipelineId"]

    stack.run("stack", "init", "adopter")
    configure(template_id=template_id)
    stack.up()
    stack.run("preview", "--expect-no-changes")
    assert [r["id"] for r in stack.resources(":ImageTemplate")] == [template_id]
    assert len(emulator.all("templates")) == 1
