"""The fleet as columns: one row per vessel, numpy arrays the analytics work on.

The fleet keeps one Python object per vessel, which is right for merging reports
one at a time; the analytics ask questions of every vessel at once (who is inside
this polygon, who is slow, who may meet whom), which numpy answers in one call.
Each pass copies in only the vessels whose fix, static data or lost state changed
since the last (an identity check per vessel), so a pass costs what changed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import shapely

from portwatch import vessel_kinds as kinds
from portwatch.geodesy import EARTH_RADIUS_M
from portwatch.port.plane import LocalPlane
from portwatch.vessel import Fix, StaticData, VesselState

CLASS_A, CLASS_B, OTHER = 0, 1, 2
"""Codes of ``VesselColumns.kind``: ships, small craft, everything else (base
stations, aids to navigation, SAR aircraft, beacons), which the watch ignores."""
_KIND_CODE = {kinds.CLASS_A: CLASS_A, kinds.CLASS_B: CLASS_B}
_INITIAL_ROWS = 1024


@dataclass(frozen=True, slots=True)
class WatchBox:
    """A latitude/longitude box: where a vessel must be for the watch to follow it."""

    south: float
    north: float
    west: float
    east: float

    def __iter__(self) -> Iterator[float]:
        return iter((self.south, self.north, self.west, self.east))

    @classmethod
    def around(cls, geometries: Iterable[shapely.Geometry], margin_m: float) -> WatchBox:
        """The lon/lat bounds of ``geometries`` with ``margin_m`` more on every side
        (at least: the east-west margin is measured at the box's poleward edge)."""
        west, south, east, north = shapely.GeometryCollection(list(geometries)).bounds
        dlat = math.degrees(margin_m / EARTH_RADIUS_M)
        poleward = min(89.0, max(abs(south), abs(north)) + dlat)
        dlon = dlat / math.cos(math.radians(poleward))
        return cls(
            max(-90.0, south - dlat),
            min(90.0, north + dlat),
            max(-180.0, west - dlon),
            min(180.0, east + dlon),
        )


@dataclass(slots=True)
class Changes:
    """What one ``sync`` found: rows with a new fix, rows that left the picture."""

    new_fix: np.ndarray
    """Row numbers whose fix is newer than at the last pass."""
    removed: list[tuple[int, int]]
    """(mmsi, row) of vessels gone from the live picture since the last pass; the rows
    are free for reuse after this pass."""


class VesselColumns:
    """Every live vessel as a row of arrays, on the port's local plane.

    Rows are reused after a vessel leaves; ``alive`` says which are in use. Speeds,
    courses and headings that are not available are NaN, a missing status is -1, a
    ship type not given is 0.
    """

    def __init__(self, plane: LocalPlane, watch_box: WatchBox | None = None) -> None:
        self.plane = plane
        self.watch_box = watch_box
        """Vessels get a row only once they have a fix inside this box (kept until they
        leave the live picture); None: every vessel, wherever it is."""
        self.rows: dict[int, int] = {}
        """MMSI → row."""
        self._free: list[int] = []
        self._fixes: list[Fix | None] = []
        self._lost: list[bool] = []
        self._statics: list[StaticData | None] = []
        self.names: list[str | None] = []
        self._extra: dict[str, tuple[type, object, int | None]] = {}
        self._allocate(_INITIAL_ROWS)

    _COLUMNS: ClassVar[dict[str, tuple[type, object]]] = {
        "mmsi": (np.int64, 0),
        "alive": (np.bool_, False),
        "has_fix": (np.bool_, False),
        "x": (np.float64, np.nan),
        "y": (np.float64, np.nan),
        "lat": (np.float64, np.nan),
        "lon": (np.float64, np.nan),
        "sog_kn": (np.float64, np.nan),
        "cog_deg": (np.float64, np.nan),
        "heading_deg": (np.float64, np.nan),
        "status": (np.int16, -1),
        "fix_time_s": (np.float64, np.nan),
        "ship_type": (np.int16, 0),
        "length_m": (np.float64, np.nan),
        "kind": (np.int8, OTHER),
        "lost": (np.bool_, False),
        "eta_reported_s": (np.float64, np.nan),
    }

    def register(self, name: str, dtype: type, fill: object, width: int | None = None) -> None:
        """Add a column of per-vessel working state (``width`` > 0: a matrix with that
        many columns per vessel); it grows with the rows and is reset when a row is
        freed, so a new vessel never inherits the state of the one before it."""
        self._extra[name] = (dtype, fill, width)
        shape = (self.size,) if width is None else (self.size, width)
        setattr(self, name, np.full(shape, fill, dtype=dtype))

    def _allocate(self, size: int) -> None:
        old = len(self._fixes)
        self._fixes.extend([None] * (size - old))
        self._lost.extend([False] * (size - old))
        self._statics.extend([None] * (size - old))
        self.names.extend([None] * (size - old))
        self._free.extend(range(size - 1, old - 1, -1))
        columns = {name: (dtype, fill, None) for name, (dtype, fill) in self._COLUMNS.items()}
        for name, (dtype, fill, width) in {**columns, **self._extra}.items():
            shape = (size,) if width is None else (size, width)
            array = np.full(shape, fill, dtype=dtype)
            if old:
                array[:old] = getattr(self, name)
            setattr(self, name, array)

    @property
    def size(self) -> int:
        return len(self._fixes)

    def fix(self, row: int) -> Fix | None:
        return self._fixes[row]

    def static(self, row: int) -> StaticData | None:
        return self._statics[row]

    def sync(self, vessels: Mapping[int, VesselState]) -> Changes:
        """Bring the columns up to date with the fleet's live vessels (by MMSI).

        The loop touches only Python objects (an identity check per vessel); the
        arrays are written afterwards, a column at a time, for the rows that changed.
        With a ``watch_box``, a vessel without a row is left out until a fix of its
        lies inside the box: a coast's far traffic costs a look at its fix."""
        rows = self.rows
        fixes, statics, lost_now = self._fixes, self._statics, self._lost
        new_fix: list[int] = []
        kinds: list[str] = []
        lost_changed: list[int] = []
        known_before = len(rows)
        added = kept = 0
        box = self.watch_box
        south, north, west, east = box if box is not None else (-90.0, 90.0, -180.0, 180.0)
        for state in vessels.values():
            row = rows.get(state.mmsi)
            if row is None:
                if box is not None:
                    fix = state.fix
                    if fix is None or not (south <= fix.lat <= north and west <= fix.lon <= east):
                        continue
                row = self._take_row(state.mmsi, state)
                fixes, statics, lost_now = self._fixes, self._statics, self._lost
                added += 1
            else:
                kept += 1
            if state.static is not statics[row]:
                self._set_static(row, state)
            if lost_now[row] is not state.lost:
                lost_now[row] = state.lost
                lost_changed.append(row)
            fix = state.fix
            if fix is not fixes[row] and fix is not None:
                fixes[row] = fix
                new_fix.append(row)
                kinds.append(state.kind)
        removed = []
        if kept != known_before:  # some of the rows' vessels are gone
            removed = [(mmsi, rows[mmsi]) for mmsi in rows.keys() - vessels.keys()]
        if lost_changed:
            self.lost[lost_changed] = [lost_now[row] for row in lost_changed]
        rows_changed = np.asarray(new_fix, dtype=np.intp)
        if new_fix:
            self._set_fixes(rows_changed)
            kind_code = _KIND_CODE.get
            self.kind[rows_changed] = [kind_code(k, OTHER) for k in kinds]  # A once a type 5
        return Changes(new_fix=rows_changed, removed=removed)

    def release(self, removed: list[tuple[int, int]]) -> None:
        """Free the rows of vessels that left (after the pass has used them)."""
        for mmsi, row in removed:
            del self.rows[mmsi]
            self._fixes[row] = None
            self._lost[row] = False
            self._statics[row] = None
            self.names[row] = None
            for name, (_dtype, fill) in self._COLUMNS.items():
                getattr(self, name)[row] = fill
            for name, (_dtype, fill, _width) in self._extra.items():
                getattr(self, name)[row] = fill
            self._free.append(row)

    def _take_row(self, mmsi: int, state: VesselState) -> int:
        if not self._free:
            self._allocate(self.size * 2)
        row = self._free.pop()
        self.rows[mmsi] = row
        self.mmsi[row] = mmsi
        self.alive[row] = True
        self.kind[row] = _KIND_CODE.get(state.kind, OTHER)
        return row

    def _set_static(self, row: int, state: VesselState) -> None:
        static = state.static
        self._statics[row] = static
        self.names[row] = static.name
        self.ship_type[row] = static.ship_type or 0
        length = static.length_m
        self.length_m[row] = np.nan if length is None else length
        eta = static.eta_reported_s
        self.eta_reported_s[row] = np.nan if eta is None else eta
        self.kind[row] = _KIND_CODE.get(state.kind, OTHER)

    def _set_fixes(self, rows: np.ndarray) -> None:
        """Copy the new fixes of ``rows`` into the columns, a field at a time."""
        fixes = [self._fixes[row] for row in rows.tolist()]
        _, time_s, lat, lon, sog, cog, heading, status, _ = zip(*fixes, strict=True)
        lat, lon = np.array(lat, dtype=np.float64), np.array(lon, dtype=np.float64)
        self.lat[rows], self.lon[rows] = lat, lon
        self.x[rows], self.y[rows] = self.plane.to_local(lon, lat)
        self.sog_kn[rows] = _with_nan(sog)
        self.cog_deg[rows] = _with_nan(cog)
        self.heading_deg[rows] = _with_nan(heading)
        self.status[rows] = _with_nan(status, missing=-1).astype(np.int16)
        self.fix_time_s[rows] = np.array(time_s, dtype=np.float64)
        self.has_fix[rows] = True

    def velocity_mps(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """East and north speed of ``rows`` in m/s from SOG and COG (0 where unknown)."""
        speed = zero_nan(self.sog_kn[rows]) * (1852.0 / 3600.0)
        course = np.radians(zero_nan(self.cog_deg[rows]))
        return speed * np.sin(course), speed * np.cos(course)


def zero_nan(values: np.ndarray, fill: float = 0.0) -> np.ndarray:
    """``values`` with NaN (not available) as ``fill``: ``np.nan_to_num`` for columns
    that hold no infinities, at a tenth of its cost on a port's few hundred rows."""
    return np.where(np.isnan(values), fill, values)


def in_sorted(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """Whether each of ``values`` is in ``sorted_set`` (sorted, unique): ``np.isin``
    without sorting the set again on every pass."""
    if not len(sorted_set):
        return np.zeros(len(values), dtype=bool)
    place = np.minimum(np.searchsorted(sorted_set, values), len(sorted_set) - 1)
    return sorted_set[place] == values


def ship_type_table(types: object) -> np.ndarray:
    """A lookup table over every AIS ship type (0-255): True for ``types``. Indexing it
    with the ``ship_type`` column answers "is each vessel one of these" in one
    gather, where ``np.isin`` sorts both sides on every pass."""
    table = np.zeros(256, dtype=bool)
    table[np.asarray(sorted(types), dtype=np.intp)] = True
    return table


def of_types(table: np.ndarray, ship_type: np.ndarray) -> np.ndarray:
    """Whether each ship type is one of ``table``'s (see ``ship_type_table``)."""
    return table[ship_type & 0xFF]


def _with_nan(values: tuple, missing: float = np.nan) -> np.ndarray:
    """``values`` as floats, None (not available) as ``missing`` (numpy reads None as NaN)."""
    array = np.array(values, dtype=np.float64)
    if not np.isnan(missing):
        array[np.isnan(array)] = missing
    return array
