"""Ctrl-C and SIGTERM as a request to stop cleanly, for the commands that run until told."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator


@contextlib.contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """While inside, SIGINT and SIGTERM set ``stop`` instead of interrupting, so the
    command finishes what it was writing and closes its files; the previous
    handlers come back on the way out."""
    previous = {
        signum: signal.signal(signum, lambda *_: stop.set())
        for signum in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
