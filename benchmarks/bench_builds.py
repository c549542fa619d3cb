"""Builds at scale: how many builds run at once, how soon a build's end is seen, how many calls
and how much memory a large stack takes. Prints figures; asserts nothing.

P1  N = 1, 4 and 16 builds through the real CLI (`pulumi up --parallel 32`, dynamic runtime):
    wall time of each `up` as a ratio to one build's. Target: 16 builds <= 1.2x.
P2  one simulated 30-minute build on the emulator's manual clock, followed by the provider's own
    waiter, poller and schedule (default settings): mean and worst delay between the build's end
    and the provider seeing it, and status calls per build. Targets: mean <= 10 s, <= 120 calls.
P6  100 builds to 20 regions through the real CLI: wall time, calls per action of `up` and
    `destroy` and per build against the budgets (up: 4 + (regions + 1) + polls; destroy:
    (regions + 1) + 2 with nothing shared), and the peak memory of the provider process
    (target < 300 MB).
P4  P6's stack again under `--throttle-rate 0.3`: executions per build (must be exactly 1).

    python benchmarks/bench_builds.py [--only p1,p2,p6,p4] [--builds 100] [--regions 20]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from alicloud_imagebuilder_emulator import PROXY_VARIABLES  # noqa: E402
from alicloud_imagebuilder_emulator.process import without_proxies  # noqa: E402
from harness import TOOLS_BIN, Emulator, Project  # noqa: E402

HOME = "cn-hangzhou"
REGIONS = ["cn-qingdao", "cn-beijing", "cn-zhangjiakou", "cn-huhehaote", "cn-wulanchabu",
           "cn-shanghai", "cn-nanjing", "cn-fuzhou", "cn-wuhan-lr", "cn-shenzhen", "cn-heyuan",
           "cn-guangzhou", "cn-chengdu", "cn-hongkong", "ap-northeast-1", "ap-northeast-2",
           "ap-southeast-1", "ap-southeast-3", "ap-southeast-5", "ap-southeast-6"]
PROGRAM = '''
import pulumi
import pulumi_alicloud_imagebuilder as imagebuilder

config = pulumi.Config("bench")
regions = [r for r in (config.get("regions") or "").split(",") if r]
for i in range(config.require_int("builds")):
    template = imagebuilder.ImageTemplate(
        f"t{i}", base_image_type="IMAGE_FAMILY",
        base_image="acs:alibaba_cloud_linux_3_2104_lts_x64", build_content="RUN echo hello",
        image_name=f"b{i}", to_region_ids=regions or None)
    imagebuilder.ImageBuild(f"b{i}", template_id=template.id, delete_images_on_destroy=True)
'''


class Stack:
    """A scratch project of ``builds`` templates and builds, its own emulator and file backend."""

    def __init__(self, builds: int, regions: list[str], phase_seconds: float, *emulator_args: str,
                 poll: tuple[float, float] = (0.5, 1.0)):
        self.scratch = Path(tempfile.mkdtemp(prefix="bench-builds-"))
        (self.scratch / "project").mkdir()
        (self.scratch / "state").mkdir()
        (self.scratch / "project" / "Pulumi.yaml").write_text("name: bench-builds\nruntime: "
                                                              "python\n")
        (self.scratch / "project" / "__main__.py").write_text(PROGRAM)
        env = without_proxies()
        env.update(PATH=os.pathsep.join([str(TOOLS_BIN), str(Path(sys.executable).parent),
                                         env.get("PATH", "")]),
                   PULUMI_HOME=str(self.scratch / "home"), PULUMI_CONFIG_PASSPHRASE="bench",
                   PULUMI_SKIP_UPDATE_CHECK="true", PULUMI_SKIP_CONFIRMATIONS="true",
                   PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION="true",
                   PULUMI_BACKEND_URL=f"file://{self.scratch / 'state'}")
        self.emulator = Emulator(phase_seconds, *emulator_args)
        self.project = Project(self.scratch / "project", env, "bench")
        self.project.run("stack", "init", "bench")
        for key, value in (("alicloud-imagebuilder:region", HOME),
                           ("alicloud-imagebuilder:endpoint", self.emulator.url),
                           ("alicloud-imagebuilder:accessKey", self.emulator.access_key_id),
                           ("alicloud-imagebuilder:pollInterval", str(poll[0])),
                           ("alicloud-imagebuilder:pollMaxInterval", str(poll[1])),
                           ("bench:builds", str(builds))):
            self.project.config(key, value)
        self.project.config("alicloud-imagebuilder:secretKey", self.emulator.access_key_secret,
                            secret=True)
        if regions:
            self.project.config("bench:regions", ",".join(regions))

    def timed(self, *args: str) -> tuple[float, int]:
        """Seconds of one CLI command, and the peak resident memory (KiB) of its provider host."""
        peak = PeakMemory(self.project)
        started = time.perf_counter()
        with peak:
            self.project.run(*args, "--yes", "--skip-preview", "--parallel", "256", timeout=900)
        return time.perf_counter() - started, peak.kib

    def reset_counts(self) -> None:
        self.emulator.admin("POST", "counts/reset")

    def close(self) -> None:
        self.emulator.stop()
        shutil.rmtree(self.scratch, ignore_errors=True)


class PeakMemory:
    """Samples VmHWM (peak resident set) of every ``pulumi.dynamic`` process on the machine
    whose environment names this stack's backend, while a command runs."""

    def __init__(self, project: Project, needle: bytes = b"pulumi.dynamic"):
        self.marker = project.env["PULUMI_BACKEND_URL"].encode()
        self.needle = needle  # in the command line of the provider's process
        self.kib = 0
        self._done = threading.Event()

    def _sample(self) -> None:
        while not self._done.wait(0.2):
            for pid in filter(str.isdigit, os.listdir("/proc")):
                try:
                    if self.needle not in Path(f"/proc/{pid}/cmdline").read_bytes():
                        continue
                    if self.marker not in Path(f"/proc/{pid}/environ").read_bytes():
                        continue
                    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                        if line.startswith("VmHWM:"):
                            self.kib = max(self.kib, int(line.split()[1]))
                except OSError:
                    continue

    def __enter__(self) -> "PeakMemory":
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *_exc: Any) -> None:
        self._done.set()
        self._thread.join()


