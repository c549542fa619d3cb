"""Builds at once on the provider plugin beside the dynamic runtime. Prints figures; asserts
nothing.

For each runtime, one stack of 1 build and one of 16 builds through the real CLI
(`pulumi up --parallel 32`, each on its own emulator): wall time of the 16 as a ratio to one
build's (target <= 1.2x), and the peak resident memory of the plugin process.

    python benchmarks/bench_plugin.py [--phase-seconds 3]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_builds import PROGRAM, TOOLS_BIN, PeakMemory, Stack  # noqa: E402

# The same stack, each resource given an explicit provider: it runs on the plugin.
PLUGIN_PROGRAM = PROGRAM.replace(
    'config = pulumi.Config("bench")',
    'config = pulumi.Config("bench")\n'
    'settings = pulumi.Config("alicloud-imagebuilder")\n'
    'opts = pulumi.ResourceOptions(provider=imagebuilder.Provider(\n'
    '    "plugin", region=settings.require("region"), endpoint=settings.require("endpoint"),\n'
    '    access_key=settings.require("accessKey"),\n'
    '    secret_key=settings.require_secret("secretKey"),\n'
    '    poll_interval=settings.require_float("pollInterval"),\n'
    '    poll_max_interval=settings.require_float("pollMaxInterval")))',
).replace('image_name=f"b{i}", to_region_ids=regions or None)',
          'image_name=f"b{i}", to_region_ids=regions or None, opts=opts)'
).replace('delete_images_on_destroy=True)', 'delete_images_on_destroy=True, opts=opts)')
PLUGIN = b"pulumi-resource-alicloud-imagebuilder"


def run(count: int, plugin: bool, phase_seconds: float) -> tuple[float, int]:
    stack = Stack(count, [], phase_seconds)
    try:
        if plugin:
            (stack.project.dir / "__main__.py").write_text(PLUGIN_PROGRAM)
        peak = PeakMemory(stack.project, PLUGIN if plugin else b"pulumi.dynamic")
        started = time.perf_counter()
        with peak:
            stack.project.run("up", "--yes", "--skip-preview", "--parallel", "32", timeout=900)
        return time.perf_counter() - started, peak.kib
    finally:
        stack.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phase-seconds", type=float, default=3.0)
    args = parser.parse_args()
    if not (TOOLS_BIN / "pulumi-resource-alicloud-imagebuilder").exists():
        sys.exit("The plugin is missing from .tools/bin: run `make pulumi`.")
    print(f"== builds at once (`pulumi up --parallel 32`, builds of {3 * args.phase_seconds:g} s)")
    for name, plugin in (("plugin", True), ("dynamic", False)):
        one, _ = run(1, plugin, args.phase_seconds)
        many, kib = run(16, plugin, args.phase_seconds)
        print(f"{name:8s} 1 build {one:6.1f} s, 16 builds {many:6.1f} s: {many / one:5.2f}x one "
              f"build's (target <= 1.2x); peak memory of the provider process {kib / 1024:.0f} MB")


if __name__ == "__main__":
    main()
