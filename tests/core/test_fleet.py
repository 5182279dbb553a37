"""Fleet semantics: merging reports per MMSI, judging fixes, ageing targets.

Real recordings where they hold the case (Danish feeds: see tests/data/README.md);
pyais-encoded lines where a situation must be made exactly (times, distances).
"""

from __future__ import annotations

import gc
import itertools
import math
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from portwatch import vessel_kinds as kinds
from portwatch.decoders.records import PositionReport, StaticReport
from portwatch.decoders.stream import StreamDecoder, open_log
from portwatch.engine import Engine
from portwatch.fleet import Fleet
from portwatch.geodesy import distance_m
from tests.core.fleet_input import START_S, position_line, static_lines, track_lines
from tests.decoders.nmea import tag_block, vdm


def held_engine() -> Engine:
    """An engine that keeps its output for the test to drain: it hands over by size
    (never, here), not by the second, which a busy machine reaches mid-feed."""
    engine = Engine()
    engine.hand_over_by_size(first_fixes=10**9)
    return engine


def engine_with(lines: list[str]) -> Engine:
    engine = held_engine()
    engine.feed(lines, source="test")
    return engine


def decoded(path: Path) -> list:
    with open_log(path) as log:
        return list(StreamDecoder(path.name).decode_lines(log))


def test_class_b_static_parts_merge_on_real_data(shared_data: Path) -> None:
    """Type 24 part A (name) and part B (call sign, type, size) make one vessel."""
    path = shared_data / "dma-aislib" / "stream_example.txt"
    parts: dict[int, dict[str, StaticReport]] = defaultdict(dict)
    for record in decoded(path):
        if isinstance(record, StaticReport) and record.msg_type == 24:
            parts[record.mmsi][record.part] = record
    # Parts heard out of time order count too: one vessel of this feed (219003762)
    # sends a part B stamped 0.35 s before the part A heard just before it.
    both = {mmsi: p for mmsi, p in parts.items() if set(p) == {"A", "B"}}
    assert 219003762 in both
    assert len(both) >= 3, "the recording holds class B vessels sending both parts"
    engine = Engine()
    with open_log(path) as log:
        engine.feed(log, source=path.name)
    vessels = engine.snapshot().vessels
    for mmsi, p in both.items():
        static = vessels[mmsi].static
        assert static.name == p["A"].name
        assert static.callsign == p["B"].callsign
        assert static.ship_type == p["B"].ship_type
        assert static.to_bow_m == p["B"].to_bow_m
    assert {vessels[m].kind for m in both} == {kinds.CLASS_B}


def test_receivers_copies_of_a_report_count_once_on_real_data(shared_data: Path) -> None:
    """The Danish national network relays some reports through two stations: the
    same report (same position, speed and UTC second) a few seconds apart."""
    path = shared_data / "dma-aislib" / "stream_example.txt"
    seen: dict[tuple, float] = {}
    copied = set()
    for record in decoded(path):
        if isinstance(record, PositionReport) and record.lat is not None:
            key = (record.mmsi, record.lat, record.lon, record.sog_kn, record.second)
            if key in seen and abs(record.time_s - seen[key]) <= 10 and record.sog_kn:
                copied.add(key[:4])  # moving: the same position again is no new fix
            seen.setdefault(key, record.time_s)
    assert len(copied) >= 2, "the recording holds copies from overlapping receivers"
    engine = held_engine()
    with open_log(path) as log:
        engine.feed(log, source=path.name)
    stored = Counter((f.mmsi, f.lat, f.lon, f.sog_kn) for f in engine.fleet.drain_output().fixes)
    assert {key: stored[key] for key in copied} == dict.fromkeys(copied, 1)
    assert engine.snapshot().counters.duplicate_fixes >= len(copied)


def test_an_impossible_jump_is_rejected_on_real_data(shared_data: Path) -> None:
    """MMSI 111111111 in the Danish feed reports off Rügen, then 7 s later off
    Bergen: the second fix is refused and the vessel stays where it was."""
    path = shared_data / "dma-aislib" / "stream_example.txt"
    engine = Engine()
    with open_log(path) as log:
        engine.feed(log, source=path.name)
    vessel = engine.snapshot().vessels[111111111]
    assert vessel.rejected_fixes >= 1
    assert vessel.fix is not None
    assert vessel.fix.lat == pytest.approx(54.16368, abs=1e-4)
    assert engine.fleet.counters.fixes_rejected["jump"] >= 1


