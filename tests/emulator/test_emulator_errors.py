"""Every documented error of CreateImagePipeline (and the request-level ones), through the SDK.

Nothing is created by a rejected request.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from alibabacloud_ecs20140526 import models as m
from alibabacloud_tea_openapi.models import OpenApiRequest, Params
from darabonba.runtime import RuntimeOptions
from emulator_testkit import expect_error

Options = m.CreateImagePipelineRequestImageOptions
Tag = m.CreateImagePipelineRequestTag
ACCOUNTS = [1234567890000000 + i for i in range(21)]
REGIONS = ["cn-qingdao", "cn-beijing", "cn-zhangjiakou", "cn-huhehaote", "cn-wulanchabu",
           "cn-shanghai", "cn-nanjing",
           "cn-fuzhou", "cn-shenzhen", "cn-heyuan", "cn-guangzhou", "cn-chengdu", "cn-hongkong",
           "ap-northeast-1",
           "ap-northeast-2", "ap-southeast-1", "ap-southeast-3", "ap-southeast-5", "us-east-1",
           "us-west-1", "eu-central-1"]

CREATE_ERRORS = [
    # (fields, HTTP status, code)
    ({"name": "1-starts-with-a-digit"}, 400, "InvalidName.Malformed"),
    ({"name": "http://example.com"}, 400, "InvalidName.Malformed"),
    ({"description": "x"}, 400, "InvalidDescription.Malformed"),
    ({"image_name": "9bad"}, 400, "InvalidImageName.Malformed"),
    ({"image_options": Options(image_name="x" * 65)}, 400, "InvalidImageName.Malformed"),
    ({"base_image_type": "DOCKER"}, 400, "InvalidBaseImageType.NotSupportedValue"),
    ({"system_disk_size": 10}, 400, "InvalidSystemDiskSize.NotSupportedValue"),
    ({"internet_max_bandwidth_out": 101}, 400, "InvalidInternetMaxBandwidthOut.NotSupportedValue"),
    ({"add_account": ACCOUNTS}, 400, "InvalidAddAccountSize.ExceededMaxNumber"),
    ({"to_region_id": REGIONS}, 400, "InvalidToRegionIdSize.ExceededMaxNumber"),
    ({"build_content": "RUN echo " + "x" * 16384}, 400, "InvalidBuildContent.LengthExceeded"),
    ({"build_content": "\n".join(["RUN true"] * 128)}, 400,
     "InvalidImageTemplateCommandSize.ExceededMaxNumber"),
    ({"test_content": "\n".join(["RUN true"] * 128)}, 400,
     "InvalidImageTemplateCommandSize.ExceededMaxNumber"),
    ({"test_content": "RUN echo " + "x" * 16384}, 400, "InvalidParameter.TestContent"),
    ({"build_content": "RUN echo hi\nDEPLOY app"}, 400, "InvalidImageTemplateCommand.NotSupported"),
    ({"build_content": 'RUN echo "unterminated'}, 400, "InvalidCommandContent.RUN"),
    ({"build_content": "RUN"}, 400, "EmptyCommandContent.RUN"),
    ({"build_content": "ENV ONLY_A_KEY"}, 400, "InvalidCommandContent.ENV"),
    ({"build_content": "COPY /just-one-path"}, 400, "InvalidCommandContent.COPY"),
    ({"build_content": "WORKDIR"}, 400, "EmptyCommandContent.WORKDIR"),
    ({"build_content": "RESTART please"}, 400, "NotEmptyCommandContent.RESTART"),
    ({"image_options": Options(description="h")}, 400, "InvalidImageOptions.Description"),
    ({"advanced_options": m.CreateImagePipelineRequestAdvancedOptions(image_name_suffix="enable")},
     400, "InvalidAdvancedOptions.ImageNameSuffix"),
    ({"image_family": "aliyun-family"}, 400, "InvalidImageFamily.Malformed"),
    ({"image_options": Options(image_family="acs:family")}, 400, "InvalidImageFamily.Malformed"),
    ({"tag": [Tag(key="env", value="a"), Tag(key="env", value="b")]}, 400, "Duplicate.TagKey"),
    ({"tag": [Tag(key="acs:reserved", value="a")]}, 400, "InvalidTagKey.Malformed"),
    ({"tag": [Tag(key="site", value="https://example.com")]}, 400, "InvalidTagValue.Malformed"),
    ({"tag": [Tag(key=f"k{i}", value="v") for i in range(21)]}, 400, "InvalidTagCount"),
    ({"base_image_type": "OSS", "base_image": None}, 404, "MissingParameter.ImportImageOptions"),
    ({"base_image_type": "OSS"}, 400, "InvalidParameterCombination"),
    ({"base_image": None}, 400, "InvalidParameterCombination"),
    ({"repair_mode": "Customized"}, 400, "InvalidParameterCombination"),
    ({"repair_mode": "Sometimes"}, 400, "InvalidParameter.RepairMode"),
    ({"repair_item": ["grub"]}, 404, "MissingParameter.RepairMode"),
    ({"repair_mode": "Standard", "base_image": "acs:alibaba_cloud_linux_3_2104_lts_arm64"}, 400,
     "InvalidImage.NotSupportRepair"),
    ({"base_image": "acs:freebsd_11_02_x64"}, 400, "InvalidImage.OsTypeUnsupported"),
    ({"base_image": "acs:windows_server_2022_datacenter_en-us", "instance_type": "ecs.g8y.large"},
     403, "ImagePipeline.NotSupportWindowsInstance"),
    ({"repair_mode": "Customized", "repair_item": ["bcd"]}, 400,
     "InvalidRepairItem.NotSupportedValue"),
    ({"nvme_support": "maybe"}, 400, "InvalidParameter.NvmeSupport"),
    ({"image_options": Options(image_features=m.CreateImagePipelineRequestImageOptionsImageFeatures(
        nvme_support="sometimes"))}, 400, "InvalidParameter.NvmeSupport"),
    ({"add_account": None, "client_token": "é" * 3}, 400, "InvalidClientToken.ValueNotSupported"),
    ({"base_image_type": "IMAGE", "base_image": "m-doesnotexist0000000"}, 404,
     "InvalidImage.NotFound"),
    ({"base_image": "acs:no_such_family"}, 404, "InvalidImage.NotFound"),
    ({"region_id": "mars-north-1"}, 404, "InvalidRegionId.NotFound"),
    ({"to_region_id": ["cn-shanghai", "moon-1"]}, 404, "InvalidRegionId.NotFound"),
    ({"v_switch_id": "vsw-emu-cn-shanghai-a"}, 404, "InvalidVSwitchId.NotFound"),
    ({"instance_type": "ecs.imaginary.huge"}, 404, "InvalidInstanceType.NotFound"),
    ({"resource_group_id": "rg-doesnotexist"}, 404, "InvalidResourceGroup.NotFound"),
    ({"build_content": "COMPONENT ic-doesnotexist000000000"}, 404, "ImageComponent.NotFound"),
]


@pytest.mark.parametrize(("fields", "status", "code"), CREATE_ERRORS,
                         ids=[c for _, _, c in CREATE_ERRORS])
def test_create_image_pipeline_rejects_bad_input_and_creates_nothing(api, emulator, fields, status,
                                                                     code):
    error = expect_error(status, code, api.template, **fields)
    assert error.message and error.request_id
    assert emulator.state()["regions"] == {}


Import = m.CreateImagePipelineRequestImportImageOptions
Disk = m.CreateImagePipelineRequestImportImageOptionsDiskDeviceMappings
DISK = {"ossbucket": "images", "ossobject": "ubuntu.qcow2"}
IMPORT_ERRORS = [
    # (ImportImageOptions fields, first disk fields, HTTP status, code)
    ({"ostype": "linux"}, None, 404, "MissingParameter.ImageOptionsDiskDeviceMappings"),
    ({}, {"ossobject": "a.raw"}, 404,
     "MissingParameter.ImportImageOptionsDiskDeviceMappingsOSSBucket"),
    ({}, {"ossbucket": "images"}, 404,
     "MissingParameter.ImportImageOptionsDiskDeviceMappingsOSSObject"),
    ({"architecture": "sparc"}, DISK, 400, "InvalidParameter.ImportImageOptionsArchitecture"),
    ({"ostype": "plan9"}, DISK, 400, "InvalidParameter.ImportImageOptionsOSType"),
    ({"boot_mode": "LEGACY"}, DISK, 400, "InvalidParameter.ImportImageOptionsBootMode"),
    ({"platform": "Haiku"}, DISK, 400, "InvalidParameter.ImportImageOptionsPlatform"),
    ({"license_type": "Free"}, DISK, 400, "InvalidParameter.ImportImageOptionsLicenseType"),
    ({"features": m.CreateImagePipelineRequestImportImageOptionsFeatures(nvme_support="auto")},
     DISK, 400, "InvalidParameter.ImportImageOptionsFeaturesNvmeSupport"),
    ({}, {**DISK, "format": "VMDK"}, 400,
     "InvalidParameter.ImportImageOptionsDiskDeviceMappingsFormat"),
    ({}, {**DISK, "ossbucket": "-Bad_Bucket"}, 400,
     "InvalidParameter.ImportImageOptionsDiskDeviceMappingsOSSBucket"),
    ({}, {**DISK, "ossobject": "https://example.com/a.raw"}, 400,
     "InvalidParameter.ImportImageOptionsDiskDeviceMappingsOSSObject"),
    ({}, {**DISK, "disk_image_size": 4096}, 400, "InvalidOperation.DiskImageSizeExceeded"),
    ({"platform": "FreeBSD"}, DISK, 400, "InvalidImage.OsTypeUnsupported"),
]


@pytest.mark.parametrize(("options", "disk", "status", "code"), IMPORT_ERRORS,
                         ids=[f"{c}-{i}" for i, (_, _, _, c) in enumerate(IMPORT_ERRORS)])
def test_import_image_options_have_the_documented_values_and_codes(api, emulator, options, disk,
                                                                   status, code):
    mappings = None if disk is None else [Disk(**disk)]
    expect_error(status, code, api.template, base_image_type="OSS", base_image=None,
                 import_image_options=Import(disk_device_mappings=mappings, **options))
    assert emulator.state()["regions"] == {}


def test_at_most_seventeen_disks_are_imported(api):
    disks = [Disk(ossbucket="images", ossobject=f"disk{i}.raw") for i in range(18)]
    expect_error(400, "InvalidImportImageOptionsDiskDeviceMappings.LengthLimitExceeded",
                 api.template, base_image_type="OSS", base_image=None,
                 import_image_options=Import(disk_device_mappings=disks))
    assert api.template(base_image_type="OSS", base_image=None,
                        import_image_options=Import(disk_device_mappings=disks[:17])).startswith("ip-")


def test_a_name_clash_with_suffix_disabled_is_refused_at_create(api):
    built = api.build()
    taken = api.image(built.image_id).image_name
    expect_error(400, "InvalidImageName.Duplicated", api.template,
                 image_options=Options(image_name=taken),
                 advanced_options=m.CreateImagePipelineRequestAdvancedOptions(image_name_suffix="disable"))


def test_the_template_quota_is_enforced(api, emulator):
    emulator.configure(pipeline_quota=1)
    api.template()
    expect_error(400, "QuotaExceed.ImagePipeline", api.template)


def test_describe_image_pipelines_errors(api):
    expect_error(400, "InvalidImagePipelineIdSize.ExceededMaxNumber", api.templates,
                 image_pipeline_id=[f"ip-{i}" for i in range(21)])
    expect_error(400, "InvalidName.Malformed", api.templates, name="-bad")
    expect_error(400, "InvalidParameter.MaxResults", api.templates, max_results=501)


def _call(api, action, query):
    params = Params(action=action, version="2014-05-26", protocol="HTTP", pathname="/",
                    method="POST",
                    auth_type="AK", style="RPC", req_body_type="formData", body_type="json")
    return api.client.call_api(params, OpenApiRequest(query=query), RuntimeOptions())


def test_an_unknown_action_gets_the_service_error_format(api):
    error = expect_error(404, "InvalidAction.NotFound", _call, api, "RunInstances",
                         {"RegionId": "cn-hangzhou"})
    assert error.data["HostId"] == "ecs.aliyuncs.com"
    assert "CreateImagePipeline" in error.data["Message"]


def test_a_missing_region_or_id_is_named(api):
    expect_error(400, "MissingParameter.RegionId", _call, api, "DescribeImagePipelines", {})
    expect_error(400, "MissingParameter.ImagePipelineId", _call, api, "StartImagePipelineExecution",
                 {"RegionId": "cn-hangzhou"})
    expect_error(400, "InvalidParameter.DeleteInstanceOnFailure", _call, api, "CreateImagePipeline",
                 {"RegionId": "cn-hangzhou", "DeleteInstanceOnFailure": "perhaps"})


def test_error_responses_are_json_with_the_documented_content_type(api, emulator):
    request = urllib.request.Request(f"{emulator.url}/?RegionId=cn-hangzhou", method="POST",
                                     headers={"x-acs-action": "DescribeImagePipelines",
                                              "x-acs-version": "2014-05-26"})
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request)
    assert caught.value.headers["Content-Type"] == "application/json;charset=utf-8"
    assert set(json.load(caught.value)) == {"RequestId", "HostId", "Code", "Message", "Recommend"}
