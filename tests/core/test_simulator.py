"""The traffic simulator on the demo port over a simulated day: reproducible, real
NMEA, plausible motion per kind of vessel, arrivals that take their pilot at a pilot
boarding place from a pilot boat, tugs, aids to navigation."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import replace
from itertools import pairwise

import pyais
import pytest

from portwatch.decoders import StreamDecoder
from portwatch.engine import Engine
from portwatch.geodesy import distance_m
from portwatch.simulator.profile import TrafficProfile
from portwatch.simulator.ships import merchant_ship
from portwatch.simulator.traffic import TrafficSimulator
from tests.core.simulated import HOURS, port, simulated

TOP_SPEED_KN = {40: 28.5, 50: 22.5, 52: 12.5, 55: 14.5, 37: 14.5, 36: 7.5, 30: 9.5}
"""By ITU ship type: fast ferry, pilot boat, tug, port tender, motor boat, sailing
yacht, fishing boat; others 20 kn."""


def test_the_same_seed_gives_the_same_bytes() -> None:
    assert simulated(seed=5, hours=1.0, busy=True).lines == tuple(
        TrafficSimulator(port(), seed=5).lines(HOURS)
    )
    assert simulated(seed=5, hours=1.0).lines != simulated(seed=6, hours=1.0).lines


def pyais_failures(lines: tuple[str, ...]) -> tuple[int, int]:
    """(messages pyais decoded, lines it refused) with checksums checked, multipart
    messages assembled by their tag-block group."""
    groups: dict[str, list[str]] = defaultdict(list)
    decoded = refused = 0
    for line in lines:
        tag, sentence = line[1:].split("\\", 1)
        group = next((f for f in tag.split("*")[0].split(",") if f.startswith("g:")), None)
        try:
            if group is None:
                pyais.decode(sentence, error_if_checksum_invalid=True)
                decoded += 1
                continue
            number, total, group_id = group[2:].split("-")
            groups[group_id].append(sentence)
            if number == total:
                pyais.decode(*groups.pop(group_id), error_if_checksum_invalid=True)
                decoded += 1
        except Exception:
            refused += 1
    assert not groups
    return decoded, refused


def test_pyais_decodes_every_line_of_a_day() -> None:
    decoded, refused = pyais_failures(simulated().lines)
    assert decoded > 50_000
    assert refused == 0


def test_a_day_holds_every_kind_of_vessel_and_what_they_do() -> None:
    run = simulated()
    kinds = set(run.simulator.vessels.values())
    assert {
        "container",
        "tanker",
        "bulk",
        "passenger",
        "tug",
        "pilot boat",
        "pleasure craft",
        "base station",
        "aid",
        "virtual aid",
    } <= kinds
    counts = run.simulator.counts
    assert counts["arrivals"] >= 10
    assert counts["departures"] >= 10
    assert counts["anchorings"] >= 1
    assert counts["pilot boardings"] >= 10
    assert counts["tug escorts"] >= 10
    # Decoded types agree with what the simulator says it sent.
    assert {run.ship_types[m] for m, k in run.simulator.vessels.items() if k == "tug"} == {52}
    assert {run.ship_types[m] for m, k in run.simulator.vessels.items() if k == "pilot boat"} == {
        50
    }


def test_motion_is_continuous_and_plausible_for_each_kind() -> None:
    run = simulated()
    assert len(run.tracks) >= 40
    for mmsi, track in run.tracks.items():
        top_kn = TOP_SPEED_KN.get(run.ship_types.get(mmsi, 0), 20.0)
        assert max(r.sog_kn or 0.0 for r in track) <= top_kn, mmsi
        for a, b in pairwise(track):
            run_m = distance_m(a.lat, a.lon, b.lat, b.lon)
            assert run_m <= 30 + top_kn * 1852 / 3600 * (b.time_s - a.time_s), (mmsi, a, b)


def test_nothing_sails_over_land() -> None:
    """No position on land, and no run between two reports across land (a tug
    cutting a corner of the breakwater would)."""
    import shapely

    run = simulated()
    ground = shapely.union_all([part.geometry for part in port().coastline])
    shapely.prepare(ground)
    for mmsi, track in run.tracks.items():
        if run.simulator.vessels.get(mmsi) in ("base station", "aid"):
            continue
        moving = [(r.lon, r.lat) for r in track if (r.sog_kn or 0) > 0.5]
        if moving:
            assert not shapely.contains(ground, shapely.points(moving)).any(), mmsi
        runs = [
            [(a.lon, a.lat), (b.lon, b.lat)]
            for a, b in pairwise(track)
            if (a.lon, a.lat) != (b.lon, b.lat)
        ]
        if runs:
            assert not shapely.crosses(ground, shapely.linestrings(runs)).any(), mmsi


def test_arrivals_take_their_pilot_from_a_pilot_boat_at_the_boarding_place() -> None:
    """Every ship seen arriving from sea and then moored passed a pilot boarding
    place on the way, and a pilot boat came alongside it near there."""
    run = simulated()
    stations = port().of_kind("pilot_boarding")
    boats = close_in_time([r for m, t in run.ship_types.items() if t == 50 for r in run.tracks[m]])
    track_start = min(track[0].time_s for track in run.tracks.values())
    met = berthed = 0
    for mmsi, track in run.tracks.items():
        if run.ship_types.get(mmsi) not in (60, 70, 80) or track[0].msg_type != 1:
            continue
        statuses = [r.nav_status for r in track]
        if 5 not in statuses or track[0].time_s < track_start + 600:
            continue  # moored all along, or already inside when the log began
        berthed += 1
        arrival = track[: statuses.index(5)]
        near_station = [
            r
            for r in arrival
            if any(distance_m(r.lat, r.lon, s.geometry.y, s.geometry.x) <= 2500 for s in stations)
        ]
        assert near_station, mmsi
        if any(boats(r, within_m=150) for r in near_station):
            met += 1
    assert berthed >= 5
    assert met >= berthed * 0.6  # the rest met theirs between reports, or no boat was free


def test_tugs_escort_ships_to_their_berths() -> None:
    run = simulated()
    tug_fixes = [r for m, t in run.ship_types.items() if t == 52 for r in run.tracks[m]]
    assert sum(1 for r in tug_fixes if (r.sog_kn or 0) > 3) > 100
    tugs = close_in_time(tug_fixes)
    escorted = {
        mmsi
        for mmsi, track in run.tracks.items()
        if run.ship_types.get(mmsi) in (60, 70, 80)
        and any(tugs(r, within_m=400) for r in track if (r.sog_kn or 0) > 2)
    }
    assert len(escorted) >= 10


def close_in_time(fixes: list):
    """A test: is one of ``fixes`` within ``within_m`` of a fix, and 10 s of it?"""
    by_slot = defaultdict(list)
    for fix in fixes:
        by_slot[int(fix.time_s // 10)].append(fix)

    def near(fix, within_m: float) -> bool:
        slot = int(fix.time_s // 10)
        return any(
            abs(other.time_s - fix.time_s) <= 10
            and distance_m(fix.lat, fix.lon, other.lat, other.lon) <= within_m
            for nearby in (slot - 1, slot, slot + 1)
            for other in by_slot.get(nearby, ())
        )

    return near


def test_aids_to_navigation_report_with_the_virtual_flag() -> None:
    aids = simulated().aids
    assert len(aids) == 3
    assert sorted(a.virtual_aid for a in aids.values()) == [False, False, True]
    assert all(a.name for a in aids.values())


@pytest.mark.parametrize("seed", [1, 2])
def test_the_engine_accepts_every_simulated_fix(seed: int) -> None:
    engine = Engine()
    engine.feed(simulated(seed=seed, hours=2.0).lines, source="sim")
    counters = engine.snapshot().counters
    assert counters.fixes_accepted > 1000
    assert counters.fixes_rejected == 0
    assert counters.decode_failures == 0


def test_reported_etas_are_sometimes_right_sometimes_stale_or_hours_off() -> None:
    """What a pilot sees beside our estimate: crews' ETAs are not all to be trusted."""
    engine = Engine()
    run = simulated(seed=5, hours=6.0)
    engine.feed(run.lines, source="sim")
    first_fix = {m: t[0].time_s for m, t in run.tracks.items()}
    errors = []
    for mmsi, vessel in engine.snapshot().vessels.items():
        eta = vessel.static.eta_reported_s
        if eta is None or run.simulator.vessels.get(mmsi) not in ("container", "tanker", "bulk"):
            continue
        errors.append((eta - first_fix[mmsi]) / HOURS)
    assert any(e < 0 for e in errors)  # stale: a time already past when first heard
    assert any(0 < e < 3 for e in errors)
    assert math.isfinite(sum(errors))


