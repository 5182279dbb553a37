"""Traffic for a port file: ships arrive along the routes, slow for the pilot at the
pilot boarding place, berth when a berth is free or wait at anchor, stay alongside
for hours and sail; pleasure craft wander the bay; base stations tick.

Everything runs on one heap of events in simulated time, drawn from one seeded
``random.Random``, so the same seed gives the same traffic. The simulation starts
``warm_up_s`` before the first line it writes, so the port is busy from the start.
"""

from __future__ import annotations

import heapq
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import reduce
from operator import xor

import shapely
from pyais.encode import encode_dict

from portwatch.port.port_file import Port, PortFeature
from portwatch.simulator.motion import Leg, Mover
from portwatch.simulator.ships import Ship, merchant_ship, pleasure_craft

UNDER_WAY, AT_ANCHOR, MOORED = 0, 1, 5
STATIC_EVERY_S = 360.0
BASE_STATION_EVERY_S = 10.0
ANCHOR_CHECK_EVERY_S = 900.0
BERTH_SLOTS = 2
"""Ships a berth (a terminal) takes at once."""
STATION = "PWSIM"


@dataclass(slots=True)
class _Agent:
    ship: Ship
    phase: str
    x: float
    y: float
    course_deg: float = 0.0
    mover: Mover | None = None
    time_s: float = 0.0
    until_s: float = 0.0
    station: PortFeature | None = None
    lane: list[tuple[float, float]] = field(default_factory=list)
    berth: tuple[PortFeature, list[tuple[float, float]]] | None = None
    gone: bool = False

    @property
    def speed_kn(self) -> float:
        return self.mover.speed_kn if self.mover is not None else 0.0


