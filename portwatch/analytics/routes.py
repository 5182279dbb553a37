"""The port's routes as a network: where each inbound vessel joins one, and how far
it has still to go along it to the pilot boarding place or berth it leads to.

A port file's routes run from sea to a pilot boarding place and from there to
the berths (DESIGN.md). A vessel is *on* a route when it lies within a corridor
of it and heads along it (its course within a few tens of degrees of the route's
direction there); of several, the nearest wins. Off the line, it is taken to
converge at 45 degrees, so it joins the route as far ahead as it lies to the
side: what it has to go is then the join leg plus the rest of the route. All of
it is computed for every vessel at once, in numpy over each route's segments.
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
        self._segments = [_segments(route.line) for route in self.routes]
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
        course = np.radians(np.nan_to_num(cog_deg, nan=np.inf))
        cos_tolerance = np.cos(np.radians(tolerance_deg))
        for route, (start, step, length, before) in zip(self.routes, self._segments, strict=True):
            x0, y0, x1, y1 = route.line.bounds  # only vessels near the route's box
            near = np.flatnonzero(
                (x >= x0 - corridor_m)
                & (x <= x1 + corridor_m)
                & (y >= y0 - corridor_m)
                & (y <= y1 + corridor_m)
            )
            if not near.size:
                continue
            offset, along, direction = _project(x[near], y[near], start, step, length, before)
            aligned = np.cos(course[near] - direction) >= cos_tolerance
            chosen = (offset <= corridor_m) & (offset < best_offset[near]) & aligned
            rows = near[chosen]
            best[rows] = route.index
            best_offset[rows] = offset[chosen]
            best_along[rows] = along[chosen]
        lengths = np.array([route.length_m for route in self.routes] + [np.nan])
        rest = lengths[best] - best_along  # best = -1 picks the NaN at the end
        join = np.minimum(best_offset, np.nan_to_num(rest))  # converge at 45 degrees
        remaining = rest - join + np.hypot(best_offset, join)
        remaining[best < 0] = np.nan
        best_offset[best < 0] = np.nan
        return RoutePosition(best, best_along, remaining, best_offset)


def _segments(line: shapely.LineString) -> tuple[np.ndarray, ...]:
    """A route's segments: start points, vectors, lengths, distance along before each."""
    coords = np.asarray(line.coords, dtype=float)[:, :2]
    step = np.diff(coords, axis=0)
    length = np.hypot(step[:, 0], step[:, 1])
    keep = length > 0
    before = np.concatenate([[0.0], np.cumsum(length)[:-1]])
    return coords[:-1][keep], step[keep], length[keep], before[keep]


def _project(
    x: np.ndarray,
    y: np.ndarray,
    start: np.ndarray,
    step: np.ndarray,
    length: np.ndarray,
    before: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each point's distance from a polyline, distance along it to the nearest point,
    and the direction (radians from north) of the segment there. The same as
    shapely's ``distance`` and ``line_locate_point`` (the tests hold it to them),
    without making a geometry per vessel, which cost more than the rest of a pass."""
    dx = x[:, None] - start[None, :, 0]
    dy = y[:, None] - start[None, :, 1]
    t = np.clip((dx * step[None, :, 0] + dy * step[None, :, 1]) / (length * length), 0.0, 1.0)
    ex = dx - t * step[None, :, 0]
    ey = dy - t * step[None, :, 1]
    distance = np.hypot(ex, ey)
    nearest = distance.argmin(axis=1)
    rows = np.arange(len(x))
    along = before[nearest] + t[rows, nearest] * length[nearest]
    direction = np.arctan2(step[nearest, 0], step[nearest, 1])
    return distance[rows, nearest], along, direction


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
