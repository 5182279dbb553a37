"""A local metric plane centred on the port: metres east and north of its reference.

An equirectangular projection about the reference point: across an approach zone
of 50 km its distances are within 0.2 % of the ellipsoid's, far inside what AIS
positions and zone drawings are worth, and it is a multiply per coordinate, so
it can be applied to every vessel at once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely

from portwatch.geodesy import EARTH_RADIUS_M

_METRES_PER_DEGREE = EARTH_RADIUS_M * math.pi / 180.0


@dataclass(frozen=True, slots=True)
class LocalPlane:
    """Metres east/north of (``lon0``, ``lat0``)."""

    lon0: float
    lat0: float

    @property
    def _east_per_degree(self) -> float:
        return _METRES_PER_DEGREE * math.cos(math.radians(self.lat0))

    def to_local(self, lon: np.ndarray | float, lat: np.ndarray | float) -> tuple:
        """Longitude/latitude (scalars or arrays) as metres (x east, y north)."""
        east = (np.asarray(lon, dtype=float) - self.lon0) * self._east_per_degree
        north = (np.asarray(lat, dtype=float) - self.lat0) * _METRES_PER_DEGREE
        return east, north

    def to_lonlat(self, x: np.ndarray | float, y: np.ndarray | float) -> tuple:
        """Metres east/north back to longitude/latitude."""
        lon = np.asarray(x, dtype=float) / self._east_per_degree + self.lon0
        lat = np.asarray(y, dtype=float) / _METRES_PER_DEGREE + self.lat0
        return lon, lat

    def geometry_to_local(self, geometry: shapely.Geometry) -> shapely.Geometry:
        """A lon/lat geometry on the plane (all its coordinates at once)."""
        return shapely.transform(geometry, self._coords_to_local)

    def _coords_to_local(self, coords: np.ndarray) -> np.ndarray:
        east, north = self.to_local(coords[:, 0], coords[:, 1])
        return np.column_stack((east, north))
