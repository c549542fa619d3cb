"""The program of the upgrade fixture (tests/e2e/test_upgrade.py): each resource kind, a build
distributed to three regions and shared, one in another region, and both delete policies.

An earlier release ran it to make the saved stack and emulator state (see
tools/make-upgrade-fixture.py); this checkout must then see no change. It uses only arguments
that release knew."""

import pulumi
import pulumi_alicloud_imagebuilder as imagebuilder

config = pulumi.Config()
tags = {"team": "platform"}

nginx = imagebuilder.ImageComponent(
    "nginx", component_name="upgrade-nginx", description="Installs and enables nginx", tags=tags,
    content="RUN yum install -y nginx\nRUN systemctl enable nginx")
check = imagebuilder.ImageComponent(
    "check", component_name="upgrade-check", component_type="Test",
    content="RUN systemctl is-enabled nginx")

web = imagebuilder.ImageTemplate(
    "web", template_name="upgrade-web", tags=tags,
    base_image_type="IMAGE_FAMILY", base_image="acs:alibaba_cloud_linux_3_2104_lts_x64",
    build_components=[nginx.id], test_components=[check.id], instance_type="ecs.g7.large",
    internet_max_bandwidth_out=10, image_name="upgrade-web", image_tags={"app": "web"},
    to_region_ids=["cn-shanghai", "ap-southeast-1"], add_accounts=["1234567890123456"])
web_build = imagebuilder.ImageBuild(
    "web", template_id=web.id, tags=tags, delete_images_on_destroy=True,
    triggers={"release": config.get("release") or "1"})

# In a region of its own; its images are kept on destroy (the default).
base = imagebuilder.ImageTemplate(
    "base", region="cn-beijing", base_image_type="IMAGE",
    base_image="ubuntu_22_04_x64_20G_alibase_20240710.vhd",
    build_content="RUN echo base > /etc/motd", image_name="upgrade-base", repair_mode="Standard")
base_build = imagebuilder.ImageBuild("base", region="cn-beijing", template_id=base.id,
                                     triggers={"release": "1"})

pulumi.export("web_image_ids", web_build.image_ids)
pulumi.export("web_execution_id", web_build.execution_id)
pulumi.export("base_image_ids", base_build.image_ids)
