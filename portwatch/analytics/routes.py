"""The port's routes as a network: where each inbound vessel joins one, and how far
it has still to go along it to the pilot boarding place or berth it leads to.

A port file's routes run from sea to a pilot boarding place and from there to
the berths (DESIGN.md). A vessel is *on* a route when it lies within a corridor
of it and heads along it (its course within a few tens of degrees of the route's
direction there); of several, the nearest wins. Off the line, it is taken to
converge at 45 degrees, so it joins the route as far ahead as it lies to the
side: what it has to go is then the join leg plus the rest of the route. All of
it is computed for every vessel at once, one shapely call per route.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from portwatch.port.port_file import Port

CORRIDOR_M = 3_000.0
"""A vessel this far from a route may be on it (lanes are wide; ships keep clear)."""
HEADING_TOLERANCE_DEG = 60.0
"""...when its course is within this of the route's direction where it lies."""
BEARING_STEP_M = 50.0


@dataclass(frozen=True, slots=True)
class Route:
    index: int
    name: str
    target: str
    """The pilot boarding place or berth the route leads to (its ``to``)."""
    target_kind: str
    line: shapely.LineString
    """On the port's local plane, in metres."""

    @property
    def length_m(self) -> float:
        return float(self.line.length)


@dataclass(frozen=True, slots=True)
class RoutePosition:
    """Where each vessel stands on the network (arrays, one entry per vessel)."""

    route: np.ndarray
    """Index of the route it is on; -1 when on none."""
    along_m: np.ndarray
    """Distance from the route's start to the vessel's projection on it."""
    remaining_m: np.ndarray
    """Distance still to go to the route's target (NaN when on none)."""
    offset_m: np.ndarray
    """Distance from the route's line."""


class RouteNetwork:
    """Every route of a port, with the arithmetic of standing on one."""

    def __init__(self, port: Port) -> None:
        kinds = {f.name: f.kind for f in port.features}
        self.routes = tuple(
            Route(
                index, f.name, str(f.properties["to"]), kinds.get(f.properties["to"], ""), f.local
            )
            for index, f in enumerate(port.of_kind("route"))
        )
        for route in self.routes:
            shapely.prepare(route.line)
        self.targets = tuple(dict.fromkeys(route.target for route in self.routes))
        self.next_routes: dict[str, tuple[Route, ...]] = {
            target: tuple(r for r in self.routes if _starts_near(r, port, target))
            for target in self.targets
        }
        """Routes that start where a target is (on from a pilot boarding place to berths)."""

    def __len__(self) -> int:
        return len(self.routes)

    def locate(
        self,
        x: np.ndarray,
        y: np.ndarray,
        cog_deg: np.ndarray,
        corridor_m: float = CORRIDOR_M,
        tolerance_deg: float = HEADING_TOLERANCE_DEG,
    ) -> RoutePosition:
        """Which route each vessel at (``x``, ``y``) heading ``cog_deg`` follows."""
        n = len(x)
        best = np.full(n, -1, dtype=np.intp)
        best_offset = np.full(n, np.inf)
        best_along = np.zeros(n)
        if not n or not self.routes:
            return RoutePosition(best, best_along, np.full(n, np.nan), best_offset)
        points = shapely.points(x, y)
        course = np.radians(np.nan_to_num(cog_deg, nan=np.inf))
        for route in self.routes:
            offset = shapely.distance(route.line, points)
            near = np.flatnonzero((offset <= corridor_m) & (offset < best_offset))
            if not near.size:
                continue
            along = shapely.line_locate_point(route.line, points[near])
            here = shapely.line_interpolate_point(route.line, np.maximum(along - BEARING_STEP_M, 0))
            ahead = shapely.line_interpolate_point(route.line, along + BEARING_STEP_M)
            dx = shapely.get_x(ahead) - shapely.get_x(here)
            dy = shapely.get_y(ahead) - shapely.get_y(here)
            direction = np.arctan2(dx, dy)
            aligned = np.cos(course[near] - direction) >= np.cos(np.radians(tolerance_deg))
            chosen = near[aligned]
            best[chosen] = route.index
            best_offset[chosen] = offset[near][aligned]
            best_along[chosen] = along[aligned]
        lengths = np.array([route.length_m for route in self.routes] + [np.nan])
        rest = lengths[best] - best_along  # best = -1 picks the NaN at the end
        join = np.minimum(best_offset, np.nan_to_num(rest))  # converge at 45 degrees
        remaining = rest - join + np.hypot(best_offset, join)
        remaining[best < 0] = np.nan
        best_offset[best < 0] = np.nan
        return RoutePosition(best, best_along, remaining, best_offset)


def _starts_near(route: Route, port: Port, target: str, within_m: float = 1_500.0) -> bool:
    """Whether ``route`` begins at the place ``target`` names (a pilot boarding place,
    whose routes on lead to the berths)."""
    try:
        place = port.feature(target)
    except KeyError:
        return False
    if route.target == target:
        return False
    start = shapely.Point(route.line.coords[0])
    return bool(place.local.distance(start) <= within_m)
