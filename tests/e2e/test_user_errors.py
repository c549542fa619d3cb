"""What a user sees when something is wrong, through the real Pulumi CLI on scratch programs."""

from __future__ import annotations

import textwrap

import pytest

PROGRAM = textwrap.dedent('''\
    import pulumi
    import pulumi_alicloud_imagebuilder as imagebuilder

    component = imagebuilder.ImageComponent("c", content="RUN echo hi")
    template = imagebuilder.ImageTemplate("t", build_components=[component.id], {args})
    ''')

OSS = ('{"disk_device_mappings": [{"oss_bucket": "b", "oss_object": "o.qcow2"}]}')
COMBINED = [
    (f'base_image_type="OSS", base_image="m-123", import_image_options={OSS}', "base_image"),
    ('base_image_type="IMAGE_FAMILY"', "base_image"),
    ('base_image_type="IMAGE_FAMILY", base_image="acs:alibaba_cloud_linux_3_2104_lts_x64", '
     'repair_mode="Customized"', "repair_items"),
    ('base_image_type="IMAGE_FAMILY", base_image="acs:alibaba_cloud_linux_3_2104_lts_x64", '
     'build_content="RUN echo a\\n" * 127', "build_content"),
]


@pytest.mark.parametrize(("args", "prop"), COMBINED, ids=[c[1] for c in COMBINED])
def test_rules_combining_properties_fail_preview_while_components_are_unknown(project, emulator,
                                                                              args, prop):
    stack = project("quickstart", program=PROGRAM.format(args=args))
    preview = stack.run("preview", check=False)

    output = preview.stdout + preview.stderr
    assert preview.returncode != 0, output
    assert f"ImageTemplate.{prop}" in output
    assert emulator.counts()["total"] == 0
