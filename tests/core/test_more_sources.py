"""Receivers that push (tcp-listen), standard input, junk on the wire, and two
overlapping receivers feeding one queue through the duplicate filter."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

from portwatch.sources.base import Backoff
from portwatch.sources.dedupe import DuplicateFilter
from portwatch.sources.queue import LineQueue
from portwatch.sources.tcp import TcpClientSource
from portwatch.sources.tcp_listen import TcpListenSource
from portwatch.sources.urls import parse_source_url
from tests.core.test_tcp_source import collect, listener, wait_until
from tests.decoders.nmea import EXAMPLE_POSITION, vdm

FAST = Backoff(first_s=0.05, max_s=0.2)
LINES = [vdm(dict(EXAMPLE_POSITION, mmsi=366999000 + n))[0].encode() for n in range(6)]


def free_tcp_port() -> int:
    probe = listener()
    port = probe.getsockname()[1]
    probe.close()
    return port


def test_two_receivers_push_to_one_listener_without_mixing_lines() -> None:
    port = free_tcp_port()
    queue = LineQueue()
    source = TcpListenSource(parse_source_url(f"tcp-listen://127.0.0.1:{port}"), queue, FAST)
    source.start()
    try:
        assert wait_until(lambda: source.status().state == "listening")
        first = socket.create_connection(("127.0.0.1", port))
        second = socket.create_connection(("127.0.0.1", port))
        first.sendall(LINES[0] + b"\r\n" + LINES[1][:20])  # half a line ...
        second.sendall(LINES[2] + b"\r\n")
        assert collect(queue, 2) == [LINES[0], LINES[2]]
        first.sendall(LINES[1][20:] + b"\r\n" + LINES[3][:10])  # ... and the rest
        assert collect(queue, 1) == [LINES[1]]
        first.close()  # leaves with half a line
        second.sendall(LINES[4] + b"\r\n")
        assert collect(queue, 1) == [LINES[4]]
        assert wait_until(lambda: source.status().partial_discarded == 1)
        second.close()
    finally:
        source.stop()


def test_record_from_standard_input_ends_with_the_input(tmp_path: Path) -> None:
    log = tmp_path / "stdin.nmea"
    result = subprocess.run(
        [sys.executable, "-m", "portwatch", "record", "-", "-o", str(log)],
        input=b"\n".join(LINES),
        capture_output=True,
        timeout=60,
        check=False,  # no final newline
    )
    assert result.returncode == 0, result.stderr
    recorded = log.read_bytes().splitlines()
    assert [line[line.index(b"!") :] for line in recorded] == LINES
    assert all(line.startswith(b"\\s:-,c:") for line in recorded)


def test_junk_on_the_wire_is_counted_and_framing_recovers() -> None:
    server = listener()
    port = server.getsockname()[1]
    queue = LineQueue()
    source = TcpClientSource(parse_source_url(f"tcp://127.0.0.1:{port}"), queue, FAST)
    source.start()
    connection, _ = server.accept()
    try:
        connection.sendall(b"\x00\xff\x01 binary \x00\n" + b"x" * 1_000_000)  # 1 MB, no newline
        connection.sendall(b"\n" + LINES[0] + b"\n")
        assert collect(queue, 1) == [LINES[0]]
        assert wait_until(lambda: source.status().malformed == 2)
        assert len(source.splitter._pending) <= source.splitter.max_line_bytes
    finally:
        source.stop()
        connection.close()
        server.close()


def test_two_sources_fed_the_same_lines_pass_each_line_once() -> None:
    servers = [listener(), listener()]
    queue = LineQueue()
    sources = [
        TcpClientSource(parse_source_url(f"tcp://127.0.0.1:{s.getsockname()[1]}"), queue, FAST)
        for s in servers
    ]
    for source in sources:
        source.start()
    connections = [server.accept()[0] for server in servers]
    try:
        for connection in connections:
            connection.sendall(b"\r\n".join(LINES) + b"\r\n")
        items = []
        while len(items) < 2 * len(LINES):
            batch = queue.get_batch(timeout_s=5)
            assert batch, "lines stopped arriving"
            items += batch
        dedupe = DuplicateFilter()
        passed = [
            item.line
            for item in sorted(items, key=lambda i: i.received_at_s)
            if dedupe.accept(item)
        ]
        assert sorted(passed) == sorted(LINES)
        assert sum(dedupe.duplicates.values()) == len(LINES)
    finally:
        for source in sources:
            source.stop()
        for closable in (*connections, *servers):
            closable.close()
