"""Replaying the history database over a time range: the stored reports go
through the engine again and give back the picture that history holds (every
position, status and static field as stored), within the range asked for; a
seek before the start plays the range from its start; bad URLs and files are
refused with the reason. (Seeks later in a replay: test_replay_seek.py.)"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from pyais.encode import encode_dict

from portwatch.bundled import DEMO_PORT, bundled_file
from portwatch.decoders.framing import line_time_s, tag_block
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
            # Microdegrees of the decoded 1/10000 minute: back to the bit.
            assert fix == stored_fix
            static = statics.get(record.mmsi)
            if static is None or not static.name:
                continue
            same = ["name", "ship_type", "to_bow_m", "to_stern_m", "to_port_m", "to_starboard_m"]
            if vessel.kind != CLASS_B:
                same += ["callsign", "imo", "destination", "draught_m", "eta_reported_s"]
            else:
                same += ["callsign"]
            for field in same:
                assert getattr(vessel.static, field) == getattr(static, field), field


def test_a_range_replays_only_its_own_reports(history: Path) -> None:
    with HistoryStore.open(history, create=False, readonly=True) as store:
        first_s, _ = store.time_span()
        since_s, until_s = first_s + 20 * 60, first_s + 30 * 60
        in_range = {mmsi for mmsi in store.kinds() if store.track(mmsi, since_s, until_s)}
    engine, lines = _replayed(history, since_s, until_s)
    times = [line_time_s(line) for line in lines]
    assert min(times) >= since_s
    assert max(times) <= until_s
    assert set(engine.snapshot().vessels) == in_range
    named = [v for v in engine.snapshot().vessels.values() if v.static.name]
    assert len(named) > len(in_range) // 2  # static data as of the start came first


def test_a_seek_before_the_start_plays_the_range_from_its_start(history: Path) -> None:
    with HistoryStore.open(history, create=False, readonly=True) as store:
        first_s, last_s = store.time_span()
    clock = ReplayClock(speed=None)
    engine = Engine()
    since_s = first_s + 600
    source = engine.add_source(history_url(str(history), since_s), replay_clock=clock)
    assert source.span_s == (since_s, last_s)
    source.seek(first_s + 1800)  # before it starts: the picture of then, and on from there
    engine.start()
    try:
        assert source.finished.wait(30)
        assert source.state == "finished"
    finally:
        engine.close()
    # What came before the time sought is part of its picture, from the range's start.
    expected, _ = _replayed(history, since_s, last_s)
    vessels = engine.snapshot().vessels
    assert set(vessels) == set(expected.snapshot().vessels)
    assert min(v.first_seen_s for v in vessels.values()) >= since_s
    named = {m for m, v in vessels.items() if v.static.name}
    assert named == {m for m, v in expected.snapshot().vessels.items() if v.static.name}
    assert len(named) > len(vessels) // 2


def _stored(db: Path, lines: list[str]) -> None:
    engine = Engine(history=HistoryWriter(db, fail_fast=True))
    engine.feed(lines, source="tcp://127.0.0.1:10110")
    engine.close()


def _timed(time_s: float, data: dict, station: str = "RX1") -> list[str]:
    sentences = encode_dict(data, talker_id="AI", sentence_type="VDM")
    if len(sentences) == 1:
        return [tag_block(f"s:{station},c:{int(time_s)}") + sentences[0]]
    return [
        tag_block(f"g:{n}-{len(sentences)}-7,s:{station},c:{int(time_s)}") + sentence
        for n, sentence in enumerate(sentences, start=1)
    ]


def test_every_kind_of_station_comes_back_as_it_was_stored(tmp_path: Path) -> None:
    """A SAR aircraft without speed, an aid with a 34-character name and a size,
    a ship whose stored ETA is most of a year old, the receiving station of each fix, and a name
    edited into the database outside the AIS alphabet (it must not end the replay)."""
    db = tmp_path / "history.sqlite"
    start_s = 1_710_201_600.0
    aid_name = "BREAKWATER LIGHT WEST ENTRANCE NO1"  # 34 characters: name + extension
    lines = (
        _timed(
            start_s,
            {
                "msg_type": 9,
                "mmsi": 111366001,
                "speed": 1023,
                "lat": 33.70,
                "lon": -118.20,
                "course": 90.0,
                "alt": 150,
            },
        )
        + _timed(
            start_s + 1,
            {
                "msg_type": 21,
                "mmsi": 993660001,
                "name": aid_name[:20],
                "name_ext": aid_name[20:],
                "lat": 33.71,
                "lon": -118.21,
                "to_bow": 3,
                "to_stern": 3,
                "to_port": 2,
                "to_starboard": 2,
            },
        )
        + _timed(
            start_s + 2,
            {
                "msg_type": 5,
                "mmsi": 366900001,
                "shipname": "OLD ETA",
                "callsign": "WDX1",
                "ship_type": 70,
                "month": 1,
                "day": 15,
                "hour": 8,
                "minute": 0,
                "destination": "LONG BEACH",
            },
        )
        + _timed(
            start_s + 3,
            {
                "msg_type": 1,
                "mmsi": 366900001,
                "lat": 33.72,
                "lon": -118.22,
                "speed": 0.0,
                "course": 0.0,
                "status": 1,
            },
            station="RX2",
        )
    )
    _stored(db, lines)
    with HistoryStore.open(db) as store:  # an outside tool wrote a name AIS cannot carry
        store.db.execute(
            "UPDATE static_changes SET name = 'ÉLAN~', eta_reported_s = ? WHERE mmsi = 366900001",
            (start_s - 300 * 86400,),  # and an ETA stale for most of a year
        )
        store.db.conn.commit()
        first_s, last_s = store.time_span()
    assert (first_s, last_s) == (start_s, start_s + 3)
    engine, _ = _replayed(db, first_s, last_s)
    vessels = engine.snapshot().vessels
    assert engine.snapshot().counters.decode_failures == 0
    aircraft = vessels[111366001]
    assert aircraft.fix.sog_kn is None  # not available stays not available, not 102 kn
    aid = vessels[993660001]
    assert aid.static.name == aid_name
    assert (aid.static.to_bow_m, aid.static.to_port_m) == (3, 2)
    ship = vessels[366900001]
    assert ship.fix.source == "RX2"
    assert ship.static.name == "?LAN?"
    # Its ETA (15 January) was sent again 200 days on, where no year would be right.
    assert (
        ship.static.eta_reported_s is None or abs(ship.static.eta_reported_s - start_s) < 86400 * 30
    )


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