def test_simulate_command_writes_a_log_portwatch_reads(tmp_path) -> None:
    import gzip
    import subprocess
    import sys

    log = tmp_path / "bay.nmea.gz"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "portwatch",
            "simulate",
            "--seed",
            "4",
            "--duration",
            "20m",
            "--start",
            "2024-03-12T00:00:00Z",
            "-o",
            str(log),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "arrivals" in run.stderr
    assert "vessels heard:" in run.stderr
    lines = gzip.decompress(log.read_bytes()).decode().splitlines()
    assert lines == list(TrafficSimulator(port(), seed=4).lines(1200))
    broken = tmp_path / "port.geojson"
    broken.write_text('{"type": "FeatureCollection", "features": []}')
    refused = subprocess.run(
        [
            sys.executable,
            "-m",
            "portwatch",
            "simulate",
            "--port",
            str(broken),
            "-o",
            str(tmp_path / "x.nmea"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
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
        [
            sys.executable,
            "-m",
            "portwatch",
            "simulate",
            "--seed",
            "2",
            "--duration",
            "2h",
            "--speed",
            "60",
            "--serve",
            f"tcp://127.0.0.1:{port_number}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
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
    quiet = TrafficProfile.quiet()  # a few lines a second: none lost in a socket buffer
    timed = list(TrafficSimulator(port(), seed=3, profile=quiet).timed_lines(60))
    started = time.monotonic()
    try:
        sent = pace(timed, send, speed=120.0)  # a minute of data in half a second
    finally:
        close()
    assert time.monotonic() - started >= (timed[-1][0] - timed[0][0]) / 120.0 - 0.05
    got = [receiver.recv(4096).decode().rstrip("\r\n") for _ in range(sent)]
    receiver.close()
    assert got == [line for _, line in timed]


def test_report_every_scale_stretches_every_reporting_interval() -> None:
    """A profile's ``report_every_scale`` makes every station report that much less
    often (positions, static data, base stations, aids): about a quarter of the
    lines, each kind of report thinned alike."""
    every = TrafficSimulator(port(), seed=3, profile=TrafficProfile.quiet())
    thinned = TrafficSimulator(
        port(), seed=3, profile=replace(TrafficProfile.quiet(), report_every_scale=4.0)
    )
    lines = [line.encode() for line in every.lines(2 * HOURS)]
    fewer = [line.encode() for line in thinned.lines(2 * HOURS)]
    assert 3.5 < len(lines) / len(fewer) < 4.5
    by_type = StreamDecoder().decode_lines(lines)
    thinned_by_type = StreamDecoder().decode_lines(fewer)
    counts = Counter(record.msg_type for record in by_type)
    thinned_counts = Counter(record.msg_type for record in thinned_by_type)
    for msg_type in (1, 4, 5, 21):  # positions, base stations, static data, aids
        assert 3.0 < counts[msg_type] / thinned_counts[msg_type] < 5.0, msg_type
    # The same traffic: the same stations, but for one that came and went between
    # two of its thinned reports.
    assert set(thinned.vessels) <= set(every.vessels)
    assert len(thinned.vessels) >= 0.9 * len(every.vessels)


def test_imo_numbers_carry_a_valid_check_digit() -> None:
    from portwatch.simulator.ships import imo_number

    assert imo_number(907472) == 9074729  # the example of the IMO's own rule
    engine = Engine()
    engine.feed(simulated(seed=5, hours=1.0).lines, source="sim")
    imos = [v.static.imo for v in engine.snapshot().vessels.values() if v.static.imo]
    assert len(imos) >= 10
    for imo in imos:
        digits = [int(d) for d in str(imo)]
        assert (
            sum(d * w for d, w in zip(digits[:6], range(7, 1, -1), strict=True)) % 10 == digits[6]
        )


def test_the_simulators_encoder_says_what_pyais_would() -> None:
    """The simulator packs its payloads itself (pyais's encoder was four fifths of its
    time): each message type decodes, field for field, as pyais's own encoding of
    the same report does."""
    from pyais.encode import encode_dict

    from portwatch.simulator import encoding

    dims = {"to_bow": 200, "to_stern": 50, "to_port": 16, "to_starboard": 16}
    cases = [
        (
            encoding.position_report(366123456, 5, 12.3, -118.2512, 33.7111, 271.3, 270, 37),
            {
                "msg_type": 1,
                "mmsi": 366123456,
                "status": 5,
                "turn": 0,
                "speed": 12.3,
                "accuracy": 1,
                "lon": -118.2512,
                "lat": 33.7111,
                "course": 271.3,
                "heading": 270,
                "second": 37,
                "maneuver": 0,
            },
        ),
        (
            encoding.class_b_position(338123456, 6.8, -118.1, 33.6, 45.1, 45, 59),
            {
                "msg_type": 18,
                "mmsi": 338123456,
                "speed": 6.8,
                "accuracy": 1,
                "lon": -118.1,
                "lat": 33.6,
                "course": 45.1,
                "heading": 45,
                "second": 59,
                "cs": 1,
            },
        ),
        (
            encoding.base_station(3669900, 2026, 12, 7, 13, 5, 9, -118.27, 33.74),
            {
                "msg_type": 4,
                "mmsi": 3669900,
                "year": 2026,
                "month": 12,
                "day": 7,
                "hour": 13,
                "minute": 5,
                "second": 9,
                "accuracy": 1,
                "lon": -118.27,
                "lat": 33.74,
                "epfd": 7,
            },
        ),
        (
            encoding.aid_to_navigation(
                993669100, 5, "ANGELS GATE LIGHT", -118.2516, 33.7086, 12, False
            ),
            {
                "msg_type": 21,
                "mmsi": 993669100,
                "aid_type": 5,
                "name": "ANGELS GATE LIGHT",
                "accuracy": 1,
                "lon": -118.2516,
                "lat": 33.7086,
                "epfd": 7,
                "second": 12,
            },
        ),
        (
            encoding.static_voyage(
                366100000,
                9074729,
                "WDA1234",
                "PACIFIC STAR",
                70,
                (200, 50, 16, 16),
                (12, 8, 14, 30),
                12.3,
                "USLAX",
            ),
            {
                "msg_type": 5,
                "mmsi": 366100000,
                "imo": 9074729,
                "callsign": "WDA1234",
                "shipname": "PACIFIC STAR",
                "ship_type": 70,
                **dims,
                "month": 12,
                "day": 8,
                "hour": 14,
                "minute": 30,
                "draught": 12.3,
                "destination": "USLAX",
                "epfd": 1,
            },
        ),
        (
            encoding.class_b_static_a(338123456, "SEA WIND"),
            {"msg_type": 24, "mmsi": 338123456, "partno": 0, "shipname": "SEA WIND"},
        ),
        (
            encoding.class_b_static_b(338123456, 37, "WDK1234", (10, 2, 2, 2)),
            {
                "msg_type": 24,
                "mmsi": 338123456,
                "partno": 1,
                "ship_type": 37,
                "callsign": "WDK1234",
                "to_bow": 10,
                "to_stern": 2,
                "to_port": 2,
                "to_starboard": 2,
            },
        ),
    ]

    def fields(message: pyais.messages.ANY_MESSAGE) -> dict:
        """Its fields, an empty text and a missing one alike (a name extension)."""
        return {k: v for k, v in message.asdict().items() if v not in (None, "")}

    for payload, data in cases:
        ours = pyais.decode(*encoding.sentences(payload), error_if_checksum_invalid=True)
        theirs = pyais.decode(*encode_dict(data, talker_id="AI", sentence_type="VDM"))
        assert fields(ours) == fields(theirs), data["msg_type"]


def test_inbound_ships_keep_to_a_speed_zone_and_brake_each_their_own_way() -> None:
    """A speed-reduction zone and each ship's own braking (the profile's knobs): the
    ship slows to the zone's speed where the zone begins and ends at its own speed."""
    from dataclasses import replace

    from portwatch.simulator.motion import Leg, Mover

    mover = Mover(Leg([(0.0, 0.0), (0.0, 30_000.0)], 16.0, end_kn=7.0), speed_kn=16.0)
    mover.slow_from_m, mover.slow_kn = 10_000.0, 12.0
    speeds = {}
    while not mover.arrived:
        mover.advance(10.0)
        speeds[round(mover.sailed_m, -3)] = mover.speed_kn
    assert speeds[5_000.0] == pytest.approx(16.0)  # at sea speed before the zone
    assert speeds[20_000.0] == pytest.approx(12.0)  # at the zone's speed inside it
    assert mover.speed_kn == pytest.approx(7.0, abs=0.2)  # braked to its own end speed
    profile = replace(
        TrafficProfile.quiet(),
        slow_zone_m=20_000.0,
        slow_zone_compliance=1.0,
        approach_variation=True,
    )
    simulator = TrafficSimulator(port(), seed=4, profile=profile)
    route, station = simulator.layout.lanes[0]
    movers = [
        simulator.send_in(
            merchant_ship(simulator.rng, 366_990_000 + n),
            route,
            station,
            simulator.start_s,
            simulator.rng,
        ).mover
        for n in range(10)
    ]
    assert all(m.slow_from_m is not None and m.slow_kn == 12.0 for m in movers)
    assert all(m.leg.length_m - m.slow_from_m == pytest.approx(20_000, abs=3_000) for m in movers)
    assert len({round(m.leg.end_kn, 2) for m in movers}) > 1  # each its own end speed
