"""ImportImageOptions of a template built from an OSS object (BaseImageType OSS): the values and
error codes of the CreateImagePipeline API reference."""

from __future__ import annotations

import re
from typing import Any

from .errors import ApiError, bad_request, not_found

ARCHITECTURES = ("x86_64", "arm64")
OS_TYPES = ("linux", "windows")
BOOT_MODES = ("BIOS", "UEFI")
LICENSE_TYPES = ("Auto", "Aliyun", "BYOL")
NVME_SUPPORT = ("supported", "unsupported")
FORMATS = ("RAW", "VHD", "QCOW2")
PLATFORMS = (
    "Aliyun", "Anolis", "CentOS", "Ubuntu", "CoreOS", "SUSE", "Debian", "OpenSUSE", "FreeBSD",
    "RedHat", "Kylin", "UOS",
    "Fedora", "Fedora CoreOS", "CentOS Stream", "AlmaLinux", "Rocky Linux", "Gentoo",
    "Customized Linux",
    "Others Linux", "Windows Server 2022", "Windows Server 2019", "Windows Server 2016",
    "Windows Server 2012", "Windows Server 2008", "Windows Server 2003", "Other Windows",
)
MAX_DISKS = 17
MAX_DISK_GIB = 2048
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")
_URL_PREFIXES = ("http://", "https://")


def _missing(name: str) -> ApiError:
    return not_found(f"MissingParameter.{name}", f"The specified parameter {name} is missing.")


def _invalid(field: str, value: Any, allowed: tuple[str, ...] | str) -> ApiError:
    expected = ", ".join(allowed) if isinstance(allowed, tuple) else allowed
    return bad_request(f"InvalidParameter.ImportImageOptions{field.replace('.', '')}",
                       f"The specified parameter ImportImageOptions.{field} {value!r} is invalid: "
                       f"{expected}.")


def check(options: dict[str, Any]) -> None:
    """BaseImageType OSS: ImportImageOptions must name the OSS object(s) and take documented
    values."""
    if not options:
        raise _missing("ImportImageOptions")
    for field, allowed in (("Architecture", ARCHITECTURES), ("OSType", OS_TYPES),
                           ("BootMode", BOOT_MODES),
                           ("Platform", PLATFORMS), ("LicenseType", LICENSE_TYPES)):
        value = options.get(field)
        if value is not None and value not in allowed:
            raise _invalid(field, value, allowed)
    nvme = (options.get("Features") or {}).get("NvmeSupport")
    if nvme and nvme not in NVME_SUPPORT:
        raise _invalid("Features.NvmeSupport", nvme, NVME_SUPPORT)
    mappings = options.get("DiskDeviceMappings") or []
    if not mappings:
        raise _missing("ImageOptionsDiskDeviceMappings")  # sic: the documented code
    if len(mappings) > MAX_DISKS:
        raise bad_request("InvalidImportImageOptionsDiskDeviceMappings.LengthLimitExceeded",
                          "The length of the specified parameter "
                          "ImportImageOptions.DiskDeviceMappings exceeds "
                          f"the limit({MAX_DISKS}).")
    for mapping in mappings:
        bucket, key = mapping.get("OSSBucket"), mapping.get("OSSObject")
        if not bucket:
            raise _missing("ImportImageOptionsDiskDeviceMappingsOSSBucket")
        if not key:
            raise _missing("ImportImageOptionsDiskDeviceMappingsOSSObject")
        if not _BUCKET.match(bucket):
            raise _invalid("DiskDeviceMappings.OSSBucket", bucket, "3 to 63 lowercase letters, "
                                                                   "digits and hyphens, "
                                                                   "not starting or ending with a "
                                                                   "hyphen")
        if len(key) > 1023 or key.startswith(_URL_PREFIXES):
            raise _invalid("DiskDeviceMappings.OSSObject", key, "up to 1023 characters, not "
                                                                "starting with "
                                                                "http:// or https://")
        if mapping.get("Format") is not None and mapping["Format"] not in FORMATS:
            raise _invalid("DiskDeviceMappings.Format", mapping["Format"], FORMATS)
        size = mapping.get("DiskImageSize")
        if size is not None and not (isinstance(size, int) and 1 <= size <= MAX_DISK_GIB):
            raise bad_request("InvalidOperation.DiskImageSizeExceeded",
                              "The disk size exceeds the limit: "
                              "ImportImageOptions.DiskDeviceMappings.DiskImageSize "
                              f"{size!r} must be from 1 to {MAX_DISK_GIB} (GiB).")
