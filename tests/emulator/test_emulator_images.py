"""Images: DescribeImages filters and paging, DeleteImage conflicts, share permissions, regions."""

from __future__ import annotations

import json
import urllib.request

from alibabacloud_ecs20140526 import models as m
from emulator_testkit import FAMILY, OTHER_ACCOUNT, PHASE, expect_error

NAMED = {"image_options": m.CreateImagePipelineRequestImageOptions(image_name="app",
                                                                   image_family="app-family")}


def _describe(api, **fields):
    return api.client.describe_images(m.DescribeImagesRequest(region_id=api.region, **fields)).body


def test_public_images_and_families_are_listed_per_region(api):
    body = _describe(api, image_owner_alias="system", page_size=100)
    families = {image.image_family for image in body.images.image}
    wanted = {FAMILY, "acs:ubuntu_22_04_x64", "acs:centos_7_9_x64",
              "acs:windows_server_2022_datacenter_en-us"}
    assert wanted <= families
    assert all(image.usable and image.status == "Available" for image in body.images.image)
    assert body.region_id == "cn-hangzhou" and body.total_count == len(body.images.image)


def test_describe_images_filters_by_ids_name_family_and_owner(api):
    first, second = api.build(**NAMED), api.build(**NAMED)
    ids = f"{first.image_id},{second.image_id},m-doesnotexist0000000"
    assert {i.image_id for i in _describe(api, image_id=ids).images.image} == {first.image_id,
                                                                               second.image_id}
    found = _describe(api, image_name=first.execution_id).images.image
    assert [i.image_id for i in found] == [first.image_id]
    family = _describe(api, image_family="app-family").images.image
    assert {i.image_id for i in family} == {first.image_id, second.image_id}
    assert _describe(api, image_id="m-doesnotexist0000000").images.image == []
    own = _describe(api, image_owner_alias="self").images.image
    assert [i.image_id for i in own] == [second.image_id, first.image_id]  # newest first
    assert all(i.image_owner_alias == "self" and i.image_owner_id == 1000000000000001 for i in own)


def test_describe_images_pages_with_page_number_and_page_size(api):
    body = _describe(api, page_size=3, page_number=2)
    total = body.total_count
    assert (body.page_number, body.page_size, len(body.images.image)) == (2, 3, 3)
    last = _describe(api, page_size=3, page_number=(total + 2) // 3)
    assert len(last.images.image) == total - 3 * ((total + 2) // 3 - 1)
    assert _describe(api).page_size == 10
    expect_error(400, "InvalidParameter.PageSize", _describe, api, page_size=101)
    expect_error(400, "InvalidParameter.Status", _describe, api, status="Building")
    expect_error(400, "DryRunOperation", _describe, api, dry_run=True)


def test_an_unknown_image_id_deletes_silently(api):
    api.delete_image("m-doesnotexist0000000")
    assert api.emulator.requests[-1].status == 200


def test_an_image_still_being_created_or_copied_cannot_be_deleted(api, emulator):
    execution_id = api.start(api.template(to_region_id=["cn-shanghai"]))
    emulator.advance(PHASE * 1.6)
    image_id = api.execution(execution_id).image_id
    expect_error(403, "ImageIsCreating", api.delete_image, image_id)
    emulator.advance(PHASE)  # DISTRIBUTING: the copy is being made
    expect_error(403, "OperationDenied.ImageCopying", api.delete_image, image_id)


def test_a_shared_image_needs_its_accounts_removed_before_deletion(api):
    execution = api.build(add_account=[int(OTHER_ACCOUNT)])
    error = expect_error(403, "ImageUseShared", api.delete_image, execution.image_id)
    assert "RemoveAccount" in error.message
    api.share(execution.image_id, remove=[OTHER_ACCOUNT])
    api.delete_image(execution.image_id)
    assert api.images(image_id=execution.image_id) == []


def test_an_image_used_by_an_instance_needs_force(api, emulator):
    image_id = api.build().image_id
    request = urllib.request.Request(f"{emulator.url}/_emulator/images/{image_id}/instances",
                                     method="POST",
                                     data=json.dumps({"instance_id": "i-user0001"}).encode())
    with urllib.request.urlopen(request) as response:
        assert json.load(response)["InstanceId"] == "i-user0001"
    assert api.image(image_id).usage == "instance"
    error = expect_error(403, "ImageUsingByInstance", api.delete_image, image_id)
    assert "i-user0001" in error.message
    api.delete_image(image_id, force=True)
    assert api.images(image_id=image_id) == []


def test_share_permissions_add_remove_and_page(api):
    image_id = api.build().image_id
    accounts = [str(1234567890000000 + i) for i in range(12)]
    api.share(image_id, add=accounts[:10])
    api.share(image_id, add=accounts[10:], remove=[accounts[0]])
    assert api.shared_with(image_id) == sorted(accounts[1:])
    body = api.client.describe_image_share_permission(m.DescribeImageSharePermissionRequest(
        region_id=api.region, image_id=image_id, page_number=2, page_size=5)).body
    assert (body.total_count, body.page_number, len(body.accounts.account)) == (11, 2, 5)
    assert body.share_groups.share_group == []
    assert api.image(image_id).is_self_shared == "True"


def test_share_permission_errors(api):
    image_id = api.build().image_id
    expect_error(404, "InvalidImageId.NotFound", api.share, "m-doesnotexist0000000",
                 add=[OTHER_ACCOUNT])
    expect_error(404, "InvalidImageId.NotFound", api.shared_with, "m-doesnotexist0000000")
    expect_error(404, "InvalidAccount.Forbbiden", api.share, image_id,
                 add=[api.emulator.account_id])
    for unknown in ("9999000000000001", "12345", "0123456789012345", "not-an-account"):
        error = expect_error(404, "InvalidAccount.NotFound", api.share, image_id,
                             add=[OTHER_ACCOUNT, unknown])
        assert unknown in error.message
    assert api.shared_with(image_id) == []  # a refused call shares with nobody


def test_accounts_past_the_tenth_are_ignored_and_an_image_has_at_most_fifty(api):
    image_id = api.build().image_id
    accounts = [str(1234567890000000 + i) for i in range(51)]
    api.share(image_id,
              add=accounts[:11] + [api.emulator.account_id])  # the 11th and 12th are ignored
    assert api.shared_with(image_id) == accounts[:10]
    for start in range(10, 50, 10):
        api.share(image_id, add=accounts[start:start + 10])
    assert len(api.shared_with(image_id)) == 50
    expect_error(403, "QuotaExceed.ShareImageUser", api.share, image_id, add=[accounts[50]])
    api.share(image_id, remove=accounts[:11])
    assert len(api.shared_with(image_id)) == 40


def test_describe_regions_lists_the_catalog_in_english_or_chinese(api):
    english = api.client.describe_regions(m.DescribeRegionsRequest()).body.regions.region
    request = m.DescribeRegionsRequest(accept_language="zh-CN")
    chinese = api.client.describe_regions(request).body.regions.region
    by_id = {r.region_id: r for r in english}
    assert len(english) >= 25 and {
        "cn-hangzhou",
        "ap-southeast-1",
        "eu-central-1",
        "us-west-1",
    } <= set(by_id)
    assert by_id["cn-hangzhou"].local_name == "China (Hangzhou)"
    assert by_id["ap-southeast-5"].region_endpoint == "ecs.ap-southeast-5.aliyuncs.com"
    assert {r.region_id: r.local_name for r in chinese}["cn-hangzhou"] == "华东1（杭州）"