def p1_parallel(phase_seconds: float) -> None:
    print(f"== P1: builds at once through the real CLI (`pulumi up --parallel 32`, dynamic runtime,"
          f" builds of {3 * phase_seconds:g} s)")
    walls: dict[int, float] = {}
    for count in (1, 4, 16):
        stack = Stack(count, [], phase_seconds)
        try:
            started = time.perf_counter()
            stack.project.run("up", "--yes", "--skip-preview", "--parallel", "32", timeout=900)
            walls[count] = time.perf_counter() - started
        finally:
            stack.close()
        print(f"{count:3d} build(s): {walls[count]:6.1f} s  {walls[count] / walls[1]:5.2f}x one "
              "build's")
    verdict = "met" if walls[16] / walls[1] <= 1.2 else "NOT met"
    print(f"target 16 builds <= 1.2x one build's: {verdict}")


def p2_detection(trials: int) -> None:
    from alicloud_imagebuilder_emulator import EmulatorServer, make_app

    from alicloud_imagebuilder_provider.client import EcsApi
    from alicloud_imagebuilder_provider.poller import StatusPoller
    from alicloud_imagebuilder_provider.resources.executions import BUILD_DONE
    from alicloud_imagebuilder_provider.settings import Settings
    from alicloud_imagebuilder_provider.waiter import Backoff, Deadline, Schedule, wait

    print(f"== P2: a 30-minute build on the emulator's clock, default poll settings ({trials} "
          "builds of 27-33 min)")
    for name in PROXY_VARIABLES:
        os.environ.pop(name, None)
    random.seed(9)
    with EmulatorServer(make_app(manual_clock=True)) as emulator:
        defaults = Settings()
        settings = Settings(region=HOME, endpoint=emulator.url,
                            access_key_id=emulator.access_key_id,
                            access_key_secret=emulator.access_key_secret)
        api = EcsApi(settings)
        clock = emulator.clock.now
        template = api.call("CreateImagePipeline", {
            "BaseImageType": "IMAGE_FAMILY", "BaseImage": "acs:alibaba_cloud_linux_3_2104_lts_x64",
            "BuildContent": "RUN echo hello", "Name": "p2"}, region=HOME)["ImagePipelineId"]
        for label, backoff in (("now", Backoff(defaults.poll_interval, defaults.poll_max_interval)),
                               ("before (5 s growing to 60 s)", Backoff(5.0, 60.0))):
            delays, calls = [], []
            for _ in range(trials):
                emulator.backend.configure(phase_seconds=600 * random.uniform(0.9, 1.1))
                execution_id = api.call("StartImagePipelineExecution",
                                        {"ImagePipelineId": template}, region=HOME)["ExecutionId"]
                poller = StatusPoller(api, HOME, threaded=False, clock=clock)
                watch = poller.watch(execution_id)
                emulator.reset_counts()

                def sleep(seconds: float) -> None:
                    watch.request(seconds)
                    emulator.advance(seconds)
                    poller.round()

                sleep(0.0)  # the first look, right after Start
                wait(BUILD_DONE, watch.latest, backoff=Schedule(backoff),
                     deadline=Deadline(7200, clock=clock), sleep=sleep)
                ended = emulator.backend.read(
                    lambda ctx: ctx.region(HOME).executions[execution_id].modified)
                delays.append(clock() - ended)
                calls.append(emulator.count("DescribeImagePipelineExecutions"))
            print(f"{label:30} detection delay mean {statistics.mean(delays):5.1f} s, worst "
                  f"{max(delays):5.1f} s; status calls per build mean "
                  f"{statistics.mean(calls):5.1f},"
                  f" most {max(calls)}")
            if label == "now":
                verdict = ("met" if statistics.mean(delays) <= 10 and max(calls) <= 120
                           else "NOT met")
                print(f"targets mean delay <= 10 s and <= 120 status calls per build: {verdict}")


