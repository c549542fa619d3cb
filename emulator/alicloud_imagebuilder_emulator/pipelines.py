"""Image templates (pipelines) and their builds (executions): the rules of
docs/service-notes.md §4-6."""

from __future__ import annotations

from dataclasses import dataclass

from . import assumptions, catalog, components, images, import_options, validation
from .builds import ALL_STATUSES, CANCELLABLE_STATUSES, RUNNING_STATUSES, Build
from .content import ComponentStep, parse_template_content
from .context import Context
from .errors import ApiError, bad_request, forbidden, invalid, not_found
from .models import BaseImageInfo, Component, Execution, Pipeline, PipelineSpec, Tags, tags_match
from .paging import Page, by_token

BASE_IMAGE_TYPES = ("IMAGE", "IMAGE_FAMILY", "OSS")
REPAIR_MODES = ("Standard", "All", "Customized")
LINUX_REPAIR_ITEMS = ("fstab", "grub", "dhcp", "selinux", "growpart", "cloudinit", "aegis", "nvme",
                      "virtio", "standardizedtimezone")
WINDOWS_REPAIR_ITEMS = ("bcd", "hotfix", "disk", "update", "server", "bootmgr", "vminit",
                        "osloader", "virtio", "standardizedtimezone")
NVME_SUPPORT_VALUES = ("auto", "supported", "unsupported")
MAX_PIPELINE_IDS = 20
MAX_LIST = 20


@dataclass(frozen=True)
class PipelineFilter:
    pipeline_ids: tuple[str, ...] = ()
    name: str | None = None
    resource_group_id: str | None = None
    tags: Tags = ()


@dataclass(frozen=True)
class ExecutionFilter:
    pipeline_id: str | None = None
    execution_ids: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    tags: Tags = ()


def _combination(message: str) -> ApiError:
    return bad_request("InvalidParameterCombination", message)


# -- CreateImagePipeline ------------------------------------------------------------------------

def _check_fields(spec: PipelineSpec) -> None:
    """Formats and limits that need no lookup."""
    validation.name(spec.name)
    validation.description(spec.description)
    if spec.base_image_type not in BASE_IMAGE_TYPES:
        raise bad_request("InvalidBaseImageType.NotSupportedValue",
                          f"BaseImageType {spec.base_image_type!r} must be one of "
                          f"{', '.join(BASE_IMAGE_TYPES)}.")
    if spec.base_image_type == "OSS":
        if spec.base_image:
            raise _combination("BaseImage must not be set when BaseImageType is OSS (use "
                               "ImportImageOptions).")
        import_options.check(spec.import_image_options)
    else:
        if not spec.base_image:
            raise _combination(f"BaseImageType {spec.base_image_type} needs BaseImage.")
        if spec.import_image_options:
            raise _combination("ImportImageOptions can only be used with BaseImageType OSS.")
    options = spec.image_options
    validation.image_name_prefix(spec.image_name, "ImageName")
    validation.image_name_prefix(options.image_name, "ImageOptions.ImageName")
    validation.image_family(spec.image_family, "ImageFamily")
    validation.image_family(options.image_family, "ImageOptions.ImageFamily")
    validation.description(options.description, "ImageOptions.Description",
                           code="InvalidImageOptions.Description")
    validation.tags(list(options.image_tags), "ImageOptions.ImageTags")
    for field_name, value in (("NvmeSupport", spec.nvme_support),
                              ("ImageOptions.ImageFeatures.NvmeSupport", options.nvme_support)):
        if value is not None and value not in NVME_SUPPORT_VALUES:
            raise invalid(field_name, value, "auto, supported or unsupported",
                          "InvalidParameter.NvmeSupport")
    if spec.image_name_suffix is not None and not spec.name_suffix_disabled:
        raise bad_request("InvalidAdvancedOptions.ImageNameSuffix",
                          f"AdvancedOptions.ImageNameSuffix {spec.image_name_suffix!r}: the only "
                          "value is 'disable'.")
    if spec.system_disk_size is not None and not 20 <= spec.system_disk_size <= 500:
        raise bad_request("InvalidSystemDiskSize.NotSupportedValue",
                          f"SystemDiskSize {spec.system_disk_size} must be from 20 to 500 (GiB).")
    bandwidth = spec.internet_max_bandwidth_out
    if bandwidth is not None and not 0 <= bandwidth <= 100:
        raise bad_request("InvalidInternetMaxBandwidthOut.NotSupportedValue",
                          f"InternetMaxBandwidthOut {spec.internet_max_bandwidth_out} must be from "
                          "0 to 100 (Mbit/s).")
    if len(spec.add_accounts) > MAX_LIST:
        raise bad_request("InvalidAddAccountSize.ExceededMaxNumber",
                          f"At most {MAX_LIST} AddAccount values are allowed, got "
                          f"{len(spec.add_accounts)}.")
    validation.accounts(list(spec.add_accounts), "AddAccount")
    if len(spec.to_region_ids) > MAX_LIST:
        raise bad_request("InvalidToRegionIdSize.ExceededMaxNumber",
                          f"At most {MAX_LIST} ToRegionId values are allowed, got "
                          f"{len(spec.to_region_ids)}.")
    validation.tags(list(spec.tags))
    validation.content_length(spec.build_content, "BuildContent",
                              "InvalidBuildContent.LengthExceeded")
    validation.content_length(spec.test_content, "TestContent", "InvalidParameter.TestContent")
    if spec.repair_mode is not None and spec.repair_mode not in REPAIR_MODES:
        raise invalid("RepairMode", spec.repair_mode, "Standard, All or Customized")
    if spec.repair_items and spec.repair_mode is None:
        raise not_found("MissingParameter.RepairMode", "The specified parameter RepairMode is "
                                                       "missing: RepairItem.N "
                                                        "needs RepairMode Customized.")
    if (spec.repair_mode == "Customized") != bool(spec.repair_items):
        raise _combination("RepairItem.N is required with RepairMode Customized and only allowed "
                           "with it.")


