"""The default simulated port is as busy as San Pedro Bay on an ordinary weekday:
150-300 stations at once, about 40 % class B craft and 20 % harbour craft, 15-30
ships at anchor from the moment it opens, pleasure craft that sail, harbour craft
at their bases, ships end to end along the quays and never two in one place."""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import combinations

import shapely

from portwatch.geodesy import distance_m
from portwatch.simulator.traffic import TrafficSimulator
from tests.core.simulated import HOURS, port, simulated

HARBOUR_CRAFT = {"tug", "pilot boat", "port tender", "fast ferry"}
CLASS_B = {"pleasure craft", "sailing yacht", "fishing"}


def busy():
    return simulated(seed=5, hours=3.0, busy=True)


def test_the_bay_holds_as_many_stations_as_the_real_one_of_each_kind() -> None:
    simulator = TrafficSimulator(port(), seed=11)
    samples: list[Counter[str]] = []
    at_anchor = []
    lines = 0
    next_sample_s = simulator.start_s
    for time_s, _ in simulator.timed_lines(3 * HOURS):
        lines += 1
        if time_s >= next_sample_s:
            samples.append(simulator.present())
            at_anchor.append(simulator.at_anchor())
            next_sample_s += 1800.0
    assert len(samples) >= 6
    for kinds in samples:
        total = sum(kinds.values())
        assert 150 <= total <= 300, kinds
        assert 0.35 <= sum(kinds[k] for k in CLASS_B) / total <= 0.5, kinds
        assert 0.15 <= sum(kinds[k] for k in HARBOUR_CRAFT) / total <= 0.25, kinds
    assert all(15 <= n <= 30 for n in at_anchor), at_anchor
    assert lines / (3 * HOURS) >= 10.0  # messages a second


def test_ships_lie_at_anchor_when_it_opens() -> None:
    """In the first three minutes of output, more than fifteen ships are heard
    lying still in the anchorages: the port opens as it is, not empty."""
    run = busy()
    anchorages = shapely.union_all([a.geometry for a in port().of_kind("anchorage")])
    opening = run.simulator.start_s + 180.0
    lying = {
        mmsi
        for mmsi, track in run.tracks.items()
        for r in track
        if r.time_s <= opening
        and (r.sog_kn or 0.0) < 0.5
        and anchorages.contains(shapely.Point(r.lon, r.lat))
        and run.ship_types.get(mmsi, 0) // 10 in (6, 7, 8)
    }
    assert len(lying) >= 15
    statuses = {r.nav_status for m in lying for r in run.tracks[m]}
    assert 1 in statuses  # some crews set "at anchor"; the rest leave "under way" on


def test_pleasure_craft_sail_about_the_bay() -> None:
    """Class B craft out in the bay are under way most of the time, each on its own
    course (they all lay still, heading north, before)."""
    run = busy()
    sailing = {
        m: t
        for m, t in run.tracks.items()
        if t[0].msg_type == 18 and max(r.sog_kn or 0.0 for r in t) > 0.0
    }
    class_b = [m for m, t in run.tracks.items() if t[0].msg_type == 18]
    assert len(sailing) >= 0.5 * len(class_b)
    moving = [r for t in sailing.values() for r in t if (r.sog_kn or 0.0) > 2.0]
    assert len(moving) >= 0.6 * sum(len(t) for t in sailing.values())
    assert len({round(r.heading_deg or 0, -1) for r in moving}) >= 30


def test_tugs_and_pilot_boats_lie_at_their_bases_not_in_the_fairways() -> None:
    run = busy()
    bases = [b for b in port().of_kind("berth") if b.properties.get("use") in ("tugs", "pilots")]
    fairways = shapely.union_all([f.geometry for f in port().of_kind("fairway")])
    home = shapely.union_all([b.geometry.buffer(0.0002) for b in bases])
    lying = [
        t[0]
        for m, t in run.tracks.items()
        if run.ship_types.get(m) in (50, 52) and (t[0].sog_kn or 0.0) == 0.0
    ]
    assert len(lying) >= 25  # at the opening: all but those already out on a job
    for fix in lying:
        point = shapely.Point(fix.lon, fix.lat)
        assert home.contains(point), fix.mmsi
        assert not fairways.contains(point), fix.mmsi


def test_never_two_ships_at_one_berth() -> None:
    """Ships lying along one quay lie end to end: their middles are at least half
    their lengths added apart, every quarter of an hour of a busy morning and of a
    quiet day (berths turning over)."""
    for run, hours in ((busy(), 3.0), (simulated(), 24.0)):
        berths = [b for b in port().of_kind("berth") if "use" not in b.properties]
        start = run.simulator.start_s
        checked = 0
        for quarter in range(int(hours * 4)):
            now = start + quarter * 900.0
            lying: dict[str, list[tuple[int, float, float]]] = defaultdict(list)
            for mmsi, track in run.tracks.items():
                if mmsi not in run.lengths_m or run.ship_types.get(mmsi, 0) // 10 not in (6, 7, 8):
                    continue
                last = next((r for r in reversed(track) if r.time_s <= now), None)
                if last is None or now - last.time_s > 200 or (last.sog_kn or 0.0) > 0.3:
                    continue
                for berth in berths:
                    if berth.geometry.contains(shapely.Point(last.lon, last.lat)):
                        lying[berth.name].append((mmsi, last.lat, last.lon))
            for ships in lying.values():
                for (a, lat_a, lon_a), (b, lat_b, lon_b) in combinations(ships, 2):
                    apart_m = distance_m(lat_a, lon_a, lat_b, lon_b)
                    assert apart_m >= (run.lengths_m[a] + run.lengths_m[b]) / 2, (a, b)
                    checked += 1
        assert checked >= 100


def test_without_a_seed_each_run_differs_and_says_its_seed() -> None:
    first, second = TrafficSimulator(port()), TrafficSimulator(port())
    assert first.seed != second.seed
    again = TrafficSimulator(port(), seed=first.seed)
    assert list(first.lines(600)) == list(again.lines(600))
