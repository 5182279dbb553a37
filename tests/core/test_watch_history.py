"""What the watch keeps in a real history database (SQLite and PostgreSQL), and a
restart that carries on from it:
alerts with their acknowledgement, stays at anchor, anchorage counts, arrival scores,
what was learnt; importing the same log twice adds nothing."""

from __future__ import annotations

import math

import pytest

from portwatch.engine import Engine
from portwatch.history.store import HistoryStore
from portwatch.history.watch_history import WatchHistory
from portwatch.history.writer import HistoryWriter
from tests.core.watch_scenario import SOUTH_ROUTE, START_S, Traffic, write_port

T0 = START_S
ROGUE, WAITER, INBOUND = 311_600_001, 311_600_002, 311_600_003


@pytest.fixture
def port(tmp_path):
    return write_port(tmp_path)


def traffic() -> Traffic:
    t = Traffic()
    t.ship(ROGUE, "ROGUE")
    t.path(ROGUE, [(T0, 4000.0, -6000.0), (T0 + 7200, 4000.0, -6000.0)], 60.0, status=1)
    t.ship(WAITER, "WAITER")
    t.path(WAITER, [(T0, -2000, -2000), (T0 + 3000, -2000, -2000)], 60.0, status=1)
    t.path(WAITER, [(T0 + 3000, -2000, -2000), (T0 + 3600, 2000, -2000)], 10.0)
    t.ship(INBOUND, "INBOUND")
    t.approach(INBOUND, SOUTH_ROUTE, T0, cruise_kn=14.0)
    return t


def run_into(db, port, lines, acknowledge: bool = False) -> Engine:
    engine = Engine(history=HistoryWriter(db, fail_fast=True), port=port)
    with HistoryStore.open(db) as store:
        engine.restore(store)
    engine.feed(lines, source="s")
    if acknowledge:
        (alert,) = [a for a in engine.snapshot().watch.alerts if a.mmsi == ROGUE]
        assert engine.acknowledge(alert.id, by="night shift")
    engine.close()
    return engine


def test_the_watch_is_kept_in_history_and_a_restart_carries_on(history_db, port):
    db = history_db
    lines = traffic()
    run_into(db, port, lines.between(-math.inf, T0 + 3600), acknowledge=True)
    with HistoryStore.open(db) as store:
        kept = WatchHistory(store)
        (alert,) = kept.alerts(open_only=True)
        assert alert.kind == "unauthorised_anchoring"
        assert alert.mmsi == ROGUE
        assert alert.acknowledged_by == "night shift"
        (stay,) = kept.stays()
        assert stay.mmsi == WAITER
        assert stay.anchorage == "Anchorage West"
        assert stay.wait_s == pytest.approx(3000, abs=70)
        assert stay.fuel_waiting_t > 0
        counts = kept.anchorages_at(T0 + 1800)
        assert [(c.anchorage, c.occupied) for c in counts] == [("Anchorage West", 1)]
        assert kept.anchorages_at(T0 + 3590)[0].occupied == 0
        assert "speed_profiles" in kept.learnt("Test Harbour")
        assert [e.mmsi for e in kept.at_anchor()] == [ROGUE]
        alerts_before = len(kept.alerts())

    # A restart: the rogue ship is still at anchor, its alert still acknowledged, and
    # carrying on raises neither a second alert nor a second "anchored".
    events = []
    engine = Engine(history=HistoryWriter(db, fail_fast=True), port=port, on_event=events.append)
    with HistoryStore.open(db) as store:
        engine.restore(store)
    engine.feed(lines.between(T0 + 3600, math.inf), source="s")
    watch = engine.snapshot().watch
    (open_alert,) = [a for a in watch.alerts if a.mmsi == ROGUE]
    assert open_alert.acknowledged
    assert open_alert.id == alert.id
    assert not [e for e in events if e.kind in ("anchored", "unauthorised_anchoring")]
    assert not [e for e in events if e.kind == "zone_enter" and e.mmsi == ROGUE]
    rogue = watch.vessel(ROGUE)
    assert rogue.anchored_since_s == pytest.approx(T0, abs=1)
    engine.close()
    with HistoryStore.open(db) as store:
        kept = WatchHistory(store)
        assert len(kept.alerts()) == alerts_before
        scores = kept.eta_scores()  # the inbound ship arrived after the restart
        assert {s[0] for s in scores} == {INBOUND}
        assert {s[1] for s in scores} == {"Pilot"}
        assert {s[4] for s in scores} == {"portwatch", "naive", "reported"}
        profiles = kept.learnt("Test Harbour")["speed_profiles"]
        assert any(key.startswith("South approach") for key in profiles)


def test_importing_the_same_log_twice_adds_no_watch_rows(history_db, port):
    db = history_db
    lines = traffic().sorted_lines()

    def counts() -> dict[str, int]:
        with HistoryStore.open(db) as store:
            return {
                table: store.sql.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in (
                    "alerts",
                    "eta_scores",
                    "anchorage_occupancy",
                    "anchor_stays",
                    "events",
                )
            }

    for _ in range(2):
        engine = Engine(history=HistoryWriter(db, fail_fast=True), port=port)
        engine.feed(lines, source="s")
        engine.close()
        if _ == 0:
            first = counts()
    assert counts() == first
    assert first["alerts"] >= 1
    assert first["anchor_stays"] == 1
