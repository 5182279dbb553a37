"""The operator's watch on hand-built traffic with known truth: anchoring and
congestion, anchor drag, close quarters, the pilot boat alongside, speeding,
restricted entry, unauthorised anchoring, one bad fix, and the alert lifecycle."""

from __future__ import annotations

import math

import pytest

from portwatch.analytics.anchoring import swing_radius_m
from portwatch.analytics.view import VIEW_ALERTS
from portwatch.engine import Engine
from tests.core.watch_scenario import (
    KNOT_MPS,
    START_S,
    Traffic,
    of_kind,
    run,
    write_port,
)

T0 = START_S


@pytest.fixture
def port(tmp_path):
    return write_port(tmp_path)


def anchor_at(
    traffic: Traffic,
    mmsi: int,
    x: float,
    y: float,
    start_s: float,
    end_s: float,
    status: int = 1,
    every_s: float = 180.0,
) -> None:
    """A ship lying at anchor at (x, y), reporting at the at-anchor rate."""
    traffic.path(mmsi, [(start_s, x, y), (end_s, x, y)], every_s, status=status)


def test_ships_anchoring_until_congested_then_clearing(port):
    traffic = Traffic()
    spots = [(-2500, -2500), (-1500, -2500), (-2500, -1500), (-1500, -1500)]
    for n, (x, y) in enumerate(spots):
        mmsi = 311_000_001 + n
        traffic.ship(mmsi, f"WAITER {n}")
        arrive = T0 + 600 * (n + 1)
        leave = T0 + 6000 + 600 * n
        traffic.path(mmsi, [(arrive - 300, x, y + 600), (arrive, x, y)], 10.0)
        anchor_at(traffic, mmsi, x, y, arrive, leave)
        traffic.path(mmsi, [(leave, x, y), (leave + 300, x + 1500, y)], 10.0)
    _, events = run(port, traffic.sorted_lines())

    anchored = of_kind(events, "anchored")
    assert [e.mmsi for e in anchored] == [311_000_001 + n for n in range(4)]
    assert all(e.details["zone"] == "Anchorage West" for e in anchored)
    levels = [
        (e.details["level"], e.details["occupied"])
        for e in of_kind(events, "congestion")
        if "alert_id" not in e.details
    ]
    # capacity 4: busy from 3, congested at 4; down only a ship below each threshold
    assert levels == [("busy", 3), ("congested", 4), ("busy", 2), ("normal", 1)]
    ups = of_kind(events, "anchor_up")
    assert [e.mmsi for e in ups] == [311_000_001 + n for n in range(4)]
    for up, n in zip(ups, range(4), strict=True):
        arrive, leave = T0 + 600 * (n + 1), T0 + 6000 + 600 * n
        assert up.details["wait_s"] == pytest.approx(leave - arrive, abs=20)
    raised = [e for e in of_kind(events, "congestion") if "alert_id" in e.details]
    cleared = [e for e in of_kind(events, "alert_clear") if e.details["alert"] == "congestion"]
    assert len(raised) == 1
    assert len(cleared) == 1
    assert raised[0].time_s < cleared[0].time_s


def test_anchor_drag_is_raised_once_with_its_drift(port):
    traffic = Traffic()
    mmsi = 311_000_010
    traffic.ship(mmsi, "DRAGGER", length_m=200)
    x0, y0 = -2000.0, -2000.0
    drag_start = T0 + 1800
    anchor_at(traffic, mmsi, x0, y0, T0, drag_start)
    speed = 1.3 * KNOT_MPS
    drag_end = drag_start + 1500
    traffic.path(
        mmsi,
        [(drag_start, x0, y0), (drag_end, x0 + speed * 1500, y0)],
        180.0,
        status=1,
        heading=270.0,
    )
    _, events = run(port, traffic.sorted_lines())

    drags = of_kind(events, "anchor_drag", mmsi)
    assert len(drags) == 1
    radius = swing_radius_m(200, 20) + 30.0
    crossing_s = drag_start + radius / speed
    # two consecutive reports outside: at most two at-anchor intervals after crossing
    assert crossing_s <= drags[0].time_s <= crossing_s + 2 * 180 + 10
    drift = speed * (drags[0].time_s - drag_start)
    assert drags[0].details["drift_m"] == pytest.approx(drift, rel=0.05)
    assert drags[0].details["zone"] == "Anchorage West"


