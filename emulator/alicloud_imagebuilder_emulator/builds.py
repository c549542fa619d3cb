"""A build (image pipeline execution), phase by phase on the clock (docs/service-notes.md §5).

Starting a build plans its whole timeline as events; the backend applies the events that are
due each time state is read, so statuses follow the clock with no background thread.
With ``p`` = phase_seconds and ``t0`` the start::

    PREPARING      t0        build instance (and transition VPC) created
    REPAIRING      +p        only when RepairMode is set
    BUILDING       +p        at mid-phase: the home image exists (Creating) or the build FAILs;
                             at the end of the phase the image is Available
    TESTING        +p        only with TestContent; TEST_FAILED at the end of the phase
    DISTRIBUTING   +p        only with ToRegionId/AddAccount: copies start (Creating), images
                             shared; at the end of the phase copies are Available and shared
    RELEASING      +p        intermediate resources released at the end of the phase
    SUCCESS                  (or PARTITION_SUCCESS); the home image becomes Usable, the copies
                             one more phase later (assumptions.COPY_USABLE_DELAY_PHASES)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from . import assumptions
from .context import Context
from .models import Execution, Image, Instance, Pipeline, RegionState, TransitionVpc
from .outcomes import StepFailure, first_failure

RUNNING_STATUSES = ("PREPARING", "REPAIRING", "BUILDING", "TESTING", "DISTRIBUTING", "RELEASING",
                    "CANCELLING")
TERMINAL_STATUSES = ("SUCCESS", "PARTITION_SUCCESS", "FAILED", "TEST_FAILED", "CANCELLED")
ALL_STATUSES = RUNNING_STATUSES + TERMINAL_STATUSES
CANCELLABLE_STATUSES = ("PREPARING", "REPAIRING", "BUILDING")


@dataclass(order=True)
class Event:
    at: float
    order: int
    apply: Callable[[float], None] = field(compare=False)


class Build:
    """The timeline and side effects of one execution."""

    def __init__(self, ctx: Context, pipeline: Pipeline, execution: Execution,
                 phase_seconds: float) -> None:
        self.ctx = ctx
        self.pipeline = pipeline
        self.execution = execution
        self.phase = phase_seconds
        self.events: list[Event] = []
        self.instance_ids: list[str] = []
        self.vpc_id: str | None = None
        self.copy_ids: list[str] = []
        self.failed_regions: list[str] = []
        self.build_failure = first_failure(pipeline.build_steps, pipeline.internet)
        self.test_failure = first_failure(pipeline.test_steps, pipeline.internet)

    # -- timeline --------------------------------------------------------------------------
    def start(self, t0: float) -> None:
        spec, p = self.pipeline.spec, self.phase
        self._prepare(t0)
        phases: list[tuple[str, Callable[[float], None], Callable[[float], None] | None]] = []
        if spec.repair_mode:
            phases.append(("REPAIRING", self._enter_repairing, None))
        phases.append(("BUILDING", self._enter_building, self._image_available))
        if self.pipeline.test_steps:
            phases.append(("TESTING", self._enter_testing, self._test_result))
        if self._distributes:
            phases.append(("DISTRIBUTING", self._distribute, self._copies_available))
        phases.append(("RELEASING", self._enter_releasing, self._finish))
        # a phase's end is exactly the next one's start
        bounds = [t0 + k * p for k in range(len(phases) + 2)]
        for index, (status, enter, leave) in enumerate(phases, start=1):
            self._at(bounds[index], enter)
            if status == "BUILDING":
                self._at(bounds[index] + p / 2, self._build_result)
            if leave is not None:  # inserted before the next phase's entry: applied first on a tie
                self._at(bounds[index + 1], leave)

    @property
    def done(self) -> bool:
        return not self.events

    def step(self) -> None:
        """Apply the earliest due event."""
        event = self.events.pop(0)
        event.apply(event.at)

    def _at(self, at: float, apply: Callable[[float], None]) -> None:
        self.events.append(Event(at, self.ctx.next_seq(), apply))
        self.events.sort()

    def cancel(self, at: float) -> None:
        self.events.clear()
        self._set(at, "CANCELLING", "Cancelling the image build: stopping the build instance.")
        self._at(at + self.phase, self._cancelled)

    # -- effects ---------------------------------------------------------------------------
    @property
    def _distributes(self) -> bool:
        spec = self.pipeline.spec
        return bool(spec.to_region_ids or spec.add_accounts)

    @property
    def _region(self) -> RegionState:
        return self.ctx.region(self.pipeline.region_id)

    def _set(self, at: float, status: str, message: str) -> None:
        self.execution.status = status
        self.execution.message = message
        self.execution.modified = at

    def _new_instance(self, at: float, role: str) -> str:
        instance_id = self.ctx.ids.new("i-")
        self._region.instances[instance_id] = Instance(
            instance_id, self.pipeline.region_id, self.execution.execution_id,
            self.pipeline.pipeline_id, role, at
        )
        self.instance_ids.append(instance_id)
        return instance_id

    def _prepare(self, at: float) -> None:
        notes = []
        if not self.pipeline.spec.vswitch_id:
            self.vpc_id = self.ctx.ids.new("vpc-")
            self._region.vpcs[self.vpc_id] = TransitionVpc(
                self.vpc_id, self.ctx.ids.new("vsw-"), self.pipeline.region_id,
                self.execution.execution_id, at
            )
            notes.append(f'Create transition vpc "{self.vpc_id}" success!')
        instance_id = self._new_instance(at, "build")
        notes.append(f'Create instance "{instance_id}" success!')
        self._set(at, "PREPARING", " ".join(notes))

    def _enter_repairing(self, at: float) -> None:
        spec = self.pipeline.spec
        items = ", ".join(spec.repair_items) if spec.repair_items else "standard items"
        self._set(at, "REPAIRING",
                  f"Checking and repairing the base image (RepairMode {spec.repair_mode}: "
                  f"{items}).")

    def _enter_building(self, at: float) -> None:
        count = len(self.pipeline.build_steps)
        self._set(at, "BUILDING",
                  f'Running {count} build command(s) on instance "{self.instance_ids[0]}".')

    def _build_result(self, at: float) -> None:
        if self.build_failure is not None:
            self._fail(at, "FAILED", self.build_failure, "BuildContent")
            return
        name = self._image_name()
        if (self.pipeline.spec.name_suffix_disabled
                and self.ctx.image_name_taken(self.pipeline.region_id, name)):
            self._fail_with(at, "FAILED", "InvalidImageName.Duplicated",
                            f"An image named {name!r} already exists in {self.pipeline.region_id}; "
                            "ImageNameSuffix=disable needs a free name.")
            return
        image = self._new_image(at, self.pipeline.region_id, name, source_image_id="")
        self.execution.image_id = image.image_id
        self._set(at, "BUILDING", f'Create image "{image.image_id}" ({name}) in progress.')

    def _image_available(self, at: float) -> None:
        image = self._home_image()
        if image is not None:
            image.status = "Available"

    def _enter_testing(self, at: float) -> None:
        instance_id = self._new_instance(at, "test")
        count = len(self.pipeline.test_steps)
        self._set(at, "TESTING", f'Running {count} test command(s) on instance "{instance_id}".')

    def _test_result(self, at: float) -> None:
        if self.test_failure is not None:
            self._fail(at, "TEST_FAILED", self.test_failure, "TestContent")

    def _distribute(self, at: float) -> None:
        spec, home = self.pipeline.spec, self._home_image()
        if home is not None:
            self._share(home, at)
            for region_id in dict.fromkeys(spec.to_region_ids):  # a repeated region counts once
                if region_id == self.pipeline.region_id:
                    continue  # the home region already has the image (ASSUMPTIONS["copies"])
                if region_id in self.ctx.settings.fail_distribution_to or (
                    self.ctx.image_name_taken(region_id, home.name)
                ):
                    self.failed_regions.append(region_id)
                    continue
                copy = self._new_image(at, region_id, home.name, source_image_id=home.image_id)
                home.copy_ids.append(copy.image_id)
                self.copy_ids.append(copy.image_id)
        targets = ", ".join(spec.to_region_ids) or "no other region"
        self._set(at, "DISTRIBUTING", f"Distributing the image to {targets}; sharing with "
                                      f"{len(spec.add_accounts)} account(s).")

    def _copies_available(self, at: float) -> None:
        for image in self._copies():
            image.status = "Available"
            self._share(image, at)

    def _enter_releasing(self, at: float) -> None:
        self._set(at, "RELEASING",
                  "Releasing the intermediate instances: " + ", ".join(self.instance_ids) + ".")

    def _finish(self, at: float) -> None:
        release_failed = self.ctx.settings.release_failure
        if not release_failed:
            self._release()
        home = self._home_image()
        if home is not None:
            home.usable = True
        problems = []
        if self.failed_regions:
            problems.append(f"Copying the image to {', '.join(self.failed_regions)} failed.")
        if release_failed:
            temporary = self.instance_ids + ([self.vpc_id] if self.vpc_id else [])
            problems.append(f"The temporary resources of the build ({', '.join(temporary)}) could "
                            "not be released.")
        if problems:
            self.execution.error_code = (assumptions.CODE_PARTITION if self.failed_regions
                                         else assumptions.CODE_RELEASE_FAILED)
            self.execution.error_info = info = " ".join(problems)
            self._set(at, "PARTITION_SUCCESS",
                      f'Image "{self.execution.image_id}" built, but: {info}')
        else:
            self._set(at, "SUCCESS",
                      f'Image pipeline execution succeeded: image "{self.execution.image_id}".')
        if self.copy_ids:
            self._at(at + self.phase * assumptions.COPY_USABLE_DELAY_PHASES, self._copies_usable)

    def _copies_usable(self, at: float) -> None:
        for image in self._copies():
            image.usable = True

    def _cancelled(self, at: float) -> None:
        home = self._home_image()
        if home is not None:
            self.ctx.remove_image(home)
        self._release()
        self._set(at, "CANCELLED",
                  "The image build was cancelled; its image and instances were removed.")

    # -- helpers ---------------------------------------------------------------------------
    def _fail(self, at: float, status: str, found: StepFailure, field_name: str) -> None:
        where = f"line {found.command.line} of {field_name} ({found.command.text!r})"
        if found.detail:
            where += f", {found.detail}"
        code = assumptions.CODE_NO_INTERNET if found.failure.no_internet else (
            assumptions.CODE_BUILD_FAILED if status == "FAILED" else assumptions.CODE_TEST_FAILED)
        self._fail_with(at, status, code, f"{where}: {found.failure.reason}.")

    def _fail_with(self, at: float, status: str, code: str, info: str) -> None:
        self.events.clear()
        self.execution.error_code = code
        self.execution.error_info = info
        home = self._home_image()
        if home is not None and status == "TEST_FAILED":
            home.usable = True  # assumptions: a TEST_FAILED image is kept and launchable
        if self.pipeline.delete_instance_on_failure:
            self._release()
        label = "Build" if status == "FAILED" else "Test"
        self._set(at, status, f"{label} failed: {info}")

    def _release(self) -> None:
        region = self._region
        for instance_id in self.instance_ids:
            region.instances.pop(instance_id, None)
        if self.vpc_id:
            region.vpcs.pop(self.vpc_id, None)

    def _image_name(self) -> str:
        prefix = self.pipeline.spec.image_name_prefix
        if not prefix:
            return self.execution.execution_id
        if self.pipeline.spec.name_suffix_disabled:
            return prefix
        return f"{prefix}_{self.execution.execution_id}"

    def _new_image(self, at: float, region_id: str, name: str, source_image_id: str) -> Image:
        options = self.pipeline.spec.image_options
        image = Image(
            image_id=self.ctx.ids.new("m-"), region_id=region_id, seq=self.ctx.next_seq(),
            created=at, name=name, description=options.description or "",
            family=self.pipeline.spec.effective_image_family or "",
            base=replace(self.pipeline.base, size=self.pipeline.system_disk_size),
            tags=options.image_tags, resource_group_id=self.pipeline.resource_group_id,
            execution_id=self.execution.execution_id, snapshot_id=self.ctx.ids.new("s-"),
            source_image_id=source_image_id,
        )
        self.ctx.region(region_id).images[image.image_id] = image
        return image

    def _home_image(self) -> Image | None:
        if not self.execution.image_id:
            return None
        return self._region.images.get(self.execution.image_id)

    def _copies(self) -> list[Image]:
        found = (self.ctx.find_image(image_id) for image_id in self.copy_ids)
        return [image for image in found if image is not None]

    def _share(self, image: Image, at: float) -> None:
        for account in self.pipeline.spec.add_accounts:
            image.shared_with.setdefault(account, at)
