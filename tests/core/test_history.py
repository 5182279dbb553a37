"""The history database: what is stored, how it is read back, retention, and the
live picture coming back after a restart. On both back ends: real SQLite files in
tmp_path, and real databases on a PostgreSQL server the fixture starts."""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
import shapely

from portwatch.cli import build_parser
from portwatch.cli.import_ import run_import
from portwatch.cli.options import history_settings
from portwatch.engine import Engine
from portwatch.history.retention import DAY_S, apply_retention
from portwatch.history.store import HistoryError, HistoryStore
from portwatch.history.writer import HistoryBatch, HistoryWriter
from portwatch.importing import import_logs
from portwatch.settings import RetentionSettings
from portwatch.vessel import Fix
from tests.core.fleet_input import START_S, position_line, static_lines, track_lines
from tests.core.history_tables import table_counts


def imported(db: Path, lines: list[str]) -> Engine:
    engine = Engine(history=HistoryWriter(db, fail_fast=True))
    engine.feed(lines, source="test")
    engine.close()
    return engine


def test_fixes_come_back_exactly_as_sent(history_db: Path | str) -> None:
    db = history_db
    lines = static_lines(366100001, START_S, "EXACT") + track_lines(366100001, START_S, 30)
    engine = imported(db, lines)
    with HistoryStore.open(db) as store:
        track = store.track(366100001)
        assert len(track) == 30
        assert [f.time_s for f in track] == [START_S + 10 * n for n in range(30)]
        live = engine.snapshot().vessels[366100001].fix
        assert track[-1] == live._replace(source="PWTEST")
        assert store.track(366100001, START_S + 100, START_S + 150) == track[10:16]
        assert store.last_fix(366100001, START_S + 105) == track[10]
        (vessel,) = store.vessels()
        assert vessel.static.name == "EXACT"
        assert (vessel.first_seen_s, vessel.last_seen_s) == (START_S, START_S + 290)


def test_static_changes_and_events_are_kept(history_db: Path | str) -> None:
    db = history_db
    mmsi, other = 366100002, 366100003
    lines = (
        static_lines(mmsi, START_S, "FIRST NAME", destination="LONG BEACH")
        + track_lines(mmsi, START_S, 3)
        + static_lines(mmsi, START_S + 600, "FIRST NAME", destination="OAKLAND", draught_m=8.1)
        + [position_line(other, START_S + 900, 33.6, -118.2, 0.0, 0.0, 1)]
    )
    imported(db, lines)
    with HistoryStore.open(db) as store:
        history = store.static_history(mmsi)
        assert [(t, s.destination, s.draught_m) for t, s in history] == [
            (START_S, "LONG BEACH", 9.5),
            (START_S + 600, "OAKLAND", 8.1),
        ]
        lost = store.events(kinds=["lost"], mmsi=mmsi)
        assert [(e.time_s, e.details) for e in lost] == [(START_S + 900, {"silent_s": 300.0})]
        found = store.events(kinds=["found"])
        assert found == [], "its own report after a long silence does not make it lost"
        assert store.events(kinds=["lost"], since_s=START_S + 901) == []
        assert store.vessel(mmsi).static.destination == "OAKLAND"


def test_vessels_in_an_area_at_a_time(history_db: Path | str) -> None:
    db = history_db
    east = track_lines(366100004, START_S, 60)  # steams east from -118.30 for 10 min
    still = [
        position_line(366100005, START_S + 60 * n, 33.60, -118.10, 0.0, 0.0, 1) for n in range(10)
    ]
    imported(db, east + still)
    area = shapely.box(-118.31, 33.69, -118.29, 33.71)  # 1 km around the first one's start
    with HistoryStore.open(db) as store:
        early = store.vessels_in_area(area, START_S + 60)
        assert [mmsi for mmsi, _ in early] == [366100004]
        assert early[0][1].time_s == START_S + 60
        assert store.vessels_in_area(area, START_S + 590) == [], "it has steamed out of the box"
        everywhere = store.vessels_in_area((-119.0, 33.0, -117.0, 34.0), START_S + 300)
        assert [mmsi for mmsi, _ in everywhere] == [366100004, 366100005]
        assert store.vessels_in_area((-119.0, 33.0, -117.0, 34.0), START_S + 3 * 3600) == []


def test_port_calls_are_stored_with_arrival_and_departure(history_db: Path | str) -> None:
    db = history_db
    mmsi = 366100006
    moored = [
        position_line(mmsi, START_S + 60 * n, 33.755, -118.215, 0.0, 0.0, 5) for n in range(5)
    ]
    leaving = track_lines(mmsi, START_S + 600, 3, lat=33.755, lon=-118.215, sog_kn=6.0)
    imported(db, moored + leaving)
    with HistoryStore.open(db) as store:
        (call,) = store.port_calls(mmsi=mmsi)
        assert (call.arrived_s, call.departed_s) == (START_S, START_S + 600)
        assert call.lat == pytest.approx(33.755)


