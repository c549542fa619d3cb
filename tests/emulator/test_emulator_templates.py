"""Image templates: create, describe (echo, filters, paging), delete, idempotency."""

from __future__ import annotations

from alibabacloud_ecs20140526 import models as m
from emulator_testkit import FAMILY, HOME, OTHER_ACCOUNT, PHASE, Api, expect_error


def test_a_created_template_reads_back_every_input_in_the_sdk_shape(api):
    pipeline_id = api.template(
        name="web-template", description="nginx on Alibaba Cloud Linux",
        build_content="RUN yum install -y nginx",
        test_content="RUN nginx -v", internet_max_bandwidth_out=10, system_disk_size=60,
        instance_type="ecs.g7.large",
        v_switch_id="vsw-emu-cn-hangzhou-a", delete_instance_on_failure=False,
        to_region_id=["cn-shanghai"], add_account=[int(OTHER_ACCOUNT)],
        tag=[m.CreateImagePipelineRequestTag(key="team", value="platform")],
        repair_mode="Customized", repair_item=["fstab", "grub"],
        image_options=m.CreateImagePipelineRequestImageOptions(
            image_name="web", image_family="web-family", description="web image",
            image_features=m.CreateImagePipelineRequestImageOptionsImageFeatures(nvme_support="auto"),
            image_tags=[m.CreateImagePipelineRequestImageOptionsImageTags(key="app", value="web")]),
        advanced_options=m.CreateImagePipelineRequestAdvancedOptions(image_name_suffix="disable",
                                                                     retain_cloud_assistant=False),
    )
    found = api.template_info(pipeline_id)
    assert pipeline_id.startswith("ip-")
    assert (found.name, found.description) == ("web-template", "nginx on Alibaba Cloud Linux")
    assert (found.base_image_type, found.base_image) == ("IMAGE_FAMILY", FAMILY)
    assert (found.build_content, found.test_content) == ("RUN yum install -y nginx", "RUN nginx -v")
    assert (found.internet_max_bandwidth_out, found.system_disk_size, found.instance_type) == (10,
                                                                                               60,
                                                                                               "ecs.g7.large")
    assert found.v_switch_id == "vsw-emu-cn-hangzhou-a"
    assert found.delete_instance_on_failure is False
    assert found.to_region_ids.to_region_id == ["cn-shanghai"]
    assert found.add_accounts.add_account == [OTHER_ACCOUNT]
    assert [(t.tag_key, t.tag_value) for t in found.tags.tag] == [("team", "platform")]
    assert (found.repair_mode, found.repair_items.repair_item) == ("Customized", ["fstab", "grub"])
    options = found.image_options
    assert (options.image_name, options.image_family, options.description) == ("web", "web-family",
                                                                               "web image")
    assert options.image_features.nvme_support == "auto"
    assert [(t.tag_key, t.tag_value) for t in options.image_tags.image_tag] == [("app", "web")]
    assert found.advanced_options.image_name_suffix == "disable"
    assert found.advanced_options.retain_cloud_assistant is False
    assert found.creation_time.endswith("Z")


def test_a_template_without_optional_inputs_gets_the_documented_defaults(api):
    found = api.template_info(api.template())
    assert found.name == found.image_pipeline_id  # the name defaults to the id
    assert (found.system_disk_size, found.internet_max_bandwidth_out) == (40, 0)
    assert found.delete_instance_on_failure is True
    assert found.to_region_ids.to_region_id == [] and found.add_accounts.add_account == []
    assert found.tags.tag == [] and found.resource_group_id == "rg-emulator-default"


def test_oss_templates_keep_their_import_options(api):
    pipeline_id = api.template(
        base_image_type="OSS", base_image=None,
        import_image_options=m.CreateImagePipelineRequestImportImageOptions(
            ostype="linux", platform="Ubuntu", architecture="x86_64",
            disk_device_mappings=[m.CreateImagePipelineRequestImportImageOptionsDiskDeviceMappings(
                ossbucket="images", ossobject="ubuntu.qcow2", format="QCOW2", disk_image_size=20)]),
    )
    options = api.template_info(pipeline_id).import_image_options
    (mapping,) = options.disk_device_mappings.disk_device_mapping
    assert (mapping.ossbucket, mapping.ossobject, mapping.format, mapping.disk_image_size) == (
        "images", "ubuntu.qcow2", "QCOW2", 20)
    assert (options.ostype, options.platform) == ("linux", "Ubuntu")


