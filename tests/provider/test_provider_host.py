"""The providers in a fresh ``python -m pulumi.dynamic`` process, driven over gRPC like the
engine drives them, and what the serialized provider and outputs may (not) contain."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Iterator

import grpc
import pytest
from google.protobuf import struct_pb2
from pulumi.dynamic import Config, ConfigureRequest
from pulumi.dynamic.dynamic import serialize_provider
from pulumi.runtime import rpc
from pulumi.runtime._serialization import _serialize
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

from alicloud_imagebuilder_provider.dynamic import (ImageBuildProvider, ImageComponentProvider,
                                                    ImageTemplateProvider)
from alicloud_imagebuilder_provider.hostpool import widen_host_pool
from alicloud_imagebuilder_provider.resources.executions import RUNNING
from alicloud_imagebuilder_emulator.process import first_line

from provider_testkit import ACCOUNT, BASE, COPIES, HOME, QUICK_POLLS, stack_config, wait_for

TYPE = "pulumi-python:dynamic/imagebuilder"


def serialized(provider: Any) -> str:
    text, contains_secrets = _serialize(True, serialize_provider, provider)
    assert not contains_secrets
    return text


def to_struct(props: dict[str, Any]) -> struct_pb2.Struct:
    loop = asyncio.new_event_loop()  # like the host; leaves the thread's current loop alone
    try:
        return loop.run_until_complete(rpc.serialize_properties(props, {}))
    finally:
        loop.close()


def from_struct(struct: struct_pb2.Struct) -> dict[str, Any]:
    return rpc.deserialize_properties(struct)


class Host:
    """One ``python -m pulumi.dynamic`` process and a stub speaking to it."""

    def __init__(self, process: subprocess.Popen, stub: Any, emulator: Any):
        self.process, self.stub, self.emulator = process, stub, emulator

    def urn(self, kind: str, name: str) -> str:
        return f"urn:pulumi:dev::proj::{TYPE}:{kind}::{name}"

    def check(self, kind: str, name: str, news: dict[str, Any]) -> Any:
        return self.stub.Check(provider_pb2.CheckRequest(
            urn=self.urn(kind, name), olds=to_struct({}), news=to_struct(news)))

    def stderr(self) -> str:
        """Everything the host printed to stderr (the CLI shows it); stops the host."""
        self.process.kill()
        return self.process.stderr.read()

    def create(self, kind: str, name: str, props: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """A Create; the emulator's manual clock moves on while it runs (see :func:`follow`)."""
        pending = self.stub.Create.future(provider_pb2.CreateRequest(
            urn=self.urn(kind, name), properties=to_struct(props)))
        follow(self.emulator, pending.done)
        response = pending.result()
        return response.id, from_struct(response.properties)


def follow(emulator: Any, done: Callable[[], bool], limit: int = 100) -> None:
    """Until ``done()``, move the emulator's manual clock on one build phase at a time, each time
    once the host (which waits on wall time) has made two more calls: the fixture's emulator
    answers one call at a time, so the second began after the move, and the host sees every
    phase of a build however slow the machine is."""
    for _ in range(limit):
        wanted = emulator.count() + 2
        wait_for(lambda wanted=wanted: done() or emulator.count() >= wanted, limit=60.0)
        if done():
            return
        emulator.advance(emulator.backend.settings.phase_seconds)
    raise AssertionError(f"the host's call did not end within {limit} build phases")


