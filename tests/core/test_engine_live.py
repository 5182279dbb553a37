"""The engine's threaded path, with real sources: a loopback TCP feed and a
recorded log replayed as fast as the engine takes it."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from portwatch.bundled import DEMO_PORT, bundled_file
from portwatch.engine import Engine
from portwatch.history.writer import HistoryWriter
from portwatch.importing import import_logs
from portwatch.port.port_file import load_port
from portwatch.simulator.serve import TcpLineServer
from tests.core.busy_engine import BusyEngine
from tests.core.fleet_input import START_S, track_lines
from tests.core.test_tcp_source import listener, wait_until


def test_a_feed_whose_clock_is_behind_keeps_its_vessels() -> None:
    """A receiver's tag-block times a day (or two years) behind this machine's clock
    must not make every vessel lost: a silent feed ages on its own clock."""
    server = listener()
    lines = track_lines(366200001, START_S, 3) + track_lines(366200002, START_S, 3, lat=33.6)
    stop = threading.Event()

    def serve() -> None:
        connection, _ = server.accept()
        connection.sendall(("\r\n".join(lines) + "\r\n").encode())
        stop.wait(30)
        connection.close()

    threading.Thread(target=serve, daemon=True).start()
    engine = Engine(clock_follows_receive_time=True)
    engine.add_source(f"tcp://127.0.0.1:{server.getsockname()[1]}")
    engine.start()
    try:
        assert wait_until(lambda: engine.snapshot().counters.messages == 6, timeout_s=30)
        newest_s = START_S + 20  # each vessel's third report
        # Idle turns of the worker move the live clock on with this machine's clock:
        # a second of them, on the feed's own time.
        assert wait_until(lambda: engine.snapshot().data_time_s >= newest_s + 1.0, timeout_s=30)
        snapshot = engine.snapshot()
        assert set(snapshot.vessels) == {366200001, 366200002}
        assert snapshot.lost == 0
        assert snapshot.data_time_s < START_S + 120, "the clock runs on the feed's time"
    finally:
        stop.set()
        engine.close()
        server.close()


def test_replaying_a_log_through_run_stores_all_of_it(tmp_path: Path) -> None:
    """A log replayed as fast as possible into a small queue waits for the engine
    instead of dropping lines: history gets what an import gives."""
    log = tmp_path / "day.nmea"
    lines = [
        line
        for n in range(40)
        for line in track_lines(366200100 + n, START_S + n, 60, lat=33.5 + n / 100)
    ]
    log.write_text("\n".join(lines) + "\n")
    db = tmp_path / "run.sqlite"
    engine = Engine(history=HistoryWriter(db), queue_lines=200)
    engine.add_source(log.as_uri())
    engine.start()
    assert wait_until(lambda: engine.sources_done, timeout_s=60)
    engine.close()
    assert engine.snapshot().counters.queue_dropped == 0
    imported = tmp_path / "import.sqlite"
    import_logs([str(log)], str(imported))
    assert _fixes(db) == _fixes(imported)
    assert len(_fixes(db)) == len(lines)


def _fixes(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as connection:
        return connection.execute(
            "SELECT mmsi, time_s, lat, lon, sog_kn, cog_deg FROM fixes ORDER BY mmsi, time_s"
        ).fetchall()


def test_the_latest_snapshot_never_waits_for_a_busy_engine() -> None:
    """The window asks for the picture a few times a second; while the engine is busy
    (an analytics pass over a dense crowd holds it for seconds) it gets the last
    picture at once, and the new one as soon as the engine is free again."""
    server = TcpLineServer("127.0.0.1", 0)
    engine = Engine(clock_follows_receive_time=True)
    engine.add_source(f"tcp://127.0.0.1:{server.address[1]}")
    engine.start()
    first, second = 366200011, 366200012
    try:
        assert wait_until(lambda: server.clients == 1)
        server.send(("\r\n".join(track_lines(first, START_S, 2)) + "\r\n").encode())
        assert wait_until(lambda: first in engine.latest_snapshot().vessels)
        before = engine.latest_snapshot()
        with BusyEngine(engine) as busy:
            server.send(("\r\n".join(track_lines(second, START_S + 5, 2)) + "\r\n").encode())
            during = engine.latest_snapshot()
            assert busy.holding, "the snapshot waited for the engine"
            assert during.version == before.version
            assert set(during.vessels) == {first}
        assert wait_until(lambda: second in engine.latest_snapshot().vessels)
        assert engine.latest_snapshot().version > before.version
    finally:
        engine.close()
        server.close()


def test_the_event_log_skips_a_busy_engine_and_catches_up() -> None:
    """``events_after`` without waiting gives nothing new while the engine is busy and
    every event once it is free: none is lost."""
    engine = Engine(port=load_port(bundled_file(DEMO_PORT)))
    engine.feed(track_lines(366200021, START_S, 3), source="log")
    engine.finish_input("log")
    engine.flush()
    number, events = engine.events_after(0)
    assert [event.kind for event in events] == ["zone_enter"]  # the approach
    engine.feed(track_lines(366200022, START_S + 60, 3), source="log")
    engine.finish_input("log")
    engine.flush()
    with BusyEngine(engine) as busy:
        assert engine.events_after(number, wait=False) == (number, [])
        assert busy.holding
    newest, later = engine.events_after(number, wait=False)
    assert newest > number
    assert [(event.kind, event.mmsi) for event in later] == [("zone_enter", 366200022)]


def test_a_window_stuck_in_its_turn_does_not_stop_the_engine() -> None:
    """The worker waits while a window redraws (``window_turn``), but only so long: a
    window that stopped answering mid-redraw leaves the engine taking its feed."""
    server = TcpLineServer("127.0.0.1", 0)
    engine = Engine(clock_follows_receive_time=True)
    engine.add_source(f"tcp://127.0.0.1:{server.address[1]}")
    engine.start()
    try:
        assert wait_until(lambda: server.clients == 1)
        with engine.window_turn():
            server.send(("\r\n".join(track_lines(366200041, START_S, 3)) + "\r\n").encode())
            assert wait_until(lambda: engine.snapshot().counters.messages == 3)
        server.send(("\r\n".join(track_lines(366200042, START_S + 40, 3)) + "\r\n").encode())
        assert wait_until(lambda: engine.snapshot().counters.messages == 6)
    finally:
        engine.close()
        server.close()
