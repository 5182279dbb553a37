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

from portwatch.port.port_file import PortFeature
from portwatch.simulator.agents import Agent, Escort
from portwatch.simulator.escort import SMALL_CRAFT_ACCEL_KN_S, chase, station_point
from portwatch.simulator.motion import Leg, Mover
from portwatch.simulator.ships import harbour_craft

if TYPE_CHECKING:
    from portwatch.simulator.traffic import TrafficSimulator

CRAFT_PER_STATION = {"pilot boat": 2, "tug": 2}
BASE_SHARE = {"pilot boat": 0.45, "tug": 0.6}
"""How far along the first berth route each kind's base lies."""
PILOT_CALL_M = 4000.0
"""A ship this far from the pilot boarding place calls its pilot boat."""
PILOT_WATCH_M = 1000.0
"""A waiting pilot boat sets off to go alongside when its ship is this close."""
PILOT_BOARDING_S = 300.0
"""How long a pilot boat stays alongside once there."""
ALONGSIDE_M = 60.0
TUG_MEET_M = 500.0
"""A tug going out takes station astern once its ship is this close."""
FOREVER = math.inf


def place_harbour_craft(sim: TrafficSimulator, time_s: float) -> None:
    """Pilot boats and tugs, moored at their bases inside each gate."""
    number = itertools.count(1)
    for station in sim.port.of_kind("pilot_boarding"):
        if not sim.layout.berth_routes.get(station.name):
            continue
        for kind, many in CRAFT_PER_STATION.items():
            base_x, base_y = sim.layout.craft_base(station, BASE_SHARE[kind])
            for place in range(many):
                mmsi = 366_990_000 + next(number)
                craft = harbour_craft(sim.rng, mmsi, kind, mmsi % 100)
                spot = (base_x + 15.0 * place, base_y + 25.0 * place)
                agent = Agent(craft, "at_home", *spot, station=station, home=spot)
                agent.until_s = FOREVER
                sim.add(agent, time_s + sim.rng.uniform(0, 60))
                sim.harbour_craft.setdefault((kind, station.name), []).append(agent)


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
    berths = sim.layout.berth_routes.get(station.name, [])
    if ship.phase == "inbound" and not any(sim.berth_free(b, station, time_s) for b, _ in berths):
        return  # it will anchor first, and call the pilot when it weighs anchor
    ship.pilot_sent = True
    boat = _free_craft(sim, "pilot boat", station)
    if boat is None:
        return
    sim.sail(boat, time_s)  # bring the boat to now before it sets off
    boat.phase = "to_meet"
    boat.until_s = FOREVER
    path = sim.layout.by_channel(station, (boat.x, boat.y), (station.local.x, station.local.y))
    boat.mover = Mover(Leg(path, boat.ship.cruise_kn), 0.0, accel_kn_s=SMALL_CRAFT_ACCEL_KN_S)
    boat.serving = ship.index
    sim.report_at(boat, time_s + 1.0)


def call_tug(sim: TrafficSimulator, ship: Agent) -> None:
    """A tug comes out along the ship's channel to meet it and follows it in."""
    if ship.station is None or ship.berth is None:
        return
    tug = _free_craft(sim, "tug", ship.station)
    if tug is None:
        return
    sim.sail(tug, ship.time_s)
    tug.phase = "meeting"
    tug.until_s = FOREVER
    tug.serving = ship.index
    channel = ship.berth[1]
    path = sim.layout.by_channel(ship.station, (tug.x, tug.y), channel[0], channel)
    tug.mover = Mover(Leg(path, tug.ship.cruise_kn), 0.0, accel_kn_s=SMALL_CRAFT_ACCEL_KN_S)
    sim.report_at(tug, ship.time_s + 1.0)


def _meet_ship(sim: TrafficSimulator, tug: Agent, time_s: float) -> None:
    """A tug on its way out takes station astern of its ship once they are close
    (or once it is at the end of the channel), so it never cuts across land."""
    ship = sim.agents[tug.serving] if tug.serving is not None else None
    if ship is None or ship.gone or ship.phase != "to_berth":
        _go_home(sim, tug)
        return
    sim.move(ship, time_s)
    if math.hypot(ship.x - tug.x, ship.y - tug.y) <= TUG_MEET_M or tug.mover is None:
        speed_kn = tug.speed_kn
        tug.mover = None
        tug.phase = "escorting"
        tug.escort = Escort(ship.index, ahead_m=-(ship.ship.length_m * 0.5 + 40.0),
                            abeam_m=0.0, until_phase_ends="to_berth")  # fmt: skip
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
        boat.escort = Escort(ship.index, ahead_m=0.0, abeam_m=-(ship.ship.beam_m / 2 + 8.0),
                             until_phase_ends="")  # fmt: skip
        boat.speed_override_kn = 0.0


def _keep_station(sim: TrafficSimulator, craft: Agent, time_s: float) -> None:
    escort = craft.escort
    assert escort is not None
    ship = sim.agents[escort.ship_index]
    sim.move(ship, time_s)
    target = station_point(ship.x, ship.y, ship.course_deg, escort.ahead_m, escort.abeam_m)
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
        or (not escort.until_phase_ends and escort.alongside and time_s >= craft.until_s)
    )
    if done:
        _go_home(sim, craft)


def _go_home(sim: TrafficSimulator, craft: Agent) -> None:
    """Back to base along the channel the craft came out by, never over land."""
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
    path = sim.layout.by_channel(craft.station, (craft.x, craft.y), home, channel)
    craft.mover = Mover(
        Leg(path, craft.ship.cruise_kn * 0.7), speed, accel_kn_s=SMALL_CRAFT_ACCEL_KN_S
    )
    if craft.mover.arrived:
        sim.arrive(craft)