def test_coarse_long_range_positions_are_not_jumps() -> None:
    """Satellite feeds carry a ship's type 27 report (1/10 minute resolution) in the
    same second as its class A report, up to ~190 m apart (as in AISdb's satellite
    sample, left out of tests/data for its AGPL licence: made here with pyais)."""
    mmsi = 538000001
    engine = engine_with(
        [
            position_line(mmsi, START_S, 33.711457, -118.246117, 11.3, 102.8, station="41925"),
            position_line(mmsi, START_S, 33.71, -118.245, 11, 101, station="41925", msg_type=27),
        ]
    )
    vessel = engine.snapshot().vessels[mmsi]
    assert 27 in vessel.last_report_s
    assert 1 in vessel.last_report_s
    assert vessel.rejected_fixes == 0


def test_null_island_and_out_of_range_are_rejected() -> None:
    fleet = Fleet()
    fleet.update(_report(366000001, 0.0, 0.0), START_S)
    fleet.update(_report(366000001, 95.0, 10.0), START_S + 10)
    fleet.update(_report(366000001, 33.7, -118.2), START_S + 20)
    fleet.start_clock()  # fewer reports than the clock waits for before it starts
    state = fleet.vessels[366000001]
    assert state.rejected_fixes == 2
    assert fleet.counters.fixes_rejected == {"null_island": 1, "out_of_range": 1}
    assert (state.fix.lat, state.fix.lon) == (33.7, -118.2)


def test_agreeing_fixes_after_a_jump_move_the_vessel() -> None:
    """One fix far off is noise; three that agree mean the vessel really is there
    (its first fix was wrong): it moves, and its trail starts again."""
    lines = track_lines(366000002, START_S, 6)
    far = [position_line(366000002, START_S + 60 + 10 * n, 34.5, -119.5) for n in range(3)]
    engine = engine_with(lines + far[:1])
    vessel = engine.snapshot().vessels[366000002]
    assert vessel.fix.lat == pytest.approx(33.70, abs=1e-3)
    assert vessel.rejected_fixes == 1
    engine.feed(far[1:], source="test")
    vessel = engine.snapshot().vessels[366000002]
    assert vessel.fix.lat == pytest.approx(34.5, abs=1e-4)
    assert vessel.rejected_fixes == 0
    assert [p.lat for p in vessel.trail] == [pytest.approx(34.5, abs=1e-4)]
    assert engine.fleet.counters.relocations == 1


def test_lost_then_removed_then_back_as_the_same_vessel() -> None:
    """Class A under way: lost after 6 x 10 s x 2 (shore) = 120 s of silence; out of
    the live picture after an hour; heard again, it is the same vessel."""
    mmsi, other = 366000003, 366000004
    last_s = START_S + 50
    lines = static_lines(mmsi, START_S, "SILENT STAR") + track_lines(mmsi, START_S, 6)
    engine = engine_with(lines)
    first_seen = engine.snapshot().vessels[mmsi].first_seen_s
    engine.feed([position_line(other, last_s + 119, 33.6, -118.2, 0.0, 0.0, 1)], "test")
    assert not engine.snapshot().vessels[mmsi].lost
    engine.feed([position_line(other, last_s + 121, 33.6, -118.2, 0.0, 0.0, 1)], "test")
    assert engine.snapshot().vessels[mmsi].lost
    events = engine.fleet.drain_output().events
    lost = [e for e in events if e.kind == "lost" and e.mmsi == mmsi]
    assert len(lost) == 1
    assert lost[0].time_s == last_s + 121
    assert lost[0].details == {"silent_s": 121.0}
    assert lost[0].name == "SILENT STAR"
    engine.feed([position_line(other, last_s + 3601, 33.6, -118.2, 0.0, 0.0, 1)], "test")
    assert mmsi not in engine.snapshot().vessels
    engine.feed([position_line(mmsi, last_s + 4000, 33.70, -118.28)], "test")
    back = engine.snapshot().vessels[mmsi]
    assert not back.lost
    assert back.first_seen_s == first_seen
    assert back.static.name == "SILENT STAR"
    found = [e for e in engine.fleet.drain_output().events if e.kind == "found" and e.mmsi == mmsi]
    assert [e.details["silent_s"] for e in found] == [4000.0]


