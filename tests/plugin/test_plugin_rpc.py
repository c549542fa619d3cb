"""The plugin process spoken to over gRPC as the engine speaks to it: its version, its schema,
Configure with secrets, and errors as messages (no Python traceback) naming the property."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import grpc
import pytest
from google.protobuf import empty_pb2, struct_pb2
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

from alicloud_imagebuilder_emulator.process import first_line
from alicloud_imagebuilder_provider import __version__
from harness import wait_for

ROOT = Path(__file__).resolve().parents[2]
PLUGIN = ROOT / ".venv" / "bin" / "pulumi-resource-alicloud-imagebuilder"
TEMPLATE_URN = ("urn:pulumi:dev::proj::alicloud-imagebuilder:imagebuilder:ImageTemplate::web")
BASE_IMAGE = "acs:alibaba_cloud_linux_3_2104_lts_x64"
SECRET = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270"}


def struct(value: dict) -> struct_pb2.Struct:
    message = struct_pb2.Struct()
    message.update(value)
    return message


@pytest.fixture
def plugin():
    """A running plugin and a stub to it (the engine address is only used for logging)."""
    proc = subprocess.Popen([str(PLUGIN), "127.0.0.1:1"], stdout=subprocess.PIPE, text=True)
    try:
        port = int(first_line(proc, 60))  # the port the plugin listens on
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            yield provider_pb2_grpc.ResourceProviderStub(channel)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def configure(stub, emulator) -> None:
    stub.Configure(provider_pb2.ConfigureRequest(
        variables={"alicloud-imagebuilder:region": "cn-hangzhou",
                   "alicloud-imagebuilder:endpoint": emulator.url},
        args=struct({"accessKey": {**SECRET, "value": emulator.access_key_id},
                     "secretKey": {**SECRET, "value": emulator.access_key_secret}}),
        acceptSecrets=True), timeout=30)


def test_the_plugin_reports_the_packages_version_and_serves_schema_json(plugin):
    assert plugin.GetPluginInfo(empty_pb2.Empty(), timeout=30).version == __version__
    served = plugin.GetSchema(provider_pb2.GetSchemaRequest(), timeout=30).schema
    assert json.loads(served) == json.loads((ROOT / "schema.json").read_text())


def test_check_names_the_camel_case_property_and_the_fix(plugin, emulator):
    configure(plugin, emulator)
    checked = plugin.Check(provider_pb2.CheckRequest(urn=TEMPLATE_URN, news=struct({
        "templateName": "web", "baseImageType": "IMAGE_FAMILY", "baseImage": "acs:x",
        "toRegionIds": ["cn-shanghai"] * 21})), timeout=30)
    assert [f.property for f in checked.failures] == ["toRegionIds"]
    assert "20" in checked.failures[0].reason


def test_diff_reports_which_property_forces_a_replacement_and_which_updates(plugin, emulator):
    configure(plugin, emulator)
    olds = {"componentName": "nginx", "content": "RUN echo 1", "tags": {"team": "a"}}
    news = {**olds, "content": "RUN echo 2", "tags": {"team": "b"}}
    diff = plugin.Diff(provider_pb2.DiffRequest(
        id="ic-1", urn=TEMPLATE_URN.replace("ImageTemplate", "ImageComponent"),
        olds=struct(olds), news=struct(news)), timeout=30)
    kinds = {name: d.kind for name, d in diff.detailedDiff.items()}
    assert diff.hasDetailedDiff and list(diff.replaces) == ["content"]
    assert kinds == {"content": provider_pb2.PropertyDiff.UPDATE_REPLACE,
                     "tags": provider_pb2.PropertyDiff.UPDATE}


def test_reading_a_missing_id_is_a_clear_error_without_a_traceback(plugin, emulator):
    configure(plugin, emulator)
    with pytest.raises(grpc.RpcError) as raised:
        plugin.Read(provider_pb2.ReadRequest(id="ip-missing", urn=TEMPLATE_URN), timeout=30)
    message = raised.value.details()
    assert "ImageTemplate ip-missing not found in region cn-hangzhou" in message
    assert "Traceback" not in message and ".py" not in message
    assert emulator.access_key_secret not in message


@pytest.mark.emulator(args=["--manual-clock"])  # the builds run until the test ends
def test_a_check_is_answered_while_more_than_four_builds_run(plugin, emulator):
    configure(plugin, emulator)
    template_urn = TEMPLATE_URN.replace("::web", "::t{}")
    build_urn = TEMPLATE_URN.replace("ImageTemplate::web", "ImageBuild::b{}")
    builds = []
    for i in range(6):
        template = struct({"baseImageType": "IMAGE_FAMILY", "baseImage": BASE_IMAGE,
                           "buildContent": "RUN echo hello", "imageName": f"b{i}"})
        made = plugin.Create(provider_pb2.CreateRequest(urn=template_urn.format(i),
                                                        properties=template), timeout=30)
        builds.append(plugin.Create.future(provider_pb2.CreateRequest(
            urn=build_urn.format(i), properties=struct({"templateId": made.id})), timeout=300))
    wait_for(lambda: len(emulator.all("executions")) == 6, timeout=120)

    checked = plugin.Check(provider_pb2.CheckRequest(urn=TEMPLATE_URN, news=struct({
        "baseImageType": "IMAGE_FAMILY", "baseImage": "acs:x"})), timeout=10)
    assert list(checked.failures) == []
    assert all(not b.done() for b in builds)  # the builds were still running meanwhile
    plugin.Cancel(empty_pb2.Empty(), timeout=30)  # their waits end; the builds stay recorded
    for build in builds:
        with pytest.raises(grpc.RpcError) as stopped:
            build.result()
        assert "keeps running in the service" in stopped.value.details()