def test_one_bad_fix_is_not_a_drag(port):
    traffic = Traffic()
    mmsi = 311_000_011
    traffic.ship(mmsi, "STEADY")
    x0, y0 = -2000.0, -2000.0
    bad_s = T0 + 1800
    traffic.path(
        mmsi, [(T0, x0, y0), (T0 + 3600, x0, y0)], 180.0, status=1, skip=lambda t: t == bad_s
    )
    traffic.report(mmsi, bad_s, x0 + 900, y0, 0.1, 0.0, status=1)  # one fix 900 m off
    _, events = run(port, traffic.sorted_lines())
    assert of_kind(events, "anchored", mmsi)
    assert not of_kind(events, "anchor_drag", mmsi)


def crossing(traffic: Traffic, a: int, b: int, start_s: float, miss_m: float) -> float:
    """Ship ``a`` northbound, ship ``b`` westbound, both at 12 kn, so that ``b`` passes
    ``miss_m`` ahead... returns the time they would collide were ``miss_m`` zero."""
    speed = 12 * KNOT_MPS
    meet_s = start_s + 1500
    # a at (0, y) going north reaches (0, 0) at meet_s; b reaches (miss_m, 0) then.
    traffic.straight(a, start_s, meet_s + 600, 0.0, -speed * 1500, 0.0, 12.0)
    traffic.straight(b, start_s, meet_s + 600, miss_m + speed * 1500, 0.0, 270.0, 12.0)
    return meet_s


def test_crossing_cpa_and_tcpa_match_the_geometry(port):
    traffic = Traffic()
    a, b = 311_000_020, 311_000_021
    traffic.ship(a, "NORTHBOUND")
    traffic.ship(b, "WESTBOUND")
    meet_s = crossing(traffic, a, b, T0, miss_m=300.0)
    _, events = run(port, traffic.sorted_lines())

    cpa_events = of_kind(events, "cpa")
    assert len(cpa_events) == 1
    event = cpa_events[0]
    assert {event.mmsi, event.details["other_mmsi"]} == {a, b}
    # Relative motion: b moves at (-v, 0), a at (0, v); relative velocity (-v, -v).
    # At meet_s, b is miss_m east of a: relative position (miss, 0). The CPA of a
    # line through (miss, 0) along (-1, -1)/sqrt2 is miss/sqrt2, reached miss/(2v) later.
    speed = 12 * KNOT_MPS
    expected_cpa = 300.0 / math.sqrt(2)
    expected_tcpa_at_event = meet_s + 300.0 / (2 * speed) - event.time_s
    assert event.details["cpa_m"] == pytest.approx(expected_cpa, abs=15)
    assert event.details["tcpa_s"] == pytest.approx(expected_tcpa_at_event, abs=15)
    assert event.details["tcpa_s"] <= 720
    clears = [e for e in of_kind(events, "alert_clear") if e.details["alert"] == "cpa"]
    assert len(clears) == 1
    assert clears[0].time_s > meet_s


def test_a_pilot_boat_coming_alongside_raises_nothing(port):
    traffic = Traffic()
    ship, pilot = 311_000_030, 311_000_031
    traffic.ship(ship, "INBOUND")
    traffic.ship(pilot, "PILOT 3", ship_type=50, length_m=18)
    # the ship steams north up the fairway at 8 kn; the pilot boat runs across to meet it
    traffic.straight(ship, T0, T0 + 1800, 0.0, -7000.0, 0.0, 8.0)
    meet_s = T0 + 900
    ship_y = -7000.0 + 8 * KNOT_MPS * 900
    traffic.path(
        pilot,
        [
            (T0, 3000.0, ship_y),
            (meet_s, 20.0, ship_y),
            (T0 + 1800, 20.0, -7000.0 + 8 * KNOT_MPS * 1800),
        ],
        10.0,
    )
    _, events = run(port, traffic.sorted_lines())
    assert not of_kind(events, "cpa")


