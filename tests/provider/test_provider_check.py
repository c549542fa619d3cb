"""Preview-time checks through the dynamic adapters: every limit, before any API call."""

from __future__ import annotations

import pytest
from pulumi.dynamic import Config, ConfigureRequest
from pulumi.output import Unknown
from pulumi.runtime import rpc

from alicloud_imagebuilder_provider.dynamic import (ImageBuildProvider, ImageComponentProvider,
                                                    ImageTemplateProvider)

from provider_testkit import BASE, stack_config

PROVIDERS = {"ImageComponent": ImageComponentProvider, "ImageTemplate": ImageTemplateProvider,
             "ImageBuild": ImageBuildProvider}
GOOD = {"ImageComponent": {"content": "RUN echo hi"},
        "ImageTemplate": {**BASE, "build_content": "RUN echo hi"},
        "ImageBuild": {"template_id": "ip-123"}}
YAML = ("Tasks:\n  - Name: t\n    Action: RunShellCommand\n    Properties:\n"
        "      commandContent: ls\n")
OSS = {"disk_device_mappings": [{"oss_bucket": "b", "oss_object": "o.qcow2"}]}
MANY = {f"k{i}": "v" for i in range(21)}
REGIONS = [f"cn-r{i}" for i in range(21)]

TABLE = [
    ("ImageComponent", {"content": None}, "content", "is required"),
    ("ImageComponent", {"content": "  "}, "content", "must not be empty"),
    ("ImageComponent", {"content": "FROM centos\nRUN a"}, "content", "FROM is not allowed"),
    ("ImageComponent", {"content": "COMPONENT ic-1"}, "content", "only allowed in templates"),
    ("ImageComponent", {"content": "RUN"}, "content", "RUN needs arguments"),
    ("ImageComponent", {"content": "BOGUS x"}, "content", "unknown command 'BOGUS'"),
    ("ImageComponent", {"content": "RUN " + "x" * 16400}, "content", "16 KB"),
    ("ImageComponent", {"content": "RUN a\n" * 128}, "content", "at most 127"),
    ("ImageComponent", {"content": "RESTART\nRUN b"}, "content", "must be the last command"),
    ("ImageComponent", {"content": "ENV KEY"}, "content", "malformed ENV"),
    ("ImageComponent", {"content": "COPY only-source"}, "content", "malformed COPY"),
    ("ImageComponent", {"content": "CMD [\"a\", 1]"}, "content", "JSON array"),
    ("ImageComponent", {"content": "RUN echo \"open"}, "content", "unbalanced quotes"),
    ("ImageComponent", {"system_type": "Windows"}, "content", "YAML form"),
    ("ImageComponent", {"content": "Parameters: {}\n"}, "content", "Tasks"),
    ("ImageComponent", {"content": YAML.replace("RunShell", "RunPowerShell")}, "content",
     "only runs on Windows"),
    ("ImageComponent", {"content": "Parameters:\n  p:\n    Type: Text\n" + YAML}, "content",
     "needs Type"),
    ("ImageComponent", {"component_type": "Deploy"}, "component_type", "one of 'Build', 'Test'"),
    ("ImageComponent", {"component_version": "1.0"}, "component_version", "major.minor.patch"),
    ("ImageComponent", {"component_name": "1nginx"}, "component_name", "start with a letter"),
    ("ImageComponent", {"component_name": "n"}, "component_name", "2-128 characters"),
    ("ImageComponent", {"description": "https://example.com"}, "description", "http://"),
    ("ImageComponent", {"tags": MANY}, "tags", "at most 20 tags"),
    ("ImageComponent", {"tags": {"acs:team": "x"}}, "tags", "'aliyun' or 'acs:'"),
    ("ImageComponent", {"region": "Hangzhou"}, "region", "region id"),
    ("ImageComponent", {"nmae": "x"}, "nmae", "not a property"),
    ("ImageTemplate", {"base_image_type": "DOCKER"}, "base_image_type", "one of"),
    ("ImageTemplate", {"base_image": None}, "base_image", "is required with base_image_type"),
    ("ImageTemplate", {"base_image_type": "OSS", "import_image_options": OSS}, "base_image",
     "left out"),
    ("ImageTemplate", {"base_image_type": "OSS", "base_image": None}, "import_image_options",
     "is required"),
    ("ImageTemplate", {"import_image_options": OSS}, "import_image_options", "only used with"),
    ("ImageTemplate", {"base_image_type": "OSS", "base_image": None,
                       "import_image_options": {"disk_device_mappings": []}},
     "import_image_options", "at least 1"),
    ("ImageTemplate", {"build_components": ["nginx"]}, "build_components",
     "not an image component reference"),
    ("ImageTemplate", {"build_components": [{"component_id": "ic-1",
                                             "parameters": {"bad name": "x"}}]},
     "build_components", "parameter name"),
    ("ImageTemplate", {"build_content": "ENV ONLYKEY"}, "build_content", "malformed ENV"),
    ("ImageTemplate", {"build_content": "RUN " + "x" * 16400}, "build_content", "16 KB"),
    ("ImageTemplate", {"build_content": "RUN " + "x" * 16370,
                       "build_components": ["ic-abcdef"] * 3}, "build_content",
     "COMPONENT lines"),
    ("ImageTemplate", {"test_content": "RUN"}, "test_content", "RUN needs arguments"),
    ("ImageTemplate", {"repair_mode": "Fast"}, "repair_mode", "one of"),
    ("ImageTemplate", {"repair_mode": "Customized"}, "repair_items", "is required"),
    ("ImageTemplate", {"repair_mode": "Standard", "repair_items": ["grub"]}, "repair_items",
     "only applies"),
    ("ImageTemplate", {"repair_mode": "Customized", "repair_items": ["kernel"]}, "repair_items",
     "one of"),
    ("ImageTemplate", {"system_disk_size": 10}, "system_disk_size", "at least 20"),
    ("ImageTemplate", {"system_disk_size": 501}, "system_disk_size", "at most 500"),
    ("ImageTemplate", {"internet_max_bandwidth_out": 101}, "internet_max_bandwidth_out",
     "at most 100"),
    ("ImageTemplate", {"internet_max_bandwidth_out": 1.5}, "internet_max_bandwidth_out",
     "whole number"),
    ("ImageTemplate", {"image_name": "1web"}, "image_name", "start with a letter"),
    ("ImageTemplate", {"image_name": "w" * 65}, "image_name", "2-64 characters"),
    ("ImageTemplate", {"image_family": "aliyun_web"}, "image_family", "reserved"),
    ("ImageTemplate", {"image_description": "x"}, "image_description", "2-256 characters"),
    ("ImageTemplate", {"image_tags": MANY}, "image_tags", "at most 20 tags"),
    ("ImageTemplate", {"nvme_support": "maybe"}, "nvme_support", "one of"),
    ("ImageTemplate", {"to_region_ids": REGIONS}, "to_region_ids", "at most 20"),
    ("ImageTemplate", {"to_region_ids": ["cn-shanghai", "cn-shanghai"]}, "to_region_ids",
     "more than once"),
    ("ImageTemplate", {"to_region_ids": ["Shanghai"]}, "to_region_ids", "not a valid region id"),
    ("ImageTemplate", {"add_accounts": ["my-account"]}, "add_accounts", "not a valid account id"),
    ("ImageTemplate", {"image_name_suffix": "enable"}, "image_name_suffix", "one of 'disable'"),
    ("ImageTemplate", {"delete_instance_on_failure": "perhaps"}, "delete_instance_on_failure",
     "true or false"),
    ("ImageTemplate", {"template_name": "http://web"}, "template_name", "http://"),
    ("ImageBuild", {"template_id": None}, "template_id", "is required"),
    ("ImageBuild", {"timeout": "forever"}, "timeout", "duration"),
    ("ImageBuild", {"timeout": 0}, "timeout", "above 0"),
    ("ImageBuild", {"timeout": "72h"}, "timeout", "up to 48h"),
    ("ImageBuild", {"triggers": "release-42"}, "triggers", "must be a map"),
    ("ImageBuild", {"tags": MANY}, "tags", "at most 20 tags"),
    ("ImageBuild", {"accept_partial_success": "sometimes"}, "accept_partial_success",
     "true or false"),
]


