"""How each scenario puts its situation into the traffic.

Each situation is made of ordinary simulated ships (their own seeded random
stream, their own MMSI range 3679xxxxx), so they look to a receiver like any
others; only their timing and paths are arranged. ``lead_s`` says how long
before the situation a scenario must start setting it up.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import shapely

from portwatch.port.port_file import PortFeature
from portwatch.simulator.agents import Agent
from portwatch.simulator.motion import KNOT_MPS, Leg, Mover
from portwatch.simulator.scenarios import (
    DROPOUT_S,
    GARBLE_SHARE,
    GARBLE_WINDOW_S,
    Injected,
    Scenario,
)
from portwatch.simulator.ships import Ship, fast_ferry, merchant_ship

if TYPE_CHECKING:
    from portwatch.simulator.traffic import TrafficSimulator

WAVE_CRUISE_KN = 13.0
WAVE_GAP_S = 300.0
BERTHS_CLOSED_S = 4 * 3600.0
DRAG_LEAD_S = 3600.0
DRAG_KN = 1.3
DRAG_M = 1000.0
CROSSING_LEG_M = 12_000.0
CROSSING_KN = (14.0, 12.0)
CROSSING_LATE_S = 20.0
"""The second ship reaches the crossing point this much after the first."""
FERRY_KN = 28.0


NEEDS_ROUTES = ("congestion", "anchor-drag", "close-quarters", "speeding")


def lead_s(sim: TrafficSimulator, scenario: Scenario) -> float:
    """Seconds before its time the scenario must set its situation up."""
    if scenario.kind in NEEDS_ROUTES and not _has_routes(sim):
        return 0.0
    if scenario.kind == "congestion":
        route, _ = _congested_lane(sim)
        return route.local.length / (WAVE_CRUISE_KN * KNOT_MPS)
    if scenario.kind == "anchor-drag":
        return DRAG_LEAD_S
    if scenario.kind == "close-quarters":
        return CROSSING_LEG_M / (min(CROSSING_KN) * KNOT_MPS) + CROSSING_LATE_S + 60.0
    return 0.0


def inject(sim: TrafficSimulator, scenario: Scenario, now_s: float) -> None:
    """Set up ``scenario``'s situation; ``now_s`` is ``lead_s`` before its time."""
    at_s = sim.start_s + scenario.at_s
    if scenario.kind in NEEDS_ROUTES and not _has_routes(sim):
        reason = "the port file has no route from sea through a pilot boarding place to a berth"
        sim.injected.append(Injected(scenario.kind, at_s, (), f"not possible: {reason}"))
        return
    situation = {
        "congestion": _congestion_wave,
        "anchor-drag": _anchor_drag,
        "close-quarters": _close_quarters,
        "speeding": _speeding,
        "dropout": _dropout,
        "garbled": _garbled,
    }[scenario.kind](sim, now_s, at_s)
    sim.injected.append(situation)


def start_dragging(sim: TrafficSimulator, agent: Agent) -> None:
    """The anchor lets go of the ground: the ship drifts stern first, still at anchor."""
    agent.drag_at_s = None
    bearing = _open_bearing(sim, (agent.x, agent.y), DRAG_M, start_deg=agent.course_deg)
    end = _ahead((agent.x, agent.y), bearing, DRAG_M)
    agent.phase = "dragging"
    agent.heading_offset_deg = 180.0
    agent.mover = Mover(Leg([(agent.x, agent.y), end], DRAG_KN, end_kn=1.0), speed_kn=0.0)


def _congestion_wave(sim: TrafficSimulator, now_s: float, at_s: float) -> Injected:
    """The berths behind one gate close (wind, a strike) while a wave of ships comes
    in: more than its anchorage holds."""
    route, station = _congested_lane(sim)
    anchorage = sim.layout.anchorage_for(station)
    capacity = int(anchorage.properties["capacity"])
    sim.close_berths(station, at_s + BERTHS_CLOSED_S)
    mmsis = []
    for number in range(capacity + 3):
        ship = merchant_ship(sim.scenario_rng, next(sim.scenario_mmsis))
        ship = _at_speed(ship, WAVE_CRUISE_KN)
        agent = sim.send_in(ship, route, station, now_s + number * WAVE_GAP_S, sim.scenario_rng)
        mmsis.append(agent.ship.mmsi)
    return Injected(
        "congestion",
        at_s,
        tuple(mmsis),
        f"berths behind {station.name} closed until {_hhmm(at_s + BERTHS_CLOSED_S)}; "
        f"{len(mmsis)} ships arrive {WAVE_GAP_S / 60:g} min apart for {anchorage.name} "
        f"({capacity} places)",
    )


