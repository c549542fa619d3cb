"""Every describe by id, in one place (in the manner of Terraform's service_alicloud_ecs.go):
templates, components, executions (build tasks) and images. Each answers the item, or ``None``
when the service does not know it; an execution whose template is gone (the service answers
"not found" for the query itself) is ``None`` too."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable

from ..errors import ApiError, ErrorKind

if TYPE_CHECKING:
    from ..client import EcsApi

IMAGE_STATUSES = "Creating,Waiting,Available,UnAvailable,CreateFailed,Deprecated"
EXECUTION_ITEMS = "ImagePipelineExecution.ImagePipelineExecutionSet"


@dataclass(frozen=True)
class Catalog:
    """How the service lists one kind of object: the call, the id's key, the items' path."""

    action: str
    id_key: str
    items: str


TEMPLATES = Catalog("DescribeImagePipelines", "ImagePipelineId", "ImagePipeline.ImagePipelineSet")
COMPONENTS = Catalog("DescribeImageComponents", "ImageComponentId",
                     "ImageComponent.ImageComponentSet")


def describe(api: "EcsApi", catalog: Catalog, region: str, id_: str) -> dict[str, Any] | None:
    """The template or component ``id_`` (token-paged, filtered by id)."""
    items = api.token_pages(catalog.action, {catalog.id_key: [id_]}, region=region,
                            items=catalog.items)
    return next((i for i in items if i.get(catalog.id_key) == id_), None)


def describe_template(api: "EcsApi", region: str, template_id: str) -> dict[str, Any] | None:
    return describe(api, TEMPLATES, region, template_id)


def describe_component(api: "EcsApi", region: str, component_id: str) -> dict[str, Any] | None:
    return describe(api, COMPONENTS, region, component_id)


def executions(api: "EcsApi", region: str, **query: str) -> list[dict[str, Any]]:
    """The executions matching ``query`` (by ``ExecutionId`` or ``ImagePipelineId``); none
    when the service answers "not found" (the template, and so its records, are gone)."""
    try:
        return list(api.token_pages("DescribeImagePipelineExecutions", dict(query),
                                    region=region, items=EXECUTION_ITEMS))
    except ApiError as error:
        if error.kind is ErrorKind.NOT_FOUND:
            return []
        raise


def describe_execution(api: "EcsApi", region: str, execution_id: str) -> dict[str, Any] | None:
    return next((i for i in executions(api, region, ExecutionId=execution_id)
                 if i.get("ExecutionId") == execution_id), None)


def images(api: "EcsApi", region: str, **query: str) -> Iterable[dict[str, Any]]:
    """This account's images matching ``query``, in every status (read page by page)."""
    return api.numbered_pages("DescribeImages", {**query, "ImageOwnerAlias": "self",
                                                 "Status": IMAGE_STATUSES},
                              region=region, items="Images.Image")


def describe_image(api: "EcsApi", region: str, image_id: str) -> dict[str, Any] | None:
    return next((i for i in images(api, region, ImageId=image_id)
                 if i.get("ImageId") == image_id), None)
