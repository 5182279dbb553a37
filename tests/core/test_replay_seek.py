"""A seek in a replay shows the picture as it stood at the time sought: the same
vessels, lost or active, with the same positions, names and trails as playing
the log straight to that time gives. Forward far and near, back, after the end;
from a log and from history."""

from __future__ import annotations

import itertools
import math
import random
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from portwatch.bundled import DEMO_PORT, bundled_file
from portwatch.engine import Engine
from portwatch.history.writer import HistoryWriter
from portwatch.port.port_file import load_port
from portwatch.replay_clock import ReplayClock
from portwatch.settings import FleetSettings
from portwatch.simulator.scenarios import Scenario
from portwatch.simulator.traffic import TrafficSimulator
from portwatch.sources.replay import FileReplaySource
from portwatch.sources.timed_log import timed_log_lines
from portwatch.sources.urls import history_url
from portwatch.vessel import TrailPoint, VesselView
from tests.core.test_tcp_source import wait_until
from tests.decoders.nmea import EXAMPLE_POSITION, EXAMPLE_STATIC, nmea, tag_block, vdm

START_S = 1_710_201_600.0
MINUTE_S = 60.0
METRES_PER_DEGREE = 111_195.0
LOG_S = 3 * 3600.0
STATIC_UNTIL_S = START_S + 30 * MINUTE_S
"""After this the log carries no static reports any more: names later in it come
only from before the stretch a seek reads again."""
_STATIC_LINE = re.compile(r"!AIVDM,2,|!AIVDM,1,1,[0-9]?,[AB]?,H")
"""The simulator's static reports: two-sentence type 5, one-sentence type 24."""


@cache
def _simulated_lines() -> tuple[str, ...]:
    """Three hours of a busy simulated port: ships arriving, anchoring, berthing and
    leaving, pleasure craft, an anchor drag, garbled sentences and a ten-minute
    receiver dropout from 150 minutes (every target goes lost)."""
    port = load_port(bundled_file(DEMO_PORT))
    scenarios = [
        Scenario("anchor-drag", 40 * MINUTE_S),
        Scenario("garbled", 100 * MINUTE_S),
        Scenario("dropout", 150 * MINUTE_S),
    ]
    simulator = TrafficSimulator(
        port, seed=6, start_s=START_S, arrivals_per_hour=3.0, pleasure_craft=30, scenarios=scenarios
    )
    lines = []
    for time_s, line in simulator.timed_lines(LOG_S):
        if time_s > STATIC_UNTIL_S and _STATIC_LINE.search(line):
            continue  # a receiver that stopped passing static reports on
        lines.append(line)
    return tuple(lines)


@pytest.fixture
def log(tmp_path: Path) -> Path:
    path = tmp_path / "bay.nmea"
    path.write_text("\n".join(_simulated_lines()) + "\n", encoding="ascii")
    return path


Picture = dict[int, tuple]


def picture(engine: Engine) -> Picture:
    """What an operator sees of each vessel: kind, static data, position, lost or
    not, when last heard, trail."""
    return {mmsi: _seen(vessel) for mmsi, vessel in engine.snapshot().vessels.items()}


def _seen(vessel: VesselView) -> tuple:
    fix = vessel.fix
    if fix is not None and fix.source.startswith("file://"):
        fix = fix._replace(source="file")  # a line without a station: named by its file
    return (vessel.kind, vessel.static, fix, vessel.lost, vessel.last_heard_s, vessel.trail)


def played_straight_to(log: Path, tmp_path: Path, time_s: float) -> Picture:
    """The picture of the log played from its start up to (not including) its first
    line at or after ``time_s``, through the same source and engine."""
    lines = []
    for item in timed_log_lines(str(log), 0.1):
        if item.time_s >= time_s:
            break
        lines.append(item.line)
    prefix = tmp_path / f"until-{time_s:.0f}.nmea"
    prefix.write_bytes(b"\n".join(lines) + b"\n")
    return _played(f"file://{prefix}")


