"""Pilot boats and tugs at work: a ship bound for a berth calls its pilot boat as it
nears the pilot boarding place, and the boat waits there and runs alongside while
the pilot boards; a tug comes out to meet a ship going to its berth and follows it
in. Between jobs the craft lie at a base inside the gate, and they come and go by
the channel.
"""

from __future__ import annotations

import itertools
import math
from typing import TYPE_CHECKING

import shapely

from portwatch.port.port_file import PortFeature
from portwatch.simulator.agents import Agent, Escort
from portwatch.simulator.escort import SMALL_CRAFT_ACCEL_KN_S, chase, station_point
from portwatch.simulator.motion import Leg, Mover
from portwatch.simulator.ships import harbour_craft

if TYPE_CHECKING:
    from portwatch.simulator.traffic import TrafficSimulator

BASE_SHARE = {"pilot boat": 0.45, "tug": 0.6}
"""Without bases in the port file: how far along the first berth route each kind lies."""
BASE_USE = {"pilot boat": "pilots", "tug": "tugs"}
CRAFT_SPACING_M = 12.0
PILOT_CALL_M = 4000.0
"""A ship this far from the pilot boarding place calls its pilot boat."""
PILOT_WATCH_M = 1000.0
"""A waiting pilot boat sets off to go alongside when its ship is this close."""
PILOT_BOARDING_S = 300.0
"""How long a pilot boat stays alongside once there."""
ALONGSIDE_M = 60.0
TUG_MEET_M = 400.0
"""A tug takes station on its ship once the ship is this close."""
FOREVER = math.inf


def place_harbour_craft(sim: TrafficSimulator, time_s: float) -> None:
    """Pilot boats and tugs, moored at their bases: the port file's berths with a
    ``use`` of pilots or tugs for that pilot station, else a place inside the gate."""
    number = itertools.count(1)
    for station in sim.port.of_kind("pilot_boarding"):
        if not sim.layout.berth_routes.get(station.name):
            continue
        many = {
            "pilot boat": sim.profile.pilot_boats_per_station,
            "tug": sim.profile.tugs_per_station,
        }
        for kind, count in many.items():
            bases = sim.layout.bases(station, BASE_USE[kind])
            taken: list[tuple[float, float]] = []
            for place in range(count):
                if bases:
                    spot = _free_spot(sim, bases[place % len(bases)], taken)
                else:
                    base_x, base_y = sim.layout.craft_base(station, BASE_SHARE[kind])
                    spot = (base_x + 15.0 * place, base_y + 25.0 * place)
                mmsi = 366_990_000 + next(number)
                craft = harbour_craft(sim.rng, mmsi, kind, mmsi % 100)
                agent = Agent(craft, "at_home", *spot, station=station, home=spot)
                agent.until_s = FOREVER
                sim.add(agent, time_s + sim.rng.uniform(0, 60))
                sim.harbour_craft.setdefault((kind, station.name), []).append(agent)


def _free_spot(sim: TrafficSimulator, base, taken: list[tuple[float, float]]):
    """A place in ``base`` clear of the craft already there."""
    spot = sim.layout.random_point_in(base.local, sim.rng)
    for _ in range(30):
        if all(math.dist(spot, other) >= CRAFT_SPACING_M for other in taken):
            break
        spot = sim.layout.random_point_in(base.local, sim.rng)
    taken.append(spot)
    return spot


def move_harbour_craft(sim: TrafficSimulator, craft: Agent, time_s: float) -> bool:
    """Bring escorting or waiting ``craft`` to ``time_s``; False when it is doing
    neither and sails like any vessel."""
    if craft.escort is not None:
        _keep_station(sim, craft, time_s)
        return True
    if craft.phase == "waiting":
        craft.time_s = time_s
        _watch_for_ship(sim, craft, time_s)
        return True
    if craft.phase == "meeting":
        sim.sail(craft, time_s)
        _meet_ship(sim, craft, time_s)
        return True
    return False


