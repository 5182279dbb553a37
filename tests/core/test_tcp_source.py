"""The TCP client source against a real server on loopback: drops, refusals,
stalls and stops, with no line lost or repeated."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable

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


def wait_until(condition: Callable[[], bool], timeout_s: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


def collect(queue: LineQueue, count: int, timeout_s: float = 10.0) -> list[bytes]:
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
        time.sleep(0.3)
        server = listener(port)
        second, _ = server.accept()
        second.sendall(b"\n".join(LINES[3:]) + b"\n")
        time.sleep(0.2)
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
    thread.join(10)
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
        parse_source_url(f"tcp://127.0.0.1:{port}"), LineQueue(),
        backoff=Backoff(first_s=1.0, max_s=1.0),  # the stalled state stays a while to be seen
        stall_timeout_s=0.4,
    )  # fmt: skip
    source.start()
    try:
        seen: list[str] = []

        def stalled() -> bool:
            seen.append(source.status().state)
            return "no data for 0.4 s" in seen[-1]

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


def test_stop_ends_the_source_within_a_second_even_mid_read() -> None:
    server = listener()
    port = server.getsockname()[1]
    source = TcpClientSource(parse_source_url(f"tcp://127.0.0.1:{port}"), LineQueue())
    source.start()
    connection, _ = server.accept()
    assert wait_until(lambda: source.status().state == "connected")
    started = time.monotonic()
    source.stop()
    assert time.monotonic() - started < 1.0
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
