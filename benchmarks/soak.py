r"""A day under load and faults: ``portwatch run`` on a simulated 24 h at 2,000 msg/s.

Why: a centre runs for months. What a short benchmark cannot show is what grows
with time (memory, threads, open files after hundreds of reconnects) and what a
flaky feed costs. This runs ``portwatch run`` as a centre does (a subprocess,
``--db`` a SQLite file) on two live feeds over loopback for a simulated day, time
compressed ``--speed`` (5) times: a national authority's wide-area feed around the
demo port (the product's simulator, ``TrafficProfile.national()`` with its wide
area scaled to give ``--rate`` messages a second of wall-clock time: about 6,500
stations and 400 messages a second of data at the defaults), made as it is sent,
split by vessel (even and odd MMSI) between

- a TCP feed PortWatch connects to, which drops the connection every
  ``--drop-every-min`` (10) minutes of data; PortWatch reconnects by itself after
  its back-off, and what the feed has meanwhile goes to nobody;
- a UDP feed that falls silent for a minute of data in every hour of data;

both sent as their data time comes, ``--speed`` times faster than real time: a
day of data in 4.8 hours. Not more compressed: a live receiver's copies are told
from new reports by the time they are received (within 10 s), and a ship lying
alongside with "under way" left on sends the very same sentence again a minute
of data later, which more than x5 would bring within 10 s.

Afterwards, it prints:

(1) history: the positions the same lines give through ``portwatch import``,
    taking only the lines each feed delivered (to a connected PortWatch, outside
    its silences), against what the run stored; target: none missing;
(2) memory: the run's resident set (``VmRSS``) at the end of the first hour of
    data (the baseline) and at the end of the day; target: within 10 %;
(3) threads and open files at the same two moments; target: no growth;

and the rate achieved, the drops and silences, the lines lost to them, the
resident set hour by hour.

A benchmark, not a test: the exit code is 0 whether or not the targets are met.

Usage: ``python benchmarks/soak.py [--hours H] [--rate R] [--speed X]
[--drop-every-min M] [--seed S] [--port FILE]``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import queue
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from portwatch.bundled import DEMO_PORT, bundled_file
from portwatch.importing import import_logs
from portwatch.port.port_file import load_port
from portwatch.simulator.profile import TrafficProfile
from portwatch.simulator.traffic import TrafficSimulator
from portwatch.sources.dedupe import DEFAULT_WINDOW_S, sentence_key

START_S = 1_710_201_600.0
HOUR_S = 3600.0
SILENCE_S = 60.0
"""The UDP feed's silence in each hour of data..."""
SILENCE_AT_S = 1800.0
"""...starting half past the hour."""
MEMORY_TARGET = 1.10
NATIONAL_RATE = 180.0
"""Messages a second of data of ``TrafficProfile.national()`` (benchmarks/ingest.py)."""
SETTLE_POLLS = 4
"""The run has taken everything when its positions count stands still this many
polls (a second apart) after the last line."""
_END = None


@dataclass
class Sample:
    """The run process at a moment of the day."""

    data_time_s: float
    rss_kib: int
    threads: int
    open_files: int


class Feed:
    """One feed's lines, paced, and what became of them: those it delivered are
    written to ``log`` (the reference import's input)."""

    def __init__(self, name: str, log: BinaryIO) -> None:
        self.name = name
        self.lines: queue.Queue = queue.Queue(maxsize=100_000)
        self.log = log
        self.delivered = 0
        self.lost = 0
        self.faults = 0
        self.data_time_s = START_S

    def paced(self, speed: float, start: float) -> Iterator[tuple[float, bytes]]:
        """(data time, line) as each one's turn comes: ``speed`` seconds of data a
        second from ``start``."""
        while True:
            item = self.lines.get()
            if item is _END:
                return
            time_s, line = item
            wait_s = start + (time_s - START_S) / speed - time.monotonic()
            if wait_s > 0.001:
                time.sleep(wait_s)
            self.data_time_s = time_s
            yield time_s, line


def payload_mmsi(payload: bytes) -> int:
    """The MMSI of an AIS payload (bits 8-37 of its first 42, six to a character)."""
    bits = 0
    for char in payload[:7]:
        value = char - 48
        bits = (bits << 6) | (value - 8 if value > 40 else value)
    return (bits >> 4) & 0x3FFFFFFF


