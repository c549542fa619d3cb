"""Build tasks (image pipeline executions): statuses, lookups and the waits around them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import ApiError, ErrorKind
from ..waiter import Acceptor, Backoff, Deadline, WaiterSpec, wait

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


def describe(api: "EcsApi", region: str, execution_id: str) -> dict[str, Any] | None:
    """The execution, or ``None`` once its template (and so its record) is gone."""
    try:
        items = api.token_pages(
            "DescribeImagePipelineExecutions", {"ExecutionId": execution_id}, region=region,
            items="ImagePipelineExecution.ImagePipelineExecutionSet")
        return next((i for i in items if i.get("ExecutionId") == execution_id), None)
    except ApiError as error:
        if error.kind is ErrorKind.NOT_FOUND:
            return None
        raise


def of_template(api: "EcsApi", region: str, template_id: str) -> list[dict[str, Any]]:
    """Every build of a template (none once the template is gone)."""
    try:
        return list(api.token_pages(
            "DescribeImagePipelineExecutions", {"ImagePipelineId": template_id}, region=region,
            items="ImagePipelineExecution.ImagePipelineExecutionSet"))
    except ApiError as error:
        if error.kind is ErrorKind.NOT_FOUND:
            return []
        raise


def running(api: "EcsApi", region: str, template_id: str) -> list[dict[str, Any]]:
    return [i for i in of_template(api, region, template_id) if i.get("Status") in RUNNING]


def newest_success(api: "EcsApi", region: str, template_id: str) -> dict[str, Any] | None:
    """The template's SUCCESS build that started last."""
    done = [i for i in of_template(api, region, template_id) if i.get("Status") == "SUCCESS"]
    return max(done, key=lambda i: str(i.get("CreationTime") or ""), default=None)


def wait_until_idle(api: "EcsApi", template_id: str, region: str, backoff: Backoff,
                    deadline: Deadline) -> None:
    """Until the template has no running build (bounded by ``deadline``)."""
    wait(TEMPLATE_IDLE, lambda: {"Running": len(running(api, region, template_id))},
         backoff=backoff, deadline=deadline)


def cancel(api: "EcsApi", region: str, execution_id: str) -> None:
    """Ask for cancellation; a build that already ended (or is gone) needs none."""
    try:
        api.call("CancelImagePipelineExecution", {"ExecutionId": execution_id}, region=region)
    except ApiError as error:
        if error.kind not in (ErrorKind.CONFLICT, ErrorKind.NOT_FOUND):
            raise
