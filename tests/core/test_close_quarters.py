"""Close quarters as a harbour operator judges it, on hand-built traffic in the test
harbour: what is a close-quarters situation and what a port expects (passing ships
at anchor, meeting in a narrow fairway, overtaking, a tug escorting), and that each
situation is told once: not from one wild report, not twice because a vessel went
quiet or a track swung out and back, not again for GNSS noise on a CPA near zero.

The harbour (tests/core/watch_scenario.py) has a fairway 1 km wide running north
(x from -500 to 500 m) and an anchorage west of it; x = -5000 m is open water."""

from __future__ import annotations

import json
import math

import pytest

from portwatch.analytics.settings import WatchSettings
from portwatch.port.port_file import PortFileError, load_port
from tests.core.watch_scenario import (
    KNOT_MPS,
    START_S,
    Traffic,
    of_kind,
    port_document,
    run,
    write_port,
)

T0 = START_S
SETTINGS = WatchSettings()
OPEN_WATER_X = -5000.0


@pytest.fixture
def port(tmp_path):
    return write_port(tmp_path)


def cpa_events(events):
    return of_kind(events, "cpa")


def cpa_clears(events):
    return [e for e in of_kind(events, "alert_clear") if e.details["alert"] == "cpa"]


def northbound(traffic: Traffic, mmsi: int, x: float, sog_kn: float = 10.0) -> float:
    """A ship steaming north at ``x`` from 9 km south of y = 0, which it passes at the
    returned time."""
    traffic.ship(mmsi, f"NORTH {mmsi % 100}")
    traffic.straight(mmsi, T0, T0 + 2400, x, -9000.0, 0.0, sog_kn)
    return T0 + 9000.0 / (sog_kn * KNOT_MPS)


def at_anchor(traffic: Traffic, mmsi: int, x: float, y: float) -> None:
    traffic.ship(mmsi, f"ANCHORED {mmsi % 100}", length_m=200)
    traffic.path(mmsi, [(T0 - 600, x, y), (T0 + 3000, x, y)], 180.0, status=1)


@pytest.mark.parametrize(("off_m", "raised"), [(300.0, False), (30.0, True)])
def test_passing_a_ship_at_anchor(port, off_m, raised):
    """300 m off an anchored ship of 200 m is under 0.25 NM but clear of her water;
    heading 30 m off her is raised, a few minutes before."""
    traffic = Traffic()
    at_anchor(traffic, 311_100_001, -2000.0, 0.0)
    passes_s = northbound(traffic, 311_100_002, -2000.0 + off_m, sog_kn=10.0)
    _, events = run(port, traffic.sorted_lines())
    assert of_kind(events, "anchored", 311_100_001)
    alerts = cpa_events(events)
    assert len(alerts) == int(raised)
    if raised:
        tcpa = alerts[0].details["tcpa_s"]
        assert SETTINGS.keep_clear_lookahead_s - 20 <= tcpa <= SETTINGS.keep_clear_lookahead_s
        assert alerts[0].time_s + tcpa == pytest.approx(passes_s, abs=15)
        assert alerts[0].details["limit_m"] == pytest.approx(200.0)


def meeting(traffic: Traffic, x: float, apart_m: float, upbound_from_s: float = T0) -> None:
    """Two ships meeting head-on at 10 kn at y = -1500 m, ``apart_m`` between their
    tracks, at T0 + 800 s (inside the fairway all the way, at x = 0); the upbound one
    reports from ``upbound_from_s``."""
    a, b = 311_100_011, 311_100_012
    traffic.ship(a, "UPBOUND")
    traffic.ship(b, "DOWNBOUND")
    speed = 10 * KNOT_MPS
    y_a = -1500.0 - speed * (800 - (upbound_from_s - T0))
    traffic.straight(a, upbound_from_s, T0 + 1500, x + apart_m / 2, y_a, 0.0, 10.0)
    traffic.straight(b, T0, T0 + 1500, x - apart_m / 2, -1500.0 + speed * 800, 180.0, 10.0)


def test_meeting_in_a_fairway_at_its_passing_distance_is_not_close_quarters(port):
    """350 m apart is a third of the way across the 1 km fairway: ships keeping to
    their own side pass so. In open water the same pass is under 0.25 NM."""
    traffic = Traffic()
    meeting(traffic, 0.0, 350.0)
    _, events = run(port, traffic.sorted_lines())
    assert not cpa_events(events)

    traffic = Traffic()
    meeting(traffic, OPEN_WATER_X, 350.0)
    _, events = run(port, traffic.sorted_lines())
    (alert,) = cpa_events(events)
    assert alert.details["cpa_m"] == pytest.approx(350.0, abs=10)
    assert alert.details["limit_m"] == pytest.approx(0.25 * 1852, abs=1)


def test_meeting_in_a_fairway_on_the_same_line_is_raised(port):
    traffic = Traffic()
    meeting(traffic, 0.0, 40.0)
    _, events = run(port, traffic.sorted_lines())
    (alert,) = cpa_events(events)
    # the fairway's width (2 area / perimeter: 900 m) over three
    assert alert.details["limit_m"] == pytest.approx(300.0, abs=1)
    assert alert.details["tcpa_s"] > SETTINGS.keep_clear_lookahead_s  # told early