def test_a_vessel_at_anchor_is_lost_only_after_36_minutes() -> None:
    mmsi, other = 366000005, 366000006
    engine = engine_with([position_line(mmsi, START_S, 33.65, -118.2, 0.1, 0.0, 1)])
    engine.feed([position_line(other, START_S + 35 * 60, 33.6, -118.3, 0.0, 0.0, 1)], "test")
    assert not engine.snapshot().vessels[mmsi].lost
    engine.feed([position_line(other, START_S + 37 * 60, 33.6, -118.3, 0.0, 0.0, 1)], "test")
    assert engine.snapshot().vessels[mmsi].lost


def test_trails_are_thinned_at_anchor_and_cut_at_30_minutes() -> None:
    anchored, steaming = 366000007, 366000008
    lines = []
    for n in range(360):  # an hour, every 10 s, swinging a metre or two
        t = START_S + 10 * n
        lines.append(position_line(anchored, t, 33.65 + (n % 3) * 1e-5, -118.2, 0.1, 0.0, 1))
    lines += track_lines(steaming, START_S, 360)
    vessels = engine_with(lines).snapshot().vessels
    assert len(vessels[anchored].trail) <= 8  # one point per 5 minutes
    trail = vessels[steaming].trail
    assert trail[-1].time_s - trail[0].time_s <= 1800
    assert trail[-1].time_s == START_S + 3590
    steps = [distance_m(a.lat, a.lon, b.lat, b.lon) for a, b in itertools.pairwise(trail)]
    assert min(steps) >= 30.0


def test_a_long_trail_gives_the_garbage_collector_nothing_more_to_walk() -> None:
    """A full pass of Python's cyclic collector walks every object it tracks while
    the window waits; at a national feed's 20,000 vessels a trail point object each
    made millions. A vessel's trail and recent reports are kept in numbers (an
    array, plain tuples), so half an hour of trail tracks no more than a minute."""

    def tracked(engine: Engine, mmsi: int) -> int:
        """Objects the collector tracks, reached from the vessel's state and view."""
        seen: set[int] = set()
        waiting: list[object] = [engine.fleet.vessels[mmsi], engine.snapshot().vessels[mmsi]]
        while waiting:
            item = waiting.pop()
            if id(item) in seen or isinstance(item, type):
                continue
            seen.add(id(item))
            waiting.extend(gc.get_referents(item))
        return sum(gc.is_tracked(item) for item in gc.get_objects() if id(item) in seen)

    mmsi = 366000010
    short = engine_with(track_lines(mmsi, START_S, 6))
    long = engine_with(track_lines(mmsi, START_S, 180))
    trail_points = (len(engine.snapshot().vessels[mmsi].trail) for engine in (short, long))
    assert next(trail_points) < 10 < 100 < next(trail_points)
    for _ in range(3):  # the collector's passes untrack plain tuples, the inner ones first
        gc.collect()
    assert tracked(long, mmsi) == tracked(short, mmsi) <= 8


def test_dead_reckoning_moves_the_vessel_along_its_course() -> None:
    engine = engine_with([position_line(366000009, START_S, 33.70, -118.30, 10.0, 90.0)])
    vessel = engine.snapshot().vessels[366000009]
    lat, lon = vessel.predicted_position(START_S + 60)
    assert lat == pytest.approx(33.70, abs=1e-6)
    east_m = distance_m(33.70, -118.30, 33.70, lon)
    assert east_m == pytest.approx(10 * 1852 / 60, rel=0.01)
    assert vessel.predicted_position(START_S + 86_400) == vessel.predicted_position(
        START_S + 600
    ), "no prediction beyond ten minutes"