def _played(url: str, settings: FleetSettings | None = None) -> Picture:
    engine = Engine(settings=settings)
    source = engine.add_source(url, replay_clock=ReplayClock(speed=None))
    engine.start()
    try:
        assert wait_until(lambda: source.done, timeout_s=60)
    finally:
        engine.close()  # applies everything queued
    return picture(engine)


def seek_and_settle(
    engine: Engine, source: FileReplaySource, time_s: float
) -> Callable[[], Picture]:
    """Seek (the clock paused), wait for the replay to stand at ``time_s``; then a
    call gives the picture once the engine has taken everything sent."""
    source.seek(time_s)
    assert wait_until(lambda: not source.seeking, timeout_s=60)

    def settled() -> Picture:
        engine.close()
        return picture(engine)

    return settled


def assert_same_picture(seen: Picture, expected: Picture) -> None:
    """The same vessels with the same kind, static data, position, state and last
    report, and trails along the same path over the same time (see ``same_path``)."""
    assert set(seen) == set(expected)
    fields = ("kind", "static", "fix", "lost", "last_heard_s")
    differing = {
        (mmsi, field): (mine, theirs)
        for mmsi in expected
        for field, mine, theirs in zip(fields, seen[mmsi], expected[mmsi], strict=False)
        if mine != theirs
    }
    assert not differing, (len(differing), list(differing.items())[:3])
    crooked = [mmsi for mmsi in expected if not same_path(seen[mmsi][5], expected[mmsi][5])]
    assert not crooked, [(seen[m][5], expected[m][5]) for m in crooked[:2]]


def same_path(mine: tuple[TrailPoint, ...], theirs: tuple[TrailPoint, ...]) -> bool:
    """Two trails of one vessel drawn alike: over the same time (to one keep-alive
    interval) and every point of each on the other's line (to one trail step). A
    trail keeps a point per step moved, or per keep-alive interval at rest,
    counted from the point before: a vessel at rest or creeping at the start of
    the stretch a seek reads again may keep other reports of the same path."""
    if not mine or not theirs:
        return mine == theirs
    settings = FleetSettings()
    if abs(mine[0].time_s - theirs[0].time_s) > settings.trail_max_interval_s:
        return False
    if abs(mine[-1].time_s - theirs[-1].time_s) > settings.trail_max_interval_s:
        return False
    return all(_off_path_m(p, theirs) <= settings.trail_step_m for p in mine) and all(
        _off_path_m(p, mine) <= settings.trail_step_m for p in theirs
    )


def _off_path_m(point: TrailPoint, path: tuple[TrailPoint, ...]) -> float:
    """How far ``point`` is from the line through ``path`` (a local flat plane)."""
    scale = math.cos(math.radians(point.lat))

    def xy(p: TrailPoint) -> tuple[float, float]:
        return (
            (p.lon - point.lon) * scale * METRES_PER_DEGREE,
            (p.lat - point.lat) * METRES_PER_DEGREE,
        )

    corners = [xy(p) for p in path]
    if len(corners) == 1:
        return math.hypot(*corners[0])
    nearest = math.inf
    for (ax, ay), (bx, by) in itertools.pairwise(corners):
        dx, dy = bx - ax, by - ay
        length_squared = dx * dx + dy * dy
        along = max(0.0, min(1.0, -(ax * dx + ay * dy) / length_squared)) if length_squared else 0.0
        nearest = min(nearest, math.hypot(ax + along * dx, ay + along * dy))
    return nearest


def _lost_and_named(shown: Picture) -> tuple[int, int, int]:
    return (
        sum(1 for v in shown.values() if v[3]),
        sum(1 for v in shown.values() if not v[3]),
        sum(1 for v in shown.values() if v[1].name),
    )