def configured(kind: str, emulator) -> object:
    provider = PROVIDERS[kind]()
    provider.configure(ConfigureRequest(Config(stack_config(emulator), "proj")))
    return provider


@pytest.mark.parametrize(("kind", "change", "prop", "fragment"), TABLE,
                         ids=[f"{t[0]}.{t[2]}:{t[3]}" for t in TABLE])
def test_invalid_input_fails_check_naming_property_and_fix(emulator, kind, change, prop, fragment):
    news = {k: v for k, v in {**GOOD[kind], **change}.items() if v is not None}
    result = configured(kind, emulator).check({}, news)
    reasons = {f.property: f.reason for f in result.failures}
    assert prop in reasons, reasons
    assert reasons[prop].startswith(f"{kind}.{prop}") and fragment in reasons[prop]
    assert result.inputs == news  # nothing is lost
    assert emulator.count() == 0


@pytest.mark.parametrize("kind", PROVIDERS)
def test_valid_inputs_pass_check_without_api_calls(emulator, kind):
    result = configured(kind, emulator).check({}, dict(GOOD[kind]))
    assert result.failures == [] and emulator.count() == 0


def test_every_problem_is_reported_at_once(emulator):
    news = {**GOOD["ImageTemplate"], "system_disk_size": 5, "image_name": "9"}
    result = configured("ImageTemplate", emulator).check({}, news)
    assert {f.property for f in result.failures} == {"system_disk_size", "image_name"}


