"""Arrival times on hand-built approaches with known arrival times: a bending route,
ships slowing before the pilot boarding place, wrong and stale reported ETAs, a
ship waiting at anchor; the scoring arithmetic, the pilot board and the JIT speed."""

from __future__ import annotations

import csv
import io
import itertools
import math
import random
import warnings

import numpy as np
import pytest

from portwatch.analytics.arrivals import SOG_MEMORY, row_nanmedian
from portwatch.analytics.eta_scores import Estimate, Scoreboard, score_arrival
from portwatch.analytics.jit import MAIN_ENGINE_G_PER_KWH, advise, design_power
from portwatch.analytics.pilot_board import CSV_COLUMNS, board_csv
from portwatch.analytics.settings import WatchSettings
from portwatch.engine import Engine
from tests.core.watch_scenario import (
    BENDING_ROUTE,
    KNOT_MPS,
    PILOT_XY,
    SOUTH_ROUTE,
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


def route_length(points) -> float:
    return sum(math.hypot(b[0] - a[0], b[1] - a[1]) for a, b in itertools.pairwise(points))


def test_eta_along_a_bending_route_and_the_arrival(port):
    traffic = Traffic()
    mmsi = 311_100_001
    traffic.ship(mmsi, "BENDER")
    arrives_s = traffic.approach(mmsi, BENDING_ROUTE, T0, cruise_kn=14.0)
    _, events = run(port, traffic.sorted_lines())

    etas = of_kind(events, "eta", mmsi)
    assert etas
    first = etas[0]
    assert first.details["target"] == "Pilot"
    # the first report was at the route's start: the whole bending route to go, to the
    # edge of the pilot boarding place's 800 m arrival radius
    assert first.details["distance_m"] == pytest.approx(route_length(BENDING_ROUTE) - 800, rel=0.01)
    (arrival,) = of_kind(events, "arrival", mmsi)
    assert arrival.details["target"] == "Pilot"
    # inside the 800 m radius: 800 m before the end at the slowed-down speed (~7 kn)
    assert arrives_s - 800 / (7.2 * KNOT_MPS) - 20 <= arrival.time_s <= arrives_s
    # the estimate made with 30 minutes to go was within a few minutes
    est = min(etas, key=lambda e: abs(e.time_s - (arrives_s - 1800)))
    eta_s = _time(est.details["eta"])
    assert abs(eta_s - arrives_s) < 300


def batch(traffic: Traffic, first_mmsi: int, count: int, start_s: float, seed: int) -> list[float]:
    """``count`` ships up the south route, 25 minutes apart, each at its own sea speed,
    slowing to 7 kn over the last 3 NM; a third report a wrong ETA, a third a stale one."""
    rng = random.Random(seed)
    arrivals = []
    for n in range(count):
        mmsi = first_mmsi + n
        begin = start_s + n * 1500
        cruise = rng.uniform(11.0, 17.0)
        traffic.ship(mmsi, f"SHIP {mmsi % 1000}")
        arrival = traffic.approach(
            mmsi, SOUTH_ROUTE, begin, cruise_kn=cruise, sog_noise_kn=0.3, seed=mmsi
        )
        arrivals.append(arrival)
    return arrivals


def test_learning_from_arrivals_beats_distance_over_speed(port):
    traffic = Traffic()
    batch(traffic, 311_200_000, 14, T0, seed=1)
    second_start = T0 + 14 * 1500 + 7200
    batch(traffic, 311_300_000, 10, second_start, seed=2)
    engine = Engine(port=port)
    lines = traffic.sorted_lines()
    engine.feed(traffic.between(-math.inf, second_start - 1), source="s")
    analytics = engine.analytics
    learnt = analytics.arrival_watch.profiles.speeds_kn("South approach", "cargo-medium")
    assert learnt is not None
    # it learnt the slow-down: near the pilot much slower than out at sea
    assert learnt[0] < 9.0 < learnt[40]
    analytics.arrival_watch.score_afresh()
    engine.feed(traffic.between(second_start - 1, math.inf), source="s")
    assert len(lines) > 1000
    rows = {(r.horizon_min, r.estimator): r for r in engine.snapshot().watch.eta_scores}
    ours, naive = rows[(60, "portwatch")], rows[(60, "naive")]
    assert ours.count == naive.count >= 8
    assert ours.mae_s < naive.mae_s / 2
    assert ours.mae_s < 180


def test_reported_etas_are_scored_as_they_were_said():
    """The scoring arithmetic on a case worked by hand."""
    arrival = 10_000.0
    estimates = [
        Estimate(arrival - 3600 - 120, arrival + 300, arrival - 600, arrival + 3600),  # 60 min
        Estimate(arrival - 1800 + 60, arrival - 120, arrival + 240, None),  # 30 min
        Estimate(arrival - 900 + 200, arrival + 60, arrival, arrival + 3600),  # too far: 15 min
    ]
    scores = score_arrival(7, "Pilot", arrival, estimates)
    by = {(s.horizon_min, s.estimator): s.error_s for s in scores}
    assert by == {
        (60, "portwatch"): 300.0,
        (60, "naive"): -600.0,
        (60, "reported"): 3600.0,
        (30, "portwatch"): -120.0,
        (30, "naive"): 240.0,
    }
    board = Scoreboard()
    board.add(scores)
    board.add(
        score_arrival(8, "Pilot", arrival, [Estimate(arrival - 3600, arrival - 100, None, None)])
    )
    rows = {(r.horizon_min, r.estimator): r for r in board.rows()}
    assert rows[(60, "portwatch")].count == 2
    assert rows[(60, "portwatch")].mae_s == pytest.approx((300 + 100) / 2)
    assert rows[(60, "portwatch")].bias_s == pytest.approx((300 - 100) / 2)
    assert rows[(15, "naive")].count == 0
    assert rows[(15, "naive")].mae_s is None


def test_the_jit_speed_and_its_saving_by_hand():
    settings = WatchSettings()
    distance = 20 * 1852.0
    advice = advise(70, 300, distance, 16.0, 2 * 3600.0, settings)
    # 20 NM at 16 kn is 1.25 h; arriving 2 h later means 3.25 h: 20/3.25 kn
    assert advice.speed_kn == pytest.approx(20 / 3.25)
    assert not advice.holds
    power, design = design_power(70, 300)
    fast = power * (16 / design) ** 3 * 1.25
    slow = power * (advice.speed_kn / design) ** 3 * 3.25
    assert advice.fuel_saved_t == pytest.approx((fast - slow) * MAIN_ENGINE_G_PER_KWH / 1e6)
    assert advice.co2_saved_t == pytest.approx(advice.fuel_saved_t * settings.co2_per_fuel)
    assert advise(70, 300, distance, 16.0, 0.0, settings) is None
    held = advise(70, 300, 5 * 1852.0, 12.0, 10 * 3600.0, settings)
    assert held.holds
    assert held.speed_kn == 5.0


def test_the_pilot_board_orders_ships_and_exports_csv(port):
    traffic = Traffic()
    ships = {311_400_001: (T0, 12.0), 311_400_002: (T0 + 300, 16.0), 311_400_003: (T0 + 900, 13.0)}
    for mmsi, (begin, cruise) in ships.items():
        traffic.ship(mmsi, f"INBOUND {mmsi % 10}")
        traffic.approach(mmsi, SOUTH_ROUTE, begin, cruise_kn=cruise)
    waiting = 311_400_009
    traffic.ship(waiting, "PATIENT")
    traffic.path(waiting, [(T0, -2000, -2000), (T0 + 3600, -2000, -2000)], 180.0, status=1)
    engine = Engine(port=port)
    engine.feed(traffic.between(-math.inf, T0 + 1800), source="s")
    board = engine.snapshot().watch.pilot_board
    inbound = [e for e in board.inbound if e.station == "Pilot"]
    etas = [e.eta_s for e in inbound]
    assert etas == sorted(etas)
    assert {e.mmsi for e in inbound} == {*ships, waiting}
    patient = next(e for e in inbound if e.mmsi == waiting)
    assert patient.at_anchor == "Anchorage West"
    assert patient.waited_s == pytest.approx(1800, abs=200)
    assert patient.eta_s > T0 + 1800  # its turn: after the expected rest of its wait
    moving = next(e for e in inbound if e.mmsi == 311_400_002)
    assert moving.name == "INBOUND 2"
    assert moving.length_m == 200
    assert moving.distance_m > 0
    rows = list(csv.DictReader(io.StringIO(board_csv(board))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [int(r["mmsi"]) for r in rows if r["station"] == "Pilot"] == [e.mmsi for e in inbound]


def test_a_stale_reported_eta_is_shown_with_its_difference(port):
    traffic = Traffic()
    mmsi = 311_500_001
    traffic.ship(mmsi, "STALE", eta=(12, 20, 6, 0))  # 20 December, four days before T0
    traffic.approach(mmsi, SOUTH_ROUTE, T0, cruise_kn=12.0)
    engine = Engine(port=port)
    engine.feed(traffic.between(-math.inf, T0 + 600), source="s")
    entry = engine.snapshot().watch.pilot_board.inbound[0]
    assert entry.reported_eta_s is not None
    assert entry.reported_eta_s < T0
    assert entry.difference_s == pytest.approx(entry.reported_eta_s - entry.eta_s)


def _time(iso: str) -> float:
    from portwatch.times import parse_time

    return parse_time(iso)


def test_the_smoothed_speed_is_the_median_of_the_reports_there_are():
    rng = np.random.default_rng(1)
    recent = rng.uniform(0.0, 20.0, size=(500, SOG_MEMORY))
    recent[rng.random(recent.shape) < 0.4] = np.nan  # reports not yet heard
    recent[0] = np.nan
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # nanmedian of a row of NaN
        expected = np.nanmedian(recent, axis=1)
    assert np.array_equal(row_nanmedian(recent), expected, equal_nan=True)


def test_pilot_boarding_place_is_where_the_test_thinks():
    assert PILOT_XY == SOUTH_ROUTE[-1] == BENDING_ROUTE[-1]


def test_an_arrival_is_a_change_of_place(port):
    """A ship heard first where it lies has not arrived; a ship alongside for half a
    day arrives once; it arrives again after it has left and come back."""
    traffic = Traffic()
    moored, caller = 311_300_001, 311_300_002
    traffic.ship(moored, "ALONGSIDE")
    traffic.ship(caller, "CALLER")
    hours = 3600.0
    quay, sea = (100.0, 3100.0), (100.0, 0.0)
    traffic.path(moored, [(T0, 0.0, 3100.0), (T0 + 14 * hours, 0.0, 3100.0)], 180.0, status=5)
    traffic.path(caller, [(T0, *sea), (T0 + 1000, *quay)], 10.0)
    traffic.path(caller, [(T0 + 1000, *quay), (T0 + 9 * hours, *quay)], 180.0, status=5)
    traffic.path(caller, [(T0 + 9 * hours, *quay), (T0 + 9.5 * hours, *sea)], 10.0)
    traffic.path(caller, [(T0 + 9.5 * hours, *sea), (T0 + 10 * hours, *quay)], 10.0)
    traffic.path(caller, [(T0 + 10 * hours, *quay), (T0 + 14 * hours, *quay)], 180.0, status=5)
    _, events = run(port, traffic.sorted_lines())

    assert of_kind(events, "arrival", moored) == []
    first, second = of_kind(events, "arrival", caller)
    assert first.details["target"] == second.details["target"] == "Quay 1"
    assert T0 + 900 <= first.time_s <= T0 + 1200
    assert T0 + 10 * hours - 300 <= second.time_s <= T0 + 10 * hours + 300


def test_an_outbound_ship_passes_its_pilot_boarding_place_without_arriving(port):
    """A ship leaves Quay 1 and sails out past the pilot boarding place (its pilot
    disembarks there), taking a few minutes to cross the 800 m radius: no arrival
    there, on any pass."""
    traffic = Traffic()
    mmsi = 311_600_001
    traffic.ship(mmsi, "OUTBOUND")
    quay = (0.0, 3100.0)
    traffic.path(mmsi, [(T0, *quay), (T0 + 1800, *quay)], 180.0, status=5)
    speed = 10 * KNOT_MPS
    leave_s = T0 + 1800
    at_pilot_s = leave_s + (quay[1] - PILOT_XY[1]) / speed
    traffic.path(
        mmsi,
        [
            (leave_s, *quay),
            (at_pilot_s, *PILOT_XY),
            (at_pilot_s + 1800, 0.0, PILOT_XY[1] - speed * 1800),
        ],
        10.0,
    )
    _, events = run(port, traffic.sorted_lines())
    assert of_kind(events, "arrival", mmsi) == []  # first heard alongside, then outbound
    exits = [e for e in of_kind(events, "zone_exit", mmsi) if e.details["zone"] == "Quay 1"]
    assert exits  # it did leave the berth, so the pilot boarding place saw it outbound
