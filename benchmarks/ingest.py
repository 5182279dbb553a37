r"""Bulk import: speed, database size, track read-back and memory, on realistic logs.

Why: ``portwatch import`` runs the whole engine (decode, fleet, history) on
recorded logs, so it has to keep up with a plain decoder, store positions
compactly enough to keep months of a port, read a track back quickly enough
to draw it at once, and hold a big live picture in the memory of an ordinary
desktop. This measures the four on three simulated logs of ``port_log.py`` (the
product's simulator on the demo port, with tag blocks) and on a synthetic crowd of
vessels, in one run:

- ``port``: the port's own receivers at the true ITU reporting rates (220,000
  sentences, about five hours of ~200 stations, ~90 % position reports; as
  ``decode.py`` uses it). A target.
- ``national``: a national authority's wide-area feed around the same port
  (``TrafficProfile.national``): about 3,000 stations for ``--hours`` (default
  one), at the ITU rates by class and navigational state: class A on passage,
  fishing, high-speed, alongside and at anchor, a thousand class B, 40 base
  stations, 250 aids to navigation, and a share of the vessels at the edge of
  coverage, heard and silent by turns (lost and found). A target.
- ``thinned``: the port log with every reporting interval 30 times longer
  (days of traffic). Every vessel is then silent for longer than its lost
  time-out between any two of its reports, so each report also makes a
  ``lost`` and a ``found`` event: a stress case for the events, which a real
  feed does not produce. Shown, not a target.

For each:

(a) PortWatch's CLI core, file to history database: ``import_logs`` into a fresh
    database file each run (decode, fleet, SQLite writes and commits included);
(b) pyais, file to dicts: ``FileReaderStream`` + ``decode().asdict()`` (baseline
    for a: what a bare decoder costs on the same file, without storing anything).

(a) and (b) are timed with ``time.perf_counter``, best of ``--repeat`` runs,
interleaved so that drift in machine speed hits both alike; every run's time
is printed, and the ratio both best against best and as the median of the
rounds' back-to-back ratios. Target: (a) at least 1.0x (b) on ``port`` and
``national``.

After one import: bytes per stored position, (1) the whole database file (WAL
checkpointed; a leftover -wal file counted) over the positions stored, and (2)
the ``positions`` table alone (``dbstat``; it is ``WITHOUT ROWID`` with no
other index) over its rows; target <= 40 bytes. The tables' sizes show where
the rest goes. Then ``HistoryStore.track`` for the vessel with the most fixes
in any one hour, best of 200 calls; target < 5 ms.

Memory: a subprocess (so that its peak RSS is its own: ``VmHWM`` on Linux, as
``ru_maxrss`` there includes the parent's peak) imports a synthetic log of
``--vessels`` distinct vessels (default 50,000; one type 5 and six position
reports each, all within 30 minutes of data and at anchor, so that none goes
lost or leaves the live picture) and builds the snapshot the UI would get.
Another subprocess only imports the same modules, to show the interpreter's
and libraries' own share. Target: peak < 500 MB.

A benchmark, not a test: the exit code is 0 whether or not the targets are met.

Usage: ``python benchmarks/ingest.py [--corpus port,national,thinned] [--sentences N]
[--hours H] [--repeat R] [--seed S] [--vessels V]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from functools import reduce
from importlib.metadata import version
from operator import xor
from pathlib import Path
from typing import Any

from pyais.encode import encode_dict

import portwatch
import portwatch.decoders
from portwatch.history.store import HistoryStore
from portwatch.importing import import_logs

sys.path.insert(0, str(Path(__file__).resolve().parent))  # port_log.py, also under cProfile
from decode import pyais_dicts
from port_log import (
    CACHE_DIR,
    DEFAULT_SENTENCES,
    NATIONAL_HOURS,
    THINNED_SCALE,
    cached_log,
    cached_national_log,
    describe,
    log_path,
    national_log_path,
    read_summary,
    simulated,
)
from process_memory import peak_memory, run_script

SPEED_TARGET = 1.0
"""Import (a) must reach at least this many times pyais's (b) messages/s."""
BYTES_PER_POSITION_TARGET = 40.0
TRACK_TARGET_MS = 5.0
PEAK_RSS_TARGET_MB = 500.0
TRACK_CALLS = 200
TRACK_WINDOW_S = 3600