def maybe_call_pilot(sim: TrafficSimulator, ship: Agent, time_s: float) -> None:
    """A ship bound for a free berth calls the pilot boat when it is
    ``PILOT_CALL_M`` from the boarding place; the boat waits for it there."""
    station = ship.station
    mover = ship.mover
    if station is None or mover is None or mover.leg.length_m - mover.sailed_m > PILOT_CALL_M:
        return
    if ship.phase == "inbound" and not sim.has_berth_for(ship, time_s):
        return  # it will anchor first, and call the pilot when it weighs anchor
    ship.pilot_sent = True
    boat = _free_craft(sim, "pilot boat", station)
    if boat is None:
        return
    sim.sail(boat, time_s)  # bring the boat to now before it sets off
    boat.phase = "to_meet"
    boat.until_s = FOREVER
    path = sim.layout.by_routes(station, (boat.x, boat.y), (station.local.x, station.local.y))
    boat.mover = Mover(Leg(path, boat.ship.cruise_kn), 0.0, accel_kn_s=SMALL_CRAFT_ACCEL_KN_S)
    boat.serving = ship.index
    sim.report_at(boat, time_s + 1.0)


def call_tug(
    sim: TrafficSimulator, ship: Agent, channel: list[tuple[float, float]] | None = None
) -> None:
    """A tug comes along ``channel`` (the ship's way between pilot station and berth)
    to meet the ship and sees it in to its berth, or out of it and on its way."""
    channel = channel or (ship.berth[1] if ship.berth is not None else None)
    if ship.station is None or not channel:
        return
    tug = _free_craft(sim, "tug", ship.station)
    if tug is None:
        return
    sim.sail(tug, ship.time_s)
    tug.escort_slot = sum(
        1 for c in sim.harbour_craft.get(("tug", ship.station.name), []) if c.serving == ship.index
    )
    tug.phase = "meeting"
    tug.until_s = FOREVER
    tug.serving = ship.index
    tug.job = (ship.phase, channel)
    # Inside the breakwater: a tug never goes out through the gate after its ship.
    toward = sim.layout.inside_point(channel) if ship.phase == "to_berth" else channel[-1]
    path = sim.layout.by_routes(ship.station, (tug.x, tug.y), toward, channel)
    tug.mover = Mover(Leg(path, tug.ship.cruise_kn), 0.0, accel_kn_s=SMALL_CRAFT_ACCEL_KN_S)
    sim.report_at(tug, ship.time_s + 1.0)


def _meet_ship(sim: TrafficSimulator, tug: Agent, time_s: float) -> None:
    """A tug on its way takes station on its ship once they are close (or once it
    is at the end of the channel), so it never cuts across land."""
    ship = sim.agents[tug.serving] if tug.serving is not None else None
    job, channel = tug.job
    if ship is None or ship.gone or ship.phase != job:
        _go_home(sim, tug)
        return
    sim.move(ship, time_s)
    if math.hypot(ship.x - tug.x, ship.y - tug.y) > TUG_MEET_M:
        return  # on its way, or waiting where it will meet the ship
    speed_kn = tug.speed_kn
    tug.mover = None
    tug.phase = "escorting"
    if tug.escort_slot == 0:  # made fast astern
        ahead_m, abeam_m = -(ship.ship.length_m * 0.5 + 40.0), 0.0
    else:  # on the bow, on the side away from the quay
        ahead_m, abeam_m = ship.ship.length_m * 0.3, -(ship.ship.beam_m / 2 + 20.0)
    release_m = None
    if job == "outbound":  # clear of the berth and turned: the tug lets go
        release_m = min(2000.0, 0.5 * shapely.LineString(channel).length)
    tug.escort = Escort(
        ship.index, ahead_m=ahead_m, abeam_m=abeam_m, until_phase_ends=job, until_sailed_m=release_m
    )
    tug.speed_override_kn = speed_kn


def _free_craft(sim: TrafficSimulator, kind: str, station: PortFeature) -> Agent | None:
    crew = sim.harbour_craft.get((kind, station.name), [])
    return next((craft for craft in crew if craft.phase == "at_home"), None)


