"""``sim://`` as a live source, and ``portwatch demo`` on it: the README's first
command opens the demo port with its traffic already in place."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from portwatch.engine import Engine
from portwatch.sources.urls import SourceUrlError, parse_source_url, simulator_url
from tests.core.test_tcp_source import wait_until


def test_sim_urls() -> None:
    demo = parse_source_url("sim://demo?seed=7&speed=10&scenario=anchor-drag@5")
    assert (demo.kind, demo.path, demo.seed, demo.speed) == ("sim", None, 7, 10.0)
    assert demo.scenarios == ("anchor-drag@5",)
    own = parse_source_url("sim:///srv/ports/my%20port.geojson")
    assert own.path == "/srv/ports/my port.geojson"
    assert parse_source_url(simulator_url("/srv/ports/my port.geojson")).path == own.path
    for wrong in (
        "sim://",
        "sim://demo?speed=0",
        "sim://demo?speed=1000",
        "sim://demo?seed=x",
        "sim://demo?speed=nan",
        "sim://demo?sead=3",
    ):
        with pytest.raises(SourceUrlError, match="accepted forms"):
            parse_source_url(wrong)


def test_a_broken_port_file_or_scenario_is_refused_when_the_source_is_added(
    tmp_path: Path,
) -> None:
    broken = tmp_path / "port.geojson"
    broken.write_text("{not json", encoding="utf-8")
    engine = Engine()
    with pytest.raises(SourceUrlError, match=str(broken)):
        engine.add_source(f"sim://{broken}")
    with pytest.raises(SourceUrlError, match="unknown scenario 'flood'"):
        engine.add_source("sim://demo?scenario=flood")
    assert engine.sources == []


def test_the_simulator_fills_the_picture_at_once_then_runs_live() -> None:
    engine = Engine(clock_follows_receive_time=True)
    source = engine.add_source("sim://demo?seed=3")
    engine.start()
    try:

        def named() -> int:  # static data heard: no anonymous targets
            return sum(1 for v in engine.snapshot().vessels.values() if v.static.name)

        def caught_up() -> bool:  # the handed-over stretch is applied: the data clock is now
            return abs((engine.snapshot().data_time_s or 0.0) - time.time()) < 60

        # The first 370 s come at once: named vessels appear while they are applied,
        # and the data clock reaches the present once they all are.
        assert wait_until(lambda: named() >= 25 and caught_up(), timeout_s=30)
        assert engine.snapshot().active >= 25
        lines = source.status().lines
        assert wait_until(lambda: source.status().lines > lines, timeout_s=15)
        assert source.status().state == "connected"
    finally:
        engine.close()
    assert engine.snapshot().counters.decode_failures == 0


def portwatch(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "portwatch", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_demo_shows_the_port_alive_and_stops_when_asked() -> None:
    result = portwatch("demo", "--minutes", "0.2")
    assert result.returncode == 0, result.stderr
    out = result.stdout.splitlines()
    assert "San Pedro Bay" in out[0]
    assert "live simulated traffic" in out[0]
    picture = next(line for line in out if " stations heard; " in line)
    assert int(picture.split(": ")[1].split()[0]) >= 25
    moving = int(picture.split("; ")[1].split()[0])
    assert moving >= 1
    table = out[out.index(picture) + 2 :]
    rows = [line for line in table[:15] if line.split()[-1] in ("way", "anchor", "moored", "-")]
    assert len(rows) == 15  # the fastest first: ships (their status) and class B craft (none)
    assert any(line.endswith(("under way", "at anchor", "moored")) for line in rows)
    status = [line for line in out if line.startswith("data ")]
    assert status
    assert "sim://demo?seed=1&speed=1: connected" in status[-1]


def without_display() -> dict[str, str]:
    """This environment as on a server: no display, so no window can open."""
    import os

    hidden = ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")
    return {name: value for name, value in os.environ.items() if name not in hidden}


def test_without_a_display_the_default_command_is_the_headless_live_demo() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "portwatch"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=without_display(),
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    assert "live simulated traffic" in first
    for line in iter(process.stdout.readline, ""):  # "" : the process ended
        if " stations heard; " in line:
            break
    assert process.poll() is None, "the demo ended by itself"
    process.send_signal(signal.SIGINT)  # Ctrl-C: a quiet end
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0
    assert "Traceback" not in stderr
    assert "there is no display (DISPLAY is not set): running the demo headless" in stderr


def test_demo_refuses_a_wrong_speed_in_one_line() -> None:
    result = portwatch("demo", "--speed", "1000")
    assert result.returncode == 2
    assert "speed must be a number above 0 and at most 100" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_port_the_simulator_cannot_sail_is_refused_in_one_line(tmp_path: Path) -> None:
    import copy
    import json

    from tests.core.test_port_file import PORT, write_port

    document = copy.deepcopy(PORT)
    document["features"] = [
        f for f in document["features"] if f["properties"]["kind"] != "anchorage"
    ]
    path = write_port(tmp_path, document)
    result = portwatch("simulate", "--port", str(path), "-o", str(tmp_path / "x.nmea"))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"portwatch simulate: {path}: the simulator needs an anchorage (a feature of that kind)"
        " in the port file"
    ]
    with pytest.raises(SourceUrlError, match="needs an anchorage"):
        Engine().add_source(f"sim://{path}")
    assert json.loads(path.read_text())["name"] == "Test Harbour"  # left as it was


def test_a_defect_in_the_simulation_fails_the_source_instead_of_restarting_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from portwatch.simulator.traffic import TrafficSimulator
    from portwatch.sources import simulated

    class Breaking(TrafficSimulator):
        def timed_lines(self, duration_s=float("inf")):
            for number, item in enumerate(super().timed_lines(duration_s)):
                if number == 50:
                    raise ZeroDivisionError("a defect")
                yield item

    monkeypatch.setattr(simulated, "TrafficSimulator", Breaking)
    engine = Engine(clock_follows_receive_time=True)
    source = engine.add_source("sim://demo")
    engine.start()
    try:
        assert wait_until(lambda: source.status().state.startswith("failed"), timeout_s=30)
        assert wait_until(lambda: source.done, timeout_s=30)  # its thread ended: no restart
        status = source.status()
        assert status.state == "failed: ZeroDivisionError: a defect"
        assert status.reconnects == 0
    finally:
        engine.close()


def test_a_fast_simulator_and_a_receiver_ahead_of_the_wall_clock_are_both_taken() -> None:
    """At --speed 100 the simulated clock is a day ahead after a quarter of an hour;
    a receiver's times as far ahead are taken too (this machine's clock may be the
    wrong one): the data clock decides. For the receiver the status says that
    this machine's clock is behind; for the simulator, running ahead on purpose,
    it says nothing."""
    from pyais.encode import encode_dict

    from portwatch.sources.queue import ReceivedLine
    from tests.decoders.nmea import tag_block

    ahead = int(time.time()) + 2 * 86_400

    def line(mmsi: int) -> bytes:
        report = {"msg_type": 1, "mmsi": mmsi, "lat": 33.6, "lon": -118.3, "speed": 10.0}
        sentence = encode_dict(report, talker_id="AI", sentence_type="VDM")[0]
        return (tag_block(f"c:{ahead}") + sentence).encode()

    engine = Engine(clock_follows_receive_time=True)
    sim = engine.add_source("sim://demo?speed=100")  # not started: its name is what counts
    engine.start()
    try:
        engine.queue.put(ReceivedLine(time.time(), line(366000001), sim.name))
        assert wait_until(lambda: 366000001 in engine.snapshot().vessels, timeout_s=10)
        assert engine.snapshot().clock_note is None
        engine.queue.put(ReceivedLine(time.time(), line(366000002), "tcp://receiver:10110"))
        assert wait_until(lambda: 366000002 in engine.snapshot().vessels, timeout_s=10)
        snapshot = engine.snapshot()
        assert snapshot.counters.bad_times == 0
        assert snapshot.clock_note is not None
        assert "tcp://receiver:10110" in snapshot.clock_note
        assert "2.0 days ahead of this computer's clock" in snapshot.clock_note
    finally:
        engine.close()


def test_demo_refuses_a_negative_seed_in_its_own_words() -> None:
    result = portwatch("demo", "--seed", "-3")
    assert result.returncode == 2
    assert "is not a seed" in result.stderr
