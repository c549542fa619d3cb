"""What exists before any call: regions, public images and families, instance types, vSwitches
and resource groups. The region ids, image families and instance types are real Alibaba Cloud
names; the public image ids follow the real naming scheme; vSwitch and resource-group ids are the
emulator's own (documented in emulator/README.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# region id -> (English name, Chinese name); ids are real Alibaba Cloud region ids.
REGIONS: dict[str, tuple[str, str]] = {
    "cn-qingdao": ("China (Qingdao)", "华北1（青岛）"),
    "cn-beijing": ("China (Beijing)", "华北2（北京）"),
    "cn-zhangjiakou": ("China (Zhangjiakou)", "华北3（张家口）"),
    "cn-huhehaote": ("China (Hohhot)", "华北5（呼和浩特）"),
    "cn-wulanchabu": ("China (Ulanqab)", "华北6（乌兰察布）"),
    "cn-hangzhou": ("China (Hangzhou)", "华东1（杭州）"),
    "cn-shanghai": ("China (Shanghai)", "华东2（上海）"),
    "cn-nanjing": ("China (Nanjing - Local Region)", "华东5（南京-本地地域）"),
    "cn-fuzhou": ("China (Fuzhou - Local Region)", "华东6（福州-本地地域）"),
    "cn-wuhan-lr": ("China (Wuhan - Local Region)", "华中1（武汉-本地地域）"),
    "cn-shenzhen": ("China (Shenzhen)", "华南1（深圳）"),
    "cn-heyuan": ("China (Heyuan)", "华南2（河源）"),
    "cn-guangzhou": ("China (Guangzhou)", "华南3（广州）"),
    "cn-chengdu": ("China (Chengdu)", "西南1（成都）"),
    "cn-hongkong": ("China (Hong Kong)", "中国香港"),
    "ap-northeast-1": ("Japan (Tokyo)", "日本（东京）"),
    "ap-northeast-2": ("South Korea (Seoul)", "韩国（首尔）"),
    "ap-southeast-1": ("Singapore", "新加坡"),
    "ap-southeast-3": ("Malaysia (Kuala Lumpur)", "马来西亚（吉隆坡）"),
    "ap-southeast-5": ("Indonesia (Jakarta)", "印度尼西亚（雅加达）"),
    "ap-southeast-6": ("Philippines (Manila)", "菲律宾（马尼拉）"),
    "ap-southeast-7": ("Thailand (Bangkok)", "泰国（曼谷）"),
    "us-east-1": ("US (Virginia)", "美国（弗吉尼亚）"),
    "us-west-1": ("US (Silicon Valley)", "美国（硅谷）"),
    "na-south-1": ("Mexico", "墨西哥"),
    "eu-west-1": ("UK (London)", "英国（伦敦）"),
    "eu-central-1": ("Germany (Frankfurt)", "德国（法兰克福）"),
    "me-east-1": ("UAE (Dubai)", "阿联酋（迪拜）"),
    "me-central-1": ("SAU (Riyadh - Partner Region)", "沙特（利雅得）"),
}

# Regions served by the central endpoint ecs.aliyuncs.com; the others by ecs.<region>.aliyuncs.com.
_CENTRAL_ENDPOINT_REGIONS = frozenset(
    {"cn-qingdao", "cn-beijing", "cn-hangzhou", "cn-shanghai", "cn-shenzhen", "cn-hongkong",
     "ap-southeast-1", "us-east-1", "us-west-1"}
)


def region_endpoint(region_id: str) -> str:
    if region_id in _CENTRAL_ENDPOINT_REGIONS:
        return "ecs.aliyuncs.com"
    return f"ecs.{region_id}.aliyuncs.com"


@dataclass(frozen=True)
class PublicImage:
    image_id: str
    name: str
    family: str
    os_type: str  # linux | windows
    platform: str
    architecture: str
    size: int
    os_name: str


# The same public images are offered in every region (as on the real service for these lines).
PUBLIC_IMAGES: tuple[PublicImage, ...] = (
    PublicImage("aliyun_3_x64_20G_alibase_20240819.vhd", "aliyun_3_x64_20G_alibase_20240819.vhd",
                "acs:alibaba_cloud_linux_3_2104_lts_x64", "linux", "Aliyun", "x86_64", 20,
                "Alibaba Cloud Linux 3.2104 LTS 64 bit"),
    PublicImage("aliyun_3_arm64_20G_alibase_20240819.vhd",
                "aliyun_3_arm64_20G_alibase_20240819.vhd",
                "acs:alibaba_cloud_linux_3_2104_lts_arm64", "linux", "Aliyun", "arm64", 20,
                "Alibaba Cloud Linux 3.2104 LTS 64 bit ARM Edition"),
    PublicImage("aliyun_2_1903_x64_20G_alibase_20240628.vhd",
                "aliyun_2_1903_x64_20G_alibase_20240628.vhd",
                "acs:aliyun_2_1903_x64", "linux", "Aliyun", "x86_64", 20,
                "Alibaba Cloud Linux 2.1903 LTS 64 bit"),
    PublicImage("ubuntu_22_04_x64_20G_alibase_20240710.vhd",
                "ubuntu_22_04_x64_20G_alibase_20240710.vhd",
                "acs:ubuntu_22_04_x64", "linux", "Ubuntu", "x86_64", 20, "Ubuntu  22.04 64 bit"),
    PublicImage("ubuntu_24_04_x64_20G_alibase_20240812.vhd",
                "ubuntu_24_04_x64_20G_alibase_20240812.vhd",
                "acs:ubuntu_24_04_x64", "linux", "Ubuntu", "x86_64", 20, "Ubuntu  24.04 64 bit"),
    PublicImage("centos_7_9_x64_20G_alibase_20240628.vhd",
                "centos_7_9_x64_20G_alibase_20240628.vhd",
                "acs:centos_7_9_x64", "linux", "CentOS", "x86_64", 20, "CentOS  7.9 64 bit"),
    PublicImage("centos_stream_9_x64_20G_alibase_20240709.vhd",
                "centos_stream_9_x64_20G_alibase_20240709.vhd",
                "acs:centos_stream_9_x64", "linux", "CentOS Stream", "x86_64", 20,
                "CentOS Stream 9 64 bit"),
    PublicImage("win2022_21H2_x64_dtc_en-us_40G_alibase_20240716.vhd",
                "win2022_21H2_x64_dtc_en-us_40G_alibase_20240716.vhd",
                "acs:windows_server_2022_datacenter_en-us", "windows", "Windows Server 2022",
                "x86_64", 40, "Windows Server  2022 Data Center Edition 64bit English Edition"),
    PublicImage("win2019_1809_x64_dtc_en-us_40G_alibase_20240716.vhd",
                "win2019_1809_x64_dtc_en-us_40G_alibase_20240716.vhd",
                "acs:windows_server_2019_datacenter_en-us", "windows", "Windows Server 2019",
                "x86_64", 40, "Windows Server  2019 Data Center Edition 64bit English Edition"),
    # Image Builder does not build from this one: StartImagePipelineExecution answers
    # InvalidImage.OsTypeUnsupported.
    PublicImage("freebsd_11_02_64_30G_alibase_20190806.vhd",
                "freebsd_11_02_64_30G_alibase_20190806.vhd",
                "acs:freebsd_11_02_x64", "linux", "FreeBSD", "x86_64", 30, "FreeBSD  11.2 64 bit"),
)
PUBLIC_IMAGES_BY_ID = {image.image_id: image for image in PUBLIC_IMAGES}
PUBLIC_IMAGES_BY_FAMILY = {image.family: image for image in PUBLIC_IMAGES}
UNSUPPORTED_BUILD_PLATFORMS = frozenset({"FreeBSD"})
NO_REPAIR_ARCHITECTURES = frozenset({"arm64"})  # ASSUMPTIONS["base-image"]

INSTANCE_TYPES: tuple[str, ...] = (
    "ecs.g7.large", "ecs.g7.xlarge", "ecs.g7.2xlarge", "ecs.c7.large", "ecs.c7.xlarge",
    "ecs.r7.large", "ecs.g8i.large", "ecs.c8i.large", "ecs.g8y.large", "ecs.g6.large",
    "ecs.c6.large", "ecs.t6-c1m1.large", "ecs.u1-c1m2.large", "ecs.e-c1m2.large",
)
ARM_INSTANCE_TYPES = frozenset({"ecs.g8y.large"})  # Yitian 710 (Arm): Linux only


def vswitches(region_id: str) -> tuple[str, str]:
    """The two vSwitches every catalog region has (one per zone a/b)."""
    return (f"vsw-emu-{region_id}-a", f"vsw-emu-{region_id}-b")


@dataclass(frozen=True)
class SystemComponent:
    """An image component owned by Alibaba Cloud (DescribeImageComponents Owner=ALIYUN)."""

    component_id: str
    name: str
    component_type: str
    system_type: str
    description: str
    content: str


# The same system components in every region (names, ids and contents are the emulator's own:
# ASSUMPTIONS["system-components"]). Templates use them like their own: COMPONENT <id>.
SYSTEM_COMPONENTS: tuple[SystemComponent, ...] = (
    SystemComponent("ic-aliyunsys000000000001", "aliyun-update-linux", "Build", "Linux",
                    "Update every installed package (needs InternetMaxBandwidthOut > 0).",
                    "RUN yum update -y"),
    SystemComponent("ic-aliyunsys000000000002", "aliyun-install-docker", "Build", "Linux",
                    "Install and enable Docker (needs InternetMaxBandwidthOut > 0).",
                    "RUN yum install -y docker\nRUN systemctl enable docker"),
    SystemComponent("ic-aliyunsys000000000003", "aliyun-reboot-linux", "Build", "Linux",
                    "Restart the build instance.", "RESTART"),
    SystemComponent("ic-aliyunsys000000000004", "aliyun-check-sshd", "Test", "Linux",
                    "Check that sshd is enabled.", "RUN systemctl is-enabled sshd"),
    SystemComponent("ic-aliyunsys000000000005", "aliyun-update-windows", "Build", "Windows",
                    "Install the pending Windows updates.",
                    "Tasks:\n  - Name: update\n    Action: RunPowerShellCommand\n    Properties:\n"
                    "      commandContent: Install-WindowsUpdate -AcceptAll\n"),
)
SYSTEM_COMPONENTS_CREATED = 1704067200.0  # 2024-01-01T00:00:00Z

DEFAULT_RESOURCE_GROUP_ID = "rg-emulator-default"
RESOURCE_GROUPS: tuple[str, ...] = (DEFAULT_RESOURCE_GROUP_ID, "rg-emulator-dev",
                                    "rg-emulator-prod")


def describe() -> dict[str, Any]:
    """The catalog as JSON (served by ``GET /_emulator/catalog`` and listed in the README)."""
    return {
        "regions": [
            {"RegionId": rid, "LocalName": names[0], "RegionEndpoint": region_endpoint(rid),
             "VSwitchIds": list(vswitches(rid))}
            for rid, names in REGIONS.items()
        ],
        "public_images": [
            {"ImageId": i.image_id, "ImageFamily": i.family, "OSType": i.os_type,
             "Platform": i.platform, "Architecture": i.architecture, "OSName": i.os_name}
            for i in PUBLIC_IMAGES
        ],
        "instance_types": list(INSTANCE_TYPES),
        "resource_groups": list(RESOURCE_GROUPS),
        "system_components": [
            {"ImageComponentId": c.component_id, "Name": c.name, "ComponentType": c.component_type,
             "SystemType": c.system_type}
            for c in SYSTEM_COMPONENTS
        ],
    }
