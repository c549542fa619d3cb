"""Authentication: ACS3-HMAC-SHA256 as docs/service-notes.md §2 describes it, the legacy v2
signature, and the three documented rejections. Requests are signed by hand here (an independent
implementation of the notes) except where the SDK itself is the subject."""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.parse
import urllib.request

import pytest
from alibabacloud_ecs20140526 import models as m
from emulator_testkit import expect_error

EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


def _signed_request(emulator, action, query, secret=None, access_key_id=None, tamper=None,
                    extra_headers=None, payload_hash=EMPTY_SHA256):
    host = emulator.endpoint
    headers = {"host": host, "x-acs-action": action, "x-acs-version": "2014-05-26",
               "x-acs-date": "2026-11-24T06:00:00Z", "x-acs-signature-nonce": "nonce-1",
               "x-acs-content-sha256": payload_hash}
    canonical_query = "&".join(f"{k}={urllib.parse.quote(query[k], safe='~')}"
                               for k in sorted(query))
    names = sorted(headers)
    canonical_headers = "".join(f"{n}:{headers[n].strip()}\n" for n in names)
    canonical = "\n".join(["POST", "/", canonical_query, canonical_headers, ";".join(names),
                           payload_hash])
    to_sign = "ACS3-HMAC-SHA256\n" + hashlib.sha256(canonical.encode()).hexdigest()
    signature = hmac.new((secret or emulator.access_key_secret).encode(), to_sign.encode(),
                         hashlib.sha256).hexdigest()
    headers["Authorization"] = ("ACS3-HMAC-SHA256 "
                                f"Credential={access_key_id or emulator.access_key_id},"
                                f"SignedHeaders={';'.join(names)},Signature={signature}")
    headers.update(extra_headers or {})
    sent = dict(query, **(tamper or {}))
    url = f"{emulator.url}/?{urllib.parse.urlencode(sent)}"
    sent = {k: v for k, v in headers.items() if k != "host"}
    return urllib.request.Request(url, method="POST", headers=sent)


def _send(request):
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


CREATE = {"RegionId": "cn-hangzhou", "BaseImageType": "IMAGE_FAMILY",
          "BaseImage": "acs:alibaba_cloud_linux_3_2104_lts_x64",
          "BuildContent": "RUN echo 'signed by hand' && true"}


def test_a_request_signed_by_the_spec_algorithm_is_accepted(emulator):
    status, body = _send(_signed_request(emulator, "CreateImagePipeline", CREATE))
    assert status == 200 and body["ImagePipelineId"].startswith("ip-")


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"extra_headers": {"Authorization": ""}}, 400, "IncompleteSignature"),
        ({"extra_headers": {"Authorization": "ACS3-HMAC-SHA256 garbage"}}, 400,
         "IncompleteSignature"),
        ({"extra_headers": {"x-acs-unsigned": "1"}}, 400, "IncompleteSignature"),
        ({"access_key_id": "LTAI5tSomeoneElse"}, 404, "InvalidAccessKeyId.NotFound"),
        ({"secret": "not-the-secret"}, 400, "SignatureDoesNotMatch"),
        ({"tamper": {"BuildContent": "RUN rm -rf /"}}, 400, "SignatureDoesNotMatch"),
        ({"payload_hash": hashlib.sha256(b"a body").hexdigest()}, 400, "SignatureDoesNotMatch"),
    ],
    ids=["missing", "garbled", "unsigned-acs-header", "unknown-key", "wrong-secret",
         "tampered-query", "wrong-payload-hash"],
)
def test_rejected_requests_get_their_code_and_create_nothing(emulator, change, status, code):
    got_status, body = _send(_signed_request(emulator, "CreateImagePipeline", CREATE, **change))
    assert (got_status, body["Code"]) == (status, code)
    assert emulator.state()["regions"] == {}
    (record,) = emulator.requests
    assert (record.action, record.status, record.code) == ("CreateImagePipeline", status, code)


def test_the_sdk_with_a_wrong_secret_or_unknown_key_is_rejected(emulator):
    wrong_secret = emulator.client(access_key_secret="wrong")
    unknown_key = emulator.client(access_key_id="LTAI5tUnknown")
    request = m.DescribeImagePipelinesRequest(region_id="cn-hangzhou")
    expect_error(400, "SignatureDoesNotMatch", wrong_secret.describe_image_pipelines, request)
    expect_error(404, "InvalidAccessKeyId.NotFound", unknown_key.describe_image_pipelines, request)


def test_the_legacy_v2_signature_of_the_sdk_is_accepted_and_checked(emulator):
    v2 = emulator.client(signature_algorithm="v2")
    request = m.CreateImageComponentRequest(region_id="cn-hangzhou", name="legacy",
                                            content="RUN echo v2 + 'quoted'")
    assert v2.create_image_component(request).body.image_component_id.startswith("ic-")
    wrong = emulator.client(signature_algorithm="v2", access_key_secret="wrong")
    expect_error(400, "SignatureDoesNotMatch", wrong.create_image_component, request)


def test_custom_credentials_are_the_only_ones_accepted(imagebuilder_emulator_factory):
    emulator = imagebuilder_emulator_factory(access_key_id="LTAI5tCustom",
                                             access_key_secret="custom-secret")
    assert emulator.client().describe_regions(m.DescribeRegionsRequest()).body.regions.region
    from alicloud_imagebuilder_emulator import DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET

    default = emulator.client(access_key_id=DEFAULT_ACCESS_KEY_ID,
                              access_key_secret=DEFAULT_ACCESS_KEY_SECRET)
    expect_error(404, "InvalidAccessKeyId.NotFound", default.describe_regions,
                 m.DescribeRegionsRequest())
