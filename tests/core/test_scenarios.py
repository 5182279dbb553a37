"""Scenario injection: each situation shows in the NMEA as an operator (and the
analytics) would meet it, and leaves the rest of the traffic as it was."""

from __future__ import annotations

import itertools

import pytest
import shapely

from portwatch.engine import Engine
from portwatch.geodesy import distance_m
from portwatch.simulator.scenarios import DEFAULT_AT_MIN, KINDS, parse_scenarios
from tests.core.simulated import port, simulated
from tests.core.test_simulated_source import portwatch
from tests.core.test_simulator import pyais_failures

START_S = 1_710_201_600.0


def all_scenarios():
    return simulated(seed=8, hours=2.0, scenarios=("all",))


def injected(kind: str):
    return next(i for i in all_scenarios().simulator.injected if i.kind == kind)


def test_every_kind_is_injected_once_at_its_time() -> None:
    situations = all_scenarios().simulator.injected
    assert sorted(i.kind for i in situations) == sorted(KINDS)
    for situation in situations:
        assert situation.time_s == START_S + DEFAULT_AT_MIN[situation.kind] * 60


def test_garbled_lines_are_the_only_ones_refused() -> None:
    run = all_scenarios()
    garbled = run.simulator.garbled
    assert garbled >= 5
    _, refused = pyais_failures(run.lines)
    assert refused == garbled
    stats = run.decoder.stats
    assert stats.bad_checksum + stats.malformed == garbled
    engine = Engine()
    engine.feed(run.lines, source="sim")
    assert engine.snapshot().counters.decode_failures == garbled


def test_a_receiver_dropout_is_a_gap_in_the_feed() -> None:
    times = [int(line.split("c:")[1].split("*")[0]) for line in all_scenarios().lines]
    gaps = sorted(((b - a, a) for a, b in itertools.pairwise(times)), reverse=True)
    (longest, before), (second, _) = gaps[0], gaps[1]
    dropout = injected("dropout").time_s
    assert before < dropout
    assert before + longest >= dropout + 600
    assert second <= 30


def test_an_anchor_drag_moves_a_ship_reporting_at_anchor() -> None:
    situation = injected("anchor-drag")
    (mmsi,) = situation.mmsis
    track = all_scenarios().tracks[mmsi]
    assert {r.nav_status for r in track} == {1}
    before = [r for r in track if r.time_s < situation.time_s]
    after = [r for r in track if r.time_s > situation.time_s + 200]
    assert len(before) >= 5
    assert max(distance_m(before[0].lat, before[0].lon, r.lat, r.lon) for r in before) < 1
    assert distance_m(before[-1].lat, before[-1].lon, after[-1].lat, after[-1].lon) > 800
    assert max(r.sog_kn for r in after) >= 1.0
    # It drifts stern first: heading opposite to its course over ground.
    drifting = [r for r in after if r.sog_kn >= 1.0]
    assert all(abs((r.heading_deg - r.cog_deg) % 360 - 180) < 2 for r in drifting)


def test_a_close_quarters_encounter_passes_within_two_cables() -> None:
    situation = injected("close-quarters")
    first, second = (all_scenarios().tracks[m] for m in situation.mmsis)
    closest = min(
        distance_m(a.lat, a.lon, *position_at(second, a.time_s))
        for a in first
        if second[0].time_s <= a.time_s <= second[-1].time_s
    )
    assert closest < 370  # two cables; the description says about 94 m
    assert min(r.sog_kn for r in first + second) >= 11.5


def position_at(track: list, time_s: float) -> tuple[float, float]:
    """(lat, lon) of ``track`` at ``time_s``, between the fixes around it."""
    after = next(i for i, r in enumerate(track) if r.time_s >= time_s)
    b = track[after]
    if b.time_s == time_s or after == 0:
        return b.lat, b.lon
    a = track[after - 1]
    share = (time_s - a.time_s) / (b.time_s - a.time_s)
    return a.lat + (b.lat - a.lat) * share, a.lon + (b.lon - a.lon) * share


def test_a_speeding_vessel_exceeds_the_fairway_limits() -> None:
    situation = injected("speeding")
    (mmsi,) = situation.mmsis
    track = all_scenarios().tracks[mmsi]
    fairways = [f for f in port().of_kind("fairway") if "speed_limit_kn" in f.properties]
    over = [
        (f.name, r.sog_kn)
        for r in track
        for f in fairways
        if f.geometry.contains(shapely.Point(r.lon, r.lat))
        and r.sog_kn > f.properties["speed_limit_kn"] + 5
    ]
    assert len(over) >= 10
    assert all_scenarios().ship_types[mmsi] == 40