def _per_action(counts: dict[str, int]) -> str:
    return ", ".join(f"{action} {n}" for action, n in sorted(counts.items(), key=lambda i: -i[1]))


def p6_scale(builds: int, regions: int, phase_seconds: float) -> None:
    print(f"== P6: {builds} builds to {regions} regions through the real CLI "
          f"(`--parallel 256`, builds of about {5 * phase_seconds:g} s)")
    stack = Stack(builds, REGIONS[:regions], phase_seconds)
    try:
        up_wall, up_kib = stack.timed("up")
        up = stack.emulator.counts()["by_action"]
        stack.reset_counts()
        down_wall, down_kib = stack.timed("destroy")
        down = stack.emulator.counts()["by_action"]
        left = len(stack.emulator.all("images"))
    finally:
        stack.close()
    polls = up.get("DescribeImagePipelineExecutions", 0) + max(
        0, up.get("DescribeImages", 0) - builds * (regions + 1))
    rest = sum(up.values()) - polls
    print(f"up      {up_wall:6.1f} s, {sum(up.values())} calls: {_per_action(up)}")
    print(f"        per build {sum(up.values()) / builds:.1f} calls: {rest / builds:.1f} "
          f"besides {polls / builds:.2f} polls; budget 4 + (regions + 1) = {4 + regions + 1}: "
          f"{'met' if rest <= builds * (4 + regions + 1) else 'NOT met'}")
    print(f"destroy {down_wall:6.1f} s, {sum(down.values())} calls: {_per_action(down)}")
    print(f"        per build {sum(down.values()) / builds:.1f} calls; budget (regions + 1) + 2 = "
          f"{regions + 3}: {'met' if sum(down.values()) <= builds * (regions + 3) else 'NOT met'}"
          f"; images left: {left}")
    peak = max(up_kib, down_kib) / 1024
    print(f"peak memory of the provider process: {peak:.0f} MB (up {up_kib / 1024:.0f}, destroy "
          f"{down_kib / 1024:.0f}); target < 300 MB: {'met' if peak < 300 else 'NOT met'}")


def p4_throttled(builds: int, regions: int, phase_seconds: float) -> None:
    print(f"== P4: {builds} builds to {regions} regions under `--throttle-rate 0.3`")
    stack = Stack(builds, REGIONS[:regions], phase_seconds, "--throttle-rate", "0.3",
                  "--seed", "4")
    try:
        wall, _kib = stack.timed("up")
        executions = Counter(e["ImagePipelineId"] for e in stack.emulator.all("executions"))
        counts = stack.emulator.counts()
        stack.reset_counts()
    finally:
        stack.close()
    print(f"up {wall:6.1f} s, {counts['total']} calls; executions per build: "
          f"{sorted(Counter(executions.values()).items())} (count, builds); exactly one each: "
          f"{'yes' if set(executions.values()) == {1} and len(executions) == builds else 'NO'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="p1,p2,p6,p4")
    parser.add_argument("--builds", type=int, default=100)
    parser.add_argument("--regions", type=int, default=20)
    parser.add_argument("--trials", type=int, default=100)
    args = parser.parse_args()
    if not (TOOLS_BIN / "pulumi").exists():
        sys.exit("The Pulumi CLI is missing from .tools/bin: run `make pulumi`.")
    wanted = set(args.only.split(","))
    if "p1" in wanted:
        p1_parallel(phase_seconds=3.0)
    if "p2" in wanted:
        p2_detection(args.trials)
    if "p6" in wanted:
        p6_scale(args.builds, args.regions, phase_seconds=2.0)
    if "p4" in wanted:
        p4_throttled(args.builds, args.regions, phase_seconds=2.0)


if __name__ == "__main__":
    main()