LIVE_VESSELS = 50_000
LIVE_GENERATOR_VERSION = 1
"""Bump when the synthetic crowd changes, so cached copies are made again."""
LIVE_START_S = 1_710_201_600
"""2024-03-12T00:00:00Z, the port log's start too."""
LIVE_SPREAD_S = 1740
"""Vessels start reporting evenly over this; the last report falls within 30 min."""
LIVE_POSITIONS = 6
LIVE_INTERVAL_S = 10
LIVE_BOX = (33.5, 33.8, -118.5, -118.0)
"""lat min, lat max, lon min, lon max: San Pedro Bay and its approaches."""

MIB = 1024 * 1024


# --- (a) and (b) ------------------------------------------------------------------


@dataclass
class Timed:
    """One timed pipeline and its results."""

    key: str
    label: str
    times_s: list[float] = field(default_factory=list)
    messages: int = 0

    @property
    def best_s(self) -> float:
        return min(self.times_s)

    @property
    def rate(self) -> float:
        return self.messages / self.best_s


@dataclass
class ImportRun:
    """What one import did, beyond its time."""

    db_path: Path
    messages: int
    positions: int


def run_import(log: Path, db_path: Path) -> ImportRun:
    """(a) The CLI's own core: every message decoded, applied and stored."""
    result, engine = import_logs([str(log)], str(db_path))
    history = engine.snapshot().history
    positions = history.positions_written if history is not None else 0
    return ImportRun(db_path, result.messages, positions)


# --- Database size and read-back ---------------------------------------------------


