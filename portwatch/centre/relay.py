"""The centre's relay: the de-duplicated stream served again over TCP to the
workstations, each line with an IEC 61162-450 tag block (``s:`` source, ``c:``
time), so that every workstation's engine sees exactly what the centre's did.

The engine's worker hands each accepted line to ``publish``, which only appends
to a queue: the relay's own thread does the sending, with non-blocking sockets,
so a slow or stalled client costs the engine nothing and the other clients
nothing either. Each client has a bounded backlog; one whose backlog passes
``max_backlog_bytes`` is dropped and counted. A client that connects mid-stream
is sent whole lines only, from the next line on.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import re
import selectors
import socket
import threading
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from portwatch.decoders.errors import PortwatchError
from portwatch.decoders.framing import tag_block
from portwatch.sources.queue import ReceivedLine

log = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 10110
"""The usual port of an AIS feed over TCP (NMEA over IP)."""
MAX_BACKLOG_BYTES = 4 * 1024 * 1024
"""A client further behind than this (about 50 s of a busy national feed at
80 bytes a line and 1,000 lines a second) is dropped."""
SEND_BUFFER_BYTES = 256 * 1024
"""The kernel's send buffer for each client (a fifth of a second of 20,000 lines a
second)."""
GATHER_S = 0.002
"""While lines arrive (or a client has a backlog), the relay sends this often."""
IDLE_WAIT_S = 0.25
"""With nothing to send, the relay looks for new clients this often."""
_STATION = re.compile(rb"[^A-Za-z0-9.\-]")
"""What a ``s:`` field may hold here: letters, digits, dots and dashes (a comma,
star or backslash would end it)."""


class RelayError(PortwatchError, ValueError):
    """A ``--relay`` address that cannot be served; the message says why."""


def parse_relay_url(text: str) -> tuple[str, int]:
    """``tcp://HOST:PORT``, ``tcp://:PORT`` or ``tcp://HOST`` as (host, port); loopback
    when no host is given."""
    parts = urlsplit(text if "://" in text else f"tcp://{text}")
    if parts.scheme != "tcp":
        raise RelayError(f"{text}: a relay is served over TCP: tcp://HOST:PORT")
    try:
        port = parts.port if parts.port is not None else DEFAULT_PORT
    except ValueError as error:
        raise RelayError(f"{text}: {error}") from error
    return parts.hostname or DEFAULT_HOST, port


def parse_networks(texts: Iterable[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """``--relay-allow`` values (``10.1.0.0/16``, ``192.168.4.7``) as networks."""
    networks = []
    for text in texts:
        try:
            networks.append(ipaddress.ip_network(text.strip(), strict=False))
        except ValueError as error:
            raise RelayError(f"--relay-allow {text}: {error}") from error
    return networks


def relayed_line(line: bytes, source: str, received_at_s: float) -> bytes:
    """``line`` as the relay sends it: a line that already carries its time (a tag
    block, or a log's time prefix) as it is; a bare sentence with a tag block of its
    source and receive time, in milliseconds, as the centre's engine took it."""
    line = line.rstrip(b"\r\n")
    if line[:1] in (b"!", b"$"):
        # The milliseconds as an alert id writes the time (``situation_id``: three
        # decimals), so the workstations' alerts get the centre's ids.
        millis = f"{received_at_s:.3f}".replace(".", "")
        station = _STATION.sub(b"", source.encode("ascii", "replace"))[:15].decode()
        fields = f"s:{station},c:{millis}" if station else f"c:{millis}"
        return tag_block(fields).encode("ascii") + line + b"\r\n"
    return line + b"\r\n"


@dataclass(slots=True)
class RelayCounters:
    clients: int
    """Connected now."""
    served: int
    """Connections accepted since the start."""
    refused: int
    """Connections from addresses outside the allowed networks."""
    dropped: int
    """Clients dropped because they could not keep up."""
    lines: int
    """Lines published."""


class _Client:
    __slots__ = ("address", "backlog", "backlog_bytes", "sock")

    def __init__(self, sock: socket.socket, address: str) -> None:
        self.sock = sock
        self.address = address
        self.backlog: deque[memoryview] = deque()
        self.backlog_bytes = 0


class RelayServer:
    """Serves every published line to every connected client (see the module)."""

    def __init__(
        self,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        allow: Iterable[ipaddress.IPv4Network | ipaddress.IPv6Network] = (),
        max_backlog_bytes: int = MAX_BACKLOG_BYTES,
    ) -> None:
        self.allow = list(allow)
        self.max_backlog_bytes = max_backlog_bytes
        try:
            self._listener = socket.create_server((host, port))
        except OSError as error:
            raise RelayError(f"tcp://{host}:{port}: {error.strerror or error}") from error
        self._listener.setblocking(False)
        self.address: tuple[str, int] = self._listener.getsockname()[:2]
        self._queue: deque[bytes] = deque()
        self._wake = threading.Event()
        self._closing = threading.Event()
        self._clients: list[_Client] = []
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._listener, selectors.EVENT_READ)
        self._served = self._refused = self._dropped = self._lines = 0
        self._lock = threading.Lock()  # guards the counters for ``counters``
        self._thread = threading.Thread(target=self._serve, name="relay", daemon=True)
        self._thread.start()

    def publish(self, line: bytes) -> None:
        """Queue one whole line (with its line end) for every client. Called by the
        engine's worker: it only appends."""
        self._queue.append(line)
        if not self._wake.is_set():
            self._wake.set()

    def tap(self, item: ReceivedLine) -> None:
        """The engine's hook (``Engine.relay``): one accepted line, relayed."""
        self.publish(relayed_line(item.line, item.source, item.received_at_s))

    def counters(self) -> RelayCounters:
        with self._lock:
            return RelayCounters(
                clients=len(self._clients),
                served=self._served,
                refused=self._refused,
                dropped=self._dropped,
                lines=self._lines,
            )

    def close(self) -> None:
        self._closing.set()
        self._wake.set()
        self._thread.join(5)
        for client in list(self._clients):
            with contextlib.suppress(OSError):
                client.sock.close()
        self._selector.close()
        self._listener.close()

    def _serve(self) -> None:
        while not self._closing.is_set():
            if self._queue or any(client.backlog for client in self._clients):
                # Lines gather for a moment into one chunk: a few hundred sends a
                # second however busy the feed, for a couple of milliseconds' delay.
                self._closing.wait(GATHER_S)
            else:
                self._wake.wait(IDLE_WAIT_S)
                self._wake.clear()
            if self._selector.select(0):
                self._accept()
            self._distribute()
            for client in list(self._clients):
                if client.backlog:
                    self._send(client)
                if client.backlog_bytes > self.max_backlog_bytes:
                    log.warning("relay: dropped %s, which could not keep up", client.address)
                    self._drop(client, stalled=True)

    def _accept(self) -> None:
        while True:
            try:
                sock, peer = self._listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                return
            address = ipaddress.ip_address(peer[0])
            if self.allow and not any(address in network for network in self.allow):
                with self._lock:
                    self._refused += 1
                log.warning("relay: refused %s (not in the allowed networks)", peer[0])
                sock.close()
                continue
            sock.setblocking(False)
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                # A fixed kernel buffer: what a client has not taken is then counted
                # in its backlog, not hidden in megabytes of auto-tuned buffer.
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SEND_BUFFER_BYTES)
            with self._lock:
                self._clients.append(_Client(sock, peer[0]))
                self._served += 1

    def _distribute(self) -> None:
        """Everything queued, as one chunk of whole lines, into each client's backlog."""
        queue = self._queue
        if not queue:
            return
        lines = []
        pop = queue.popleft
        with contextlib.suppress(IndexError):
            while True:
                lines.append(pop())
        chunk = memoryview(b"".join(lines))
        with self._lock:
            self._lines += len(lines)
        for client in self._clients:
            client.backlog.append(chunk)
            client.backlog_bytes += len(chunk)

    def _send(self, client: _Client) -> None:
        backlog = client.backlog
        while backlog:
            chunk = backlog[0]
            try:
                sent = client.sock.send(chunk)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                self._drop(client, stalled=False)  # gone: nothing to count
                return
            client.backlog_bytes -= sent
            if sent == len(chunk):
                backlog.popleft()
            else:
                backlog[0] = chunk[sent:]
                return

    def _drop(self, client: _Client, stalled: bool) -> None:
        with self._lock:
            if client in self._clients:
                self._clients.remove(client)
            if stalled:
                self._dropped += 1
        with contextlib.suppress(OSError):
            client.sock.close()
