"""Positions keep the time they arrived with, to the millisecond: two fixes of a
vessel in the same second are both stored (the old key of whole seconds kept
whichever came first, not the earliest), a replay of history gives the same
times back, and a database written before keeps opening, its whole-second rows
still matching a log imported again."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from portwatch.decoders.framing import tag_block
from portwatch.engine import Engine
from portwatch.history.replay_lines import history_lines
from portwatch.history.schema import migrations
from portwatch.history.store import HistoryStore
from portwatch.history.writer import HistoryWriter
from portwatch.importing import import_logs
from tests.core.fleet_input import START_S, position_line

MMSI = 366300001


def timed_line(mmsi: int, time_ms: int, lat: float, lon: float) -> str:
    """A position report behind a tag block whose ``c:`` is in milliseconds."""
    sentence = position_line(mmsi, time_ms / 1000, lat, lon).split("\\")[-1]
    return tag_block(f"s:PWTEST,c:{time_ms}") + sentence


# Two receivers' reports of one second, the later one delivered first; then a
# report at a whole second and one 2.5 s on.
LINES = [
    timed_line(MMSI, START_S * 1000 + 900, 33.70010, -118.30000),
    timed_line(MMSI, START_S * 1000 + 100, 33.70000, -118.30000),
    timed_line(MMSI, START_S * 1000 + 2000, 33.70020, -118.30000),
    timed_line(MMSI, START_S * 1000 + 4500, 33.70030, -118.30000),
]
TIMES_S = [START_S + 0.1, START_S + 0.9, START_S + 2.0, START_S + 4.5]


def _positions(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as connection:
        return connection.execute(
            "SELECT mmsi, time_s, typeof(time_s), lat, lon FROM positions ORDER BY mmsi, time_s"
        ).fetchall()


def test_every_fix_of_a_second_is_kept_to_the_millisecond(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    engine = Engine(history=HistoryWriter(db, fail_fast=True))
    engine.feed(LINES, source="test")
    engine.close()
    with HistoryStore.open(db) as store:
        track = store.track(MMSI)
        assert [fix.time_s for fix in track] == TIMES_S
        assert [fix.lat for fix in track] == [33.7, 33.7001, 33.7002, 33.7003]
        assert store.track(MMSI, START_S + 0.1, START_S + 2.0) == track[:3]
        assert store.track(MMSI, START_S + 0.101, START_S + 1.999) == track[1:2]
        assert store.last_fix(MMSI, START_S + 0.95) == track[1]
        assert store.time_span() == (START_S + 0.1, START_S + 4.5)
        area = (-118.31, 33.69, -118.29, 33.71)
        assert store.vessels_in_area(area, START_S + 0.5) == [(MMSI, track[0])]
    # A whole second stays a 4-byte integer; only a fraction costs a real.
    assert [row[2] for row in _positions(db)] == ["real", "real", "integer", "real"]
    with sqlite3.connect(db) as connection:
        shown = [row[0] for row in connection.execute("SELECT time FROM fixes ORDER BY time_s")]
    assert shown == [
        "2024-03-12T00:00:00.100Z",
        "2024-03-12T00:00:00.900Z",
        "2024-03-12T00:00:02Z",
        "2024-03-12T00:00:04.500Z",
    ]


def test_importing_the_same_log_again_adds_nothing(tmp_path: Path) -> None:
    log = tmp_path / "ms.nmea"
    log.write_text("\n".join(LINES) + "\n")
    db = tmp_path / "h.sqlite"
    import_logs([str(log)], str(db))
    first = _positions(db)
    assert len(first) == 4
    import_logs([str(log)], str(db))
    assert _positions(db) == first


def test_a_replay_of_history_gives_the_times_back(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    engine = Engine(history=HistoryWriter(db, fail_fast=True))
    engine.feed(LINES, source="test")
    engine.close()
    with HistoryStore.open(db, readonly=True) as store:
        stored = store.track(MMSI)
        replayed = list(history_lines(store, START_S + 0.1, START_S + 4.5))
        # A range that starts and ends between the fixes leaves those outside out.
        inner = list(history_lines(store, START_S + 0.5, START_S + 3.0))
    assert [time_s for time_s, _ in replayed] == TIMES_S
    assert [time_s for time_s, _ in inner] == TIMES_S[1:3]
    again = Engine(history=HistoryWriter(tmp_path / "again.sqlite", fail_fast=True))
    again.feed([line for _, line in replayed], source="history")
    again.close()
    with HistoryStore.open(tmp_path / "again.sqlite") as store:
        assert [fix.time_s for fix in store.track(MMSI)] == TIMES_S
        assert [fix.lat for fix in store.track(MMSI)] == [fix.lat for fix in stored]


def test_a_replay_window_boundary_loses_no_fix_between_seconds(tmp_path: Path) -> None:
    """History is read ten minutes at a time: a fix a fraction of a second before
    a window's end is read once, in its window."""
    db = tmp_path / "h.sqlite"
    lines = [
        timed_line(MMSI, (START_S + 599) * 1000 + 500, 33.7, -118.3),
        timed_line(MMSI, (START_S + 600) * 1000, 33.7001, -118.3),
        timed_line(MMSI, (START_S + 600) * 1000 + 500, 33.7002, -118.3),
    ]
    engine = Engine(history=HistoryWriter(db, fail_fast=True))
    engine.feed(lines, source="test")
    engine.close()
    with HistoryStore.open(db, readonly=True) as store:
        times = [time_s for time_s, _ in history_lines(store, START_S, START_S + 700)]
    assert times == [START_S + 599.5, START_S + 600.0, START_S + 600.5]


def test_a_database_from_before_keeps_whole_seconds_for_what_it_held(tmp_path: Path) -> None:
    """A database written while times were truncated to whole seconds: it opens,
    the log it was imported from adds nothing when imported again, and later data
    keeps its milliseconds."""
    db = tmp_path / "old.sqlite"
    old = Database(db)
    migrations.apply(old, stop_before="m002_sub_second_times")
    # What the earlier writer stored from LINES: whole seconds, the first written.
    old.execute("INSERT INTO sources (id, name) VALUES (1, 'PWTEST')")
    for time_s, lat in ((START_S, 33.7001), (START_S + 2, 33.7002), (START_S + 4, 33.7003)):
        old.execute(
            "INSERT INTO positions VALUES (?, ?, ?, -118300000, 100, 900, 90, 0, 1)",
            (MMSI, time_s, round(lat * 1_000_000)),
        )
    old.execute(
        "INSERT INTO vessels (mmsi, kind, first_seen_s, last_seen_s) VALUES (?, 'class_a', ?, ?)",
        (MMSI, START_S + 0.1, START_S + 4.5),
    )
    old.close()
    before = _positions(db)
    with HistoryStore.open(db, create=False, readonly=True) as store:  # track, the app
        assert [fix.time_s for fix in store.track(MMSI)] == [START_S, START_S + 2, START_S + 4]
    assert _positions(db) == before

    log = tmp_path / "ms.nmea"
    log.write_text("\n".join(LINES) + "\n")
    import_logs([str(log)], str(db))
    assert _positions(db) == before, "the same log again adds nothing"

    later = tmp_path / "later.nmea"
    later.write_text(timed_line(MMSI, (START_S + 60) * 1000 + 250, 33.7004, -118.3) + "\n")
    import_logs([str(later)], str(db))
    with HistoryStore.open(db) as store:
        assert store.track(MMSI)[-1].time_s == START_S + 60.25
