"""Source throughput: how many lines a live source delivers, and whether any are lost.

Why: a source must keep up with the busiest feed (an aggregator's TCP stream)
with room to spare, and a UDP listener must not drop datagrams at realistic
rates. A loopback sender pushes the benchmarks' log (``port_log.py``) through
TCP into ``TcpClientSource`` and counts what reaches the queue; the baseline,
in the same run, is a bare socket reading the same stream line by line. UDP is
sent at a fixed rate and the received lines are counted.

Targets: TCP >= 100,000 lines/s with no loss; UDP no loss at 10,000 lines/s.

Usage: ``python benchmarks/sources.py [--lines N] [--udp-rate R] [--udp-seconds S]``.
"""

from __future__ import annotations

import argparse
import socket
import sys
import threading
import time
from pathlib import Path

from portwatch.sources.base import Backoff
from portwatch.sources.queue import LineQueue
from portwatch.sources.tcp import TcpClientSource
from portwatch.sources.udp import UdpSource
from portwatch.sources.urls import parse_source_url

sys.path.insert(0, str(Path(__file__).resolve().parent))
from port_log import cached_log


def serve_once(payload: bytes) -> tuple[int, threading.Thread]:
    """A loopback TCP server that sends ``payload`` to its first client, then closes."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()

    def send() -> None:
        connection, _ = server.accept()
        connection.sendall(payload)
        connection.close()
        server.close()

    thread = threading.Thread(target=send, daemon=True)
    thread.start()
    return server.getsockname()[1], thread


def drain(queue: LineQueue, expected: int, timeout_s: float) -> tuple[int, float, float]:
    """Count lines off the queue; returns (count, first arrival, last arrival)."""
    count = 0
    first = last = 0.0
    deadline = time.monotonic() + timeout_s
    while count < expected and time.monotonic() < deadline:
        batch = queue.get_batch(max_lines=8192, timeout_s=0.2)
        if batch:
            last = time.perf_counter()
            if not count:
                first = last
            count += len(batch)
    return count, first, last


def tcp_source(payload: bytes, lines: int) -> tuple[int, float, int]:
    """PortWatch's TCP source: (lines received, seconds, lines dropped by the queue)."""
    port, sender = serve_once(payload)
    queue = LineQueue(max_lines=1_000_000)
    source = TcpClientSource(
        parse_source_url(f"tcp://127.0.0.1:{port}"), queue, backoff=Backoff(60, 60)
    )
    started = time.perf_counter()
    source.start()
    count, _, last = drain(queue, lines, timeout_s=120)
    source.stop()
    sender.join(5)
    return count, last - started, sum(queue.dropped.values())


def tcp_bare(payload: bytes, lines: int) -> tuple[int, float]:
    """Baseline: a bare socket read line by line (``makefile().readline``)."""
    port, sender = serve_once(payload)
    started = time.perf_counter()
    count = 0
    with socket.create_connection(("127.0.0.1", port)) as connection:
        reader = connection.makefile("rb")
        for line in reader:
            if line.strip():
                count += 1
    sender.join(5)
    return count, time.perf_counter() - started


def udp(lines: list[bytes], rate: float, seconds: float) -> tuple[int, int]:
    """Send ``rate`` lines/s for ``seconds`` (ten lines a datagram); (sent, received)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    queue = LineQueue(max_lines=1_000_000)
    source = UdpSource(parse_source_url(f"udp://127.0.0.1:{port}"), queue)
    source.start()
    while source.status().state != "connected":
        time.sleep(0.01)
    per_datagram = 10
    total = int(rate * seconds)
    sent = 0
    started = time.perf_counter()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sender:
        while sent < total:
            due = started + sent / rate
            pause = due - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            chunk = [lines[(sent + i) % len(lines)] for i in range(per_datagram)]
            sender.sendto(b"\n".join(chunk) + b"\n", ("127.0.0.1", port))
            sent += per_datagram
    received, _, _ = drain(queue, sent, timeout_s=5)
    source.stop()
    return sent, received


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=220_000, help="log lines to send")
    parser.add_argument("--udp-rate", type=float, default=10_000.0, help="UDP lines per second")
    parser.add_argument("--udp-seconds", type=float, default=5.0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    log = cached_log(args.lines)
    payload = log.read_bytes()
    lines = [line for line in payload.splitlines() if line]
    print(f"log: {log} ({len(lines):,} lines, {len(payload) / 1e6:.1f} MB)")

    best_source = best_bare = float("inf")
    for _ in range(args.repeat):
        received, seconds, dropped = tcp_source(payload, len(lines))
        lost = len(lines) - received - dropped
        best_source = min(best_source, seconds)
        print(
            f"TCP source: {received:,} lines in {seconds:.3f} s "
            f"({received / seconds:,.0f} lines/s), dropped {dropped}, lost {lost}"
        )
        bare, bare_seconds = tcp_bare(payload, len(lines))
        best_bare = min(best_bare, bare_seconds)
        print(
            f"bare socket (baseline): {bare:,} lines in {bare_seconds:.3f} s "
            f"({bare / bare_seconds:,.0f} lines/s)"
        )
    rate = len(lines) / best_source
    print(
        f"TCP best: {rate:,.0f} lines/s (target >= 100,000, "
        f"{'met' if rate >= 100_000 else 'NOT met'}); bare socket {len(lines) / best_bare:,.0f}"
    )

    sent, received = udp(lines, args.udp_rate, args.udp_seconds)
    print(
        f"UDP at {args.udp_rate:,.0f} lines/s for {args.udp_seconds:g} s: sent {sent:,}, "
        f"received {received:,}, lost {sent - received:,} "
        f"({'met' if received == sent else 'NOT met'}: no loss)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