def database_sizes(db_path: Path) -> dict[str, Any]:
    """Checkpoint the WAL into the file, then measure the file and each table.

    ``dbstat`` counts whole pages (``pgsize``) per table or index, so what the
    free space in half-full pages costs is included: that is what the disk holds.
    """
    connection = sqlite3.connect(db_path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        file_bytes = db_path.stat().st_size
        wal = db_path.with_name(db_path.name + "-wal")
        wal_bytes = wal.stat().st_size if wal.exists() else 0
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        free_pages = connection.execute("PRAGMA freelist_count").fetchone()[0]
        rows = connection.execute("SELECT count(*) FROM positions").fetchone()[0]
        pos_bytes, pos_payload, pos_unused, pos_pages = connection.execute(
            "SELECT sum(pgsize), sum(payload), sum(unused), count(*) FROM dbstat "
            "WHERE name IN ('positions')"
        ).fetchone()
        tables = connection.execute(
            "SELECT name, sum(pgsize), count(*) FROM dbstat GROUP BY name "
            "ORDER BY sum(pgsize) DESC LIMIT 6"
        ).fetchall()
        counts = {}
        for name, _, _ in tables:
            exists = connection.execute(
                "SELECT type FROM sqlite_schema WHERE name = ?", (name,)
            ).fetchone()
            if exists is not None and exists[0] == "table":
                counts[name] = connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
    finally:
        connection.close()
    return {
        "file_bytes": file_bytes,
        "wal_bytes": wal_bytes,
        "page_size": page_size,
        "free_pages": free_pages,
        "position_rows": rows,
        "positions_bytes": pos_bytes or 0,
        "positions_payload": pos_payload or 0,
        "positions_unused": pos_unused or 0,
        "positions_pages": pos_pages,
        "tables": tables,
        "table_rows": counts,
    }


def busiest_hour(db_path: Path) -> tuple[int, int, int]:
    """(mmsi, since_s, fixes): the vessel with the most stored fixes in any one hour.

    A window starts at each fix; ``track``'s range is inclusive at both ends,
    and so is this one.
    """
    connection = sqlite3.connect(db_path)
    try:
        row = connection.execute(
            "SELECT mmsi, time_s, count(*) OVER (PARTITION BY mmsi ORDER BY time_s "
            f"RANGE BETWEEN CURRENT ROW AND {TRACK_WINDOW_S} FOLLOWING) AS n "
            "FROM positions ORDER BY n DESC, mmsi, time_s LIMIT 1"
        ).fetchone()
    finally:
        connection.close()
    return row[0], row[1], row[2]


def time_track(db_path: Path, mmsi: int, since_s: int) -> tuple[list[float], int]:
    """Every call's time of ``HistoryStore.track`` for one hour of one vessel, and the fixes."""
    times: list[float] = []
    fixes = 0
    with HistoryStore.open(db_path) as store:
        for _ in range(TRACK_CALLS):
            t0 = time.perf_counter()
            track = store.track(mmsi, since_s, since_s + TRACK_WINDOW_S)
            times.append(time.perf_counter() - t0)
            fixes = len(track)
    return times, fixes


# --- Memory: a synthetic crowd in a subprocess -------------------------------------


def _tag_block(fields: str) -> str:
    """IEC 61162-450 tag block: the fields and their NMEA checksum (XOR of the bytes)."""
    return f"\\{fields}*{reduce(xor, fields.encode('ascii'), 0):02X}\\"


def live_path(vessels: int) -> Path:
    """Where ``cached_live_log`` keeps the crowd of ``vessels``."""
    return CACHE_DIR / f"crowd-v{LIVE_GENERATOR_VERSION}-{vessels}.nmea"


def write_live_log(path: Path, vessels: int, seed: int = 1) -> int:
    """Write a log of ``vessels`` distinct vessels; returns the number of messages.

    Each vessel sends one type 5 (name, call sign, type, dimensions) and six
    type 1 positions 10 s apart, swinging a few metres at anchor somewhere in
    ``LIVE_BOX``. Vessels start evenly over ``LIVE_SPREAD_S``, so the data
    spans 30 minutes. At anchor (status 1, < 3 kn) a class A ship reports every
    3 min and goes lost only after 36 min of silence (6 intervals x 2 for a
    shore receiver), so none is lost or removed at the end of the log: all of
    them are in the live picture, as in a feed where all are really heard.
    Under way (status 0) they would be lost 2 min after their last report.
    """
    rng = random.Random(seed)
    lat_lo, lat_hi, lon_lo, lon_hi = LIVE_BOX
    schedule: list[tuple[int, int, int, list[str]]] = []  # (time, mmsi, order, sentences)
    group = 1000
    for i in range(vessels):
        mmsi = 200_000_000 + i * 7
        start = LIVE_START_S + i * LIVE_SPREAD_S // vessels
        lat = rng.uniform(lat_lo, lat_hi)
        lon = rng.uniform(lon_lo, lon_hi)
        heading = rng.randrange(360)
        static = encode_dict(
            {
                "msg_type": 5,
                "mmsi": mmsi,
                "ais_version": 0,
                "imo": 9_000_000 + i,
                "callsign": f"PW{i:05d}",
                "shipname": f"CROWD {i}",
                "ship_type": rng.choice((70, 71, 79, 80, 81, 89, 52, 60)),
                "to_bow": rng.randrange(20, 250),
                "to_stern": rng.randrange(10, 60),
                "to_port": rng.randrange(4, 25),
                "to_starboard": rng.randrange(4, 25),
                "epfd": 1,
                "month": 3,
                "day": 13,
                "hour": 6,
                "minute": 0,
                "draught": round(rng.uniform(4.0, 15.0), 1),
                "destination": "LOS ANGELES",
                "dte": 0,
            },
            talker_id="AI",
            sentence_type="VDM",  # VDO would be own ship
            radio_channel="B",
            seq_id=i % 10,
        )
        schedule.append((start + 3, mmsi, 1, static))
        for k in range(LIVE_POSITIONS):
            when = start + k * LIVE_INTERVAL_S
            lat += rng.gauss(0.0, 0.00003)  # ~3 m
            lon += rng.gauss(0.0, 0.00004)
            heading = (heading + rng.randrange(-3, 4)) % 360
            position = encode_dict(
                {
                    "msg_type": 1,
                    "mmsi": mmsi,
                    "status": 1,  # at anchor
                    "turn": 0,
                    "speed": round(rng.uniform(0.0, 0.4), 1),
                    "accuracy": 1,
                    "lon": lon,
                    "lat": lat,
                    "course": round(rng.uniform(0.0, 359.9), 1),
                    "heading": heading,
                    "second": when % 60,
                    "maneuver": 0,
                    "raim": 0,
                    "radio": rng.randrange(1 << 19),
                },
                talker_id="AI",
                sentence_type="VDM",
                radio_channel="A",
            )
            schedule.append((when, mmsi, 2 + k, position))
    schedule.sort()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="ascii", newline="\n") as out:
        for when, _, _, sentences in schedule:
            if len(sentences) == 1:
                out.write(f"{_tag_block(f'c:{when}')}{sentences[0]}\n")
                continue
            group = group + 1 if group < 99_999 else 1000
            for number, sentence in enumerate(sentences, start=1):
                out.write(f"{_tag_block(f'g:{number}-{len(sentences)}-{group},c:{when}')}")
                out.write(f"{sentence}\n")
    return len(schedule)