def _watch_for_ship(sim: TrafficSimulator, boat: Agent, time_s: float) -> None:
    """A pilot boat waiting at the boarding place goes alongside as its ship nears."""
    ship = sim.agents[boat.serving] if boat.serving is not None else None
    if ship is None or ship.gone or ship.phase in ("to_anchor", "anchored"):
        _go_home(sim, boat)
        return
    sim.move(ship, time_s)
    if math.hypot(ship.x - boat.x, ship.y - boat.y) <= PILOT_WATCH_M:
        boat.phase = "escorting"
        boat.escort = Escort(
            ship.index, ahead_m=0.0, abeam_m=-(ship.ship.beam_m / 2 + 8.0), until_phase_ends=""
        )
        boat.speed_override_kn = 0.0


def _keep_station(sim: TrafficSimulator, craft: Agent, time_s: float) -> None:
    escort = craft.escort
    assert escort is not None
    ship = sim.agents[escort.ship_index]
    sim.move(ship, time_s)
    target = station_point(ship.x, ship.y, ship.course_deg, escort.ahead_m, escort.abeam_m)
    if escort.abeam_m and sim.layout.land.contains(shapely.Point(target)):  # the quay side
        escort.abeam_m = -escort.abeam_m
        target = station_point(ship.x, ship.y, ship.course_deg, escort.ahead_m, escort.abeam_m)
    if not sim.layout.clear((craft.x, craft.y), target):  # its station is past a pierhead:
        target = _close_by(ship, craft)  # keep close on its own side instead
    craft.x, craft.y, craft.course_deg, craft.speed_override_kn = chase(
        (craft.x, craft.y, craft.course_deg, craft.speed_kn),
        escort.last_target or target,
        target,
        ship.speed_kn,
        craft.ship.cruise_kn,
        time_s - craft.time_s,
    )
    escort.last_target = target
    craft.time_s = time_s
    gap_m = math.hypot(target[0] - craft.x, target[1] - craft.y)
    if not escort.alongside and gap_m < ALONGSIDE_M:
        escort.alongside = True
        pilot = craft.ship.kind == "pilot boat"
        sim.count("pilot boardings" if pilot else "tug escorts", time_s)
        craft.until_s = time_s + PILOT_BOARDING_S
    done = (
        ship.gone
        or (escort.until_phase_ends and ship.phase != escort.until_phase_ends)
        or (
            escort.until_sailed_m is not None
            and ship.mover is not None
            and ship.mover.sailed_m >= escort.until_sailed_m
        )
        or (not escort.until_phase_ends and escort.alongside and time_s >= craft.until_s)
    )
    if done:
        _go_home(sim, craft)


def _close_by(ship: Agent, craft: Agent, gap_m: float = 40.0) -> tuple[float, float]:
    """A point ``gap_m`` from ``ship`` toward ``craft``: where a tug keeps when its
    proper station cannot be reached in open water."""
    dx, dy = craft.x - ship.x, craft.y - ship.y
    distance = math.hypot(dx, dy) or 1.0
    return ship.x + dx / distance * gap_m, ship.y + dy / distance * gap_m


def _go_home(sim: TrafficSimulator, craft: Agent) -> None:
    """Back to base along the channels: back along the way the craft came out by to
    where it parts from the route to the base, then out along that one; never over
    land."""
    escorted = sim.agents[craft.escort.ship_index] if craft.escort is not None else None
    if escorted is None and craft.serving is not None:
        escorted = sim.agents[craft.serving]
    channel = escorted.berth[1] if escorted is not None and escorted.berth else None
    speed = craft.speed_kn
    craft.escort = None
    craft.speed_override_kn = None
    craft.serving = None
    craft.phase = "returning"
    home = craft.home or (craft.x, craft.y)
    here = (craft.x, craft.y)
    routes = [points for _, points in sim.layout.berth_routes.get(craft.station.name, [])]
    if sim.layout.clear(here, home) or not routes:
        path = [here, home]
    else:
        from_route = channel if channel is not None else sim.layout.nearest_route(here, routes)
        path = sim.layout.along_routes(
            here, home, from_route, sim.layout.nearest_route(home, routes)
        )
    craft.mover = Mover(
        Leg(path, craft.ship.cruise_kn * 0.7), speed, accel_kn_s=SMALL_CRAFT_ACCEL_KN_S
    )
    if craft.mover.arrived:
        sim.arrive(craft)