def test_importing_the_same_lines_twice_adds_nothing(history_db: Path | str) -> None:
    db = history_db
    lines = static_lines(366100007, START_S, "TWICE") + track_lines(366100007, START_S, 20)
    lines += [position_line(366100008, START_S + 600, 33.6, -118.2, 0.0, 0.0, 1)]
    imported(db, lines)
    counts = _counts(db)
    engine = Engine(history=HistoryWriter(db, fail_fast=True))
    with HistoryStore.open(db) as store:
        engine.restore(store)
    engine.feed(lines, source="test")
    engine.close()
    assert _counts(db) == counts
    assert engine.snapshot().history.positions_written == 0


def test_restart_restores_the_live_picture(history_db: Path | str) -> None:
    """Vessels heard in the last hour come back with static data, fix and trail;
    one silent for longer stays in history only."""
    db = history_db
    old = track_lines(366100009, START_S, 5)
    recent = static_lines(366100010, START_S + 5000, "STILL HERE") + track_lines(
        366100010, START_S + 5000, 60
    )
    anchored = [
        position_line(366100011, START_S + 4000 + 300 * n, 33.62, -118.18, 0.1, 0.0, 1)
        for n in range(6)
    ]
    first = imported(db, old + anchored + recent)
    before = first.snapshot()
    engine = Engine()
    with HistoryStore.open(db) as store:
        assert engine.restore(store) == 2
    after = engine.snapshot()
    assert set(after.vessels) == {366100010, 366100011}
    assert after.data_time_s == START_S + 5590
    for mmsi in after.vessels:
        assert after.vessels[mmsi].fix == before.vessels[mmsi].fix._replace(source="PWTEST")
        assert after.vessels[mmsi].lost == before.vessels[mmsi].lost
        assert after.vessels[mmsi].static == before.vessels[mmsi].static
        assert [p.time_s for p in after.vessels[mmsi].trail] == [
            p.time_s for p in before.vessels[mmsi].trail
        ]
    assert after.vessels[366100010].static.name == "STILL HERE"


def test_retention_deletes_and_thins_old_positions(history_db: Path | str) -> None:
    db = history_db
    writer = HistoryWriter(db, fail_fast=True)
    now_s = START_S + 10 * DAY_S
    fixes = [
        Fix(mmsi, START_S + 60.0 * n, 33.6, -118.2, 0.0, 0.0, 0, 1, "test")
        for mmsi in (366100012, 366100013)
        for n in range(int(10 * DAY_S / 60))  # ten days, a fix a minute
    ]
    vessels = [(mmsi, "class_a", *[None] * 11, START_S, now_s) for mmsi in (366100012, 366100013)]
    writer.submit(HistoryBatch(fixes=fixes, vessel_rows=vessels, data_time_s=now_s))
    writer.close()
    with HistoryStore.open(db) as store:
        settings = RetentionSettings(keep_days=7, thin_after_days=2, thin_to_minutes=10)
        result = apply_retention(store, settings, now_s)
        track = store.track(366100012)
        assert min(f.time_s for f in track) >= now_s - 7 * DAY_S
        recent = [f for f in track if f.time_s >= now_s - 2 * DAY_S]
        thinned = [f for f in track if f.time_s < now_s - 2 * DAY_S - 600]
        assert len(recent) == pytest.approx(2 * DAY_S / 60, abs=1)
        gaps = {round(b.time_s - a.time_s) for a, b in itertools.pairwise(thinned)}
        assert gaps == {600}
        assert result.deleted == 2 * 3 * 1440
        assert apply_retention(store, settings, now_s).thinned == 0, "a second run finds nothing"
        if store.db is not None:
            assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_newer_database_is_refused_untouched(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    imported(db, track_lines(366100014, START_S, 2))
    with sqlite3.connect(db) as connection:
        connection.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('portwatch', 'm999_from_the_future', '2030-01-01')"
        )
    before = db.read_bytes()
    with pytest.raises(HistoryError, match="newer PortWatch"):
        HistoryStore.open(db)
    assert db.read_bytes() == before


def _counts(db: Path | str) -> dict[str, int]:
    return table_counts(db, ("positions", "vessels", "static_changes", "events", "port_calls"))


def test_the_order_logs_are_imported_in_does_not_matter(
    tmp_path: Path, new_history_db: Callable[[], Path | str]
) -> None:
    """A second receiver's log, or yesterday's, imported after today's: the history
    ends up as if they had come in order (first seen, area queries, events)."""
    day = 86_400
    first = tmp_path / "first.nmea"
    second = tmp_path / "second.nmea"
    first.write_text(
        "\n".join(
            static_lines(366100015, START_S, "EARLY BIRD")
            + track_lines(366100015, START_S, 30)
            + [position_line(366100016, START_S + 900, 33.6, -118.2, 0.0, 0.0, 1)]
        )
    )
    second.write_text(
        "\n".join(
            [
                *track_lines(366100015, START_S + day, 30, lat=33.71),
                position_line(366100016, START_S + day + 900, 33.6, -118.2, 0.0, 0.0, 1),
            ]
        )
    )
    in_order, reversed_order = str(new_history_db()), str(new_history_db())
    import_logs([str(first)], str(in_order))
    import_logs([str(second)], str(in_order))
    import_logs([str(second)], str(reversed_order))
    import_logs([str(first)], str(reversed_order))
    with HistoryStore.open(in_order) as a, HistoryStore.open(reversed_order) as b:
        assert b.vessels() == a.vessels()
        assert b.vessel(366100015).first_seen_s == START_S
        area = (-118.31, 33.69, -118.29, 33.71)
        assert [m for m, _ in b.vessels_in_area(area, START_S + 20)] == [366100015]
        assert b.track(366100015) == a.track(366100015)
        assert [(e.time_s, e.kind, e.mmsi) for e in b.events()] == [
            (e.time_s, e.kind, e.mmsi) for e in a.events()
        ]


