"""``alicloud-imagebuilder-emulator``: run the emulator as a standalone threaded HTTP server.

The first line on stdout is ``endpoint: http://HOST:PORT``; one line per API request goes to
stderr (``--quiet`` silences it). SIGINT and SIGTERM stop the server with exit status 0.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from collections.abc import Sequence

from . import catalog
from .app import RequestRecord, make_app
from .defaults import DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, DEFAULT_ACCOUNT_ID
from .process import PROXY_VARIABLES
from .server import EmulatorServer


def _rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text!r} must be between 0 and 1")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be >= 0")
    return value


def _region(text: str) -> str:
    if text not in catalog.REGIONS:
        raise argparse.ArgumentTypeError(f"{text!r} is not a region of the catalog (e.g. "
                                         "cn-shanghai)")
    return text


def _account(text: str) -> str:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not an account uid (digits only)")
    return text


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="alicloud-imagebuilder-emulator",
        description="Offline emulator of the Alibaba Cloud ECS Image Builder API (one endpoint for "
                    "all regions).",
    )
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0,
                        help="port to listen on (default 0: any free port)")
    parser.add_argument("--access-key-id", default=DEFAULT_ACCESS_KEY_ID,
                        help=f"the accepted AccessKey id (default {DEFAULT_ACCESS_KEY_ID})")
    parser.add_argument("--access-key-secret", default=DEFAULT_ACCESS_KEY_SECRET,
                        help="its secret (default: the documented emulator secret)")
    parser.add_argument("--account-id", type=_account, default=DEFAULT_ACCOUNT_ID,
                        help="the caller's account uid, owner of images and components (default "
                             f"{DEFAULT_ACCOUNT_ID})")
    parser.add_argument("--phase-seconds", type=_seconds, default=1.0,
                        help="how long each build phase lasts (default 1.0)")
    parser.add_argument("--manual-clock", action="store_true",
                        help="time only moves through POST /_emulator/clock/advance")
    parser.add_argument("--seed", type=int, default=0,
                        help="seed of fault injection and ids (default 0)")
    parser.add_argument("--throttle-rate", type=_rate, default=0.0,
                        help="share of requests throttled (0-1)")
    parser.add_argument("--error-rate", type=_rate, default=0.0,
                        help="share of requests answered 5xx (0-1)")
    parser.add_argument("--fail-distribution-to", type=_region, action="append", default=[],
                        metavar="REGION",
                        help="copies to this region fail (PARTITION_SUCCESS); repeatable")
    parser.add_argument("--release-failure", action="store_true",
                        help="builds fail to release their temporary resources (PARTITION_SUCCESS)")
    parser.add_argument("--state-file", type=argparse.FileType("r"), metavar="PATH",
                        help="start from this state: a saved GET /_emulator/state")
    parser.add_argument("--quiet", action="store_true", help="do not log requests to stderr")
    return parser


def _log(record: RequestRecord) -> None:
    print(f"{record.action} {record.region or '-'} {record.status} {record.code or '-'} "
          f"{record.duration_ms:.1f}ms", file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.throttle_rate + args.error_rate > 1.0:
        parser.error("--throttle-rate plus --error-rate must not exceed 1")
    for name in PROXY_VARIABLES:
        os.environ.pop(name, None)
    app = make_app(
        access_key_id=args.access_key_id, access_key_secret=args.access_key_secret,
        account_id=args.account_id,
        manual_clock=args.manual_clock, on_request=None if args.quiet else _log,
        phase_seconds=args.phase_seconds, seed=args.seed, throttle_rate=args.throttle_rate,
        error_rate=args.error_rate, fail_distribution_to=args.fail_distribution_to,
        release_failure=args.release_failure,
    )
    if args.state_file is not None:
        with args.state_file:
            try:
                app.backend.restore(json.load(args.state_file))
            except ValueError as exc:  # JSONDecodeError is one too
                parser.error(f"--state-file {args.state_file.name}: {exc}")
    try:
        server = EmulatorServer(app, args.host, args.port)
    except OSError as exc:
        print(f"alicloud-imagebuilder-emulator: cannot listen on {args.host}:{args.port}: {exc}",
              file=sys.stderr)
        return 1
    stop = threading.Event()
    for signum in (signal.SIGINT,
                   signal.SIGTERM):  # before the endpoint line: a launcher may stop us at once
        signal.signal(signum, lambda *_: stop.set())
    server.start()
    print(f"endpoint: {server.url}", flush=True)
    print(f"access_key_id: {args.access_key_id}\naccount_id: {args.account_id}\n"
          f"admin: {server.url}/_emulator/state", flush=True)
    while not stop.wait(0.5):
        pass
    server.stop()
    return 0
