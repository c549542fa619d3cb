"""The JSON dump of all state served by ``GET /_emulator/state`` and ``EmulatorHandle.state()``,
and its restore (``POST /_emulator/state``, ``--state-file``).

Regions without any state are left out. Objects use the API's own shapes (see :mod:`.render`)
plus a few fields the API does not show (share lists, instance users, execution ids, what a
template's base image is, whether a build's timeline is over).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import catalog, components, images, render
from .builds import Build
from .clock import iso, parse_iso
from .component_content import parse_component_content
from .content import parse_template_content
from .context import Context
from .models import (BaseImageInfo, Component, Execution, Image, ImageOptions, Instance, Pipeline,
                     PipelineSpec, RegionState, Tags, TransitionVpc)

if TYPE_CHECKING:
    from .backend import Backend


def _base(base: BaseImageInfo) -> dict[str, Any]:
    return {"OSType": base.os_type, "Platform": base.platform, "Architecture": base.architecture,
            "Size": base.size}


def _region(ctx: Context, state: RegionState) -> dict[str, list[dict[str, Any]]]:
    account_id = ctx.account_id
    return {
        "templates": [{**render.pipeline(p), "ExecutionIds": list(p.execution_ids),
                       "ImageComponentIds": list(p.component_ids), "BaseImageInfo": _base(p.base)}
                      for p in state.pipelines.values()],
        "executions": [{**render.execution(e), "Settled": e.execution_id not in ctx.active_builds}
                       for e in state.executions.values()],
        "components": [render.component(c) for c in state.components.values()],
        "images": [
            {**render.image(i, account_id), "SharedWith": sorted(i.shared_with),
             "UsedByInstances": list(i.used_by),
             "ExecutionId": i.execution_id, "SourceImageId": i.source_image_id}
            for i in state.images.values()
        ],
        "instances": [
            {"InstanceId": i.instance_id, "ExecutionId": i.execution_id,
             "ImagePipelineId": i.pipeline_id,
             "Role": i.role, "Status": i.status, "CreationTime": iso(i.created)}
            for i in state.instances.values()
        ],
        "vpcs": [
            {"VpcId": v.vpc_id, "VSwitchId": v.vswitch_id, "ExecutionId": v.execution_id,
             "CreationTime": iso(v.created)}
            for v in state.vpcs.values()
        ],
    }


def dump(backend: Backend) -> dict[str, Any]:
    """Everything, as JSON-able data; :func:`restore` takes it back."""
    def read(ctx: Context) -> dict[str, Any]:
        now = ctx.now()
        return {
            "now": iso(now),
            "epoch": now,
            "account_id": ctx.account_id,
            "settings": backend.describe_settings(),
            "regions": {rid: _region(ctx, state)
                        for rid, state in sorted(ctx.regions.items()) if not state.is_empty()},
        }

    return backend.read(read)


# -- restore ------------------------------------------------------------------------------

def _tags(wrapper: dict[str, Any], key: str = "Tag", k: str = "TagKey",
          v: str = "TagValue") -> Tags:
    return tuple((tag[k], tag[v]) for tag in wrapper[key])


def _text(value: str) -> str | None:
    return value or None


def _base_info(obj: dict[str, Any]) -> BaseImageInfo:
    return BaseImageInfo(obj["OSType"], obj["Platform"], obj["Architecture"], int(obj["Size"]))


def _import_options(rendered: dict[str, Any]) -> dict[str, Any]:
    options = {k: v for k, v in rendered.items()
               if k not in ("DiskDeviceMappings", "ImportImageTags")}
    if "DiskDeviceMappings" in rendered:
        options["DiskDeviceMappings"] = rendered["DiskDeviceMappings"]["DiskDeviceMapping"]
    if "ImportImageTags" in rendered:
        options["ImportImageTags"] = [
            {"Key": key, "Value": value}
            for key, value in _tags(rendered["ImportImageTags"], "ImportImageTag", "Key", "Value")]
    return options


def _spec(t: dict[str, Any]) -> PipelineSpec:
    """The inputs of a dumped template, as its effective values (what a describe shows)."""
    options, advanced = t["ImageOptions"], t["AdvancedOptions"]
    return PipelineSpec(
        base_image_type=t["BaseImageType"], base_image=_text(t["BaseImage"]), name=t["Name"],
        description=_text(t["Description"]), build_content=_text(t["BuildContent"]),
        test_content=_text(t["TestContent"]),
        delete_instance_on_failure=t["DeleteInstanceOnFailure"],
        instance_type=_text(t["InstanceType"]),
        internet_max_bandwidth_out=t["InternetMaxBandwidthOut"],
        system_disk_size=t["SystemDiskSize"], vswitch_id=_text(t["VSwitchId"]),
        resource_group_id=t["ResourceGroupId"],
        image_options=ImageOptions(
            image_name=_text(options["ImageName"]), image_family=_text(options["ImageFamily"]),
            description=_text(options["Description"]),
            nvme_support=_text(options["ImageFeatures"]["NvmeSupport"]),
            image_tags=_tags(options["ImageTags"], "ImageTag")),
        image_name_suffix=_text(advanced["ImageNameSuffix"]),
        retain_cloud_assistant=advanced["RetainCloudAssistant"],
        to_region_ids=tuple(t["ToRegionIds"]["ToRegionId"]),
        add_accounts=tuple(t["AddAccounts"]["AddAccount"]), tags=_tags(t["Tags"]),
        repair_mode=_text(t["RepairMode"]), repair_items=tuple(t["RepairItems"]["RepairItem"]),
        security_scan_mode=_text(t["ImageSecurityOptions"]["SecurityScanMode"]),
        import_image_options=_import_options(t["ImportImageOptions"]),
    )


def _component(ctx: Context, region_id: str, c: dict[str, Any]) -> Component:
    return Component(
        component_id=c["ImageComponentId"], region_id=region_id, seq=ctx.next_seq(),
        created=parse_iso(c["CreationTime"]), name=c["Name"], description=c["Description"],
        component_type=c["ComponentType"], component_version=c["ComponentVersion"],
        system_type=c["SystemType"], content=c["Content"],
        document=parse_component_content(c["Content"], c["SystemType"]),
        resource_group_id=c["ResourceGroupId"], tags=_tags(c["Tags"]))


def _image(ctx: Context, region_id: str, i: dict[str, Any]) -> Image:
    created = parse_iso(i["CreationTime"])
    return Image(
        image_id=i["ImageId"], region_id=region_id, seq=ctx.next_seq(), created=created,
        name=i["ImageName"], description=i["Description"], family=i["ImageFamily"],
        base=_base_info(i), tags=_tags(i["Tags"]), resource_group_id=i["ResourceGroupId"],
        execution_id=i["ExecutionId"],
        snapshot_id=i["DiskDeviceMappings"]["DiskDeviceMapping"][0]["SnapshotId"],
        source_image_id=i["SourceImageId"], status=i["Status"], usable=i["Usable"],
        shared_with=dict.fromkeys(i["SharedWith"], created),
        used_by=list(i["UsedByInstances"]))


def _pipeline(ctx: Context, region_id: str, t: dict[str, Any]) -> Pipeline:
    spec = _spec(t)
    base = (_base_info(t["BaseImageInfo"]) if "BaseImageInfo" in t  # dumps before it had one
            else images.resolve_base(ctx, region_id, spec))
    if base is None:
        raise ValueError(f"the base image {spec.base_image!r} of {t['ImagePipelineId']} is gone")

    def resolve(reference: str, where: str) -> Component:
        return components.resolve(ctx, region_id, reference, where)

    return Pipeline(
        pipeline_id=t["ImagePipelineId"], region_id=region_id, seq=ctx.next_seq(),
        created=parse_iso(t["CreationTime"]), spec=spec, base=base,
        build_steps=parse_template_content(spec.build_content or "", "BuildContent", "Build",
                                           base.system_type, resolve),
        test_steps=parse_template_content(spec.test_content or "", "TestContent", "Test",
                                          base.system_type, resolve),
        component_ids=tuple(t["ImageComponentIds"]), execution_ids=list(t["ExecutionIds"]))


def _execution(ctx: Context, region_id: str, e: dict[str, Any]) -> Execution:
    if not e.get("Settled", True):
        raise ValueError(f"the build {e['ExecutionId']} in {region_id} has not settled (status "
                         f"{e['Status']}, or its copies are not usable yet): advance the clock "
                         "until it has, then save the state again")
    execution = Execution(
        execution_id=e["ExecutionId"], pipeline_id=e["ImagePipelineId"], region_id=region_id,
        seq=ctx.next_seq(), created=parse_iso(e["CreationTime"]),
        modified=parse_iso(e["ModifiedTime"]), resource_group_id=e["ResourceGroupId"],
        tags=_tags(e["Tags"]), status=e["Status"], message=e["Message"], image_id=e["ImageId"],
        error_code=e["ErrorCode"], error_info=e["ErrorInfo"])
    pipeline = ctx.region(region_id).pipelines[execution.pipeline_id]
    execution.build = Build(ctx, pipeline, execution, ctx.settings.phase_seconds)  # no events
    return execution


def _instance(ctx: Context, region_id: str, i: dict[str, Any]) -> Instance:
    return Instance(i["InstanceId"], region_id, i["ExecutionId"], i["ImagePipelineId"], i["Role"],
                    parse_iso(i["CreationTime"]), i["Status"])


def _vpc(ctx: Context, region_id: str, v: dict[str, Any]) -> TransitionVpc:
    ctx.ids.reserve(v["VSwitchId"])
    return TransitionVpc(v["VpcId"], v["VSwitchId"], region_id, v["ExecutionId"],
                         parse_iso(v["CreationTime"]))


# kind of the dump -> (the region's dict, its id key, how to rebuild one); in dependency order
_KINDS: tuple[tuple[str, str, str, Callable[[Context, str, dict[str, Any]], Any]], ...] = (
    ("components", "components", "ImageComponentId", _component),
    ("images", "images", "ImageId", _image),
    ("templates", "pipelines", "ImagePipelineId", _pipeline),
    ("executions", "executions", "ExecutionId", _execution),
    ("instances", "instances", "InstanceId", _instance),
    ("vpcs", "vpcs", "VpcId", _vpc),
)


def restore(ctx: Context, document: Any) -> None:
    """Fill an empty ``ctx`` with a :func:`dump` (settings, ClientTokens and the request log are
    not part of it). ValueError names what is wrong. A template's COMPONENT lines are resolved
    again, against the restored components."""
    if not isinstance(document, dict) or not isinstance(document.get("regions"), dict):
        raise ValueError('the state must be an object with "regions", as GET /_emulator/state '
                         "gives it")
    account_id = document.get("account_id", ctx.account_id)
    if account_id != ctx.account_id:
        raise ValueError(f"the state is of account {account_id}, this emulator serves "
                         f"{ctx.account_id}: start it with --account-id {account_id}")
    for region_id, objects in document["regions"].items():
        if region_id not in catalog.REGIONS:
            raise ValueError(f"the state names {region_id!r}, which is not a region of the "
                             "catalog")
        state = ctx.region(region_id)
        for kind, attribute, key, rebuild in _KINDS:
            for index, obj in enumerate(objects.get(kind, [])):
                where = f"regions.{region_id}.{kind}[{index}]"
                try:
                    made = rebuild(ctx, region_id, obj)
                except ValueError as exc:
                    raise ValueError(f"{where}: {exc}") from None
                except Exception as exc:  # a missing key, a wrong type, an unknown reference
                    raise ValueError(f"{where}: cannot be restored ({type(exc).__name__}: "
                                     f"{exc})") from None
                getattr(state, attribute)[obj[key]] = made
                ctx.ids.reserve(obj[key])
    for state in ctx.regions.values():
        for image in state.images.values():
            source = ctx.find_image(image.source_image_id) if image.source_image_id else None
            if source is not None:
                source.copy_ids.append(image.image_id)
