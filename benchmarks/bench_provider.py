"""Provider figures: preview-time check/diff cost, SDK import cost, API calls and detection delay
per build at several build lengths, and the wall time of finding 20 regions' copies vs one.

Runs the emulator in-process on a threaded server; prints a report, asserts nothing.
``python benchmarks/bench_provider.py``
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections import Counter
from typing import Any, Callable

from alicloud_imagebuilder_emulator.app import make_app
from alicloud_imagebuilder_emulator.server import EmulatorServer

from alicloud_imagebuilder_provider.dynamic import (ImageBuildProvider, ImageComponentProvider,
                                                    ImageTemplateProvider)
from alicloud_imagebuilder_provider.models.build import ImageBuildState
from alicloud_imagebuilder_provider.models.template import ImageTemplateState
from alicloud_imagebuilder_provider.resources import images
from alicloud_imagebuilder_provider.resources.build import BuildLifecycle
from alicloud_imagebuilder_provider.resources.template import TemplateLifecycle
from alicloud_imagebuilder_provider.settings import Settings
from alicloud_imagebuilder_provider.waiter import Backoff, Deadline

HOME = "cn-hangzhou"
BASE = {"base_image_type": "IMAGE_FAMILY", "base_image": "acs:alibaba_cloud_linux_3_2104_lts_x64"}
COPY_REGIONS = ["cn-qingdao", "cn-beijing", "cn-zhangjiakou", "cn-huhehaote", "cn-wulanchabu",
                "cn-shanghai", "cn-nanjing", "cn-fuzhou", "cn-wuhan-lr", "cn-shenzhen",
                "cn-heyuan", "cn-guangzhou", "cn-chengdu", "cn-hongkong", "ap-northeast-1",
                "ap-northeast-2", "ap-southeast-1", "ap-southeast-3", "ap-southeast-5",
                "ap-southeast-6"]
# Real builds take minutes: builds here are 100x shorter and so is the poll schedule
# (0.05 s growing to 0.18 s stands for the default 5 s growing to 18 s).
SCALE = 100
POLL, POLL_MAX = Settings.poll_interval / SCALE, Settings.poll_max_interval / SCALE


def timed(fn: Callable[[], Any], repeat: int) -> float:
    """Median seconds of one call."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def preview_costs() -> None:
    print("== check and diff per resource (dynamic adapter, median of 200)")
    cases = {
        "ImageComponent": (ImageComponentProvider(), {"component_name": "nginx",
                                                      "content": "RUN yum install -y nginx"}),
        "ImageTemplate": (ImageTemplateProvider(), {**BASE, "build_components": ["ic-abc"],
                                                    "build_content": "RUN echo hi\n" * 20,
                                                    "to_region_ids": COPY_REGIONS[:5],
                                                    "add_accounts": ["1234567890123456"]}),
        "ImageBuild": (ImageBuildProvider(), {"template_id": "ip-abc", "triggers": {"r": "1"},
                                              "timeout": "30m"}),
    }
    for name, (provider, given) in cases.items():
        inputs = {**given, "region": "cn-hangzhou"}  # check also checks the setup: a region
        provider.check({}, inputs)  # first call builds the models once per process
        check = timed(lambda: provider.check({}, inputs), 200)
        diff = timed(lambda: provider.diff("id", inputs, inputs), 200)
        print(f"{name:15} check {check * 1e3:6.2f} ms   diff {diff * 1e3:6.2f} ms")


def import_costs() -> None:
    print("== import time (fresh interpreter, median of 5)")

    def import_seconds(module: str) -> float:
        probe = (f"import time; t = time.perf_counter(); import {module}; "
                 "print(time.perf_counter() - t)")
        runs = [float(subprocess.run([sys.executable, "-c", probe], capture_output=True,
                                     text=True, check=True).stdout) for _ in range(5)]
        return statistics.median(runs)

    pulumi_s = import_seconds("pulumi")
    sdk_s = import_seconds("pulumi_alicloud_imagebuilder")
    print(f"import pulumi                       {pulumi_s * 1e3:7.1f} ms")
    print(f"import pulumi_alicloud_imagebuilder {sdk_s * 1e3:7.1f} ms "
          f"({sdk_s / pulumi_s:.2f}x pulumi; includes pulumi)")


