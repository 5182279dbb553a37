"""A process killed mid-import (SIGKILL: no clean-up at all) leaves a database
that passes SQLite's integrity check, holds every batch committed before the
kill, and takes the same import again without duplicating anything: into a
SQLite file and into PostgreSQL alike."""

from __future__ import annotations

import gzip
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from portwatch.history.store import HistoryError, HistoryStore
from portwatch.importing import import_logs
from tests.core.history_tables import table_counts, table_rows
from tests.decoders.nmea import tag_block

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "samples" / "demo-approach.nmea.gz"
DAY_S = 86_400
_TIME_FIELD = re.compile(r"^\\([^*]*)\*[0-9A-F]{2}\\")


def several_days_log(path: Path, days: int) -> int:
    """The bundled demo day (PortWatch's own simulated traffic) repeated ``days``
    times, one day later each time; returns the number of lines."""
    day = gzip.decompress(SAMPLE.read_bytes()).decode().splitlines()
    lines = []
    for shift in range(days):
        for line in day:
            match = _TIME_FIELD.match(line)
            if match is None:
                lines.append(line)
                continue
            fields = _shifted(match.group(1), shift * DAY_S)
            lines.append(tag_block(fields) + line[match.end() :])
    path.write_text("\n".join(lines) + "\n", encoding="ascii")
    return len(lines)


def _shifted(fields: str, by_s: int) -> str:
    return re.sub(r"c:(\d+)", lambda m: f"c:{int(m.group(1)) + by_s}", fields)


def rows(db: Path | str, table: str, order: str) -> list[tuple]:
    return table_rows(db, f"SELECT * FROM {table} ORDER BY {order}")


def committed_positions(db: Path | str) -> int:
    try:
        with HistoryStore.open(db, create=False, readonly=True) as store:
            return store.sql.execute("SELECT count(*) FROM positions").fetchone()[0]
    except HistoryError:
        return 0  # not created yet


def integrity_ok(db: Path | str) -> bool:
    """SQLite's own check of the file; PostgreSQL keeps its own (a killed client
    cannot corrupt the server's files), so there the test reads every table instead."""
    if isinstance(db, str):
        return all(table_counts(db, ("positions", "vessels", "events")).values())
    with sqlite3.connect(db) as connection:
        return connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_sigkill_mid_import_then_import_again(
    tmp_path: Path, new_history_db: Callable[[], Path | str]
) -> None:
    log = tmp_path / "week.nmea"
    several_days_log(log, days=25)
    db = new_history_db()
    process = subprocess.Popen(
        [sys.executable, "-m", "portwatch", "import", str(log), "--db", str(db)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    seen = 0
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            seen = committed_positions(db)
            if seen >= 10_000:  # several batches are in
                break
            time.sleep(0.05)
        assert process.poll() is None, "the import ended before it could be killed"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL
    assert seen >= 10_000

    assert integrity_ok(db)
    after_kill = committed_positions(db)
    assert after_kill >= seen, "every batch committed before the kill is still there"

    clean = new_history_db()
    import_logs([str(log)], str(clean))
    assert after_kill < len(rows(clean, "fixes", "mmsi, time_s")), "killed mid-way"

    import_logs([str(log)], str(db))
    # Through the view: source ids follow the order sources were first written in.
    assert rows(db, "fixes", "mmsi, time_s") == rows(clean, "fixes", "mmsi, time_s")
    assert rows(db, "vessels", "mmsi") == rows(clean, "vessels", "mmsi")
    assert rows(db, "static_changes", "mmsi, time_s") == rows(
        clean, "static_changes", "mmsi, time_s"
    )
    assert rows(db, "events", "time_s, kind, mmsi") == rows(clean, "events", "time_s, kind, mmsi")
    assert rows(db, "port_calls", "mmsi, arrived_s") == rows(clean, "port_calls", "mmsi, arrived_s")
    assert integrity_ok(db)