def test_a_seek_forward_past_the_lookback_shows_the_picture_of_then(
    log: Path, tmp_path: Path
) -> None:
    target_s = START_S + 160 * MINUTE_S + 3  # the dropout over: many still lost
    clock = ReplayClock(speed=1.0)
    engine = Engine()
    source = engine.add_source(f"file://{log}", replay_clock=clock)
    engine.start()
    assert wait_until(lambda: source.counts.lines > 0)
    clock.pause()
    seen = seek_and_settle(engine, source, target_s)()
    expected = played_straight_to(log, tmp_path, target_s)
    lost, active, named = _lost_and_named(expected)
    assert lost > 10  # a picture worth comparing
    assert active > 5
    assert named > 20
    assert_same_picture(seen, expected)


def test_a_short_seek_forward_plays_the_stretch_between_at_once(log: Path, tmp_path: Path) -> None:
    target_s = START_S + 40 * MINUTE_S  # well within the lookback of the first line
    clock = ReplayClock(speed=1.0)
    engine = Engine()
    source = engine.add_source(f"file://{log}", replay_clock=clock)
    engine.start()
    assert wait_until(lambda: source.counts.lines > 0)
    clock.pause()
    seen = seek_and_settle(engine, source, target_s)()
    assert_same_picture(seen, played_straight_to(log, tmp_path, target_s))


def test_a_seek_back_after_the_end_replays_again_from_the_picture_of_then(
    log: Path, tmp_path: Path
) -> None:
    target_s = START_S + 100 * MINUTE_S
    clock = ReplayClock(speed=None)
    engine = Engine()
    source = engine.add_source(f"file://{log}", replay_clock=clock)
    engine.start()
    assert wait_until(lambda: source.done, timeout_s=60)
    assert wait_until(lambda: len(engine.queue) == 0)
    assert source.state == "finished"
    assert clock.paused  # the replay stands at its end
    settle = seek_and_settle(engine, source, target_s)
    assert not source.done
    assert source.state in ("paused", "seeking")
    seen = settle()
    assert_same_picture(seen, played_straight_to(log, tmp_path, target_s))


def test_a_seek_then_play_on_reaches_the_end_again(log: Path) -> None:
    clock = ReplayClock(speed=None)
    engine = Engine()
    source = engine.add_source(f"file://{log}", replay_clock=clock)
    engine.start()
    try:
        assert wait_until(lambda: source.done and source.span_s is not None, timeout_s=60)
        end_s = source.span_s[1]
        assert wait_until(lambda: engine.snapshot().data_time_s == end_s)
        then_s = START_S + 170 * MINUTE_S
        source.seek(then_s)
        assert wait_until(lambda: not source.seeking, timeout_s=60)
        assert wait_until(lambda: then_s - MINUTE_S < engine.snapshot().data_time_s < then_s)
        clock.resume()
        assert wait_until(lambda: source.done, timeout_s=60)
        assert wait_until(lambda: engine.snapshot().data_time_s == end_s)
        assert source.state == "finished"
    finally:
        engine.close()


@pytest.fixture
def history(log: Path, tmp_path: Path) -> Path:
    """The same three hours, stored as the app stores a live feed."""
    db = tmp_path / "history.sqlite"
    engine = Engine(history=HistoryWriter(db, fail_fast=True))
    engine.feed(list(_simulated_lines()), source="sim")
    engine.close()
    return db


SHORT_MEMORY = FleetSettings(lost_intervals=3.0, remove_after_s=1200.0, trail_s=600.0)
"""Targets lost sooner and removed sooner, trails shorter: a picture with a shorter
memory (46 minutes), so that the history tests read less of it."""


@pytest.mark.parametrize("back", [False, True], ids=["forward", "back after the end"])
def test_a_seek_in_history_shows_the_picture_of_then(history: Path, back: bool) -> None:
    since_s, until_s = START_S + 90 * MINUTE_S, START_S + 170 * MINUTE_S
    target_s = START_S + 160 * MINUTE_S + 3  # the dropout over: many still lost
    assert target_s - SHORT_MEMORY.picture_memory_s > since_s  # rebuilt from within the range
    clock = ReplayClock(speed=None if back else 1.0)
    engine = Engine(settings=SHORT_MEMORY)
    source = engine.add_source(history_url(str(history), since_s, until_s), replay_clock=clock)
    engine.start()
    if back:
        assert wait_until(lambda: source.done, timeout_s=60)
    else:
        assert wait_until(lambda: source.counts.lines > 0)
        clock.pause()
    seen = seek_and_settle(engine, source, target_s)()
    # History keeps whole seconds: up to the second before the time sought.
    expected = _played(history_url(str(history), since_s, target_s - 1), SHORT_MEMORY)
    lost, active, named = _lost_and_named(expected)
    assert min(lost, active) > 5
    assert named > 20
    assert_same_picture(seen, expected)


