"""schema.json, docs/reference.md and the SDK's generated modules match the models."""

from __future__ import annotations

import json
from pathlib import Path

import pulumi_alicloud_imagebuilder as sdk

from alicloud_imagebuilder_provider import docs, schema, sdkgen
from alicloud_imagebuilder_provider.models import RESOURCES

ROOT = Path(__file__).resolve().parents[2]
SDK = ROOT / "sdk" / "python" / "pulumi_alicloud_imagebuilder"


def test_schema_json_is_fresh():
    assert (ROOT / "schema.json").read_text() == schema.render(), \
        "schema.json is stale: run `make schema`"


def test_reference_docs_are_fresh():
    assert (ROOT / "docs" / "reference.md").read_text() == docs.render(), \
        "docs/reference.md is stale: run `make schema`"


def test_sdk_modules_are_fresh():
    for name, text in sdkgen.render().items():
        assert (SDK / name).read_text() == text, \
            f"{SDK.relative_to(ROOT) / name} is stale: run `make schema`"


def test_schema_tokens_name_the_sdks_dynamic_types():
    document = json.loads(schema.render())
    for resource in RESOURCES:
        cls = getattr(sdk, resource.name)
        spec = document["resources"][resource.token]
        assert f"pulumi-python:{cls._resource_type_name}" == spec["aliases"][0]["type"]
        assert set(spec["requiredInputs"]) <= set(spec["inputProperties"])
        assert all(p["description"] for p in spec["properties"].values())


def test_every_documented_input_is_an_sdk_parameter_with_the_models_text():
    document = json.loads(schema.render())
    for resource in RESOURCES:
        spec = sdkgen.python_names(document["resources"][resource.token])
        args = getattr(sdk, f"{resource.name}Args").__dataclass_fields__
        assert list(args) == list(spec["inputProperties"])
        for name, prop in spec["properties"].items():
            getter = getattr(getattr(sdk, resource.name), name)
            assert " ".join(getter.__doc__.split()) == prop["description"]
