"""ImageTemplate: how an image is built, tested and distributed (CreateImagePipeline)."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal, Optional

from pydantic import AfterValidator, BeforeValidator, Field, model_validator

from .base import ApiModel, ResourceInputs, ResourceState
from .component import REGION_DOC, Region
from .content import check_component_reference, check_dockerfile, check_limits, check_parameters
from .content import render
from .fields import (CREATE_ONLY_TAGS, DESCRIPTION_RULE, IDEMPOTENCY_NOTE, NAME_RULE, AccountIds,
                     Description, ImageFamily, ImageNamePrefix, Name, NonBlank, Prop,
                     PropertyError, RegionIds, StringMap, Tags)

LINUX_REPAIR_ITEMS = ("fstab", "grub", "dhcp", "selinux", "growpart", "cloudinit", "aegis", "nvme",
                      "virtio", "standardizedtimezone")
WINDOWS_REPAIR_ITEMS = ("bcd", "hotfix", "disk", "update", "server", "bootmgr", "vminit",
                        "osloader", "virtio", "standardizedtimezone")
REPAIR_ITEMS = tuple(dict.fromkeys(LINUX_REPAIR_ITEMS + WINDOWS_REPAIR_ITEMS))


def _reference(value: str) -> str:
    check_component_reference(value)
    return value


def _parameters(value: dict[str, str]) -> dict[str, str]:
    check_parameters(value)
    return value


class ComponentRef(ApiModel):
    """A component of a template, with values for its parameters (a bare id is accepted too)."""

    SCHEMA_NAME: ClassVar[str] = "ImageTemplateComponent"
    ACCEPTS_ID: ClassVar[bool] = True

    component_id: Annotated[str, AfterValidator(_reference)] = Field(
        description="Component id (`ic-...`) or `acs:ecs:<region>:<account>:imagecomponent/"
        "<name>/<x.y.z>` (one version part may be `*`).")
    # No parameters, however written ({} as read back, or left out), is one value: `None`.
    parameters: Annotated[Optional[StringMap], AfterValidator(lambda v: v or None)] = Field(
        None, description="Values for the component's parameters, rendered as `--name value`.")

    @model_validator(mode="after")
    def _parameter_rules(self) -> "ComponentRef":
        _parameters(self.parameters or {})
        return self


def _template_content(value: str | None) -> str | None:
    """Line syntax and size of the content itself (checked even while the components are still
    unknown at preview); the total with the COMPONENT lines is checked by the model."""
    if value:
        check_dockerfile(value, where="template")
    return value


TemplateContent = Annotated[Optional[NonBlank], AfterValidator(_template_content)]


def _as_refs(value: Any) -> Any:
    if isinstance(value, list):
        return [{"component_id": v} if isinstance(v, str) else v for v in value]
    return value


ComponentRefs = Annotated[list[ComponentRef], BeforeValidator(_as_refs)]


class DiskDeviceMapping(ApiModel):
    """An image file in OSS to import."""

    SCHEMA_NAME: ClassVar[str] = "ImageTemplateDiskDeviceMapping"

    oss_bucket: Annotated[NonBlank, Prop(api="OSSBucket")] = Field(
        description="OSS bucket holding the image file.")
    oss_object: Annotated[NonBlank, Prop(api="OSSObject")] = Field(
        description="Object name of the image file in the bucket.")
    format: Annotated[Optional[str], Prop(api="Format")] = Field(
        None, description="Image file format, e.g. `RAW`, `VHD`, `QCOW2`.")
    disk_image_size: Annotated[Optional[int], Prop(api="DiskImageSize")] = Field(
        None, description="Size of the disk made from the file, in GiB.")


class ImportImageOptions(ApiModel):
    """Options for `base_image_type="OSS"`: the image file to import and how."""

    SCHEMA_NAME: ClassVar[str] = "ImageTemplateImportImageOptions"

    disk_device_mappings: Annotated[list[DiskDeviceMapping],
                                    Prop(api="DiskDeviceMappings", codec="list")] = Field(
        min_length=1, description="The image file(s) in OSS (the first is the system disk).")
    os_type: Annotated[Optional[str], Prop(api="OSType")] = Field(
        None, description="`linux` or `windows`.")
    platform: Annotated[Optional[str], Prop(api="Platform")] = Field(
        None, description="Distribution, e.g. `Aliyun`, `CentOS`, `Ubuntu`, `Windows Server 2022`.")
    architecture: Annotated[Optional[str], Prop(api="Architecture")] = Field(
        None, description="`x86_64` or `arm64`.")
    boot_mode: Annotated[Optional[str], Prop(api="BootMode")] = Field(
        None, description="`BIOS`, `UEFI` or `UEFI-Preferred`.")
    license_type: Annotated[Optional[str], Prop(api="LicenseType")] = Field(
        None, description="`Auto`, `Aliyun` or `BYOL`.")
    image_name: Annotated[Optional[str], Prop(api="ImageName")] = Field(
        None, description="Name of the imported intermediate image.")
    description: Annotated[Optional[str], Prop(api="Description")] = Field(
        None, description="Description of the imported intermediate image.")
    role_name: Annotated[Optional[str], Prop(api="RoleName")] = Field(
        None, description="RAM role the service uses to read the bucket.")
    retain_imported_image: Annotated[Optional[bool], Prop(api="RetainImportedImage")] = Field(
        None, description="Keep the imported intermediate image after the build.")
    retention_strategy: Annotated[Optional[str], Prop(api="RetentionStrategy")] = Field(
        None, description="How the imported image is kept, when `retain_imported_image` is true.")
    imds_support: Annotated[Optional[str], Prop(api="Features.ImdsSupport")] = Field(
        None, description="Metadata service mode of the imported image, e.g. `v2`.")
    nvme_support: Annotated[Optional[str], Prop(api="Features.NvmeSupport")] = Field(
        None, description="NVMe support of the imported image: `supported` or `unsupported`.")
    import_image_tags: Annotated[Optional[Tags], Prop(api="ImportImageTags", codec="tags")] = Field(
        None, description="Tags of the imported intermediate image.")


class ImageTemplateInputs(ResourceInputs):
    RESOURCE: ClassVar[str] = "ImageTemplate"
    DESCRIPTION: ClassVar[str] = (
        "An image template (the API's image pipeline): base image, build and test content, "
        "intermediate instance, and where the image goes (regions, shared accounts). The service "
        "has no update call, so any change replaces the template (except `tags`, see there). "
        "Deleting it waits (bounded) "
        "for a running build (up to an hour); its images stay (they belong to `ImageBuild`).")
    NOTES: ClassVar[tuple[str, ...]] = (
        "`BuildContent` is one `COMPONENT <id> [--name value ...]` line per `build_components` "
        "entry, in order, then `build_content` (`TestContent` likewise). A refresh keeps this "
        "split while the service's text is unchanged.",
        "Destroy waits up to an hour for a running build of the template to end. Such a build "
        "is recorded by no ImageBuild of the stack (destroy deletes those first; e.g. it was "
        "left by an interrupted `pulumi up`): when it ends, a line names the images it made and "
        "says they are kept, since the template's deletion takes the build's records with it.",
        IDEMPOTENCY_NOTE,
        "Lists of regions and accounts compare as sets; leaving out a property the service fills "
        "in (name, resource group, instance type, ...) is no change.",
    )

    template_name: Annotated[Optional[Name], Prop(api="Name", computed=True)] = Field(
        None, description=f"Template name: {NAME_RULE}; the service uses the id when left out.")
    description: Annotated[Optional[Description], Prop(api="Description")] = Field(
        None, description=f"Description: {DESCRIPTION_RULE}.")
    tags: Annotated[Optional[Tags], Prop(api="Tag", read="Tags", codec="tags",
                                         update="create_only")] = Field(
        None, description=CREATE_ONLY_TAGS.format(what="template"))
    resource_group_id: Annotated[Optional[NonBlank], Prop(api="ResourceGroupId", computed=True)] = (
        Field(None, description="Resource group; the account's default group when left out."))
    base_image_type: Annotated[Literal["IMAGE", "IMAGE_FAMILY", "OSS"],
                               Prop(api="BaseImageType")] = Field(
        description="`IMAGE` (an image id), `IMAGE_FAMILY` (the newest image of a family) or "
        "`OSS` (import a file; needs `import_image_options`).")
    base_image: Annotated[Optional[NonBlank], Prop(api="BaseImage")] = Field(
        None,
        description="Image id (`IMAGE`) or image family (`IMAGE_FAMILY`); leave out for `OSS`.")
    import_image_options: Annotated[Optional[ImportImageOptions],
                                    Prop(api="ImportImageOptions")] = Field(
        None, description="The image file to import when `base_image_type` is `OSS`.")
    build_content: Annotated[TemplateContent, Prop(compare="content")] = Field(
        None, description="Build commands, Dockerfile-style (`RUN`, `ENV`, `WORKDIR`, `COPY`, "
        "`USER`, `LABEL`, `CMD`, `ENTRYPOINT`, `RESTART`, `COMPONENT`). Sent as `BuildContent` "
        "after the `build_components` lines; together at most 16 KB and 127 commands.")
    build_components: Annotated[Optional[ComponentRefs], Prop()] = Field(
        None, description="Build components, in order: component ids, or objects with "
        "`component_id` and `parameters`; each becomes a line `COMPONENT <id> --name value`.")
    repair_mode: Annotated[Literal["Standard", "All", "Customized", "off"],
                           Prop(api="RepairMode")] = Field(
        "off", description="Image repair: `Standard`, `All`, `Customized` (with `repair_items`) or "
        "`off` (check only: the image check still runs).")
    repair_items: Annotated[Optional[list[Literal[REPAIR_ITEMS]]],  # type: ignore[valid-type]
                            Prop(api="RepairItem", read="RepairItems", codec="list",
                                 compare="set")] = Field(
        None, description="Items to repair with `repair_mode=\"Customized\"`. Linux: "
        f"{', '.join(LINUX_REPAIR_ITEMS)}. Windows: {', '.join(WINDOWS_REPAIR_ITEMS)}.")
    test_content: Annotated[TemplateContent, Prop(compare="content")] = Field(
        None, description="Test commands, same syntax as `build_content`; a failing command ends "
        "the build as TEST_FAILED. Sent as `TestContent` after the `test_components` lines.")
    test_components: Annotated[Optional[ComponentRefs], Prop()] = Field(
        None, description="Test components (type `Test`), like `build_components`.")
    instance_type: Annotated[Optional[NonBlank], Prop(api="InstanceType", computed=True)] = Field(
        None, description="Instance type of the intermediate instance; the service picks a small "
        "one when left out.")
    system_disk_size: Annotated[int, Prop(api="SystemDiskSize")] = Field(
        40, ge=20, le=500, description="System disk of the intermediate instance, 20-500 GiB.")
    internet_max_bandwidth_out: Annotated[int, Prop(api="InternetMaxBandwidthOut")] = Field(
        0, ge=0, le=100,
        description="Outbound bandwidth of the intermediate instance, 0-100 Mbit/s. "
        "Commands that download from the internet fail with 0.")
    vswitch_id: Annotated[Optional[NonBlank], Prop(api="VSwitchId")] = Field(
        None, description="vSwitch of the intermediate instance; a temporary VPC is made when "
        "left out.")
    delete_instance_on_failure: Annotated[bool, Prop(api="DeleteInstanceOnFailure")] = Field(
        True, description="Release the intermediate instance when the build fails.")
    image_name: Annotated[Optional[ImageNamePrefix],
                          Prop(api="ImageOptions.ImageName",
                               read="ImageOptions.ImageName|ImageName")
                          ] = Field(
        None, description="Image name prefix (2-64 characters, starting with a letter); the image "
        "is named `<prefix>_<execution id>`, or exactly the prefix with "
        "`image_name_suffix=\"disable\"`.")
    image_family: Annotated[Optional[ImageFamily],
                            Prop(api="ImageOptions.ImageFamily",
                                 read="ImageOptions.ImageFamily|ImageFamily")] = Field(
        None, description="Image family of the new image (2-128 characters, not starting with "
        "`aliyun` or `acs:`).")
    image_description: Annotated[Optional[Description], Prop(api="ImageOptions.Description")] = (
        Field(None, description="Description of the new image (2-256 characters)."))
    image_tags: Annotated[Optional[Tags], Prop(api="ImageOptions.ImageTags", codec="tags")] = Field(
        None, description="Tags of the new image (at most 20).")
    nvme_support: Annotated[Optional[Literal["supported", "unsupported", "auto"]],
                            Prop(api="ImageOptions.ImageFeatures.NvmeSupport",
                                 read="ImageOptions.ImageFeatures.NvmeSupport|NvmeSupport",
                                 computed=True)] = Field(
        None, description="NVMe support of the new image: `supported`, `unsupported` or `auto`.")
    to_region_ids: Annotated[Optional[RegionIds],
                             Prop(api="ToRegionId", read="ToRegionIds", codec="list",
                                  compare="set")] = Field(
        None, description="Regions to copy the image to (at most 20; order does not matter). "
        "`ImageBuild.image_ids` holds each copy's id.")
    add_accounts: Annotated[Optional[AccountIds],
                            Prop(api="AddAccount", read="AddAccounts", codec="list",
                                 compare="set")] = Field(
        None, description="Alibaba Cloud account ids to share the image with (at most 20).")
    retain_cloud_assistant: Annotated[Optional[bool],
                                      Prop(api="AdvancedOptions.RetainCloudAssistant",
                                           computed=True)] = Field(
        None, description="Keep the Cloud Assistant agent installed in the image.")
    image_name_suffix: Annotated[Optional[Literal["disable"]],
                                 Prop(api="AdvancedOptions.ImageNameSuffix")] = Field(
        None, description="`disable` names the image exactly `image_name` (a second build then "
        "fails while the first image exists).")
    security_scan_mode: Annotated[Optional[NonBlank],
                                  Prop(api="ImageSecurityOptions.SecurityScanMode",
                                       computed=True)] = Field(
        None,
        description="Security scan of the new image (`ImageSecurityOptions.SecurityScanMode`),"
        " passed to the service as given.")
    region: Region = Field(None, description=REGION_DOC)

    API_NAMES: ClassVar[dict[str, str]] = {"BuildContent": "build_content",
                                           "TestContent": "test_content"}

    def rendered(self, which: Literal["build", "test"]) -> str | None:
        content = self.build_content if which == "build" else self.test_content
        refs = self.build_components if which == "build" else self.test_components
        return render(content, [(r.component_id, r.parameters or {}) for r in refs or []])

    def to_api(self) -> dict[str, Any]:
        out = super().to_api()
        if self.repair_mode == "off":
            out.pop("RepairMode", None)
        contents: tuple[tuple[Literal["build", "test"], str], ...] = (
            ("build", "BuildContent"), ("test", "TestContent"))
        for which, key in contents:
            if self.rendered(which) is not None:
                out[key] = self.rendered(which)
        return out

    @model_validator(mode="after")
    def _rules(self) -> "ImageTemplateInputs":
        if self.base_image_type == "OSS":
            if self.base_image is not None:
                raise PropertyError("base_image", "must be left out with base_image_type OSS "
                                    "(the image comes from import_image_options)")
            if self.import_image_options is None:
                raise PropertyError("import_image_options", "is required with base_image_type "
                                    "OSS: give disk_device_mappings with oss_bucket and oss_object")
        else:
            if self.base_image is None:
                raise PropertyError("base_image", f"is required with base_image_type "
                                    f"{self.base_image_type}: give an image id or family")
            if self.import_image_options is not None:
                raise PropertyError("import_image_options", "is only used with base_image_type "
                                    "OSS; remove it")
        if self.repair_mode == "Customized" and not self.repair_items:
            raise PropertyError("repair_items", "is required with repair_mode Customized: list "
                                "the items to repair")
        if self.repair_items and self.repair_mode != "Customized":
            raise PropertyError("repair_items", "only applies with repair_mode Customized; set "
                                "repair_mode=\"Customized\" or remove repair_items")
        for which in ("build", "test"):
            self._check_content(which)
        return self

    def _check_content(self, which: Literal["build", "test"]) -> None:
        content = getattr(self, f"{which}_content")
        blamed = f"{which}_content" if content else f"{which}_components"
        try:
            rendered = self.rendered(which)
            if rendered:
                check_limits(rendered, f" with the COMPONENT lines of {which}_components")
        except ValueError as exc:
            raise PropertyError(blamed, str(exc)) from None


class ImageTemplateOutputs(ApiModel):
    creation_time: Annotated[Optional[str], Prop(api="CreationTime")] = Field(
        None, description="When the template was created (UTC, ISO 8601).")


class ImageTemplateState(ResourceState, ImageTemplateOutputs, ImageTemplateInputs):
    """What Pulumi records for an ImageTemplate (see :class:`.base.ResourceState`)."""
