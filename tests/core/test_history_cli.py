"""The history commands end to end: ``portwatch import``, ``run``, ``track`` and
``vessels`` as real subprocesses on real SQLite files, with live input from a
loopback TCP server. What an operator or analyst sees: the summary, the rows
stored, the exports, the events and the refusals of files that are not ours."""

from __future__ import annotations

import csv
import gzip
import io
import json
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from portwatch.history.store import HistoryError, HistoryStore
from tests.core.test_tcp_source import listener, wait_until
from tests.decoders.nmea import EXAMPLE_STATIC, tag_block, vdm

T0 = 1710237600  # 2024-03-12T10:00:00Z
STAR = 366999001  # class A, east at 12.3 kn, with a type 5 naming it EXAMPLE STAR
NORTH = 366999002  # class A (type 3 reports), north at 8 kn, no static data
OLD = 366999003  # at anchor, heard only two hours before the others
RESOLUTION_DEG = 1 / 600_000  # AIS positions: 1/10000 minute
STATION = "rx1"
WAIT_S = 60.0


def portwatch(*args: str, timeout_s: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "portwatch", *args],
        capture_output=True,
        text=True,
        timeout=timeout_s,
        check=False,
    )


def position(
    mmsi: int,
    time_s: int,
    lat: float,
    lon: float,
    sog_kn: float,
    cog_deg: float,
    msg_type: int = 1,
    status: int = 0,
) -> dict[str, Any]:
    """A class A position report as pyais encodes it."""
    return {
        "msg_type": msg_type,
        "mmsi": mmsi,
        "status": status,
        "turn": 0,
        "speed": sog_kn,
        "accuracy": 1,
        "lat": lat,
        "lon": lon,
        "course": cog_deg,
        "heading": round(cog_deg),
        "second": time_s % 60,
    }


def tagged(time_s: int, sentence: str) -> str:
    return tag_block(f"s:{STATION},c:{time_s}") + sentence


def star_report(time_s: int, k: int) -> dict[str, Any]:
    return position(STAR, time_s, 33.70, -118.25 + 0.000666 * k, 12.3, 90.1)


def north_report(time_s: int, k: int) -> dict[str, Any]:
    return position(NORTH, time_s, 33.65 + 0.00037 * k, -118.20, 8.0, 0.0, msg_type=3)


def harbour_log() -> tuple[list[str], dict[int, list[tuple[int, dict[str, Any]]]]]:
    """The test log's lines in time order, and each vessel's (time, report) as encoded."""
    reports: dict[int, list[tuple[int, dict[str, Any]]]] = {STAR: [], NORTH: [], OLD: []}
    for time_s in (T0 - 7200, T0 - 7170):
        reports[OLD].append((time_s, position(OLD, time_s, 33.74, -118.27, 0.0, 0.0, status=1)))
    for k in range(31):
        time_s = T0 + 10 * k
        reports[STAR].append((time_s, star_report(time_s, k)))
        reports[NORTH].append((time_s, north_report(time_s, k)))
    timed = [
        (time_s, tagged(time_s, sentence))
        for sent in reports.values()
        for time_s, report in sent
        for sentence in vdm(report)
    ]
    static = vdm(EXAMPLE_STATIC | {"mmsi": STAR}, seq_id=1)
    timed += [(T0 + 1, tagged(T0 + 1, sentence)) for sentence in static]
    timed.sort(key=lambda item: item[0])
    return [line for _, line in timed], reports


LOG_LINES, LOG_REPORTS = harbour_log()
LOG_POSITIONS = sum(len(sent) for sent in LOG_REPORTS.values())  # 64
LOG_MESSAGES = LOG_POSITIONS + 1  # and the type 5


def write_gzip_log(path: Path, lines: list[str]) -> Path:
    path.write_bytes(gzip.compress(("\r\n".join(lines) + "\r\n").encode()))
    return path


