"""``sim://`` as a live source, and ``portwatch demo`` on it: the README's first
command opens the demo port with its traffic already in place."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from portwatch.demo import simulator_url
from portwatch.engine import Engine
from portwatch.sources.urls import SourceUrlError, parse_source_url
from tests.core.test_tcp_source import wait_until


def test_sim_urls() -> None:
    demo = parse_source_url("sim://demo?seed=7&speed=10&scenario=anchor-drag@5")
    assert (demo.kind, demo.path, demo.seed, demo.speed) == ("sim", None, 7, 10.0)
    assert demo.scenarios == ("anchor-drag@5",)
    own = parse_source_url("sim:///srv/ports/my%20port.geojson")
    assert own.path == "/srv/ports/my port.geojson"
    assert parse_source_url(simulator_url("/srv/ports/my port.geojson")).path == own.path
    for wrong in ("sim://", "sim://demo?speed=0", "sim://demo?speed=1000", "sim://demo?seed=x",
                  "sim://demo?speed=nan"):  # fmt: skip
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

        assert wait_until(lambda: named() >= 25, timeout_s=30)
        snapshot = engine.snapshot()
        assert snapshot.active >= 25
        assert abs(snapshot.data_time_s - time.time()) < 60  # the data clock is now
        lines = source.status().lines
        assert wait_until(lambda: source.status().lines > lines, timeout_s=15)
        assert source.status().state == "connected"
    finally:
        engine.close()
    assert engine.snapshot().counters.decode_failures == 0


def portwatch(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "portwatch", *args],
        capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip


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
    assert sum(1 for line in table if line.endswith(("under way", "at anchor", "moored"))) >= 10
    status = [line for line in out if line.startswith("data ")]
    assert status
    assert "sim://demo?seed=1&speed=1: connected" in status[-1]


def test_the_default_command_is_the_live_demo() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "portwatch"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    assert process.stdout is not None
    first = process.stdout.readline()
    assert "live simulated traffic" in first
    while " stations heard; " not in process.stdout.readline():
        pass
    process.send_signal(signal.SIGINT)  # Ctrl-C: a quiet end
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0
    assert "Traceback" not in stderr


def test_demo_refuses_a_wrong_speed_in_one_line() -> None:
    result = portwatch("demo", "--speed", "1000")
    assert result.returncode == 2
    assert "speed must be a number above 0 and at most 100" in result.stderr
    assert "Traceback" not in result.stderr
