r"""History on SQLite and on PostgreSQL, and the centre's relay, in one run.

Why: a control centre keeps its history on PostgreSQL, so the second back end
must keep up with the first where a desk uses it (bulk import), stay quick
where the operator waits (a track, a ten-minute area picture) at the size of a
real archive, and the relay must forward a national feed's rate to a room of
workstations without delay. Measured, each on both back ends in the same run:

(a) import msg/s: ``import_logs`` (the CLI's path: decode, fleet, the writer in
    a child process) of the simulated San Pedro log of ``corpus.py`` at true ITU
    rates into a fresh SQLite file and a fresh PostgreSQL database, interleaved,
    best of ``--repeat``. Target: PostgreSQL >= 0.8x SQLite.
(b) a one-vessel one-hour track (``HistoryStore.track``) and a ten-minute area
    query (``HistoryStore.vessels_in_area``, the latest fix of every vessel in a
    box covering about a quarter of the traffic) on a history of ``--positions``
    positions (default 20 million), made by SQL on each back end (PostgreSQL:
    ``generate_series`` in data-time order, as a live feed writes it, across
    two monthly partitions; SQLite: a recursive CTE), not by importing 20
    million messages. Median and best of the calls. Targets on PostgreSQL:
    track <= 20 ms, area <= 200 ms. On PostgreSQL with PostGIS the area query
    is run both ways (PostGIS in the database, and plain ranges with the shape
    tested in Python).
(c) the relay: ``--relay-rate`` lines a second (default 20,000) published for
    ``--relay-seconds`` to ``--clients`` clients (default 10) in another process,
    each line carrying its publish time (monotonic, in a tag block field the relay
    forwards as it is); the clients' receive time minus it is the added latency.
    Target: p99 < 50 ms.

PostgreSQL is a throwaway cluster on loopback started here (Debian's server
package; as root it runs as the ``postgres`` user), with its durable defaults
(fsync on); PortWatch's writer commits with ``synchronous_commit = off``, the
same guarantee as SQLite's WAL with ``synchronous = NORMAL``. Databases are
removed at the end; the 20-million-row ones take about 3 GB while they exist.

A benchmark, not a test: the exit code is 0 whether or not the targets are met.

Usage: ``python benchmarks/history_backends.py [--positions N] [--repeat R]
[--sentences S] [--relay-rate L] [--relay-seconds T] [--clients C]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import cached_corpus  # noqa: E402

from portwatch.centre.relay import RelayServer  # noqa: E402
from portwatch.decoders.framing import tag_block  # noqa: E402
from portwatch.history.backend import PostgresConnection  # noqa: E402
from portwatch.history.schema_postgresql import ensure_partitions, month_start_s  # noqa: E402
from portwatch.history.store import HistoryStore  # noqa: E402
from portwatch.importing import import_logs  # noqa: E402
from tests.postgresql_server import running_server  # noqa: E402

VESSELS = 2_000
EVERY_S = 30
"""The big history: ``VESSELS`` vessels, a fix each every ``EVERY_S``."""
LAT0, LON0 = 33_500_000, -118_500_000
SPREAD = 400_000
"""Positions spread over 0.4 degrees (microdegrees) in each direction."""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--positions", type=int, default=20_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sentences", type=int, default=200_000)
    parser.add_argument("--relay-rate", type=int, default=20_000)
    parser.add_argument("--relay-seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--skip", action="append", default=[], choices=["import", "big", "relay"])
    return parser.parse_args()


def measure_import(server, folder: Path, sentences: int, repeat: int) -> None:
    log = cached_corpus(sentences, 1, real_rates=True)
    print(f"\n(a) import of {log.name} ({log.stat().st_size / 1e6:.0f} MB)")
    times: dict[str, list[float]] = {"sqlite": [], "postgresql": []}
    messages = 0
    for round_ in range(repeat):
        for backend in ("sqlite", "postgresql"):
            db = (
                str(folder / f"import-{round_}.sqlite")
                if backend == "sqlite"
                else server.new_database()
            )
            started = time.perf_counter()
            result, _ = import_logs([str(log)], db)
            elapsed = time.perf_counter() - started
            times[backend].append(elapsed)
            messages = result.messages
            print(
                f"  round {round_ + 1} {backend:10s} {elapsed:6.2f} s  "
                f"{result.messages / elapsed:9,.0f} msg/s"
            )
            if backend == "sqlite":
                for suffix in ("", "-wal", "-shm"):
                    Path(db + suffix).unlink(missing_ok=True)
            else:
                server.drop_database(db)
    best = {name: messages / min(values) for name, values in times.items()}
    ratio = best["postgresql"] / best["sqlite"]
    verdict = "MET" if ratio >= 0.8 else "NOT MET"
    print(
        f"  best: SQLite {best['sqlite']:,.0f} msg/s, PostgreSQL {best['postgresql']:,.0f} "
        f"msg/s: {ratio:.2f}x (target >= 0.8x) {verdict}"
    )


def build_sqlite(path: Path, steps: int, start_s: int) -> None:
    HistoryStore.open(path).close()
    import sqlite3

    connection = sqlite3.connect(path)
    with connection:
        connection.execute("INSERT INTO sources (id, name) VALUES (1, 'bench')")
        connection.executemany(
            "INSERT INTO vessels (mmsi, kind, first_seen_s, last_seen_s) "
            "VALUES (?, 'class_a', ?, ?)",
            [(366_000_000 + v, start_s, start_s + (steps - 1) * EVERY_S) for v in range(VESSELS)],
        )
        connection.execute(
            f"""
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {steps - 1})
            INSERT INTO positions
            SELECT v.mmsi, {start_s} + n.i * {EVERY_S},
                   {LAT0} + (v.mmsi * 7919 + n.i * 37) % {SPREAD},
                   {LON0} + (v.mmsi * 104729 + n.i * 53) % {SPREAD}, 100, 900, 90, 0, 1
            FROM vessels v, n ORDER BY 1, 2
            """
        )
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()


def build_postgresql(url: str, steps: int, start_s: int) -> None:
    with HistoryStore.open(url) as store:
        sql = store.sql
        assert isinstance(sql, PostgresConnection)
        end_s = start_s + (steps - 1) * EVERY_S
        with sql.transaction():
            sql.execute("INSERT INTO sources (id, name) VALUES (1, 'bench')")
            sql.executemany(
                "INSERT INTO vessels (mmsi, kind, first_seen_s, last_seen_s) "
                "VALUES (?, 'class_a', ?, ?)",
                [(366_000_000 + v, start_s, end_s) for v in range(VESSELS)],
            )
            ensure_partitions(sql, start_s, end_s, set())
        chunk = 500
        for first in range(0, steps, chunk):  # a transaction per chunk, in data-time order
            last = min(first + chunk, steps) - 1
            sql.execute(
                f"""
                INSERT INTO positions
                SELECT 366000000 + v, {start_s} + i * {EVERY_S},
                       {LAT0} + ((366000000 + v) * 7919::bigint + i * 37) % {SPREAD},
                       {LON0} + ((366000000 + v) * 104729::bigint + i * 53) % {SPREAD},
                       100, 900, 90, 0, 1
                FROM generate_series({first}, {last}) AS i
                CROSS JOIN LATERAL generate_series(0, {VESSELS - 1}) AS v
                """
            )
        sql.execute("VACUUM ANALYZE positions")
        sql.execute("VACUUM ANALYZE vessels")


def timed_calls(call, count: int) -> tuple[float, float, object]:
    """(median, best) in milliseconds over ``count`` calls, and the last answer."""
    times = []
    answer = None
    for _ in range(count):
        started = time.perf_counter()
        answer = call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), min(times), answer


def measure_queries(name: str, store: HistoryStore, steps: int, start_s: int) -> dict:
    mmsi = 366_000_000 + VESSELS // 3
    middle_s = start_s + steps // 2 * EVERY_S
    track = timed_calls(lambda: store.track(mmsi, middle_s, middle_s + 3600), 200)
    box = (-118.5, 33.5, -118.3, 33.7)  # a quarter of the spread
    area = timed_calls(lambda: store.vessels_in_area(box, middle_s, 600.0), 30)
    print(
        f"  {name:24s} track {track[0]:7.2f} ms median, {track[1]:7.2f} best "
        f"({len(track[2])} fixes) | area {area[0]:8.2f} ms median, {area[1]:8.2f} best "
        f"({len(area[2])} vessels)"
    )
    return {"track": track, "area": area}


def measure_big(server, folder: Path, positions: int) -> None:
    steps = positions // VESSELS
    # Two days before a month's end: the history spans two monthly partitions.
    start_s = month_start_s(1_740_000_000 + 40 * 86_400) - 2 * 86_400
    print(
        f"\n(b) queries on {steps * VESSELS:,} positions ({VESSELS:,} vessels, a fix every "
        f"{EVERY_S} s for {steps * EVERY_S / 3600:.0f} h)"
    )
    path = folder / "big.sqlite"
    started = time.perf_counter()
    build_sqlite(path, steps, start_s)
    print(
        f"  SQLite built in {time.perf_counter() - started:.0f} s, "
        f"{path.stat().st_size / 1e9:.2f} GB"
    )
    with HistoryStore.open(path, readonly=True) as store:
        measure_queries("SQLite", store, steps, start_s)
    path.unlink()
    url = server.new_database(postgis=server.postgis)
    started = time.perf_counter()
    build_postgresql(url, steps, start_s)
    with HistoryStore.open(url, readonly=True) as store:
        size = store.sql.execute("SELECT pg_database_size(current_database())").fetchone()[0]
        print(f"  PostgreSQL built in {time.perf_counter() - started:.0f} s, {size / 1e9:.2f} GB")
        postgis = store.postgis
        store.postgis = False
        plain = measure_queries("PostgreSQL", store, steps, start_s)
        results = [plain]
        if postgis:
            store.postgis = True
            results.append(measure_queries("PostgreSQL + PostGIS", store, steps, start_s))
    server.drop_database(url)
    track_ms = min(r["track"][0] for r in results)
    area_ms = min(r["area"][0] for r in results)
    print(
        f"  PostgreSQL targets: track {track_ms:.2f} ms <= 20 ms "
        f"{'MET' if track_ms <= 20 else 'NOT MET'}; area {area_ms:.1f} ms <= 200 ms "
        f"{'MET' if area_ms <= 200 else 'NOT MET'}"
    )


_CLIENTS = r"""
import selectors, socket, sys, time, json
port, count, expected = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
socks = [socket.create_connection(("127.0.0.1", port)) for _ in range(count)]
print("connected", flush=True)
selector = selectors.DefaultSelector()
rest = {}
for s in socks:
    selector.register(s, selectors.EVENT_READ)
    rest[s] = b""