def test_speeding_after_a_minute_over_the_limit(port):
    traffic = Traffic()
    mmsi = 311_000_040
    traffic.ship(mmsi, "HURRY")
    traffic.straight(mmsi, T0, T0 + 600, 0.0, -5900.0, 0.0, 14.0)
    _, events = run(port, traffic.sorted_lines())
    speeding = of_kind(events, "speeding", mmsi)
    assert len(speeding) == 1
    event = speeding[0]
    assert event.details["zone"] == "Main Channel"
    assert event.details["limit_kn"] == 8.0
    assert event.details["sog_kn"] == pytest.approx(14.0)
    entered = of_kind(events, "zone_enter", mmsi)
    fairway_entry = next(e for e in entered if e.details["zone"] == "Main Channel")
    assert 60 < event.time_s - fairway_entry.time_s <= 60 + 20


def test_restricted_entry_is_raised_and_clears_on_leaving(port):
    traffic = Traffic()
    mmsi = 311_000_050
    traffic.ship(mmsi, "WANDERER", ship_type=37, length_m=15)
    traffic.straight(mmsi, T0, T0 + 900, 1500.0, -2500.0, 90.0, 5.0)  # east through the box
    _, events = run(port, traffic.sorted_lines())
    (entry,) = of_kind(events, "restricted_entry", mmsi)
    assert entry.details["zone"] == "Security Zone"
    x_at_entry = 1500.0 + 5 * KNOT_MPS * (entry.time_s - T0)
    assert 2000.0 <= x_at_entry <= 2000.0 + 5 * KNOT_MPS * 10 + 1
    clears = [
        e for e in of_kind(events, "alert_clear", mmsi) if e.details["alert"] == "restricted_entry"
    ]
    exits = [e for e in of_kind(events, "zone_exit", mmsi) if e.details["zone"] == "Security Zone"]
    assert len(clears) == 1
    assert clears[0].time_s == exits[0].time_s


def test_anchoring_outside_the_anchorages_is_unauthorised(port):
    traffic = Traffic()
    by_status, forgot = 311_000_060, 311_000_061
    traffic.ship(by_status, "ROGUE")
    traffic.ship(forgot, "FORGETFUL")
    anchor_at(traffic, by_status, 4000.0, -6000.0, T0, T0 + 1800)
    # status left at "under way", stopped: at anchor after ten minutes' dwell
    traffic.path(forgot, [(T0, 5000.0, 0.0), (T0 + 1800, 5000.0, 0.0)], 10.0, status=0)
    _, events = run(port, traffic.sorted_lines())
    (first,) = of_kind(events, "unauthorised_anchoring", by_status)
    assert first.details["zone"] is None
    assert first.time_s == T0
    (second,) = of_kind(events, "unauthorised_anchoring", forgot)
    assert T0 + 600 <= second.time_s <= T0 + 600 + 20


def test_moored_at_the_quay_is_not_anchored(port):
    traffic = Traffic()
    mmsi = 311_000_070
    traffic.ship(mmsi, "ALONGSIDE")
    traffic.path(mmsi, [(T0, 0.0, 3100.0), (T0 + 3600, 0.0, 3100.0)], 10.0, status=0)
    _, events = run(port, traffic.sorted_lines())
    assert not of_kind(events, "anchored", mmsi)


def test_results_do_not_depend_on_how_the_input_is_chunked(port):
    traffic = Traffic()
    a, b = 311_000_080, 311_000_081
    traffic.ship(a, "ONE")
    traffic.ship(b, "TWO")
    crossing(traffic, a, b, T0, miss_m=200.0)
    anchor_at(traffic, 311_000_082, -2000, -2000, T0, T0 + 3000)
    lines = traffic.sorted_lines()
    _, whole = run(port, lines)
    _, by_line = run(port, lines, chunk=1)
    _, by_seven = run(port, lines, chunk=7)
    assert [e.to_json() for e in whole] == [e.to_json() for e in by_line]
    assert [e.to_json() for e in whole] == [e.to_json() for e in by_seven]


def closing_encounter(traffic: Traffic, a: int, b: int) -> None:
    """Head-on on parallel tracks 400 m apart, then ``b`` turns in to pass 150 m off."""
    traffic.ship(a, "STEADY")
    traffic.ship(b, "TURNER")
    speed = 10 * KNOT_MPS
    x = -5000.0  # west of the anchorage, clear of the fairway's speed limit
    traffic.straight(a, T0, T0 + 1500, x, -5000.0, 0.0, 10.0)
    # b southbound 400 m east; at T0+300 it angles in to pass 150 m east of a
    meet_s = T0 + 1000
    y_meet = -5000.0 + speed * 1000
    traffic.path(
        b,
        [
            (T0, x + 400.0, y_meet + speed * 1000),
            (T0 + 300, x + 400.0, y_meet + speed * 700),
            (meet_s, x + 150.0, y_meet),
            (T0 + 1500, x + 150.0, y_meet - speed * 500),
        ],
        10.0,
    )


