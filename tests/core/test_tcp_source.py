"""The TCP client source against a real server on loopback: drops, refusals,
stalls and stops, with no line lost or repeated."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from portwatch.sources.base import Backoff
from portwatch.sources.queue import LineQueue
from portwatch.sources.tcp import TcpClientSource
from portwatch.sources.urls import parse_source_url

FAST = Backoff(first_s=0.05, max_s=0.2)
LINES = [f"!AIVDM,1,1,,A,line {n},0*00".encode() for n in range(1, 7)]


def listener(port: int = 0) -> socket.socket:
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", port))
    server.listen()
    return server


WAIT_S = 30.0
"""How long a test waits for a condition before it fails: generous, because a test
that waits on a condition returns as soon as it holds, and a loaded machine is slow."""


def wait_until(condition: Callable[[], bool], timeout_s: float = WAIT_S) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


def collect(queue: LineQueue, count: int, timeout_s: float = WAIT_S) -> list[bytes]:
    lines: list[bytes] = []
    deadline = time.monotonic() + timeout_s
    while len(lines) < count and time.monotonic() < deadline:
        lines += [item.line for item in queue.get_batch(timeout_s=0.1)]
    return lines


def test_drop_mid_line_refusal_and_recovery() -> None:
    server = listener()
    port = server.getsockname()[1]
    states: list[str] = []

    def serve() -> None:
        nonlocal server
        first, _ = server.accept()
        first.sendall(b"\r\n".join(LINES[:3]) + b"\r\n" + LINES[3][:12])  # drop mid-line
        first.close()
        server.close()  # refuse connections for a while
        wait_until(lambda: "retrying" in source.status().state and len(states) > 2)
        wait_until(lambda: source.status().reconnects >= 2)  # a connection refused
        server = listener(port)
        second, _ = server.accept()
        second.sendall(b"\n".join(LINES[3:]) + b"\n")
        wait_until(lambda: source.status().lines == len(LINES))
        second.close()
        server.close()

    queue = LineQueue()
    source = TcpClientSource(parse_source_url(f"tcp://127.0.0.1:{port}"), queue, backoff=FAST)
    thread = threading.Thread(target=serve)
    thread.start()
    source.start()
    watcher_done = threading.Event()

    def watch() -> None:
        while not watcher_done.is_set():
            state = source.status().state
            if not states or states[-1] != state:
                states.append(state)
            time.sleep(0.005)

    watcher = threading.Thread(target=watch)
    watcher.start()
    received = collect(queue, len(LINES))
    thread.join(WAIT_S)
    source.stop()
    watcher_done.set()
    watcher.join()
    assert received == LINES  # every complete line, in order, exactly once
    status = source.status()
    assert status.partial_discarded >= 1
    assert status.reconnects >= 2
    assert status.lines == len(LINES)
    assert status.last_line_at_s is not None
    assert any(state == "connected" for state in states)
    assert any(state.startswith("retrying in") for state in states)


def test_silent_server_counts_as_stalled_and_is_reconnected() -> None:
    server = listener()
    port = server.getsockname()[1]
    accepted: list[socket.socket] = []
    accepted_at: list[float] = []

    def serve() -> None:
        while len(accepted) < 2:
            connection, _ = server.accept()
            accepted.append(connection)  # and say nothing
            accepted_at.append(time.monotonic())

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    source = TcpClientSource(
        parse_source_url(f"tcp://127.0.0.1:{port}?silent=0.4"),
        LineQueue(),
        backoff=Backoff(first_s=1.0, max_s=1.0),  # the stalled state stays a while to be seen
    )
    source.start()
    try:
        seen: list[str] = []

        def stalled() -> bool:
            seen.append(source.status().state)
            return seen[-1].startswith("retrying in 1 s (silent for 0.")

        # The server never closes the connection: only the stall time-out can
        # make the source give it up and connect again.
        assert wait_until(stalled)
        assert wait_until(lambda: len(accepted_at) >= 2)
        assert source.status().reconnects >= 1
    finally:
        source.stop()
        server.close()
        for connection in accepted:
            connection.close()


def test_stop_ends_the_source_even_mid_read() -> None:
    """Mid-read on a silent feed, stop() ends the source without waiting for data or
    for the silence time-out (an hour here). How soon (a read poll, a quarter of a
    second) is timing, which a loaded machine stretches: not a pass/fail matter."""
    server = listener()
    port = server.getsockname()[1]
    source = TcpClientSource(parse_source_url(f"tcp://127.0.0.1:{port}?silent=3600"), LineQueue())
    source.start()
    connection, _ = server.accept()
    assert wait_until(lambda: source.status().state == "connected")
    source.stop(timeout_s=WAIT_S)
    assert source.status().state == "stopped"
    connection.close()
    server.close()


def test_nothing_listening_is_retried_with_backoff() -> None:
    probe = listener()
    port = probe.getsockname()[1]
    probe.close()  # a port where nothing listens: refused
    source = TcpClientSource(parse_source_url(f"tcp://127.0.0.1:{port}"), LineQueue(), backoff=FAST)
    source.start()
    try:
        assert wait_until(lambda: source.status().reconnects >= 3)
        assert source.status().state.startswith("retrying in")
    finally:
        source.stop()


def full_listener() -> tuple[socket.socket, socket.socket]:
    """A server that does not answer, and the connection that fills its accept
    queue (backlog 0): the kernel drops further connection requests, and a
    client sends its request again after 1 s, 3 s, 7 s."""
    server = socket.socket()
    server.settimeout(20.0)  # an accept that never comes fails the test, not hangs it
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    return server, socket.create_connection(server.getsockname(), timeout=5)


PROC_TCP = Path("/proc/net/tcp")
SYN_SENT = "02"


def connection_requests_to(port: int) -> int:
    """Sockets of this machine waiting for an answer to connect to ``port`` on
    loopback (``SYN_SENT`` in the kernel's table)."""
    rows = [line.split() for line in PROC_TCP.read_text().splitlines()[1:]]
    return sum(row[3] == SYN_SENT and row[2].endswith(f":{port:04X}") for row in rows)


needs_proc_tcp = pytest.mark.skipif(
    not PROC_TCP.exists(), reason="needs Linux's /proc/net/tcp to see a connection attempt"
)


@needs_proc_tcp
def test_a_server_slow_to_answer_is_waited_for() -> None:
    """A feed over a satellite or VPN link answers a connection request after
    seconds, not in the 0.75 s the source used to allow: the first attempt
    goes on until the server answers (here its request is sent again after
    1 s, once the server has room), and no retry is needed."""
    server, filler = full_listener()
    port = server.getsockname()[1]
    queue = LineQueue()
    source = TcpClientSource(parse_source_url(f"tcp://127.0.0.1:{port}"), queue, backoff=FAST)
    source.start()
    try:
        assert wait_until(lambda: connection_requests_to(port) == 1)  # dropped: no room
        first, _ = server.accept()  # room for the next request, which is the source's
        first.close()
        connection, _ = server.accept()
        connection.sendall(LINES[0] + b"\r\n")
        assert collect(queue, 1) == [LINES[0]]
        assert source.status().reconnects == 0
        assert source.status().state == "connected"
        connection.close()
    finally:
        source.stop()
        filler.close()
        server.close()


@needs_proc_tcp
def test_stop_ends_the_source_within_a_second_even_mid_connect() -> None:
    server, filler = full_listener()
    port = server.getsockname()[1]
    source = TcpClientSource(parse_source_url(f"tcp://127.0.0.1:{port}"), LineQueue())
    source.start()
    try:
        assert wait_until(lambda: connection_requests_to(port) == 1)
        assert source.status().state == "connecting"
        source.stop()  # waits at most a second for the source's thread
        assert source.done
        assert source.status().state == "stopped"
        assert connection_requests_to(port) == 0  # the attempt was given up, not left behind
    finally:
        source.stop()
        filler.close()
        server.close()
