"""ImageBuild lifecycle: run a template's build to its real end and own the images it made."""

from __future__ import annotations

from typing import Any, Callable

from ..errors import (TEMPLATE_BUSY, ApiError, BuildFailed, Interrupted, ProviderError,
                      WaitTimeout)
from ..models.base import unwrap_list
from ..models.build import (DEFAULT_TIMEOUT, ImageBuildInputs, ImageBuildOutputs, ImageBuildState,
                            parse_duration)
from ..poller import Watch, poller_for
from ..waiter import Deadline, Schedule, pause, wait
from . import base, executions, images, service
from .base import Created, Lifecycle, Observed
from .executions import BUILD_DONE, BUILT, FAILED, RUNNING

EARLIER_RUNS = 50  # how many finished-but-unusable builds of one key a create walks past
CANCEL_GRACE = 600.0  # seconds a cancelled build gets to stop (and its images to go)
DELETE_TIMEOUT = DEFAULT_TIMEOUT  # a delete of a state without `timeout` waits as long as a build
HINTS = {
    "FAILED": "Fix the template (see the messages above) and run `pulumi up` again: a new build "
              "starts.",
    "TEST_FAILED": "The image was built but its test content failed; fix the image or the tests "
                   "and run `pulumi up` again.",
    "CANCELLED": "The build was cancelled outside Pulumi; run `pulumi up` to start a new one.",
    "PARTITION_SUCCESS": "Set accept_partial_success=True to keep such a build.",
}


def client_token(model: ImageBuildInputs, identity: str | None, attempt: int) -> str:
    """The idempotency token of a build: the resource's identity, every parameter of the call
    (template and tags) and the triggers (see :func:`.base.client_token`)."""
    return base.client_token(identity, {**model.to_api(), "triggers": model.triggers or {}},
                             attempt)