def _anchor_drag(sim: TrafficSimulator, now_s: float, at_s: float) -> Injected:
    anchorage = sim.layout.anchorage_for(sim.layout.lanes[0][1])
    ship = merchant_ship(sim.scenario_rng, next(sim.scenario_mmsis))
    inner = anchorage.local.buffer(-300.0)  # room to drag without leaving at once
    area = anchorage.local if inner.is_empty else inner
    x, y = sim.layout.random_point_in(area, sim.scenario_rng)
    agent = Agent(
        ship, "anchored", x, y, course_deg=sim.scenario_rng.uniform(0, 360), rng=sim.scenario_rng
    )
    agent.until_s = agent.drag_at_s = at_s
    agent.eta_s = now_s - 6 * 3600.0
    sim.add(agent, now_s)
    return Injected(
        "anchor-drag",
        at_s,
        (ship.mmsi,),
        f"{ship.name} at anchor in {anchorage.name} since {_hhmm(now_s)} drags about "
        f"{DRAG_M:.0f} m at up to {DRAG_KN} kn from {_hhmm(at_s)}, still reporting at anchor",
    )


def _close_quarters(sim: TrafficSimulator, now_s: float, at_s: float) -> Injected:
    """Two ships passing through on crossing courses, meeting where the traffic
    lanes run into the approach: the second crosses close astern of the first."""
    route = sim.layout.lanes[0][0].local
    meet = route.interpolate(route.length * 0.35)
    meet_xy = (meet.x, meet.y)
    first_deg = _open_bearing(
        sim, meet_xy, CROSSING_LEG_M, sim.scenario_rng.uniform(0, 360), both_ways=True
    )
    second_deg = _open_bearing(sim, meet_xy, CROSSING_LEG_M, first_deg + 90.0, both_ways=True)
    mmsis = []
    names = []
    for bearing, speed_kn, late_s in zip(
        (first_deg, second_deg), CROSSING_KN, (0.0, CROSSING_LATE_S), strict=True
    ):
        ship = _at_speed(merchant_ship(sim.scenario_rng, next(sim.scenario_mmsis)), speed_kn)
        start = _ahead(meet_xy, bearing + 180.0, CROSSING_LEG_M)
        end = _ahead(meet_xy, bearing, CROSSING_LEG_M)
        agent = Agent(ship, "transit", *start, rng=sim.scenario_rng)
        agent.mover = Mover(Leg([start, meet_xy, end], speed_kn, end_kn=speed_kn), speed_kn)
        agent.eta_s = at_s + 86400.0
        sim.add(agent, at_s + late_s - CROSSING_LEG_M / (speed_kn * KNOT_MPS))
        mmsis.append(ship.mmsi)
        names.append(ship.name)
    closest_m = _closest_approach_m(first_deg, second_deg, *CROSSING_KN, CROSSING_LATE_S)
    lon, lat = sim.port.plane.to_lonlat(*meet_xy)
    return Injected(
        "close-quarters",
        at_s,
        tuple(mmsis),
        f"{names[0]} ({CROSSING_KN[0]:g} kn, {first_deg:03.0f}°) and {names[1]} "
        f"({CROSSING_KN[1]:g} kn, {second_deg:03.0f}°) cross near {float(lat):.4f}, "
        f"{float(lon):.4f} at {_hhmm(at_s)}, about {closest_m:.0f} m apart at closest",
    )