def test_crossing_a_fairway_keeps_the_full_limit(port):
    traffic = Traffic()
    meet_s = northbound(traffic, 311_100_021, 0.0)
    speed = 10 * KNOT_MPS
    # westbound across the fairway, 495 m ahead of the northbound ship at y = 0: CPA 350 m
    traffic.ship(311_100_022, "CROSSER")
    start_x = 350.0 * math.sqrt(2) + speed * (meet_s - T0)
    traffic.straight(311_100_022, T0, T0 + 2400, start_x, 0.0, 270.0, 10.0)
    _, events = run(port, traffic.sorted_lines())
    (alert,) = cpa_events(events)
    assert alert.details["limit_m"] == pytest.approx(0.25 * 1852, abs=1)


def test_overtaking_is_told_minutes_before_not_at_the_look_ahead(port):
    traffic = Traffic()
    slow, fast = 311_100_031, 311_100_032
    traffic.ship(slow, "SLOW")
    traffic.ship(fast, "FAST")
    traffic.straight(slow, T0, T0 + 2400, OPEN_WATER_X, -20000.0, 0.0, 8.0)
    traffic.straight(fast, T0, T0 + 2400, OPEN_WATER_X + 60.0, -25000.0, 0.0, 14.0)
    _, events = run(port, traffic.sorted_lines())
    (alert,) = cpa_events(events)
    assert alert.mmsi == fast
    assert SETTINGS.keep_clear_lookahead_s - 20 <= alert.details["tcpa_s"]
    assert alert.details["tcpa_s"] <= SETTINGS.keep_clear_lookahead_s


def escorted(traffic: Traffic, tug: int, from_s: float) -> None:
    """A ship north at 8 kn in open water; a tug from ``from_s``: abeam 250 m until
    T0 + 600, dropping back 900 m by T0 + 900, closing again to 200 m abeam by
    T0 + 1300 (a CPA over the 150 m of coming alongside)."""
    ship = 311_100_041
    traffic.ship(ship, "ESCORTED")
    speed = 8 * KNOT_MPS
    traffic.straight(ship, T0, T0 + 1800, OPEN_WATER_X, -20000.0, 0.0, 8.0)
    traffic.ship(tug, f"TUG {tug % 100}", ship_type=52, length_m=30)

    def beside(t: float, east_m: float, north_m: float) -> tuple[float, float, float]:
        return (t, OPEN_WATER_X + east_m, -20000.0 + speed * (t - T0) + north_m)

    legs = [beside(T0, 250, 0), beside(T0 + 600, 250, 0), beside(T0 + 900, 700, -600)]
    legs += [beside(T0 + 1300, 200, 0), beside(T0 + 1800, 200, 0)]
    traffic.path(tug, [leg for leg in legs if leg[0] >= from_s], 10.0)


def test_an_escorting_tug_dropping_back_and_closing_again_is_not_close_quarters(port):
    traffic = Traffic()
    escorted(traffic, 311_100_042, T0)
    _, events = run(port, traffic.sorted_lines())
    assert not cpa_events(events)
    # the same approach by a tug that was not working with her is raised
    traffic = Traffic()
    escorted(traffic, 311_100_043, T0 + 900)
    _, events = run(port, traffic.sorted_lines())
    (alert,) = cpa_events(events)
    assert {alert.mmsi, alert.details["other_mmsi"]} == {311_100_041, 311_100_043}


@pytest.mark.parametrize("turns", [False, True])
def test_one_wild_course_report_raises_nothing(port, turns):
    """A ship 2 km east of another, both north at 10 kn; one of its reports says it runs
    west-north-west at 20 kn, straight at the other (CPA 0, TCPA 224 s). When the
    next reports say north again, nothing is raised; when it really turns, it is."""
    traffic = Traffic()
    northbound(traffic, 311_100_051, OPEN_WATER_X)
    wild = 311_100_052
    traffic.ship(wild, "WILD")
    speed = 10 * KNOT_MPS
    wild_s = T0 + 300
    east = OPEN_WATER_X + 2000.0
    course = math.degrees(math.atan2(-math.sqrt(3) * speed, speed)) % 360  # 300 deg at 20 kn
    if turns:
        traffic.straight(wild, T0, wild_s - 10, east, -9000.0, 0.0, 10.0)
        traffic.straight(wild, wild_s, T0 + 600, east, -9000.0 + speed * 300, course, 20.0)
    else:
        traffic.path(
            wild,
            [(T0, east, -9000.0), (T0 + 1200, east, -9000.0 + speed * 1200)],
            10.0,
            skip=lambda t: t == wild_s,
        )
        traffic.report(wild, wild_s, east, -9000.0 + speed * 300, 20.0, course)
    _, events = run(port, traffic.sorted_lines())
    assert len(cpa_events(events)) == int(turns)