def run_all(*commands: list[str], timeout_s: float = 60) -> list[subprocess.CompletedProcess[str]]:
    """Several ``portwatch`` commands at once (they only read), each one's result."""
    started = [
        subprocess.Popen(
            [sys.executable, "-m", "portwatch", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for args in commands
    ]
    results = []
    for args, process in zip(commands, started, strict=True):
        stdout, stderr = process.communicate(timeout=timeout_s)
        results.append(subprocess.CompletedProcess(args, process.returncode, stdout, stderr))
    return results


def read_store(db: Path) -> HistoryStore:
    return HistoryStore.open(db, create=False, readonly=True)


def iso(time_s: float) -> str:
    return datetime.fromtimestamp(time_s, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def error_lines(stderr: str, command: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith(f"portwatch {command}:")]


def assert_fixes_as_encoded(store: HistoryStore, mmsi: int) -> None:
    """Every report of ``mmsi`` is stored, at its tag-block time, as the ship sent it."""
    fixes = store.track(mmsi)
    sent = LOG_REPORTS[mmsi]
    assert [fix.time_s for fix in fixes] == [float(time_s) for time_s, _ in sent]
    for fix, (_, report) in zip(fixes, sent, strict=True):
        assert fix.mmsi == mmsi
        assert abs(fix.lat - report["lat"]) <= RESOLUTION_DEG
        assert abs(fix.lon - report["lon"]) <= RESOLUTION_DEG
        assert fix.sog_kn == report["speed"]
        assert fix.cog_deg == report["course"]
        assert fix.heading_deg == report["heading"]
        assert fix.nav_status == report["status"]
        assert fix.source == STATION


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def history_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A history database holding the test log, for the read-only exports: a SQLite
    file, and a PostgreSQL database (the commands take its URL the same way)."""
    folder = tmp_path_factory.mktemp("history")
    log = write_gzip_log(folder / "harbour.nmea.gz", LOG_LINES)
    if request.param == "sqlite":
        db = folder / "harbour.sqlite"
    else:
        db = request.getfixturevalue("postgresql_server").new_database()
    result = portwatch("import", str(log), "--db", str(db))
    assert result.returncode == 0, result.stderr
    return db


# portwatch import


def test_import_stores_every_fix_and_importing_again_adds_nothing(tmp_path: Path) -> None:
    """The summary counts what was stored; a re-run (after a crash) duplicates nothing."""
    log = write_gzip_log(tmp_path / "harbour.nmea.gz", LOG_LINES)
    db = tmp_path / "harbour.sqlite"
    first = portwatch("import", str(log), "--db", str(db))
    assert first.returncode == 0, first.stderr
    summary = first.stderr.strip().splitlines()[-1]
    assert summary.startswith(f"imported {LOG_MESSAGES} messages from 1 log(s)"), summary
    assert "3 vessels" in summary
    assert f", {LOG_POSITIONS} new positions stored;" in summary
    with read_store(db) as store:
        assert store.position_count() == LOG_POSITIONS
        for mmsi in (STAR, NORTH, OLD):
            assert_fixes_as_encoded(store, mmsi)
        vessels = {vessel.mmsi: vessel for vessel in store.vessels()}
        assert sorted(vessels) == [STAR, NORTH, OLD]
        assert vessels[STAR].static.name == "EXAMPLE STAR"
        assert vessels[STAR].static.callsign == "WDE1234"
        assert (vessels[STAR].first_seen_s, vessels[STAR].last_seen_s) == (T0, T0 + 300)
        assert vessels[NORTH].static.name is None

    again = portwatch("import", str(log), "--db", str(db))
    assert again.returncode == 0, again.stderr
    summary = again.stderr.strip().splitlines()[-1]
    assert summary.startswith(f"imported {LOG_MESSAGES} messages"), summary
    assert ", 0 new positions stored;" in summary
    with read_store(db) as store:
        assert store.position_count() == LOG_POSITIONS
        for mmsi in (STAR, NORTH, OLD):
            assert_fixes_as_encoded(store, mmsi)
        assert [len(store.static_history(mmsi)) for mmsi in (STAR, NORTH)] == [1, 0]


def test_import_goes_on_past_a_missing_log_and_exits_1(tmp_path: Path) -> None:
    """One unreadable log is named in one line; the good one is still imported."""
    missing = tmp_path / "harbour-missing.nmea.gz"
    log = write_gzip_log(tmp_path / "harbour.nmea.gz", LOG_LINES)
    db = tmp_path / "harbour.sqlite"
    result = portwatch("import", str(missing), str(log), "--db", str(db))
    assert result.returncode == 1, result.stderr
    errors = error_lines(result.stderr, "import")
    assert len(errors) == 1, result.stderr
    assert str(missing) in errors[0]
    assert "Traceback" not in result.stderr
    assert f", {LOG_POSITIONS} new positions stored;" in result.stderr.strip().splitlines()[-1]
    with read_store(db) as store:
        assert store.position_count() == LOG_POSITIONS


def whole_lines_before_the_cut(path: Path) -> int:
    """How many whole lines gzip itself gives back from a log cut short."""
    count = 0
    with gzip.open(path, "rb") as handle:
        try:
            for line in handle:
                count += line.endswith(b"\n")
        except EOFError:
            return count
    raise AssertionError(f"{path} is not cut short")


def test_import_of_a_gzip_log_cut_short_keeps_the_lines_before_the_cut(tmp_path: Path) -> None:
    """A log whose recorder died mid-write: what was written before the cut is history.

    The log is one vessel's position reports, one sentence a line, so every
    whole line before the cut is one stored position."""
    lines = [tagged(T0 + 10 * k, vdm(star_report(T0 + 10 * k, k))[0]) for k in range(200)]
    whole = write_gzip_log(tmp_path / "whole.nmea.gz", lines).read_bytes()
    cut = tmp_path / "cut.nmea.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    readable = whole_lines_before_the_cut(cut)
    assert 0 < readable < len(lines)
    db = tmp_path / "harbour.sqlite"
    result = portwatch("import", str(cut), "--db", str(db))
    assert result.returncode == 1, result.stderr
    errors = error_lines(result.stderr, "import")
    assert len(errors) == 1, result.stderr
    assert str(cut) in errors[0]
    assert "Traceback" not in result.stderr
    with read_store(db) as store:
        stored = store.position_count()
    assert stored == readable, f"{stored} of the {readable} lines before the cut stored"
    assert "stopped after line" in errors[0], errors[0]
    summary = result.stderr.strip().splitlines()[-1]
    assert summary.startswith(f"imported {readable} messages from 1 log(s)"), summary


def test_two_logs_of_one_name_keep_their_own_clocks(tmp_path: Path) -> None:
    """Two receivers' harbour.nmea from folders of their own: a bare line of the
    second must not take the time of the first one's last line (and be stored at
    a time it was never sent); it has no time, so it is counted and skipped."""
    first, second = tmp_path / "north" / "harbour.nmea", tmp_path / "south" / "harbour.nmea"
    first.parent.mkdir()
    second.parent.mkdir()
    first.write_text(
        "\n".join(tagged(T0 + 10 * k, vdm(star_report(T0 + 10 * k, k))[0]) for k in range(5)) + "\n"
    )
    second.write_text(vdm(north_report(T0, 0))[0] + "\n")  # bare NMEA: no time at all
    db = tmp_path / "harbour.sqlite"
    result = portwatch("import", str(first), str(second), "--db", str(db))
    assert result.returncode == 0, result.stderr
    summary = result.stderr.strip().splitlines()[-1]
    assert summary.startswith("imported 5 messages from 2 log(s)"), summary
    assert "; 1 messages without a time skipped" in summary
    with read_store(db) as store:
        assert len(store.track(STAR)) == 5
        assert store.track(NORTH) == []


def test_a_file_without_ais_is_said_plainly_and_exits_1(tmp_path: Path) -> None:
    """Random bytes or a text file given by mistake: not "malformed N" and exit 0,
    but what it is; the real log beside them is still imported."""
    noise = tmp_path / "noise.bin"
    noise.write_bytes(bytes(range(256)) * 40 + b"\n" + bytes(range(255, -1, -1)) * 40)
    text = tmp_path / "notes.txt"
    text.write_text("shopping list\nbread\nmilk\n")
    log = write_gzip_log(tmp_path / "harbour.nmea.gz", LOG_LINES)
    db = tmp_path / "harbour.sqlite"
    result = portwatch("import", str(noise), str(text), str(log), "--db", str(db))
    assert result.returncode == 1, result.stderr
    errors = error_lines(result.stderr, "import")
    assert errors[0].startswith(f"portwatch import: {noise}: holds no AIS: not one of its ")
    assert errors[1:] == [
        f"portwatch import: {text}: holds no AIS: not one of its 3 lines is an AIS sentence"
    ]
    summary = result.stderr.strip().splitlines()[-1]
    assert summary.startswith(f"imported {LOG_MESSAGES} messages from 3 log(s)"), summary
    with read_store(db) as store:
        assert store.position_count() == LOG_POSITIONS


# Databases that are not ours


def not_ours(tmp_path: Path, kind: str) -> Path:
    """A ``--db`` path PortWatch must refuse to touch."""
    path = tmp_path / f"{kind}.db"
    if kind == "directory":
        path.mkdir()
    elif kind == "text":
        path.write_text("shopping list\nnot a database\n")
    elif kind == "other_program":
        with sqlite3.connect(path) as connection:
            connection.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
            connection.execute("INSERT INTO contacts VALUES ('harbour master', '555')")
        connection.close()
    else:  # a history database a newer PortWatch has migrated further
        result = portwatch("import", str(tmp_path / "harbour.nmea.gz"), "--db", str(path))
        assert result.returncode == 0, result.stderr
        connection = sqlite3.connect(path)
        assert connection.execute("SELECT name FROM _sqlite_migrations").fetchall()
        connection.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('portwatch', 'm999_from_the_future', '2031-01-01 00:00:00')"
        )
        connection.commit()
        connection.close()
    return path


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every entry of ``folder`` with its bytes (None for a folder)."""
    return {
        path.name: None if path.is_dir() else path.read_bytes() for path in sorted(folder.iterdir())
    }


@pytest.mark.parametrize("kind", ["directory", "text", "other_program", "newer_portwatch"])
def test_a_database_that_is_not_ours_is_refused_in_one_line_and_left_alone(
    tmp_path: Path, kind: str
) -> None:
    """Refused with exit 2 before a byte is written: by import (which would create
    and write) and by vessels (read-only); run and track, which open the same two
    ways, too for the database of a newer PortWatch."""
    log = write_gzip_log(tmp_path / "harbour.nmea.gz", LOG_LINES)
    db = not_ours(tmp_path, kind)
    before = snapshot(tmp_path)
    commands = [["import", str(log), "--db", str(db)], ["vessels", "--db", str(db)]]
    port = listener()  # never connected to: the database is refused first
    if kind == "newer_portwatch":
        commands += [
            ["run", f"tcp://127.0.0.1:{port.getsockname()[1]}", "--db", str(db)],
            ["track", str(STAR), "--db", str(db)],
        ]
    try:
        results = run_all(*commands)
    finally:
        port.close()
    for result in results:
        command = result.args[0]
        assert result.returncode == 2, (command, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, (command, result.stderr)
        assert lines[0].startswith(f"portwatch {command}: {db}: "), lines[0]
        assert result.stdout == ""
        if kind == "newer_portwatch":
            assert "newer" in lines[0]
    assert snapshot(tmp_path) == before


# portwatch track


def test_track_csv_is_every_fix_in_time_order(history_db: Path) -> None:
    """CSV with the documented columns, positions exactly as the ship sent them."""
    result = portwatch("track", str(STAR), "--db", str(history_db), "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == [
        "time",
        "lat",
        "lon",
        "sog_kn",
        "cog_deg",
        "heading_deg",
        "nav_status",
        "source",
    ]
    sent = LOG_REPORTS[STAR]
    assert [row[0] for row in rows[1:]] == [iso(time_s) for time_s, _ in sent]
    for row, (_, report) in zip(rows[1:], sent, strict=True):
        assert abs(float(row[1]) - report["lat"]) <= RESOLUTION_DEG
        assert abs(float(row[2]) - report["lon"]) <= RESOLUTION_DEG
        assert row[3:] == ["12.3", "90.1", "90", "0", STATION]


def test_track_geojson_is_the_line_then_a_point_per_fix(history_db: Path) -> None:
    """GeoJSON for GIS tools: a named LineString of the whole track, then the fixes."""
    result = portwatch("track", str(STAR), "--db", str(history_db))
    assert result.returncode == 0, result.stderr
    collection = json.loads(result.stdout)
    assert collection["type"] == "FeatureCollection"
    line, *points = collection["features"]
    sent = LOG_REPORTS[STAR]
    assert line["geometry"]["type"] == "LineString"
    assert line["properties"] == {
        "mmsi": STAR,
        "name": "EXAMPLE STAR",
        "start": iso(T0),
        "end": iso(T0 + 300),
        "positions": len(sent),
    }
    coordinates = line["geometry"]["coordinates"]
    assert len(coordinates) == len(points) == len(sent)
    for (lon, lat), point, (time_s, report) in zip(coordinates, points, sent, strict=True):
        assert abs(lon - report["lon"]) <= RESOLUTION_DEG
        assert abs(lat - report["lat"]) <= RESOLUTION_DEG
        assert point["geometry"] == {"type": "Point", "coordinates": [lon, lat]}
        assert point["properties"]["time"] == iso(time_s)
        assert point["properties"]["sog_kn"] == 12.3


def test_track_since_and_until_restrict_the_rows(history_db: Path) -> None:
    """ISO 8601 and Unix seconds bound the period, both ends included."""
    iso_period, unix_since = run_all(
        [
            "track",
            str(NORTH),
            "--db",
            str(history_db),
            "--format",
            "csv",
            "--since",
            "2024-03-12T10:01:40Z",
            "--until",
            "2024-03-12T10:03:20Z",
        ],
        ["track", str(NORTH), "--db", str(history_db), "--format", "csv", "--since", str(T0 + 250)],
    )
    assert iso_period.returncode == 0, iso_period.stderr
    times = [row["time"] for row in csv.DictReader(io.StringIO(iso_period.stdout))]
    assert times == [iso(T0 + s) for s in range(100, 201, 10)]
    assert unix_since.returncode == 0, unix_since.stderr
    times = [row["time"] for row in csv.DictReader(io.StringIO(unix_since.stdout))]
    assert times == [iso(T0 + s) for s in range(250, 301, 10)]


def test_track_without_positions_exits_1_in_one_line(history_db: Path) -> None:
    """An unknown MMSI, or a known one outside the period: nothing written, exit 1."""
    unknown, empty_period = run_all(
        ["track", "211000999", "--db", str(history_db)],
        ["track", str(STAR), "--db", str(history_db), "--since", "2024-03-13"],
    )
    for result in (unknown, empty_period):
        assert result.returncode == 1, result.stderr
        assert result.stdout == ""
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "211000999" in unknown.stderr
    assert str(STAR) in empty_period.stderr


def test_track_and_vessels_on_a_missing_database_exit_2_and_create_nothing(
    tmp_path: Path,
) -> None:
    """A mistyped --db must not leave an empty database behind."""
    db = tmp_path / "typo.sqlite"
    results = run_all(["track", str(STAR), "--db", str(db)], ["vessels", "--db", str(db)])
    for result in results:
        assert result.returncode == 2, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert str(db) in lines[0]
    assert list(tmp_path.iterdir()) == []


# portwatch vessels


def test_vessels_csv_json_and_active(history_db: Path) -> None:
    """Latest static data and first/last heard; --active drops one silent for hours."""
    as_csv, as_json, active = run_all(
        ["vessels", "--db", str(history_db)],
        ["vessels", "--db", str(history_db), "--format", "json"],
        ["vessels", "--db", str(history_db), "--active"],
    )
    for result in (as_csv, as_json, active):
        assert result.returncode == 0, result.stderr
    reader = csv.DictReader(io.StringIO(as_csv.stdout))
    assert reader.fieldnames == [
        "mmsi",
        "name",
        "callsign",
        "imo",
        "kind",
        "ship_type",
        "length_m",
        "beam_m",
        "draught_m",
        "destination",
        "eta_reported",
        "first_seen",
        "last_seen",
    ]
    rows = {int(row["mmsi"]): row for row in reader}
    assert sorted(rows) == [STAR, NORTH, OLD]
    star = rows[STAR]
    assert (star["name"], star["callsign"], star["imo"], star["kind"], star["ship_type"]) == (
        "EXAMPLE STAR",
        "WDE1234",
        "9123456",
        "class_a",
        "70",
    )
    assert (star["length_m"], star["beam_m"], star["draught_m"]) == ("200", "32", "11.2")
    assert star["destination"] == "LOS ANGELES"
    assert (star["first_seen"], star["last_seen"]) == (iso(T0), iso(T0 + 300))
    assert rows[NORTH]["name"] == ""
    assert (rows[OLD]["first_seen"], rows[OLD]["last_seen"]) == (iso(T0 - 7200), iso(T0 - 7170))

    records = [json.loads(line) for line in as_json.stdout.splitlines()]
    assert [record["mmsi"] for record in records] == [STAR, NORTH, OLD]
    assert list(records[0]) == reader.fieldnames
    assert records[0]["name"] == "EXAMPLE STAR"
    assert records[0]["imo"] == 9123456
    assert records[1]["name"] is None

    heard_lately = [int(row["mmsi"]) for row in csv.DictReader(io.StringIO(active.stdout))]
    assert heard_lately == [STAR, NORTH]


# portwatch run


class SlowFeed:
    """A loopback NMEA server: sends ``lines`` to the first client, then stays connected
    and silent until closed (so the client neither ends nor reconnects)."""

    def __init__(self, lines: list[str]) -> None:
        self.server = listener()
        self.port = self.server.getsockname()[1]
        self.done = threading.Event()
        self.payload = ("\r\n".join(lines) + "\r\n").encode() if lines else b""
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        try:
            connection, _ = self.server.accept()
        except OSError:
            return
        with connection:
            connection.sendall(self.payload)
            self.done.wait(2 * WAIT_S)

    def close(self) -> None:
        self.done.set()
        self.server.close()
        self.thread.join(5)


class RunningPortwatch:
    """``portwatch run`` as a subprocess, its standard error collected as it comes."""

    def __init__(self, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "portwatch", "run", *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line.rstrip("\n"))

    def stop(self) -> int:
        """SIGTERM, as a service manager stops it; the exit status."""
        self.process.send_signal(signal.SIGTERM)
        status = self.process.wait(timeout=WAIT_S)
        self.reader.join(WAIT_S)
        return status

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=WAIT_S)


class StoredPositions:
    """Positions committed so far, read as any other reader would while run writes.

    A read that fails (the file not made yet, a busy moment) is no count: it is
    read again, and the last failure is kept for the assertion message instead
    of passing for "0 stored"."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.count: int | None = None
        self.failure: str | None = None

    def read(self) -> int | None:
        try:
            with read_store(self.db) as store:
                self.count = store.position_count()
        except (HistoryError, sqlite3.Error) as error:
            self.failure = f"{type(error).__name__}: {error}"
            return None
        return self.count

    def __repr__(self) -> str:
        return f"last count {self.count}, last failed read: {self.failure}"


def events_of(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.endswith("}")]


LIVE_STAR_FIXES = [10 * k for k in range(11)] + [305]
"""When EXAMPLE STAR reports, in seconds from the start: for 100 s, then again at the end."""
LIVE_NORTH_FIXES = [10 * k for k in range(31)]


def live_feed(start_s: int) -> list[str]:
    """EXAMPLE STAR reports for 100 s and falls silent while NORTH goes on; STAR's
    report after NORTH's last is the feed's last line.

    The tag-block times start now, so the receive-time clock never runs ahead of
    the data clock: only the data (NORTH's reports) makes STAR lost, after exactly
    120 s of silence, however fast the machine is."""
    timed = [(start_s + s, star_report(start_s + s, s // 10)) for s in LIVE_STAR_FIXES]
    timed += [(start_s + s, north_report(start_s + s, s // 10)) for s in LIVE_NORTH_FIXES]
    lines = [(time_s, tagged(time_s, vdm(report)[0])) for time_s, report in timed]
    static = vdm(EXAMPLE_STATIC | {"mmsi": STAR}, seq_id=2)
    lines += [(start_s + 1, tagged(start_s + 1, sentence)) for sentence in static]
    lines.sort(key=lambda item: item[0])
    return [line for _, line in lines]


def found_again(events: Path) -> bool:
    """STAR's last report has been applied, so the whole feed has."""
    return any(event["kind"] == "found" for event in events_of(events))


def test_run_reports_lost_and_found_stops_on_sigterm_and_restores_on_restart(
    tmp_path: Path,
) -> None:
    """The headless service on a TCP feed: events for the vessel that fell silent
    and came back, a clean stop on SIGTERM with the history complete, and a
    restart that puts the picture back instead of starting blank."""
    start_s = int(time.time())
    db, events = tmp_path / "harbour.sqlite", tmp_path / "events.jsonl"
    feed = SlowFeed(live_feed(start_s))
    run = RunningPortwatch(f"tcp://127.0.0.1:{feed.port}", "--db", str(db), "--events", str(events))
    try:
        assert wait_until(lambda: found_again(events), timeout_s=WAIT_S), run.lines
        status = run.stop()
    finally:
        run.kill()
        feed.close()
    assert status == 0, run.lines
    assert "Traceback" not in "\n".join(run.lines)
    final = run.lines[-1]
    assert "msg/s" in final, run.lines
    assert "vessels 2 active, 0 lost" in final, final

    with read_store(db) as store:
        assert [fix.time_s for fix in store.track(STAR)] == [start_s + s for s in LIVE_STAR_FIXES]
        assert [fix.time_s for fix in store.track(NORTH)] == [start_s + s for s in LIVE_NORTH_FIXES]
        assert store.vessel(STAR).static.name == "EXAMPLE STAR"
        assert [(e.kind, e.mmsi) for e in store.events()] == [("lost", STAR), ("found", STAR)]
    lost, found = events_of(events)
    assert sorted(lost) == ["kind", "lat", "lon", "mmsi", "name", "silent_s", "time"]
    assert (lost["kind"], lost["mmsi"], lost["name"]) == ("lost", STAR, "EXAMPLE STAR")
    assert lost["time"] == iso(start_s + 100 + 120)  # data clock: NORTH's report then
    assert lost["silent_s"] == 120.0  # class A under way: 6 x 10 s x 2
    last_heard = star_report(start_s + 100, 10)
    assert abs(lost["lat"] - last_heard["lat"]) <= RESOLUTION_DEG
    assert abs(lost["lon"] - last_heard["lon"]) <= RESOLUTION_DEG
    assert (found["kind"], found["mmsi"], found["time"], found["silent_s"]) == (
        "found",
        STAR,
        iso(start_s + 305),
        205.0,
    )

    silent = SlowFeed([])
    events_after = tmp_path / "events-after-restart.jsonl"
    again = RunningPortwatch(
        f"tcp://127.0.0.1:{silent.port}", "--db", str(db), "--events", str(events_after)
    )
    try:

        def running() -> bool:
            """A status line comes from run's loop; the "restored" line comes earlier,
            before run takes SIGTERM as a clean stop."""
            return any("msg/s" in line for line in again.lines)

        assert wait_until(running, timeout_s=WAIT_S), again.lines
        status = again.stop()
    finally:
        again.kill()
        silent.close()
    assert status == 0, again.lines
    assert f"restored 2 vessels from {db}" in again.lines
    assert "vessels 2 active, 0 lost" in again.lines[-1], again.lines
    assert events_of(events_after) == []  # a restart is not news: no lost or found


def test_run_commits_history_while_it_runs(tmp_path: Path) -> None:
    """Readers (track, Datasette) see the history as it is written, and a killed
    process leaves every batch committed before it (docs/history.md: about a second each)."""
    start_s = int(time.time())
    db, events = tmp_path / "harbour.sqlite", tmp_path / "events.jsonl"
    expected = len(LIVE_STAR_FIXES) + len(LIVE_NORTH_FIXES)
    stored = StoredPositions(db)
    feed = SlowFeed(live_feed(start_s))
    run = RunningPortwatch(f"tcp://127.0.0.1:{feed.port}", "--db", str(db), "--events", str(events))
    try:
        assert wait_until(lambda: found_again(events), timeout_s=WAIT_S), run.lines
        # Waits for the commit itself, however slow a loaded machine makes it; the
        # count asserted is the one a reader saw while run was writing.
        assert wait_until(lambda: stored.read() == expected, timeout_s=WAIT_S), (stored, run.lines)
        run.process.kill()  # a crash: SIGKILL, no clean shutdown
        run.process.wait(timeout=WAIT_S)
    finally:
        run.kill()
        feed.close()
    assert wait_until(lambda: stored.read() is not None, timeout_s=WAIT_S), stored
    assert stored.count == expected, (stored, run.lines)


def test_a_postgresql_database_that_cannot_be_reached_is_said_without_its_password() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"postgresql://watch:S3CRET-PASS@127.0.0.1:{port}/harbour"
    for args in (["vessels", "--db", url], ["track", str(STAR), "--db", url]):
        result = portwatch(*args)
        assert result.returncode == 2
        assert f"postgresql://watch@127.0.0.1:{port}/harbour: cannot connect" in result.stderr
        assert "S3CRET" not in result.stderr + result.stdout
        assert len(result.stderr.strip().splitlines()) == 1
