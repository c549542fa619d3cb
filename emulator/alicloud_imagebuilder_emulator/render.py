"""Stored objects in the wire shape of docs/service-notes.md §3 (keys exactly as the SDK's
``from_map`` reads them; wrapper objects always present). The admin state dump reuses these
shapes."""

from __future__ import annotations

import re
from typing import Any

from .catalog import PublicImage
from .clock import iso
from .models import Component, Execution, Image, Pipeline, Tags

_IMAGE_DATE = re.compile(r"_(20[0-9]{2})([0-9]{2})([0-9]{2})\.vhd$")


def tags(pairs: Tags) -> dict[str, list[dict[str, str]]]:
    return {"Tag": [{"TagKey": key, "TagValue": value} for key, value in pairs]}


def _key_values(pairs: Tags, wrapper: str, key: str = "TagKey",
                value: str = "TagValue") -> dict[str, list[dict[str, str]]]:
    return {wrapper: [{key: k, value: v} for k, v in pairs]}


def import_image_options(options: dict[str, Any]) -> dict[str, Any]:
    rendered = {k: v for k, v in options.items()
                if k not in ("DiskDeviceMappings", "ImportImageTags")}
    if "DiskDeviceMappings" in options:
        rendered["DiskDeviceMappings"] = {"DiskDeviceMapping": options["DiskDeviceMappings"]}
    if "ImportImageTags" in options:
        pairs = tuple((tag.get("Key", ""), tag.get("Value", ""))
                      for tag in options["ImportImageTags"])
        rendered["ImportImageTags"] = _key_values(pairs, "ImportImageTag", "Key", "Value")
    return rendered


def pipeline(p: Pipeline) -> dict[str, Any]:
    spec, options = p.spec, p.spec.image_options
    return {
        "ImagePipelineId": p.pipeline_id,
        "Name": p.name,
        "Description": spec.description or "",
        "CreationTime": iso(p.created),
        "BaseImageType": spec.base_image_type,
        "BaseImage": spec.base_image or "",
        "BuildContent": spec.build_content or "",
        "TestContent": spec.test_content or "",
        "DeleteInstanceOnFailure": p.delete_instance_on_failure,
        "InstanceType": spec.instance_type or "",
        "InternetMaxBandwidthOut": spec.internet_max_bandwidth_out or 0,
        "SystemDiskSize": p.system_disk_size,
        "VSwitchId": spec.vswitch_id or "",
        "ResourceGroupId": p.resource_group_id,
        "ImageName": spec.image_name_prefix or "",
        "ImageFamily": spec.effective_image_family or "",
        "NvmeSupport": spec.effective_nvme_support or "",
        "RepairMode": spec.repair_mode or "",
        "ToRegionIds": {"ToRegionId": list(spec.to_region_ids)},
        "AddAccounts": {"AddAccount": list(spec.add_accounts)},
        "Tags": tags(spec.tags),
        "ImageOptions": {
            "ImageName": spec.image_name_prefix or "",
            "ImageFamily": spec.effective_image_family or "",
            "Description": options.description or "",
            "ImageFeatures": {"NvmeSupport": spec.effective_nvme_support or ""},
            "ImageTags": _key_values(options.image_tags, "ImageTag"),
        },
        "AdvancedOptions": {
            "ImageNameSuffix": spec.image_name_suffix or "",
            "RetainCloudAssistant": spec.retain_cloud_assistant is not False,
        },
        "RepairItems": {"RepairItem": list(spec.repair_items)},
        "ImageSecurityOptions": {"SecurityScanMode": spec.security_scan_mode or ""},
        "ImportImageOptions": import_image_options(spec.import_image_options),
    }


def execution(e: Execution) -> dict[str, Any]:
    return {
        "ExecutionId": e.execution_id,
        "ImagePipelineId": e.pipeline_id,
        "Status": e.status,
        "ImageId": e.image_id,
        "Message": e.message,
        "ErrorCode": e.error_code,
        "ErrorInfo": e.error_info,
        "CreationTime": iso(e.created),
        "ModifiedTime": iso(e.modified),
        "ResourceGroupId": e.resource_group_id,
        "Tags": tags(e.tags),
    }


def component(c: Component) -> dict[str, Any]:
    return {
        "ImageComponentId": c.component_id,
        "Name": c.name,
        "Description": c.description,
        "ComponentType": c.component_type,
        "ComponentVersion": c.component_version,
        "SystemType": c.system_type,
        "Content": c.content,
        "Owner": c.owner,
        "CreationTime": iso(c.created),
        "ResourceGroupId": c.resource_group_id,
        "Tags": tags(c.tags),
        "Parameters": {"Parameter": [
            {"Name": p.name, "Type": p.type,
             "DefaultValue": p.default or ""} for p in c.document.parameters
        ]},
    }


def _disk(size: int, snapshot_id: str) -> dict[str, Any]:
    return {"DiskDeviceMapping": [{"Device": "/dev/xvda", "Size": str(size),
                                   "SnapshotId": snapshot_id,
                                   "Type": "system", "Format": "", "ImportOSSBucket": "",
                                   "ImportOSSObject": "", "Progress": "100%", "RemainTime": 0}]}


def image(i: Image | PublicImage, account_id: str) -> dict[str, Any]:
    if isinstance(i, PublicImage):
        date = _IMAGE_DATE.search(i.image_id)
        created = f"{date[1]}-{date[2]}-{date[3]}T00:00:00Z" if date else "2024-01-01T00:00:00Z"
        return {
            "ImageId": i.image_id, "ImageName": i.name, "Status": "Available", "Progress": "100%",
            "Usable": True, "CreationTime": created, "ImageOwnerAlias": "system", "ImageOwnerId": 0,
            "OSType": i.os_type,
            "Platform": i.platform, "Architecture": i.architecture, "Size": i.size,
            "ImageFamily": i.family,
            "Description": "", "Usage": "instance", "IsCopied": False, "IsPublic": True,
            "IsSelfShared": "",
            "IsSupportCloudinit": True, "IsSupportIoOptimized": True, "OSName": i.os_name,
            "OSNameEn": i.os_name,
            "ResourceGroupId": "", "Tags": tags(()), "DiskDeviceMappings": _disk(i.size, ""),
        }
    base = i.base
    return {
        "ImageId": i.image_id, "ImageName": i.name, "Status": i.status,
        "Progress": "100%" if i.status == "Available" else "50%", "Usable": i.usable,
        "CreationTime": iso(i.created), "ImageOwnerAlias": "self", "ImageOwnerId": int(account_id),
        "OSType": base.os_type, "Platform": base.platform, "Architecture": base.architecture,
        "Size": base.size, "ImageFamily": i.family, "Description": i.description,
        "Usage": "instance" if i.used_by else "none", "IsCopied": i.is_copied, "IsPublic": False,
        "IsSelfShared": "True" if i.shared_with else "False",
        "IsSupportCloudinit": True, "IsSupportIoOptimized": True, "OSName": base.platform,
        "OSNameEn": base.platform, "ResourceGroupId": i.resource_group_id, "Tags": tags(i.tags),
        "DiskDeviceMappings": _disk(base.size, i.snapshot_id),
    }
