"""Replaying the history database over a time range: the stored reports go
through the engine again and give back the picture that history holds (every
position, status and static field as stored), within the range asked for; a
seek starts again with each vessel's static data as it stood then; bad URLs and
files are refused with the reason."""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import pytest

from portwatch.bundled import DEMO_PORT, bundled_file
from portwatch.decoders.framing import line_time_s
from portwatch.engine import Engine
from portwatch.history.replay_lines import history_lines
from portwatch.history.store import HistoryStore
from portwatch.history.writer import HistoryWriter
from portwatch.port.port_file import load_port
from portwatch.replay_clock import ReplayClock
from portwatch.simulator.traffic import TrafficSimulator
from portwatch.sources.history_replay import replay_url
from portwatch.sources.urls import SourceUrlError, history_url, parse_source_url
from portwatch.vessel_kinds import CLASS_B

HOUR_S = 3600.0


@cache
def _simulated_lines() -> tuple[str, ...]:
    port = load_port(bundled_file(DEMO_PORT))
    return tuple(TrafficSimulator(port, seed=7).lines(HOUR_S))


@pytest.fixture
def history(tmp_path: Path) -> Path:
    """An hour of the simulated port, stored as the app stores a live feed."""
    db = tmp_path / "history.sqlite"
    engine = Engine(history=HistoryWriter(db, fail_fast=True))
    engine.feed(list(_simulated_lines()), source="sim")
    engine.close()
    return db


def _replayed(db: Path, since_s: float, until_s: float) -> tuple[Engine, list[bytes]]:
    with HistoryStore.open(db, create=False, readonly=True) as store:
        lines = [line for _, line in history_lines(store, since_s, until_s)]
    engine = Engine()
    engine.feed(lines, source="history")
    return engine, lines


def test_a_replay_of_history_gives_back_what_history_holds(history: Path) -> None:
    with HistoryStore.open(history, create=False, readonly=True) as store:
        first_s, last_s = store.time_span()
        kinds = store.kinds()
        statics = store.statics_as_of(last_s)
        stored = store.position_count()
        engine, _ = _replayed(history, first_s, last_s)
        snapshot = engine.snapshot()
        assert snapshot.counters.decode_failures == 0
        assert snapshot.counters.fixes_accepted == stored
        placed = [vessel for vessel in store.vessels() if store.last_fix(vessel.mmsi)]
        assert len(placed) > 30
        for record in placed:
            vessel = snapshot.vessels[record.mmsi]
            assert vessel.kind == kinds[record.mmsi]
            fix, stored_fix = vessel.fix, store.last_fix(record.mmsi)
            assert fix.time_s == stored_fix.time_s
            assert math.isclose(fix.lat, stored_fix.lat, abs_tol=2e-6)
            assert math.isclose(fix.lon, stored_fix.lon, abs_tol=2e-6)
            assert (fix.sog_kn, fix.cog_deg) == (stored_fix.sog_kn, stored_fix.cog_deg)
            if vessel.kind != CLASS_B:  # class B sends no navigational status
                assert fix.nav_status == stored_fix.nav_status
            static = statics.get(record.mmsi)
            if static is not None and static.name:
                assert vessel.static.name == static.name
                assert vessel.static.ship_type == static.ship_type
                assert vessel.static.to_bow_m == static.to_bow_m
                if vessel.kind != CLASS_B:
                    assert vessel.static.destination == static.destination
                    assert vessel.static.imo == static.imo


def test_a_range_replays_only_its_own_reports(history: Path) -> None:
    with HistoryStore.open(history, create=False, readonly=True) as store:
        first_s, _ = store.time_span()
        since_s, until_s = first_s + 20 * 60, first_s + 30 * 60
        in_range = {
            mmsi
            for mmsi in store.kinds()
            if store.track(mmsi, since_s, until_s)
        }  # fmt: skip
    engine, lines = _replayed(history, since_s, until_s)
    times = [line_time_s(line) for line in lines]
    assert min(times) >= since_s
    assert max(times) <= until_s
    assert set(engine.snapshot().vessels) == in_range
    named = [v for v in engine.snapshot().vessels.values() if v.static.name]
    assert len(named) > len(in_range) // 2  # static data as of the start came first


def test_the_source_plays_seeks_and_knows_its_span(history: Path) -> None:
    with HistoryStore.open(history, create=False, readonly=True) as store:
        first_s, last_s = store.time_span()
    clock = ReplayClock(speed=None)
    engine = Engine()
    source = engine.add_source(history_url(str(history), first_s + 600), replay_clock=clock)
    assert source.span_s == (first_s + 600, last_s)
    engine.start()
    try:
        assert source.finished.wait(30)
        assert source.state == "finished"
    finally:
        engine.close()
    expected, _ = _replayed(history, first_s + 600, last_s)
    assert set(engine.snapshot().vessels) == set(expected.snapshot().vessels)


def test_bad_history_urls_and_files_are_refused_with_the_reason(tmp_path: Path) -> None:
    with pytest.raises(SourceUrlError, match="no history database path"):
        parse_source_url("history://")
    with pytest.raises(SourceUrlError, match="unknown setting 'speed'"):
        parse_source_url("history:///tmp/h.sqlite?speed=3")
    with pytest.raises(SourceUrlError, match="'to' is before 'from'"):
        parse_source_url("history:///tmp/h.sqlite?from=2024-03-12T10:00Z&to=2024-03-12T09:00Z")
    with pytest.raises(SourceUrlError, match="from: 'noon' is not a time"):
        parse_source_url("history:///tmp/h.sqlite?from=noon")
    url = parse_source_url("history:///tmp/h%20x.sqlite?from=2024-03-12T10:00Z")
    assert (url.path, url.since_s, url.until_s) == ("/tmp/h x.sqlite", 1710237600.0, None)
    engine = Engine()
    with pytest.raises(SourceUrlError, match=r"missing\.sqlite"):
        engine.add_source(history_url(str(tmp_path / "missing.sqlite")))
    log = tmp_path / "log.nmea"
    log.write_text("\n".join(_simulated_lines()[:10]) + "\n")
    with pytest.raises(SourceUrlError, match=r"log\.nmea: not a SQLite database"):
        engine.add_source("history://" + str(log))
    assert engine.sources == []


def test_open_chooses_history_or_log_replay_by_the_file(history: Path, tmp_path: Path) -> None:
    assert replay_url(str(history)).startswith("history://")
    assert "from=2024-03-12T00:10:00Z" in replay_url(str(history), 1710202200.0)
    log = tmp_path / "log.nmea"
    log.write_text("\n".join(_simulated_lines()[:10]) + "\n")
    assert replay_url(str(log)) == f"file://{log.resolve()}"
    with pytest.raises(SourceUrlError, match="--from and --to are for a history database"):
        replay_url(str(log), since_s=1710202200.0)
    with pytest.raises(FileNotFoundError):
        replay_url(str(tmp_path / "nothing.nmea"))
