"""Standard input as a source (``-``): ``nc host 10110 | portwatch record - -o log``."""

from __future__ import annotations

import os
import select
import sys
from collections.abc import Iterator

from portwatch.sources.base import POLL_S, StreamSource


class StdinSource(StreamSource):
    """Reads standard input until it ends; it is not reopened after the end."""

    def _connection(self) -> Iterator[bytes]:
        descriptor = sys.stdin.fileno()
        self._set_state("connected")
        while not self.stopped:
            ready, _, _ = select.select([descriptor], [], [], POLL_S)
            if not ready:
                continue
            chunk = os.read(descriptor, 65536)
            if not chunk:
                yield b"\n"  # the end of input also ends its last line
                self._stopping.set()  # nothing to reconnect to
                return
            yield chunk

    def _close(self) -> None:
        """Standard input belongs to the process; it is left open."""
