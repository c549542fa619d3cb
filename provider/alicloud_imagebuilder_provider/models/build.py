"""ImageBuild: one run of a template, owning the images it made in every region."""

from __future__ import annotations

import re
from typing import Annotated, ClassVar, Optional, Union

from pydantic import AfterValidator, BaseModel, Field

from .base import ResourceInputs, ResourceState
from .component import REGION_DOC, Region
from .fields import CREATE_ONLY_TAGS, NonBlank, Prop, StringMap, Tags

DEFAULT_TIMEOUT = 3600.0
MAX_TIMEOUT = 48 * 3600.0
_DURATION = re.compile(r"^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s)?$")


def parse_duration(value: Union[float, str]) -> float:
    """Seconds from a number or a text such as ``"90"``, ``"90s"``, ``"30m"``, ``"1h30m"``."""
    seconds: float | None = None
    if isinstance(value, (int, float)):
        seconds = float(value)
    else:
        text = value.strip().lower()
        match = _DURATION.match(text)
        if re.fullmatch(r"\d+(?:\.\d+)?", text):
            seconds = float(text)
        elif text and match:
            hours, minutes, secs = (float(g) if g else 0.0 for g in match.groups())
            seconds = hours * 3600 + minutes * 60 + secs
    if seconds is None or not 0 < seconds <= MAX_TIMEOUT:
        raise ValueError(f"must be a duration above 0 and up to 48h, as seconds (1800) or text "
                         f"(\"90s\", \"30m\", \"1h30m\"); got {value!r}")
    return seconds


