"""The port as it is when the simulation opens: ships alongside their quays, ships
at anchor waiting for a berth, a few on their way in from sea. Without this a
simulation would open on an empty harbour and take days to fill."""

from __future__ import annotations

from typing import TYPE_CHECKING

from portwatch.simulator.agents import Agent
from portwatch.simulator.ships import CARGO_KINDS, merchant_ship, stay_s

if TYPE_CHECKING:
    from portwatch.simulator.traffic import TrafficSimulator

HOUR_S = 3600.0


def fill_port(sim: TrafficSimulator, time_s: float) -> None:
    moor_ships(sim, time_s)
    anchor_ships(sim, time_s)
    ships_under_way(sim, time_s)


def moor_ships(sim: TrafficSimulator, time_s: float) -> None:
    """Ships along every quay, end to end, to the profile's share of its length;
    each part of the way through its stay."""
    rng = sim.rng
    for station_name, routes in sim.layout.berth_routes.items():
        lanes = [list(r.local.coords) for r, s in sim.layout.lanes if s.name == station_name]
        if not lanes:
            continue
        station = sim.port.feature(station_name)
        for berth, points in routes:
            quay = sim.quays[berth.name]
            kinds = ("passenger",) if sim.layout.takes_passengers(berth) else CARGO_KINDS
            target_m = quay.length_m * sim.profile.berth_fill
            for _ in range(12):
                if sum(b - a for a, b in quay.taken) >= target_m:
                    break
                ship = merchant_ship(rng, sim.next_mmsi(), kinds)
                stretch = quay.room_for(ship.length_m, rng)
                if stretch is None:
                    continue
                quay.take(stretch)
                spot = quay.spot(stretch)
                heading = (quay.bearing_deg + rng.choice((0.0, 180.0))) % 360.0
                agent = Agent(
                    ship,
                    "moored",
                    *spot,
                    course_deg=heading,
                    station=station,
                    lane=rng.choice(lanes),
                )
                agent.berth = (berth, sim.layout.into_berth(points, spot), stretch)
                agent.until_s = time_s + rng.uniform(0.05, 1.0) * stay_s(
                    rng, ship, sim.profile.stay_scale
                )
                agent.eta_s = time_s - rng.uniform(1, 72) * HOUR_S
                sim.add(agent, time_s + rng.uniform(0, 180))


def anchor_ships(sim: TrafficSimulator, time_s: float) -> None:
    """Ships at anchor waiting for a berth, spread over the anchorages with room."""
    rng = sim.rng
    for _ in range(sim.profile.at_anchor if sim.layout.lanes else 0):
        route, station = rng.choice(sim.layout.lanes)
        ship = merchant_ship(rng, sim.next_mmsi(), CARGO_KINDS)
        x, y = station.local.x, station.local.y
        agent = Agent(
            ship,
            "anchored",
            x,
            y,
            course_deg=rng.uniform(0, 360),
            station=station,
            lane=list(route.local.coords),
        )
        anchorage = sim.anchorage_for_ship(agent, station)
        spot = sim.anchor_spot(anchorage, rng)
        sim.anchor_spots[anchorage.name].append(spot)
        agent.x, agent.y = spot
        agent.anchorage = anchorage.name
        agent.until_s = time_s + rng.uniform(0, 900)
        agent.eta_s = time_s - rng.uniform(2, 96) * HOUR_S
        sim.add(agent, time_s + rng.uniform(0, 180))


def ships_under_way(sim: TrafficSimulator, time_s: float) -> None:
    """Ships already on their way in, part of the way along their lane."""
    rng = sim.rng
    for _ in range(sim.profile.under_way if sim.layout.lanes else 0):
        route, station = rng.choice(sim.layout.lanes)
        agent = sim.send_in(merchant_ship(rng, sim.next_mmsi()), route, station, time_s, rng)
        assert agent.mover is not None
        agent.mover.sailed_m = rng.uniform(0.1, 0.7) * agent.mover.leg.length_m
