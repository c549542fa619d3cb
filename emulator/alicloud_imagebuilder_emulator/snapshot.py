"""The JSON dump of all state served by ``GET /_emulator/state`` and ``EmulatorHandle.state()``.

Regions without any state are left out. Objects use the API's own shapes (see :mod:`.render`)
plus a few fields the API does not show (share lists, instance users, execution ids).
"""

from __future__ import annotations

from typing import Any

from . import render
from .backend import Backend
from .clock import iso
from .context import Context
from .models import RegionState


def _region(state: RegionState, account_id: str) -> dict[str, list[dict[str, Any]]]:
    return {
        "templates": [{**render.pipeline(p), "ExecutionIds": list(p.execution_ids),
                       "ImageComponentIds": list(p.component_ids)}
                      for p in state.pipelines.values()],
        "executions": [render.execution(e) for e in state.executions.values()],
        "components": [render.component(c) for c in state.components.values()],
        "images": [
            {**render.image(i, account_id), "SharedWith": sorted(i.shared_with),
             "UsedByInstances": list(i.used_by),
             "ExecutionId": i.execution_id, "SourceImageId": i.source_image_id}
            for i in state.images.values()
        ],
        "instances": [
            {"InstanceId": i.instance_id, "ExecutionId": i.execution_id,
             "ImagePipelineId": i.pipeline_id,
             "Role": i.role, "Status": i.status, "CreationTime": iso(i.created)}
            for i in state.instances.values()
        ],
        "vpcs": [
            {"VpcId": v.vpc_id, "VSwitchId": v.vswitch_id, "ExecutionId": v.execution_id,
             "CreationTime": iso(v.created)}
            for v in state.vpcs.values()
        ],
    }


def dump(backend: Backend) -> dict[str, Any]:
    def read(ctx: Context) -> dict[str, Any]:
        now = ctx.now()
        return {
            "now": iso(now),
            "epoch": now,
            "account_id": ctx.account_id,
            "settings": backend.describe_settings(),
            "regions": {rid: _region(state, ctx.account_id)
                        for rid, state in sorted(ctx.regions.items()) if not state.is_empty()},
        }

    return backend.read(read)
