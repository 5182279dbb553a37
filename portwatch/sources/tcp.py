"""A TCP client source: receivers and aggregators that serve NMEA on a port.

Refused, dropped or silent connections are retried with back-off; a feed
silent for longer than ``stall_timeout_s`` counts as stalled and is reconnected,
because a half-dead TCP connection can stay open for hours without a byte.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

from portwatch.sources.base import CONNECT_TIMEOUT_S, POLL_S, Backoff, StreamSource
from portwatch.sources.queue import LineQueue
from portwatch.sources.urls import SourceUrl

READ_BYTES = 65536


class StalledError(OSError):
    """No data for longer than the stall time-out."""


class TcpClientSource(StreamSource):
    """Reads ``tcp://host:port``."""

    def __init__(
        self,
        url: SourceUrl,
        queue: LineQueue,
        backoff: Backoff | None = None,
        stall_timeout_s: float = 60.0,
    ) -> None:
        super().__init__(url, queue, backoff)
        self.stall_timeout_s = stall_timeout_s
        self._socket: socket.socket | None = None

    def _connection(self) -> Iterator[bytes]:
        address = (self.url.host or "", self.url.port or 0)
        connection = socket.create_connection(address, timeout=CONNECT_TIMEOUT_S)
        self._socket = connection
        connection.settimeout(POLL_S)
        self._set_state("connected")
        last_data = time.monotonic()
        while not self.stopped:
            try:
                chunk = connection.recv(READ_BYTES)
            except TimeoutError:
                if time.monotonic() - last_data > self.stall_timeout_s:
                    raise StalledError(f"no data for {self.stall_timeout_s:g} s") from None
                continue
            if not chunk:
                return  # the server closed the connection
            last_data = time.monotonic()
            yield chunk

    def _close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None
