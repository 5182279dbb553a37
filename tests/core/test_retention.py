"""Retention in bounded chunks: a pass cut into small transactions ends exactly
as one whole pass does, a pass cut short is finished by the next, and a first
pass over a database of millions of rows runs beside a live feed without the
live queue dropping a line. Real SQLite files, a real loopback TCP feed."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from portwatch.engine import Engine
from portwatch.history.backend import PostgresConnection
from portwatch.history.retention import DAY_S, RetentionPass, apply_retention
from portwatch.history.schema_postgresql import (
    ensure_partitions,
    existing_partitions,
    month_start_s,
    next_month_s,
)
from portwatch.history.store import HistoryStore
from portwatch.history.writer import HistoryBatch, HistoryWriter
from portwatch.settings import RetentionSettings
from portwatch.vessel import Fix
from tests.core.fleet_input import START_S, position_line
from tests.core.history_tables import table_rows
from tests.core.test_tcp_source import listener, wait_until

SETTINGS = RetentionSettings(keep_days=30, thin_after_days=2, thin_to_minutes=10)
OLD_MMSI = 366500000
"""Vessels whose positions are all older than ``keep_days``."""
THINNED_MMSI = 366600000
"""Vessels whose positions are all in the range to be thinned."""
EVERY_S = 10


def build(db: Path | str, vessels: int, per_vessel: int, fraction_s: float = 0.0) -> None:
    """``vessels`` vessels with positions older than ``keep_days`` and as many in
    the thinning range, ``per_vessel`` each, one every ``EVERY_S`` (plus
    ``fraction_s``); written by SQL in one statement per group (millions a second)."""
    if isinstance(db, str):
        build_postgresql(db, vessels, per_vessel, fraction_s)
        return
    HistoryStore.open(db).close()
    connection = sqlite3.connect(db)
    with connection:
        connection.execute("INSERT INTO sources (id, name) VALUES (1, 'old')")
        for first_mmsi, start_s in (
            (OLD_MMSI, START_S - 40 * DAY_S),
            (THINNED_MMSI, START_S - 10 * DAY_S),
        ):
            end_s = start_s + per_vessel * EVERY_S
            connection.executemany(
                "INSERT INTO vessels (mmsi, kind, first_seen_s, last_seen_s) "
                "VALUES (?, 'class_a', ?, ?)",
                [(first_mmsi + v, start_s, end_s) for v in range(vessels)],
            )
            connection.execute(
                """
                WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < :last)
                INSERT INTO positions
                SELECT v.mmsi, :start + n.i * :every + :fraction, 33600000 + n.i % 1000,
                       -118200000, 100, 900, 90, 0, 1
                FROM vessels v, n WHERE v.mmsi BETWEEN :first AND :first + :vessels - 1
                ORDER BY 1, 2
                """,
                {
                    "last": per_vessel - 1,
                    "start": start_s,
                    "every": EVERY_S,
                    "fraction": fraction_s,
                    "first": first_mmsi,
                    "vessels": vessels,
                },
            )
    connection.close()  # the last connection: the WAL goes into the file, which can be copied


def build_postgresql(url: str, vessels: int, per_vessel: int, fraction_s: float) -> None:
    """``build`` on PostgreSQL: the same rows, from ``generate_series``."""
    with HistoryStore.open(url) as store:
        sql = store.sql
        assert isinstance(sql, PostgresConnection)
        with sql.transaction():
            sql.execute("INSERT INTO sources (id, name) VALUES (1, 'old')")
            for first_mmsi, start_s in (
                (OLD_MMSI, START_S - 40 * DAY_S),
                (THINNED_MMSI, START_S - 10 * DAY_S),
            ):
                end_s = start_s + per_vessel * EVERY_S
                ensure_partitions(sql, start_s, end_s, set())
                sql.executemany(
                    "INSERT INTO vessels (mmsi, kind, first_seen_s, last_seen_s) "
                    "VALUES (?, 'class_a', ?, ?)",
                    [(first_mmsi + v, start_s, end_s) for v in range(vessels)],
                )
                sql.execute(
                    """
                    INSERT INTO positions
                    SELECT v.mmsi, :start + n.i * :every + :fraction, 33600000 + n.i % 1000,
                           -118200000, 100, 900, 90, 0, 1
                    FROM vessels v, generate_series(0, :last) AS n(i)
                    WHERE v.mmsi BETWEEN :first AND :first + :vessels - 1
                    """,
                    {
                        "last": per_vessel - 1,
                        "start": start_s,
                        "every": EVERY_S,
                        "fraction": fraction_s,
                        "first": first_mmsi,
                        "vessels": vessels,
                    },
                )


def positions(db: Path | str) -> list[tuple]:
    return table_rows(db, "SELECT * FROM positions ORDER BY mmsi, time_s")


@pytest.mark.parametrize("fraction_s", [0.0, 0.25])
def test_a_pass_in_small_chunks_ends_as_one_whole_pass(
    new_history_db: Callable[[], Path | str], fraction_s: float
) -> None:
    whole, chunked = new_history_db(), new_history_db()
    build(whole, vessels=6, per_vessel=3_000, fraction_s=fraction_s)
    build(chunked, vessels=6, per_vessel=3_000, fraction_s=fraction_s)
    with HistoryStore.open(whole) as store:
        expected = apply_retention(store, SETTINGS, START_S)
    kept = positions(whole)
    thinned = [row for row in kept if row[0] >= THINNED_MMSI]
    assert not [row for row in kept if row[0] < THINNED_MMSI], "old positions deleted"
    assert len(thinned) == 6 * -(-3_000 * EVERY_S // 600), "one a bucket of ten minutes"
    assert expected.deleted == 6 * 3_000
    assert expected.thinned == 6 * 3_000 - len(thinned)

    steps = []
    with HistoryStore.open(chunked) as store:
        retention = RetentionPass(store.sql, SETTINGS, START_S)
        while not retention.done:
            steps.append(retention.step(max_rows=500))
    assert max(steps) <= 500 + 600 // EVERY_S, "a chunk: the rows asked for, or one bucket"
    assert len(steps) > 2 * 6 * 3_000 // 500 * 0.9
    assert retention.result() == expected
    assert positions(chunked) == kept


def test_a_pass_cut_short_is_finished_by_the_next(new_history_db) -> None:
    db, reference = new_history_db(), new_history_db()
    build(db, vessels=4, per_vessel=2_000)
    build(reference, vessels=4, per_vessel=2_000)
    with HistoryStore.open(reference) as store:
        apply_retention(store, SETTINGS, START_S)
    with HistoryStore.open(db) as store:
        cut_short = RetentionPass(store.sql, SETTINGS, START_S)
        for _ in range(9):  # into the thinning, then the program stops
            cut_short.step(max_rows=1_000)
        assert not cut_short.done
    with HistoryStore.open(db) as store:
        apply_retention(store, SETTINGS, START_S)
    assert positions(db) == positions(reference)


def test_postgresql_retention_drops_whole_months(postgresql_server) -> None:
    """Positions in three months, kept for 30 days from the middle of the third: the
    first month's partition is dropped whole, the second's old rows deleted, and
    what is left is exactly the positions since the cut-off."""
    url = postgresql_server.new_database()
    months = [month_start_s(START_S - 62 * DAY_S)]
    while len(months) < 3:
        months.append(next_month_s(months[-1]))
    now_s = months[2] + 14 * DAY_S
    mmsi = 366700001
    fixes = [
        Fix(mmsi, float(start_s + hour * 3600), 33.6, -118.2, 0.0, 0.0, 0, 1, "test")
        for start_s in months
        for hour in range(0, 28 * 24, 6)
    ]
    writer = HistoryWriter(url, fail_fast=True)
    writer.submit(
        HistoryBatch(
            fixes=fixes,
            vessel_rows=[(mmsi, "class_a", *[None] * 11, fixes[0].time_s, fixes[-1].time_s)],
            data_time_s=now_s,
        )
    )
    writer.close()
    with HistoryStore.open(url) as store:
        assert sorted(existing_partitions(store.sql)) == months
        result = apply_retention(store, RetentionSettings(keep_days=30), now_s)
        assert sorted(existing_partitions(store.sql)) == months[1:]
        cutoff_s = now_s - 30 * DAY_S
        kept = [fix for fix in fixes if fix.time_s >= cutoff_s]
        assert [f.time_s for f in store.track(mmsi)] == [f.time_s for f in kept]
        assert result.deleted == len(fixes) - len(kept)


LIVE_VESSELS = 1_000
LINES_PER_S = 1_000
QUEUE_LINES = 500
"""Half a second of the feed: one pass in one transaction over the database below
takes longer than that, the bounded chunks after a batch well under it."""


def test_a_first_pass_over_millions_of_rows_drops_no_live_line(tmp_path: Path) -> None:
    db = tmp_path / "big.sqlite"
    vessels, per_vessel = 100, 10_000
    build(db, vessels, per_vessel)  # 2,000,000 positions
    server = listener()
    stop = threading.Event()
    sent = [0]

    def serve() -> None:
        """A feed of ``LIVE_VESSELS`` ships each reporting every second of data
        time, at ``LINES_PER_S``, until told to stop."""
        connection, _ = server.accept()
        started = time.monotonic()
        while not stop.is_set():
            due = int((time.monotonic() - started) * LINES_PER_S)
            lines = []
            for n in range(sent[0], due):
                second, vessel = divmod(n, LIVE_VESSELS)
                lat = 33.5 + vessel / 2_000 + second * 0.00005
                lines.append(position_line(366700000 + vessel, START_S + second, lat, -118.25))
            if lines:
                connection.sendall(("\r\n".join(lines) + "\r\n").encode())
                sent[0] = due
            time.sleep(0.02)
        connection.close()

    feeder = threading.Thread(target=serve, daemon=True)
    feeder.start()
    engine = Engine(history=HistoryWriter(db, retention=SETTINGS), queue_lines=QUEUE_LINES)
    engine.add_source(f"tcp://127.0.0.1:{server.getsockname()[1]}")
    engine.start()
    watcher = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True, timeout=10)
    old_vessels_seen = []
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            old_vessels, thinned_marks = watcher.execute(
                """
                SELECT (SELECT count(*) FROM vessels v WHERE v.mmsi < :thinned AND EXISTS (
                            SELECT 1 FROM positions p WHERE p.mmsi = v.mmsi)),
                       (SELECT count(*) FROM settings WHERE key = 'positions_thinned_until_s')
                """,
                {"thinned": THINNED_MMSI},
            ).fetchone()
            old_vessels_seen.append(old_vessels)
            if old_vessels == 0 and thinned_marks == 1:
                break
            time.sleep(0.1)
        else:
            pytest.fail(f"retention did not end: old vessels left {old_vessels_seen[-5:]}")
        stop.set()
        feeder.join(10)
        assert wait_until(lambda: _accounted_for(engine) == sent[0], timeout_s=60)
    finally:
        stop.set()
        watcher.close()
        engine.close()
        server.close()

    counters = engine.snapshot().counters
    assert counters.queue_dropped == 0, f"{counters.queue_dropped} live lines dropped"
    assert counters.messages == sent[0]
    assert sent[0] >= 2 * LINES_PER_S, "the feed ran while retention worked"
    assert any(0 < seen < vessels for seen in old_vessels_seen), (
        "retention worked through the database a chunk at a time, beside the feed"
    )
    with sqlite3.connect(db) as connection:
        thinned = connection.execute(
            "SELECT count(*) FROM positions WHERE mmsi >= ? AND mmsi < ?",
            (THINNED_MMSI, THINNED_MMSI + vessels),
        ).fetchone()[0]
        live = connection.execute(
            "SELECT count(*) FROM positions WHERE mmsi >= 366700000"
        ).fetchone()[0]
    assert thinned == vessels * -(-per_vessel * EVERY_S // 600)
    assert live == sent[0], "every live fix is in history"


def _accounted_for(engine: Engine) -> int:
    """Lines the engine has decoded or dropped."""
    counters = engine.snapshot().counters
    return counters.lines + counters.queue_dropped