def cached_live_log(vessels: int) -> tuple[Path, bool]:
    """The crowd of ``vessels``, written to ``benchmarks/.cache/`` on first use;
    returns the path and whether it was already there."""
    path = live_path(vessels)
    if path.exists():
        return path, True
    partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        write_live_log(partial, vessels)
        os.replace(partial, path)  # atomic: a concurrent run never sees half a file
    finally:
        partial.unlink(missing_ok=True)
    return path, False


def child_memory(log: Path) -> dict[str, Any]:
    """In the subprocess: import ``log``, build the snapshot; peak and current RSS."""
    with tempfile.TemporaryDirectory(prefix="portwatch-bench-") as tmp:
        t0 = time.perf_counter()
        result, engine = import_logs([str(log)], str(Path(tmp) / "crowd.db"))
        imported_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        snapshot = engine.snapshot()
        snapshot_s = time.perf_counter() - t0
        return {
            "messages": result.messages,
            "vessels": len(snapshot.vessels),
            "lost": snapshot.lost,
            "positions": snapshot.history.positions_written if snapshot.history else 0,
            "import_s": imported_s,
            "snapshot_s": snapshot_s,
            **peak_memory(),
        }


def child_baseline() -> dict[str, Any]:
    """In the subprocess: nothing but this script's imports (portwatch, pyais, sqlite)."""
    return peak_memory()


def run_child(*args: str) -> dict[str, Any] | str:
    """Run this script as a subprocess; its last stdout line (JSON), or why it failed."""
    return run_script(__file__, *args)


# --- Report ------------------------------------------------------------------------


def code_source() -> str:
    """Where the portwatch under test comes from: directory, git commit, uncommitted changes.

    Numbers are only comparable between runs of the same code. Uncommitted
    changes are named by a hash of their diff, so that two runs can be told
    apart, and a change during the run (the subprocesses import the code
    later than this process) is noticed. Read-only git queries that take no
    index lock.
    """
    where = Path(portwatch.__file__).resolve().parent.parent
    git = ["git", "--no-optional-locks", "-C", str(where)]
    paths = ["--", "portwatch", "decoders"]
    try:
        commit, changed, diff = (
            subprocess.run(
                [*git, *command, *paths],
                capture_output=True,
                text=True,
                check=True,
                timeout=10,
            ).stdout.strip()
            for command in (["rev-parse", "--short", "HEAD"], ["status", "--porcelain"], ["diff"])
        )
    except (OSError, subprocess.SubprocessError):
        return str(where)
    if not changed:
        return f"{where} (git {commit}, clean)"
    digest = hashlib.sha1(f"{changed}\n{diff}".encode()).hexdigest()[:8]
    return f"{where} (git {commit}, with uncommitted changes {digest})"


def verdict(met: bool) -> str:
    return "yes" if met else "NO"


def print_sizes(sizes: dict[str, Any], positions: int) -> None:
    """Bytes per stored position two ways, and the biggest tables."""
    total = sizes["file_bytes"] + sizes["wal_bytes"]
    rows = sizes["position_rows"]
    whole = total / positions if positions else float("nan")
    table = sizes["positions_bytes"] / rows if rows else float("nan")
    print(
        f"\ndatabase after one import: {total:,} bytes ({sizes['file_bytes']:,} file + "
        f"{sizes['wal_bytes']:,} WAL after checkpoint; page size {sizes['page_size']:,}, "
        f"{sizes['free_pages']:,} free pages)"
    )
    if rows != positions:
        print(f"note: {positions:,} positions reported written, {rows:,} rows in the table")
    print(f"{'bytes per stored position':<38} {'bytes':>7} {'target':>8}  met")
    print(
        f"{'(1) whole database / positions':<38} {whole:>7.1f} "
        f"{f'<= {BYTES_PER_POSITION_TARGET:g}':>8}  {verdict(whole <= BYTES_PER_POSITION_TARGET)}"
    )
    print(
        f"{'(2) positions table (dbstat) / rows':<38} {table:>7.1f} "
        f"{f'<= {BYTES_PER_POSITION_TARGET:g}':>8}  {verdict(table <= BYTES_PER_POSITION_TARGET)}"
    )
    if rows:
        print(
            f"    positions: {sizes['positions_pages']:,} pages; per row "
            f"{sizes['positions_payload'] / rows:.1f} bytes of record payload, "
            f"{sizes['positions_unused'] / rows:.1f} unused in pages, the rest cell and page "
            "headers"
        )
    print(f"\n{'largest tables and indexes (dbstat)':<38} {'bytes':>11} {'share':>6} {'rows':>9}")
    for name, size, _pages in sizes["tables"]:
        count = sizes["table_rows"].get(name)
        rows_text = f"{count:>9,}" if count is not None else f"{'index':>9}"
        print(f"{name:<38} {size:>11,} {size / total:>6.1%} {rows_text}")


