"""`pulumi import` of existing templates and components through the plugin: the program that
describes them then previews with no changes."""

from __future__ import annotations

import pytest
from stacks import second_stack

pytestmark = pytest.mark.e2e
TYPE = "alicloud-imagebuilder:imagebuilder:"


def test_an_imported_component_and_template_preview_with_no_changes(project, emulator):
    made = project("yaml-quickstart")
    made.up()
    ids = made.outputs()
    component_id = emulator.all("components")[0]["ImageComponentId"]

    # Another stack adopts them: the same program without the build.
    program = (made.dir / "Pulumi.yaml").read_text()
    resources, _build = program.split("  build:\n", 1)
    (made.dir / "Pulumi.yaml").write_text(resources + "outputs:\n  templateId: ${web.id}\n")
    second_stack(made, emulator, "adopter")

    made.run("import", f"{TYPE}ImageComponent", "nginx", component_id, "--yes")
    made.run("import", f"{TYPE}ImageTemplate", "web", ids["templateId"], "--yes")
    made.run("preview", "--expect-no-changes")
    assert [r["id"] for r in made.resources(":ImageTemplate")] == [ids["templateId"]]
    assert len(emulator.all("templates")) == 1 and len(emulator.all("components")) == 1
