"""The `pulumi-language-python` plugin, as a small Python gRPC server.

The Pulumi CLI runs a Python program through a *language host*: a plugin named
`pulumi-language-python` that serves Pulumi's `LanguageRuntime` gRPC service. The CLI
starts it with the engine's address as last argument, reads the port it listens on from
its first stdout line, then calls `Run`, which starts `pulumi-language-python-exec` (the
script shipped with Pulumi's SDK) in the program's Python to register resources with the
engine's resource monitor.

Pulumi publishes its own host as a Go module, but the module proxy reachable from this
project's machines serves no version of it, while it serves the CLI itself. `make pulumi`
therefore installs this implementation when no `pulumi-language-python` comes with the CLI
on PATH. It covers what `pulumi preview/up/refresh/destroy` need: Run (with config, secret
config keys, dry-run, parallelism, Ctrl-C), plugin info, About and program dependencies;
like Pulumi's own hosts it exits when the engine stops answering (checked every 5 minutes,
or every `ALIBABA_CLOUD_IMAGEBUILDER_ENGINE_CHECK_INTERVAL` seconds). Required-plugin discovery
answers "none" (dynamic providers need no plugin download), and project scaffolding calls
(`pulumi new`, `pulumi install`, codegen) are left unimplemented: use the official host
for those.

Usage (what the CLI runs): pulumi-language-python [flags] ENGINE_ADDRESS
with `--exec PATH` naming `pulumi-language-python-exec` (the shim written by
`tools/install-pulumi.sh` passes it).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from concurrent import futures

import grpc
from google.protobuf import json_format
from pulumi.runtime.proto import language_pb2, language_pb2_grpc, plugin_pb2

from alicloud_imagebuilder_provider.engine_watch import watch_engine

# The exec script exits with this code after it has shown the user an actionable message.
EXIT_AFTER_USER_MESSAGE = 32


def _options(info: language_pb2.ProgramInfo) -> dict:
    return json_format.MessageToDict(info.options) if info.HasField("options") else {}


def _virtualenv(info: language_pb2.ProgramInfo) -> str | None:
    venv = _options(info).get("virtualenv")
    if not venv:
        return None
    return os.path.abspath(os.path.join(info.root_directory or os.getcwd(), venv))


def _python_and_env(info: language_pb2.ProgramInfo) -> tuple[str, dict[str, str]]:
    """The interpreter that runs the program: the project's virtualenv when Pulumi.yaml names
    one, else PULUMI_PYTHON_CMD, else python3 on PATH (an activated venv wins)."""
    env = dict(os.environ)
    venv = _virtualenv(info)
    if venv:
        python = os.path.join(venv, "bin", "python")
        if not os.path.exists(python):
            raise FileNotFoundError(
                f"The 'virtualenv' option in Pulumi.yaml is set to {venv!r}, but it has no "
                f"bin/python. Create it with: python3 -m venv {venv} && "
                f"{venv}/bin/pip install -r requirements.txt"
            )
        env["PATH"] = os.path.join(venv, "bin") + os.pathsep + env.get("PATH", "")
        env["VIRTUAL_ENV"] = venv
        env.pop("PYTHONHOME", None)
        return python, env
    return env.get("PULUMI_PYTHON_CMD") or shutil.which("python3") or "python3", env


class PythonLanguageHost(language_pb2_grpc.LanguageRuntimeServicer):
    def __init__(self, engine_address: str, exec_script: str) -> None:
        self.engine_address = engine_address
        self.exec_script = exec_script
        self._children: set[subprocess.Popen] = set()
        self._lock = threading.Lock()

    def Handshake(self, request, context):
        if request.engine_address:
            self.engine_address = request.engine_address
        return language_pb2.LanguageHandshakeResponse()

    def GetPluginInfo(self, request, context):
        from pulumi import _version

        return plugin_pb2.PluginInfo(version=_version._VERSION)

    def GetRequiredPlugins(self, request, context):
        return language_pb2.GetRequiredPluginsResponse()

    def GetRequiredPackages(self, request, context):
        return language_pb2.GetRequiredPackagesResponse()

    def About(self, request, context):
        python, env = _python_and_env(request.info)
        version = subprocess.run(
            [python, "--version"], env=env, capture_output=True, text=True, check=False
        ).stdout.strip().removeprefix("Python ")
        return language_pb2.AboutResponse(executable=python, version=version)

    def GetProgramDependencies(self, request, context):
        python, env = _python_and_env(request.info)
        listing = subprocess.run(
            [python, "-m", "pip", "list", "--format", "json"],
            env=env, capture_output=True, text=True, check=False,
        )
        packages = json.loads(listing.stdout or "[]")
        return language_pb2.GetProgramDependenciesResponse(
            dependencies=[
                language_pb2.DependencyInfo(name=p["name"], version=p["version"]) for p in packages
            ]
        )

    def Run(self, request, context):
        info = request.info
        try:
            python, env = _python_and_env(info)
        except FileNotFoundError as err:
            return language_pb2.RunResponse(error=str(err))
        env["PULUMI_CONFIG"] = json.dumps(dict(request.config))
        env["PULUMI_CONFIG_SECRET_KEYS"] = json.dumps(list(request.configSecretKeys))
        args = [python, "-u", self.exec_script]
        for flag, value in (
            ("monitor", request.monitor_address),
            ("engine", self.engine_address),
            ("project", request.project),
            ("root_directory", info.root_directory),
            ("stack", request.stack),
            ("pwd", request.pwd),
            ("dry_run", "true" if request.dryRun else "false"),
            ("parallel", str(request.parallel)),
            ("organization", request.organization),
        ):
            if value:
                args += [f"--{flag}", value]
        args.append(info.entry_point or request.program or ".")
        args += list(request.args)

        child = subprocess.Popen(args, env=env, cwd=request.pwd or None)
        with self._lock:
            self._children.add(child)
        # The engine cancels the call on Ctrl-C: pass the interrupt on to the program.
        context.add_callback(lambda: child.poll() is None and child.send_signal(signal.SIGINT))
        try:
            code = child.wait()
        finally:
            with self._lock:
                self._children.discard(child)
        sys.stdout.flush()
        sys.stderr.flush()
        if code == 0:
            return language_pb2.RunResponse()
        if code == EXIT_AFTER_USER_MESSAGE:
            return language_pb2.RunResponse(bail=True)
        return language_pb2.RunResponse(error=f"program exited with non-zero exit code: {code}")

    def stop_programs(self, grace: float = 5.0) -> None:
        """Interrupt the running programs, then kill what is still running after ``grace``."""
        with self._lock:
            children = [c for c in self._children if c.poll() is None]
        for child in children:
            child.send_signal(signal.SIGINT)
        for child in children:
            try:
                child.wait(grace)
            except subprocess.TimeoutExpired:
                child.kill()

    def Cancel(self, request, context):
        with self._lock:
            for child in self._children:
                if child.poll() is None:
                    child.send_signal(signal.SIGINT)
        from google.protobuf import empty_pb2

        return empty_pb2.Empty()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="pulumi-language-python")
    parser.add_argument("--exec", dest="exec_script", required=True)
    parser.add_argument("engine_address", nargs="?", default="")
    # The CLI may add flags of its own (tracing, logging); they do not change what we do.
    args, _unknown = parser.parse_known_args(argv)

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    host = PythonLanguageHost(args.engine_address, args.exec_script)
    language_pb2_grpc.add_LanguageRuntimeServicer_to_server(host, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    print(port, flush=True)
    if args.engine_address:
        def engine_gone() -> None:
            host.stop_programs()
            server.stop(0)

        watch_engine(args.engine_address, engine_gone)
    # The CLI interrupts its plugins when it is done with them: stop quietly.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: server.stop(0))
    server.wait_for_termination()


if __name__ == "__main__":
    main()