def measure_log(path: Path, repeat: int) -> None:
    """Time, size and read back one log (see the module docstring)."""
    summary = read_summary(path) or {}
    print(describe(path))
    print(f"timing: best of {repeat} (time.perf_counter), (a) and (b) interleaved\n")

    imported = Timed("a", "PortWatch  file -> history database (import_logs)")
    decoded = Timed("b", "pyais      file -> dicts (baseline for a)")
    with tempfile.TemporaryDirectory(prefix="portwatch-bench-") as tmp:
        last: ImportRun | None = None
        for round_ in range(repeat):
            run_dir = Path(tmp) / f"run{round_}"
            run_dir.mkdir()  # a fresh database file every run
            t0 = time.perf_counter()
            last = run_import(path, run_dir / "history.db")
            imported.times_s.append(time.perf_counter() - t0)
            imported.messages = last.messages
            t0 = time.perf_counter()
            decoded.messages = pyais_dicts(path, Path(tmp))
            decoded.times_s.append(time.perf_counter() - t0)
            if round_ < repeat - 1:
                for leftover in run_dir.iterdir():
                    leftover.unlink()
        assert last is not None

        header = f"{'benchmark':<55} {'messages':>9} {'best s':>8} {'messages/s':>11}  all runs (s)"
        print(header)
        print("-" * len(header))
        for bench in (imported, decoded):
            runs = " ".join(f"{t:.2f}" for t in bench.times_s)
            print(
                f"({bench.key}) {bench.label:<51} {bench.messages:>9,} {bench.best_s:>8.3f} "
                f"{bench.rate:>11,.0f}  {runs}"
            )
        expected = summary.get("messages")
        for bench in (imported, decoded):
            if expected is not None and bench.messages != expected:
                print(
                    f"note: ({bench.key}) counted {bench.messages:,} of the log's "
                    f"{expected:,} messages"
                )
        ratio = imported.rate / decoded.rate
        # Paired: the two ran back to back in each round, so a slow phase of the
        # machine hits both; the median of the rounds' ratios.
        paired = statistics.median(
            b / a for a, b in zip(imported.times_s, decoded.times_s, strict=True)
        )
        print(f"\n{'ratio (messages/s)':<20} {'best/best':>9} {'paired':>8} {'target':>8}  met")
        print(
            f"(a)/(b){'':<13} {ratio:>8.2f}x {paired:>7.2f}x {f'>= {SPEED_TARGET:g}x':>8}  "
            f"{verdict(min(ratio, paired) >= SPEED_TARGET)}"
        )
        print(f"positions stored by one import: {last.positions:,}")

        print_sizes(database_sizes(last.db_path), last.positions)

        mmsi, since_s, fixes_in_hour = busiest_hour(last.db_path)
        times, fixes = time_track(last.db_path, mmsi, since_s)
        best_ms = min(times) * 1000.0
        print(
            f"\ntrack read-back: HistoryStore.track(mmsi {mmsi}, one hour from {since_s}), "
            f"{fixes:,} fixes (busiest vessel-hour: {fixes_in_hour:,})"
        )
        print(
            f"best of {TRACK_CALLS}: {best_ms:.3f} ms (median {statistics.median(times) * 1e3:.3f}"
            f" ms; first call {times[0] * 1e3:.3f} ms); target < {TRACK_TARGET_MS:g} ms  met: "
            f"{verdict(best_ms < TRACK_TARGET_MS)}"
        )