def crossing_ahead(traffic: Traffic, quiet: tuple[float, float] | None = None) -> float:
    """A northbound ship, and a westbound one crossing 300 m ahead of it (CPA 212 m);
    the westbound one silent over ``quiet`` (data times). Returns when they meet."""
    meet_s = northbound(traffic, 311_100_061, OPEN_WATER_X)
    west = 311_100_062
    traffic.ship(west, "WESTBOUND")
    speed = 10 * KNOT_MPS
    start_x = OPEN_WATER_X + 300.0 + speed * (meet_s - T0)
    silent = (lambda t: quiet[0] <= t <= quiet[1]) if quiet else None
    traffic.path(
        west, [(T0, start_x, 0.0), (T0 + 2400, start_x - speed * 2400, 0.0)], 10.0, skip=silent
    )
    return meet_s


def test_a_vessel_going_quiet_does_not_clear_and_raise_again(port):
    traffic = Traffic()
    meet_s = crossing_ahead(traffic, quiet=(T0 + 1100, T0 + 1300))  # 200 s silent
    _, events = run(port, traffic.sorted_lines())
    (alert,) = cpa_events(events)
    assert alert.time_s < T0 + 1100
    (clear,) = cpa_clears(events)
    assert clear.time_s > meet_s


def test_a_track_swinging_out_and_back_keeps_one_alert(port):
    """The westbound ship heads 40 degrees off for a minute (its CPA well over the
    limit), then comes back to pass as before: one situation, one alert."""
    traffic = Traffic()
    meet_s = northbound(traffic, 311_100_071, OPEN_WATER_X)
    west = 311_100_072
    traffic.ship(west, "SWINGER")
    speed = 10 * KNOT_MPS
    start_x = OPEN_WATER_X + 300.0 + speed * (meet_s - T0)
    swing_s, back_s = T0 + 1250, T0 + 1310
    off = math.radians(40)
    x_swing = start_x - speed * (swing_s - T0)
    x_back = x_swing - speed * 60 * math.cos(off)
    y_back = speed * 60 * math.sin(off)
    traffic.path(
        west,
        [
            (T0, start_x, 0.0),
            (swing_s, x_swing, 0.0),
            (back_s, x_back, y_back),
            (T0 + 2400, x_back - speed * (T0 + 2400 - back_s), y_back),
        ],
        10.0,
    )
    _, events = run(port, traffic.sorted_lines())
    assert len(cpa_events(events)) == 1
    assert len(cpa_clears(events)) == 1


def test_a_collision_course_is_raised_once(port):
    """Head-on on one line: the CPA stays a few metres, wobbling with the rounding of
    the reports; it never 'halves' into a second alert."""
    traffic = Traffic()
    meeting(traffic, OPEN_WATER_X, 0.0)
    _, events = run(port, traffic.sorted_lines())
    (alert,) = cpa_events(events)
    assert alert.details["cpa_m"] < 30


def test_two_tugs_running_together_raise_one_alert(port):
    traffic = Traffic()
    meet_s = northbound(traffic, 311_100_081, OPEN_WATER_X)
    speed = 10 * KNOT_MPS
    for n, north_m in enumerate((0.0, 25.0)):
        tug = 311_100_082 + n
        traffic.ship(tug, f"TUG {n}", ship_type=52, length_m=30)
        start_x = OPEN_WATER_X + 300.0 + speed * (meet_s - T0)
        traffic.straight(tug, T0, T0 + 2400, start_x, north_m, 270.0, 10.0)
    _, events = run(port, traffic.sorted_lines())
    (alert,) = cpa_events(events)  # the lower MMSI stands for both
    assert {alert.mmsi, alert.details["other_mmsi"]} == {311_100_081, 311_100_082}


def harbour_with(tmp_path, **fairway_properties):
    """The test harbour with further properties on its fairway."""
    document = port_document()
    fairway = next(f for f in document["features"] if f["properties"]["kind"] == "fairway")
    fairway["properties"].update(fairway_properties)
    path = tmp_path / "harbour.geojson"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_a_fairway_may_give_its_width_and_its_own_limit(tmp_path):
    traffic = Traffic()
    meeting(traffic, 0.0, 350.0)
    _, events = run(load_port(harbour_with(tmp_path, width_m=1500)), traffic.sorted_lines())
    (alert,) = cpa_events(events)  # a third of 1500 m: 500 m, over 0.25 NM
    assert alert.details["limit_m"] == pytest.approx(0.25 * 1852, abs=1)
    _, events = run(load_port(harbour_with(tmp_path, cpa_limit_nm=0.1)), traffic.sorted_lines())
    assert not cpa_events(events)
    traffic = Traffic()
    meeting(traffic, 0.0, 150.0)
    _, events = run(load_port(harbour_with(tmp_path, cpa_limit_nm=0.1)), traffic.sorted_lines())
    (alert,) = cpa_events(events)
    assert alert.details["limit_m"] == pytest.approx(185.2, abs=1)


@pytest.mark.parametrize("properties", [{"width_m": "wide"}, {"cpa_limit_nm": -1}])
def test_a_fairway_with_a_bad_width_or_limit_is_refused(tmp_path, properties):
    with pytest.raises(PortFileError, match=next(iter(properties))):
        load_port(harbour_with(tmp_path, **properties))