def test_import_options_apply_retention(tmp_path: Path, history_db: Path | str) -> None:
    log = tmp_path / "two-weeks.nmea"
    log.write_text(
        "\n".join(
            track_lines(366100017, START_S, 10)
            + track_lines(366100017, START_S + 14 * 86_400, 20, lat=33.71)
        )
    )
    db = history_db
    retention, fleet = history_settings(
        build_parser().parse_args(["import", str(log), "--db", str(db), "--keep-days", "7"])
    )
    assert run_import([str(log)], str(db), retention, fleet) == 0
    with HistoryStore.open(db) as store:
        assert [f.time_s for f in store.track(366100017)] == [
            START_S + 14 * 86_400 + 10 * n for n in range(20)
        ]


def test_a_ship_alongside_across_a_restart_keeps_one_port_call(history_db: Path | str) -> None:
    """Moored, silent for two hours across a restart, heard moored again: still the
    same call, closed once when it sails."""
    db = history_db
    mmsi, other = 366100018, 366100019
    moored = [
        position_line(mmsi, START_S + 180 * n, 33.755, -118.215, 0.0, 0.0, 5) for n in range(3)
    ]
    clock = [position_line(other, START_S + 3 * 3600, 33.6, -118.2, 0.0, 0.0, 1)]
    imported(db, moored + clock)
    later = START_S + 3 * 3600 + 60
    again = [position_line(mmsi, later, 33.755, -118.215, 0.0, 0.0, 5)]
    sails = track_lines(mmsi, later + 600, 3, lat=33.755, lon=-118.215, sog_kn=6.0)
    engine = Engine(history=HistoryWriter(db, fail_fast=True))
    with HistoryStore.open(db) as store:
        engine.restore(store)
    engine.feed(again + sails, source="test")
    engine.close()
    with HistoryStore.open(db) as store:
        calls = store.port_calls(mmsi=mmsi)
    assert [(c.arrived_s, c.departed_s) for c in calls] == [(START_S, later + 600)]


def test_area_queries_with_postgis_give_what_plain_ranges_give(postgresql_server) -> None:
    """With the PostGIS extension the shape is tested in the database: the same
    vessels as without it, on a polygon that is not a box."""
    if not postgresql_server.postgis:
        pytest.skip("PostGIS is not installed (Debian: postgresql-15-postgis-3)")
    db = postgresql_server.new_database(postgis=True)
    east = track_lines(366100020, START_S, 60)  # steams east from -118.30 for 10 min
    still = [
        position_line(366100021, START_S + 60 * n, 33.70, -118.29, 0.0, 0.0, 1) for n in range(10)
    ]
    imported(db, east + still)
    # A triangle whose box holds both, but only the first inside it at START_S + 60.
    triangle = shapely.Polygon([(-118.31, 33.69), (-118.285, 33.69), (-118.31, 33.715)])
    with HistoryStore.open(db) as store:
        assert store.postgis
        with_postgis = store.vessels_in_area(triangle, START_S + 60)
        store.postgis = False
        plain = store.vessels_in_area(triangle, START_S + 60)
    assert [mmsi for mmsi, _ in with_postgis] == [366100020]
    assert with_postgis == plain


def test_live_writing_goes_on_after_the_postgresql_server_drops_the_connection(
    postgresql_server,
) -> None:
    """The server ends the writer's session (a restart, a network cut): the batch
    waits, the status says so, and the next try connects again and writes it all."""
    import psycopg

    db = postgresql_server.new_database()
    writer = HistoryWriter(db)
    fixes = [Fix(366100030, START_S + n, 33.6, -118.2, 0.0, 0.0, 0, 1, "rx") for n in range(20)]
    writer.submit(HistoryBatch(fixes=fixes[:10]))
    with psycopg.connect(db, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    writer.submit(HistoryBatch(fixes=fixes[10:]))
    assert writer.status().state.startswith("error"), "the lost batch waits"
    assert writer.status().pending_rows == 10
    assert writer.flush(), "written once connected again"
    assert writer.status().state == "ok"
    writer.close()
    with HistoryStore.open(db) as store:
        assert [f.time_s for f in store.track(366100030)] == [f.time_s for f in fixes]