def test_unknown_values_pass_check_and_are_returned(emulator):
    news = {**GOOD["ImageTemplate"], "build_components": [Unknown(), rpc.UNKNOWN],
            "vswitch_id": Unknown(), "image_name": "9bad"}
    result = configured("ImageTemplate", emulator).check({}, news)
    assert [f.property for f in result.failures] == ["image_name"]  # known values still checked
    assert result.inputs is news


def test_content_is_checked_while_its_components_are_still_unknown(emulator):
    # At a first preview the components' ids are unknown: the content's own lines still count.
    news = {**GOOD["ImageTemplate"], "build_components": [Unknown()], "build_content": "RUNN x"}
    result = configured("ImageTemplate", emulator).check({}, news)
    [failure] = result.failures
    assert failure.property == "build_content" and "unknown command 'RUNN'" in failure.reason


def test_secret_inputs_are_checked_by_value(emulator):
    news = {"content": rpc.wrap_rpc_secret("FROM x")}
    result = configured("ImageComponent", emulator).check({}, news)
    assert [f.property for f in result.failures] == ["content"]


def test_unknown_in_a_replace_only_property_means_replace(emulator):
    olds = {"template_id": "ip-1", "triggers": {"r": "1"}}
    result = configured("ImageBuild", emulator).diff("exec-1", olds, {**olds,
                                                                      "template_id": Unknown()})
    assert result.changes is True and result.replaces == ["template_id"]


def test_unknown_in_a_provider_setting_means_changes_unknown(emulator):
    olds = {"template_id": "ip-1"}
    result = configured("ImageBuild", emulator).diff("exec-1", olds, {**olds,
                                                                      "timeout": rpc.UNKNOWN})
    assert result.changes is None and result.replaces == []


# Rules that combine properties, while the components are unknown (a first preview).
COMBINED = [
    ({"base_image_type": "OSS", "base_image": "m-123", "import_image_options": OSS}, "base_image",
     "left out"),
    ({"base_image": None}, "base_image", "is required with base_image_type IMAGE_FAMILY"),
    ({"repair_mode": "Customized"}, "repair_items", "is required"),
    ({"build_content": "RUN a\n" * 127}, "build_content", "128 commands"),
]


@pytest.mark.parametrize(("change", "prop", "fragment"), COMBINED, ids=[c[1] for c in COMBINED])
def test_rules_combining_properties_run_while_components_are_unknown(emulator, change, prop,
                                                                    fragment):
    news = {k: v for k, v in {**GOOD["ImageTemplate"], "build_components": [Unknown()],
                              **change}.items() if v is not None}
    result = configured("ImageTemplate", emulator).check({}, news)
    [failure] = result.failures
    assert failure.property == prop and failure.reason.startswith(f"ImageTemplate.{prop}")
    assert fragment in failure.reason
    assert emulator.count() == 0


@pytest.mark.parametrize("news", [
    {**BASE, "build_content": "RUN a\n" * 127, "build_components": Unknown()},  # maybe empty
    {"base_image_type": Unknown(), "build_components": [Unknown()]},  # maybe OSS
    {"base_image_type": "OSS", "import_image_options": Unknown()},
    {"base_image_type": "IMAGE", "base_image": Unknown(), "to_region_ids": [Unknown(), Unknown()]},
], ids=["whole-list-unknown", "type-unknown", "options-unknown", "several-unknown"])
def test_a_combined_rule_waits_when_an_unknown_could_still_satisfy_it(emulator, news):
    assert configured("ImageTemplate", emulator).check({}, news).failures == []


def test_rules_combining_properties_are_reported_with_a_single_property_failure(emulator):
    news = {**GOOD["ImageTemplate"], "repair_mode": "Customized", "system_disk_size": 5}
    result = configured("ImageTemplate", emulator).check({}, news)
    assert {f.property for f in result.failures} == {"system_disk_size", "repair_items"}
