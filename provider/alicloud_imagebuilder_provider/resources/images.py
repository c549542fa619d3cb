"""The images a build made: each region's copy, usability, sharing and removal."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Callable, Iterable, TypeVar

from ..errors import (IMAGE_BUSY, IMAGE_IN_USE, ApiError, ErrorKind, ProviderError,
                      WaitTimeout)
from ..models.base import unwrap_list
from ..waiter import Acceptor, Backoff, Deadline, Schedule, WaiterSpec, pause, wait
from . import service

if TYPE_CHECKING:
    from ..client import EcsApi

BROKEN = ("CreateFailed", "UnAvailable")
MAX_THREADS = 20
T = TypeVar("T")
R = TypeVar("R")

USABLE = WaiterSpec(
    "the image to become usable",
    (Acceptor("success", (True, "true", "True"), "Usable"),
     Acceptor("failure", BROKEN, "Status")),
    progress=("Status",))
USABLE_IF_THERE = WaiterSpec(USABLE.what, USABLE.acceptors + (Acceptor("failure", (None,)),),
                             progress=USABLE.progress)
COPIES = WaiterSpec("every region's copy to settle", (Acceptor("success", (0,), "Pending"),))
DELETED = WaiterSpec("the image to be deletable", (Acceptor("success", (True,), "Deleted"),),
                     hint="The image is still being created or copied; delete it later.")


def each_region(work: Callable[[T], R], items: Iterable[T]) -> list[R]:
    """Run ``work`` for every item concurrently (one thread per region, at most 20)."""
    items = list(items)
    if len(items) <= 1:
        return [work(i) for i in items]
    with ThreadPoolExecutor(max_workers=min(MAX_THREADS, len(items))) as pool:
        return list(pool.map(work, items))


def _instant(text: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text)) if text else None
    except ValueError:
        return None


def find_copy(api: "EcsApi", region: str, name: str,
              made_since: str | None) -> dict[str, Any] | None:
    """The copy in ``region`` of the image a build made, or ``None``.

    ASSUMPTION (the one place it lives; listed in the docs with its evidence): the service
    documents no per-region output (DescribeImagePipelineExecutions returns only the home
    region's ImageId). ``InvalidImageName.Duplicated`` ("already in use in the target region")
    suggests that each copy keeps the image's name, so the copy is the image of exactly that
    name (the ImageName filter is fuzzy) created no earlier than the build started
    (``made_since``, the build's CreationTime): an older image of the same name is not ours.
    Replace this function when the service documents where its copies are.
    """
    since = _instant(made_since)
    for image in service.images(api, region, ImageName=name):
        created = _instant(image.get("CreationTime"))
        if image.get("ImageName") == name and (since is None or created is None
                                               or created >= since):
            return image
    return None


def image_name(template: dict[str, Any] | None, execution_id: str) -> str:
    """The name the service gives a build's image: ``<prefix>_<ExecutionId>``, the prefix alone
    with ``ImageNameSuffix=disable``, the ExecutionId alone (docs/service-notes.md §5)."""
    template = template or {}
    prefix = (template.get("ImageOptions") or {}).get("ImageName") or template.get("ImageName")
    if not prefix:
        return execution_id
    suffix = (template.get("AdvancedOptions") or {}).get("ImageNameSuffix")
    return prefix if str(suffix).lower() == "disable" else f"{prefix}_{execution_id}"


def regions(template: dict[str, Any] | None) -> list[str]:
    """A template's distribution regions (Describe* item)."""
    return [str(r) for r in unwrap_list((template or {}).get("ToRegionIds"))]


def listing(image_ids: dict[str, str]) -> str:
    return ", ".join(f"{image_id} ({region})" for region, image_id in sorted(image_ids.items()))


def made_by(api: "EcsApi", region: str, template: dict[str, Any] | None,
            execution: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The home image and region -> image id of everything a build made; nothing when the
    home image does not exist. The home image is found by the build's ImageId, or, once the
    build's record is gone, by the name the template gives it."""
    since = execution.get("CreationTime")
    if execution.get("ImageId"):
        home = service.describe_image(api, region, execution["ImageId"])
    else:
        home = find_copy(api, region, image_name(template, execution["ExecutionId"]), since)
    if home is None:
        return {}, {}
    copies = each_region(lambda r: (r, find_copy(api, r, home["ImageName"], since)),
                         regions(template))
    return home, {region: home["ImageId"], **{r: c["ImageId"] for r, c in copies if c}}


@dataclass
class Located:
    image_ids: dict[str, str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)


def locate(api: "EcsApi", regions: Iterable[str], name: str, made_since: str | None, *,
           backoff: Backoff | Schedule,
           deadline: Deadline, expect_all: bool,
           progress: Callable[[str], None],
           sleep: Callable[[float], None] = pause) -> Located:
    """Find every region's copy and wait until each is usable: one wait on one schedule (the
    build's, continued), each round looking only at the regions not settled yet. With
    ``expect_all`` a copy not there yet is awaited (until ``deadline``); otherwise it counts
    as missing at once."""
    regions = list(regions)
    spec = USABLE if expect_all else USABLE_IF_THERE
    settled: dict[str, str | None] = {}  # region -> usable copy's id, or None: missing
    seen: dict[str, tuple[Any, Any]] = {}

    def look() -> dict[str, Any]:
        pending = [r for r in regions if r not in settled]
        found = each_region(lambda r: find_copy(api, r, name, made_since), pending)
        for region, image in zip(pending, found, strict=True):
            state = spec.state_of(image)
            if state != "retry":
                settled[region] = image["ImageId"] if image and state == "success" else None
            if image and seen.get(region) != (image.get("ImageId"), image.get("Status")):
                seen[region] = (image.get("ImageId"), image.get("Status"))
                progress(f"copy {image.get('ImageId')} in {region}: {image.get('Status')}")
        return {"Pending": len(regions) - len(settled)}

    try:
        wait(COPIES, look, backoff=backoff, deadline=deadline, sleep=sleep)
    except WaitTimeout:
        pass  # what is not settled by now is missing
    located = Located()
    for region in regions:
        image_id = settled.get(region)
        if image_id:
            located.image_ids[region] = image_id
        else:
            located.missing.append(region)
    return located


def shared_accounts(api: "EcsApi", region: str, image_id: str) -> list[str]:
    accounts = api.numbered_pages("DescribeImageSharePermission", {"ImageId": image_id},
                                  region=region, items="Accounts.Account")
    return sorted({str(a["AliyunId"]) for a in accounts if a.get("AliyunId")})


def _unshare(api: "EcsApi", region: str, image_id: str) -> None:
    accounts = shared_accounts(api, region, image_id)
    for start in range(0, len(accounts), 10):  # at most 10 accounts per call
        api.call("ModifyImageSharePermission",
                 {"ImageId": image_id, "RemoveAccount": accounts[start:start + 10]}, region=region)


def _try_delete(api: "EcsApi", region: str, image_id: str, unshare: bool) -> dict[str, Any]:
    try:
        if unshare:
            _unshare(api, region, image_id)
        api.call("DeleteImage", {"ImageId": image_id}, region=region)
    except ApiError as error:
        if error.kind is ErrorKind.NOT_FOUND:
            return {"Deleted": True}
        if error.code == IMAGE_IN_USE:
            raise ProviderError(
                f"image {image_id} in {region} is still used by instances; release them or "
                f"keep the image (delete_images_on_destroy=False). ECS said: {error}") from None
        if error.code not in IMAGE_BUSY:
            raise
        return {"Deleted": False, "Code": error.code}
    return {"Deleted": True}


def remove(api: "EcsApi", images: dict[str, str], *, backoff: Backoff,
           deadline: Deadline, sleep: Callable[[float], None] = pause,
           unshare: bool = True) -> None:
    """Unshare (unless known to be shared with no one) and delete each region's image
    (concurrently); one error lists every failure."""

    def one(item: tuple[str, str]) -> str | None:
        region, image_id = item
        try:
            wait(DELETED, lambda: _try_delete(api, region, image_id, unshare), backoff=backoff,
                 deadline=deadline, sleep=sleep)
        except (ProviderError, ApiError) as error:
            return str(error)
        return None

    failures = [f for f in each_region(one, sorted(images.items())) if f]
    if failures:
        raise ProviderError("could not delete every image: " + "; ".join(failures))
