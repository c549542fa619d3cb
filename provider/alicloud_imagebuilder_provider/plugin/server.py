"""``pulumi-resource-alicloud-imagebuilder``: serves :class:`.provider.ImageBuilderProvider` with
the gRPC servicer of ``pulumi.provider.experimental``, extended at narrow points:

* expected errors (:class:`..errors.ProviderError`) reach the user as their message: the
  experimental servicer appends a Python traceback to every error, so each RPC is wrapped to
  answer with the message alone when the error it wrapped was an expected one;
* a create interrupted by Cancel (the first Ctrl-C) after it started a build answers the
  engine's ErrorResourceInitFailed with the build's id and outputs so far (the experimental
  Create can only answer an id or an error), so the state holds the build;
* Diff and Delete see the request's old inputs (the experimental requests carry only the old
  state), which hold the provider-side settings of an imported build after its first `up`;
* progress goes to the engine's Log service with the resource's URN (the experimental package
  has no logging of its own), so the CLI shows it under the resource it belongs to.

``main`` is the experimental ``main`` with this servicer in place of its own.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any, Callable

import grpc
import grpc.aio
from pulumi.provider.experimental.server import ProviderServicer
from pulumi.runtime._grpc_settings import _GRPC_CHANNEL_OPTIONS
from pulumi.provider.experimental.property_value import PropertyValue
from pulumi.runtime.proto import (engine_pb2, engine_pb2_grpc, provider_pb2, provider_pb2_grpc,
                                  status_pb2)

from .. import __version__
from ..errors import ProviderError
from .provider import OLD_INPUTS, ImageBuilderProvider, InitFailed

RPCS = ("CheckConfig", "DiffConfig", "Configure", "Check", "Diff", "Create", "Read", "Update",
        "Delete", "Invoke")


def _message_only(name: str) -> Callable[..., Any]:
    served = getattr(ProviderServicer, name)

    async def rpc(self: ProviderServicer, request: Any, context: grpc.aio.ServicerContext) -> Any:
        try:
            return await served(self, request, context)
        except Exception as error:
            cause = error.__context__  # the experimental servicer re-raises with a traceback
            if isinstance(cause, InitFailed):
                await context.abort_with_status(init_failed(cause))
            if isinstance(cause, ProviderError):
                await context.abort(grpc.StatusCode.UNKNOWN, str(cause))
            raise
    rpc.__name__ = name
    return rpc


def init_failed(failure: InitFailed) -> grpc.Status:
    """The engine's ErrorResourceInitFailed: a create that made ``failure.id`` and then
    failed; the engine keeps the resource in the state (the experimental servicer cannot say
    this: its Create answers an id or an error)."""
    detail = provider_pb2.ErrorResourceInitFailed(
        id=failure.id, properties=PropertyValue.marshal_map(failure.properties),
        inputs=PropertyValue.marshal_map(failure.inputs), reasons=[failure.reason])
    rich = status_pb2.Status(code=grpc.StatusCode.UNKNOWN.value[0], message=failure.reason)
    rich.details.add().Pack(detail)
    status = grpc.Status()
    status.code, status.details = grpc.StatusCode.UNKNOWN, failure.reason
    status.trailing_metadata = (("grpc-status-details-bin", rich.SerializeToString()),)
    return status


def _with_old_inputs(name: str) -> Callable[..., Any]:
    """Diff and Delete with the request's old inputs at hand (:data:`.provider.OLD_INPUTS`):
    the experimental requests carry only the old state."""
    served = _message_only(name)

    async def rpc(self: ProviderServicer, request: Any, context: grpc.aio.ServicerContext) -> Any:
        OLD_INPUTS.set(PropertyValue.unmarshal_map(request.old_inputs))
        return await served(self, request, context)
    rpc.__name__ = name
    return rpc


Servicer = type("Servicer", (ProviderServicer,), {
    name: (_with_old_inputs if name in ("Diff", "Delete") else _message_only)(name)
    for name in RPCS})


class EngineLog:
    """Log lines to the engine, attached to a resource's URN; callable from any thread."""

    def __init__(self, engine_address: str, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.engine = engine_pb2_grpc.EngineStub(
            grpc.aio.insecure_channel(engine_address, options=_GRPC_CHANNEL_OPTIONS))

    def __call__(self, urn: str, message: str, ephemeral: bool) -> None:
        request = engine_pb2.LogRequest(severity=engine_pb2.INFO, message=message, urn=urn,
                                        ephemeral=ephemeral)
        asyncio.run_coroutine_threadsafe(self._send(request), self.loop)

    async def _send(self, request: engine_pb2.LogRequest) -> None:
        try:
            await self.engine.Log(request)
        except grpc.RpcError:
            pass  # the engine is gone (the run ended); a lost progress line does no harm


async def serve(engine_address: str) -> None:
    log = EngineLog(engine_address, asyncio.get_running_loop())
    server = grpc.aio.server(options=_GRPC_CHANNEL_OPTIONS)
    servicer = Servicer(sys.argv[1:], __version__, ImageBuilderProvider(log),
                        engine_address=engine_address)
    provider_pb2_grpc.add_ResourceProviderServicer_to_server(servicer, server)
    port = server.add_insecure_port(address="127.0.0.1:0")
    await server.start()
    sys.stdout.write(f"{port}\n")
    sys.stdout.flush()
    await server.wait_for_termination()


def main() -> None:
    parser = argparse.ArgumentParser(prog="pulumi-resource-alicloud-imagebuilder",
                                     description="The alicloud-imagebuilder provider plugin.")
    parser.add_argument("engine", help="the Pulumi engine's address")
    args, _unknown = parser.parse_known_args()
    try:
        asyncio.run(serve(args.engine))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
