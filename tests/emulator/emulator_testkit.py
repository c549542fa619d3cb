"""Helpers of the emulator tests (a uniquely named module so test folders never clash): every call
goes through the official SDK over HTTP."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest
from alibabacloud_ecs20140526 import models as m
from alibabacloud_tea_openapi.exceptions import AlibabaCloudException

from alicloud_imagebuilder_emulator import EmulatorHandle

TemplateInfo = m.DescribeImagePipelinesResponseBodyImagePipelineImagePipelineSet

HOME = "cn-hangzhou"
FAMILY = "acs:alibaba_cloud_linux_3_2104_lts_x64"
PHASE = 0.05  # the fixture's phase_seconds
OTHER_ACCOUNT = "1234567890123456"


def wait_until(until: Callable[[], bool], limit: float = 60.0) -> None:
    """Wait (bounded) until ``until()`` holds, e.g. a build on the real clock has ended."""
    deadline = time.monotonic() + limit
    while not until():
        assert time.monotonic() < deadline, "the awaited state never came"
        time.sleep(0.02)


def expect_error(status: int, code: str, call: Callable[..., Any], /, *args: Any,
                 **kwargs: Any) -> AlibabaCloudException:
    """Run ``call`` and return the SDK exception, asserting its HTTP status and error code."""
    with pytest.raises(AlibabaCloudException) as caught:
        call(*args, **kwargs)
    assert (caught.value.status_code, caught.value.code) == (status, code), caught.value.message
    return caught.value


def admin(emulator: EmulatorHandle, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    """Call the admin API (``/_emulator/<path>``) over HTTP: (status, parsed JSON body)."""
    data = None if body is None else (body if isinstance(body,
                                                         bytes) else json.dumps(body).encode())
    request = urllib.request.Request(f"{emulator.url}/_emulator/{path}", data=data, method=method)
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


class Api:
    """The SDK client of one emulator plus the few shortcuts the tests repeat."""

    def __init__(self, emulator: EmulatorHandle, region: str = HOME) -> None:
        self.emulator = emulator
        self.region = region
        self.client = emulator.client(region)

    def template(self, **fields: Any) -> str:
        values = {"region_id": self.region, "base_image_type": "IMAGE_FAMILY", "base_image": FAMILY,
                  "build_content": "RUN echo hello", **fields}
        request = m.CreateImagePipelineRequest(**values)
        return self.client.create_image_pipeline(request).body.image_pipeline_id

    def templates(self, **fields: Any) -> m.DescribeImagePipelinesResponseBody:
        request = m.DescribeImagePipelinesRequest(region_id=self.region, **fields)
        return self.client.describe_image_pipelines(request).body

    def template_ids(self, **fields: Any) -> list[str]:
        found = self.templates(**fields).image_pipeline.image_pipeline_set
        return [p.image_pipeline_id for p in found]

    def template_info(self, pipeline_id: str) -> TemplateInfo:
        body = self.templates(image_pipeline_id=[pipeline_id])
        (found,) = body.image_pipeline.image_pipeline_set
        return found

    def delete_template(self, pipeline_id: str) -> None:
        self.client.delete_image_pipeline(m.DeleteImagePipelineRequest(region_id=self.region,
                                                                       image_pipeline_id=pipeline_id))

    def start(self, pipeline_id: str, **fields: Any) -> str:
        request = m.StartImagePipelineExecutionRequest(region_id=self.region,
                                                       image_pipeline_id=pipeline_id, **fields)
        return self.client.start_image_pipeline_execution(request).body.execution_id

    def executions(self, **fields: Any) -> m.DescribeImagePipelineExecutionsResponseBody:
        request = m.DescribeImagePipelineExecutionsRequest(region_id=self.region, **fields)
        return self.client.describe_image_pipeline_executions(request).body

    def execution_ids(self, **fields: Any) -> list[str]:
        body = self.executions(**fields)
        return [e.execution_id for e in body.image_pipeline_execution.image_pipeline_execution_set]

    def execution(self, execution_id: str):
        body = self.executions(execution_id=execution_id)
        (found,) = body.image_pipeline_execution.image_pipeline_execution_set
        return found

    def cancel(self, execution_id: str) -> None:
        self.client.cancel_image_pipeline_execution(
            m.CancelImagePipelineExecutionRequest(region_id=self.region, execution_id=execution_id))

    def build(self, **template_fields: Any):
        """Create a template, start a build and run the (manual) clock until everything settled."""
        execution_id = self.start(self.template(**template_fields))
        self.emulator.advance(PHASE * 12)
        return self.execution(execution_id)

    def component(self, **fields: Any) -> str:
        values = {"region_id": self.region, "content": "RUN echo component", **fields}
        request = m.CreateImageComponentRequest(**values)
        return self.client.create_image_component(request).body.image_component_id

    def components(self, **fields: Any) -> m.DescribeImageComponentsResponseBody:
        request = m.DescribeImageComponentsRequest(region_id=self.region, **fields)
        return self.client.describe_image_components(request).body

    def component_ids(self, **fields: Any) -> list[str]:
        found = self.components(**fields).image_component.image_component_set
        return [c.image_component_id for c in found]

    def images(self, region: str | None = None, **fields: Any) -> list:
        values = {"region_id": region or self.region, "image_owner_alias": "self",
                  "status": "Creating,Available", **fields}
        return self.client.describe_images(m.DescribeImagesRequest(**values)).body.images.image

    def image(self, image_id: str, region: str | None = None):
        (found,) = self.images(region, image_id=image_id)
        return found

    def share(self, image_id: str, add: list[str] | None = None, remove: list[str] | None = None,
              region: str | None = None) -> None:
        self.client.modify_image_share_permission(m.ModifyImageSharePermissionRequest(
            region_id=region or self.region, image_id=image_id, add_account=add,
            remove_account=remove))

    def shared_with(self, image_id: str, region: str | None = None) -> list[str]:
        body = self.client.describe_image_share_permission(m.DescribeImageSharePermissionRequest(
            region_id=region or self.region, image_id=image_id, page_size=100)).body
        return [account.aliyun_id for account in body.accounts.account]

    def delete_image(self, image_id: str, region: str | None = None, **fields: Any) -> None:
        self.client.delete_image(m.DeleteImageRequest(region_id=region or self.region,
                                                      image_id=image_id, **fields))