def _speeding(sim: TrafficSimulator, now_s: float, at_s: float) -> Injected:
    """A fast ferry leaves a terminal at full speed through the speed-limited channels."""
    station = next(s for _, s in sim.layout.lanes if sim.layout.berth_routes.get(s.name))
    berth, berth_route = sim.layout.berth_routes[station.name][0]
    lane = next(list(r.local.coords) for r, s in sim.layout.lanes if s is station)
    path = berth_route[::-1] + lane[::-1][1:]
    ship = fast_ferry(sim.scenario_rng, next(sim.scenario_mmsis))
    agent = Agent(ship, "transit", *path[0], rng=sim.scenario_rng)
    agent.mover = Mover(Leg(path, FERRY_KN, end_kn=FERRY_KN), 0.0, accel_kn_s=0.1)
    sim.add(agent, at_s)
    line = shapely.LineString(path)
    limited = [
        f
        for f in sim.port.of_kind("fairway")
        if f.properties.get("speed_limit_kn") is not None and line.intersects(f.local)
    ]
    limits = ", ".join(f"{f.name} ({f.properties['speed_limit_kn']:g} kn)" for f in limited)
    return Injected(
        "speeding",
        at_s,
        (ship.mmsi,),
        f"{ship.name} leaves {berth.name} at {_hhmm(at_s)} and runs at up to {FERRY_KN:g} kn "
        f"through {limits or 'the approach'}",
    )


def _dropout(sim: TrafficSimulator, now_s: float, at_s: float) -> Injected:
    sim.withhold(at_s, DROPOUT_S)
    return Injected(
        "dropout",
        at_s,
        (),
        f"the receiver is silent for {DROPOUT_S / 60:g} min from {_hhmm(at_s)}",
    )


def _garbled(sim: TrafficSimulator, now_s: float, at_s: float) -> Injected:
    sim.garble_from(at_s, GARBLE_WINDOW_S)
    return Injected(
        "garbled",
        at_s,
        (),
        f"about 1 in {1 / GARBLE_SHARE:.0f} single-sentence lines garbled for "
        f"{GARBLE_WINDOW_S / 60:g} min from {_hhmm(at_s)}",
    )


def _has_routes(sim: TrafficSimulator) -> bool:
    layout = sim.layout
    return any(layout.berth_routes.get(station.name) for _, station in layout.lanes)


def _congested_lane(sim: TrafficSimulator) -> tuple[PortFeature, PortFeature]:
    """The lane whose anchorage holds the fewest ships: the wave shows there first."""
    return min(
        sim.layout.lanes,
        key=lambda lane: (sim.layout.anchorage_for(lane[1]).properties["capacity"], lane[0].name),
    )


def _at_speed(ship: Ship, cruise_kn: float) -> Ship:
    return replace(ship, cruise_kn=cruise_kn)


def _ahead(
    point: tuple[float, float], bearing_deg: float, distance_m: float
) -> tuple[float, float]:
    bearing = math.radians(bearing_deg)
    return point[0] + math.sin(bearing) * distance_m, point[1] + math.cos(bearing) * distance_m


def _open_bearing(
    sim: TrafficSimulator,
    point: tuple[float, float],
    distance_m: float,
    start_deg: float,
    both_ways: bool = False,
) -> float:
    """The bearing nearest ``start_deg`` along which ``distance_m`` (each way, with
    ``both_ways``) is open water."""
    for turn in range(36):
        bearing = (start_deg + (turn // 2 + 1) * 10.0 * (-1) ** turn - (turn == 0) * 10.0) % 360.0
        ends = [_ahead(point, bearing, distance_m)]
        if both_ways:
            ends.append(_ahead(point, bearing + 180.0, distance_m))
        if not any(shapely.LineString([point, end]).intersects(sim.layout.land) for end in ends):
            return bearing
    return start_deg % 360.0


def _closest_approach_m(
    first_deg: float, second_deg: float, first_kn: float, second_kn: float, late_s: float
) -> float:
    """Closest distance of two straight tracks through one point, the second ``late_s`` after."""

    def velocity(bearing_deg: float, speed_kn: float) -> tuple[float, float]:
        bearing = math.radians(bearing_deg)
        return math.sin(bearing) * speed_kn * KNOT_MPS, math.cos(bearing) * speed_kn * KNOT_MPS

    (ax, ay), (bx, by) = velocity(first_deg, first_kn), velocity(second_deg, second_kn)
    # Relative to the first ship at t=0 (first at the point), the second is at -b*late.
    px, py = -bx * late_s, -by * late_s
    vx, vy = bx - ax, by - ay
    t = max(0.0, -(px * vx + py * vy) / ((vx * vx + vy * vy) or 1.0))
    return math.hypot(px + vx * t, py + vy * t)


def _hhmm(time_s: float) -> str:
    return datetime.fromtimestamp(time_s, UTC).strftime("%H:%MZ")
