"""The stored objects of one emulator (pure data; the rules live in the backend modules)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .catalog import DEFAULT_RESOURCE_GROUP_ID
from .content import ComponentDocument, Step

if TYPE_CHECKING:
    from .builds import Build

Tags = tuple[tuple[str, str], ...]


def tags_match(have: Tags, wanted: Tags) -> bool:
    """The Tag.N filter: every wanted key is present, with the wanted value when one is given."""
    tag_map = dict(have)
    return all(key in tag_map and (not value or tag_map[key] == value) for key, value in wanted)


@dataclass(frozen=True)
class ImageOptions:
    image_name: str | None = None
    image_family: str | None = None
    description: str | None = None
    nvme_support: str | None = None
    image_tags: Tags = ()


@dataclass(frozen=True)
class PipelineSpec:
    """The inputs of CreateImagePipeline, as given (None: not given)."""

    base_image_type: str | None = None
    base_image: str | None = None
    name: str | None = None
    description: str | None = None
    build_content: str | None = None
    test_content: str | None = None
    delete_instance_on_failure: bool | None = None
    instance_type: str | None = None
    internet_max_bandwidth_out: int | None = None
    system_disk_size: int | None = None
    vswitch_id: str | None = None
    resource_group_id: str | None = None
    image_name: str | None = None  # legacy top-level prefix
    image_family: str | None = None  # legacy top-level family
    nvme_support: str | None = None  # legacy top-level
    image_options: ImageOptions = ImageOptions()
    image_name_suffix: str | None = None
    retain_cloud_assistant: bool | None = None
    to_region_ids: tuple[str, ...] = ()
    add_accounts: tuple[str, ...] = ()
    tags: Tags = ()
    repair_mode: str | None = None
    repair_items: tuple[str, ...] = ()
    security_scan_mode: str | None = None
    import_image_options: dict[str, Any] = field(default_factory=dict)

    # Effective values: ImageOptions wins over the legacy top-level fields.
    @property
    def image_name_prefix(self) -> str | None:
        return self.image_options.image_name or self.image_name

    @property
    def effective_image_family(self) -> str | None:
        return self.image_options.image_family or self.image_family

    @property
    def effective_nvme_support(self) -> str | None:
        return self.image_options.nvme_support or self.nvme_support

    @property
    def name_suffix_disabled(self) -> bool:
        return (self.image_name_suffix or "").lower() == "disable"


@dataclass(frozen=True)
class BaseImageInfo:
    os_type: str  # linux | windows
    platform: str
    architecture: str
    size: int

    @property
    def system_type(self) -> str:
        return "Windows" if self.os_type == "windows" else "Linux"


@dataclass
class Pipeline:
    pipeline_id: str
    region_id: str
    seq: int
    created: float
    spec: PipelineSpec
    base: BaseImageInfo
    build_steps: list[Step]
    test_steps: list[Step]
    component_ids: tuple[str, ...]
    execution_ids: list[str] = field(default_factory=list)

    # Effective values (defaults applied) -------------------------------------------------
    @property
    def name(self) -> str:
        return self.spec.name or self.pipeline_id

    @property
    def internet(self) -> bool:
        return (self.spec.internet_max_bandwidth_out or 0) > 0

    @property
    def delete_instance_on_failure(self) -> bool:
        return self.spec.delete_instance_on_failure is not False

    @property
    def system_disk_size(self) -> int:
        return self.spec.system_disk_size or 40

    @property
    def resource_group_id(self) -> str:
        return self.spec.resource_group_id or DEFAULT_RESOURCE_GROUP_ID



@dataclass
class Execution:
    execution_id: str
    pipeline_id: str
    region_id: str
    seq: int
    created: float
    modified: float
    resource_group_id: str
    tags: Tags
    status: str = "PREPARING"
    message: str = ""
    image_id: str = ""
    error_code: str = ""
    error_info: str = ""
    build: Build | None = field(default=None, repr=False)


@dataclass
class Component:
    component_id: str
    region_id: str
    seq: int
    created: float
    name: str
    description: str
    component_type: str
    component_version: str
    system_type: str
    content: str
    document: ComponentDocument
    resource_group_id: str
    tags: Tags
    owner: str = "SELF"  # ALIYUN: a system component


@dataclass
class Image:
    image_id: str
    region_id: str
    seq: int
    created: float
    name: str
    description: str
    family: str
    base: BaseImageInfo
    tags: Tags
    resource_group_id: str
    execution_id: str = ""
    snapshot_id: str = ""
    source_image_id: str = ""  # set on distributed copies
    status: str = "Creating"
    usable: bool = False
    shared_with: dict[str, float] = field(default_factory=dict)  # account -> share time
    used_by: list[str] = field(default_factory=list)  # instance ids (admin API)
    copy_ids: list[str] = field(default_factory=list)

    @property
    def is_copied(self) -> bool:
        return bool(self.source_image_id)


@dataclass
class Instance:
    """An intermediate build or test instance."""

    instance_id: str
    region_id: str
    execution_id: str
    pipeline_id: str
    role: str  # build | test
    created: float
    status: str = "Running"


@dataclass
class TransitionVpc:
    """The temporary VPC/vSwitch a build makes when the template names no vSwitch."""

    vpc_id: str
    vswitch_id: str
    region_id: str
    execution_id: str
    created: float


@dataclass
class RegionState:
    pipelines: dict[str, Pipeline] = field(default_factory=dict)
    executions: dict[str, Execution] = field(default_factory=dict)
    components: dict[str, Component] = field(default_factory=dict)
    images: dict[str, Image] = field(default_factory=dict)
    instances: dict[str, Instance] = field(default_factory=dict)
    vpcs: dict[str, TransitionVpc] = field(default_factory=dict)

    def is_empty(self) -> bool:
        return not (self.pipelines or self.executions or self.components or self.images
                    or self.instances or self.vpcs)
