"""ImageComponent lifecycle: CreateImageComponent / DescribeImageComponents / DeleteImageComponent."""

from __future__ import annotations

from typing import Any

from ..errors import ApiError, ErrorKind, ProviderError
from ..models.base import Diff, canonical
from ..models.component import ImageComponentInputs, ImageComponentOutputs
from .base import CatalogLifecycle, gone_is_fine


class ComponentLifecycle(CatalogLifecycle):
    INPUTS = ImageComponentInputs
    OUTPUTS = ImageComponentOutputs
    CREATE, DESCRIBE = "CreateImageComponent", "DescribeImageComponents"
    ID_KEY, ITEMS = "ImageComponentId", "ImageComponent.ImageComponentSet"

    @classmethod
    def diff(cls, olds: dict[str, Any], news: dict[str, Any]) -> Diff:
        result = super().diff(olds, news)
        # A name and version pair is unique: a replacement keeping both must delete first.
        result.delete_before_replace = bool(result.replaces) and news.get(
            "component_version") is not None and all(
            canonical(cls.INPUTS, p, olds.get(p)) == canonical(cls.INPUTS, p, news.get(p))
            for p in ("component_name", "component_version"))
        return result

    def delete(self, id_: str, state: dict[str, Any]) -> None:
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
