"""Distances and dead reckoning on the scale of a port approach.

Fixes are compared over seconds to minutes, so a spherical Earth is plenty:
the error against WGS 84 stays below 0.5 %, far inside AIS position noise.
"""

from __future__ import annotations

import math

EARTH_RADIUS_M = 6_371_008.8
"""Mean Earth radius (IUGG)."""
METRES_PER_NM = 1852.0
"""The international nautical mile."""
METRES_PER_SECOND_PER_KNOT = METRES_PER_NM / 3600.0


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points in degrees (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half_dphi = (phi2 - phi1) / 2
    half_dlambda = math.radians(lon2 - lon1) / 2
    a = math.sin(half_dphi) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlambda) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def dead_reckon(
    lat: float, lon: float, sog_kn: float, cog_deg: float, elapsed_s: float
) -> tuple[float, float]:
    """Where a vessel at (lat, lon) is after ``elapsed_s`` at constant speed and course.

    A flat-Earth step in the local tangent plane: exact enough for the minutes
    between two reports, and cheap enough to do for every vessel on every frame.
    """
    run_m = sog_kn * METRES_PER_SECOND_PER_KNOT * elapsed_s
    course = math.radians(cog_deg)
    dlat = math.degrees(run_m * math.cos(course) / EARTH_RADIUS_M)
    cos_lat = max(1e-6, math.cos(math.radians(lat)))
    dlon = math.degrees(run_m * math.sin(course) / (EARTH_RADIUS_M * cos_lat))
    return lat + dlat, (lon + dlon + 180.0) % 360.0 - 180.0


_METRES_PER_DEGREE = EARTH_RADIUS_M * math.pi / 180.0


def local_distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance between two nearby points (equirectangular), haversine beyond a degree.

    Fixes of one vessel a few seconds apart are metres to kilometres apart; there
    the flat approximation is within 0.01 % of haversine at a third of the cost.
    """
    dlat = lat2 - lat1
    dlon = lon2 - lon1
    if -1.0 < dlat < 1.0 and -1.0 < dlon < 1.0:
        east = dlon * math.cos(math.radians((lat1 + lat2) * 0.5))
        return _METRES_PER_DEGREE * math.hypot(dlat, east)
    return distance_m(lat1, lon1, lat2, lon2)