def test_describe_filters_by_ids_name_and_tags_and_ignores_unknown_ids(api):
    tagged = api.template(name="alpha",
                          tag=[m.CreateImagePipelineRequestTag(key="env", value="prod")])
    other = api.template(name="beta")
    assert api.template_ids(image_pipeline_id=[other, "ip-doesnotexist0000000"]) == [other]
    assert api.template_ids(name="alpha") == [tagged]
    assert api.template_ids(tag=[m.DescribeImagePipelinesRequestTag(key="env",
                                                                    value="prod")]) == [tagged]
    # wrapper present, list empty
    assert api.templates(name="gamma").image_pipeline.image_pipeline_set == []


def test_describe_pages_with_max_results_and_next_token_newest_first(api):
    created = [api.template(name=f"t{i:02d}") for i in range(7)]
    seen, token, pages = [], None, 0
    while True:
        body = api.templates(max_results=3, next_token=token)
        assert body.total_count == 7 and body.max_results == 3
        seen += [p.image_pipeline_id for p in body.image_pipeline.image_pipeline_set]
        pages += 1
        token = body.next_token
        if not token:
            break
    assert pages == 3 and seen == list(reversed(created))


def test_deleting_between_pages_neither_repeats_nor_skips(api):
    created = [api.template(name=f"t{i:02d}") for i in range(4)]
    first = api.templates(max_results=2)
    api.delete_template(created[1])
    assert api.template_ids(max_results=2, next_token=first.next_token) == [created[0]]


def test_a_bad_or_foreign_next_token_is_invalid(api):
    api.template()
    expect_error(403, "Invalid.NextToken", api.templates, next_token="garbage!")
    components_token = "aWM6OTk"  # an ic: (component listing) token
    expect_error(403, "Invalid.NextToken", api.templates, next_token=components_token)


def test_client_token_makes_create_idempotent(api, emulator):
    first = api.template(client_token="create-web-1")
    second = api.template(client_token="create-web-1")
    third = api.template(client_token="create-web-2")
    assert first == second != third
    assert api.templates().total_count == 2
    assert emulator.count("CreateImagePipeline") == 3


def test_deleting_a_template_removes_its_builds_but_keeps_their_images(api, emulator):
    pipeline_id = api.template()
    execution_id = api.start(pipeline_id)
    emulator.advance(PHASE * 12)
    image_id = api.execution(execution_id).image_id
    api.delete_template(pipeline_id)
    assert api.templates().total_count == 0
    expect_error(404, "InvalidImagePipeline.NotFound", api.executions,
                 image_pipeline_id=pipeline_id)
    body = api.executions(execution_id=execution_id)
    assert body.image_pipeline_execution.image_pipeline_execution_set == []
    assert api.image(image_id).status == "Available"


def test_deleting_a_template_with_a_running_build_is_refused(api, emulator):
    pipeline_id = api.template()
    api.start(pipeline_id)
    expect_error(403, "InvalidImagePipeline.HasRunningExecution", api.delete_template, pipeline_id)
    emulator.advance(PHASE * 12)
    api.delete_template(pipeline_id)
    expect_error(404, "InvalidImagePipeline.NotFound", api.delete_template, pipeline_id)


def test_one_endpoint_serves_every_region_and_keeps_them_apart(emulator):
    hangzhou, singapore = Api(emulator, HOME), Api(emulator, "ap-southeast-1")
    pipeline_id = singapore.template()
    assert hangzhou.templates().total_count == 0
    assert singapore.template_ids() == [pipeline_id]
    expect_error(404, "InvalidImagePipeline.NotFound", hangzhou.delete_template, pipeline_id)
