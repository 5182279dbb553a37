"""The port's small traffic: pleasure and fishing craft sailing the bay or lying in
the marinas (class B), port tenders patrolling the channels now and then, and the
high-speed island ferries shuttling from their terminals out to sea and back."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

import shapely

from portwatch.port.port_file import PortFeature
from portwatch.simulator.agents import Agent
from portwatch.simulator.escort import SMALL_CRAFT_ACCEL_KN_S
from portwatch.simulator.motion import Leg, Mover
from portwatch.simulator.ships import fast_ferry, harbour_craft, pleasure_craft, small_craft_kind

if TYPE_CHECKING:
    from portwatch.simulator.traffic import TrafficSimulator

Point = tuple[float, float]
FOREVER = float("inf")
HARBOUR_KN = 8.0
"""Speed inside the breakwater, where the channels' limits hold."""
PATROL_KN = 7.0
FERRY_SEA_M = 25_000.0
"""How far out to sea a ferry runs before it is out of the receiver's range."""
FERRY_AWAY_S = (1.5 * 3600, 2.5 * 3600)
"""Crossing on, at the island and back into range."""
FERRY_DWELL_S = (30 * 60, 70 * 60)
CRAFT_SPACING_M = 12.0


def place_small_craft(sim: TrafficSimulator, time_s: float) -> None:
    place_pleasure_craft(sim, time_s)
    place_tenders(sim, time_s)
    place_ferries(sim, time_s)


def place_pleasure_craft(sim: TrafficSimulator, time_s: float) -> None:
    """Class B craft out in the bay (drifting a while before they get going) and
    lying in the marinas."""
    rng = sim.rng
    for _ in range(sim.profile.pleasure_sailing):
        ship = pleasure_craft(
            rng, 338_000_000 + rng.randrange(1_000, 999_999), small_craft_kind(rng)
        )
        x, y = sim.layout.random_water_point(rng)
        agent = Agent(ship, "drifting", x, y, course_deg=rng.uniform(0, 360))
        agent.until_s = time_s + rng.uniform(0, 900)
        sim.add(agent, time_s + rng.uniform(0, 30))
    marinas = sim.layout.marinas()
    taken: dict[str, list[Point]] = {}
    for number in range(sim.profile.pleasure_moored if marinas else 0):
        marina = marinas[number % len(marinas)]
        kind = "fishing" if marina.properties.get("use") == "fishing" else small_craft_kind(rng)
        ship = pleasure_craft(rng, 338_000_000 + rng.randrange(1_000, 999_999), kind)
        x, y = _spot_in(sim, marina, taken.setdefault(marina.name, []), rng)
        agent = Agent(ship, "at_marina", x, y, course_deg=rng.choice((0.0, 90.0, 180.0, 270.0)))
        agent.until_s = FOREVER
        sim.add(agent, time_s + rng.uniform(0, 180))


def place_tenders(sim: TrafficSimulator, time_s: float) -> None:
    """Port tenders at the tug bases, each out on patrol now and then."""
    rng = sim.rng
    stations = [s for s in sim.port.of_kind("pilot_boarding") if sim.layout.bases(s, "tugs")]
    number = itertools.count(1)
    for index in range(sim.profile.port_tenders if stations else 0):
        station = stations[index % len(stations)]
        bases = sim.layout.bases(station, "tugs")
        base = bases[index % len(bases)]
        home = _spot_in(sim, base, [], rng)
        ship = harbour_craft(rng, 366_980_000 + index, "port tender", next(number))
        agent = Agent(ship, "at_home", *home, station=station, home=home)
        agent.until_s = time_s + rng.uniform(0, 4) * 3600
        sim.add(agent, time_s + rng.uniform(0, 60))


def place_ferries(sim: TrafficSimulator, time_s: float) -> None:
    """The island ferries alongside their terminals, each part of the way through
    its turnaround."""
    rng = sim.rng
    terminals = [
        (station, terminal)
        for station in sim.port.of_kind("pilot_boarding")
        for terminal in sim.layout.bases(station, "ferries")
    ]
    for index in range(sim.profile.ferries if terminals else 0):
        station, terminal = terminals[index % len(terminals)]
        home = _spot_in(sim, terminal, [], rng)
        ship = fast_ferry(rng, 366_970_000 + index)
        agent = Agent(ship, "alongside", *home, station=station, home=home)
        agent.until_s = time_s + rng.uniform(0, FERRY_DWELL_S[1])
        sim.add(agent, time_s + rng.uniform(0, 60))


