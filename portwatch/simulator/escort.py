"""Harbour craft keeping station on a moving ship: a pilot boat runs alongside
while the pilot climbs the ladder, a tug follows a ship up the channel.

The craft steers for its station (a point fixed to the ship) at up to its top
speed, gaining or losing speed as a small boat does, so its track is continuous
and its speeds plausible however the ship turns.
"""

from __future__ import annotations

import math

from portwatch.simulator.motion import KNOT_MPS

STEP_S = 2.0
CLOSING_TIME_S = 45.0
"""How quickly the craft means to close the gap to its station."""
SMALL_CRAFT_ACCEL_KN_S = 0.25


def station_point(
    x: float, y: float, course_deg: float, ahead_m: float, abeam_m: float
) -> tuple[float, float]:
    """The point ``ahead_m`` along ``course_deg`` from (x, y) and ``abeam_m`` to starboard."""
    course = math.radians(course_deg)
    east, north = math.sin(course), math.cos(course)
    return x + east * ahead_m + north * abeam_m, y + north * ahead_m - east * abeam_m


def chase(
    position: tuple[float, float, float, float],
    target_from: tuple[float, float],
    target_to: tuple[float, float],
    target_speed_kn: float,
    top_kn: float,
    seconds: float,
) -> tuple[float, float, float, float]:
    """Steer from ``position`` (x, y, course, speed) for a target moving from
    ``target_from`` to ``target_to`` over ``seconds``; returns the new position."""
    x, y, course_deg, speed_kn = position
    steps = max(1, math.ceil(seconds / STEP_S))
    step_s = seconds / steps
    for index in range(1, steps + 1):
        share = index / steps
        tx = target_from[0] + (target_to[0] - target_from[0]) * share
        ty = target_from[1] + (target_to[1] - target_from[1]) * share
        gap_m = math.hypot(tx - x, ty - y)
        wanted_kn = min(top_kn, target_speed_kn + gap_m / CLOSING_TIME_S / KNOT_MPS)
        change = SMALL_CRAFT_ACCEL_KN_S * step_s
        speed_kn += max(-change, min(change, wanted_kn - speed_kn))
        run_m = min(gap_m, speed_kn * KNOT_MPS * step_s)
        if gap_m > 0.5:
            course_deg = math.degrees(math.atan2(tx - x, ty - y)) % 360.0
            x += (tx - x) / gap_m * run_m
            y += (ty - y) / gap_m * run_m
    return x, y, course_deg, speed_kn