def _check_references(ctx: Context, region_id: str, spec: PipelineSpec) -> BaseImageInfo:
    """Everything the template names must exist (404s); returns what the base image is."""
    for index, target in enumerate(spec.to_region_ids, start=1):
        if target not in catalog.REGIONS:
            raise not_found("InvalidRegionId.NotFound",
                            f"ToRegionId.{index} {target!r} is not a region.")
    if spec.vswitch_id is not None and spec.vswitch_id not in catalog.vswitches(region_id):
        raise not_found("InvalidVSwitchId.NotFound",
                        f"The VSwitchId {spec.vswitch_id!r} does not exist in {region_id}.")
    if spec.instance_type is not None and spec.instance_type not in catalog.INSTANCE_TYPES:
        raise not_found("InvalidInstanceType.NotFound",
                        f"The InstanceType {spec.instance_type!r} does not exist.")
    components.check_resource_group(spec.resource_group_id)
    base = images.resolve_base(ctx, region_id, spec)
    if base is None:
        what = "image family" if spec.base_image_type == "IMAGE_FAMILY" else "image"
        raise not_found("InvalidImage.NotFound",
                        f"The base {what} {spec.base_image!r} does not exist in {region_id}.")
    _check_base(spec, base)
    allowed = WINDOWS_REPAIR_ITEMS if base.os_type == "windows" else LINUX_REPAIR_ITEMS
    for index, item in enumerate(spec.repair_items, start=1):
        if item not in allowed:
            raise invalid(f"RepairItem.{index}", item, f"one of {', '.join(allowed)} for "
                                                       f"{base.system_type}",
                          assumptions.CODE_REPAIR_ITEM)
    return base


def _check_base(spec: PipelineSpec, base: BaseImageInfo) -> None:
    """What the base image cannot do (ASSUMPTIONS["base-image"])."""
    if base.platform in catalog.UNSUPPORTED_BUILD_PLATFORMS:
        raise bad_request("InvalidImage.OsTypeUnsupported",
                          "The specified base image does not support image building: Image "
                          "Builder cannot build "
                          f"from {base.platform} images "
                          f"({spec.base_image or 'ImportImageOptions.Platform'}).")
    if spec.repair_mode and base.architecture in catalog.NO_REPAIR_ARCHITECTURES:
        raise bad_request("InvalidImage.NotSupportRepair",
                          f"The specified base image does not support repair: {base.platform} "
                          f"{base.architecture} "
                          "images cannot be checked and repaired; remove RepairMode.")
    if base.os_type == "windows" and spec.instance_type in catalog.ARM_INSTANCE_TYPES:
        raise forbidden("ImagePipeline.NotSupportWindowsInstance",
                        "Image pipeline does not support windows instance at this time: the Arm "
                        "InstanceType "
                        f"{spec.instance_type} cannot run the Windows base image; choose an x86 "
                        "instance type.")