def main(argv: list[str] | None = None) -> int:
    """Make or reuse the logs, time and measure, print the tables; always 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sentences",
        type=int,
        default=DEFAULT_SENTENCES,
        help=f"log size in NMEA sentences (default {DEFAULT_SENTENCES:,})",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per benchmark; best counts")
    parser.add_argument("--seed", type=int, default=1, help="simulator seed (default 1)")
    parser.add_argument(
        "--hours",
        type=float,
        default=NATIONAL_HOURS,
        help=f"hours of the national-style feed (default {NATIONAL_HOURS:g})",
    )
    parser.add_argument(
        "--corpus",
        default="port,national,thinned",
        help="the logs to measure, comma-separated (default port,national,thinned)",
    )
    parser.add_argument(
        "--vessels",
        type=int,
        default=LIVE_VESSELS,
        help=f"vessels in the memory test, 0 to skip it (default {LIVE_VESSELS:,})",
    )
    parser.add_argument("--child-memory", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-baseline", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_memory is not None:
        print(json.dumps(child_memory(args.child_memory)))
        return 0
    if args.child_baseline:
        print(json.dumps(child_baseline()))
        return 0
    repeat = max(1, args.repeat)

    print(
        f"python {platform.python_version()} ({platform.python_implementation()}, "
        f"{platform.machine()}, {platform.system()}); pyais {version('pyais')}; "
        f"portwatch {version('portwatch')}; SQLite {sqlite3.sqlite_version}"
    )
    code = code_source()
    print(f"code: {code}")
    print(f"decoders: {portwatch.decoders.DECODERS}")
    corpora = set(args.corpus.split(","))
    if "port" in corpora:
        print("\n== the demo port at true ITU reporting rates (a real feed: a target) ==")
        measure_log(
            simulated(log_path(args.sentences, args.seed), cached_log, args.sentences, args.seed),
            repeat,
        )
    if "national" in corpora:
        print(
            f"\n== a national authority's wide-area feed around the port, {args.hours:g} h at "
            "true ITU rates\n   (about 3,000 stations, many class B, base stations and aids, "
            "some at the edge\n   of coverage going lost and found: a target) =="
        )
        measure_log(
            simulated(
                national_log_path(args.hours, args.seed),
                cached_national_log,
                args.hours,
                args.seed,
            ),
            repeat,
        )
    if "thinned" in corpora:
        print(
            f"\n== the port with every reporting interval {THINNED_SCALE:g} times longer: "
            "every vessel\n   is silent long enough between two reports to go lost, so each "
            "report is also\n   a lost and a found event; a stress case for events, not a real "
            "feed =="
        )
        measure_log(
            simulated(
                log_path(args.sentences, args.seed, True),
                cached_log,
                args.sentences,
                args.seed,
                True,
            ),
            repeat,
        )

    if args.vessels > 0:
        started = time.perf_counter()
        crowd, existed = cached_live_log(args.vessels)
        how = (
            "reused from cache"
            if existed
            else f"generated in {time.perf_counter() - started:.1f} s"
        )
        print(
            f"\nmemory: {args.vessels:,} vessels in the live picture, each 1 type 5 + "
            f"{LIVE_POSITIONS} positions within 30 min of data, imported in a subprocess"
        )
        print(f"log: {crowd} ({crowd.stat().st_size / 1e6:.1f} MB; {how})")
        base = run_child("--child-baseline")
        live = run_child("--child-memory", str(crowd))
        if isinstance(base, str):
            print(f"baseline subprocess failed: {base}")
        else:
            label = f"interpreter + imports only (peak RSS, {base['peak_source']})"
            print(f"{label:<50} {base['peak_kib'] / 1024:>8.1f} MB")
        if isinstance(live, str):
            print(f"memory subprocess failed: {live}")
        else:
            peak_mb = live["peak_kib"] / 1024
            label = f"after import + snapshot (peak RSS, {live['peak_source']})"
            print(
                f"{label:<50} {peak_mb:>8.1f} MB   target < {PEAK_RSS_TARGET_MB:g} MB  met: "
                f"{verdict(peak_mb < PEAK_RSS_TARGET_MB)}"
            )
            if live.get("rss_kib") is not None:
                label = "  still resident at the end (VmRSS)"
                print(f"{label:<50} {live['rss_kib'] / 1024:>8.1f} MB")
            if not isinstance(base, str):
                extra = (live["peak_kib"] - base["peak_kib"]) / 1024
                print(
                    f"{'  peak above the baseline':<50} {extra:>8.1f} MB "
                    f"({extra * MIB / max(1, live['vessels']):,.0f} bytes per vessel)"
                )
            print(
                f"  (ru_maxrss says {live['ru_maxrss_kib'] / 1024:.1f} MB: on Linux it is at least "
                "the peak of the process that started it, carried over fork and exec)"
            )
            print(
                f"snapshot: {live['vessels']:,} vessels ({live['lost']:,} lost), "
                f"{live['messages']:,} messages, {live['positions']:,} positions stored; "
                f"import {live['import_s']:.1f} s, snapshot {live['snapshot_s'] * 1e3:.0f} ms"
            )
            if live["vessels"] != args.vessels:
                print(f"note: expected {args.vessels:,} vessels in the snapshot")
    if code_source() != code:
        print(f"\nnote: the code under test changed during the run; now {code_source()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
