r"""The operator's watch: time of one full analytics pass at 5,000 to 20,000 vessels.

Why: the analytics run in the engine's thread every ten seconds of data time, so
a pass must stay well inside what the live picture can spare, and grow with the
fleet, not with its square (a national feed brings 20,000 vessels at once).

Each size gets a crowd spread over the demo port's approach zone (its real
anchorages, fairways, berths and restricted areas): a fifth at anchor inside the
anchorages (status 1, some dragging), a tenth moored, the rest under way at
4-20 kn on random courses, a third of those class B. A *full* pass is the worst
case: every vessel sends a new fix before it (a live pass sees only the vessels
that reported in the last ten seconds). The pass includes copying the fixes into
columns, zone containment, at-anchor state and drag, anchorage levels, speeding
and close quarters with its spatial index. Median of ``--passes`` passes, after
two warm-up passes; the CPA part is also timed on its own.

Baseline, same run, same vessels: close quarters over *all* pairs (numpy, in
blocks of rows so that 20,000 vessels' 200 million pairs fit in memory), which
is what the index saves.

Targets: <= 50 ms per full pass at 10,000 vessels; 20,000 within 2.2x of 10,000.

    python benchmarks/analytics.py [--sizes 5000 10000 20000] [--passes 15]
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import time
from dataclasses import replace

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


def wide_port(port: Port) -> Port:
    """The demo port with its approach zone widened to a 100 km square: a crowd of
    20,000 vessels at the density of the busiest real waters (one to two per km²,
    the Singapore Strait's) needs that much sea; the anchorages, fairways, berths
    and restricted areas stay the port's own."""
    half = WIDE_APPROACH_M
    lon, lat = port.plane.to_lonlat([-half, half, half, -half], [-half, -half, half, half])
    polygon = shapely.Polygon(zip(lon, lat, strict=True))
    approach = PortFeature(
        "approach", "Wide approach", {}, polygon, port.plane.geometry_to_local(polygon)
    )
    features = tuple(f for f in port.features if f.kind != "approach")
    return replace(port, features=(approach, *features))


def crowd(port: Port, size: int, seed: int) -> dict[int, VesselState]:
    """``size`` vessels placed in the approach zone (see the module docstring)."""
    rng = random.Random(seed)
    approach = port.of_kind("approach")[0].local
    anchorages = [f.local for f in port.of_kind("anchorage")]
    berths = [f.local for f in port.of_kind("berth")]

    def inside(polygon: shapely.Geometry) -> tuple[float, float]:
        x0, y0, x1, y1 = polygon.bounds
        while True:
            x, y = rng.uniform(x0, x1), rng.uniform(y0, y1)
            if shapely.contains_xy(polygon, x, y):
                return x, y

    vessels = {}
    for n in range(size):
        mmsi = 200_000_000 + n
        role = rng.random()
        ship_type = rng.choice((70, 70, 80, 60))
        kind = "class_a"
        if role < 0.10:
            x, y = inside(rng.choice(anchorages))
            sog, status = rng.uniform(0.0, 0.3), 1
        elif role < 0.15:
            x, y = inside(rng.choice(berths))
            sog, status = 0.0, 5
        elif role < 0.40:  # fishing and pleasure craft, drifting or working slowly
            x, y = inside(approach)
            sog, status, kind, ship_type = rng.uniform(0.0, 3.0), 7, "class_b", rng.choice((30, 37))
        elif role < 0.55:
            x, y = inside(approach)
            sog, status, kind, ship_type = rng.uniform(4.0, 10.0), 0, "class_b", 37
        else:
            x, y = inside(approach)
            sog, status = rng.uniform(6.0, 16.0), 0
        lon, lat = port.plane.to_lonlat(x, y)
        course = rng.uniform(0, 360)
        state = VesselState(mmsi=mmsi, kind=kind, first_seen_s=START_S, last_heard_s=START_S)
        state.static = StaticData(
            name=f"VESSEL {n}", ship_type=ship_type, to_bow_m=150, to_stern_m=40
        )
        state.fix = Fix(
            mmsi, START_S, float(lat), float(lon), sog, course, round(course) % 360, status, "bench"
        )
        vessels[mmsi] = state
    return vessels


def move_all(port: Port, vessels: dict[int, VesselState], now_s: float) -> None:
    """Every vessel reports again at ``now_s``, moved on along its course."""
    for state in vessels.values():
        fix = state.fix
        step_m = (fix.sog_kn or 0.0) * KNOT_MPS * (now_s - fix.time_s)
        course = math.radians(fix.cog_deg or 0.0)
        x, y = port.plane.to_local(fix.lon, fix.lat)
        lon, lat = port.plane.to_lonlat(
            x + step_m * math.sin(course), y + step_m * math.cos(course)
        )
        state.fix = fix._replace(time_s=now_s, lat=float(lat), lon=float(lon))
        state.last_heard_s = now_s


def time_passes(port: Port, size: int, passes: int, seed: int) -> tuple[float, float, int]:
    """Median full-pass time (s), median CPA-part time (s) and events raised."""
    vessels = crowd(port, size, seed)
    analytics = PortAnalytics(port)
    now = START_S
    analytics.run(vessels, now)
    events = 0
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
        move_all(port, vessels, now)
        started = time.perf_counter()
        events += len(analytics.run(vessels, now))
        elapsed = time.perf_counter() - started
        if n >= 2:
            totals.append(elapsed)
            cpa_parts.append(cpa_time[0])
    return statistics.median(totals), statistics.median(cpa_parts), events


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5_000, 10_000, 20_000])
    parser.add_argument("--passes", type=int, default=15)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    port = wide_port(load_port(bundled_file(DEMO_PORT)))
    print(f"port: {port.name}; full passes (every vessel with a new fix), median of {args.passes}")
    print(f"{'vessels':>8} {'pass ms':>9} {'CPA part':>9} {'all-pairs CPA ms':>17} {'events':>7}")
    results = {}
    for size in args.sizes:
        pass_s, cpa_s, events = time_passes(port, size, args.passes, args.seed)
        baseline_s = all_pairs_time(port, size, args.seed)
        results[size] = pass_s
        print(
            f"{size:>8} {pass_s * 1e3:>9.1f} {cpa_s * 1e3:>9.1f} {baseline_s * 1e3:>17.1f} "
            f"{events:>7}"
        )
    if 10_000 in results:
        verdict = "met" if results[10_000] <= 0.050 else "NOT met"
        print(f"target <= 50 ms at 10,000 vessels: {results[10_000] * 1e3:.1f} ms ({verdict})")
    if 10_000 in results and 20_000 in results:
        growth = results[20_000] / results[10_000]
        verdict = "met" if growth <= 2.2 else "NOT met"
        print(f"target 20,000 within 2.2x of 10,000: {growth:.2f}x ({verdict})")


if __name__ == "__main__":
    main()