def create_pipeline(ctx: Context, region_id: str, spec: PipelineSpec) -> Pipeline:
    state = ctx.region(region_id)
    _check_fields(spec)
    base = _check_references(ctx, region_id, spec)

    def resolve(reference: str, where: str) -> Component:
        return components.resolve(ctx, region_id, reference, where)

    build_steps = parse_template_content(spec.build_content or "", "BuildContent", "Build",
                                         base.system_type, resolve)
    test_steps = parse_template_content(spec.test_content or "", "TestContent", "Test",
                                        base.system_type, resolve)
    prefix = spec.image_name_prefix
    if spec.name_suffix_disabled and prefix and ctx.image_name_taken(region_id, prefix):
        raise bad_request("InvalidImageName.Duplicated",
                          f"An image named {prefix!r} already exists in {region_id}; with "
                          "ImageNameSuffix=disable "
                          "the image name must be free.")
    if len(state.pipelines) >= ctx.settings.pipeline_quota:
        raise bad_request("QuotaExceed.ImagePipeline",
                          f"The region {region_id} already has {ctx.settings.pipeline_quota} image "
                          "templates.")
    steps = build_steps + test_steps
    used = tuple(dict.fromkeys(s.component.component_id for s in steps
                               if isinstance(s, ComponentStep)))
    pipeline = Pipeline(
        pipeline_id=ctx.ids.new("ip-"), region_id=region_id, seq=ctx.next_seq(), created=ctx.now(),
        spec=spec, base=base, build_steps=build_steps, test_steps=test_steps, component_ids=used,
    )
    state.pipelines[pipeline.pipeline_id] = pipeline
    return pipeline


# -- DescribeImagePipelines / DeleteImagePipeline ---------------------------------------------

def describe_pipelines(ctx: Context, region_id: str, f: PipelineFilter, max_results: int,
                       next_token: str | None) -> Page[Pipeline]:
    state = ctx.region(region_id)
    if len(f.pipeline_ids) > MAX_PIPELINE_IDS:
        raise bad_request("InvalidImagePipelineIdSize.ExceededMaxNumber",
                          f"At most {MAX_PIPELINE_IDS} ImagePipelineId values are allowed, got "
                          f"{len(f.pipeline_ids)}.")
    validation.name(f.name)
    if f.pipeline_ids:
        found = (state.pipelines.get(pid) for pid in dict.fromkeys(f.pipeline_ids))
        candidates = sorted((p for p in found if p is not None), key=lambda p: p.seq, reverse=True)
    else:
        candidates = list(reversed(state.pipelines.values()))
    matching = [
        p for p in candidates
        if (f.name is None or p.name == f.name)
        and (f.resource_group_id is None or p.resource_group_id == f.resource_group_id)
        and tags_match(p.spec.tags, f.tags)
    ]
    return by_token(matching, lambda p: p.seq, "ip", max_results, next_token)


def _pipeline(ctx: Context, region_id: str, pipeline_id: str | None) -> Pipeline:
    pipeline = ctx.region(region_id).pipelines.get(pipeline_id or "")
    if pipeline is None:
        raise not_found("InvalidImagePipeline.NotFound",
                        f"The image template {pipeline_id!r} does not exist in {region_id}.")
    return pipeline


def _running(ctx: Context, pipeline: Pipeline) -> list[Execution]:
    executions = ctx.region(pipeline.region_id).executions
    found = (executions.get(eid) for eid in pipeline.execution_ids)
    return [e for e in found if e is not None and e.status in RUNNING_STATUSES]


def _has_running(pipeline: Pipeline, running: list[Execution]) -> ApiError:
    ids = ", ".join(e.execution_id for e in running)
    return forbidden("InvalidImagePipeline.HasRunningExecution",
                     f"The image template {pipeline.pipeline_id} has a running build ({ids}).")


