"""ImageTemplate lifecycle: CreateImagePipeline / DescribeImagePipelines / DeleteImagePipeline."""

from __future__ import annotations

from typing import Any

from ..errors import ApiError, ErrorKind, ProviderError
from ..models.build import DEFAULT_TIMEOUT
from ..models.content import normalize_text, split
from ..models.template import ImageTemplateInputs, ImageTemplateOutputs
from ..waiter import Deadline
from .base import CatalogLifecycle, gone_is_fine
from .executions import wait_until_idle


class TemplateLifecycle(CatalogLifecycle):
    INPUTS = ImageTemplateInputs
    OUTPUTS = ImageTemplateOutputs
    CREATE, DESCRIBE = "CreateImagePipeline", "DescribeImagePipelines"
    ID_KEY, ITEMS = "ImagePipelineId", "ImagePipeline.ImagePipelineSet"

    def found(self, state: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
        """Content keeps the program's split into raw content and components while the
        rendered text is unchanged; otherwise the leading COMPONENT lines become components."""
        found = super().found(state, item)
        found["repair_mode"] = found.get("repair_mode") or "off"
        try:
            mine = self.parse(state)
        except ProviderError:  # no usable inputs (a lookup by id): take the service's split
            mine = None
        for which, key in (("build", "BuildContent"), ("test", "TestContent")):
            theirs = item.get(key)
            if mine is not None and normalize_text(mine.rendered(which)) == normalize_text(theirs):
                found[f"{which}_content"] = state.get(f"{which}_content")
                found[f"{which}_components"] = state.get(f"{which}_components")
            else:
                components, rest = split(theirs)
                found[f"{which}_content"], found[f"{which}_components"] = rest, components or None
        return found

    def delete(self, id_: str, state: dict[str, Any]) -> None:
        region = self.region_of(state)
        deadline = Deadline(DEFAULT_TIMEOUT)
        while True:
            try:
                self.api.call("DeleteImagePipeline", {"ImagePipelineId": id_}, region=region)
                return
            except ApiError as error:
                if gone_is_fine(error):
                    return
                if error.kind is not ErrorKind.CONFLICT:
                    raise
            self.progress(f"ImageTemplate {id_}: a build is running; waiting for it to end "
                          "before deleting the template")
            wait_until_idle(self.api, id_, region, self.backoff, deadline)