def simulate(simulator: TrafficSimulator, hours: float, tcp: Feed, udp: Feed) -> None:
    """The day's lines, as the simulator makes them, to the two feeds: TCP for an
    even MMSI, UDP for an odd one; the later fragments of a message go with its first."""
    feed = tcp
    for time_s, text in simulator.timed_lines(hours * HOUR_S):
        line = text.encode("ascii") + b"\n"
        fields = line[line.index(b"!") :].split(b",")
        if fields[2] == b"1":  # the first (or only) sentence of a message
            feed = tcp if payload_mmsi(fields[5]) % 2 == 0 else udp
        feed.lines.put((time_s, line))
    tcp.lines.put(_END)
    udp.lines.put(_END)


class TcpFeed:
    """A loopback TCP server PortWatch connects to; ``drop`` closes the connection."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self._client: socket.socket | None = None
        self._lock = threading.Lock()
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return  # closed
            with self._lock:
                self._client = client
                self.connections += 1

    def send(self, data: bytes) -> bool:
        """Send ``data`` to the connected PortWatch; False when none is connected."""
        with self._lock:
            client = self._client
        if client is None:
            return False
        try:
            client.sendall(data)
        except OSError:
            self.drop()
            return False
        return True

    def drop(self) -> None:
        with self._lock:
            client, self._client = self._client, None
        if client is not None:
            with contextlib.suppress(OSError):
                client.shutdown(socket.SHUT_WR)  # what was sent is delivered, then the end
            client.close()

    def close(self) -> None:
        self.drop()
        self.server.close()


def send_tcp(feed: Feed, server: TcpFeed, speed: float, start: float, drop_every_s: float) -> None:
    next_drop_s = START_S + drop_every_s
    for time_s, line in feed.paced(speed, start):
        if time_s >= next_drop_s:  # at the first line past the time
            server.drop()
            feed.faults += 1
            while next_drop_s <= time_s:
                next_drop_s += drop_every_s
        if server.send(line):
            feed.delivered += 1
            feed.log.write(line)
        else:
            feed.lost += 1


def send_udp(feed: Feed, port: int, speed: float, start: float) -> None:
    silent_hours: set[int] = set()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sender:
        for time_s, line in feed.paced(speed, start):
            offset_s = time_s - START_S
            if SILENCE_AT_S <= offset_s % HOUR_S < SILENCE_AT_S + SILENCE_S:
                hour = int(offset_s // HOUR_S)
                if hour not in silent_hours:
                    silent_hours.add(hour)
                    feed.faults += 1
                feed.lost += 1
                continue
            sender.sendto(line, ("127.0.0.1", port))
            feed.delivered += 1
            feed.log.write(line)


def sample(pid: int, data_time_s: float) -> Sample | None:
    """The run's resident set, threads and open files now (Linux ``/proc``)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii").splitlines()
        files = len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return None
    values = {name: value.split() for name, _, value in (line.partition(":") for line in status)}
    return Sample(data_time_s, int(values["VmRSS"][0]), int(values["Threads"][0]), files)


def positions(db: Path) -> set[tuple[int, float]]:
    with sqlite3.connect(db) as connection:
        return {(m, float(t)) for m, t in connection.execute("SELECT mmsi, time_s FROM positions")}


def repeated_soon(log: Path, speed: float, within_s: float) -> set[tuple[int, float]]:
    """(MMSI, time) of the single-sentence reports in ``log`` whose very sentence the
    same feed had delivered less than ``within_s`` of wall-clock time before (``speed``
    seconds of data a second).

    Why: the run drops a sentence it received again within 10 s as a receiver's copy
    (``DuplicateFilter``). At ×5 a ship sending the same sentence a minute of data later
    sends it 12 s of wall time later; a run that lags two seconds behind the first
    and not the second receives the two within 10 s. Those positions are lost to the
    compression of time, not to a fault; a real feed repeats them a minute apart."""
    at_risk: set[tuple[int, float]] = set()
    window_s = within_s * speed
    last_seen: OrderedDict[bytes, float] = OrderedDict()
    with open(log, "rb") as lines:
        for line in lines:
            key = sentence_key(line)
            tag = line.find(b"c:")
            if key is None or tag < 0:
                continue
            end = tag + 2
            while line[end : end + 1].isdigit():
                end += 1
            time_s = float(line[tag + 2 : end])
            while last_seen and next(iter(last_seen.values())) < time_s - window_s:
                last_seen.popitem(last=False)
            if key in last_seen:
                payload = line[line.index(b"!") :].split(b",")[5]
                at_risk.add((payload_mmsi(payload), time_s))
            last_seen[key] = time_s
            last_seen.move_to_end(key)
    return at_risk


