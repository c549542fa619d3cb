"""ImageBuild lifecycle: run a template's build to its real end and own the images it made."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from ..errors import ApiError, BuildFailed, ProviderError, WaitTimeout
from ..models.base import unwrap_list
from ..models.build import DEFAULT_TIMEOUT, ImageBuildInputs, ImageBuildOutputs, parse_duration
from ..poller import Watch, poller_for
from ..waiter import Deadline, Schedule, wait
from . import executions, images
from .base import Created, Lifecycle, Observed
from .executions import BUILD_DONE, BUILT, FAILED, RUNNING
from .template import TemplateLifecycle

EARLIER_RUNS = 50  # how many finished-but-unusable builds of one key a create walks past
CANCEL_GRACE = 600.0  # seconds a cancelled build gets to stop
HINTS = {
    "FAILED": "Fix the template (see the messages above) and run `pulumi up` again: a new build "
              "starts.",
    "TEST_FAILED": "The image was built but its test content failed; fix the image or the tests "
                   "and run `pulumi up` again.",
    "CANCELLED": "The build was cancelled outside Pulumi; run `pulumi up` to start a new one.",
    "PARTITION_SUCCESS": "Set accept_partial_success=True to keep such a build.",
    "SUCCESS": "The build succeeded but these copies never became usable before the timeout.",
}


def client_token(model: ImageBuildInputs, attempt: int) -> str:
    """The idempotency token of a build: the SDK's stable key (project/stack/resource name),
    the template and the triggers (and which earlier unusable run this create walks past).
    The same program retried or resumed sends the same token, so it adopts its build."""
    seed = json.dumps({"key": model.build_key or "", "template": model.template_id,
                       "triggers": model.triggers or {}, "attempt": attempt}, sort_keys=True)
    return hashlib.sha256(seed.encode()).hexdigest()  # 64 ASCII characters, the API's limit


def _regions(template: dict[str, Any] | None) -> list[str]:
    return [str(r) for r in unwrap_list((template or {}).get("ToRegionIds"))]


def _listing(image_ids: dict[str, str]) -> str:
    return ", ".join(f"{image_id} ({region})" for region, image_id in sorted(image_ids.items()))


class BuildLifecycle(Lifecycle):
    INPUTS = ImageBuildInputs

    # ------------------------------------------------------------------ create

    def create(self, props: dict[str, Any]) -> Created:
        model = self.parse(props)
        region = self.region_of(props)
        deadline = Deadline(model.timeout)
        template = self._template(model.template_id, region)
        schedule = Schedule(self.backoff)  # one poll schedule from start to the last copy
        with self._adopt_or_start(model, region, deadline) as watch:
            execution = self._await(model, region, template, watch, schedule, deadline)
        outs = self._outputs(model, region, template, execution, schedule, deadline)
        return Created(execution["ExecutionId"], {**self.inputs_of(props), **outs,
                                                  "region": region})

    def _template(self, template_id: str, region: str) -> dict[str, Any]:
        template = TemplateLifecycle.describe(self.api, template_id, region)
        if template is None:
            raise ProviderError(f"ImageBuild: template {template_id} does not exist in {region}; "
                                "check template_id and region")
        return template

    def _adopt_or_start(self, model: ImageBuildInputs, region: str,
                        deadline: Deadline) -> Watch:
        """The build to follow, watched by the process's status poller (whose first look at it
        tells a new build from an earlier run's)."""
        for attempt in range(EARLIER_RUNS):
            execution_id = self._start(model, region, client_token(model, attempt), deadline)
            watch = poller_for(self.api, region).watch(execution_id)
            try:
                execution = watch.observe()
                if execution is None:
                    raise ProviderError(f"build {execution_id} was started but cannot be found")
                if self._usable_run(model, region, execution):
                    return watch
            except BaseException:
                watch.close()
                raise
            watch.close()
            self.progress(f"build {execution_id} of an earlier run ended "
                          f"{execution.get('Status')}; starting a new build")
        raise ProviderError(f"ImageBuild: {EARLIER_RUNS} earlier builds of template "
                            f"{model.template_id} with these triggers failed; change `triggers`")

    def _usable_run(self, model: ImageBuildInputs, region: str, execution: dict) -> bool:
        """Is this build (maybe started by an interrupted earlier run) ours to follow?"""
        status = execution.get("Status")
        if status in RUNNING:
            return True
        if status == "SUCCESS" or (status == "PARTITION_SUCCESS" and model.accept_partial_success):
            image_id = execution.get("ImageId")
            return bool(image_id) and images.describe(self.api, region, image_id) is not None
        return False

    def _start(self, model: ImageBuildInputs, region: str, token: str,
               deadline: Deadline) -> str:
        params = {**model.to_api(), "ClientToken": token}
        while True:
            try:
                return self.api.call("StartImagePipelineExecution", params,
                                     region=region)["ExecutionId"]
            except ApiError as error:
                if error.code != "InvalidImagePipeline.HasRunningExecution":
                    raise self.in_properties(error) from None
            self.progress(f"template {model.template_id} is running another build; this build "
                          "starts when it ends")
            try:
                executions.wait_until_idle(self.api, model.template_id, region, self.backoff,
                                           deadline)
            except WaitTimeout as timeout:
                raise ProviderError(f"ImageBuild: {timeout}; nothing was started. Raise "
                                    "`timeout` or cancel the other build.") from None

    def _await(self, model: ImageBuildInputs, region: str, template: dict[str, Any],
               watch: Watch, schedule: Schedule, deadline: Deadline) -> dict[str, Any]:
        execution_id = watch.execution_id

        def report(current: dict[str, Any] | None) -> None:
            if current:
                message = f" - {current['Message']}" if current.get("Message") else ""
                self.progress(f"build {execution_id}: {current.get('Status')}{message}")

        try:
            outcome = wait(BUILD_DONE, watch.latest, backoff=schedule, deadline=deadline,
                           on_progress=report, sleep=watch.refresh_after,
                           on_timeout=lambda _last: self._cancel(region, execution_id))
        except WaitTimeout as timeout:
            final = (executions.describe(self.api, region, execution_id) or {}).get("Status")
            cleanup = self._cleanup(model, region, template, execution_id)
            raise ProviderError(f"ImageBuild {execution_id}: {timeout} The build was cancelled "
                                f"(it ended {final}). {cleanup}") from None
        if outcome.state == "failure":
            raise ProviderError(f"build {execution_id} disappeared while running: was template "
                                f"{model.template_id} deleted?")
        if outcome.value["Status"] in FAILED:
            raise self._failed(model, region, template, outcome.value)
        return outcome.value

    def _cancel(self, region: str, execution_id: str) -> None:
        self.progress(f"build {execution_id}: cancelling")
        executions.cancel(self.api, region, execution_id)
        try:
            wait(BUILD_DONE, lambda: executions.describe(self.api, region, execution_id),
                 backoff=self.backoff, deadline=Deadline(CANCEL_GRACE))
        except WaitTimeout:
            self.progress(f"build {execution_id}: still not stopped after {CANCEL_GRACE:g}s")

    def _outputs(self, model: ImageBuildInputs, region: str, template: dict[str, Any],
                 execution: dict[str, Any], schedule: Schedule,
                 deadline: Deadline) -> dict[str, Any]:
        """Find every region's copy of a built image and wait until each is usable."""
        status, image_id = execution["Status"], execution.get("ImageId")
        try:
            home = wait(images.USABLE, lambda: images.describe(self.api, region, image_id),
                        backoff=schedule, deadline=deadline).value if image_id else None
        except WaitTimeout:
            home = None
        if not home or home.get("Status") in images.BROKEN:
            raise self._failed(model, region, template, execution, [region])
        located = images.locate(self.api, _regions(template), home["ImageName"],
                                backoff=schedule, deadline=deadline,
                                expect_all=status == "SUCCESS", progress=self.progress)
        if (located.missing or status != "SUCCESS") and not (
                status == "PARTITION_SUCCESS" and model.accept_partial_success):
            raise self._failed(model, region, template, execution, located.missing)
        image_ids = {region: image_id, **located.image_ids}
        self.progress(f"build {execution['ExecutionId']}: {status}; images {_listing(image_ids)}")
        return self._describe_outputs(region, template, execution, home, image_ids,
                                      located.missing)

    def _describe_outputs(self, region: str, template: dict[str, Any] | None,
                          execution: dict[str, Any], home: dict[str, Any],
                          image_ids: dict[str, str], missing: list[str]) -> dict[str, Any]:
        status = execution.get("Status")
        shares = unwrap_list((template or {}).get("AddAccounts"))  # none: no call to ask
        shared = images.shared_accounts(self.api, region, home["ImageId"]) if shares else []
        return ImageBuildOutputs(
            execution_id=execution["ExecutionId"], status=status, image_id=home["ImageId"],
            image_name=home.get("ImageName"), image_ids=image_ids,
            shared_account_ids=shared,
            missing_regions=sorted(missing), message=execution.get("Message"),
            creation_time=execution.get("CreationTime"),
            finished_time=execution.get("ModifiedTime") if status not in RUNNING else None,
        ).model_dump()

    # ------------------------------------------------------------------ failure

    def _failed(self, model: ImageBuildInputs, region: str, template: dict[str, Any],
                execution: dict[str, Any], missing: list[str] | None = None) -> BuildFailed:
        status = execution.get("Status", "")
        return BuildFailed(
            execution["ExecutionId"], status, execution.get("ErrorCode"),
            execution.get("ErrorInfo"), execution.get("Message"), sorted(missing or []),
            hint=HINTS.get(status, ""),
            cleanup=self._cleanup(model, region, template, execution["ExecutionId"]))

    def _images_of(self, region: str, template: dict[str, Any] | None,
                   execution: dict[str, Any] | None) -> tuple[dict[str, Any], dict[str, str]]:
        """The home image and region -> image id of everything a build made (found by id and
        by name); nothing when the home image does not exist."""
        image_id = (execution or {}).get("ImageId")
        home = images.describe(self.api, region, image_id) if image_id else None
        if home is None:
            return {}, {}
        copies = images.each_region(
            lambda r: (r, images.find_copy(self.api, r, home["ImageName"])), _regions(template))
        return home, {region: image_id, **{r: c["ImageId"] for r, c in copies if c}}

    def _cleanup(self, model: ImageBuildInputs, region: str, template: dict[str, Any],
                 execution_id: str) -> str:
        """Leave nothing billed after a failed build (unless keep_failed_images)."""
        _home, made = self._images_of(region, template,
                                      executions.describe(self.api, region, execution_id))
        if not made:
            return "It left no image."
        if model.keep_failed_images:
            return f"Its images were kept (keep_failed_images): {_listing(made)}."
        try:
            images.remove(self.api, made, backoff=self.backoff, deadline=Deadline(CANCEL_GRACE))
        except ProviderError as error:
            return f"Removing its images failed ({error}); delete them by hand: {_listing(made)}."
        return f"Its images were unshared and deleted: {_listing(made)}."

    # ------------------------------------------------------------------ read

    def read(self, id_: str, state: dict[str, Any]) -> Observed:
        region = self.region_of(state)
        execution = executions.describe(self.api, region, id_)
        outs = {**state, "region": region}
        image_ids = dict(state.get("image_ids") or {})
        if execution is not None:
            outs.update(status=execution.get("Status"), message=execution.get("Message"))
            if not image_ids and execution.get("Status") in BUILT:  # a lookup by id
                outs.update(self._lookup(region, execution))
                image_ids = outs["image_ids"]
        there = images.each_region(lambda item: self._exists(*item), sorted(image_ids.items()))
        present = {r: i for (r, i), ok in zip(sorted(image_ids.items()), there) if ok}
        if not present:
            return Observed(None)
        outs["image_ids"] = present
        outs["missing_regions"] = sorted(set(state.get("missing_regions") or [])
                                         | (set(image_ids) - set(present)))
        return Observed(id_, outs, self.refreshed_inputs(outs))

    def _exists(self, region: str, image_id: str) -> bool:
        image = images.describe(self.api, region, image_id)
        return image is not None and image.get("Status") not in images.BROKEN

    def _lookup(self, region: str, execution: dict[str, Any]) -> dict[str, Any]:
        template_id = execution.get("ImagePipelineId")
        template = TemplateLifecycle.describe(self.api, template_id, region)
        home, image_ids = self._images_of(region, template, execution)
        if not home:
            return {"image_ids": {}}
        missing = sorted(set(_regions(template)) - set(image_ids))
        return {"template_id": template_id,
                **self._describe_outputs(region, template, execution, home, image_ids, missing)}

    # ------------------------------------------------------------------ update / delete

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
        """Only provider-side settings change in place (the diff replaces for anything else)."""
        self.parse(news)
        kept = {k: v for k, v in olds.items() if k not in self.input_keys()}
        return {**kept, **self.inputs_of(news), "region": olds.get("region")}

    def delete(self, id_: str, state: dict[str, Any]) -> None:
        region = self.region_of(state)
        execution = executions.describe(self.api, region, id_)
        if execution is not None and execution.get("Status") in RUNNING:
            self._cancel(region, id_)
        image_ids = dict(state.get("image_ids") or {})
        if not image_ids:
            return
        if not state.get("delete_images_on_destroy"):
            self.progress(f"build {id_}: images kept (delete_images_on_destroy is false): "
                          f"{_listing(image_ids)}")
            return
        timeout = parse_duration(state.get("timeout") or DEFAULT_TIMEOUT)
        images.remove(self.api, image_ids, backoff=self.backoff, deadline=Deadline(timeout),
                      unshare=state.get("shared_account_ids") != [])  # [] : shared with none
        self.progress(f"build {id_}: images unshared and deleted: {_listing(image_ids)}")
