"""The standalone server (a real process), its CLI, concurrency, and the pytest fixtures' handle."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest
from alibabacloud_ecs20140526 import models as m
from alibabacloud_ecs20140526.client import Client
from alibabacloud_tea_openapi.exceptions import AlibabaCloudException
from alibabacloud_tea_openapi.models import Config
from emulator_testkit import FAMILY, Api, wait_until

from alicloud_imagebuilder_emulator import (DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET,
                                            DEFAULT_ACCOUNT_ID)
from alicloud_imagebuilder_emulator.cli import main
from alicloud_imagebuilder_emulator.process import EmulatorProcess, first_line, without_proxies

def _launch(*args: str, console_script: bool = False) -> tuple[subprocess.Popen, str]:
    env = without_proxies()
    script = Path(sys.executable).with_name("alicloud-imagebuilder-emulator")
    command = ([str(script)] if console_script
               else [sys.executable, "-m", "alicloud_imagebuilder_emulator"])
    process = subprocess.Popen([*command, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=env)
    first = first_line(process, 60)
    assert first.startswith("endpoint: http://127.0.0.1:"), (
        first, process.stderr.read() if not first else "")
    return process, first.removeprefix("endpoint: http://").strip()


def _client(endpoint: str) -> Client:
    return Client(Config(access_key_id=DEFAULT_ACCESS_KEY_ID,
                         access_key_secret=DEFAULT_ACCESS_KEY_SECRET,
                         region_id="cn-hangzhou", endpoint=endpoint, protocol="http"))


def _stop(process: subprocess.Popen, signum: int) -> tuple[int, str]:
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=15)
    return process.returncode, stderr


def test_the_standalone_server_runs_a_build_and_exits_cleanly_on_sigterm():
    process, endpoint = _launch("--phase-seconds", "0.05", "--fail-distribution-to", "cn-shanghai")
    try:
        client = _client(endpoint)
        pipeline_id = client.create_image_pipeline(m.CreateImagePipelineRequest(
            region_id="cn-hangzhou", base_image_type="IMAGE_FAMILY", base_image=FAMILY,
            build_content="RUN true", to_region_id=["cn-shanghai"])).body.image_pipeline_id
        execution_id = client.start_image_pipeline_execution(m.StartImagePipelineExecutionRequest(
            region_id="cn-hangzhou", image_pipeline_id=pipeline_id)).body.execution_id
        request = m.DescribeImagePipelineExecutionsRequest(region_id="cn-hangzhou",
                                                           execution_id=execution_id)
        def status() -> str:
            body = client.describe_image_pipeline_executions(request).body
            return body.image_pipeline_execution.image_pipeline_execution_set[0].status

        wait_until(lambda: status() in ("SUCCESS", "PARTITION_SUCCESS", "FAILED"))
        assert status() == "PARTITION_SUCCESS"
    finally:
        returncode, stderr = _stop(process, signal.SIGTERM)
    assert returncode == 0
    assert "CreateImagePipeline cn-hangzhou 200 -" in stderr
    assert "StartImagePipelineExecution cn-hangzhou 200 -" in stderr


def test_the_console_script_with_a_manual_clock_is_quiet_and_stops_on_sigint():
    process, endpoint = _launch("--manual-clock", "--quiet", "--port", "0", "--release-failure",
                                console_script=True)
    try:
        client = _client(endpoint)
        client.describe_regions(m.DescribeRegionsRequest())
        with urllib.request.urlopen(f"http://{endpoint}/_emulator/clock") as response:
            assert json.load(response)["manual"] is True
        with urllib.request.urlopen(f"http://{endpoint}/_emulator/settings") as response:
            assert json.load(response)["release_failure"] is True
    finally:
        returncode, stderr = _stop(process, signal.SIGINT)
    assert returncode == 0 and stderr == ""


def test_the_process_handle_starts_the_emulator_drives_its_clock_and_stops_it(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY",
                       "http://127.0.0.1:9")  # neither the process nor the calls use it
    with EmulatorProcess(1.0, "--manual-clock") as emulator:
        client = emulator.client()
        pipeline_id = client.create_image_pipeline(m.CreateImagePipelineRequest(
            region_id="cn-hangzhou", base_image_type="IMAGE_FAMILY", base_image=FAMILY,
            build_content="RUN true")).body.image_pipeline_id
        execution_id = client.start_image_pipeline_execution(m.StartImagePipelineExecutionRequest(
            region_id="cn-hangzhou", image_pipeline_id=pipeline_id)).body.execution_id
        emulator.advance(3600)
        [execution] = emulator.all("executions")
        assert (execution["ExecutionId"], execution["Status"]) == (execution_id, "SUCCESS")
        assert [r["action"] for r in emulator.requests("StartImagePipelineExecution")] == [
            "StartImagePipelineExecution"]
        assert emulator.counts()["by_action"]["CreateImagePipeline"] == 1
    assert emulator.proc.returncode == 0


def test_bad_command_line_values_name_the_flag(capsys):
    for args, flag in [(["--throttle-rate", "2"], "--throttle-rate"),
                       (["--error-rate", "x"], "--error-rate"),
                       (["--phase-seconds", "-1"], "--phase-seconds"),
                       (["--fail-distribution-to", "atlantis-1"], "--fail-distribution-to"),
                       (["--throttle-rate", "0.7", "--error-rate", "0.7"], "--throttle-rate")]:
        with pytest.raises(SystemExit) as exited:
            main(args)
        assert exited.value.code == 2
        assert flag in capsys.readouterr().err


def test_eight_threads_starting_builds_on_one_template_exactly_one_wins(
        imagebuilder_emulator_factory):
    emulator = imagebuilder_emulator_factory(manual_clock=True)
    pipeline_id = Api(emulator).template()
    barrier, results = threading.Barrier(8), []

    def start() -> None:
        api = Api(emulator)
        barrier.wait(timeout=30)
        try:
            results.append(api.start(pipeline_id))
        except AlibabaCloudException as error:
            results.append(error.code)

    threads = [threading.Thread(target=start) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    started = [r for r in results if r.startswith("exec-")]
    assert len(started) == 1
    assert results.count("InvalidImagePipeline.HasRunningExecution") == 7
    assert Api(emulator).executions(image_pipeline_id=pipeline_id).total_count == 1


def test_concurrent_creates_all_land_with_distinct_ids(imagebuilder_emulator_factory):
    emulator = imagebuilder_emulator_factory()
    ids: list[str] = []

    def create() -> None:
        api = Api(emulator)
        ids.extend(api.template() for _ in range(5))

    threads = [threading.Thread(target=create) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(set(ids)) == 40 and Api(emulator).templates(max_results=100).total_count == 40


def _largest_template() -> dict:
    lines = [f'RUN echo "step {i:03d} of the largest template" && mkdir -p '
             f'/opt/app/{i:03d}/data/logs/cache'
             for i in range(120)]
    content = "\n".join(lines)
    assert len(content) <= 16384
    return {"build_content": content, "test_content": content.replace("step", "test")}


def test_two_16kb_contents_fit_in_one_request_on_both_servers(api, imagebuilder_emulator_factory):
    assert api.template(**_largest_template()).startswith("ip-")
    threaded = Api(imagebuilder_emulator_factory())
    assert threaded.template(**_largest_template()).startswith("ip-")


@pytest.fixture
def proxied(monkeypatch):
    """A proxy that does not exist: a client honouring it could not reach the emulator."""
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")


def test_the_fixture_clears_proxies_and_describes_where_it_listens(proxied, imagebuilder_emulator):
    handle = imagebuilder_emulator
    assert "HTTP_PROXY" not in os.environ and "http_proxy" not in os.environ
    host, port = handle.endpoint.split(":")
    assert host == "127.0.0.1" and int(port) > 0 and handle.url == f"http://{handle.endpoint}"
    assert (handle.access_key_id, handle.access_key_secret, handle.account_id) == (
        DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, DEFAULT_ACCOUNT_ID)
    client = handle.client("ap-southeast-1")
    assert client.describe_regions(m.DescribeRegionsRequest()).body.regions.region
    assert handle.backend.settings.phase_seconds == 0.05 and handle.clock.manual is False


@pytest.mark.parametrize("run", [1, 2])
def test_each_test_gets_a_fresh_emulator(imagebuilder_emulator, run):
    assert imagebuilder_emulator.state()["regions"] == {} and imagebuilder_emulator.count() == 0
    Api(imagebuilder_emulator).template()  # left behind on purpose: the next run must not see it
    assert imagebuilder_emulator.count() == 1
