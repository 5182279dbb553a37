r"""The operator's watch: time of one full analytics pass at 5,000 to 20,000 vessels.

Why: the analytics run in the engine's thread every ten seconds of data time, so
a pass must stay well inside what the live picture can spare, and grow with the
fleet, not with its square (a national feed brings 20,000 vessels at once).

Each size gets a crowd in the demo port's zones (its real anchorages, fairways,
berths and restricted areas) with the approach zone widened to a 100 km square,
so that 20,000 vessels are one to two per square kilometre, the density of the
busiest real waters. As such waters hold them: a tenth at anchor (at most twice
the anchorages' capacity, status 1), a twentieth moored in the berths, and of the
rest 55 % at rest (marinas, fishing boats: class B under 1 kn), 15 % small craft
crossing on any course at 4-10 kn, and 30 % ships at 11-15 kn in eight lanes
across the square, each a pair of one-way lanes 2 km apart as in a separation
scheme. Each size is timed twice: with *every* vessel sending a new fix before
each pass (the worst case), and with each at its ITU reporting rate (10 s under
way, 30 s for small craft, 3 min at anchor or at rest: what a live pass sees). A
pass includes copying the fixes into columns, zone containment, at-anchor state
and drag, anchorage levels, ETAs and arrivals, speeding, and close quarters with
its grid. Median of ``--passes`` passes after two to warm up; the close-quarters
part is also timed on its own, and the open alerts counted (a crowd this dense
has thousands of true encounters).

Baseline, same run, same vessels: close quarters over *all* pairs (numpy, in
blocks of rows so that 20,000 vessels' 200 million pairs fit in memory), which
is what the grid saves.

Targets: <= 50 ms per full pass at 10,000 vessels; 20,000 within 2.2x of 10,000.

In one square, twice the vessels meet twice as many others each: the true
encounters (the open alerts), and the close-quarters work that must look at each,
grow fourfold, which no index can avoid. A second table therefore grows the
square with the fleet, keeping the density of 10,000 in the 100 km square: the
growth left there is the analytics' own (``--no-same-density`` leaves it out).

    python benchmarks/analytics.py [--sizes 5000 10000 20000] [--passes 15] [--no-same-density]
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import time
from dataclasses import dataclass, replace

import numpy as np
import shapely

from portwatch.analytics import PortAnalytics
from portwatch.analytics.encounters import cpa_tcpa
from portwatch.bundled import DEMO_PORT, bundled_file
from portwatch.port.port_file import Port, PortFeature, load_port
from portwatch.vessel import Fix, StaticData, VesselState

START_S = 1_760_000_000.0
KNOT_MPS = 1852.0 / 3600.0


WIDE_APPROACH_M = 50_000.0
"""Half the side of the square the benchmark watches: 100 km by 100 km around the port."""


def wide_port(port: Port, half_m: float = WIDE_APPROACH_M) -> Port:
    """The demo port with its approach zone widened to a 100 km square: a crowd of
    20,000 vessels at the density of the busiest real waters (one to two per km²,
    the Singapore Strait's) needs that much sea; the anchorages, fairways, berths
    and restricted areas stay the port's own."""
    half = half_m
    lon, lat = port.plane.to_lonlat([-half, half, half, -half], [-half, -half, half, half])
    polygon = shapely.Polygon(zip(lon, lat, strict=True))
    approach = PortFeature(
        "approach", "Wide approach", {}, polygon, port.plane.geometry_to_local(polygon)
    )
    features = tuple(f for f in port.features if f.kind != "approach")
    return replace(port, features=(approach, *features))


LANES = 8
"""Traffic lanes across the square, like a separation scheme: each a pair of
one-way lanes 2 km apart, at its own angle."""


def crowd(port: Port, size: int, seed: int) -> dict[int, VesselState]:
    """``size`` vessels in the approach zone, as a busy sea holds them: a few per
    anchor berth at anchor, some moored, fishing and pleasure craft working slowly or
    crossing on any course, and ships under way in lanes (see the module docstring)."""
    rng = random.Random(seed)
    approach = port.of_kind("approach")[0].local
    half = approach.bounds[2]
    anchorages = port.of_kind("anchorage")
    berths = [f.local for f in port.of_kind("berth")]
    at_anchor = min(size // 10, 2 * sum(int(a.properties["capacity"]) for a in anchorages))
    moored = min(size // 20, 8 * len(berths))
    lanes = [(rng.uniform(0, 180), rng.uniform(-0.6 * half, 0.6 * half)) for _ in range(LANES)]

    def inside(polygon: shapely.Geometry) -> tuple[float, float]:
        x0, y0, x1, y1 = polygon.bounds
        while True:
            x, y = rng.uniform(x0, x1), rng.uniform(y0, y1)
            if shapely.contains_xy(polygon, x, y):
                return x, y

    vessels = {}
    for n in range(size):
        mmsi = 200_000_000 + n
        ship_type = rng.choice((70, 70, 80, 60))
        kind = "class_a"
        course = rng.uniform(0, 360)
        if n < at_anchor:
            x, y = inside(rng.choice(anchorages).local)
            sog, status = rng.uniform(0.0, 0.3), 1
        elif n < at_anchor + moored:
            x, y = inside(rng.choice(berths))
            sog, status = 0.0, 5
        elif (role := rng.random()) < 0.55:  # at rest: marinas, fishing boats, laid-up
            x, y = inside(approach)
            kind, ship_type = "class_b", rng.choice((30, 37))
            sog, status = rng.uniform(0.0, 0.8), 7
        elif role < 0.70:  # pleasure and fishing craft crossing on any course
            x, y = inside(approach)
            kind, ship_type = "class_b", rng.choice((30, 37))
            sog, status = rng.uniform(4.0, 10.0), 7
        else:  # a ship in a lane, either way, within a few hundred metres of its line
            angle, offset = rng.choice(lanes)
            way = rng.choice((0.0, 180.0))
            along = rng.uniform(-half, half)
            side = offset + (1_000 if way else -1_000) + rng.gauss(0, 300)
            rad = math.radians(angle)
            x = along * math.sin(rad) + side * math.cos(rad)
            y = along * math.cos(rad) - side * math.sin(rad)
            if abs(x) > half or abs(y) > half:
                x, y = inside(approach)
            course = (angle + way + rng.gauss(0, 2)) % 360
            sog, status = rng.uniform(11.0, 15.0), 0
        lon, lat = port.plane.to_lonlat(x, y)
        state = VesselState(mmsi=mmsi, kind=kind, first_seen_s=START_S, last_heard_s=START_S)
        state.static = StaticData(
            name=f"VESSEL {n}", ship_type=ship_type, to_bow_m=150, to_stern_m=40
        )
        state.fix = Fix(
            mmsi, START_S, float(lat), float(lon), sog, course, round(course) % 360, status, "bench"
        )
        vessels[mmsi] = state
    return vessels


def reporting_interval_s(state: VesselState) -> float:
    """ITU-R M.1371's nominal interval: 10 s under way (class A), 3 min at anchor or
    moored, 30 s for class B moving, 3 min slow."""
    fix = state.fix
    if state.kind == "class_b":
        return 30.0 if (fix.sog_kn or 0) > 2 else 180.0
    return 180.0 if fix.nav_status in (1, 5) else 10.0


def move_all(
    port: Port, vessels: dict[int, VesselState], now_s: float, at_rates: bool = False
) -> None:
    """Every vessel reports again at ``now_s``, moved on along its course; with
    ``at_rates`` only those whose reporting interval has come round."""
    for state in vessels.values():
        fix = state.fix
        if at_rates and now_s - fix.time_s < reporting_interval_s(state):
            continue
        step_m = (fix.sog_kn or 0.0) * KNOT_MPS * (now_s - fix.time_s)
        course = math.radians(fix.cog_deg or 0.0)
        x, y = port.plane.to_local(fix.lon, fix.lat)
        lon, lat = port.plane.to_lonlat(
            x + step_m * math.sin(course), y + step_m * math.cos(course)
        )
        state.fix = fix._replace(time_s=now_s, lat=float(lat), lon=float(lon))
        state.last_heard_s = now_s


@dataclass(frozen=True, slots=True)
class Timing:
    pass_s: float
    """Median time of a pass."""
    cpa_s: float
    """Median time of its close-quarters part."""
    changed: float
    """Mean number of vessels with a new fix per pass."""
    events: int
    open_alerts: int


def time_passes(port: Port, size: int, passes: int, seed: int, at_rates: bool) -> Timing:
    """Time ``passes`` passes (after two to warm up) over a crowd of ``size``."""
    vessels = crowd(port, size, seed)
    analytics = PortAnalytics(port)
    now = START_S
    analytics.run(vessels, now)
    events, changed = 0, 0
    totals, cpa_parts = [], []
    original = analytics._encounters
    cpa_time = [0.0]

    def timed_encounters(now_s, out):
        started = time.perf_counter()
        original(now_s, out)
        cpa_time[0] = time.perf_counter() - started

    analytics._encounters = timed_encounters
    for n in range(passes + 2):
        now += 10.0
        before = {m: s.fix for m, s in vessels.items()}
        move_all(port, vessels, now, at_rates)
        started = time.perf_counter()
        events += len(analytics.run(vessels, now))
        elapsed = time.perf_counter() - started
        if n >= 2:
            totals.append(elapsed)
            cpa_parts.append(cpa_time[0])
            changed += sum(1 for m, s in vessels.items() if s.fix is not before[m])
    return Timing(
        statistics.median(totals),
        statistics.median(cpa_parts),
        changed / passes,
        events,
        len(analytics.alerts.open),
    )


def all_pairs_time(port: Port, size: int, seed: int, lookahead_s: float = 720.0) -> float:
    """Close quarters over every pair of the same vessels, in blocks (baseline)."""
    vessels = crowd(port, size, seed)
    fixes = [state.fix for state in vessels.values()]
    x, y = port.plane.to_local(np.array([f.lon for f in fixes]), np.array([f.lat for f in fixes]))
    speed = np.array([f.sog_kn for f in fixes]) * KNOT_MPS
    course = np.radians([f.cog_deg for f in fixes])
    vx, vy = speed * np.sin(course), speed * np.cos(course)
    started = time.perf_counter()
    found = 0
    block = max(1, 20_000_000 // max(size, 1))
    for first in range(0, size, block):
        rows = np.arange(first, min(size, first + block))
        dx = x[None, :] - x[rows, None]
        dy = y[None, :] - y[rows, None]
        cpa, tcpa = cpa_tcpa(dx, dy, vx[None, :] - vx[rows, None], vy[None, :] - vy[rows, None])
        upper = np.arange(size)[None, :] > rows[:, None]
        found += int(np.count_nonzero(upper & (cpa < 463.0) & (tcpa >= 0) & (tcpa <= lookahead_s)))
    return time.perf_counter() - started


def same_density_half_m(size: int) -> float:
    """Half the side of the square that holds ``size`` vessels at the density of
    10,000 in the 100 km square: the sea grows with the fleet."""
    return WIDE_APPROACH_M * math.sqrt(size / 10_000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5_000, 10_000, 20_000])
    parser.add_argument("--passes", type=int, default=15)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--no-same-density",
        action="store_true",
        help="leave out the second table (the sea grown with the fleet)",
    )
    args = parser.parse_args()
    base = load_port(bundled_file(DEMO_PORT))
    port = wide_port(base)
    print(f"port: {port.name}, approach widened to 100 km x 100 km; median of {args.passes} passes")
    header = (
        f"{'vessels':>8} {'reporting':>12} {'new fixes':>9} {'pass ms':>8} {'CPA ms':>7} "
        f"{'open alerts':>11}"
    )
    print(f"{header} {'all-pairs CPA ms':>17}")
    results: dict[tuple[int, bool], float] = {}
    for size in args.sizes:
        baseline_s = all_pairs_time(port, size, args.seed)
        for at_rates in (False, True):
            t = time_passes(port, size, args.passes, args.seed, at_rates)
            results[(size, at_rates)] = t.pass_s
            print(f"{_row(size, at_rates, t)} {baseline_s * 1e3:>17.1f}", flush=True)
    for at_rates, label in ((False, "every vessel reporting"), (True, "at ITU rates")):
        if (10_000, at_rates) in results:
            ms = results[(10_000, at_rates)] * 1e3
            verdict = "met" if ms <= 50 else "NOT met"
            print(f"target <= 50 ms at 10,000 vessels, {label}: {ms:.1f} ms ({verdict})")
        if (10_000, at_rates) in results and (20_000, at_rates) in results:
            growth = results[(20_000, at_rates)] / results[(10_000, at_rates)]
            verdict = "met" if growth <= 2.2 else "NOT met"
            print(f"target 20,000 within 2.2x of 10,000, {label}: {growth:.2f}x ({verdict})")
    if args.no_same_density:
        return
    # In one square, twice the vessels make four times the true encounters (each
    # meets twice as many others): the alerts themselves grow with the square of
    # the density. With the sea grown with the fleet, the density (and what each
    # vessel meets) stays that of 10,000 in the 100 km square, so the growth left
    # is the analytics' own.
    print("\nsame density as 10,000 in 100 km x 100 km (the square grows with the fleet)")
    print(header)
    grown: dict[tuple[int, bool], float] = {}
    for size in args.sizes:
        sea = wide_port(base, same_density_half_m(size))
        for at_rates in (False, True):
            t = time_passes(sea, size, args.passes, args.seed, at_rates)
            grown[(size, at_rates)] = t.pass_s
            print(_row(size, at_rates, t), flush=True)
    for at_rates, label in ((False, "every vessel reporting"), (True, "at ITU rates")):
        if (10_000, at_rates) in grown and (20_000, at_rates) in grown:
            growth = grown[(20_000, at_rates)] / grown[(10_000, at_rates)]
            print(f"growth 10,000 -> 20,000 at the same density, {label}: {growth:.2f}x")


def _row(size: int, at_rates: bool, t: Timing) -> str:
    return (
        f"{size:>8} {'ITU rates' if at_rates else 'every vessel':>12} {t.changed:>9.0f} "
        f"{t.pass_s * 1e3:>8.1f} {t.cpa_s * 1e3:>7.1f} {t.open_alerts:>11}"
    )


if __name__ == "__main__":
    main()
