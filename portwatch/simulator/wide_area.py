"""A wide-area feed's traffic beyond the port: what a national network hears along a
whole coast besides the port itself.

Ships on passage, fishing vessels and high-speed craft offshore, ships alongside and
at anchor in the coast's other harbours, class B craft under way and in marinas, the
network's base stations and its aids to navigation, all placed on the sea side of
the port out to ``wide_area_radius_m``. A share of those under way sail at the edge
of coverage: heard for a while, then silent for a while (the feed's *lost* and
*found* targets). How many of each is the ``TrafficProfile``'s ``wide_*`` fields;
the default profile has none, and then this module draws no random number.

Everything draws from its own random stream, so the port's own traffic is the same
with or without the wide area around it.
"""

from __future__ import annotations

import math
import random
from dataclasses import replace
from typing import TYPE_CHECKING

import shapely

from portwatch.simulator.agents import Agent
from portwatch.simulator.motion import Leg, Mover
from portwatch.simulator.ships import ELSEWHERE, Ship, merchant_ship, pleasure_craft

if TYPE_CHECKING:
    from portwatch.simulator.traffic import TrafficSimulator

MOVING_PHASES = ("passage", "fishing", "coasting")
"""Wide-area vessels under way: a new leg when one ends."""
STAYING_PHASES = ("berthed", "lying", "marina")
CLASS_A_MIX = (
    ("passage", 0.46), ("fishing", 0.14), ("fast", 0.02), ("berthed", 0.27), ("lying", 0.11),
)  # fmt: skip
"""Shares of the class A stations: on passage (merchant ships at 11-17 kn), fishing
(status 7, 2.5-6.5 kn), high-speed craft (28-35 kn, the 2 s rate), alongside in other
harbours, at anchor off them."""
CRAFT_UNDER_WAY = 0.4
"""Share of the class B craft under way (the rest lie in marinas, heard every 3 min)."""
HEARD_S = (5 * 60.0, 30 * 60.0)
"""At the edge of coverage: heard for this long..."""
SILENT_S = (2.5 * 60.0, 15 * 60.0)
"""...then out of range for this long (a class A under way is lost after 2 min)."""
INNER_SHARE = 0.15
"""Wide-area traffic keeps beyond this share of the radius (the port's own is within)."""
FLAGS = (
    366, 367, 368, 369, 338, 303, 351, 352, 353, 354, 355, 356, 357, 370, 371, 372, 373,
    477, 563, 564, 565, 566, 636, 538, 229, 248, 249, 256, 215, 235, 240, 241, 244, 311,
)  # fmt: skip
"""Maritime identification digits of the ships' flags (US, Panama, Liberia, ...)."""
PORT_SHIPS_AHEAD = 100_000
"""The port's own ships take MMSIs in turn from ``first_mmsi``: this many are kept
for them (a hundred years of arrivals)."""
BASE_STATION_MMSI = 3_660_000
AID_MMSI = 993_661_000


def place_wide_area(sim: TrafficSimulator, time_s: float) -> WideArea | None:
    """Put the profile's wide-area stations and vessels into ``sim`` at ``time_s``;
    the ``WideArea`` that sails them on, or None when the profile has none."""
    profile = sim.profile
    if not (
        profile.wide_ships or profile.wide_craft or profile.wide_base_stations or profile.wide_aids
    ):
        return None
    area = WideArea(sim)
    for index in range(profile.wide_base_stations):
        area.station(index, time_s)
    for index in range(profile.wide_aids):
        area.aid(index, time_s)
    phases, weights = zip(*CLASS_A_MIX, strict=True)
    for _ in range(profile.wide_ships):
        area.ship(area.rng.choices(phases, weights)[0], time_s)
    for _ in range(profile.wide_craft):
        area.craft(area.rng.random() < CRAFT_UNDER_WAY, time_s)
    return area


