"""The camelCase schema: YAML, TypeScript and Go see camelCase names, while the Python SDK (and so
the dynamic runtime's state) keeps the models' snake_case names, so existing stacks see no diff."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pulumi_alicloud_imagebuilder as sdk
from alicloud_imagebuilder_provider.models import RESOURCES
from alicloud_imagebuilder_provider.schema import camel, nested_models, visible_fields
from alicloud_imagebuilder_provider.sdkgen import snake

SCHEMA = json.loads((Path(__file__).parents[2] / "schema.json").read_text())


def test_schema_properties_are_camel_case_and_map_back_to_the_models():
    build = SCHEMA["resources"]["alicloud-imagebuilder:imagebuilder:ImageBuild"]
    template = SCHEMA["resources"]["alicloud-imagebuilder:imagebuilder:ImageTemplate"]
    assert {"imageIds", "deleteImagesOnDestroy"} <= set(build["properties"])
    assert {"baseImageType", "toRegionIds"} <= set(template["inputProperties"])
    models = {m for r in RESOURCES for m in (r.inputs, r.outputs, *nested_models(r.inputs))}
    for model in models:
        for name, _info in visible_fields(model):
            assert "_" not in camel(name), name
            assert snake(camel(name)) == name, f"{model.__name__}.{name} does not map back"


def test_python_sdk_keeps_the_snake_case_names_the_dynamic_state_holds():
    for resource in RESOURCES:
        module = getattr(sdk, resource.name).__module__
        args = getattr(sdk, f"{resource.name}Args")
        inputs = {n for n, _ in visible_fields(resource.inputs)}
        assert {f.name for f in dataclasses.fields(args)} == inputs, resource.name
        outputs = __import__(module, fromlist=["_OUTPUTS"])._OUTPUTS
        assert set(outputs) == inputs | {n for n, _ in visible_fields(resource.outputs)}


def test_union_typed_properties_carry_no_default_for_the_generators():
    for resource in SCHEMA["resources"].values():
        for name, prop in resource["inputProperties"].items():
            assert not ("oneOf" in prop and "default" in prop), name
    timeout = SCHEMA["resources"]["alicloud-imagebuilder:imagebuilder:ImageBuild"][
        "inputProperties"]["timeout"]
    assert "Default: `3600.0`" in timeout["description"]