latencies = []
lines = {s: 0 for s in socks}
deadline = time.monotonic() + 120
while min(lines.values()) < expected and time.monotonic() < deadline:
    for key, _ in selector.select(1.0):
        data = key.fileobj.recv(1 << 20)
        if not data:
            lines[key.fileobj] = expected
            continue
        now = time.monotonic_ns()
        parts = (rest[key.fileobj] + data).split(b"\r\n")
        rest[key.fileobj] = parts.pop()
        for part in parts:
            start = part.find(b",n:")
            if start >= 0:
                latencies.append(now - int(part[start + 3 : part.find(b"*", start)]))
        lines[key.fileobj] += len(parts)
latencies.sort()
print(json.dumps({
    "received": sum(lines.values()), "p99": latencies[int(len(latencies) * 0.99)],
    "p50": latencies[len(latencies) // 2], "max": latencies[-1],
}))
"""


def measure_relay(rate: int, seconds: float, clients: int) -> None:
    print(
        f"\n(c) relay: {rate:,} lines/s for {seconds:.0f} s to {clients} clients (another process)"
    )
    relay = RelayServer("127.0.0.1", 0)
    total = int(rate * seconds)
    process = subprocess.Popen(
        [sys.executable, "-c", _CLIENTS, str(relay.address[1]), str(clients), str(total)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    process.stdout.readline()
    deadline = time.monotonic() + 10
    while relay.counters().clients < clients and time.monotonic() < deadline:
        time.sleep(0.01)
    body = "!AIVDM,1,1,,A,15M?<bhP0jGRMk0CB8H3Q2mOP000,0*0C"
    per_ms = rate / 1000
    started = time.monotonic()
    sent = 0
    while sent < total:
        due = int((time.monotonic() - started) * 1000 * per_ms) + 1
        stamp = time.monotonic_ns()
        line = (tag_block(f"s:bench,c:{int(time.time())},n:{stamp}") + body + "\r\n").encode()
        for _ in range(min(due - sent, total - sent)):
            relay.publish(line)
            sent += 1
        time.sleep(0.0005)
    out, _ = process.communicate(timeout=180)
    relay_counters = relay.counters()
    relay.close()
    import json

    result = json.loads(out.strip().splitlines()[-1])
    elapsed = time.monotonic() - started
    p99_ms, p50_ms, max_ms = (result[k] / 1e6 for k in ("p99", "p50", "max"))
    print(
        f"  published {sent:,} lines in {elapsed:.1f} s; clients received "
        f"{result['received']:,} of {sent * clients:,}; dropped {relay_counters.dropped}"
    )
    print(
        f"  added latency: p50 {p50_ms:.2f} ms, p99 {p99_ms:.2f} ms, max {max_ms:.2f} ms "
        f"(target p99 < 50 ms) {'MET' if p99_ms < 50 else 'NOT MET'}"
    )


def main() -> int:
    args = parse_args()
    print(
        f"history_backends: Python {platform.python_version()}, {platform.machine()}, "
        f"{os.cpu_count()} cores"
    )
    folder = Path(tempfile.mkdtemp(prefix="portwatch-bench-"))
    try:
        if "relay" not in args.skip:
            measure_relay(args.relay_rate, args.relay_seconds, args.clients)
        if {"import", "big"} - set(args.skip):
            with running_server(durable=True) as server:
                if server is None:
                    print("PostgreSQL is not installed here: apt-get install postgresql")
                    return 0
                version = server.version()
                print(
                    f"\nPostgreSQL {version} on loopback, PostGIS "
                    f"{'available' if server.postgis else 'not installed'}"
                )
                if "import" not in args.skip:
                    measure_import(server, folder, args.sentences, args.repeat)
                if "big" not in args.skip:
                    measure_big(server, folder, args.positions)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
