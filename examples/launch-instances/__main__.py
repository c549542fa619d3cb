"""Hand images from one stack to another: read the per-region image ids that an image stack
(for example the quickstart) exports, and launch one instance in each region from them.

Config:
  imagesStack      the stack that baked the images, e.g. "organization/imagebuilder-quickstart/prod"
  regions          the regions to launch in (default: the quickstart's three)
  instanceType     default ecs.g7.large
  vswitchIds       {region: vsw-...}   where each instance goes
  securityGroupIds {region: sg-...}
  launchInstances  false to only resolve and export the image ids (no alicloud plugin needed)
"""

import pulumi

config = pulumi.Config()
regions = config.get_object("regions") or ["cn-hangzhou", "cn-shanghai", "ap-southeast-1"]

images = pulumi.StackReference(config.require("imagesStack"))
image_ids = images.require_output("image_ids")
pulumi.export("image_ids", image_ids)

if config.get_bool("launchInstances") is not False:
    import pulumi_alicloud as alicloud

    vswitch_ids = config.get_object("vswitchIds") or {}
    security_group_ids = config.get_object("securityGroupIds") or {}
    instance_ids = {}
    for region in regions:
        provider = alicloud.Provider(region, region=region)
        instance = alicloud.ecs.Instance(
            f"web-{region}",
            instance_name=f"web-{region}",
            image_id=image_ids[region],
            instance_type=config.get("instanceType") or "ecs.g7.large",
            vswitch_id=vswitch_ids.get(region),
            security_groups=[security_group_ids[region]] if region in security_group_ids else None,
            opts=pulumi.ResourceOptions(provider=provider),
        )
        instance_ids[region] = instance.id
    pulumi.export("instance_ids", instance_ids)
