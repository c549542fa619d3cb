"""Delete what the acceptance suite may have left behind, in every region: image templates,
image components and images (unshared first) whose names start with a prefix.

    python tools/sweep.py [--prefix ibacc-] [--dry-run] [--region cn-hangzhou ...]

Credentials, region and endpoint come from the environment, as for the provider
(ALIBABA_CLOUD_ACCESS_KEY_ID/SECRET, ALIBABA_CLOUD_REGION_ID, ALIBABA_CLOUD_ECS_ENDPOINT, a
profile or the credentials chain). Every call goes through the provider's own client.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from typing import Any, Callable

from alicloud_imagebuilder_provider.client import EcsApi
from alicloud_imagebuilder_provider.errors import ProviderError
from alicloud_imagebuilder_provider.resources import executions, images, service
from alicloud_imagebuilder_provider.models.component import ImageComponentState
from alicloud_imagebuilder_provider.models.template import ImageTemplateState
from alicloud_imagebuilder_provider.resources.component import ComponentLifecycle
from alicloud_imagebuilder_provider.resources.template import TemplateLifecycle
from alicloud_imagebuilder_provider.settings import Settings, resolve_settings
from alicloud_imagebuilder_provider.waiter import Deadline

DEFAULT_PREFIX = "ibacc-"  # the acceptance suite's names start with it
MIN_PREFIX = 4  # a shorter prefix could match what is not ours
CANCEL_WAIT = 900.0  # seconds a cancelled build gets to stop before its template is deleted


@dataclass
class Found:
    """Leftovers in one region: id -> name."""

    region: str
    templates: dict[str, str] = field(default_factory=dict)
    components: dict[str, str] = field(default_factory=dict)
    images: dict[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.templates or self.components or self.images)


def regions(api: EcsApi, settings: Settings) -> list[str]:
    body = api.call("DescribeRegions", {}, region=settings.region or "cn-hangzhou")
    return sorted(r["RegionId"] for r in body.get("Regions", {}).get("Region", []))


def _named(items: Any, id_key: str, name_key: str, prefix: str) -> dict[str, str]:
    return {i[id_key]: i[name_key] for i in items if str(i.get(name_key) or "").startswith(prefix)}


def leftovers(api: EcsApi, region: str, prefix: str) -> Found:
    return Found(
        region,
        _named(api.token_pages(service.TEMPLATES.action, {}, region=region,
                               items=service.TEMPLATES.items), "ImagePipelineId", "Name", prefix),
        _named(api.token_pages(service.COMPONENTS.action, {}, region=region,
                               items=service.COMPONENTS.items), "ImageComponentId", "Name", prefix),
        _named(service.images(api, region, ImageName=prefix), "ImageId", "ImageName", prefix))


def remove(settings: Settings, found: Found, say: Callable[[str], None]) -> list[str]:
    """Templates (their running builds cancelled first), then images, then components;
    returns the failures."""
    api, region, failures = EcsApi(settings), found.region, []
    templates = TemplateLifecycle(settings, say)
    for template_id, name in sorted(found.templates.items()):
        try:
            for execution in executions.running(api, region, template_id):
                executions.cancel(api, region, execution["ExecutionId"])
            executions.wait_until_idle(api, template_id, region, templates.backoff,
                                       Deadline(CANCEL_WAIT))
            templates.delete(template_id, ImageTemplateState.load({"region": region}))
            say(f"{region}: deleted template {template_id} ({name})")
        except ProviderError as error:
            failures.append(f"{region}: template {template_id} ({name}): {error}")
    for image_id, name in sorted(found.images.items()):
        try:
            images.remove(api, {region: image_id}, backoff=templates.backoff,
                          deadline=Deadline(CANCEL_WAIT))
            say(f"{region}: unshared and deleted image {image_id} ({name})")
        except ProviderError as error:
            failures.append(f"{region}: image {image_id} ({name}): {error}")
    components = ComponentLifecycle(settings, say)
    for component_id, name in sorted(found.components.items()):
        try:
            components.delete(component_id, ImageComponentState.load({"region": region}))
            say(f"{region}: deleted component {component_id} ({name})")
        except ProviderError as error:
            failures.append(f"{region}: component {component_id} ({name}): {error}")
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--prefix", default=DEFAULT_PREFIX)
    parser.add_argument("--region", action="append", help="only these regions (repeatable)")
    parser.add_argument("--dry-run", action="store_true", help="list, delete nothing")
    args = parser.parse_args(argv)
    if len(args.prefix) < MIN_PREFIX:
        parser.error(f"--prefix must have at least {MIN_PREFIX} characters, so that nothing "
                     "else matches")
    settings = resolve_settings()
    api = EcsApi(settings)
    failures: list[str] = []
    for region in args.region or regions(api, settings):
        found = leftovers(api, region, args.prefix)
        for kind in ("templates", "components", "images"):
            for id_, name in sorted(getattr(found, kind).items()):
                print(f"{region}: {kind[:-1]} {id_} ({name})")
        if found and not args.dry_run:
            failures += remove(settings, found, print)
    for failure in failures:
        print(f"not deleted: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