def test_acknowledged_alert_is_raised_again_only_when_materially_worse(port):
    traffic = Traffic()
    a, b = 311_000_090, 311_000_091
    closing_encounter(traffic, a, b)
    lines = traffic.sorted_lines()
    # First run: find the alert, then replay with an acknowledgement right after it.
    _, events = run(port, lines)
    raised = of_kind(events, "cpa")
    assert len(raised) == 2, [e.details for e in raised]
    assert raised[1].details["cpa_m"] * 2 <= raised[0].details["cpa_m"]
    assert raised[0].details["alert_id"] == raised[1].details["alert_id"]

    seen = []
    engine = Engine(port=port, on_event=seen.append)
    first_raise_s = raised[0].time_s
    engine.feed(traffic.between(-math.inf, first_raise_s + 5), source="scenario")
    alert = engine.snapshot().watch.alerts[0]
    assert alert.kind == "cpa"
    assert not alert.acknowledged
    assert engine.acknowledge(alert.id, by="operator1")
    assert engine.snapshot().watch.alerts[0].acknowledged
    engine.feed(traffic.between(first_raise_s + 5, math.inf), source="scenario")
    engine.flush()
    acks = of_kind(seen, "alert_ack")
    assert len(acks) == 1
    assert acks[0].details["by"] == "operator1"
    assert acks[0].details["alert"] == "cpa"
    assert len(of_kind(seen, "cpa")) == 2  # raised again when the CPA halved
    assert len([e for e in of_kind(seen, "alert_clear") if e.details["alert"] == "cpa"]) == 1
    assert not engine.snapshot().watch.alerts


def test_a_snoozed_alert_comes_back_unacknowledged(port):
    traffic = Traffic()
    mmsi = 311_000_100
    traffic.ship(mmsi, "ROGUE")
    anchor_at(traffic, mmsi, 4000.0, -6000.0, T0, T0 + 3600, every_s=60.0)
    engine = Engine(port=port)
    engine.feed(traffic.between(-math.inf, T0 + 120), source="s")
    (alert,) = engine.snapshot().watch.alerts
    assert alert.kind == "unauthorised_anchoring"
    engine.acknowledge(alert.id, by="op", snooze_s=600)
    engine.feed(traffic.between(T0 + 120, T0 + 600), source="s")
    assert engine.snapshot().watch.alerts[0].acknowledged
    engine.feed(traffic.between(T0 + 600, T0 + 900), source="s")
    assert not engine.snapshot().watch.alerts[0].acknowledged


def test_a_crowd_of_alerts_lists_the_most_urgent_and_marks_every_vessel(port):
    """More alerts open than a view lists (a dense crowd): the view lists the most
    urgent ``VIEW_ALERTS``, says how many are open, and still knows every vessel's
    alerts (the map marks them all, the list shows each one's)."""
    traffic = Traffic()
    crowd = [311_010_000 + n for n in range(VIEW_ALERTS + 50)]
    for n, mmsi in enumerate(crowd):  # at anchor in open water, 100 m apart
        anchor_at(
            traffic, mmsi, 4000.0 + 100.0 * (n % 30), -10000.0 - 100.0 * (n // 30), T0, T0 + 60
        )
    drifter = 311_000_110  # closing on the first of them: close quarters, most urgent
    traffic.path(drifter, [(T0, 4000.0, -7000.0), (T0 + 600, 4000.0, -12000.0)], 10.0)
    engine, _ = run(port, traffic.sorted_lines())
    watch = engine.snapshot().watch
    assert watch.open_alerts > VIEW_ALERTS
    assert len(watch.alerts) == VIEW_ALERTS
    assert watch.alerts[0].kind == "cpa"
    assert watch.alerting_mmsis() >= {*crowd, drifter}
    assert all(watch.vessel(mmsi).alerts[-1] == "unauthorised_anchoring" for mmsi in crowd)