class ImageBuildInputs(ResourceInputs):
    RESOURCE: ClassVar[str] = "ImageBuild"
    PROVIDER_SIDE: ClassVar[tuple[str, ...]] = (
        "triggers", "timeout", "accept_partial_success", "delete_images_on_destroy",
        "keep_failed_images")
    DESCRIPTION: ClassVar[str] = (
        "One build of an image template, run to its end: `pulumi up` waits for the build, finds "
        "the image's copy in every distribution region and waits until each is usable, then "
        "outputs `image_ids` (region to image id). Changing `template_id`, `triggers` or `region` "
        "runs a new build (replacement); a change of `tags` never does. A failed build leaves no "
        "image behind unless `keep_failed_images`. On destroy a running build is cancelled; "
        "the images are kept "
        "unless `delete_images_on_destroy` is true.")
    NOTES: ClassVar[tuple[str, ...]] = (
        "Idempotency: the build's ClientToken is the SHA-256 of the resource's identity (set by "
        "the SDK: project, stack, parent, name), every parameter the call sends (`template_id`, "
        "`tags`) and `triggers`, so a retried or resumed `pulumi up` (after Ctrl-C or a crash) "
        "adopts the build it started instead of starting another, and a build with any other "
        "input never adopts it. A build of that token that already failed (or whose images are "
        "gone) is walked past with the next token, so `pulumi up` after a failure starts a new "
        "build.",
        "Ctrl-C: the provider stops waiting at once and cancels nothing; the build goes on in "
        "the service and the next `pulumi up` adopts it.",
        "Queue: when the template is running another build, this one waits for it to end "
        "(within `timeout`), then starts.",
        "Progress: every status change and message is printed to stderr, which `pulumi up` shows.",
        "Copies (ASSUMPTION): the service documents no per-region output; "
        "DescribeImagePipelineExecutions returns only the home region's ImageId. A region's copy "
        "is taken to be the image of exactly the same name (found with DescribeImages(RegionId, "
        "ImageName, ImageOwnerAlias=self)) created no earlier than the build started. Evidence: "
        "the error `InvalidImageName.Duplicated` says the name is \"already in use in the target "
        "region\". The lookup is one function (`find_copy` in the provider's `resources/images.py`"
        "), to replace when the service documents its copies. `pulumi up` waits until every copy "
        "and the image itself are `Usable`.",
        "A successful build's images are never deleted by the provider: cleanup happens only for "
        "builds the service ended FAILED, TEST_FAILED or CANCELLED, a PARTITION_SUCCESS that is "
        "not accepted, or a build whose record vanished before it was seen to end. When a build "
        "ended SUCCESS but some copy is not found before `timeout`, `pulumi up` fails naming the "
        "build, the ids found and the missing regions, keeps every image, and the next `pulumi "
        "up` adopts the same build and looks for the copies again.",
        "PARTITION_SUCCESS also means the service could not release its temporary resources: "
        "when every copy is present, usable and shared with every account, the build is a "
        "success (a warning line names what the service reported) whatever "
        "`accept_partial_success` says.",
        "Template deleted while building (e.g. by another stack, after the build ended but "
        "before `pulumi up` read it): the build's records vanish with it, so its images are "
        "looked up by name (`<image_name>_<build id>`) and treated like a failed build's "
        "(deleted unless `keep_failed_images`); the error names them.",
        "Refresh: the build's status is reported while its record exists (deleting the template "
        "deletes the records); a region whose image was deleted leaves `image_ids` and joins "
        "`missing_regions`; with no image left the resource is gone.",
        "Destroy: a running build is cancelled and awaited. The images stay unless "
        "`delete_images_on_destroy`; then each region's image is unshared and deleted, and an "
        "image still used by instances stops the destroy with a message naming it.",
        "`pulumi import` cannot import dynamic resources: read an existing build with "
        "`ImageBuild.get(name, id)`. Through the provider plugin, `pulumi import "
        "alicloud-imagebuilder:imagebuilder:ImageBuild <name> <exec-id>` (or the `import` "
        "resource option) adopts a build; the service does not know `triggers`, `timeout`, "
        "`accept_partial_success`, `delete_images_on_destroy` and `keep_failed_images`, so "
        "they are whatever the program says and adopting is no change.",
    )

    template_id: Annotated[NonBlank, Prop(api="ImagePipelineId")] = Field(
        description="Id of the image template to build (`ImageTemplate.id`).")
    triggers: Annotated[Optional[StringMap], Prop(update="replace")] = Field(
        None, description="Any values; changing one runs a new build (e.g. a release number).")
    tags: Annotated[Optional[Tags], Prop(api="Tag", read="Tags", codec="tags",
                                        update="create_only")] = Field(
        None, description=CREATE_ONLY_TAGS.format(what="build task"))
    region: Region = Field(None, description=REGION_DOC)
    timeout: Annotated[Union[float, str], AfterValidator(parse_duration),
                       Prop(update="in_place")] = Field(
        DEFAULT_TIMEOUT, description="How long `pulumi up` waits for the build and its copies: "
        "seconds (`1800`) or text (`\"90s\"`, `\"30m\"`, `\"1h30m\"`); default 1 hour, at most 48 "
        "hours. When it runs out, the build is cancelled and the update fails; the cancelled "
        "build's images are removed (unless `keep_failed_images`), while a build that ended "
        "well anyway keeps them, for the next `pulumi up` to adopt. An API call in flight "
        "then ends within the provider's `callTimeout` (60 s by default), even while the API "
        "hangs.")
    accept_partial_success: Annotated[bool, Prop(update="in_place")] = Field(
        False, description="Accept a build that ended PARTITION_SUCCESS with some copy missing "
        "(image made, some copies or shares failed): the missing regions are listed in "
        "`missing_regions` instead of failing. A PARTITION_SUCCESS with every copy usable and "
        "shared is a success either way.")
    delete_images_on_destroy: Annotated[bool, Prop(update="in_place")] = Field(
        False, description="On destroy, unshare and delete the images in every region. By default "
        "they are left in place (and billed) for whatever still uses them.")
    keep_failed_images: Annotated[bool, Prop(update="in_place")] = Field(
        False, description="Keep the images of a failed, cancelled or timed-out build (for "
        "debugging); by default they are unshared and deleted.")


class ImageBuildOutputs(BaseModel):
    execution_id: str = Field(
        description="Id of the build task (`exec-...`), also the resource id.")
    status: Optional[str] = Field(None, description="Last known status: SUCCESS, or "
                                  "PARTITION_SUCCESS (accepted, or with every copy fine).")
    image_id: Optional[str] = Field(None, description="The image in the template's own region.")
    image_name: Optional[str] = Field(
        None, description="Name of the image (the same in every region).")
    image_ids: dict[str, str] = Field(
        default_factory=dict, description="Region id to image id for every region holding the "
        "image, the template's own region included. A region whose copy was deleted drops out "
        "(and shows in `missing_regions`) on refresh.")
    shared_account_ids: list[str] = Field(
        default_factory=list, description="Accounts the image is shared with.")
    missing_regions: list[str] = Field(
        default_factory=list, description="Distribution regions without a usable copy.")
    message: Optional[str] = Field(None, description="The build's last progress message.")
    creation_time: Optional[str] = Field(
        None, description="When the build started (UTC, ISO 8601).")
    finished_time: Optional[str] = Field(None, description="When the build ended (UTC, ISO 8601).")


class ImageBuildState(ResourceState, ImageBuildOutputs, ImageBuildInputs):
    """What Pulumi records for an ImageBuild (see :class:`.base.ResourceState`)."""