class TrafficSimulator:
    """Seeded traffic for ``port``; ``lines`` gives NMEA lines with tag-block times."""

    def __init__(
        self,
        port: Port,
        seed: int = 1,
        start_s: float = 1_710_201_600.0,
        arrivals_per_hour: float = 2.0,
        pleasure_craft: int = 6,
        warm_up_s: float = 12 * 3600.0,
    ) -> None:
        self.port = port
        self.rng = random.Random(seed)
        self.start_s = start_s
        self.arrivals_per_hour = arrivals_per_hour
        self.warm_up_s = warm_up_s
        self._land = shapely.union_all([part.local for part in port.coastline])
        self._water = port.of_kind("approach")[0].local.difference(self._land)
        self._lanes = [
            (route, port.feature(route.properties["to"]))
            for route in port.of_kind("route")
            if port.feature(route.properties["to"]).kind == "pilot_boarding"
        ]
        self._berth_routes: dict[str, list[tuple[PortFeature, list]]] = {}
        for route in port.of_kind("route"):
            target = port.feature(route.properties["to"])
            if target.kind != "berth":
                continue
            start = shapely.Point(route.local.coords[0])
            for station in port.of_kind("pilot_boarding"):
                if start.distance(station.local) <= station.properties["radius_m"]:
                    self._berth_routes.setdefault(station.name, []).append(
                        (target, list(route.local.coords))
                    )
        self._occupied: dict[str, int] = {}
        self._agents: list[_Agent] = []
        self._events: list[tuple[float, int, str, int]] = []
        self._sequence = itertools.count()
        self._group = itertools.count(1)
        self._next_mmsi = itertools.count(366_100_000 + self.rng.randrange(0, 800_000, 1000))
        self._pleasure = pleasure_craft
        self.arrivals = 0
        self.anchorings = 0

    def lines(self, duration_s: float) -> Iterator[str]:
        """Every line from ``start_s`` for ``duration_s`` seconds, in time order."""
        for _, line in self.timed_lines(duration_s):
            yield line

    def timed_lines(self, duration_s: float) -> Iterator[tuple[float, str]]:
        """``lines`` with the data time of each, for pacing a live feed."""
        clock = self.start_s - self.warm_up_s
        end_s = self.start_s + duration_s
        self._schedule(clock, "arrival", -1)
        for _ in range(self._pleasure):
            self._spawn_pleasure_craft(clock + self.rng.uniform(0, 600))
        for index, point in enumerate(self._base_station_points()):
            agent = _Agent(Ship(3_669_900 + index, "", "", 0, 0, 0, 0, 0.0, 0.0), "base", *point)
            self._add(agent, clock + index, "base")
        while self._events:
            time_s, _, kind, index = heapq.heappop(self._events)
            if time_s > end_s:
                return
            for line in self._handle(time_s, kind, index):
                if time_s >= self.start_s:
                    yield time_s, line

    def _handle(self, time_s: float, kind: str, index: int) -> list[str]:
        if kind == "arrival":
            self._spawn_arrival(time_s)
            gap_s = self.rng.expovariate(self.arrivals_per_hour / 3600.0)
            self._schedule(time_s + gap_s, "arrival", -1)
            return []
        agent = self._agents[index]
        if agent.gone:
            return []
        if kind == "base":
            self._schedule(time_s + BASE_STATION_EVERY_S, "base", index)
            return self._base_report(agent, time_s)
        self._move(agent, time_s)
        if agent.gone:
            return []
        if kind == "static":
            self._schedule(time_s + STATIC_EVERY_S, "static", index)
            return self._static_report(agent, time_s)
        self._schedule(time_s + self._interval_s(agent), "position", index)
        return self._position_report(agent, time_s)

    # --- life of a ship -------------------------------------------------------

    def _spawn_arrival(self, time_s: float) -> None:
        route, station = self.rng.choice(self._lanes)
        ship = merchant_ship(self.rng, next(self._next_mmsi))
        points = list(route.local.coords)
        agent = _Agent(ship, "inbound", *points[0], station=station, lane=points)
        agent.mover = Mover(Leg(points, ship.cruise_kn, end_kn=6.0), speed_kn=ship.cruise_kn)
        self._add(agent, time_s, "position")
        self._schedule(
            time_s + self.rng.uniform(5, STATIC_EVERY_S), "static", len(self._agents) - 1
        )

    def _spawn_pleasure_craft(self, time_s: float) -> None:
        ship = pleasure_craft(self.rng, 338_000_000 + self.rng.randrange(1_000, 999_999))
        x, y = self._random_water_point()
        agent = _Agent(ship, "cruising", x, y)
        self._add(agent, time_s, "position")
        self._schedule(
            time_s + self.rng.uniform(5, STATIC_EVERY_S), "static", len(self._agents) - 1
        )

    def _move(self, agent: _Agent, time_s: float) -> None:
        """Bring ``agent`` to ``time_s``, moving it on through as many phases as it passes."""
        while True:
            elapsed = time_s - agent.time_s
            if agent.mover is not None:
                agent.mover.advance(elapsed)
                agent.x, agent.y, agent.course_deg = agent.mover.position()
                agent.time_s = time_s
                if not agent.mover.arrived:
                    return
                self._arrive(agent)
                if agent.gone or agent.mover is not None:
                    continue
                return
            agent.time_s = time_s
            if time_s < agent.until_s:
                return
            self._leave_stay(agent)
            if agent.mover is None:
                return

    def _arrive(self, agent: _Agent) -> None:
        """The end of a leg: what the ship does next."""
        phase = agent.phase
        agent.mover = None
        if phase == "cruising":
            agent.until_s = agent.time_s + self.rng.uniform(0, 1800)
            agent.phase = "drifting"
        elif phase in ("inbound", "to_station"):
            if phase == "inbound":
                self.arrivals += 1
            self._to_berth_or_anchor(agent)
        elif phase == "to_anchor":
            agent.phase = "anchored"
            agent.until_s = agent.time_s + ANCHOR_CHECK_EVERY_S
        elif phase == "to_berth":
            agent.phase = "moored"
            agent.until_s = agent.time_s + self.rng.uniform(6, 30) * 3600
        elif phase == "outbound":
            agent.gone = True

    def _to_berth_or_anchor(self, agent: _Agent) -> None:
        station = agent.station
        assert station is not None
        free = [
            (berth, points)
            for berth, points in self._berth_routes.get(station.name, [])
            if self._occupied.get(berth.name, 0) < BERTH_SLOTS
        ]
        if free:
            berth, points = self.rng.choice(free)
            self._occupied[berth.name] = self._occupied.get(berth.name, 0) + 1
            agent.berth = (berth, points)
            agent.phase = "to_berth"
            agent.mover = Mover(Leg(points, 8.0, end_kn=0.0), speed_kn=agent.speed_kn or 6.0)
            return
        anchorage = self._anchorage_for(station)
        spot = self._random_point_in(anchorage.local)
        agent.phase = "to_anchor"
        self.anchorings += 1
        agent.mover = Mover(Leg([(agent.x, agent.y), spot], 7.0, end_kn=0.0), speed_kn=6.0)

    def _leave_stay(self, agent: _Agent) -> None:
        if agent.phase == "anchored":
            berths = self._berth_routes.get(agent.station.name, []) if agent.station else []
            if any(self._occupied.get(b.name, 0) < BERTH_SLOTS for b, _ in berths):
                station = agent.station.local  # type: ignore[union-attr]
                agent.phase = "to_station"
                agent.mover = Mover(
                    Leg([(agent.x, agent.y), (station.x, station.y)], 8.0, end_kn=5.0), 0.0
                )
            else:
                agent.until_s = agent.time_s + ANCHOR_CHECK_EVERY_S
        elif agent.phase == "moored" and agent.berth is not None:
            berth, points = agent.berth
            self._occupied[berth.name] -= 1
            agent.berth = None
            agent.phase = "outbound"
            path = points[::-1] + agent.lane[::-1][1:]
            agent.mover = Mover(Leg(path, agent.ship.cruise_kn, end_kn=agent.ship.cruise_kn), 0.0)
        elif agent.phase == "drifting":
            target = self._random_water_point(near=(agent.x, agent.y))
            agent.phase = "cruising"
            agent.mover = Mover(Leg([(agent.x, agent.y), target], agent.ship.cruise_kn), 0.0)

    # --- geometry -------------------------------------------------------------

    def _anchorage_for(self, station: PortFeature) -> PortFeature:
        """The nearest anchorage reached from the pilot station without crossing land."""
        reachable = [
            a
            for a in self.port.of_kind("anchorage")
            if not shapely.LineString([station.local, a.local.centroid]).intersects(self._land)
        ] or list(self.port.of_kind("anchorage"))
        return min(reachable, key=lambda a: a.local.distance(station.local))

    def _random_point_in(self, area: shapely.Geometry) -> tuple[float, float]:
        west, south, east, north = area.bounds
        for _ in range(1000):
            point = shapely.Point(self.rng.uniform(west, east), self.rng.uniform(south, north))
            if area.contains(point) and not self._land.contains(point):
                return point.x, point.y
        centre = area.representative_point()
        return centre.x, centre.y

    def _random_water_point(self, near: tuple[float, float] | None = None) -> tuple[float, float]:
        """A point of open water in the approach, reachable in a straight line from ``near``."""
        for _ in range(200):
            x, y = self._random_point_in(self._water)
            if near is None or not shapely.LineString([near, (x, y)]).intersects(self._land):
                return x, y
        return near or self._random_point_in(self._water)

    def _base_station_points(self) -> list[tuple[float, float]]:
        """Two base stations on the shore nearest the pilot stations."""
        coast = self._land.boundary
        points = []
        for station in self.port.of_kind("pilot_boarding")[:2]:
            on_shore = coast.interpolate(coast.project(station.local))
            points.append((on_shore.x, on_shore.y))
        return points

    # --- reports ----------------------------------------------------------------

    def _interval_s(self, agent: _Agent) -> float:
        speed = agent.speed_kn
        if agent.ship.class_b:
            return 30.0 if speed > 2.0 else 180.0
        if agent.phase in ("anchored", "moored") or speed < 0.5:
            return 180.0
        return 10.0 if speed <= 14.0 else 6.0 if speed <= 23.0 else 2.0

    def _lonlat(self, agent: _Agent) -> tuple[float, float]:
        lon, lat = self.port.plane.to_lonlat(agent.x, agent.y)
        return round(float(lon), 6), round(float(lat), 6)

    def _position_report(self, agent: _Agent, time_s: float) -> list[str]:
        lon, lat = self._lonlat(agent)
        speed = round(agent.speed_kn, 1)
        heading = round(agent.course_deg) % 360
        second = int(time_s) % 60
        if agent.ship.class_b:
            data = {"msg_type": 18, "mmsi": agent.ship.mmsi, "speed": speed, "lon": lon,
                    "lat": lat, "course": round(agent.course_deg, 1), "heading": heading,
                    "second": second, "cs": 1}  # fmt: skip
        else:
            status = {"anchored": AT_ANCHOR, "moored": MOORED}.get(agent.phase, UNDER_WAY)
            data = {"msg_type": 1, "mmsi": agent.ship.mmsi, "status": status, "turn": 0,
                    "speed": speed, "accuracy": 1, "lon": lon, "lat": lat,
                    "course": round(agent.course_deg, 1), "heading": heading,
                    "second": second}  # fmt: skip
        return self._sentences(data, time_s)

    def _static_report(self, agent: _Agent, time_s: float) -> list[str]:
        ship = agent.ship
        bow = round(ship.length_m * 0.8)
        port_side = ship.beam_m // 2
        dims = {"to_bow": bow, "to_stern": ship.length_m - bow, "to_port": port_side,
                "to_starboard": ship.beam_m - port_side}  # fmt: skip
        if ship.class_b:
            part_a = {"msg_type": 24, "mmsi": ship.mmsi, "partno": 0, "shipname": ship.name}
            part_b = {"msg_type": 24, "mmsi": ship.mmsi, "partno": 1,
                      "ship_type": ship.ship_type, "callsign": ship.callsign, **dims}  # fmt: skip
            return self._sentences(part_a, time_s) + self._sentences(part_b, time_s)
        eta = datetime.fromtimestamp(time_s + self.rng.uniform(1, 20) * 3600, UTC)
        data = {"msg_type": 5, "mmsi": ship.mmsi, "imo": ship.imo, "callsign": ship.callsign,
                "shipname": ship.name, "ship_type": ship.ship_type, **dims,
                "month": eta.month, "day": eta.day, "hour": eta.hour, "minute": eta.minute,
                "draught": ship.draught_m, "destination": ship.destination}  # fmt: skip
        return self._sentences(data, time_s)

    def _base_report(self, agent: _Agent, time_s: float) -> list[str]:
        lon, lat = self._lonlat(agent)
        now = datetime.fromtimestamp(int(time_s), UTC)
        data = {"msg_type": 4, "mmsi": agent.ship.mmsi, "year": now.year, "month": now.month,
                "day": now.day, "hour": now.hour, "minute": now.minute, "second": now.second,
                "accuracy": 1, "lon": lon, "lat": lat, "epfd": 7}  # fmt: skip
        return self._sentences(data, time_s)

    def _sentences(self, data: dict, time_s: float) -> list[str]:
        sentences = encode_dict(data, talker_id="AI", sentence_type="VDM", radio_channel="A")
        if len(sentences) == 1:
            return [_tag_block(f"s:{STATION},c:{int(time_s)}") + sentences[0]]
        group = next(self._group) % 10_000
        total = len(sentences)
        return [
            _tag_block(f"g:{number}-{total}-{group},s:{STATION},c:{int(time_s)}") + sentence
            for number, sentence in enumerate(sentences, start=1)
        ]

    def _add(self, agent: _Agent, time_s: float, kind: str) -> None:
        agent.time_s = time_s
        self._agents.append(agent)
        self._schedule(time_s, kind, len(self._agents) - 1)

    def _schedule(self, time_s: float, kind: str, index: int) -> None:
        heapq.heappush(self._events, (time_s, next(self._sequence), kind, index))


def _tag_block(fields: str) -> str:
    return f"\\{fields}*{reduce(xor, fields.encode('ascii'), 0):02X}\\"