def leave_small_craft_stay(sim: TrafficSimulator, agent: Agent, arrived: bool) -> None:
    """What a tender or a ferry does next: at the end of a leg (``arrived``) or of a
    stay."""
    rng = sim.rng_of(agent)
    time_s = agent.time_s
    phase = agent.phase
    if agent.ship.kind == "port tender" and phase == "at_home" and not arrived:
        _set_out(sim, agent, _patrol_way(sim, agent), PATROL_KN, "patrolling")
    elif phase == "patrolling" and arrived:
        _set_out(sim, agent, agent.trip[::-1], PATROL_KN, "returning")
    elif phase == "alongside" and not arrived:
        assert agent.station is not None
        assert agent.home is not None
        station = (agent.station.local.x, agent.station.local.y)
        agent.trip = _harbour_way(sim, agent, agent.home, station)
        _set_out(sim, agent, agent.trip, HARBOUR_KN, "leaving", end_kn=HARBOUR_KN)
    elif phase == "leaving" and arrived:
        x, y = agent.trip[-1]
        _set_out(
            sim,
            agent,
            [(x, y), (x - 0.2 * FERRY_SEA_M, y - FERRY_SEA_M)],
            agent.ship.cruise_kn,
            "crossing_out",
            end_kn=agent.ship.cruise_kn,
        )
    elif phase == "crossing_out" and arrived:
        agent.phase = "away"
        agent.away = True
        agent.until_s = time_s + rng.uniform(*FERRY_AWAY_S)
    elif phase == "away" and not arrived:
        agent.away = False
        x, y = agent.trip[-1]
        _set_out(
            sim,
            agent,
            [(agent.x, agent.y), (x, y)],
            agent.ship.cruise_kn,
            "crossing_in",
            end_kn=HARBOUR_KN,
        )
    elif phase == "crossing_in" and arrived:
        _set_out(sim, agent, agent.trip[::-1], HARBOUR_KN, "coming_in")
    elif phase == "coming_in" and arrived:
        agent.phase = "alongside"
        agent.until_s = time_s + rng.uniform(*FERRY_DWELL_S)
    elif arrived:
        agent.until_s = FOREVER


def _set_out(
    sim: TrafficSimulator,
    agent: Agent,
    way: list[Point],
    cruise_kn: float,
    phase: str,
    end_kn: float = 0.0,
) -> None:
    agent.phase = phase
    agent.mover = Mover(
        Leg(way, cruise_kn, end_kn=end_kn), agent.speed_kn, accel_kn_s=SMALL_CRAFT_ACCEL_KN_S
    )
    sim.report_at(agent, agent.time_s + 1.0)


def _patrol_way(sim: TrafficSimulator, agent: Agent) -> list[Point]:
    """From the base along the channels to the far end of one of the station's
    routes; sailed back the same way."""
    assert agent.station is not None
    assert agent.home is not None
    routes = [points for _, points in sim.layout.berth_routes.get(agent.station.name, [])]
    target = sim.rng_of(agent).choice(routes)
    agent.trip = _harbour_way(sim, agent, agent.home, target[-1], target)
    return agent.trip


def _harbour_way(
    sim: TrafficSimulator,
    agent: Agent,
    start: Point,
    end: Point,
    end_route: list[Point] | None = None,
) -> list[Point]:
    """From ``start`` to ``end`` by the channels of ``agent``'s pilot station."""
    return sim.layout.by_routes(agent.station, start, end, end_route)


def _spot_in(sim: TrafficSimulator, area: PortFeature, taken: list[Point], rng) -> Point:
    """A place in ``area`` at least ``CRAFT_SPACING_M`` from the others taken there."""
    spot = sim.layout.random_point_in(area.local, rng)
    for _ in range(30):
        point = shapely.Point(spot)
        if all(point.distance(shapely.Point(other)) >= CRAFT_SPACING_M for other in taken):
            break
        spot = sim.layout.random_point_in(area.local, rng)
    taken.append(spot)
    return spot
