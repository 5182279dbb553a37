"""The watch beside a national feed's far traffic: vessels far along the coast are
shown but not analysed, and a ship coming in from far away is watched as if it had
been watched all along (the same events as with every vessel followed)."""

from __future__ import annotations

import math

import pytest

from portwatch.analytics import WatchSettings
from portwatch.analytics.view import NOT_WATCHED
from portwatch.engine import Engine
from portwatch.events import Event
from portwatch.port.port_file import Port
from tests.core.watch_scenario import (
    KNOT_MPS,
    PILOT_XY,
    START_S,
    Traffic,
    of_kind,
    write_port,
)

T0 = START_S
FAR_Y_M = -150_000.0
"""150 km south of the harbour: beyond its approach zone (45 km) and the watch's margin."""
ANCHORED = 311_000_300
FAR = 311_000_301
INBOUND = 311_000_302
CROSSING = 311_000_303


@pytest.fixture
def port(tmp_path):
    return write_port(tmp_path)


def watch(port: Port, lines: list[str], settings: WatchSettings | None = None):
    events: list[Event] = []
    engine = Engine(port=port, on_event=events.append, watch_settings=settings)
    engine.feed(lines, source="scenario")
    engine.finish_input("scenario")
    engine.flush()
    return engine, events


def test_far_traffic_is_shown_but_not_watched(port):
    traffic = Traffic()
    traffic.ship(FAR, "FAR AWAY")
    traffic.straight(FAR, T0, T0 + 1800, 0.0, FAR_Y_M, 90.0, 12.0)
    traffic.ship(ANCHORED, "AT ANCHOR")
    traffic.path(ANCHORED, [(T0, -2000.0, -2000.0), (T0 + 1800, -2000.0, -2000.0)], 180, status=1)
    engine, events = watch(port, traffic.sorted_lines())

    snapshot = engine.snapshot()
    assert {FAR, ANCHORED} <= set(snapshot.vessels)  # both on the map...
    assert snapshot.watch.vessel(FAR) == NOT_WATCHED  # ...the far one not analysed
    assert FAR not in engine.analytics.columns.rows
    assert snapshot.watch.vessel(ANCHORED).anchorage == "Anchorage West"
    assert not [e for e in events if e.mmsi == FAR]

    # with no margin limit the watch follows it (and still raises nothing about it)
    everywhere, events = watch(port, traffic.sorted_lines(), WatchSettings(watch_margin_m=math.inf))
    assert FAR in everywhere.analytics.columns.rows
    assert not [e for e in events if e.mmsi == FAR]


def inbound_from_far(traffic: Traffic) -> float:
    """A ship steaming in from 120 km out to the pilot boarding place, and another
    crossing its bow 300 m ahead inside the approach; returns when they would meet."""
    traffic.ship(INBOUND, "FROM AFAR", eta=(12, 24, 6, 0))
    route = [(0.0, -120_000.0), (0.0, -44_000.0), PILOT_XY]
    traffic.approach(INBOUND, route, T0, cruise_kn=14.0)
    speed = 14 * KNOT_MPS
    meet_s = T0 + 100_000 / speed  # the inbound ship passes y = -20 km then
    cross_speed = 12 * KNOT_MPS
    traffic.ship(CROSSING, "CROSSER")
    traffic.straight(
        CROSSING,
        meet_s - 1500,
        meet_s + 600,
        300.0 + cross_speed * 1500,
        -20_000.0,
        270.0,
        12.0,
    )
    return meet_s


def test_a_ship_from_far_away_gets_its_events_as_if_watched_all_along(port):
    traffic = Traffic()
    inbound_from_far(traffic)
    lines = traffic.sorted_lines()
    engine, events = watch(port, lines)
    _, reference = watch(port, lines, WatchSettings(watch_margin_m=math.inf))

    for kind in ("zone_enter", "eta", "cpa", "arrival"):
        assert of_kind(events, kind, INBOUND), kind
    assert [e.to_json_text() for e in events] == [e.to_json_text() for e in reference]
    assert INBOUND in engine.analytics.columns.rows
