"""Images: public catalog images and the caller's custom images (DescribeImages, DeleteImage,
sharing), and base-image resolution for templates."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from . import assumptions, catalog
from .catalog import PublicImage
from .context import Context
from .errors import ApiError, forbidden, invalid, not_found
from .models import BaseImageInfo, Image, PipelineSpec, tags_match
from .paging import Page, by_number

IMAGE_STATUSES = ("Creating", "Waiting", "Available", "UnAvailable", "CreateFailed", "Deprecated")
OWNER_ALIASES = ("system", "self", "others", "marketplace")
MAX_SHARE_ACCOUNTS_PER_CALL = 10  # API reference: the accounts past the 10th are ignored
MAX_SHARED_ACCOUNTS = 50  # API reference: an image is shared with at most 50 accounts


@dataclass(frozen=True)
class ImageFilter:
    image_ids: tuple[str, ...] = ()
    image_name: str | None = None
    owner_alias: str | None = None
    statuses: tuple[str, ...] = ()  # empty: Available only
    image_family: str | None = None
    os_type: str | None = None
    architecture: str | None = None
    usable: bool | None = None
    tags: tuple[tuple[str, str], ...] = ()


def public_info(image: PublicImage) -> BaseImageInfo:
    return BaseImageInfo(image.os_type, image.platform, image.architecture, image.size)


def resolve_base(ctx: Context, region_id: str, spec: PipelineSpec) -> BaseImageInfo | None:
    """What a template builds from, or None when its base image (or family) does not exist."""
    kind, base = spec.base_image_type, spec.base_image or ""
    if kind == "OSS":
        options = spec.import_image_options
        return BaseImageInfo(str(options.get("OSType") or "linux").lower(),
                             str(options.get("Platform") or "Others Linux"),
                             str(options.get("Architecture") or "x86_64"), 40)
    images = ctx.region(region_id).images.values()
    if kind == "IMAGE":
        public = catalog.PUBLIC_IMAGES_BY_ID.get(base)
        if public is not None:
            return public_info(public)
        own = ctx.region(region_id).images.get(base)
        return own.base if own is not None and own.status == "Available" else None
    public = catalog.PUBLIC_IMAGES_BY_FAMILY.get(base)
    if public is not None:
        return public_info(public)
    family = [image for image in images if image.family == base and image.status == "Available"]
    return max(family, key=lambda image: image.seq).base if family else None


def _validated(f: ImageFilter) -> ImageFilter:
    for value in f.statuses:
        if value not in IMAGE_STATUSES:
            raise invalid("Status", value, "one of " + ", ".join(IMAGE_STATUSES))
    if f.owner_alias is not None and f.owner_alias not in OWNER_ALIASES:
        raise invalid("ImageOwnerAlias", f.owner_alias, "one of " + ", ".join(OWNER_ALIASES))
    return replace(f, statuses=f.statuses or ("Available",))


def _matches(image: Image | PublicImage, f: ImageFilter) -> bool:
    if isinstance(image, Image):
        owner, status = "self", image.status
        os_type, architecture = image.base.os_type, image.base.architecture
        usable, tags = image.usable, image.tags
    else:
        owner, status = "system", "Available"
        os_type, architecture = image.os_type, image.architecture
        usable, tags = True, ()
    return (
        (not f.image_ids or image.image_id in f.image_ids)
        and (f.image_name is None or f.image_name in image.name)
        and (f.owner_alias is None or f.owner_alias == owner)
        and status in f.statuses
        and (f.image_family is None or f.image_family == image.family)
        and (f.os_type is None or f.os_type.lower() == os_type)
        and (f.architecture is None or f.architecture == architecture)
        and (f.usable is None or f.usable == usable)
        and tags_match(tags, f.tags)
    )


def describe_images(ctx: Context, region_id: str, image_filter: ImageFilter, page_number: int,
                    page_size: int) -> Page[Image | PublicImage]:
    image_filter = _validated(image_filter)
    own = sorted(ctx.region(region_id).images.values(), key=lambda image: image.seq, reverse=True)
    candidates: list[Image | PublicImage] = [
        image for image in own if _matches(image, image_filter)]
    candidates += [image for image in catalog.PUBLIC_IMAGES if _matches(image, image_filter)]
    return by_number(candidates, page_number, page_size)


def delete_image(ctx: Context, region_id: str, image_id: str, force: bool) -> None:
    image = ctx.region(region_id).images.get(image_id)
    if image is None:
        return  # an unknown (or public) image id succeeds silently
    if image.status == "Creating":
        raise forbidden("ImageIsCreating", f"The image {image_id} is still being created.")
    copying = [ctx.find_image(copy_id) for copy_id in image.copy_ids]
    if any(copy is not None and copy.status == "Creating" for copy in copying):
        raise forbidden("OperationDenied.ImageCopying",
                        f"The image {image_id} is being copied to another region.")
    if image.shared_with:
        raise forbidden(
            "ImageUseShared",
            f"The image {image_id} is shared with {len(image.shared_with)} account(s); remove them "
            "with "
            "ModifyImageSharePermission RemoveAccount first.",
        )
    if image.used_by and not force:
        raise forbidden(
            "ImageUsingByInstance",
            f"The image {image_id} is used by instance(s) {', '.join(image.used_by)}; pass "
            "Force=true to delete it.",
        )
    ctx.remove_image(image)


def _own_image(ctx: Context, region_id: str, image_id: str | None) -> Image:
    image = ctx.region(region_id).images.get(image_id or "")
    if image is None:
        raise not_found("InvalidImageId.NotFound",
                        f"The specified ImageId {image_id!r} does not exist in {region_id}.")
    return image


def modify_share(ctx: Context, region_id: str, image_id: str, add: Sequence[str],
                 remove: Sequence[str]) -> None:
    """AddAccount/RemoveAccount past the 10th are ignored, as the API reference says."""
    image = _own_image(ctx, region_id, image_id)
    add, remove = add[:MAX_SHARE_ACCOUNTS_PER_CALL], remove[:MAX_SHARE_ACCOUNTS_PER_CALL]
    for field_name, accounts in (("AddAccount", add), ("RemoveAccount", remove)):
        for index, account in enumerate(accounts, start=1):
            if account == ctx.account_id:
                raise not_found("InvalidAccount.Forbbiden",
                                f"The specified Account does not yourself: {field_name}.{index} is "
                                "the image "
                                f"owner's own account {account}.")
            if not assumptions.account_exists(account):
                raise not_found("InvalidAccount.NotFound",
                                f'The specified account {account} in parameter '
                                f'"{field_name}.{index}" does not exist.')
    if image.status != "Available":
        raise forbidden("IncorrectImageStatus",
                        f"The image {image_id} is {image.status}; only Available images can be "
                        "shared.")
    if len(set(image.shared_with) | set(add)) > MAX_SHARED_ACCOUNTS:
        raise forbidden("QuotaExceed.ShareImageUser",
                        f"The shared Image user Quota exceeds: an image can be shared with at most "
                        f"{MAX_SHARED_ACCOUNTS} accounts.")
    now = ctx.now()
    for account in add:
        image.shared_with.setdefault(account, now)
    for account in remove:
        image.shared_with.pop(account, None)


def describe_share(ctx: Context, region_id: str, image_id: str, page_number: int,
                   page_size: int) -> Page[tuple[str, float]]:
    image = _own_image(ctx, region_id, image_id)
    return by_number(sorted(image.shared_with.items()), page_number, page_size)


def mark_used(ctx: Context, image_id: str, instance_id: str | None) -> str:
    """Admin: record that an instance uses the image (so DeleteImage answers
    ImageUsingByInstance)."""
    image = ctx.find_image(image_id)
    if image is None:
        raise ApiError(404, "NotFound", f"no custom image {image_id!r}")
    instance_id = instance_id or ctx.ids.new("i-")
    image.used_by.append(instance_id)
    return instance_id


def clear_used(ctx: Context, image_id: str) -> None:
    image = ctx.find_image(image_id)
    if image is None:
        raise ApiError(404, "NotFound", f"no custom image {image_id!r}")
    image.used_by.clear()
