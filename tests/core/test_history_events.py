"""Events in the history: lost and found kept compactly (schema step m004) and read
back exactly as the engine raised them, through the ``events`` view as before, on
both back ends; a database from before moves its own over."""

from __future__ import annotations

import json
from pathlib import Path

from sqlite_utils import Database

from portwatch.engine import Engine
from portwatch.events import Event
from portwatch.history import schema_postgresql
from portwatch.history.backend import connect_postgresql, is_postgresql
from portwatch.history.schema import MIGRATION_SET, migrations
from portwatch.history.store import HistoryStore
from portwatch.history.writer import HistoryWriter
from tests.core.fleet_input import START_S, position_line, static_lines
from tests.core.history_tables import table_counts, table_rows

STAR, MOON = 366100021, 366100022


def silent_twice() -> list[str]:
    """STAR under way, silent for 4.5 min, heard, silent for 9.5 min, heard, silent:
    lost and found twice, and lost; MOON at anchor throughout (no event)."""
    timed = [
        (time_s + n * 10, position_line(STAR, time_s + n * 10, 33.7 + n * 1e-4, -118.2))
        for time_s in (START_S, START_S + 300, START_S + 900)
        for n in range(3)
    ]
    timed += [
        (START_S + n * 180, position_line(MOON, START_S + n * 180, 33.65, -118.15, 0.0, 0.0, 1))
        for n in range(7)
    ]
    return static_lines(STAR, START_S, "EXAMPLE STAR") + [line for _, line in sorted(timed)]


def test_lost_and_found_come_back_as_the_engine_raised_them(history_db: Path | str) -> None:
    raised: list[Event] = []
    engine = Engine(history=HistoryWriter(history_db, fail_fast=True), on_event=raised.append)
    engine.feed(silent_twice(), source="test")
    engine.close()
    assert [(e.kind, e.mmsi) for e in raised] == [("lost", STAR), ("found", STAR)] * 2 + [
        ("lost", STAR)  # MOON's reports move the clock on past STAR's last
    ]
    with HistoryStore.open(history_db) as store:
        assert store.events() == raised
        assert store.events(kinds=["found"], since_s=START_S + 600) == [raised[3]]
        assert store.events(mmsi=MOON) == []
    assert table_counts(history_db, ("presence", "event_log", "events")) == {
        "presence": 5,
        "event_log": 0,
        "events": 5,
    }


def old_database(db: Path | str) -> None:
    """A history database as PortWatch made it before schema step m004."""
    if is_postgresql(db):
        sql = connect_postgresql(str(db))
        schema_postgresql.migrate(sql, MIGRATION_SET, stop_before="m004_lost_and_found")
        sql.close()
    else:
        migrations.apply(Database(db), stop_before="m004_lost_and_found")


def store_as_before(db: Path | str, events: list[Event]) -> None:
    """``events`` as the writer stored them before m004: all in the ``events`` table."""
    with HistoryStore.open(db, create=False, readonly=True) as store, store.sql.transaction():
        store.sql.executemany(
            "INSERT INTO events (time_s, kind, mmsi, name, lat, lon, details) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(*event[:6], json.dumps(event.details, sort_keys=True)) for event in events],
        )


def test_a_database_from_before_keeps_its_events_and_moves_lost_and_found(
    history_db: Path | str,
) -> None:
    """Upgraded, it gives back every event it held, unchanged; lost and found that
    come back exactly move to ``presence``, any other stays in ``event_log``."""
    raised: list[Event] = []
    engine = Engine(on_event=raised.append)
    engine.feed(silent_twice(), source="test")
    engine.close()
    others = [
        Event(START_S + 60, "anchored", MOON, "MOON", 33.65, -118.15, {"zone": "Anchorage B"}),
        Event(START_S + 61, "lost", MOON, None, 33.123456789, -118.15, {"silent_s": 60.0}),
        Event(START_S + 62, "lost", MOON, None, None, None, {"silent_s": 61.0, "note": "x"}),
        Event(START_S + 63, "found", MOON, None, None, None, {"silent_s": 1.25}),
    ]
    old_database(history_db)
    store_as_before(history_db, raised + others)
    with HistoryStore.open(history_db, create=False, readonly=True) as store:
        before = store.events()  # read-only, as it is: still the old table
    assert len(before) == 9

    with HistoryStore.open(history_db) as store:  # upgraded
        assert store.events() == before
        assert store.events(kinds=["lost"], mmsi=STAR) == [e for e in raised if e.kind == "lost"]
    assert table_counts(history_db, ("presence", "event_log")) == {"presence": 5, "event_log": 4}
    assert table_rows(history_db, "SELECT kind, time_s FROM event_log ORDER BY time_s") == [
        (e.kind, e.time_s) for e in others
    ]


def test_lost_and_found_take_two_thirds_of_the_room_they_took(tmp_path: Path) -> None:
    """The same 2,000 lost and found events on disk before and after the upgrade,
    counted in whole pages (``dbstat``)."""
    events = [
        Event(
            START_S + n * 7.0,
            "lost" if n % 2 == 0 else "found",
            366_000_000 + n // 2,
            f"VESSEL NUMBER {n // 2}",
            round(33.5 + n * 1e-6, 6),  # a decoded position: whole microdegrees
            round(-118.4 + n * 1e-6, 6),
            {"silent_s": round(120.0 + n % 600 / 10, 1)},  # as the fleet rounds it
        )
        for n in range(2000)
    ]
    db = tmp_path / "old.sqlite"
    old_database(db)
    store_as_before(db, events)

    def pages(table: str) -> int:
        with HistoryStore.open(db, create=False, readonly=True) as store:
            return store.sql.execute(
                "SELECT sum(pgsize) FROM dbstat WHERE name = ?", (table,)
            ).fetchone()[0]

    before = pages("events")
    with HistoryStore.open(db) as store:
        assert store.events() == events
    assert table_counts(db, ("event_log",)) == {"event_log": 0}
    assert pages("presence") < 0.7 * before  # 55 bytes a row against 86, the name the most
