"""The simulator's wide-area feed (``TrafficProfile.national``): thousands of stations
at the ITU rates by class and state, the port's own traffic unchanged inside it,
and vessels at the edge of coverage going lost and found."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from functools import cache
from itertools import pairwise

from portwatch.decoders import StreamDecoder
from portwatch.decoders.records import BaseStationReport, PositionReport
from portwatch.engine import Engine
from portwatch.events import Event
from portwatch.simulator.profile import TrafficProfile
from portwatch.simulator.traffic import TrafficSimulator
from tests.core.simulated import port

MINUTES = 60.0


@cache
def national(minutes: float = 30.0) -> tuple[TrafficSimulator, list[bytes]]:
    simulator = TrafficSimulator(port(), seed=3, profile=TrafficProfile.national())
    return simulator, [line.encode() for line in simulator.lines(minutes * MINUTES)]


def intervals_s(records: list) -> dict[int, float]:
    """Each station's median time between two of its reports."""
    times: dict[int, list[float]] = defaultdict(list)
    for record in records:
        times[record.mmsi].append(record.time_s)
    return {
        mmsi: statistics.median(b - a for a, b in pairwise(seen))
        for mmsi, seen in times.items()
        if len(seen) > 2
    }


def test_a_national_feed_holds_thousands_of_stations_of_every_class() -> None:
    simulator, lines = national()
    kinds = Counter(simulator.vessels.values())
    assert 2500 <= len(simulator.vessels) <= 5000
    class_b = kinds["pleasure craft"] + kinds["sailing yacht"] + kinds["fishing"]
    assert class_b >= 0.3 * len(simulator.vessels)
    assert kinds["base station"] >= 40
    assert kinds["aid"] + kinds["virtual aid"] >= 200
    assert kinds["fishing vessel"] >= 100
    assert kinds["fast ferry"] >= 10
    records = list(StreamDecoder().decode_lines(lines))
    types = Counter(record.msg_type for record in records)
    assert {1, 4, 5, 18, 21, 24} <= set(types)
    assert 100 * 30 * MINUTES <= len(records) <= 300 * 30 * MINUTES  # 100-300 a second


def test_stations_report_at_the_itu_rates_of_their_class_and_state() -> None:
    """Class A under way at most 14 kn every 10 s, faster every 6 or 2 s, at anchor or
    moored (status set) every 3 min; class B every 30 s under way, 3 min lying still;
    base stations every 10 s."""
    _, lines = national()
    records = list(StreamDecoder().decode_lines(lines))
    positions = [r for r in records if type(r) is PositionReport and r.lat is not None]
    last = {r.mmsi: r for r in positions}
    every = intervals_s(positions)
    by_state: dict[str, list[float]] = defaultdict(list)
    for mmsi, interval in every.items():
        report = last[mmsi]
        sog = report.sog_kn or 0.0
        if report.msg_type == 18:
            by_state["class B moving" if sog > 2 else "class B still"].append(interval)
        elif report.nav_status in (1, 5) and sog <= 3:
            by_state["class A at anchor or moored"].append(interval)
        elif sog > 23:
            by_state["class A over 23 kn"].append(interval)
        elif 2 < sog <= 14:
            by_state["class A under way"].append(interval)
    expected = {
        "class A under way": 10.0,
        "class A over 23 kn": 2.0,
        "class A at anchor or moored": 180.0,
        "class B moving": 30.0,
        "class B still": 180.0,
    }
    for state, interval_s in expected.items():
        assert len(by_state[state]) >= 10, state
        assert statistics.median(by_state[state]) == interval_s, state
    stations = intervals_s([r for r in records if isinstance(r, BaseStationReport)])
    assert statistics.median(stations.values()) == 10.0


def test_the_ports_own_traffic_is_the_same_inside_a_wide_area() -> None:
    """The wide area draws from its own random stream: the port's vessels say the
    same things, at the same times, with or without it."""
    _, lines = national()
    alone = TrafficSimulator(port(), seed=3)
    alone_lines = [line.encode() for line in alone.lines(30 * MINUTES)]

    def of_the_port(records: list) -> list[tuple]:
        return sorted(
            (r.time_s, r.mmsi, r.lat, r.lon, r.sog_kn)
            for r in records
            if type(r) is PositionReport and r.mmsi in alone.vessels
        )

    port_only = of_the_port(list(StreamDecoder().decode_lines(alone_lines)))
    assert len(port_only) > 10_000
    assert of_the_port(list(StreamDecoder().decode_lines(lines))) == port_only


def test_vessels_at_the_edge_of_coverage_go_lost_and_are_found_again() -> None:
    simulator, lines = national()
    events: list[Event] = []
    engine = Engine(on_event=events.append)
    engine.feed(lines, source="national")
    engine.close()
    counters = engine.snapshot().counters
    assert counters.fixes_rejected == 0  # every run between two reports is plausible
    assert counters.decode_failures == 0
    # In the first minutes a berthed ship heard by its static data first is lost
    # before its first position (3 min later) as in any feed; after that, only those
    # at the edge come back.
    settled_s = simulator.start_s + 10 * MINUTES
    found = {e.mmsi for e in events if e.kind == "found" and e.time_s > settled_s}
    lost = {e.mmsi for e in events if e.kind == "lost"}
    assert simulator.wide_area is not None
    wide = {a.ship.mmsi for a in simulator.agents if a.rng is simulator.wide_area.rng}
    fringe = {a.ship.mmsi for a in simulator.agents if a.fade_at_s is not None}
    assert len(found & wide) >= 50
    assert found <= lost
    assert found & wide <= fringe
    assert len(fringe) >= 150  # a fifth of those under way, drawn by chance