def settings_for(emulator: Any) -> Settings:
    return Settings(region=HOME, endpoint=emulator.url, access_key_id=emulator.access_key_id,
                    access_key_secret=emulator.access_key_secret, poll_interval=POLL,
                    poll_max_interval=POLL_MAX, retry_base_delay=0.01)


def finished_at(emulator: Any, execution_id: str) -> float:
    return emulator.backend.read(lambda ctx: ctx.region(HOME).executions[execution_id].modified)


def build_costs() -> None:
    print(f"== one build (2 copy regions, 1 shared account); builds and polls {SCALE}x shorter "
          "than real ones")
    print(f"{'phase':>8} {'build':>8} {'calls':>6} {'detect':>8} {'detect/build':>13}  calls by "
          "action")
    for phase in (0.05, 0.2, 0.5, 1.0):
        with EmulatorServer(make_app(phase_seconds=phase)) as emulator:
            settings = settings_for(emulator)
            template = TemplateLifecycle(settings, lambda _: None).create(ImageTemplateState.load(
                {**BASE, "build_content": "RUN echo hi", "image_name": "web",
                 "to_region_ids": COPY_REGIONS[:2], "add_accounts": ["1234567890123456"]}))
            seen: dict[str, float] = {}

            def note(line: str) -> None:
                if ": SUCCESS" in line and "success" not in seen:
                    seen["success"] = time.time()

            emulator.reset_counts()
            started = time.time()
            created = BuildLifecycle(settings, note).create(
                ImageBuildState.load({"template_id": template.id}), f"bench/{phase}")
            counts = Counter(r.action for r in emulator.requests)
            ended = finished_at(emulator, created.id)
            build, delay = ended - started, seen["success"] - ended
            detail = ", ".join(f"{a.replace('Describe', 'D.')} {n}"
                               for a, n in counts.most_common())
            print(f"{phase:7.2f}s {build:7.2f}s {sum(counts.values()):6d} {delay * 1e3:6.0f}ms "
                  f"{delay / build:12.0%}  {detail}")


class Latency:
    """The emulator's WSGI app with a fixed delay per request: the emulator answers in about a
    millisecond, a real call to a distant region takes tens of milliseconds."""

    def __init__(self, app: Any, seconds: float):
        self.app, self.seconds = app, seconds

    def __call__(self, environ: dict, start_response: Any) -> Any:
        time.sleep(self.seconds)
        return self.app(environ, start_response)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.app, name)


def locate_costs() -> None:
    print("== finding the copies of a finished build (threaded emulator, median of 3)")
    for latency in (0.0, 0.05):
        app = make_app(phase_seconds=0.05)
        with EmulatorServer(Latency(app, latency) if latency else app) as emulator:
            settings = settings_for(emulator)
            template = TemplateLifecycle(settings, lambda _: None).create(ImageTemplateState.load(
                {**BASE, "build_content": "RUN echo hi", "image_name": "web",
                 "to_region_ids": COPY_REGIONS}))
            built = BuildLifecycle(settings, lambda _: None).create(
                ImageBuildState.load({"template_id": template.id}))
            api = BuildLifecycle(settings, lambda _: None).api
            name = built.outs.image_name

            def locate(regions: list[str]) -> None:
                found = images.locate(api, regions, name, None, backoff=Backoff(POLL, POLL_MAX),
                                      deadline=Deadline(60), expect_all=True,
                                      progress=lambda _: None)
                assert not found.missing

            one = timed(lambda: locate(COPY_REGIONS[:1]), 3)
            twenty = timed(lambda: locate(COPY_REGIONS), 3)
            serial = timed(lambda: [locate([r]) for r in COPY_REGIONS], 3)
            print(f"{latency * 1e3:3.0f} ms added per call: 1 region {one * 1e3:7.1f} ms | "
                  f"20 regions {twenty * 1e3:7.1f} ms ({twenty / one:.1f}x) | "
                  f"20 one after another {serial * 1e3:7.1f} ms ({serial / one:.1f}x)")


if __name__ == "__main__":
    preview_costs()
    import_costs()
    build_costs()
    locate_costs()
