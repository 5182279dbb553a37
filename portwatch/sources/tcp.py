"""A TCP client source: receivers and aggregators that serve NMEA on a port.

Refused, dropped or silent connections are retried with back-off. A connection
without a line for the source's ``silent_after_s`` is given up and made again,
because a half-dead TCP connection can stay open for hours without a byte. A
connection attempt may take ``CONNECT_TIMEOUT_S`` (a feed over a satellite
link answers slowly) but looks every ``POLL_S`` whether it must stop.
"""

from __future__ import annotations

import errno
import os
import selectors
import socket
import time
from collections.abc import Iterator

from portwatch.sources.base import CONNECT_TIMEOUT_S, POLL_S, StreamSource, seconds_text

READ_BYTES = 65536
_WINDOWS_UNDER_WAY = getattr(errno, "WSAEWOULDBLOCK", errno.EWOULDBLOCK)
_UNDER_WAY = frozenset((errno.EINPROGRESS, errno.EWOULDBLOCK, errno.EAGAIN, _WINDOWS_UNDER_WAY))
"""What a non-blocking ``connect_ex`` returns while the attempt is under way."""


class StalledError(OSError):
    """No line for longer than the source's silence time-out."""


class TcpClientSource(StreamSource):
    """Reads ``tcp://host:port``."""

    _socket: socket.socket | None = None

    def _connection(self) -> Iterator[bytes]:
        connection = self._connect()
        if connection is None:
            return  # stopped while connecting
        connection.settimeout(POLL_S)
        self._set_state("connected")
        last_data = time.monotonic()
        while not self.stopped:
            try:
                chunk = connection.recv(READ_BYTES)
            except TimeoutError:
                if (silent_s := time.monotonic() - last_data) >= self.silent_after_s:
                    raise StalledError(f"silent for {seconds_text(silent_s)} s") from None
                continue
            if not chunk:
                return  # the server closed the connection
            last_data = time.monotonic()
            yield chunk

    def _connect(self) -> socket.socket | None:
        """A socket connected to one of the host's addresses, tried in turn; None
        when the source was stopped meanwhile. Raises the last attempt's error."""
        host, port = self.url.host or "", self.url.port or 0
        failure = OSError(f"no address for {host}")
        for family, kind, protocol, _, address in socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM
        ):
            try:
                return self._attempt(socket.socket(family, kind, protocol), address)
            except OSError as error:
                failure = error
                self._close()
        raise failure

    def _attempt(self, attempt: socket.socket, address: tuple) -> socket.socket | None:
        """Connect ``attempt`` within ``CONNECT_TIMEOUT_S``, looking every ``POLL_S``
        whether to stop (None then)."""
        self._socket = attempt  # released by _close, however the attempt ends
        attempt.setblocking(False)
        code = attempt.connect_ex(address)
        deadline = time.monotonic() + CONNECT_TIMEOUT_S
        with selectors.DefaultSelector() as selector:
            selector.register(attempt, selectors.EVENT_WRITE)  # done, or failed
            while code in _UNDER_WAY:
                left_s = deadline - time.monotonic()
                if self.stopped:
                    return None
                if left_s <= 0:
                    raise TimeoutError(f"no answer within {CONNECT_TIMEOUT_S:g} s")
                if selector.select(min(POLL_S, left_s)):
                    code = attempt.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
        if code:
            raise OSError(code, os.strerror(code))
        return attempt

    def _close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None
