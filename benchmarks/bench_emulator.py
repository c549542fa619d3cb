"""How long the emulator itself takes to handle one request, with 1,000 image templates stored.

Runs the standalone threaded server in-process, drives it with the official SDK over HTTP and
reads the emulator's own handling time of each request (parse, signature check, dispatch, render)
from its request log. Prints figures; asserts nothing. Target: median under 2 ms.

    .venv/bin/python benchmarks/bench_emulator.py [--templates 1000] [--rounds 300]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from alibabacloud_ecs20140526 import models as m

from alicloud_imagebuilder_emulator import PROXY_VARIABLES, EmulatorServer, make_app

REGION = "cn-hangzhou"
FAMILY = "acs:alibaba_cloud_linux_3_2104_lts_x64"


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def _row(label: str, values: list[float]) -> str:
    return (f"{label:<34} n={len(values):>5}  median={statistics.median(values):6.3f} ms  "
            f"p95={_percentile(values, 0.95):6.3f} ms")


def _create_request(index: int) -> m.CreateImagePipelineRequest:
    return m.CreateImagePipelineRequest(
        region_id=REGION, name=f"bench-{index:04d}", base_image_type="IMAGE_FAMILY",
        base_image=FAMILY, build_content="RUN yum install -y nginx\nRUN systemctl enable nginx",
        internet_max_bandwidth_out=10, to_region_id=["cn-shanghai"],
        image_options=m.CreateImagePipelineRequestImageOptions(image_name="bench"),
        tag=[m.CreateImagePipelineRequestTag(key="bench", value=str(index % 10))],
    )


def run(templates: int, rounds: int) -> None:
    for name in PROXY_VARIABLES:
        os.environ.pop(name, None)
    app = make_app(phase_seconds=0.01, pipeline_quota=max(templates + rounds, 2000))
    with EmulatorServer(app) as emulator:
        client = emulator.client(REGION)
        ids = [client.create_image_pipeline(_create_request(i)).body.image_pipeline_id
               for i in range(templates)]
        emulator.reset_counts()
        wall: list[float] = []
        for round_number in range(rounds):
            pipeline_id = ids[round_number * 7 % len(ids)]
            calls = [
                lambda: client.describe_image_pipelines(
                    m.DescribeImagePipelinesRequest(region_id=REGION)),
                lambda: client.describe_image_pipelines(
                    m.DescribeImagePipelinesRequest(region_id=REGION,
                                                    image_pipeline_id=[pipeline_id])),
                lambda: client.describe_image_pipelines(m.DescribeImagePipelinesRequest(
                    region_id=REGION,
                    tag=[m.DescribeImagePipelinesRequestTag(key="bench", value="3")],
                    max_results=20)),
                lambda: client.describe_image_pipeline_executions(
                    m.DescribeImagePipelineExecutionsRequest(region_id=REGION,
                                                             image_pipeline_id=pipeline_id)),
                lambda: client.describe_images(m.DescribeImagesRequest(region_id=REGION,
                                                                       image_owner_alias="self",
                                                                       status="Creating,Available")),
                lambda: client.create_image_pipeline(_create_request(templates + round_number)),
            ]
            for call in calls:
                started = time.perf_counter()
                call()
                wall.append((time.perf_counter() - started) * 1000)
        records = emulator.requests
    by_action: dict[str, list[float]] = {}
    for record in records:
        by_action.setdefault(record.action, []).append(record.duration_ms)
    handling = [record.duration_ms for record in records]
    print(f"emulator handling time per request, {templates} templates stored, {len(records)} "
          "requests")
    for action, values in sorted(by_action.items()):
        print(_row(action, values))
    print(_row("ALL (emulator handling)", handling))
    print(_row("ALL (SDK round trip, for context)", wall))
    target = "met" if statistics.median(handling) < 2.0 else "NOT met"
    print(f"target median < 2 ms: {target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--templates", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    run(args.templates, args.rounds)


if __name__ == "__main__":
    main()
