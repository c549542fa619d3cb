"""A tested image: build components, image repair, test components, distribution, and a
trigger-driven rebuild.

Config (all optional):
  release               change it to bake a new image from the same template (default "1")
  failTests             true makes the smoke test fail: `pulumi up` then fails with the
                        service's TEST_FAILED message, and the failed build's images are deleted
  acceptPartialSuccess  true accepts a build whose copy to some region failed
                        (PARTITION_SUCCESS): the stack then lists those regions in missing_regions
  namePrefix            put in front of every name (the acceptance suite's prefix)
"""

import pulumi
import pulumi_alicloud_imagebuilder as imagebuilder

config = pulumi.Config()
prefix = config.get("namePrefix") or ""

hardening = imagebuilder.ImageComponent(
    "ssh-hardening",
    component_name=prefix + "tested-ssh-hardening",
    description="No root login over SSH",
    content="\n".join([
        "RUN sed -i 's/^#\\?PermitRootLogin.*/PermitRootLogin no/' /etc/ssh/sshd_config",
        "RUN systemctl restart sshd",
    ]),
)

smoke_test = imagebuilder.ImageComponent(
    "smoke-test",
    component_name=prefix + "tested-smoke-test",
    component_type="Test",
    description="The image boots with SSH hardened",
    content="RUN exit 1" if config.get_bool("failTests") else "RUN grep -q '^PermitRootLogin no' "
                                                              "/etc/ssh/sshd_config",
)

template = imagebuilder.ImageTemplate(
    "tested",
    template_name=prefix + "tested-ubuntu",
    description="Hardened Ubuntu 22.04, repaired and tested",
    base_image_type="IMAGE",
    base_image="ubuntu_22_04_x64_20G_alibase_20240710.vhd",
    build_components=[hardening.id],
    test_components=[smoke_test.id],
    repair_mode="Standard",
    instance_type="ecs.c7.large",
    system_disk_size=40,
    image_name=prefix + "tested-ubuntu",
    image_family=prefix + "tested-ubuntu",
    to_region_ids=["cn-beijing", "eu-central-1"],
    tags={"team": "platform"},
)

build = imagebuilder.ImageBuild(
    "tested",
    template_id=template.id,
    triggers={"release": config.get("release") or "1"},
    accept_partial_success=config.get_bool("acceptPartialSuccess") or False,
    delete_images_on_destroy=True,
)

pulumi.export("status", build.status)
pulumi.export("image_ids", build.image_ids)
pulumi.export("missing_regions", build.missing_regions)