SATELLITE = "satellite feed in AISdb's shape"


def satellite_log(path: Path, vessels: int = 200, seed: int = 5) -> Path:
    """A minute of a worldwide satellite feed in the shape of AISdb's sample (left
    out of tests/data for its AGPL licence): ``s:``/``c:``/``t:`` tag blocks, two-part
    type 5 in ``g:`` groups with the station on the first fragment only, empty
    channel fields, and type 27 beside a ship's class A report."""
    rng = random.Random(seed)
    timed: list[tuple[int, str]] = []

    def emit(time_s: int, fields: str, sentence: str) -> None:
        body = sentence[1 : sentence.index("*")].replace(",A,", ",,", 1)  # no channel
        timed.append((time_s, tag_block(fields) + nmea(body, start="!")))

    start_s = 1_635_731_887
    for number in range(vessels):
        mmsi, station = 538_000_000 + number, str(rng.randrange(40_000, 44_000))
        lat, lon = rng.uniform(-60.0, 60.0), rng.uniform(-179.0, 179.0)
        heard_s = [start_s + rng.randrange(0, 20) + 20 * n for n in range(3)]
        static = dict(EXAMPLE_STATIC, mmsi=mmsi, shipname=f"SATELLITE {number}")
        first, second = vdm(static, seq_id=number % 10)
        group = 1000 + number
        emit(heard_s[0], f"g:1-2-{group},s:{station},c:{heard_s[0]},t:{heard_s[0] + 60}", first)
        emit(heard_s[0], f"g:2-2-{group}", second)
        for time_s in heard_s:
            report = dict(EXAMPLE_POSITION, mmsi=mmsi, lat=lat, lon=lon, second=time_s % 60)
            (sentence,) = vdm(report)
            emit(time_s, f"s:{station},c:{time_s},t:{time_s + 60}", sentence)
            lat += 0.002
        if number % 4 == 0:  # 1/10 minute, beside the last class A report
            coarse = {
                "msg_type": 27,
                "mmsi": mmsi,
                "lat": round((lat - 0.002) * 600) / 600,
                "lon": round(lon * 600) / 600,
                "speed": 12,
                "course": 90,
            }
            (sentence,) = vdm(coarse)
            emit(heard_s[-1], f"s:{station},c:{heard_s[-1]},t:{heard_s[-1] + 60}", sentence)
    path.write_text("\n".join(line for _, line in sorted(timed, key=lambda item: item[0])) + "\n")
    return path


@pytest.mark.parametrize(
    "name",
    [
        "dma-aislib/stream_example.txt",  # Danish national network, $PGHP-timed, 1,933 MMSI
        SATELLITE,  # made: AISdb's real sample may not be copied into tests/data
    ],
)
def test_a_seek_back_in_a_real_recording_shows_the_picture_of_then(
    shared_data: Path, tmp_path: Path, name: str
) -> None:
    log = satellite_log(tmp_path / "satellite.nm4") if name == SATELLITE else shared_data / name
    clock = ReplayClock(speed=None)
    engine = Engine()
    source = engine.add_source(f"file://{log}", replay_clock=clock)
    engine.start()
    assert wait_until(lambda: source.done and source.span_s is not None, timeout_s=60)
    first_s, last_s = source.span_s
    target_s = (first_s + last_s) / 2
    seen = seek_and_settle(engine, source, target_s)()
    expected = played_straight_to(log, tmp_path, target_s)
    assert len(expected) > 100
    assert sum(1 for vessel in expected.values() if vessel[1].name) > 10
    assert_same_picture(seen, expected)
