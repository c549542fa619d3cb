"""Image components: CreateImageComponent, DescribeImageComponents, DeleteImageComponent, and the
resolution of a template's ``COMPONENT`` lines."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from . import catalog, validation
from .component_content import parse_component_content
from .content import parse_component_arn, version_matches
from .context import Context
from .errors import bad_request, forbidden, invalid, missing, not_found
from .models import Component, Tags, tags_match
from .paging import Page, by_token

COMPONENT_TYPES = ("Build", "Test")
SYSTEM_TYPES = ("Linux", "Windows")
OWNERS = ("SELF", "ALIYUN")
MAX_IDS = 20


@dataclass(frozen=True)
class ComponentSpec:
    content: str | None = None
    name: str | None = None
    description: str | None = None
    component_type: str | None = None
    component_version: str | None = None
    system_type: str | None = None
    resource_group_id: str | None = None
    tags: Tags = ()


@dataclass(frozen=True)
class ComponentFilter:
    component_ids: tuple[str, ...] = ()
    name: str | None = None
    component_type: str | None = None
    component_version: str | None = None
    system_type: str | None = None
    resource_group_id: str | None = None
    owner: str | None = None
    tags: Tags = ()


def check_resource_group(resource_group_id: str | None) -> None:
    if resource_group_id is not None and resource_group_id not in catalog.RESOURCE_GROUPS:
        raise not_found("InvalidResourceGroup.NotFound",
                        f"The ResourceGroupId {resource_group_id!r} does not exist.")


def create(ctx: Context, region_id: str, spec: ComponentSpec) -> Component:
    state = ctx.region(region_id)
    validation.name(spec.name)
    validation.description(spec.description)
    system_type = spec.system_type or "Linux"
    if system_type not in SYSTEM_TYPES:
        raise bad_request("InvalidSystemType.NotSupportedValue",
                          f"SystemType {system_type!r} must be Linux or Windows.")
    component_type = spec.component_type or "Build"
    if component_type not in COMPONENT_TYPES:
        raise bad_request("InvalidComponentType.NotSupportedValue",
                          f"ComponentType {component_type!r} must be Build or Test.")
    if spec.content is None:
        raise missing("Content")
    validation.content_length(spec.content, "Content", "InvalidContent.LengthExceeded")
    validation.tags(list(spec.tags))
    check_resource_group(spec.resource_group_id)
    component_id = ctx.ids.new("ic-")
    name = spec.name or component_id
    same_name = [c for c in state.components.values() if c.name == name]
    if spec.component_version is not None:
        validation.component_version(spec.component_version)
        version = spec.component_version
        if any(c.component_version == version for c in same_name):
            raise forbidden("InvalidComponentVersion.Exist",
                            f"The component {name!r} already has version {version}; choose another "
                            "ComponentVersion.")
    else:
        major = max((validation.parse_version(c.component_version)[0] for c in same_name),
                    default=0)
        version = f"{major + 1}.0.0"
    document = parse_component_content(spec.content, system_type)
    if len(state.components) >= ctx.settings.component_quota:
        raise bad_request("QuotaExceed.ImageComponent",
                          f"The region {region_id} already has {ctx.settings.component_quota} "
                          "image components.")
    component = Component(
        component_id=component_id, region_id=region_id, seq=ctx.next_seq(), created=ctx.now(),
        name=name, description=spec.description or "", component_type=component_type,
        component_version=version, system_type=system_type, content=spec.content, document=document,
        resource_group_id=spec.resource_group_id or catalog.DEFAULT_RESOURCE_GROUP_ID,
        tags=spec.tags,
    )
    state.components[component_id] = component
    return component


@functools.cache
def system_components(region_id: str) -> dict[str, Component]:
    """The catalog's system components as this region's (read-only) components."""
    return {
        c.component_id: Component(
            component_id=c.component_id, region_id=region_id,
            seq=len(catalog.SYSTEM_COMPONENTS) - index,
            created=catalog.SYSTEM_COMPONENTS_CREATED, name=c.name, description=c.description,
            component_type=c.component_type, component_version="1.0.0", system_type=c.system_type,
            content=c.content,
            document=parse_component_content(c.content, c.system_type), resource_group_id="",
            tags=(), owner="ALIYUN")
        for index, c in enumerate(catalog.SYSTEM_COMPONENTS)
    }


def describe(ctx: Context, region_id: str, f: ComponentFilter, max_results: int,
             next_token: str | None) -> Page[Component]:
    state = ctx.region(region_id)
    if f.owner is not None and f.owner not in OWNERS:
        raise invalid("Owner", f.owner, "SELF or ALIYUN")
    if len(f.component_ids) > MAX_IDS:
        raise bad_request("InvalidImageComponentIdSize.ExceededMaxNumber",
                          f"At most {MAX_IDS} ImageComponentId values are allowed, got "
                          f"{len(f.component_ids)}.")
    owned = (system_components(region_id).values() if f.owner == "ALIYUN"
             else reversed(state.components.values()))
    matching = [
        c for c in owned
        if (not f.component_ids or c.component_id in f.component_ids)
        and (f.name is None or c.name == f.name)
        and (f.component_type is None or c.component_type == f.component_type)
        and (f.component_version is None or c.component_version == f.component_version)
        and (f.system_type is None or c.system_type == f.system_type)
        and (f.resource_group_id is None or c.resource_group_id == f.resource_group_id)
        and tags_match(c.tags, f.tags)
    ]
    return by_token(matching, lambda c: c.seq, "ic", max_results, next_token)


def delete(ctx: Context, region_id: str, component_id: str) -> None:
    state = ctx.region(region_id)
    if component_id not in state.components:
        raise not_found("InvalidImageComponent.NotFound",
                        f"The image component {component_id!r} does not exist.")
    users = [p.pipeline_id for p in state.pipelines.values() if component_id in p.component_ids]
    if users:
        raise forbidden("InvalidImageComponent.InUse",
                        f"The image component {component_id} is used by image template(s) "
                        f"{', '.join(users)}.")
    del state.components[component_id]


def resolve(ctx: Context, region_id: str, reference: str, where: str) -> Component:
    """A COMPONENT line's target: an ``ic-`` id, or a name and version (``*`` = latest matching)."""
    components = ctx.region(region_id).components
    found: Component | None = (components.get(reference)
                               or system_components(region_id).get(reference))
    arn = parse_component_arn(reference)
    if found is None and arn is not None:
        arn_region, uid, name, pattern = arn
        if arn_region == region_id and uid == ctx.account_id:
            candidates = [c for c in components.values()
                          if c.name == name and version_matches(pattern, c.component_version)]
            if candidates:
                found = max(candidates, key=lambda c: validation.parse_version(c.component_version))
    if found is None:
        raise not_found("ImageComponent.NotFound",
                        f"{where}: no image component {reference!r} in {region_id} (use an ic- id "
                        "or "
                        f"acs:ecs:{region_id}:{ctx.account_id}:imagecomponent/<Name>/<x.y.z>).")
    return found
