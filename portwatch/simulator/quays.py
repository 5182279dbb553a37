"""Room along a berth: ships lie end to end along the quay, each in its own
stretch with a margin, so no two hulls ever overlap.

A berth polygon's long axis is its quay; a stretch is (from_m, to_m) along it.
"""

from __future__ import annotations

import math
import random

import shapely
from shapely.ops import nearest_points

from portwatch.port.port_file import PortFeature

Point = tuple[float, float]
MARGIN_M = 20.0
"""Clear water between two ships' ends, and at each end of the berth."""
BERTH_INSET_M = 15.0


class Quay:
    """The stretches taken along one berth's long axis."""

    def __init__(self, berth: PortFeature) -> None:
        self.berth = berth
        corners = list(berth.local.minimum_rotated_rectangle.exterior.coords)[:4]
        if math.dist(corners[0], corners[1]) >= math.dist(corners[1], corners[2]):
            self.start, self.end = _middle(corners[0], corners[3]), _middle(corners[1], corners[2])
        else:
            self.start, self.end = _middle(corners[1], corners[0]), _middle(corners[2], corners[3])
        self.length_m = math.dist(self.start, self.end)
        self.taken: list[tuple[float, float]] = []
        inner = berth.local.buffer(-BERTH_INSET_M)
        self._inside = berth.local if inner.is_empty else inner
        """Where a ship's reference point may lie: in the berth, off its edges."""

    @property
    def bearing_deg(self) -> float:
        """Direction of the quay, start to end (a moored ship heads one way or the other)."""
        dx, dy = self.end[0] - self.start[0], self.end[1] - self.start[1]
        return math.degrees(math.atan2(dx, dy)) % 360.0

    def room_for(self, length_m: float, rng: random.Random) -> tuple[float, float] | None:
        """A free stretch for a ship ``length_m`` long (random among the gaps it fits),
        or None. A ship longer than the whole berth may take it alone."""
        need = length_m + MARGIN_M
        if not self.taken and need > self.length_m:
            return (0.0, self.length_m)
        gaps = []
        edge = 0.0
        for taken_from, taken_to in sorted(self.taken):
            if taken_from - edge >= need + MARGIN_M:
                gaps.append((edge, taken_from))
            edge = max(edge, taken_to)
        if self.length_m - edge >= need + MARGIN_M:
            gaps.append((edge, self.length_m))
        if not gaps:
            return None
        gap_from, gap_to = rng.choice(gaps)
        start = rng.uniform(gap_from + MARGIN_M, gap_to - need)
        return (start, start + length_m)

    def take(self, stretch: tuple[float, float]) -> None:
        self.taken.append(stretch)

    def release(self, stretch: tuple[float, float]) -> None:
        self.taken.remove(stretch)

    def spot(self, stretch: tuple[float, float]) -> Point:
        """Where the ship in ``stretch`` lies: the middle of its stretch, brought into
        the berth where the quay bends away from the berth's long axis."""
        share = (stretch[0] + stretch[1]) / 2 / self.length_m if self.length_m else 0.5
        on_axis = shapely.Point(
            self.start[0] + (self.end[0] - self.start[0]) * share,
            self.start[1] + (self.end[1] - self.start[1]) * share,
        )
        if self._inside.contains(on_axis):
            return on_axis.x, on_axis.y
        inside = nearest_points(self._inside, on_axis)[0]
        return inside.x, inside.y


def _middle(a: tuple[float, ...], b: tuple[float, ...]) -> Point:
    return (a[0] + b[0]) / 2, (a[1] + b[1]) / 2