def position_count(db: Path) -> int:
    try:
        with sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True) as connection:
            return connection.execute("SELECT count(*) FROM positions").fetchone()[0]
    except sqlite3.Error:
        return -1


def verdict(met: bool) -> str:
    return "yes" if met else "NO"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, default=24.0, help="hours of data (default 24)")
    parser.add_argument("--rate", type=float, default=2000.0, help="lines a second (2,000)")
    parser.add_argument("--speed", type=float, default=5.0, help="data time x (default 5)")
    parser.add_argument("--drop-every-min", type=float, default=10.0, help="TCP drops (10)")
    parser.add_argument("--seed", type=int, default=1, help="simulator seed (default 1)")
    parser.add_argument("--port", help="a port file: run watches it (the operator's watch)")
    args = parser.parse_args(argv)
    scale = args.rate / args.speed / NATIONAL_RATE
    simulator = TrafficSimulator(
        load_port(bundled_file(DEMO_PORT)),
        seed=args.seed,
        start_s=START_S,
        profile=TrafficProfile.national(scale),
    )
    print(
        f"{args.hours:g} h of a national-style feed ({scale:.1f} x TrafficProfile.national()) "
        f"at x{args.speed:g}, about {args.rate:,.0f} lines/s; TCP dropped every "
        f"{args.drop_every_min:g} min of data, UDP silent {SILENCE_S:g} s of data every hour"
    )

    with tempfile.TemporaryDirectory(prefix="portwatch-soak-") as tmp:
        folder = Path(tmp)
        db = folder / "soak.sqlite"
        server = TcpFeed()
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.bind(("127.0.0.1", 0))
            udp_port = probe.getsockname()[1]
        command = [
            sys.executable,
            "-m",
            "portwatch",
            "run",
            f"tcp://127.0.0.1:{server.port}",
            f"udp://127.0.0.1:{udp_port}",
            "--db",
            str(db),
            *(["--port", args.port] if args.port else []),
        ]
        errors = open(folder / "run.err", "w+", encoding="utf-8")  # noqa: SIM115
        run = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
        try:
            deadline = time.monotonic() + 60
            while server.connections == 0 and time.monotonic() < deadline and run.poll() is None:
                time.sleep(0.05)
            time.sleep(0.5)  # the UDP listener binds beside the TCP connection
            with (
                open(folder / "tcp.nmea", "wb") as tcp_log,
                open(folder / "udp.nmea", "wb") as udp_log,
            ):
                tcp, udp = Feed("TCP", tcp_log), Feed("UDP", udp_log)
                start = time.monotonic() + 10.0  # the simulator's warm-up and first lines
                threads = [
                    threading.Thread(target=simulate, args=(simulator, args.hours, tcp, udp)),
                    threading.Thread(
                        target=send_tcp,
                        args=(tcp, server, args.speed, start, args.drop_every_min * 60),
                    ),
                    threading.Thread(target=send_udp, args=(udp, udp_port, args.speed, start)),
                ]
                for thread in threads:
                    thread.start()
                samples: list[Sample] = []
                while any(thread.is_alive() for thread in threads):
                    now = sample(run.pid, min(tcp.data_time_s, udp.data_time_s))
                    if now is not None:
                        samples.append(now)
                    time.sleep(0.5)
                sent_s = time.monotonic() - start
            counts: list[int] = []
            while len(counts) < SETTLE_POLLS or len(set(counts[-SETTLE_POLLS:])) > 1:
                time.sleep(1.0)
                counts.append(position_count(db))
                if len(counts) > 300:
                    break
            end = sample(run.pid, START_S + args.hours * HOUR_S)
            run.send_signal(signal.SIGTERM)
            try:
                exit_status = run.wait(300)
            except subprocess.TimeoutExpired:
                run.kill()
                exit_status = run.wait()
            server.close()
            errors.seek(0)
            status_lines = errors.read().strip().splitlines()
            errors.close()
        finally:
            if run.poll() is None:  # stopped by an error of this script: no orphan
                run.kill()
                run.wait()
        expected: set[tuple[int, float]] = set()
        for feed in ("tcp", "udp"):
            reference = folder / f"reference-{feed}.sqlite"
            import_logs([str(folder / f"{feed}.nmea")], str(reference))
            expected |= positions(reference)
        stored = positions(db)
        risky: set[tuple[int, float]] = set()
        for feed in ("tcp", "udp"):
            risky |= repeated_soon(folder / f"{feed}.nmea", args.speed, 2 * DEFAULT_WINDOW_S)

    sent = tcp.delivered + udp.delivered + tcp.lost + udp.lost
    print(
        f"\n{len(simulator.vessels):,} stations heard; sent {sent:,} lines in {sent_s:.0f} s "
        f"({sent / sent_s:,.0f} lines/s; target "
        f"{args.rate:,.0f})"
    )
    for feed, what in ((tcp, "drops"), (udp, "silences")):
        print(
            f"  {feed.name}: {feed.delivered:,} delivered, {feed.lost:,} lost to "
            f"{feed.faults} {what}"
        )
    print(
        f"  PortWatch connected to the TCP feed {server.connections} times; run exited with "
        f"status {exit_status}"
    )
    if status_lines:
        print(f"  its last status line: {status_lines[-1]}")

    missing = len(expected - stored)
    by_feed = {"TCP": 0, "UDP": 0}
    for mmsi, _ in expected - stored:
        by_feed["TCP" if mmsi % 2 == 0 else "UDP"] += 1
    print("\n(1) history")
    print(
        f"  positions the delivered lines give through portwatch import (the baseline): "
        f"{len(expected):,}"
    )
    print(
        f"  stored by the run: {len(stored):,}; missing {missing:,}, extra "
        f"{len(stored - expected):,}   target: none missing  met: {verdict(missing == 0)}"
    )
    if missing:
        print(f"  missing by feed: TCP {by_feed['TCP']:,}, UDP {by_feed['UDP']:,}")
        copies = len((expected - stored) & risky)
        print(
            f"  of which {copies:,} are a sentence its feed had sent less than "
            f"{2 * DEFAULT_WINDOW_S:.0f} s of wall time before (of {len(risky):,} such), which a "
            f"run lagging a few seconds takes for a copy ({DEFAULT_WINDOW_S:.0f} s window): "
            f"lost to compressing time x{args.speed:g}; other missing: {missing - copies:,}"
        )

    first = next((s for s in reversed(samples) if s.data_time_s <= START_S + HOUR_S), None)
    if first is None or end is None:
        print("\nno memory samples (the run ended early?)")
        return 0
    ratio = end.rss_kib / first.rss_kib
    print(f"\n{'':<30} {'first hour (baseline)':>22} {'end of the day':>15}")
    print(
        f"{'(2) resident set (VmRSS)':<30} {first.rss_kib / 1024:>19.1f} MB "
        f"{end.rss_kib / 1024:>12.1f} MB   x{ratio:.2f}, target <= x{MEMORY_TARGET:.2f}  "
        f"met: {verdict(ratio <= MEMORY_TARGET)}"
    )
    print(
        f"{'(3) threads':<30} {first.threads:>22} {end.threads:>15}   target: no growth  "
        f"met: {verdict(end.threads <= first.threads)}"
    )
    print(
        f"{'    open files':<30} {first.open_files:>22} {end.open_files:>15}   target: no "
        f"growth  met: {verdict(end.open_files <= first.open_files)}"
    )
    marks = []
    for hour in range(1, int(args.hours) + 1):
        at = [s for s in samples if s.data_time_s <= START_S + hour * HOUR_S]
        if at:
            marks.append(f"{at[-1].rss_kib / 1024:.0f}")
    print(f"  resident set at the end of each hour of data (MB): {' '.join(marks)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
