"""ImageTemplate lifecycle: CreateImagePipeline / DescribeImagePipelines / DeleteImagePipeline."""

from __future__ import annotations

from typing import Any

from ..errors import ApiError, ErrorKind, ProviderError
from ..models.content import normalize_text, split
from ..models.template import ImageTemplateState
from .base import CatalogLifecycle, gone_is_fine
from . import executions, images, service


DELETE_TIMEOUT = 3600.0  # seconds a delete waits for a running build of the template to end


class TemplateLifecycle(CatalogLifecycle[ImageTemplateState]):
    STATE = ImageTemplateState
    CREATE, CATALOG = "CreateImagePipeline", service.TEMPLATES

    def found(self, state: ImageTemplateState, item: dict[str, Any]) -> dict[str, Any]:
        """Content keeps the program's split into raw content and components while the
        rendered text is unchanged; otherwise the leading COMPONENT lines become components."""
        found = super().found(state, item)
        found["repair_mode"] = found.get("repair_mode") or "off"
        given = state.given()
        try:
            mine = self.parse(state)
        except ProviderError:  # no usable inputs (a lookup by id): take the service's split
            mine = None
        for which, key in (("build", "BuildContent"), ("test", "TestContent")):
            theirs = item.get(key)
            if mine is not None and normalize_text(mine.rendered(which)) == normalize_text(theirs):
                found[f"{which}_content"] = given.get(f"{which}_content")
                found[f"{which}_components"] = given.get(f"{which}_components")
            else:
                components, rest = split(theirs)
                found[f"{which}_content"], found[f"{which}_components"] = rest, components or None
        return found

    def delete(self, id_: str, state: ImageTemplateState) -> None:
        """Delete once no build runs. A build still running here is owned by no ImageBuild of
        this stack (destroy deletes those first), e.g. one an interrupted `pulumi up` left: its
        images outlive the template, so they are named before its records go."""
        region = self.region_of(state)
        deadline = self.deadline(DELETE_TIMEOUT)
        while True:
            try:
                self.api.call("DeleteImagePipeline", {"ImagePipelineId": id_}, region=region)
                return
            except ApiError as error:
                if gone_is_fine(error):
                    return
                if error.kind is not ErrorKind.CONFLICT:
                    raise
            running = executions.running(self.api, region, id_)
            self.progress(f"ImageTemplate {id_}: a build is running ("
                          f"{', '.join(e['ExecutionId'] for e in running) or 'ending'}); waiting "
                          "for it to end before deleting the template")
            executions.wait_until_idle(self.api, id_, region, self.backoff, deadline,
                                       sleep=self.sleep)
            for execution in running:
                self._report(id_, region, execution)

    def _report(self, id_: str, region: str, execution: dict[str, Any]) -> None:
        """Say what a build that ran while the template was being deleted left behind."""
        execution = (service.describe_execution(self.api, region, execution["ExecutionId"])
                     or execution)
        _home, made = images.made_by(self.api, region, self.describe(region, id_),
                                     execution)
        what = (f"made {images.listing(made)}; they are kept (deleting a template never deletes "
                "images): delete them with DeleteImage (after unsharing) if nothing needs them"
                if made else "left no image")
        self.progress(f"ImageTemplate {id_}: build {execution['ExecutionId']}, which no "
                      f"ImageBuild of this stack records (e.g. left by an interrupted `pulumi up`)"
                      f", ended {execution.get('Status')} and {what}")
