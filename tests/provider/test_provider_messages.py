"""Service messages name the properties a user wrote, not the API's parameters."""

from __future__ import annotations

import pytest

from alicloud_imagebuilder_provider.models.build import ImageBuildInputs
from alicloud_imagebuilder_provider.models.template import ImageTemplateInputs


@pytest.mark.parametrize(("message", "expected"), [
    ("ToRegionId.1 'cn-nowhere-9' is not a region.",
     "to_region_ids[0] 'cn-nowhere-9' is not a region."),
    ("RepairItem.N is required with RepairMode Customized.",
     "repair_items is required with repair_mode Customized."),
    ("ImportImageOptions.DiskDeviceMappings.2.OSSBucket is empty.",
     "import_image_options.disk_device_mappings[1].oss_bucket is empty."),
    ("Tag.3.Key must not start with acs:", "tags must not start with acs:"),
    ("The ImageOptions.ImageName is taken.", "The image_name is taken."),
    ("BuildContent is longer than 16 KB.", "build_content is longer than 16 KB."),
    ("InvalidRegionId.NotFound: The Region is odd.",
     "InvalidRegionId.NotFound: The Region is odd."),
])
def test_api_parameter_names_become_property_paths(message, expected):
    assert ImageTemplateInputs.with_property_names(message) == expected


def test_each_resource_translates_its_own_parameters():
    assert ImageBuildInputs.with_property_names("ImagePipelineId ip-1 is unknown") == (
        "template_id ip-1 is unknown")