class BuildLifecycle(Lifecycle[ImageBuildState]):
    STATE = ImageBuildState

    # ------------------------------------------------------------------ create

    def create(self, news: ImageBuildState,
               identity: str | None = None) -> Created[ImageBuildState]:
        """Start a build (or adopt the one an interrupted run of ``identity`` started) and
        follow it to its end and its images' copies. Interrupted, it hands back the state of
        the build it follows (execution, status), for the next run to resume."""
        news = self.placed(news.inputs())
        model, region = self.parse(news), self.region_of(news)
        deadline = self.deadline(model.timeout)
        template = self._template(model.template_id, region)
        schedule = Schedule(self.backoff)  # one poll schedule from start to the last copy
        watch = self._adopt_or_start(model, identity, region, template, deadline)
        try:
            with watch:
                execution = self._await(model, region, template, watch, schedule, deadline)
            outs = self._outputs(model, region, template, execution, schedule, deadline)
        except Interrupted as stop:  # the build goes on: hand it back for the next run
            seen = watch.observation or {}
            stop.partial = Created(watch.execution_id, news.model_copy(update={
                "execution_id": watch.execution_id, "status": seen.get("Status")}))
            raise
        return Created(execution["ExecutionId"], news.model_copy(update=outs))

    def _template(self, template_id: str, region: str) -> dict[str, Any]:
        template = service.describe_template(self.api, region, template_id)
        if template is None:
            raise ProviderError(f"ImageBuild: template {template_id} does not exist in {region}; "
                                "check template_id and region")
        return template

    def _adopt_or_start(self, model: ImageBuildInputs, identity: str | None, region: str,
                        template: dict[str, Any], deadline: Deadline) -> Watch:
        """The build to follow, watched by the process's status poller (whose first look at it
        tells a new build from an earlier run's)."""
        for attempt in range(EARLIER_RUNS):
            execution_id = self._start(model, region, client_token(model, identity, attempt),
                                       deadline)
            watch = poller_for(self.api, region).watch(execution_id)
            try:
                execution = watch.observe()
                if execution is None:
                    raise ProviderError(f"build {execution_id} was started but cannot be found")
                if self._usable_run(model, region, template, execution):
                    return watch
            except BaseException:
                watch.close()
                raise
            watch.close()
            self.progress(f"build {execution_id} of an earlier run ended "
                          f"{execution.get('Status')}; starting a new build")
        raise ProviderError(f"ImageBuild: {EARLIER_RUNS} earlier builds of template "
                            f"{model.template_id} with these triggers failed; change `triggers`")

    def _usable_run(self, model: ImageBuildInputs, region: str, template: dict[str, Any],
                    execution: dict[str, Any]) -> bool:
        """Is this build (maybe started by an interrupted earlier run) ours to follow? A build
        that succeeded is, as long as its image exists (its copies are awaited again); a partial
        one when accepted or when every copy is there after all."""
        status = execution.get("Status")
        if status in RUNNING:
            return True
        if status not in BUILT:
            return False
        home, image_ids = images.made_by(self.api, region, template, execution)
        if not home:
            return False
        return status == "SUCCESS" or model.accept_partial_success or not (
            set(images.regions(template)) - set(image_ids)
            or self._unshared(template, image_ids))

    def _start(self, model: ImageBuildInputs, region: str, token: str,
               deadline: Deadline) -> str:
        params = {**model.to_api(), "ClientToken": token}
        while True:
            try:
                return str(self.api.call("StartImagePipelineExecution", params,
                                         region=region)["ExecutionId"])
            except ApiError as error:
                if error.code != TEMPLATE_BUSY:
                    raise self.in_properties(error) from None
            self.progress(f"template {model.template_id} is running another build; this build "
                          "starts when it ends")
            try:
                executions.wait_until_idle(self.api, model.template_id, region, self.backoff,
                                           deadline, sleep=self.sleep)
            except WaitTimeout as timeout:
                raise ProviderError(f"ImageBuild: {timeout}; nothing was started. Raise "
                                    "`timeout` or cancel the other build.") from None

    def _await(self, model: ImageBuildInputs, region: str, template: dict[str, Any],
               watch: Watch, schedule: Schedule, deadline: Deadline) -> dict[str, Any]:
        execution_id = watch.execution_id
        execution = watch.observation or {"ExecutionId": execution_id}  # as first seen

        def report(current: dict[str, Any] | None) -> None:
            if current:
                message = f" - {current['Message']}" if current.get("Message") else ""
                self.progress(f"build {execution_id}: {current.get('Status')}{message}")

        try:
            outcome = wait(BUILD_DONE, watch.latest, backoff=schedule, deadline=deadline,
                           on_progress=report, sleep=self._refresh(watch),
                           on_timeout=lambda _last: self._cancel(region, execution_id))
        except WaitTimeout as timeout:
            final = service.describe_execution(self.api, region, execution_id) or {}
            if final.get("Status") in BUILT:
                raise ProviderError(
                    f"ImageBuild {execution_id}: {timeout} The build ended {final['Status']} as "
                    "it was being cancelled: its images were kept and the next `pulumi up` "
                    "adopts it.") from None
            cleanup = self._cleanup(model, region, template, final or execution)
            raise ProviderError(f"ImageBuild {execution_id}: {timeout} The build was cancelled "
                                f"(it ended {final.get('Status')}). {cleanup}") from None
        if outcome.state == "failure":
            raise ProviderError(
                f"ImageBuild {execution_id}: the build's record disappeared before it was seen "
                f"to end (was template {model.template_id} deleted?). "
                f"{self._cleanup(model, region, template, execution)}")
        if outcome.value["Status"] in FAILED:
            raise self._failed(model, region, template, outcome.value)
        finished: dict[str, Any] = outcome.value
        return finished

    def _refresh(self, watch: Watch) -> Callable[[float], None]:
        """The pause of the build's wait: on real time the process's poller observes the build
        after it (batched with other builds); with an injected ``sleep`` (a test's clock), that
        sleep, then an observation at once."""
        if self.sleep is pause:
            return watch.refresh_after

        def refresh(seconds: float) -> None:
            self.sleep(seconds)
            watch.observe()
        return refresh

    def _cancel(self, region: str, execution_id: str) -> None:
        self.progress(f"build {execution_id}: cancelling")
        executions.cancel(self.api, region, execution_id)
        try:
            wait(BUILD_DONE, lambda: service.describe_execution(self.api, region, execution_id),
                 backoff=self.backoff, deadline=self.deadline(CANCEL_GRACE), sleep=self.sleep)
        except WaitTimeout:
            self.progress(f"build {execution_id}: still not stopped after {CANCEL_GRACE:g}s")

    def _outputs(self, model: ImageBuildInputs, region: str, template: dict[str, Any],
                 execution: dict[str, Any], schedule: Schedule,
                 deadline: Deadline) -> dict[str, Any]:
        """Find every region's copy of a built image and wait until each is usable."""
        status, image_id = execution["Status"], execution.get("ImageId")
        partial = status == "PARTITION_SUCCESS"
        rejected = partial and not model.accept_partial_success
        try:
            home = (wait(images.USABLE, lambda: service.describe_image(self.api, region, image_id),
                         backoff=schedule, deadline=deadline, sleep=self.sleep).value
                    if image_id else None)
        except WaitTimeout:
            home = None
        if not home or home.get("Status") in images.BROKEN:
            if rejected:
                raise self._failed(model, region, template, execution, [region])
            raise self._not_found(execution, {}, [region])
        located = images.locate(self.api, images.regions(template), home["ImageName"],
                                execution.get("CreationTime"), backoff=schedule,
                                deadline=deadline, expect_all=not partial, sleep=self.sleep,
                                progress=self.progress)
        image_ids = {region: str(home["ImageId"]), **located.image_ids}
        unshared = self._unshared(template, image_ids) if partial else []
        if (located.missing or unshared) and rejected:
            raise self._failed(model, region, template, execution, located.missing, unshared)
        if located.missing and not partial:
            raise self._not_found(execution, image_ids, located.missing)
        if partial:
            lacking = ([f"no copy in {', '.join(sorted(located.missing))}"] if located.missing
                       else []) + ([f"not shared with every account: {', '.join(unshared)}"]
                                   if unshared else [])
            self.progress(f"warning: build {execution['ExecutionId']} ended PARTITION_SUCCESS "
                          f"({self._reported(execution)}); "
                          + ("; ".join(lacking) + " (accepted: accept_partial_success)"
                             if lacking else "every copy is present, usable and shared, so the "
                             "build counts as a success"))
        self.progress(f"build {execution['ExecutionId']}: {status}; images "
                      f"{images.listing(image_ids)}")
        return self._describe_outputs(region, template, execution, home, image_ids,
                                      located.missing)

    def _unshared(self, template: dict[str, Any], image_ids: dict[str, str]) -> list[str]:
        """The images not shared with every account the template shares with."""
        accounts = {str(a) for a in unwrap_list(template.get("AddAccounts"))}
        if not accounts:
            return []
        shared = images.each_region(
            lambda item: (item, set(images.shared_accounts(self.api, *item))),
            sorted(image_ids.items()))
        return [f"{image_id} ({region})" for (region, image_id), have in shared
                if accounts - have]

    @staticmethod
    def _reported(execution: dict[str, Any]) -> str:
        """What the service said about a build: its ErrorCode, ErrorInfo and Message."""
        said = [f"{label}: {execution[key]}" for label, key in
                (("ErrorCode", "ErrorCode"), ("ErrorInfo", "ErrorInfo"), ("Message", "Message"))
                if execution.get(key)]
        return "; ".join(said) or "no reason given"

    @staticmethod
    def _not_found(execution: dict[str, Any], found: dict[str, str],
                   missing: list[str]) -> ProviderError:
        """A build the service ended well whose images are not all found: keep everything."""
        return ProviderError(
            f"ImageBuild {execution['ExecutionId']}: the service reported "
            f"{execution.get('Status')}, but no usable image was found in "
            f"{', '.join(sorted(missing))} before the timeout (found: "
            f"{images.listing(found) or 'none'}). Every image was kept; run `pulumi up` again to "
            "pick up this same build and look for its copies again (raise `timeout` if copies "
            "take longer). Copies are found by name and creation time (see the docs' assumptions).")

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
                execution: dict[str, Any], missing: list[str] | None = None,
                unshared: list[str] | None = None) -> BuildFailed:
        status = execution.get("Status", "")
        lacking = (f"Not shared with every account of add_accounts: {', '.join(unshared)}. "
                   if unshared else "")
        return BuildFailed(
            execution["ExecutionId"], status, execution.get("ErrorCode"),
            execution.get("ErrorInfo"), execution.get("Message"), sorted(missing or []),
            hint=lacking + HINTS.get(status, ""),
            cleanup=self._cleanup(model, region, template, execution))

    def _cleanup(self, model: ImageBuildInputs, region: str, template: dict[str, Any],
                 execution: dict[str, Any]) -> str:
        """Leave nothing billed after a build that failed, was cancelled, was not accepted or
        lost its record (unless keep_failed_images). Never called for a build that succeeded."""
        execution_id = execution["ExecutionId"]
        _home, made = images.made_by(self.api, region, template, service.describe_execution(
            self.api, region, execution_id) or execution)
        if not made:
            return "It left no image."
        if model.keep_failed_images:
            return f"Its images were kept (keep_failed_images): {images.listing(made)}."
        try:
            images.remove(self.api, made, backoff=self.backoff,
                          deadline=self.deadline(CANCEL_GRACE), sleep=self.sleep)
        except ProviderError as error:
            return (f"Removing its images failed ({error}); delete them by hand: "
                    f"{images.listing(made)}.")
        return f"Its images were unshared and deleted: {images.listing(made)}."

    # ------------------------------------------------------------------ read

    def read(self, id_: str, state: ImageBuildState) -> Observed[ImageBuildState]:
        state = self.placed(state)
        region = self.region_of(state)
        execution = service.describe_execution(self.api, region, id_)
        seen: dict[str, Any] = {}
        image_ids = dict(state.image_ids or {})
        if execution is not None:
            seen.update(status=execution.get("Status"), message=execution.get("Message"))
            if not image_ids and execution.get("Status") in BUILT:  # a lookup by id
                seen.update(self._lookup(region, execution))
                image_ids = seen["image_ids"]
        there = images.each_region(lambda item: self._exists(*item), sorted(image_ids.items()))
        present = {r: i for (r, i), ok in zip(sorted(image_ids.items()), there, strict=True) if ok}
        if not present:
            return Observed(None, state, state)
        outs = state.model_copy(update={
            **seen, "image_ids": present, "missing_regions": sorted(
                set(state.missing_regions or []) | (set(image_ids) - set(present)))})
        return Observed(id_, outs, self.refreshed_inputs(outs))

    def _exists(self, region: str, image_id: str) -> bool:
        image = service.describe_image(self.api, region, image_id)
        return image is not None and image.get("Status") not in images.BROKEN

    def _lookup(self, region: str, execution: dict[str, Any]) -> dict[str, Any]:
        template_id = str(execution.get("ImagePipelineId"))
        template = service.describe_template(self.api, region, template_id)
        home, image_ids = images.made_by(self.api, region, template, execution)
        if not home:
            return {"image_ids": {}}
        missing = sorted(set(images.regions(template)) - set(image_ids))
        tags = self.INPUTS.from_api(execution).get("tags")  # create-only: the service's
        return {"template_id": template_id, **({"tags": tags} if tags else {}),
                **self._describe_outputs(region, template, execution, home, image_ids, missing)}

    # ------------------------------------------------------------------ update / delete

    def update(self, id_: str, olds: ImageBuildState, news: ImageBuildState) -> ImageBuildState:
        """Only provider-side settings change in place (the diff replaces for anything else;
        a change of `tags` is not applied)."""
        self.parse(news)
        return olds.outputs().model_copy(update=self.applied_inputs(olds, news).given())

    def delete(self, id_: str, state: ImageBuildState) -> None:
        region = self.region_of(state)
        execution = service.describe_execution(self.api, region, id_)
        if execution is not None and execution.get("Status") in RUNNING:
            self._cancel(region, id_)
        image_ids = dict(state.image_ids or {})
        if not image_ids:
            return
        if not state.delete_images_on_destroy:
            self.progress(f"build {id_}: images kept (delete_images_on_destroy is false): "
                          f"{images.listing(image_ids)}")
            return
        timeout = parse_duration(state.timeout or DELETE_TIMEOUT)
        # [] : shared with none; unknown (a state that does not say): unshare to be sure
        known = "shared_account_ids" in state.model_fields_set
        images.remove(self.api, image_ids, backoff=self.backoff, deadline=self.deadline(timeout),
                      sleep=self.sleep, unshare=not known or state.shared_account_ids != [])
        self.progress(f"build {id_}: images unshared and deleted: {images.listing(image_ids)}")