def test_own_ship_is_kept_apart_and_beacons_are_marked() -> None:
    engine = engine_with(
        [
            position_line(366000010, START_S, 33.7, -118.2, own_ship=True),
            position_line(970123456, START_S + 1, 33.6, -118.1, 1.0, 0.0, 14),
            position_line(972123456, START_S + 2, 33.6, -118.1, 1.0, 0.0, 14),
            position_line(338000011, START_S + 3, 33.6, -118.0, msg_type=18),
        ]
    )
    snapshot = engine.snapshot()
    assert 366000010 not in snapshot.vessels
    assert snapshot.own_ship is not None
    assert snapshot.own_ship.mmsi == 366000010
    assert snapshot.vessels[970123456].kind == kinds.SART
    assert snapshot.vessels[972123456].kind == kinds.MAN_OVERBOARD
    assert snapshot.vessels[338000011].kind == kinds.CLASS_B


def test_snapshots_are_versioned_and_immutable() -> None:
    engine = engine_with(track_lines(366000012, START_S, 3))
    first = engine.snapshot()
    assert engine.snapshot().version == first.version, "nothing changed, same version"
    engine.feed(track_lines(366000012, START_S + 30, 1), "test")
    second = engine.snapshot()
    assert second.version > first.version
    assert first.vessels[366000012].fix.time_s == START_S + 20
    assert second.vessels[366000012].fix.time_s == START_S + 30
    with pytest.raises(TypeError):
        first.vessels[1] = first.vessels[366000012]  # type: ignore[index]


def test_port_call_opens_when_moored_and_closes_when_under_way() -> None:
    mmsi = 366000013
    moored = [
        position_line(mmsi, START_S + 60 * n, 33.755, -118.215, 0.0, 0.0, 5) for n in range(5)
    ]
    leaving = track_lines(mmsi, START_S + 600, 3, lat=33.755, lon=-118.215, sog_kn=6.0)
    engine = engine_with(moored + leaving)
    calls = engine.fleet.drain_output().port_calls
    assert calls[0] == (mmsi, START_S, None, pytest.approx(33.755), pytest.approx(-118.215))
    assert calls[-1][:3] == (mmsi, START_S, START_S + 600)


def _report(mmsi: int, lat: float, lon: float) -> PositionReport:
    return PositionReport(
        msg_type=1,
        mmsi=mmsi,
        time_s=None,
        source="test",
        station=None,
        own_ship=False,
        raw=None,
        lat=lat,
        lon=lon,
        sog_kn=5.0,
        cog_deg=10.0,
        heading_deg=10,
        nav_status=0,
        rot_deg_min=None,
        accuracy=False,
        second=1,
        raim=False,
    )


def test_distance_is_sane() -> None:
    """One minute of latitude is one nautical mile (within the spherical model)."""
    assert distance_m(33.0, -118.0, 33.0 + 1 / 60, -118.0) == pytest.approx(1852, rel=0.003)
    assert math.isclose(distance_m(10, 10, 10, 10), 0.0)


def test_a_vessel_found_again_is_lost_again_on_time() -> None:
    """Found after a silence, then silent again: lost 120 s after its last report,
    not an hour later."""
    mmsi, other = 366000014, 366000015
    engine = engine_with(track_lines(mmsi, START_S, 2))
    ticks = [position_line(other, START_S + t, 33.6, -118.2, 0.0, 0.0, 1) for t in (200, 300)]
    engine.feed(ticks, "test")
    assert engine.snapshot().vessels[mmsi].lost
    engine.feed([position_line(mmsi, START_S + 310, 33.70, -118.29)], "test")
    assert not engine.snapshot().vessels[mmsi].lost
    engine.feed([position_line(other, START_S + 429, 33.6, -118.2, 0.0, 0.0, 1)], "test")
    assert not engine.snapshot().vessels[mmsi].lost
    engine.feed([position_line(other, START_S + 431, 33.6, -118.2, 0.0, 0.0, 1)], "test")
    assert engine.snapshot().vessels[mmsi].lost


def test_weighing_anchor_shortens_the_time_to_lost() -> None:
    """At anchor: 36 minutes; under way at 10 kn: 2 minutes from then on."""
    mmsi, other = 366000016, 366000017
    anchored = position_line(mmsi, START_S, 33.65, -118.2, 0.1, 0.0, 1)
    under_way = position_line(mmsi, START_S + 60, 33.65, -118.199, 10.0, 90.0, 0)
    engine = engine_with([anchored, under_way])
    engine.feed([position_line(other, START_S + 200, 33.6, -118.3, 0.0, 0.0, 1)], "test")
    assert engine.snapshot().vessels[mmsi].lost


