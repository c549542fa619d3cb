"""Build tasks (image pipeline executions): statuses, lookups and the waits around them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from ..errors import ApiError, ErrorKind
from ..waiter import Acceptor, Backoff, Deadline, WaiterSpec, pause, wait
from . import service

if TYPE_CHECKING:
    from ..client import EcsApi

RUNNING = ("PREPARING", "REPAIRING", "BUILDING", "TESTING", "DISTRIBUTING", "RELEASING",
           "CANCELLING")
FAILED = ("FAILED", "TEST_FAILED", "CANCELLED")
BUILT = ("SUCCESS", "PARTITION_SUCCESS")
FINISHED = BUILT + FAILED

BUILD_DONE = WaiterSpec(
    "the image build", (Acceptor("success", FINISHED, "Status"), Acceptor("failure", (None,))),
    progress=("Status", "Message"),
    hint="Raise the ImageBuild's `timeout` if builds of this template take longer.")
TEMPLATE_IDLE = WaiterSpec(
    "the template's running build to end", (Acceptor("success", (0,), "Running"),),
    hint="Another build of this template is still running; wait for it or cancel it.")


def running(api: "EcsApi", region: str, template_id: str) -> list[dict[str, Any]]:
    return [i for i in service.executions(api, region, ImagePipelineId=template_id)
            if i.get("Status") in RUNNING]


def newest_success(api: "EcsApi", region: str, template_id: str) -> dict[str, Any] | None:
    """The template's SUCCESS build that started last."""
    done = [i for i in service.executions(api, region, ImagePipelineId=template_id)
            if i.get("Status") == "SUCCESS"]
    return max(done, key=lambda i: str(i.get("CreationTime") or ""), default=None)


def wait_until_idle(api: "EcsApi", template_id: str, region: str, backoff: Backoff,
                    deadline: Deadline, *, sleep: Callable[[float], None] = pause) -> None:
    """Until the template has no running build (bounded by ``deadline``)."""
    wait(TEMPLATE_IDLE, lambda: {"Running": len(running(api, region, template_id))},
         backoff=backoff, deadline=deadline, sleep=sleep)


def cancel(api: "EcsApi", region: str, execution_id: str) -> None:
    """Ask for cancellation; a build that already ended (or is gone) needs none."""
    try:
        api.call("CancelImagePipelineExecution", {"ExecutionId": execution_id}, region=region)
    except ApiError as error:
        if error.kind not in (ErrorKind.CONFLICT, ErrorKind.NOT_FOUND):
            raise
