"""``portwatch simulate`` and ``portwatch demo``: one set of option rules, traffic on
today's clock unless a start is asked for, and a served feed on a free port."""

from __future__ import annotations

import calendar
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from portwatch.decoders.framing import line_time_s
from tests.core.test_tcp_source import wait_until

START_2024 = calendar.timegm((2024, 3, 12, 0, 0, 0))
STARTED_IN = 60.0
"""The warm-up is quiet: the first line comes within a minute of the start."""


def portwatch(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "portwatch", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def first_time_s(log: Path) -> float:
    with open(log, "rb") as lines:
        time_s = line_time_s(lines.readline().rstrip())
    assert time_s is not None
    return time_s


def test_a_simulated_log_starts_now_unless_told_otherwise(tmp_path: Path) -> None:
    before_s = time.time()
    result = portwatch("simulate", "--duration", "5m", "-o", str(tmp_path / "now.nmea"))
    assert result.returncode == 0, result.stderr
    assert before_s - 1 <= first_time_s(tmp_path / "now.nmea") <= time.time() + STARTED_IN
    result = portwatch(
        "simulate",
        "--duration",
        "5m",
        "--start",
        "2024-03-12T00:00:00Z",
        "-o",
        str(tmp_path / "then.nmea"),
    )
    assert result.returncode == 0, result.stderr
    assert START_2024 <= first_time_s(tmp_path / "then.nmea") <= START_2024 + STARTED_IN
    assert "from 2024-03-12T00:00:00Z" in result.stderr


class ServedFeed:
    """``portwatch simulate --serve tcp://127.0.0.1:0``, its standard error read as
    it comes, so the port it took can be read off its first line."""

    def __init__(self, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "portwatch", "simulate", *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line.rstrip("\n"))

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        status = self.process.wait(timeout=30)
        self.reader.join(30)
        return status


def test_served_traffic_is_on_todays_clock_on_a_port_of_its_choosing() -> None:
    """Mixed with ``sim://demo`` (today's clock) a feed stamped 2024 would put its
    ships two years back in history; port 0 takes a free port and says which."""
    before_s = time.time()
    feed = ServedFeed("--serve", "tcp://127.0.0.1:0", "--duration", "1h")
    try:
        assert wait_until(lambda: bool(feed.lines), timeout_s=60), feed.process.poll()
        match = re.search(r" on tcp://127\.0\.0\.1:(\d+) from ", feed.lines[0])
        assert match, feed.lines
        port = int(match.group(1))
        assert port > 0
        with socket.create_connection(("127.0.0.1", port), timeout=30) as client:
            received = b""
            while b"\n" not in received:
                chunk = client.recv(4096)
                assert chunk, "the feed closed before its first line"
                received += chunk
        first = received.split(b"\r\n", 1)[0]
        time_s = line_time_s(first)
        assert time_s is not None, first
        assert before_s - 1 <= time_s <= time.time() + STARTED_IN
    finally:
        status = feed.stop()
    assert status == 0, feed.lines


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (["simulate", "--seed", "-1", "-o", "x.nmea"], "argument --seed: '-1' is not a seed"),
        (["demo", "--seed", "-7"], "argument --seed: '-7' is not a seed"),
        (
            ["simulate", "--speed", "1000", "--serve", "tcp://127.0.0.1:0"],
            "speed must be a number above 0 and at most 100, not '1000'",
        ),
        (["demo", "--speed", "1000"], "speed must be a number above 0 and at most 100, not"),
        (
            ["simulate", "--duration", "5", "-o", "x.nmea"],
            "'5' is not a duration: a number and its unit, e.g. 6h, 90m, 3600s",
        ),
    ],
)
def test_simulate_and_demo_refuse_the_same_wrong_options(
    args: list[str], complaint: str, tmp_path: Path
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "portwatch", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 2, result.stderr
    assert complaint in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_speed_with_a_log_is_refused_rather_than_ignored(tmp_path: Path) -> None:
    log = tmp_path / "x.nmea"
    result = portwatch("simulate", "--speed", "10", "-o", str(log))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "portwatch simulate: --speed is for --serve: a log is written at once, and replayed "
        "at any speed"
    ]
    assert not log.exists()


@pytest.mark.parametrize(
    ("url", "complaint"),
    [
        ("udp://127.0.0.1:0", "the port must be a number from 1 to 65535"),
        ("tcp://127.0.0.1", "no port (tcp://127.0.0.1:0 listens on a free one)"),
        ("serial:///dev/ttyS0", "serve on tcp://HOST:PORT or udp://HOST:PORT"),
    ],
)
def test_a_serve_url_that_cannot_be_served_is_one_line(url: str, complaint: str) -> None:
    result = portwatch("simulate", "--serve", url, "--duration", "1m")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"portwatch simulate: {url!r}: {complaint}"]


def test_the_headless_demo_says_what_it_prints() -> None:
    """The desktop app exists: headless is a choice (or no display), not a stopgap."""
    result = portwatch("demo", "--headless", "--minutes", "0.05")
    assert result.returncode == 0, result.stderr
    assert "not built yet" not in result.stdout + result.stderr
    assert (
        "headless: the traffic in place, then a status line every 5 s; Ctrl-C to stop"
        in result.stdout.splitlines()
    )
