"""The port as the simulator sails it: water and land, the traffic lanes in from
sea, the routes from each pilot boarding place to its berths, where ships lie in a
berth, where harbour craft, base stations and aids to navigation are.

Everything here is fixed by the port file; the traffic's randomness comes in only
through the ``rng`` a caller passes.
"""

from __future__ import annotations

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
        shapely.prepare(self.land)
        self.water = port.of_kind("approach")[0].local.difference(self.land)
        self.lanes: list[tuple[PortFeature, PortFeature]] = [
            (route, port.feature(route.properties["to"]))
            for route in port.of_kind("route")
            if port.feature(route.properties["to"]).kind == "pilot_boarding"
        ]
        """(route in from sea, its pilot boarding place)."""
        self.berth_routes: dict[str, list[tuple[PortFeature, list[Point]]]] = {}
        """Per pilot boarding place: (berth, route there) for each route starting at
        it to a berth where ships call (one without a ``use``)."""
        self.craft_routes: dict[str, list[list[Point]]] = {}
        """Per pilot boarding place: routes to its craft's berths (ferry terminals)."""
        for route in port.of_kind("route"):
            target = port.feature(route.properties["to"])
            if target.kind != "berth":
                continue
            start = shapely.Point(route.local.coords[0])
            for station in port.of_kind("pilot_boarding"):
                if start.distance(station.local) > station.properties["radius_m"]:
                    continue
                points = list(route.local.coords)
                if "use" in target.properties:
                    self.craft_routes.setdefault(station.name, []).append(points)
                else:
                    self.berth_routes.setdefault(station.name, []).append((target, points))
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

    def bases(self, station: PortFeature, use: str) -> list[PortFeature]:
        """The berths with ``use`` (tugs, pilots, ferries) that belong to ``station``."""
        return [
            berth
            for berth in self.port.of_kind("berth")
            if berth.properties.get("use") == use
            and berth.properties.get("station") == station.name
        ]

    def marinas(self) -> list[PortFeature]:
        """Berths where small craft lie (``use`` marina or fishing)."""
        return [
            b
            for b in self.port.of_kind("berth")
            if b.properties.get("use") in ("marina", "fishing")
        ]

    @staticmethod
    def takes_passengers(berth: PortFeature) -> bool:
        """A cruise terminal: only passenger ships berth there, and only there."""
        text = f"{berth.name} {berth.properties.get('terminal', '')}".lower()
        return "cruise" in text

    def clear(self, a: Point, b: Point) -> bool:
        """Is the straight run from ``a`` to ``b`` clear of land?"""
        return a == b or not shapely.LineString([a, b]).intersects(self.land)

    def way(self, station: PortFeature | None, start: Point, end: Point) -> list[Point]:
        """From ``start`` to ``end`` clear of land: straight, or by one point of the
        station's routes (its gate first), or along them."""
        if self.clear(start, end):
            return [start, end]
        routes = self._routes(station)
        for points in routes:
            for via in points[1:]:
                if self.clear(start, via) and self.clear(via, end):
                    return [start, via, end]
        return self.by_routes(station, start, end)

    def by_routes(
        self,
        station: PortFeature | None,
        start: Point,
        end: Point,
        end_route: list[Point] | None = None,
    ) -> list[Point]:
        """From ``start`` to ``end`` by the channels of ``station`` (its berth routes):
        straight when nothing is in the way."""
        routes = self._routes(station)
        if not routes or self.clear(start, end):
            return [start, end]
        from_route = self.nearest_route(start, routes)
        return self.along_routes(
            start, end, from_route, end_route or self.nearest_route(end, routes)
        )

    def into_berth(self, route: list[Point], spot: Point) -> list[Point]:
        """``route`` cut where its last stretch clear of land to ``spot`` begins, then
        ``spot``: the way from the pilot station to a ship's place at its quay."""
        line = shapely.LineString(route)
        along = line.project(shapely.Point(spot))
        for back_m in (0.0, 150.0, 300.0, 600.0, 1000.0):
            cut = max(0.0, along - back_m)
            point = line.interpolate(cut)
            if self.clear((point.x, point.y), spot):
                kept = substring(line, 0.0, cut)
                head = [] if kept.geom_type == "Point" else list(kept.coords)
                return [*(head or [route[0]]), spot]
        return [*route, spot]

    def inside_point(self, channel: list[Point]) -> Point:
        """The first point of ``channel`` (a way in from a pilot station) from which
        the station cannot be seen across open water: inside the breakwater, where a
        tug waits for its ship."""
        for point in channel[1:]:
            if not self.clear(point, channel[0]):
                return point
        return channel[-1]

    def nearest_route(self, point: Point, routes: list[list[Point]]) -> list[Point]:
        """The route nearest ``point`` that it reaches straight, clear of land."""

        def reach(points: list[Point]) -> float:
            line = shapely.LineString(points)
            near = line.interpolate(line.project(shapely.Point(point)))
            gap = near.distance(shapely.Point(point))
            return gap if self.clear(point, (near.x, near.y)) else gap + 1e9

        return min(routes, key=reach)

    @staticmethod
    def along_routes(
        start: Point, end: Point, route_a: list[Point], route_b: list[Point]
    ) -> list[Point]:
        """From ``start`` (by ``route_a``) to ``end`` (by ``route_b``): off at the point
        of ``route_a`` nearest ``start``, along it to where the two routes part, along
        ``route_b`` to the point nearest ``end``, and off to ``end``. Routes from one
        pilot station share their first points, so this keeps to the channels."""
        shared = 0
        while shared < min(len(route_a), len(route_b)) and route_a[shared] == route_b[shared]:
            shared += 1
        line_a, line_b = shapely.LineString(route_a), shapely.LineString(route_b)
        from_a = line_a.project(shapely.Point(start))
        to_b = line_b.project(shapely.Point(end))
        if route_a == route_b:
            legs = [substring(line_a, from_a, to_b)]
        else:
            fork_a = line_a.project(shapely.Point(route_a[max(shared - 1, 0)]))
            fork_b = line_b.project(shapely.Point(route_b[max(shared - 1, 0)]))
            legs = [substring(line_a, from_a, fork_a), substring(line_b, fork_b, to_b)]
        path = [start]
        for leg in legs:
            if not leg.is_empty and leg.geom_type != "Point":
                path.extend(leg.coords)
        path.append(end)
        return [p for i, p in enumerate(path) if i == 0 or p != path[i - 1]]

    def _routes(self, station: PortFeature | None) -> list[list[Point]]:
        if station is None:
            return []
        ships = [points for _, points in self.berth_routes.get(station.name, [])]
        return ships + self.craft_routes.get(station.name, [])

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
