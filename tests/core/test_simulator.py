"""The traffic simulator on the demo port: reproducible, real NMEA, plausible
motion, and arrivals that take their pilot at a pilot boarding place."""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from itertools import pairwise

import pyais
import pytest

from portwatch.bundled import DEMO_PORT, bundled_file
from portwatch.decoders.records import PositionReport
from portwatch.decoders.stream import StreamDecoder
from portwatch.engine import Engine
from portwatch.geodesy import distance_m
from portwatch.port.port_file import load_port
from portwatch.simulator.traffic import TrafficSimulator

HOURS = 3600.0


@cache
def port():
    return load_port(bundled_file(DEMO_PORT))


@cache
def simulated(seed: int = 5, warm_up_s: float = 0.0, hours: float = 8.0) -> tuple[str, ...]:
    return tuple(TrafficSimulator(port(), seed=seed, warm_up_s=warm_up_s).lines(hours * HOURS))


def test_the_same_seed_gives_the_same_bytes() -> None:
    assert simulated(seed=5, hours=1.0) == tuple(
        TrafficSimulator(port(), seed=5, warm_up_s=0.0).lines(HOURS)
    )
    assert simulated(seed=5, hours=1.0) != simulated(seed=6, hours=1.0)


def test_pyais_decodes_every_line() -> None:
    lines = simulated()
    groups: dict[str, list[str]] = defaultdict(list)
    decoded = 0
    for line in lines:
        tag, sentence = line[1:].split("\\", 1)
        group = next((f for f in tag.split("*")[0].split(",") if f.startswith("g:")), None)
        if group is None:
            pyais.decode(sentence)
            decoded += 1
            continue
        number, total, group_id = group[2:].split("-")
        groups[group_id].append(sentence)
        if number == total:
            pyais.decode(*groups.pop(group_id))
            decoded += 1
    assert decoded > 5000
    assert not groups


def test_motion_is_continuous_and_plausible() -> None:
    fixes = defaultdict(list)
    for record in StreamDecoder("sim").decode_lines(simulated()):
        if isinstance(record, PositionReport):
            fixes[record.mmsi].append(record)
    assert len(fixes) >= 15
    for mmsi, track in fixes.items():
        top_kn = 8.5 if track[0].msg_type == 18 else 20.0
        assert max(r.sog_kn for r in track) <= top_kn, mmsi
        for a, b in pairwise(track):
            run_m = distance_m(a.lat, a.lon, b.lat, b.lon)
            assert run_m <= 30 + top_kn * 1852 / 3600 * (b.time_s - a.time_s), (mmsi, a, b)


def test_arrivals_take_their_pilot_and_some_wait_at_anchor() -> None:
    """Every ship seen arriving from sea and then moored passed a pilot boarding
    place on the way; with the berths busy, some anchored first."""
    stations = port().of_kind("pilot_boarding")
    tracks = defaultdict(list)
    for record in StreamDecoder("sim").decode_lines(simulated()):
        if isinstance(record, PositionReport) and record.msg_type == 1:
            tracks[record.mmsi].append(record)
    anchored = sum(1 for track in tracks.values() if any(r.nav_status == 1 for r in track))
    berthed = 0
    for track in tracks.values():
        statuses = [r.nav_status for r in track]
        if 5 not in statuses or statuses[0] != 0:
            continue
        berthed += 1
        arrival = track[: statuses.index(5)]
        assert any(
            distance_m(r.lat, r.lon, s.geometry.y, s.geometry.x) <= s.properties["radius_m"]
            for r in arrival
            for s in stations
        )
    assert berthed >= 3
    assert anchored >= 1


@pytest.mark.parametrize("seed", [1, 2])
def test_the_engine_accepts_every_simulated_fix(seed: int) -> None:
    engine = Engine()
    engine.feed(simulated(seed=seed, warm_up_s=6 * HOURS, hours=2.0), source="sim")
    counters = engine.snapshot().counters
    assert counters.fixes_accepted > 1000
    assert counters.fixes_rejected == 0
    assert counters.decode_failures == 0


def test_simulate_command_writes_a_log_portwatch_reads(tmp_path) -> None:
    import gzip
    import subprocess
    import sys

    log = tmp_path / "bay.nmea.gz"
    run = subprocess.run(
        [sys.executable, "-m", "portwatch", "simulate", "--seed", "4", "--duration", "20m",
         "-o", str(log)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "arrivals" in run.stderr
    lines = gzip.decompress(log.read_bytes()).decode().splitlines()
    assert lines == list(TrafficSimulator(port(), seed=4).lines(1200))
    broken = tmp_path / "port.geojson"
    broken.write_text('{"type": "FeatureCollection", "features": []}')
    refused = subprocess.run(
        [sys.executable, "-m", "portwatch", "simulate", "--port", str(broken), "-o",
         str(tmp_path / "x.nmea")],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines() == [
        f'portwatch simulate: {broken}: the port needs a "name" (text) beside "features"'
    ]


def test_serve_tcp_delivers_to_two_clients_at_once() -> None:
    """``--serve tcp://`` on loopback: two clients connected at once both get the
    same lines, in order, and pyais reads them."""
    import contextlib
    import signal
    import socket
    import subprocess
    import sys
    import time

    from tests.core.test_tcp_source import wait_until

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port_number = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "portwatch", "simulate", "--seed", "2", "--duration", "2h",
         "--speed", "60", "--serve", f"tcp://127.0.0.1:{port_number}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    clients: list[socket.socket] = []
    try:

        def connect() -> bool:
            try:
                clients.append(socket.create_connection(("127.0.0.1", port_number), 1.0))
            except OSError:
                return False
            return True

        assert wait_until(connect, timeout_s=60)
        assert wait_until(connect, timeout_s=10)
        received = [b"", b""]
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and min(map(len, received)) < 20_000:
            for n, client in enumerate(clients):
                client.settimeout(0.2)
                with contextlib.suppress(TimeoutError):
                    received[n] += client.recv(65536)
        server.send_signal(signal.SIGTERM)
        _, stderr = server.communicate(timeout=30)
    finally:
        for client in clients:
            client.close()
        if server.poll() is None:
            server.kill()
    assert server.returncode == 0, stderr
    first, second = (data.decode().splitlines()[:-1] for data in received)  # last may be cut
    assert len(first) > 100
    assert len(second) > 100
    # The second client connected a moment later: its lines are the first's from there on.
    start = first.index(second[0])
    common = min(len(first) - start, len(second))
    assert first[start : start + common] == second[:common]
    for line in second[:50]:
        sentence = line.split("\\\\")[-1]
        if ",1,1," in sentence:
            pyais.decode(sentence)
    assert b"2 client(s) served" in stderr


def test_udp_serving_sends_a_datagram_per_line_at_the_pace_asked() -> None:
    import socket
    import time

    from portwatch.simulator.serve import pace, udp_sender

    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    receiver.bind(("127.0.0.1", 0))
    receiver.settimeout(5)
    send, close = udp_sender(*receiver.getsockname())
    timed = list(TrafficSimulator(port(), seed=3).timed_lines(60))
    started = time.monotonic()
    try:
        sent = pace(timed, send, speed=120.0)  # a minute of data in half a second
    finally:
        close()
    assert time.monotonic() - started >= (timed[-1][0] - timed[0][0]) / 120.0 - 0.05
    got = [receiver.recv(4096).decode().rstrip("\r\n") for _ in range(sent)]
    receiver.close()
    assert got == [line for _, line in timed]
