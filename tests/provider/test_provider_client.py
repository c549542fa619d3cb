"""The one place that talks to ECS: retries, pagination, error classification, no secrets."""

from __future__ import annotations

import dataclasses
import socket
import threading

import pytest

from alicloud_imagebuilder_provider.client import EcsApi, RetryPolicy
from alicloud_imagebuilder_provider.client.errors import kind_of
from alicloud_imagebuilder_provider.errors import ApiError, ErrorKind
from alicloud_imagebuilder_provider.models.component import ImageComponentState
from alicloud_imagebuilder_provider.resources.component import ComponentLifecycle

from provider_testkit import HOME


@pytest.fixture
def api(settings):
    pauses = Pauses()
    api = EcsApi(settings, RetryPolicy(max_retries=4, base_delay=0.01, max_delay=0.05),
                 sleep=pauses)
    api.pauses = pauses
    return api


class Pauses(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def test_throttling_and_server_errors_are_retried(emulator, api):
    emulator.configure(inject=[{"code": "Throttling", "action": "DescribeImagePipelines"},
                               {"code": "ServiceUnavailable", "action": "DescribeImagePipelines"},
                               {"code": "InternalError", "action": "DescribeImagePipelines"}])
    body = api.call("DescribeImagePipelines", {}, region=HOME)
    assert body["ImagePipeline"]["ImagePipelineSet"] == []
    assert emulator.count("DescribeImagePipelines") == 4 and len(api.pauses) == 3


def test_retry_after_is_honoured(emulator, api):
    emulator.configure(inject=[{"code": "Throttling", "action": "DescribeImages",
                                "retry_after_ms": 700}])
    api.call("DescribeImages", {}, region=HOME)
    assert api.pauses[0] >= 0.7


def test_retries_are_bounded(emulator, api):
    emulator.configure(error_rate=1.0)
    with pytest.raises(ApiError) as failure:
        api.call("DescribeImagePipelines", {}, region=HOME)
    assert failure.value.kind is ErrorKind.UNAVAILABLE and failure.value.attempts == 5
    assert emulator.count() == 5 and "after 5 attempts" in str(failure.value)


def test_backoff_grows_with_jitter_up_to_its_ceiling():
    policy = RetryPolicy(base_delay=1.0, max_delay=20.0)
    for retry, ceiling in ((1, 1.0), (2, 2.0), (3, 4.0), (9, 20.0)):
        delays = {policy.delay(retry) for _ in range(50)}
        assert all(ceiling / 2 <= d <= ceiling for d in delays) and len(delays) > 1


def test_a_non_retryable_error_surfaces_at_once_with_code_message_and_request_id(emulator, api):
    with pytest.raises(ApiError) as failure:
        api.call("DescribeImagePipelines", {"ImagePipelineId": [f"ip-{i}" for i in range(21)]},
                 region=HOME)
    error = failure.value
    record = emulator.requests[-1]
    assert emulator.count() == 1 and error.attempts == 1 and error.kind is ErrorKind.INVALID
    assert error.code == record.code == "InvalidImagePipelineIdSize.ExceededMaxNumber"
    assert error.request_id == record.request_id and error.message
    assert record.code in str(error) and record.request_id in str(error)


def test_dropped_connections_are_retried_then_reported(settings):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    accepted = []

    def drop_everything() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            accepted.append(connection)
            connection.close()

    threading.Thread(target=drop_everything, daemon=True).start()
    endpoint = f"http://127.0.0.1:{listener.getsockname()[1]}"
    api = EcsApi(dataclasses.replace(settings, endpoint=endpoint),
                 RetryPolicy(max_retries=2, base_delay=0.01))
    with pytest.raises(ApiError) as failure:
        api.call("DescribeImages", {}, region=HOME)
    listener.close()
    assert failure.value.kind is ErrorKind.UNAVAILABLE and failure.value.attempts == 3
    assert len(accepted) == 3
    assert settings.access_key_id not in str(failure.value)


def test_token_pagination_reads_every_page(emulator, settings, api):
    components = ComponentLifecycle(settings, lambda _line: None)
    made = {components.create(ImageComponentState.load({"content": f"RUN echo {i}"})).id
            for i in range(5)}
    emulator.reset_counts()
    listed = list(api.token_pages("DescribeImageComponents", {}, region=HOME,
                                  items="ImageComponent.ImageComponentSet", page_size=2))
    assert {c["ImageComponentId"] for c in listed} == made and len(listed) == 5
    assert emulator.count("DescribeImageComponents") == 3


def test_number_pagination_reads_every_page(emulator, api):
    query = {"ImageOwnerAlias": "system"}
    whole = list(api.numbered_pages("DescribeImages", query, region=HOME, items="Images.Image"))
    paged = list(api.numbered_pages("DescribeImages", query, region=HOME, items="Images.Image",
                                    page_size=2))
    assert len(whole) > 2 and [i["ImageId"] for i in paged] == [i["ImageId"] for i in whole]


def test_a_wrong_secret_is_fatal_and_never_shown(emulator, settings):
    wrong = dataclasses.replace(settings, access_key_secret="not-the-secret-1234")
    with pytest.raises(ApiError) as failure:
        EcsApi(wrong).call("DescribeImages", {}, region=HOME)
    assert failure.value.kind is ErrorKind.FATAL and failure.value.attempts == 1
    assert "not-the-secret-1234" not in str(failure.value)
    assert emulator.access_key_secret not in str(failure.value)


@pytest.mark.parametrize(("code", "status", "kind"), [
    ("Throttling", 403, ErrorKind.THROTTLED), ("Throttling.User", 400, ErrorKind.THROTTLED),
    ("ServiceUnavailable", 503, ErrorKind.UNAVAILABLE),
    ("InternalError", 500, ErrorKind.UNAVAILABLE),
    ("InvalidAccessKeyId.NotFound", 404, ErrorKind.FATAL),
    ("SignatureDoesNotMatch", 400, ErrorKind.FATAL),
    ("InvalidImagePipeline.NotFound", 404, ErrorKind.NOT_FOUND),
    ("InvalidImagePipeline.HasRunningExecution", 403, ErrorKind.CONFLICT),
    ("InvalidImageComponent.InUse", 403, ErrorKind.CONFLICT),
    ("InvalidName.Malformed", 400, ErrorKind.INVALID),
    ("QuotaExceed.ImagePipeline", 400, ErrorKind.INVALID),
])
def test_error_classification(code, status, kind):
    assert kind_of(code, status) is kind
