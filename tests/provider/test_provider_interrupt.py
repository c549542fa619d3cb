"""The engine's interrupt stops the dynamic provider host even when the host inherited SIGINT
as ignored: a CLI started in the background by a non-interactive shell (``make test &``, some CI
runners) passes that on to every plugin, and Python then installs no KeyboardInterrupt handler."""

from __future__ import annotations

import signal

from alicloud_imagebuilder_provider.dynamic import ImageTemplateProvider
from provider_testkit import BASE
from test_provider_host import serialized, start_host


def test_a_host_that_inherited_an_ignored_interrupt_still_stops_on_it(emulator):
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # what the host inherits
    try:
        host = start_host(emulator)
    finally:
        signal.signal(signal.SIGINT, previous)
    try:
        checked = host.check("ImageTemplate", "web", {  # the provider's first call in the host
            "__provider": serialized(ImageTemplateProvider()), **BASE, "build_content": "RUN echo"})
        assert list(checked.failures) == []
        host.process.send_signal(signal.SIGINT)  # what the engine sends on Ctrl-C
        host.process.wait(timeout=60)
    finally:
        host.process.kill()
        host.process.wait()
