"""A TCP server source for receivers that push: ``tcp-listen://127.0.0.1:PORT``.

Any number of receivers may connect; each has its own line framing, so their
lines never mix. A port that cannot be bound is retried with back-off. The
source is ``listening`` while no receiver is connected and ``connected`` while
one is (silent, like any source, when no line comes).
"""

from __future__ import annotations

import selectors
import socket
from collections.abc import Iterator

from portwatch.sources.base import POLL_S, StreamSource
from portwatch.sources.lines import LineSplitter

READ_BYTES = 65536


class TcpListenSource(StreamSource):
    """Accepts receivers on ``host:port`` and reads each one's lines."""

    _server: socket.socket | None = None
    _selector: selectors.BaseSelector | None = None

    def _connection(self) -> Iterator[bytes]:
        server = socket.socket()
        self._server = server
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind((self.url.host or "127.0.0.1", self.url.port or 0))
        server.listen()
        server.setblocking(False)
        selector = selectors.DefaultSelector()
        self._selector = selector
        selector.register(server, selectors.EVENT_READ, None)
        self._set_state("listening")
        counts = self.splitter.counts
        while not self.stopped:
            for key, _ in selector.select(POLL_S):
                if key.data is None:
                    try:
                        client, _ = server.accept()
                    except OSError:  # out of descriptors, or the client gave up: not fatal
                        continue
                    client.setblocking(False)
                    selector.register(client, selectors.EVENT_READ, LineSplitter())
                    self._set_state("connected")
                    continue
                client, framing = key.fileobj, key.data
                try:
                    data = client.recv(READ_BYTES)  # type: ignore[union-attr]
                except OSError:
                    data = b""
                if not data:  # this receiver went away; the others stay
                    framing.reset()
                    counts.partial_discarded += framing.counts.partial_discarded
                    selector.unregister(client)
                    client.close()  # type: ignore[union-attr]
                    if len(selector.get_map()) == 1:  # only the server itself is left
                        self._set_state("listening")
                    continue
                malformed_before = framing.counts.malformed
                lines = framing.feed(data)
                counts.malformed += framing.counts.malformed - malformed_before
                if lines:
                    yield b"\n".join(lines) + b"\n"

    def _close(self) -> None:
        if self._selector is not None:
            for key in list(self._selector.get_map().values()):
                key.fileobj.close()  # type: ignore[union-attr]
            self._selector.close()
            self._selector = None
        if self._server is not None:
            self._server.close()  # also when binding failed, before the selector existed
            self._server = None