class WideArea:
    """The wide area around ``sim``'s port: places its agents (its own random stream
    and MMSIs) and sails them on."""

    def __init__(self, sim: TrafficSimulator) -> None:
        self.sim = sim
        self.rng = random.Random(sim.seed * 104_729 + 3)
        self.radius_m = sim.profile.wide_area_radius_m
        self.seaward = math.radians(seaward_deg(sim.layout.land, sim.layout.water))
        self._taken = {agent.ship.mmsi for agent in sim.agents}
        """MMSIs not to give: the port's stations and vessels, and the wide area's."""
        self._port_ships = range(sim.first_mmsi, sim.first_mmsi + PORT_SHIPS_AHEAD)

    def next_leg(self, agent: Agent) -> None:
        """A wide-area vessel at the end of its leg sails on to another point."""
        cruise_kn = agent.ship.cruise_kn
        target = self.sea_point()
        agent.mover = Mover(Leg([(agent.x, agent.y), target], cruise_kn, cruise_kn), cruise_kn)

    def fade(self, agent: Agent, time_s: float) -> None:
        """An agent at the edge of coverage passes into or out of range at ``time_s``."""
        agent.out_of_range = not agent.out_of_range
        span = SILENT_S if agent.out_of_range else HEARD_S
        agent.fade_at_s = time_s + self.rng.uniform(*span)

    def mmsi(self, flags: tuple[int, ...] = FLAGS) -> int:
        while True:
            mmsi = self.rng.choice(flags) * 1_000_000 + self.rng.randrange(1000, 999_999)
            if mmsi not in self._taken and mmsi not in self._port_ships:
                self._taken.add(mmsi)
                return mmsi

    def station(self, index: int, time_s: float) -> None:
        x, y = self.sea_point(coast=True)
        base = Ship(BASE_STATION_MMSI + index, "", "", 0, 0, 0, 0, 0.0, 0.0, kind="base station")
        agent = Agent(base, "base", x, y, rng=self.rng)
        self.sim.add(agent, time_s + self.rng.uniform(0, 10), "base")

    def aid(self, index: int, time_s: float) -> None:
        rng = self.rng
        x, y = self.sea_point(coast=rng.random() < 0.7)
        virtual = rng.random() < 0.2
        kind = "virtual aid" if virtual else "aid"
        name = f"{'VIRTUAL MARK' if virtual else 'BUOY'} {index + 1}"
        light = Ship(AID_MMSI + index, name, "", 0, 0, 0, 0, 0.0, 0.0, kind=kind)
        agent = Agent(light, "virtual" if virtual else "aid", x, y, rng=rng)
        self.sim.add(agent, time_s + rng.uniform(0, 180), "aid")

    def ship(self, phase: str, time_s: float) -> None:
        rng = self.rng
        ship = replace(merchant_ship(rng, self.mmsi()), bound_for=rng.choice(ELSEWHERE))
        if phase == "fishing":
            length = rng.randrange(20, 60)
            ship = replace(
                ship,
                ship_type=30,
                length_m=length,
                beam_m=max(6, length // 4),
                draught_m=round(rng.uniform(3.0, 6.0), 1),
                cruise_kn=rng.uniform(2.5, 6.5),
                kind="fishing vessel",
                imo=0,
            )
        elif phase == "fast":
            ship = replace(
                ship,
                ship_type=40,
                length_m=rng.randrange(30, 60),
                beam_m=10,
                draught_m=2.0,
                cruise_kn=rng.uniform(28.0, 35.0),
                kind="fast ferry",
                imo=0,
            )
            phase = "passage"
        self._place(ship, phase, rng.random() >= self.sim.profile.wide_status_unset, time_s)

    def craft(self, under_way: bool, time_s: float) -> None:
        rng = self.rng
        kind = rng.choices(("pleasure craft", "sailing yacht", "fishing"), (0.55, 0.3, 0.15))[0]
        ship = pleasure_craft(rng, self.mmsi((338, 366, 367, 368, 303)), kind)
        self._place(ship, "coasting" if under_way else "marina", True, time_s)

    def _place(self, ship: Ship, phase: str, sets_status: bool, time_s: float) -> None:
        rng = self.rng
        staying = phase in STAYING_PHASES
        x, y = self.sea_point(coast=staying)
        agent = Agent(ship, phase, x, y, course_deg=rng.uniform(0, 360), rng=rng)
        agent.sets_status = sets_status
        if staying:
            agent.until_s = math.inf
        else:
            speed_kn = ship.cruise_kn
            agent.mover = Mover(Leg([(x, y), self.sea_point()], speed_kn, speed_kn), speed_kn)
            agent.mover.sailed_m = rng.uniform(0, 0.5) * agent.mover.leg.length_m
            if rng.random() < self.sim.profile.wide_fringe_share:
                agent.out_of_range = rng.random() < 0.3
                span = SILENT_S if agent.out_of_range else HEARD_S
                agent.fade_at_s = time_s + rng.uniform(*span)
        self.sim.add(agent, time_s + rng.uniform(0, 180 if staying else 10))

    def sea_point(self, coast: bool = False) -> tuple[float, float]:
        """A point on the sea side of the port, beyond its own approach and out to the
        radius; with ``coast``, along the coast line either side of the port
        (harbours, marinas, base stations), else anywhere offshore."""
        rng, radius_m, bearing = self.rng, self.radius_m, self.seaward
        if coast:  # across the seaward bearing, a little out to sea
            along = rng.uniform(INNER_SHARE, 1.0) * radius_m * rng.choice((-1.0, 1.0))
            off = rng.uniform(0.0, 0.08) * radius_m
            return (
                along * math.cos(bearing) + off * math.sin(bearing),
                -along * math.sin(bearing) + off * math.cos(bearing),
            )
        distance = radius_m * math.sqrt(rng.uniform(INNER_SHARE**2, 1.0))
        angle = bearing + rng.uniform(-0.5, 0.5) * math.pi
        return distance * math.sin(angle), distance * math.cos(angle)


def seaward_deg(land: shapely.Geometry, water: shapely.Geometry) -> float:
    """The bearing from the port's land to its water: where the open sea lies."""
    if land.is_empty:
        return 180.0
    to, of = water.centroid, land.centroid
    return math.degrees(math.atan2(to.x - of.x, to.y - of.y)) % 360.0
