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

from portwatch.analytics.picture import zero_nan
from portwatch.port.port_file import Port

CORRIDOR_M = 3_000.0
"""A vessel this far from a route may be on it (lanes are wide; ships keep clear)."""
HEADING_TOLERANCE_DEG = 60.0
"""...when its course is within this of the route's direction where it lies."""
LOCATE_CHUNK = 1024
"""Vessels located at once: (vessels × routes × segments) arrays of a few MB."""


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
        width = max((len(segments[0]) for segments in self._segments), default=0)
        count = len(self.routes)
        start, step = np.zeros((count, width, 2)), np.zeros((count, width, 2))
        length, before = np.ones((count, width)), np.zeros((count, width))
        self._real = np.zeros((count, width), dtype=bool)
        for index, (s0, st, ln, bf) in enumerate(self._segments):
            start[index, : len(s0)], step[index, : len(s0)] = s0, st
            length[index, : len(s0)], before[index, : len(s0)] = ln, bf
            self._real[index, : len(s0)] = True
        self._padded_segments = (start, step, length, before)
        self._direction = np.arctan2(step[..., 0], step[..., 1])
        self._lengths = np.array([route.length_m for route in self.routes] + [np.nan])
        """Each route's length, and NaN for "on none" (index -1)."""
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
        """Which route each vessel at (``x``, ``y``) heading ``cog_deg`` follows: of the
        routes within the corridor that it heads along, the nearest (the first of
        equals). Every vessel against every segment of every route at once, a
        chunk of vessels at a time (memory stays flat in a crowd)."""
        n = len(x)
        best = np.full(n, -1, dtype=np.intp)
        best_offset = np.full(n, np.inf)
        best_along = np.zeros(n)
        if not n or not self.routes:
            return RoutePosition(best, best_along, np.full(n, np.nan), best_offset)
        course_known = ~np.isnan(cog_deg)  # no course: aligned with no route
        course = np.radians(zero_nan(cog_deg))
        cos_tolerance = np.cos(np.radians(tolerance_deg))
        for first in range(0, n, LOCATE_CHUNK):
            part = slice(first, first + LOCATE_CHUNK)
            offset, along, direction = self._project_all(x[part], y[part])
            aligned = course_known[part, None] & (
                np.cos(course[part, None] - direction) >= cos_tolerance
            )
            offset = np.where((offset <= corridor_m) & aligned, offset, np.inf)
            nearest = offset.argmin(axis=1)
            rows = np.arange(len(nearest))
            found = np.isfinite(offset[rows, nearest])
            best[part] = np.where(found, nearest, -1)
            best_offset[part] = offset[rows, nearest]
            best_along[part] = np.where(found, along[rows, nearest], 0.0)
        rest = self._lengths[best] - best_along  # best = -1 picks the NaN at the end
        join = np.minimum(best_offset, zero_nan(rest))  # converge at 45 degrees
        remaining = rest - join + np.hypot(best_offset, join)
        remaining[best < 0] = np.nan
        best_offset[best < 0] = np.nan
        return RoutePosition(best, best_along, remaining, best_offset)

    def _project_all(
        self, x: np.ndarray, y: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(vessels × routes) distance from each route, distance along it to the nearest
        point, and the direction of the segment there. The same as shapely's
        ``distance`` and ``line_locate_point`` (the tests hold it to them), without a
        geometry per vessel (which cost more than the rest of a pass), and for every
        route at once: segments padded to the longest route's count, never nearest."""
        start, step, length, before = self._padded_segments
        dx = x[:, None, None] - start[None, :, :, 0]
        dy = y[:, None, None] - start[None, :, :, 1]
        t = np.clip((dx * step[..., 0] + dy * step[..., 1]) / (length * length), 0.0, 1.0)
        ex = dx - t * step[..., 0]
        ey = dy - t * step[..., 1]
        distance = np.hypot(ex, ey)
        distance[:, ~self._real] = np.inf
        nearest = distance.argmin(axis=2)
        pick = np.arange(len(x))[:, None], np.arange(len(self.routes))[None, :], nearest
        segment = np.arange(len(self.routes))[None, :], nearest
        along = before[segment] + t[pick] * length[segment]
        direction = self._direction[segment]
        return distance[pick], along, direction


def _segments(line: shapely.LineString) -> tuple[np.ndarray, ...]:
    """A route's segments: start points, vectors, lengths, distance along before each."""
    coords = np.asarray(line.coords, dtype=float)[:, :2]
    step = np.diff(coords, axis=0)
    length = np.hypot(step[:, 0], step[:, 1])
    keep = length > 0
    before = np.concatenate([[0.0], np.cumsum(length)[:-1]])
    return coords[:-1][keep], step[keep], length[keep], before[keep]


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