def start_host(emulator: Any) -> Host:
    """A fresh host process, configured with the stack config (the secret key as a secret)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALIBABA_CLOUD_")}
    process = subprocess.Popen([sys.executable, "-u", "-m", "pulumi.dynamic"],
                               env={**env, "PULUMI_PROJECT": "proj"}, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    port = int(first_line(process, 60))  # the port the host listens on
    stub = provider_pb2_grpc.ResourceProviderStub(grpc.insecure_channel(f"127.0.0.1:{port}"))
    config = stack_config(emulator, **QUICK_POLLS)
    config["alicloud-imagebuilder:secretKey"] = rpc.wrap_rpc_secret(emulator.access_key_secret)
    stub.Configure(provider_pb2.ConfigureRequest(args=to_struct(config), acceptSecrets=True))
    return Host(process, stub, emulator)


@pytest.fixture
def host(emulator) -> Iterator[Host]:
    emulator.configure(manual_clock=True)  # builds move when a test moves them
    started = start_host(emulator)
    yield started
    started.process.kill()
    started.process.wait()


@pytest.mark.parametrize("provider", [ImageComponentProvider, ImageTemplateProvider,
                                      ImageBuildProvider])
def test_the_serialized_provider_is_a_reference_without_settings(emulator, provider):
    instance = provider()
    instance.configure(ConfigureRequest(Config(stack_config(emulator), "proj")))
    text = serialized(instance)
    raw = base64.b64decode(text)
    assert len(raw) < 120 and provider.__name__.encode() in raw
    for value in (emulator.access_key_secret, emulator.access_key_id, emulator.url):
        assert value.encode() not in raw
    assert vars(instance) == {}


def test_a_whole_lifecycle_through_the_dynamic_provider_host(emulator, host):
    secret = emulator.access_key_secret
    component = {"__provider": serialized(ImageComponentProvider()), "component_name": "nginx",
                 "content": "RUN yum install -y nginx"}
    checked = host.check("ImageComponent", "nginx", component)
    assert list(checked.failures) == []
    component_id, component_outs = host.create("ImageComponent", "nginx", component)
    assert component_id.startswith("ic-") and component_outs["component_version"] == "1.0.0"

    template = {"__provider": serialized(ImageTemplateProvider()), **BASE,
                "build_components": [component_id], "image_name": "web",
                "internet_max_bandwidth_out": 10, "to_region_ids": COPIES,
                "add_accounts": [ACCOUNT]}
    template_id, template_outs = host.create("ImageTemplate", "web", template)

    build = {"__provider": serialized(ImageBuildProvider()), "template_id": template_id,
             "triggers": {"release": "42"}, "_identity": "proj/dev/web-build"}
    build_id, build_outs = host.create("ImageBuild", "web-build", build)
    assert set(build_outs["image_ids"]) == {HOME, *COPIES}

    diff = host.stub.Diff(provider_pb2.DiffRequest(
        id=build_id, urn=host.urn("ImageBuild", "web-build"), olds=to_struct(build_outs),
        news=to_struct(build)))
    assert diff.changes == provider_pb2.DiffResponse.DIFF_NONE
    changed = {**build, "triggers": {"release": "43"}}
    diff = host.stub.Diff(provider_pb2.DiffRequest(
        id=build_id, urn=host.urn("ImageBuild", "web-build"), olds=to_struct(build_outs),
        news=to_struct(changed)))
    assert diff.changes == provider_pb2.DiffResponse.DIFF_SOME
    assert list(diff.replaces) == ["triggers"]

    updated = host.stub.Update(provider_pb2.UpdateRequest(
        id=build_id, urn=host.urn("ImageBuild", "web-build"), olds=to_struct(build_outs),
        news=to_struct({**build, "timeout": "2h", "delete_images_on_destroy": True})))
    build_outs = from_struct(updated.properties)
    assert build_outs["timeout"] == "2h"

    read = host.stub.Read(provider_pb2.ReadRequest(
        id=template_id, urn=host.urn("ImageTemplate", "web"), properties=to_struct(template_outs)))
    assert read.id == template_id and from_struct(read.inputs)["build_components"] == [component_id]

    fresh = start_host(emulator)  # a refresh: the first calls of a new host come all at once
    try:
        reads = [fresh.stub.Read.future(provider_pb2.ReadRequest(
            id=id_, urn=fresh.urn(kind, name), properties=to_struct(outs)))
            for id_, kind, name, outs in ((component_id, "ImageComponent", "nginx", component_outs),
                                          (template_id, "ImageTemplate", "web", template_outs),
                                          (build_id, "ImageBuild", "web-build", build_outs))]
        assert [r.result().id for r in reads] == [component_id, template_id, build_id]
    finally:
        fresh.process.kill()

    everything = json.dumps([component_outs, template_outs, build_outs,
                             from_struct(read.properties)])
    assert secret not in everything and emulator.access_key_id not in everything

    host.stub.Delete(provider_pb2.DeleteRequest(
        id=build_id, urn=host.urn("ImageBuild", "web-build"), properties=to_struct(build_outs)))
    host.stub.Delete(provider_pb2.DeleteRequest(
        id=template_id, urn=host.urn("ImageTemplate", "web"), properties=to_struct(template_outs)))
    host.stub.Delete(provider_pb2.DeleteRequest(
        id=component_id, urn=host.urn("ImageComponent", "nginx"),
        properties=to_struct(component_outs)))
    regions = emulator.state()["regions"]
    assert all(not data["images"] and not data["templates"] and not data["components"]
               for data in regions.values())
    printed = host.stderr()
    assert f"[imagebuilder] build {build_id}: BUILDING" in printed
    assert f"[imagebuilder] build {build_id}: SUCCESS" in printed and secret not in printed


def test_check_failures_reach_the_engine(emulator, host):
    response = host.check("ImageTemplate", "web", {
        "__provider": serialized(ImageTemplateProvider()), **BASE, "system_disk_size": 5})
    assert [(f.property, "at least 20" in f.reason) for f in response.failures] == [
        ("system_disk_size", True)]
    assert emulator.count() == 0


def test_service_errors_reach_the_engine_without_secrets(emulator, host):
    with pytest.raises(grpc.RpcError) as failure:
        host.create("ImageTemplate", "web", {"__provider": serialized(ImageTemplateProvider()),
                                             **BASE, "base_image": "acs:missing_family"})
    details = failure.value.details()
    assert "InvalidImage.NotFound" in details and "request id" in details
    assert emulator.access_key_secret not in details


def test_ctrl_c_stops_the_host_and_the_next_run_adopts_the_running_build(emulator, host):
    template_id, _ = host.create("ImageTemplate", "web", {
        "__provider": serialized(ImageTemplateProvider()), **BASE, "build_content": "RUN echo"})
    build = {"__provider": serialized(ImageBuildProvider()), "template_id": template_id,
             "_identity": "proj/dev/web-build"}
    request = provider_pb2.CreateRequest(urn=host.urn("ImageBuild", "b"),
                                         properties=to_struct(build))
    pending = host.stub.Create.future(request)
    wait_for(lambda: emulator.state()["regions"][HOME]["executions"], limit=60.0)
    host.process.send_signal(signal.SIGINT)  # what the engine sends on Ctrl-C
    host.process.wait(timeout=60)
    with pytest.raises(grpc.RpcError):
        pending.result()
    [running] = emulator.state()["regions"][HOME]["executions"]
    assert running["Status"] in RUNNING  # the host stopped waiting; nothing was cancelled

    again = start_host(emulator)
    try:
        build_id, outs = again.create("ImageBuild", "b", build)
    finally:
        again.process.kill()
    assert build_id == running["ExecutionId"] and outs["status"] == "SUCCESS"
    assert len(emulator.state()["regions"][HOME]["executions"]) == 1


def test_the_host_runs_more_than_four_builds_at_once_and_checks_while_they_run(
        imagebuilder_emulator_factory):
    emulator = imagebuilder_emulator_factory(manual_clock=True)  # builds move only when told
    host = start_host(emulator)
    try:
        templates = [host.create("ImageTemplate", f"web{i}", {
            "__provider": serialized(ImageTemplateProvider()), **BASE,
            "build_content": "RUN echo"})[0] for i in range(6)]
        builds = [{"__provider": serialized(ImageBuildProvider()), "template_id": template_id,
                   "_identity": f"proj/dev/b{i}"} for i, template_id in enumerate(templates)]
        pending = [host.stub.Create.future(provider_pb2.CreateRequest(
            urn=host.urn("ImageBuild", f"b{i}"), properties=to_struct(build)))
            for i, build in enumerate(builds)]
        wait_for(lambda: len(emulator.state()["regions"][HOME]["executions"]) == len(builds),
                 limit=120.0)  # more than four creates at once
        checked = host.stub.Check(provider_pb2.CheckRequest(
            urn=host.urn("ImageTemplate", "late"), olds=to_struct({}), news=to_struct({
                "__provider": serialized(ImageTemplateProvider()), **BASE,
                "system_disk_size": 5})), timeout=60)
        assert [f.property for f in checked.failures] == ["system_disk_size"]
        executions = emulator.state()["regions"][HOME]["executions"]
        assert all(e["Status"] in RUNNING for e in executions)  # answered while all six run
        emulator.advance(3600)
        assert sorted(from_struct(p.result(timeout=120).properties)["status"] for p in pending) \
            == ["SUCCESS"] * len(builds)
    finally:
        host.process.kill()
        host.process.wait()


def test_the_host_pool_is_left_alone_outside_the_dynamic_host():
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert pool.submit(widen_host_pool).result() is False
        assert pool._max_workers == 4
