"""One registry maps every resource to its token, dynamic type, lifecycle and models."""

from __future__ import annotations

import json

from alicloud_imagebuilder_provider import dynamic, schema
from alicloud_imagebuilder_provider.registry import BY_DYNAMIC_TYPE, BY_TOKEN, REGISTRY


def test_every_schema_resource_has_one_registry_entry_and_one_dynamic_adapter():
    tokens = set(json.loads(schema.render())["resources"])
    assert set(BY_TOKEN) == tokens
    for entry in REGISTRY:
        adapter = getattr(dynamic, f"{entry.name}Provider")()
        assert adapter._lifecycle_class() is entry.lifecycle
        assert entry.lifecycle.INPUTS is entry.inputs
        assert BY_DYNAMIC_TYPE[entry.dynamic_type] is entry


def test_the_diff_names_each_changed_property_and_whether_it_replaces():
    template = BY_TOKEN["alicloud-imagebuilder:imagebuilder:ImageTemplate"].lifecycle
    olds = {"image_family": "web", "base_image": "ubuntu_22", "description": "a"}
    news = {**olds, "base_image": "ubuntu_24"}
    result = template.diff(olds, news)
    assert result.replaces == ["base_image"]
    assert result.detailed() == {"base_image": "replace"}