def test_a_congestion_wave_overfills_the_anchorage() -> None:
    situation = injected("congestion")
    run = all_scenarios()
    name = situation.description.split(" for ")[1].split(" (")[0]
    anchorage = next(a for a in port().of_kind("anchorage") if a.name.startswith(name))
    at_anchor = {
        mmsi
        for mmsi, track in run.tracks.items()
        if track[-1].nav_status == 1
        and anchorage.geometry.contains(shapely.Point(track[-1].lon, track[-1].lat))
    }
    assert len(at_anchor) > anchorage.properties["capacity"]
    assert len(set(situation.mmsis) & at_anchor) >= 8


def test_a_receiver_dropout_only_takes_lines_away() -> None:
    plain = simulated(seed=8, hours=2.0)
    with_dropout = simulated(seed=8, hours=2.0, scenarios=("dropout@30",))
    window = (START_S + 1800, START_S + 2400)
    kept = [
        line
        for line in plain.lines
        if not window[0] <= int(line.split("c:")[1].split("*")[0]) < window[1]
    ]
    assert with_dropout.lines == tuple(kept)


@pytest.mark.parametrize("kind", ["anchor-drag", "close-quarters", "speeding"])
def test_a_situation_leaves_the_other_vessels_as_they_were(kind: str) -> None:
    """Situations that take no berth draw from their own random stream: every other
    vessel reports exactly what it reports without them."""
    plain = simulated(seed=8, hours=2.0)
    with_situation = simulated(seed=8, hours=2.0, scenarios=(kind,))
    (situation,) = with_situation.simulator.injected
    others = {m: t for m, t in with_situation.tracks.items() if m not in situation.mmsis}
    assert others.keys() == plain.tracks.keys()
    for mmsi, track in plain.tracks.items():
        assert [(r.time_s, r.lat, r.lon, r.sog_kn) for r in others[mmsi]] == [
            (r.time_s, r.lat, r.lon, r.sog_kn) for r in track
        ], mmsi


def test_situations_after_the_end_are_reported_as_not_injected(tmp_path) -> None:
    run = portwatch(
        "simulate",
        "--duration",
        "30m",
        "--scenario",
        "speeding@45",
        "--scenario",
        "dropout@10",
        "-o",
        str(tmp_path / "short.nmea"),
    )
    assert run.returncode == 0, run.stderr
    assert "injected dropout" in run.stderr
    assert "not injected: speeding@45 comes after the end" in run.stderr


def test_scenario_names_and_times_are_checked() -> None:
    every = parse_scenarios(["all"])
    assert sorted(s.kind for s in every) == sorted(KINDS)
    assert [s.at_s for s in every] == sorted(s.at_s for s in every)
    assert parse_scenarios(["anchor-drag@15, speeding"])[0].at_s == 900.0
    for wrong in ("drifting", "speeding@soon", "dropout@-5"):
        with pytest.raises(ValueError, match=r"anchor-drag@15|minutes after the start"):
            parse_scenarios([wrong])


def test_simulate_prints_what_it_injected(tmp_path) -> None:
    log = tmp_path / "cq.nmea"
    run = portwatch(
        "simulate",
        "--duration",
        "1h",
        "--scenario",
        "close-quarters@30",
        "--scenario",
        "dropout@50",
        "--start",
        "2024-03-12T00:00:00Z",
        "-o",
        str(log),
    )
    assert run.returncode == 0, run.stderr
    assert "injected close-quarters:" in run.stderr
    assert "injected dropout: the receiver is silent for 10 min from 00:50Z" in run.stderr
    refused = portwatch("simulate", "--scenario", "tsunami", "-o", str(log))
    assert refused.returncode == 2
    assert "unknown scenario 'tsunami'" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_a_port_of_ones_own_without_berth_routes_still_simulates(tmp_path) -> None:
    """A user's port file with a lane in but no berth routes and no coastline: ships
    come in and anchor; situations that need berth routes say they are not possible."""
    import copy

    from tests.core.test_port_file import PORT, write_port

    document = copy.deepcopy(PORT)
    del document["coastline"]
    path = write_port(tmp_path, document)
    run = portwatch(
        "simulate",
        "--port",
        str(path),
        "--seed",
        "3",
        "--duration",
        "6h",
        "--scenario",
        "all",
        "-o",
        str(tmp_path / "own.nmea"),
    )
    assert run.returncode == 0, run.stderr
    assert "injected speeding: not possible: the port file has no route" in run.stderr
    assert "injected dropout: the receiver is silent" in run.stderr
    assert "anchorings" in run.stderr
    anchorings = int(run.stderr.split(" anchorings")[0].split()[-1])
    assert anchorings >= 1
