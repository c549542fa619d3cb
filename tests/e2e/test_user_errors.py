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


LOOKUP = textwrap.dedent('''\
    import pulumi
    import pulumi_alicloud_imagebuilder as imagebuilder

    imagebuilder.{kind}.get("x", "{id}")
    ''')


@pytest.mark.parametrize(("kind", "id_"), [("ImageTemplate", "ip-doesnotexist"),
                                           ("ImageComponent", "ic-doesnotexist"),
                                           ("ImageBuild", "exec-doesnotexist")])
def test_get_of_an_id_that_does_not_exist_fails_naming_the_id_and_region(project, kind, id_):
    stack = project("quickstart", program=LOOKUP.format(kind=kind, id=id_))
    preview = stack.run("preview", check=False)

    output = preview.stdout + preview.stderr
    assert preview.returncode != 0, output
    assert f"{kind} {id_} not found in region cn-hangzhou" in output


def test_import_option_fails_pointing_to_get(project, emulator):
    program = textwrap.dedent('''\
        import pulumi
        import pulumi_alicloud_imagebuilder as imagebuilder

        imagebuilder.ImageComponent("c", content="RUN echo hi",
                                    opts=pulumi.ResourceOptions(import_="ic-123"))
        ''')
    stack = project("quickstart", program=program)
    preview = stack.run("preview", check=False)

    output = preview.stdout + preview.stderr
    assert preview.returncode != 0, output
    assert 'ImageComponent.get("<name>", \'ic-123\')' in output
    assert "KeyError" not in output and "Traceback" not in output
    assert emulator.counts()["total"] == 0


def test_a_service_error_names_the_property_and_prints_no_traceback(project, emulator):
    program = textwrap.dedent('''\
        import pulumi
        import pulumi_alicloud_imagebuilder as imagebuilder

        imagebuilder.ImageTemplate("t", base_image_type="IMAGE_FAMILY",
                                   base_image="acs:alibaba_cloud_linux_3_2104_lts_x64",
                                   build_content="RUN echo hi",
                                   to_region_ids=["cn-shanghai", "cn-nowhere-9"])
        ''')
    stack = project("quickstart", program=program)
    result = stack.up(check=False)

    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "to_region_ids[1] 'cn-nowhere-9' is not a region" in output
    assert "ToRegionId" not in output and "Traceback" not in output


def test_parameters_parsed_from_a_secret_content_stay_secret_in_state(project, emulator):
    program = textwrap.dedent('''\
        import pulumi
        import pulumi_alicloud_imagebuilder as imagebuilder

        content = "\\n".join([
            "Parameters:",
            "  vaultTokenXyzzy:",
            "    Type: String",
            "    DefaultValue: hunter2-plugh",
            "Tasks:",
            "  - Name: t",
            "    Action: RunShellCommand",
            "    Properties:",
            "      commandContent: echo {{ vaultTokenXyzzy }}",
        ])
        component = imagebuilder.ImageComponent("c", content=pulumi.Output.secret(content))
        pulumi.export("parameters", component.parameters)
        ''')
    stack = project("quickstart", program=program)
    stack.up()
    stack.run("refresh", "--yes", "--skip-preview")
    state = stack.run("stack", "export").stdout
    decrypted = stack.run("stack", "export", "--show-secrets").stdout

    assert "vaultTokenXyzzy" in decrypted and "hunter2-plugh" in decrypted  # it is there...
    assert "vaultTokenXyzzy" not in state and "hunter2-plugh" not in state  # ...encrypted


SETUP_ENV = ("ALIBABA_CLOUD_REGION_ID", "ALIBABA_CLOUD_ACCESS_KEY_ID",
             "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN",
             "ALIBABA_CLOUD_PROFILE")


@pytest.mark.parametrize(("remove", "add", "expected"), [
    (["region"], {}, "no region: set the resource's `region`, or run `pulumi config set "
     "alicloud-imagebuilder:region cn-hangzhou` (or `alicloud:region`, or export "
     "ALIBABA_CLOUD_REGION_ID)"),
    (["secretKey"], {}, "set both alicloud-imagebuilder:accessKey and alicloud-imagebuilder:"
     "secretKey"),
    (["accessKey", "secretKey"], {"profile": "nosuchprofile"},
     "profile 'nosuchprofile' (alicloud-imagebuilder:profile or ALIBABA_CLOUD_PROFILE) is not in "
     "~/.aliyun/config.json"),
], ids=["region", "half-a-key", "profile"])
def test_incomplete_setup_fails_preview_naming_what_to_set(project, emulator, tmp_path, remove,
                                                           add, expected):
    stack = project("quickstart")
    for variable in SETUP_ENV:
        stack.env.pop(variable, None)
    stack.env["HOME"] = str(tmp_path)  # no Alibaba Cloud CLI profiles here
    for key in remove:
        stack.run("config", "rm", f"alicloud-imagebuilder:{key}")
    for key, value in add.items():
        stack.config(f"alicloud-imagebuilder:{key}", value)
    preview = stack.run("preview", check=False)

    output = " ".join((preview.stdout + preview.stderr).split())
    assert preview.returncode != 0, output
    assert expected in output and "Traceback" not in output
    assert emulator.counts()["total"] == 0
