"""Which vessels are in which of the port's zones, for every vessel at once.

Each zone is a prepared shapely polygon on the port's local plane; a vessel is
tested against a zone only when it lies inside the zone's bounding box (one numpy
comparison for all vessels), and the exact test runs in shapely's C loop over
those vessels (``contains_xy``). There is no Python loop over vessels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from portwatch.port.port_file import Port, PortFeature

ZONE_KINDS = ("approach", "anchorage", "fairway", "berth", "restricted")
"""The polygon kinds a vessel can be in (DESIGN.md's port file)."""


@dataclass(frozen=True, slots=True)
class Zone:
    index: int
    """Column of this zone in a membership matrix."""
    feature: PortFeature

    @property
    def name(self) -> str:
        return self.feature.name

    @property
    def kind(self) -> str:
        return self.feature.kind


class ZoneIndex:
    """The port's polygon zones, their land, and its pilot boarding places."""

    def __init__(self, port: Port) -> None:
        self.zones = tuple(
            Zone(index, feature)
            for index, feature in enumerate(f for f in port.features if f.kind in ZONE_KINDS)
        )
        self.by_name = {zone.name: zone for zone in self.zones}
        geometries = [zone.feature.local for zone in self.zones]
        for geometry in geometries:
            shapely.prepare(geometry)
        self._geometries = geometries
        self._geometry_array = np.array(geometries, dtype=object)
        self._bounds = np.array([g.bounds for g in geometries], dtype=float).reshape(-1, 4)
        self.columns_of_kind = {
            kind: np.array([z.index for z in self.zones if z.kind == kind], dtype=np.intp)
            for kind in ZONE_KINDS
        }
        land = [feature.local for feature in port.coastline]
        self._land = shapely.STRtree(land) if land else None
        stations = port.of_kind("pilot_boarding")
        self.stations = stations
        self._station_xy = np.array(
            [(s.local.x, s.local.y) for s in stations], dtype=float
        ).reshape(-1, 2)

    def __len__(self) -> int:
        return len(self.zones)

    def membership(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """A (vessels × zones) boolean matrix: vessel i lies inside zone j. The boxes of
        every zone against every vessel in one comparison, then one ``contains_xy``
        over the (vessel, zone) pairs inside a box: two calls, whatever the zones."""
        b = self._bounds
        x, y = np.asarray(x)[:, None], np.asarray(y)[:, None]
        boxed = (x >= b[:, 0]) & (x <= b[:, 2]) & (y >= b[:, 1]) & (y <= b[:, 3])
        rows, columns = np.nonzero(boxed)
        if rows.size:
            boxed[rows, columns] = shapely.contains_xy(
                self._geometry_array[columns], x[rows, 0], y[rows, 0]
            )
        return boxed

    def near_land(self, x: np.ndarray, y: np.ndarray, within_m: float) -> np.ndarray:
        """Whether each point lies within ``within_m`` of land (a quay, a shore)."""
        near = np.zeros(len(x), dtype=bool)
        if self._land is None or not len(x):
            return near
        points = shapely.points(x, y)
        hits = self._land.query(points, predicate="dwithin", distance=within_m)
        near[np.unique(hits[0])] = True
        return near

    def on_land(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Whether each point lies on land."""
        return self.near_land(x, y, 0.0)

    def distance_to_station_m(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Straight-line distance to the nearest pilot boarding place (NaN without one)."""
        if not len(self._station_xy):
            return np.full(len(x), np.nan)
        dx = x[:, None] - self._station_xy[None, :, 0]
        dy = y[:, None] - self._station_xy[None, :, 1]
        return np.sqrt(dx * dx + dy * dy).min(axis=1)

    def widths_m(self, columns: np.ndarray) -> np.ndarray:
        """The width of each of the zones ``columns`` (a fairway's): its ``width_m``, else
        twice its area over its perimeter, which is the width of a long strip, bends and
        all, and errs narrow for a stubby or ragged one."""
        widths = []
        for column in columns.tolist():
            given = self.zones[column].feature.properties.get("width_m")
            geometry = self._geometries[column]
            widths.append(given if given else 2.0 * geometry.area / geometry.length)
        return np.array(widths, dtype=float)

    def property_column(self, key: str) -> np.ndarray:
        """A number property per zone (NaN where the zone does not give it)."""
        values = [zone.feature.properties.get(key) for zone in self.zones]
        return np.array([np.nan if v is None else float(v) for v in values], dtype=float)
