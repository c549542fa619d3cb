"""One handler per API action: query parameters -> backend call -> success body
(docs/service-notes.md §3).

A handler gets the backend, the request's RegionId (already required and non-empty unless the
action is region-less) and its :class:`~.params.Params`; it returns the body without RequestId.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from . import catalog, render
from .backend import Backend
from .clock import iso
from .components import ComponentFilter, ComponentSpec
from .errors import bad_request
from .images import ImageFilter
from .models import ImageOptions, PipelineSpec
from .paging import Page
from .params import Params
from .pipelines import ExecutionFilter, PipelineFilter
from .tagging import TagFilter

Handler = Callable[[Backend, str, Params], dict[str, Any]]
T = TypeVar("T")


def _max_results(p: Params) -> int:
    return p.integer("MaxResults", default=50, lo=1, hi=500)


def _page_number(p: Params) -> tuple[int, int]:
    return p.integer("PageNumber", default=1, lo=1, hi=1_000_000), p.integer("PageSize", default=10,
                                                                             lo=1, hi=100)


def _token_page(page: Page[T], wrapper: str, inner: str,
                render_item: Callable[[T], dict[str, Any]]) -> dict[str, Any]:
    """The body of a MaxResults/NextToken listing; the wrapper object is always present."""
    return {"TotalCount": page.total, "MaxResults": page.max_results, "NextToken": page.next_token,
            wrapper: {inner: [render_item(item) for item in page.items]}}


def _dry_run(p: Params) -> None:
    if p.flag("DryRun", default=False):
        raise bad_request("DryRunOperation",
                          "Request validation has been passed with DryRun flag set.")


def _import_image_options(p: Params) -> dict[str, Any]:
    prefix = "ImportImageOptions."
    options: dict[str, Any] = {}
    for key, value in p.as_dict().items():
        if key.startswith(prefix) and "." not in key[len(prefix):]:
            name = key[len(prefix):]
            options[name] = p.flag(key) if name == "RetainImportedImage" else value
    features = {name: p.text(f"{prefix}Features.{name}") for name in ("ImdsSupport", "NvmeSupport")}
    if any(features.values()):
        options["Features"] = {k: v or "" for k, v in features.items()}
    mappings = p.objects(f"{prefix}DiskDeviceMappings")
    if mappings:
        options["DiskDeviceMappings"] = [
            {**m, "DiskImageSize": int(m["DiskImageSize"])} if m.get("DiskImageSize",
                                                                     "").isdigit() else m
            for m in mappings
        ]
    import_tags = p.objects(f"{prefix}ImportImageTags")
    if import_tags:
        options["ImportImageTags"] = import_tags
    return options


def create_image_pipeline(backend: Backend, region: str, p: Params) -> dict[str, Any]:
    spec = PipelineSpec(
        base_image_type=p.text("BaseImageType"),
        base_image=p.text("BaseImage"),
        name=p.text("Name"),
        description=p.text("Description"),
        build_content=p.text("BuildContent"),
        test_content=p.text("TestContent"),
        delete_instance_on_failure=p.flag("DeleteInstanceOnFailure"),
        instance_type=p.text("InstanceType"),
        internet_max_bandwidth_out=p.integer("InternetMaxBandwidthOut",
                                             code="InvalidInternetMaxBandwidthOut.NotSupportedValue"),
        system_disk_size=p.integer("SystemDiskSize",
                                   code="InvalidSystemDiskSize.NotSupportedValue"),
        vswitch_id=p.text("VSwitchId"),
        resource_group_id=p.text("ResourceGroupId"),
        image_name=p.text("ImageName"),
        image_family=p.text("ImageFamily"),
        nvme_support=p.text("NvmeSupport"),
        image_options=ImageOptions(
            image_name=p.text("ImageOptions.ImageName"),
            image_family=p.text("ImageOptions.ImageFamily"),
            description=p.text("ImageOptions.Description"),
            nvme_support=p.text("ImageOptions.ImageFeatures.NvmeSupport"),
            image_tags=tuple(p.tags("ImageOptions.ImageTags")),
        ),
        image_name_suffix=p.text("AdvancedOptions.ImageNameSuffix"),
        retain_cloud_assistant=p.flag("AdvancedOptions.RetainCloudAssistant"),
        to_region_ids=tuple(p.values("ToRegionId")),
        add_accounts=tuple(p.values("AddAccount")),
        tags=tuple(p.tags()),
        repair_mode=p.text("RepairMode"),
        repair_items=tuple(p.values("RepairItem")),
        security_scan_mode=p.text("ImageSecurityOptions.SecurityScanMode"),
        import_image_options=_import_image_options(p),
    )
    return {"ImagePipelineId": backend.create_image_pipeline(region, spec, p.text("ClientToken"))}


def describe_image_pipelines(backend: Backend, region: str, p: Params) -> dict[str, Any]:
    where = PipelineFilter(tuple(p.values("ImagePipelineId")), p.text("Name"),
                           p.text("ResourceGroupId"), tuple(p.tags()))
    page = backend.describe_image_pipelines(region, where, _max_results(p), p.text("NextToken"))
    return _token_page(page, "ImagePipeline", "ImagePipelineSet", render.pipeline)


def delete_image_pipeline(backend: Backend, region: str, p: Params) -> dict[str, Any]:
    backend.delete_image_pipeline(region, p.text("ImagePipelineId", required=True))
    return {}


def start_image_pipeline_execution(backend: Backend, region: str, p: Params) -> dict[str, Any]:
    execution_id = backend.start_image_pipeline_execution(
        region, p.text("ImagePipelineId", required=True), p.text("ClientToken"), tuple(p.tags()))
    return {"ExecutionId": execution_id}


def describe_image_pipeline_executions(backend: Backend, region: str, p: Params) -> dict[str, Any]:
    where = ExecutionFilter(p.text("ImagePipelineId"), tuple(p.comma_list("ExecutionId")),
                            tuple(p.comma_list("Status")), tuple(p.tags()))
    page = backend.describe_image_pipeline_executions(region, where, _max_results(p),
                                                      p.text("NextToken"))
    return _token_page(page, "ImagePipelineExecution", "ImagePipelineExecutionSet",
                       render.execution)


def cancel_image_pipeline_execution(backend: Backend, region: str, p: Params) -> dict[str, Any]:
    backend.cancel_image_pipeline_execution(region, p.text("ExecutionId"))
    return {}


def create_image_component(backend: Backend, region: str, p: Params) -> dict[str, Any]:
    spec = ComponentSpec(
        content=p.text("Content"), name=p.text("Name"), description=p.text("Description"),
        component_type=p.text("ComponentType"), component_version=p.text("ComponentVersion"),
        system_type=p.text("SystemType"), resource_group_id=p.text("ResourceGroupId"),
        tags=tuple(p.tags()),
    )
    return {"ImageComponentId": backend.create_image_component(region, spec, p.text("ClientToken"))}


def describe_image_components(backend: Backend, region: str, p: Params) -> dict[str, Any]:
    where = ComponentFilter(
        tuple(p.values("ImageComponentId")), p.text("Name"), p.text("ComponentType"),
        p.text("ComponentVersion"),
        p.text("SystemType"), p.text("ResourceGroupId"), p.text("Owner"), tuple(p.tags()),
    )
    page = backend.describe_image_components(region, where, _max_results(p), p.text("NextToken"))
    return _token_page(page, "ImageComponent", "ImageComponentSet", render.component)


def delete_image_component(backend: Backend, region: str, p: Params) -> dict[str, Any]:
    backend.delete_image_component(region, p.text("ImageComponentId", required=True))
    return {}


def describe_images(backend: Backend, region: str, p: Params) -> dict[str, Any]:
    where = ImageFilter(
        image_ids=tuple(p.comma_list("ImageId")), image_name=p.text("ImageName"),
        owner_alias=p.text("ImageOwnerAlias"), statuses=tuple(p.comma_list("Status")),
        image_family=p.text("ImageFamily"), os_type=p.text("OSType"),
        architecture=p.text("Architecture"), usable=p.flag("Usable"), tags=tuple(p.tags()),
    )
    page_number, page_size = _page_number(p)
    _dry_run(p)
    page = backend.describe_images(region, where, page_number, page_size)
    return {"RegionId": region, "TotalCount": page.total, "PageNumber": page_number,
            "PageSize": page_size,
            "Images": {"Image": [render.image(i, backend.account_id) for i in page.items]}}


def delete_image(backend: Backend, region: str, p: Params) -> dict[str, Any]:
    image_id = p.text("ImageId", required=True)
    force = p.flag("Force", default=False)
    _dry_run(p)
    backend.delete_image(region, image_id, force)
    return {}


def modify_image_share_permission(backend: Backend, region: str, p: Params) -> dict[str, Any]:
    image_id = p.text("ImageId", required=True)
    add, remove = p.values("AddAccount"), p.values("RemoveAccount")
    _dry_run(p)
    backend.modify_image_share_permission(region, image_id, add, remove)
    return {}


def describe_image_share_permission(backend: Backend, region: str, p: Params) -> dict[str, Any]:
    image_id = p.text("ImageId", required=True)
    page_number, page_size = _page_number(p)
    page = backend.describe_image_share_permission(region, image_id, page_number, page_size)
    return {
        "RegionId": region, "ImageId": image_id, "TotalCount": page.total,
        "PageNumber": page_number, "PageSize": page_size, "ShareGroups": {"ShareGroup": []},
        "Accounts": {"Account": [{"AliyunId": account, "SharedTime": iso(at)}
                                 for account, at in page.items]},
    }


def describe_regions(backend: Backend, region: str, p: Params) -> dict[str, Any]:
    chinese = (p.text("AcceptLanguage") or "").lower().startswith("zh")
    return {"Regions": {"Region": [
        {"RegionId": rid, "LocalName": names[1] if chinese else names[0],
         "RegionEndpoint": catalog.region_endpoint(rid), "Status": "available"}
        for rid, names in catalog.REGIONS.items()
    ]}}


def tag_resources(backend: Backend, region: str, p: Params) -> dict[str, Any]:
    backend.tag_resources(region, p.text("ResourceType"), p.values("ResourceId"), tuple(p.tags()))
    return {}


def untag_resources(backend: Backend, region: str, p: Params) -> dict[str, Any]:
    backend.untag_resources(region, p.text("ResourceType"), p.values("ResourceId"),
                            p.values("TagKey"), bool(p.flag("All", default=False)))
    return {}


def list_tag_resources(backend: Backend, region: str, p: Params) -> dict[str, Any]:
    filters = [TagFilter(fields.get("TagKey", ""), tuple(p.values(f"TagFilter.{index}.TagValues")))
               for index, fields in p.numbered("TagFilter")]
    page = backend.list_tag_resources(region, p.text("ResourceType"), p.values("ResourceId"),
                                      tuple(p.tags()), filters, p.text("NextToken"))
    return {"NextToken": page.next_token, "TagResources": {"TagResource": [
        {"ResourceId": e.resource_id, "ResourceType": e.resource_type, "TagKey": e.key,
         "TagValue": e.value}
        for e in page.items
    ]}}


def join_resource_group(backend: Backend, region: str, p: Params) -> dict[str, Any]:
    backend.join_resource_group(region, p.text("ResourceType"), p.text("ResourceId"),
                                p.text("ResourceGroupId"))
    return {}


ACTIONS: dict[str, Handler] = {
    "CreateImagePipeline": create_image_pipeline,
    "DescribeImagePipelines": describe_image_pipelines,
    "DeleteImagePipeline": delete_image_pipeline,
    "StartImagePipelineExecution": start_image_pipeline_execution,
    "DescribeImagePipelineExecutions": describe_image_pipeline_executions,
    "CancelImagePipelineExecution": cancel_image_pipeline_execution,
    "CreateImageComponent": create_image_component,
    "DescribeImageComponents": describe_image_components,
    "DeleteImageComponent": delete_image_component,
    "DescribeImages": describe_images,
    "DeleteImage": delete_image,
    "ModifyImageSharePermission": modify_image_share_permission,
    "DescribeImageSharePermission": describe_image_share_permission,
    "DescribeRegions": describe_regions,
    "TagResources": tag_resources,
    "UntagResources": untag_resources,
    "ListTagResources": list_tag_resources,
    "JoinResourceGroup": join_resource_group,
}
REGIONLESS_ACTIONS = frozenset({"DescribeRegions"})
