"""A UDP listener source: receivers and dispatchers that push datagrams.

A datagram holds one or several lines; its end also ends its last line. A
port that is busy is retried with back-off like a refused connection.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator

from portwatch.sources.base import POLL_S, StreamSource

DATAGRAM_BYTES = 65535
RECEIVE_BUFFER_BYTES = 4 << 20
"""Asked of the kernel for datagrams not yet read (it may give less: Linux caps it
at ``net.core.rmem_max``, 4 MB on common systems, against a default of 208 kB).
A small datagram takes about a kilobyte of it, so the default held a fifth of a
second of a 1,000 msg/s feed, and a reader held up longer on a busy machine lost
the rest (benchmarks/soak.py: 0.5 % of its UDP feed); this holds seconds."""


class UdpSource(StreamSource):
    """Listens on ``udp://host:port``, joining ``?group=`` when given."""

    _socket: socket.socket | None = None

    def _connection(self) -> Iterator[bytes]:
        listening = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._socket = listening
        if self.url.group:
            # Datagrams to a group are addressed to the group, not to this host:
            # bind the group's port on the group, and use the host only to pick
            # the interface that joins it.
            listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listening.bind((self.url.group, self.url.port or 0))
            membership = socket.inet_aton(self.url.group) + socket.inet_aton(
                self.url.host or "0.0.0.0"
            )
            listening.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, membership)
        else:
            listening.bind((self.url.host or "", self.url.port or 0))
        with contextlib.suppress(OSError):  # less is still a listener
            listening.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER_BYTES)
        listening.settimeout(POLL_S)
        self._set_state("connected")
        while not self.stopped:
            try:
                datagram = listening.recv(DATAGRAM_BYTES)
            except TimeoutError:
                continue
            yield datagram if datagram.endswith(b"\n") else datagram + b"\n"

    def _close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None