def test_a_base_station_every_ten_seconds_is_not_a_copy_of_itself() -> None:
    """Type 4 carries no speed or course: its UTC time tells its reports apart."""
    lines = [
        tag_block(f"s:PWTEST,c:{START_S + 10 * n}")
        + vdm(
            {
                "msg_type": 4,
                "mmsi": 3669999,
                "lat": 33.74,
                "lon": -118.28,
                "year": 2024,
                "month": 3,
                "day": 12,
                "hour": 0,
                "minute": n // 6,
                "second": (10 * n) % 60,
            }
        )[0]
        for n in range(12)
    ]
    engine = engine_with(lines)
    assert engine.fleet.counters.duplicates == 0
    assert len(engine.fleet.drain_output().fixes) == 12


def test_a_far_future_time_is_held_back_and_dropped() -> None:
    """One report stamped 2030 (a receiver with a wrong clock) neither moves the data
    clock nor ages every target out of the picture: the data clock, not this
    machine's, tells it is wrong. Held back, it is dropped and counted when the
    input ends."""
    engine = engine_with(track_lines(366000018, START_S, 3))
    engine.feed([position_line(366000019, 1_900_000_000, 33.6, -118.2)], "test")
    engine.feed(track_lines(366000018, START_S + 30, 1), "test")
    engine.finish_input("test")
    snapshot = engine.snapshot()
    assert snapshot.data_time_s == START_S + 30
    assert not snapshot.vessels[366000018].lost
    assert 366000019 not in snapshot.vessels
    assert snapshot.counters.bad_times == 1


def test_logs_of_separate_days_joined_move_the_clock() -> None:
    """Twenty reports in a row a day later agree: the data really moved on."""
    engine = engine_with(track_lines(366000020, START_S, 8))
    engine.feed(track_lines(366000020, START_S + 86_400, 20), "test")
    snapshot = engine.snapshot()
    assert snapshot.data_time_s == START_S + 86_400 + 190
    assert snapshot.vessels[366000020].fix.time_s == START_S + 86_400 + 190
    assert snapshot.counters.bad_times == 0


def test_a_burst_from_a_receiver_with_a_wrong_clock_is_dropped() -> None:
    """Five reports in a row stamped a day ahead, while the feed goes on in step:
    held, then dropped and counted; the clock never jumps."""
    engine = engine_with(track_lines(366000021, START_S, 8))
    ahead = track_lines(366000022, START_S + 86_400, 5, lat=33.6)
    engine.feed(ahead + track_lines(366000021, START_S + 80, 40), "test")
    snapshot = engine.snapshot()
    assert snapshot.data_time_s == START_S + 80 + 390
    assert 366000022 not in snapshot.vessels
    assert snapshot.counters.bad_times == 5


def test_the_clock_starts_from_most_reports_not_the_first() -> None:
    """A log whose first line is stamped years ahead (later than now, even): that
    line is dropped, the clock starts with the others."""
    lines = [position_line(366000023, 1_900_000_000, 33.6, -118.2)]
    lines += track_lines(366000024, START_S, 10)
    engine = engine_with(lines)
    engine.finish_input("test")
    snapshot = engine.snapshot()
    assert snapshot.data_time_s == START_S + 90
    assert set(snapshot.vessels) == {366000024}
    assert snapshot.counters.bad_times == 1


def test_without_trails_the_fleet_judges_every_report_alike(shared_data: Path) -> None:
    """An import keeps no trails: every fix, copy, rejection and event is the same as
    with them (the Danish national network, relays and copies and all)."""
    records = decoded(shared_data / "dma-aislib" / "stream_example.txt")
    outputs = []
    for trails in (True, False):
        fleet = Fleet(trails=trails)
        for record in records:
            if record.time_s is not None:
                fleet.update(record, record.time_s)
        trail_points = sum(len(state.trail) for state in fleet.vessels.values())
        assert (trail_points > 1000) is trails
        fleet.advance(fleet.now_s + 3600.0)  # every vessel lost, then gone
        outputs.append((fleet.drain_output(), fleet.counters))
    (with_trails, counted), (without, counted_without) = outputs
    assert counted.duplicates > 10
    assert counted.late_fixes > 0
    assert without.fixes == with_trails.fixes
    assert without.events == with_trails.events
    assert counted_without == counted
