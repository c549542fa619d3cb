"""Quickstart: one build component, one image template that distributes to two more regions
and shares with another account, and one build whose per-region image ids are stack outputs."""

import pulumi
import pulumi_alicloud_imagebuilder as imagebuilder

config = pulumi.Config()
prefix = config.get("namePrefix") or ""  # in front of every name (the acceptance suite's)
# Tags change in place where the service allows it (components) and never rebuild images.
tags = {"team": config.get("team") or "platform"}

nginx = imagebuilder.ImageComponent(
    "nginx",
    component_name=prefix + "quickstart-nginx",
    description="Installs and enables nginx",
    tags=tags,
    content="\n".join([
        "RUN yum install -y nginx",
        "RUN systemctl enable nginx",
    ]),
)

template = imagebuilder.ImageTemplate(
    "web",
    template_name=prefix + "quickstart-web",
    tags=tags,
    base_image_type="IMAGE_FAMILY",
    base_image="acs:alibaba_cloud_linux_3_2104_lts_x64",
    build_components=[nginx.id],
    build_content=config.get("extraBuildContent"),
    instance_type="ecs.g7.large",
    internet_max_bandwidth_out=10,
    image_name=prefix + "quickstart-web",
    to_region_ids=["cn-shanghai", "ap-southeast-1"],
    add_accounts=[config.get("shareWithAccount") or "1234567890123456"],
)

build = imagebuilder.ImageBuild(
    "web",
    template_id=template.id,
    # Change a trigger to bake a new image from the same template.
    triggers={"release": config.get("release") or "1"},
    tags=tags,
    # The demo cleans up after itself; a real stack usually keeps its images.
    delete_images_on_destroy=config.get_bool("deleteImagesOnDestroy") is not False,
)

pulumi.export("template_id", template.id)
pulumi.export("execution_id", build.execution_id)
pulumi.export("image_name", build.image_name)
pulumi.export("image_ids", build.image_ids)
