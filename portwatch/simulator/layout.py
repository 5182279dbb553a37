"""The port as the simulator sails it: water and land, the traffic lanes in from
sea, the routes from each pilot boarding place to its berths, where ships lie in a
berth, where harbour craft, base stations and aids to navigation are.

Everything here is fixed by the port file; the traffic's randomness comes in only
through the ``rng`` a caller passes.
"""

from __future__ import annotations

import math
import random

import shapely
from shapely.ops import nearest_points, substring

from portwatch.decoders.errors import PortwatchError
from portwatch.port.port_file import Port, PortFeature

Point = tuple[float, float]


class SimulatorPortError(PortwatchError):
    """A port file the simulator cannot sail: it says what the file lacks."""


class PortLayout:
    """Geometry of ``port`` on its local plane (metres east and north)."""

    def __init__(self, port: Port) -> None:
        missing = [kind for kind in ("approach", "anchorage") if not port.of_kind(kind)]
        if missing:
            raise SimulatorPortError(
                f"{port.source or port.name}: the simulator needs an {' and an '.join(missing)} "
                "(a feature of that kind) in the port file"
            )
        self.port = port
        self.land = shapely.union_all([part.local for part in port.coastline])
        self.water = port.of_kind("approach")[0].local.difference(self.land)
        self.lanes: list[tuple[PortFeature, PortFeature]] = [
            (route, port.feature(route.properties["to"]))
            for route in port.of_kind("route")
            if port.feature(route.properties["to"]).kind == "pilot_boarding"
        ]
        """(route in from sea, its pilot boarding place)."""
        self.berth_routes: dict[str, list[tuple[PortFeature, list[Point]]]] = {}
        """Per pilot boarding place: (berth, route there) for each route starting at it."""
        for route in port.of_kind("route"):
            target = port.feature(route.properties["to"])
            if target.kind != "berth":
                continue
            start = shapely.Point(route.local.coords[0])
            for station in port.of_kind("pilot_boarding"):
                if start.distance(station.local) <= station.properties["radius_m"]:
                    self.berth_routes.setdefault(station.name, []).append(
                        (target, list(route.local.coords))
                    )
        entries = [tuple(route.local.coords[0]) for route, _ in self.lanes]
        self.passages: list[tuple[Point, Point]] = [
            (a, b)
            for a in entries
            for b in entries
            if a != b and not shapely.LineString([a, b]).intersects(self.land)
        ]
        """Straight ways from one lane's entry to another's, clear of land."""

    def anchorage_for(self, station: PortFeature) -> PortFeature:
        """The nearest anchorage reached from the pilot station without crossing land."""
        reachable = [
            a
            for a in self.port.of_kind("anchorage")
            if not shapely.LineString([station.local, a.local.centroid]).intersects(self.land)
        ] or list(self.port.of_kind("anchorage"))
        return min(reachable, key=lambda a: a.local.distance(station.local))

    def random_point_in(self, area: shapely.Geometry, rng: random.Random) -> Point:
        west, south, east, north = area.bounds
        for _ in range(1000):
            point = shapely.Point(rng.uniform(west, east), rng.uniform(south, north))
            if area.contains(point) and not self.land.contains(point):
                return point.x, point.y
        centre = area.representative_point()
        return centre.x, centre.y

    def random_water_point(self, rng: random.Random, near: Point | None = None) -> Point:
        """A point of open water in the approach, reachable in a straight line from ``near``."""
        for _ in range(200):
            x, y = self.random_point_in(self.water, rng)
            if near is None or not shapely.LineString([near, (x, y)]).intersects(self.land):
                return x, y
        return near or self.random_point_in(self.water, rng)

    @staticmethod
    def berth_spot(berth: PortFeature, slot: int, slots: int) -> Point:
        """Where the ``slot``-th of ``slots`` ships lies in ``berth``: spread along its
        long axis."""
        c = list(berth.local.minimum_rotated_rectangle.exterior.coords)[:4]
        if math.dist(c[0], c[1]) >= math.dist(c[1], c[2]):
            start, end = _midpoint(c[0], c[3]), _midpoint(c[1], c[2])
        else:
            start, end = _midpoint(c[1], c[0]), _midpoint(c[2], c[3])
        share = (slot + 0.5) / slots
        return start[0] + (end[0] - start[0]) * share, start[1] + (end[1] - start[1]) * share

    def by_channel(
        self,
        station: PortFeature | None,
        start: Point,
        end: Point,
        channel: list[Point] | None = None,
    ) -> list[Point]:
        """From ``start`` to ``end`` along ``channel`` (a berth route; by default the
        first behind ``station``): off at the point nearest ``start``, on the route
        to the point nearest ``end``, off to ``end``. Keeps harbour craft off land."""
        if channel is None and station is not None and self.berth_routes.get(station.name):
            channel = self.berth_routes[station.name][0][1]
        if not channel:
            return [start, end]
        route = shapely.LineString(channel)
        way = substring(
            route, route.project(shapely.Point(start)), route.project(shapely.Point(end))
        )
        coords = [] if way.is_empty or way.geom_type == "Point" else list(way.coords)
        return [start, *coords, end]

    def craft_base(self, station: PortFeature, share: float, most_m: float = 3000.0) -> Point:
        """A base for harbour craft inside ``station``'s gate: ``share`` of the way
        along its first berth route, at most ``most_m`` in."""
        route = shapely.LineString(self.berth_routes[station.name][0][1])
        base = route.interpolate(min(most_m, route.length * share))
        return base.x, base.y

    def base_station_points(self) -> list[Point]:
        """On the shore nearest each of the first two pilot stations."""
        stations = self.port.of_kind("pilot_boarding")[:2]
        if self.land.is_empty:
            return [(s.local.x, s.local.y) for s in stations]
        coast = self.land.boundary
        return [_xy(coast.interpolate(coast.project(s.local))) for s in stations]

    def breakwater_lights(self) -> list[tuple[str, Point]]:
        """(name, place) of a light on the land nearest each gate's channel."""
        lights = []
        for station in self.port.of_kind("pilot_boarding"):
            routes = self.berth_routes.get(station.name)
            if not routes or self.land.is_empty:
                continue
            entrance = shapely.LineString(routes[0][1]).interpolate(2500.0)
            head = nearest_points(entrance, self.land)[1]
            name = station.name.replace("pilot station", "").strip().upper()[:14] + " LIGHT"
            lights.append((name, _xy(head)))
        return lights

    def danger_marks(self) -> list[tuple[str, Point]]:
        """(name, place) of a virtual mark on each restricted area."""
        return [
            (
                area.name.upper().replace("(RESTRICTED)", "").strip()[:20],
                _xy(area.local.representative_point()),
            )
            for area in self.port.of_kind("restricted")
        ]


def _xy(point: shapely.Point) -> Point:
    return point.x, point.y


def _midpoint(a: tuple[float, ...], b: tuple[float, ...]) -> Point:
    return (a[0] + b[0]) / 2, (a[1] + b[1]) / 2
