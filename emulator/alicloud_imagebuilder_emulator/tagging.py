"""Tags and resource groups changed after create: TagResources, UntagResources, ListTagResources and
JoinResourceGroup (ECS API reference), for the resource types the emulator stores.

``imagecomponent`` is the type Terraform's alicloud_ecs_image_component uses for both; ``image``
is in the API reference's list. ``imagepipeline`` has no public evidence and is refused like any
unknown type (ASSUMPTIONS["tag-resources"]).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from . import assumptions, validation
from .catalog import RESOURCE_GROUPS
from .context import Context
from .errors import ApiError, bad_request, forbidden, not_found
from .models import Component, Image, Tags, tags_match
from .paging import Page, by_token

# Documented ResourceType values the emulator has no objects of: their ids are never found.
OTHER_DOCUMENTED_TYPES = ("instance", "disk", "snapshot", "securitygroup", "volume", "eni", "ddh",
                          "ddhcluster",
                          "keypair", "launchtemplate", "reservedinstance", "snapshotpolicy",
                          "elasticityassurance",
                          "capacityreservation", "command", "invocation", "activation",
                          "managedinstance")
MAX_RESOURCE_IDS = 50
MAX_TAGS = validation.MAX_TAGS  # per call and per resource


@dataclass(frozen=True)
class TagFilter:
    """ListTagResources TagFilter.N: a key pattern and value patterns, ``*`` matching any text."""

    key: str
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class TagEntry:
    seq: int
    resource_id: str
    resource_type: str
    key: str
    value: str


def _missing(name: str, status: int = 404) -> ApiError:
    return ApiError(status, f"MissingParameter.{name}",
                    f"The parameter - {name} should not be null.")


def _objects(ctx: Context, region_id: str,
             resource_type: str | None) -> dict[str, Component | Image]:
    if resource_type is None:
        raise _missing("ResourceType")
    state = ctx.region(region_id)
    stored: dict[str, dict[str, Any]] = {"imagecomponent": state.components, "image": state.images}
    if resource_type in stored:
        return stored[resource_type]
    if resource_type in OTHER_DOCUMENTED_TYPES:
        return {}
    raise not_found("InvalidResourceType.NotFound",
                    f"The ResourceType {resource_type!r} provided does not exist in our records "
                    "(the emulator tags "
                    f"{', '.join(stored)}; image templates are tagged only at create, with Tag.N).")


def _targets(ctx: Context, region_id: str, resource_type: str | None,
             resource_ids: Sequence[str]) -> list[Component | Image]:
    objects = _objects(ctx, region_id, resource_type)
    if not resource_ids:
        raise _missing("ResourceIds")
    if len(resource_ids) > MAX_RESOURCE_IDS:
        raise bad_request("NumberExceed.ResourceIds",
                          "The ResourceIds parameter's number is exceed, Valid: "
                          f"{MAX_RESOURCE_IDS}.")
    unknown = [rid for rid in resource_ids if rid not in objects]
    if unknown:
        raise not_found("InvalidResourceId.NotFound",
                        "The specified ResourceIds are not found in our records: "
                        f"{', '.join(unknown)} "
                        f"(ResourceType {resource_type}, region {region_id}).")
    return [objects[rid] for rid in dict.fromkeys(resource_ids)]


def _count(count: int) -> None:
    if count > MAX_TAGS:
        raise bad_request("NumberExceed.Tags",
                          f"The Tags parameter's number is exceed, Valid: {MAX_TAGS}.")


def tag(ctx: Context, region_id: str, resource_type: str | None, resource_ids: Sequence[str],
        tags: Tags) -> None:
    """Add tags (an existing key gets the new value); all or nothing."""
    targets = _targets(ctx, region_id, resource_type, resource_ids)
    if not tags:
        raise _missing("Tags")
    _count(len(tags))
    validation.tags(list(tags))
    merged = [(target, {**dict(target.tags), **dict(tags)}) for target in targets]
    for target, pairs in merged:
        if len(pairs) > MAX_TAGS:
            raise bad_request("OperationDenied.QuotaExceed",
                              "The quota of tags on resource is beyond permitted range: "
                              f"{target_id(target)} would "
                              f"have {len(pairs)} tags, at most {MAX_TAGS} are allowed.")
    for target, pairs in merged:
        target.tags = tuple(pairs.items())


def untag(ctx: Context, region_id: str, resource_type: str | None, resource_ids: Sequence[str],
          keys: Sequence[str], remove_all: bool) -> None:
    """Remove the given keys (absent ones are ignored), or every tag with ``All=true`` and no
    key."""
    targets = _targets(ctx, region_id, resource_type, resource_ids)
    if not keys and not remove_all:
        raise _missing("Tags")
    _count(len(keys))
    for target in targets:
        target.tags = () if not keys else tuple((k, v) for k, v in target.tags if k not in keys)


def _pattern(text: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(part) for part in text.split("*")) + r"\Z")


def _filter_matches(f: TagFilter, tags: Tags) -> bool:
    key = _pattern(f.key)
    values = [_pattern(v) for v in f.values]
    return any(key.match(k) and (not values or any(p.match(v) for p in values)) for k, v in tags)


def list_tags(ctx: Context, region_id: str, resource_type: str | None, resource_ids: Sequence[str],
              tags: Tags, filters: Sequence[TagFilter], next_token: str | None) -> Page[TagEntry]:
    """One entry per tag of each matching resource, resources newest first."""
    objects = _objects(ctx, region_id, resource_type)
    if not (resource_ids or tags or filters):
        raise _missing("Tags")
    if len(resource_ids) > MAX_RESOURCE_IDS:
        raise bad_request("NumberExceed.ResourceIds",
                          "The ResourceIds parameter's number is exceed, Valid: "
                          f"{MAX_RESOURCE_IDS}.")
    _count(len(tags))
    if any(not key for key, _ in tags):
        raise bad_request("InvalidParameter.TagValue",
                          "Tag.N.Value was given without its Tag.N.Key.")
    if tags and filters:
        raise bad_request("InvalidParameterCombination",
                          "Tag.N and TagFilter.N cannot be used together.")
    if resource_ids:
        candidates = [objects[rid] for rid in dict.fromkeys(resource_ids) if rid in objects]
    else:
        candidates = sorted(objects.values(), key=lambda o: o.seq, reverse=True)
    matching = [o for o in candidates
                if tags_match(o.tags, tags) and all(_filter_matches(f, o.tags) for f in filters)]
    entries = [(o, key, value) for o in matching for key, value in o.tags]
    numbered = [TagEntry(len(entries) - index, target_id(o), resource_type or "", key, value)
                for index, (o, key, value) in enumerate(entries)]
    return by_token(numbered,
                    lambda entry: entry.seq, "tag", assumptions.TAG_RESOURCES_PAGE_SIZE, next_token)


def join_resource_group(ctx: Context, region_id: str, resource_type: str | None,
                        resource_id: str | None, resource_group_id: str | None) -> None:
    for name, value in (("ResourceType", resource_type), ("ResourceId", resource_id),
                        ("ResourceGroupId", resource_group_id)):
        if value is None:
            raise forbidden("MissingParameter", f'The input parameter "{name}" that is mandatory '
                                                'for processing '
                                                "this request is not supplied.")
    objects = _objects(ctx, region_id, resource_type)
    if resource_group_id not in RESOURCE_GROUPS:
        raise not_found("InvalidResourceGroup.NotFound",
                        f"The ResourceGroup {resource_group_id!r} provided does not exist in our "
                        "records.")
    target = objects.get(resource_id or "")
    if target is None:
        raise not_found("InvalidResourceId.NotFound",
                        f"The ResourceId {resource_id!r} provided does not exist in our records "
                        f"(ResourceType {resource_type}, region {region_id}).")
    if target.resource_group_id == resource_group_id:
        raise forbidden("InvalidResourceGroup.Duplicate",
                        f"The ResourceId {resource_id} provided has a ResourceGroup in our "
                        "records: it is already "
                        f"in {resource_group_id}.")
    target.resource_group_id = resource_group_id


def target_id(target: Component | Image) -> str:
    return target.component_id if isinstance(target, Component) else target.image_id
