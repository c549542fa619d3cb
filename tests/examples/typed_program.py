"""A program that hands an image id on to pulumi-alicloud, checked by mypy --strict (never run)."""

import pulumi
import pulumi_alicloud as alicloud

import pulumi_alicloud_imagebuilder as imagebuilder

template = imagebuilder.ImageTemplate(
    "web", base_image_type="IMAGE_FAMILY", base_image="acs:alibaba_cloud_linux_3_2104_lts_x64",
    build_content="RUN yum install -y nginx")
build = imagebuilder.ImageBuild("web", template_id=template.id)

alicloud.ecs.Instance("web", instance_type="ecs.g7.large",
                      image_id=build.image_ids["cn-hangzhou"])
alicloud.ecs.Instance("web-copy", instance_type="ecs.g7.large",
                      image_id=build.image_ids.apply(lambda ids: ids["cn-shanghai"]))
missing: pulumi.Output[list[str]] = build.missing_regions.apply(sorted)
pulumi.export("missing", missing)
