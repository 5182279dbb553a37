"""Every receiver says when it goes silent: TCP client, TCP listener, UDP and
serial (a real pseudo-terminal), each on real loopback sockets. A feed that
stops sending turns ``silent for N s`` (amber) after the URL's ``?silent=``
and back to ``connected`` (green) when lines flow again."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from portwatch.sources.base import Backoff, StreamSource
from portwatch.sources.factory import open_source
from portwatch.sources.queue import LineQueue
from portwatch.sources.urls import parse_source_url
from tests.core.test_tcp_source import collect, listener, wait_until
from tests.core.test_udp_serial_sources import Receiver, free_udp_port
from tests.decoders.nmea import EXAMPLE_POSITION, vdm

FAST = Backoff(first_s=0.05, max_s=0.2)
LINE = vdm(EXAMPLE_POSITION)[0].encode()
SILENT_S = 0.5


class TcpServer:
    """A receiver serving NMEA: it accepts every connection the client makes
    (it reconnects when the feed is silent) and sends on each one."""

    def __init__(self) -> None:
        self.server = listener()
        self.url = f"tcp://127.0.0.1:{self.server.getsockname()[1]}?silent={SILENT_S}"
        self.connections: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        with contextlib.suppress(OSError):  # closed at the end of the test
            while True:
                self.connections.append(self.server.accept()[0])

    def send(self, line: bytes) -> None:
        for connection in list(self.connections):
            with contextlib.suppress(OSError):  # one the client has given up
                connection.sendall(line + b"\r\n")

    def close(self) -> None:
        self.server.close()
        for connection in self.connections:
            connection.close()


class TcpPusher:
    """A receiver that connects to a ``tcp-listen`` source and pushes."""

    def __init__(self) -> None:
        probe = listener()
        self.port = probe.getsockname()[1]
        probe.close()
        self.url = f"tcp-listen://127.0.0.1:{self.port}?silent={SILENT_S}"
        self.connection: socket.socket | None = None

    def send(self, line: bytes) -> None:
        if self.connection is None:
            with contextlib.suppress(OSError):  # the source is not listening yet
                self.connection = socket.create_connection(("127.0.0.1", self.port))
        if self.connection is not None:
            self.connection.sendall(line + b"\r\n")

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


class UdpSender:
    def __init__(self) -> None:
        self.port = free_udp_port()
        self.url = f"udp://127.0.0.1:{self.port}?silent={SILENT_S}"
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

    def send(self, line: bytes) -> None:
        self.socket.sendto(line + b"\r\n", ("127.0.0.1", self.port))

    def close(self) -> None:
        self.socket.close()


class SerialReceiver:
    def __init__(self, device: Path) -> None:
        self.receiver = Receiver(device)
        self.url = f"serial://{device}?baud=38400&silent={SILENT_S}"

    def send(self, line: bytes) -> None:
        self.receiver.send(line)

    def close(self) -> None:
        self.receiver.unplug()


Feed = TcpServer | TcpPusher | UdpSender | SerialReceiver


@pytest.fixture(params=["tcp", "tcp-listen", "udp", "serial"])
def feed(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Feed]:
    made: Feed = {
        "tcp": TcpServer,
        "tcp-listen": TcpPusher,
        "udp": UdpSender,
        "serial": lambda: SerialReceiver(tmp_path / "ttyAIS"),
    }[request.param]()
    yield made
    made.close()


def flowing(source: StreamSource, feed: Feed, queue: LineQueue) -> bool:
    """Send a line (again: one may go to a connection the client is just giving
    up) until the source takes it and says it is connected."""
    feed.send(LINE)
    return bool(collect(queue, 1, timeout_s=0.05)) and source.status().state == "connected"


def test_every_receiver_says_when_it_is_silent_and_when_lines_flow_again(feed: Feed) -> None:
    queue = LineQueue()
    source = open_source(parse_source_url(feed.url), queue, backoff=FAST)
    assert isinstance(source, StreamSource)
    assert source.silent_after_s == SILENT_S
    source.start()
    try:
        assert wait_until(lambda: flowing(source, feed, queue))
        assert wait_until(lambda: source.status().state.startswith("silent for "))
        state = source.status().state
        silent_s = float(state.removeprefix("silent for ").removesuffix(" s"))
        assert silent_s >= SILENT_S
        assert wait_until(lambda: flowing(source, feed, queue))
    finally:
        source.stop()
    assert source.status().state == "stopped"


def test_a_listener_whose_receivers_left_says_so() -> None:
    """``tcp-listen`` is green only while a receiver is connected: when the last
    one leaves it is ``listening`` (amber) again, not connected to nobody."""
    pusher = TcpPusher()
    queue = LineQueue()
    source = open_source(parse_source_url(pusher.url), queue, backoff=FAST)
    source.start()
    try:
        assert wait_until(lambda: source.status().state == "listening")
        assert wait_until(lambda: flowing(source, pusher, queue))
        second = socket.create_connection(("127.0.0.1", pusher.port))
        pusher.close()
        second.sendall(LINE + b"\n")  # one receiver left, the other still sends
        assert collect(queue, 1) == [LINE]
        assert source.status().state == "connected"
        second.close()
        assert wait_until(lambda: source.status().state == "listening")
    finally:
        source.stop()
