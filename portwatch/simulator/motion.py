"""Moving along a path on the port's local plane, speeding up and slowing down as a
ship does (a big ship gains or loses about a knot a minute)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import pairwise

KNOT_MPS = 1852.0 / 3600.0


@dataclass(slots=True)
class Leg:
    """A polyline (metres east/north) sailed at ``cruise_kn``, arriving at ``end_kn``."""

    points: list[tuple[float, float]]
    cruise_kn: float
    end_kn: float = 0.0
    _lengths: list[float] = field(default_factory=list)
    length_m: float = field(init=False, default=0.0)

    def __post_init__(self) -> None:
        self._lengths = [math.dist(a, b) for a, b in pairwise(self.points)]
        self.length_m = sum(self._lengths)

    def at(self, distance_m: float) -> tuple[float, float, float]:
        """(x, y, course in degrees) ``distance_m`` along the leg."""
        remaining = max(0.0, distance_m)
        segments = list(zip(pairwise(self.points), self._lengths, strict=True))
        for (a, b), length in segments:
            if remaining <= length:
                share = 0.0 if length == 0 else remaining / length
                return a[0] + (b[0] - a[0]) * share, a[1] + (b[1] - a[1]) * share, _course(a, b)
            remaining -= length
        (a, b), _ = segments[-1]
        return b[0], b[1], _course(a, b)


def _course(a: tuple[float, float], b: tuple[float, float]) -> float:
    return math.degrees(math.atan2(b[0] - a[0], b[1] - a[1])) % 360.0


@dataclass(slots=True)
class Mover:
    """A ship's progress along one leg: distance sailed and speed."""

    leg: Leg
    speed_kn: float
    accel_kn_s: float = 1.0 / 60.0
    sailed_m: float = 0.0
    slow_from_m: float | None = None
    """From this far along the leg on, the ship keeps to ``slow_kn`` at most."""
    slow_kn: float = 12.0

    @property
    def arrived(self) -> bool:
        return self.sailed_m >= self.leg.length_m - 0.5

    def advance(self, seconds: float) -> None:
        """Sail on for ``seconds``: at cruising speed straight on to where the ship
        must start slowing down (or enters its speed zone), otherwise in steps of at
        most two seconds."""
        leg = self.leg
        decel_mps2 = self.accel_kn_s * KNOT_MPS
        while seconds > 0 and not self.arrived:
            cruise_kn = leg.cruise_kn
            zone_m = math.inf  # where the speed zone begins, ahead
            if self.slow_from_m is not None:
                if self.sailed_m >= self.slow_from_m:
                    cruise_kn = min(cruise_kn, self.slow_kn)
                else:
                    zone_m = self.slow_from_m - self.sailed_m
            cruise_mps = cruise_kn * KNOT_MPS
            brake_m = max(0.0, (cruise_mps**2 - (leg.end_kn * KNOT_MPS) ** 2) / (2 * decel_mps2))
            free_m = min(leg.length_m - self.sailed_m - brake_m, zone_m)
            if abs(self.speed_kn - cruise_kn) < 1e-9 and cruise_mps > 0 and free_m > 1e-3:
                run_m = min(free_m, cruise_mps * seconds)
                self.speed_kn = cruise_kn
                self.sailed_m += run_m
                seconds -= run_m / cruise_mps
                continue
            step = min(2.0, seconds)
            seconds -= step
            left_m = leg.length_m - self.sailed_m
            # The fastest speed from which the ship still slows to end_kn in time.
            limit_kn = math.sqrt((leg.end_kn * KNOT_MPS) ** 2 + 2 * decel_mps2 * left_m) / KNOT_MPS
            target_kn = max(min(cruise_kn, limit_kn), leg.end_kn, 0.5)
            change = self.accel_kn_s * step
            self.speed_kn += max(-change, min(change, target_kn - self.speed_kn))
            self.sailed_m = min(leg.length_m, self.sailed_m + self.speed_kn * KNOT_MPS * step)

    def position(self) -> tuple[float, float, float]:
        return self.leg.at(self.sailed_m)