def delete_pipeline(ctx: Context, region_id: str, pipeline_id: str) -> None:
    pipeline = _pipeline(ctx, region_id, pipeline_id)
    running = _running(ctx, pipeline)
    if running:
        raise _has_running(pipeline, running)
    state = ctx.region(region_id)
    for execution_id in pipeline.execution_ids:
        state.executions.pop(execution_id, None)
    del state.pipelines[pipeline_id]


# -- executions ---------------------------------------------------------------------------------

def start_execution(ctx: Context, region_id: str, pipeline_id: str, tags: Tags) -> Execution:
    pipeline = _pipeline(ctx, region_id, pipeline_id)
    validation.tags(list(tags))
    running = _running(ctx, pipeline)
    if running:
        raise _has_running(pipeline, running)
    spec = pipeline.spec
    base = images.resolve_base(ctx, region_id, spec)
    if base is None and spec.base_image_type == "IMAGE":
        raise not_found("InvalidImagePipeline.BaseImageNotFound",
                        f"The base image {spec.base_image} of image template {pipeline_id} no "
                        "longer exists.")
    if base is None:
        raise not_found("InvalidImage.NotFound",
                        f"The image family {spec.base_image!r} of image template {pipeline_id} has "
                        "no available image.")
    now = ctx.now()
    execution = Execution(
        execution_id=ctx.ids.new("exec-"), pipeline_id=pipeline_id, region_id=region_id,
        seq=ctx.next_seq(),
        created=now, modified=now, resource_group_id=pipeline.resource_group_id, tags=tags,
    )
    ctx.region(region_id).executions[execution.execution_id] = execution
    pipeline.execution_ids.append(execution.execution_id)
    build = Build(ctx, pipeline, execution, ctx.settings.phase_seconds)
    execution.build = build
    build.start(now)
    ctx.active_builds[execution.execution_id] = build
    return execution


def describe_executions(ctx: Context, region_id: str, f: ExecutionFilter, max_results: int,
                        next_token: str | None) -> Page[Execution]:
    state = ctx.region(region_id)
    for status in f.statuses:
        if status not in ALL_STATUSES:
            raise invalid("Status", status, "one of " + ", ".join(ALL_STATUSES))
    if not f.pipeline_id and not f.execution_ids:
        raise bad_request("MissingParameter.ImagePipelineId",
                          "ImagePipelineId or ExecutionId is required.")
    if len(f.execution_ids) > assumptions.MAX_EXECUTION_IDS:
        raise bad_request("InvalidExecutionId.SizeExceeded",
                          f"At most {assumptions.MAX_EXECUTION_IDS} ExecutionId values are "
                          "allowed.")
    if f.pipeline_id:
        pipeline = _pipeline(ctx, region_id, f.pipeline_id)
        candidates = [state.executions[eid] for eid in reversed(pipeline.execution_ids)
                      if eid in state.executions]
    else:
        candidates = list(reversed(state.executions.values()))
    matching = [
        e for e in candidates
        if (not f.execution_ids or e.execution_id in f.execution_ids)
        and (not f.statuses or e.status in f.statuses)
        and tags_match(e.tags, f.tags)
    ]
    return by_token(matching, lambda e: e.seq, "exec", max_results, next_token)


def cancel_execution(ctx: Context, region_id: str, execution_id: str | None) -> None:
    state = ctx.region(region_id)
    if not (execution_id or "").startswith("exec-"):
        raise not_found("InvalidImagePipelineExecutionId.NotFound",
                        f"{execution_id!r} is not an image build id (they start with exec-).")
    execution = state.executions.get(execution_id or "")
    if execution is None or execution.build is None:  # every execution has a build
        raise not_found("InvalidImagePipelineExecution.NotFound",
                        f"The image build {execution_id!r} does not exist in {region_id}.")
    if execution.status in CANCELLABLE_STATUSES:
        execution.build.cancel(ctx.now())
        return
    if execution.status in RUNNING_STATUSES:
        raise forbidden("InvalidStatus.ImagePipelineExecution",
                        f"The image build {execution_id} is {execution.status}; only PREPARING, "
                        "REPAIRING or "
                        "BUILDING builds can be cancelled.")
    raise bad_request("InvalidStatus.CancelFailed",
                      f"The image build {execution_id} already ended ({execution.status}).")
