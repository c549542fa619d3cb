"""ImageComponent lifecycle: CreateImageComponent / DescribeImageComponents /
DeleteImageComponent."""

from __future__ import annotations

from typing import Any

from ..errors import ALREADY_IN_GROUP, ApiError, ErrorKind, ProviderError
from ..models.base import Diff, canonical
from ..models.component import ImageComponentState
from . import service
from .base import CatalogLifecycle, gone_is_fine


RESOURCE_TYPE = "imagecomponent"  # TagResources / JoinResourceGroup (as Terraform's resource)


class ComponentLifecycle(CatalogLifecycle[ImageComponentState]):
    STATE = ImageComponentState
    CREATE, CATALOG = "CreateImageComponent", service.COMPONENTS

    @classmethod
    def diff(cls, olds: dict[str, Any], news: dict[str, Any]) -> Diff:
        result = super().diff(olds, news)
        # A name and version pair is unique: a replacement keeping both must delete first.
        result.delete_before_replace = bool(result.replaces) and news.get(
            "component_version") is not None and all(
            canonical(cls.INPUTS, p, olds.get(p)) == canonical(cls.INPUTS, p, news.get(p))
            for p in ("component_name", "component_version"))
        return result

    def update(self, id_: str, olds: ImageComponentState,
               news: ImageComponentState) -> ImageComponentState:
        """Tags (TagResources / UntagResources) and resource group (JoinResourceGroup) change
        in place, with the resource type Terraform's component resource uses; the diff
        replaces the component for anything else."""
        model, applied = self.parse(news), self.applied_inputs(olds, news)
        region = self.region_of(applied)
        target = {"ResourceType": RESOURCE_TYPE, "ResourceId": [id_]}
        old_tags, new_tags = dict(olds.tags or {}), dict(model.tags or {})
        removed = sorted(set(old_tags) - set(new_tags))
        if removed:
            self.api.call("UntagResources", {**target, "TagKey": removed}, region=region)
        added = sorted((k, v) for k, v in new_tags.items() if old_tags.get(k) != v)
        if added:
            self.api.call("TagResources", {**target, "Tag": [{"Key": k, "Value": v}
                                                             for k, v in added]}, region=region)
        group = model.resource_group_id
        if group and group != olds.resource_group_id:
            try:
                self.api.call("JoinResourceGroup", {"ResourceType": RESOURCE_TYPE,
                                                    "ResourceId": id_, "ResourceGroupId": group},
                              region=region)
            except ApiError as error:
                if error.code != ALREADY_IN_GROUP:
                    raise
        item = self.describe(region, id_)
        if item is None:
            raise ProviderError(f"ImageComponent {id_} disappeared while its tags or resource "
                                "group were changed; run `pulumi refresh`, then `pulumi up`")
        return self.observed(applied, item).outs

    def delete(self, id_: str, state: ImageComponentState) -> None:
        try:
            self.api.call("DeleteImageComponent", {"ImageComponentId": id_},
                          region=self.region_of(state))
        except ApiError as error:
            if gone_is_fine(error):
                return
            if error.kind is ErrorKind.CONFLICT:
                raise ProviderError(
                    f"ImageComponent {id_} is still used by an image template; remove it from "
                    "that template's build_components/test_components (or delete the template) "
                    f"first. ECS said: {error}") from None
            raise
