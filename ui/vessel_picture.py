"""A snapshot's vessels as flat numpy arrays on the port's local plane: what the
map draws each frame. No Qt here, so it is timed and tested on its own.

Rows are kept per vessel between frames (a snapshot hands the same frozen
``VesselView`` for a vessel that has not changed), so a frame costs an identity
match at C speed, one pass over the changed vessels and one gather into arrays.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import chain

import numpy as np

from portwatch.display_text import plain
from portwatch.port.plane import LocalPlane
from portwatch.ui.snapshot_diff import diff_views
from portwatch.vessel import VesselView
from portwatch.vessel_kinds import (
    AID_TO_NAVIGATION,
    BASE_STATION,
    CLASS_B,
    EPIRB,
    MAN_OVERBOARD,
    SAR_AIRCRAFT,
    SART,
)

# Symbols, by what an operator must tell apart at a glance.
SHIP, SMALL_SHIP, AT_ANCHOR, MOORED, BASE, AID, AIRCRAFT, DISTRESS, NO_HEADING = range(9)
# Colours, by ITU ship-type group.
OTHER, CARGO, TANKER, PASSENGER, HIGH_SPEED, SPECIAL, FISHING, PLEASURE, UNKNOWN_TYPE = range(9)


def colour_group(ship_type: int | None) -> int:
    """ITU-R M.1371 Table 53 'type of ship' as a colour group."""
    if ship_type is None or ship_type <= 0:
        return UNKNOWN_TYPE
    tens = ship_type // 10
    if tens == 7:
        return CARGO
    if tens == 8:
        return TANKER
    if tens == 6:
        return PASSENGER
    if tens in (4, 2):
        return HIGH_SPEED
    if tens == 5 or ship_type in (31, 32, 33, 34, 35):
        return SPECIAL  # pilot, SAR, tug, port tender, law enforcement; towing, dredging, diving
    if ship_type == 30:
        return FISHING
    if ship_type in (36, 37):
        return PLEASURE
    return OTHER


def symbol(vessel: VesselView) -> int:
    kind = vessel.kind
    if kind in (SART, MAN_OVERBOARD, EPIRB):
        return DISTRESS
    if kind == BASE_STATION:
        return BASE
    if kind == AID_TO_NAVIGATION:
        return AID
    if kind == SAR_AIRCRAFT:
        return AIRCRAFT
    fix = vessel.fix
    status = fix.nav_status if fix is not None else None
    moving = fix is not None and (fix.sog_kn or 0.0) >= 0.5
    if status == 1 and not moving:
        return AT_ANCHOR
    if status == 5 and not moving:
        return MOORED
    if fix is not None and fix.heading_deg is None and fix.cog_deg is None:
        return NO_HEADING
    return SMALL_SHIP if kind == CLASS_B else SHIP


@dataclass(slots=True)
class VesselPicture:
    """Parallel arrays, one entry per vessel with a position."""

    mmsi: np.ndarray
    x_m: np.ndarray
    y_m: np.ndarray
    bow_rad: np.ndarray
    """Where the bow points: the heading, else the course over ground; clockwise
    from north, 0 when neither is known. Symbols and hulls turn to it."""
    cog_rad: np.ndarray
    """Course over ground, else the heading: where the vessel is going (vectors)."""
    sog_kn: np.ndarray
    symbol: np.ndarray
    colour: np.ndarray
    lost: np.ndarray
    hull_m: np.ndarray
    """(n, 4): to bow, to stern, to port, to starboard from the antenna; NaN unknown."""
    names: list[str]
    trails: list[np.ndarray]
    """Each trail to draw, (n, 2) points on the plane; joined only when drawn."""

    def __len__(self) -> int:
        return len(self.mmsi)

    def joined_trails(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every trail end to end: x, y, and pyqtgraph's connect (0 ends a trail)."""
        if not self.trails:
            empty = np.empty(0)
            return empty, empty, np.empty(0, dtype=np.int32)
        points = np.concatenate(self.trails)
        connect = np.ones(len(points), dtype=np.int32)
        connect[np.cumsum([len(t) for t in self.trails]) - 1] = 0
        return points[:, 0], points[:, 1], connect

    def index_of(self, mmsi: int) -> int | None:
        found = np.flatnonzero(self.mmsi == mmsi)
        return int(found[0]) if len(found) else None


_Row = tuple[
    int, float, float, float, float, int, int, bool, float, float, float, float, bool, float
]
COLUMNS = 14
_PLACED = 12
"""Table column: 1 when the vessel has a position (only those are drawn)."""
_COG = 13


class VesselPictureBuilder:
    """Turns snapshots into ``VesselPicture``s on ``plane``.

    It keeps a table with a row per vessel, in the snapshot's order, and rewrites
    only the rows of vessels whose view changed since the last snapshot, so a
    frame costs in proportion to the reports that came in, not to the fleet.
    """

    def __init__(self, plane: LocalPlane) -> None:
        self.plane = plane
        self._reset()

    def _reset(self) -> None:
        self._mmsis: list[int] = []
        self._views: list[VesselView] = []
        self._table = np.empty((0, COLUMNS))
        self._local = np.empty((0, 2))
        self._names: list[str] = []
        self._trails: list[np.ndarray | None] = []
        """Per row: the trail's points on the plane, (n, 2), or None."""

    def build(self, vessels: Mapping[int, VesselView]) -> VesselPicture:
        diff = diff_views(self._mmsis, self._views, vessels)
        if diff is None:  # vessels left the picture: drop their rows, keep the rest
            self._drop_departed(vessels)
            diff = diff_views(self._mmsis, self._views, vessels)
        if diff is None:  # the order changed too: start afresh
            self._reset()
            diff = diff_views(self._mmsis, self._views, vessels)
            assert diff is not None
        changed = diff.changed.tolist()
        views = self._views
        for row in changed:
            views[row] = vessels[self._mmsis[row]]
        for mmsi in diff.added:
            changed.append(len(views))
            self._mmsis.append(mmsi)
            views.append(vessels[mmsi])
            self._names.append("")
            self._trails.append(None)
        self._grow(len(views))
        if changed:
            self._update_rows(changed)
        table = self._table[: len(views)]
        local = self._local[: len(views)]
        placed = table[:, _PLACED] == 1.0
        if placed.all():
            names = list(self._names)
            trails = [t for t in self._trails if t is not None]
        else:
            table, local = table[placed], local[placed]
            keep = placed.tolist()
            names = [name for name, kept in zip(self._names, keep, strict=True) if kept]
            trails = [
                t for t, kept in zip(self._trails, keep, strict=True) if kept and t is not None
            ]
        return VesselPicture(
            mmsi=table[:, 0].astype(np.int64),
            x_m=local[:, 0].copy(),
            y_m=local[:, 1].copy(),
            bow_rad=table[:, 3].copy(),
            cog_rad=table[:, _COG].copy(),
            sog_kn=table[:, 4].copy(),
            symbol=table[:, 5].astype(np.int8),
            colour=table[:, 6].astype(np.int8),
            lost=table[:, 7].astype(bool),
            hull_m=table[:, 8:12].copy(),
            names=names,
            trails=trails,
        )

    def _drop_departed(self, vessels: Mapping[int, VesselView]) -> None:
        kept = [mmsi in vessels for mmsi in self._mmsis]
        count = len(kept)
        mask = np.array(kept, dtype=bool)
        self._table = self._table[:count][mask]
        self._local = self._local[:count][mask]
        self._mmsis = [m for m, k in zip(self._mmsis, kept, strict=True) if k]
        self._views = [v for v, k in zip(self._views, kept, strict=True) if k]
        self._names = [n for n, k in zip(self._names, kept, strict=True) if k]
        self._trails = [t for t, k in zip(self._trails, kept, strict=True) if k]

    def _grow(self, count: int) -> None:
        if count <= len(self._table):
            return
        capacity = max(count, 2 * len(self._table), 256)
        table = np.empty((capacity, COLUMNS))
        table[: len(self._table)] = self._table
        local = np.empty((capacity, 2))
        local[: len(self._local)] = self._local
        self._table, self._local = table, local

    def _update_rows(self, rows: list[int]) -> None:
        views = self._views
        flat = chain.from_iterable(_row(views[row]) for row in rows)
        values = np.fromiter(flat, dtype=np.float64, count=len(rows) * COLUMNS)
        values = values.reshape(len(rows), COLUMNS)
        self._table[rows] = values
        x_m, y_m = self.plane.to_local(values[:, 1], values[:, 2])
        self._local[rows, 0] = x_m
        self._local[rows, 1] = y_m
        trailed: list[int] = []
        for row in rows:
            vessel = views[row]
            self._names[row] = plain(vessel.static.name)
            self._trails[row] = None
            if len(vessel.trail) >= 2 and not vessel.lost and vessel.fix is not None:
                trailed.append(row)
        if trailed:
            self._project_trails(trailed)

    def _project_trails(self, rows: list[int]) -> None:
        """The trails of ``rows`` onto the plane in one numpy pass: a projection per
        trail cost more than the rest of a frame when thousands reported at once."""
        trails = [self._views[row].trail.points for row in rows]
        lengths = [len(trail) for trail in trails]
        points = np.concatenate(trails)  # time, lat, lon
        x_m, y_m = self.plane.to_local(points[:, 2], points[:, 1])
        local = np.column_stack([x_m, y_m])
        start = 0
        for row, end in zip(rows, itertools.accumulate(lengths), strict=True):
            self._trails[row] = local[start:end]
            start = end


def _row(vessel: VesselView) -> _Row:
    fix = vessel.fix
    static = vessel.static
    nan = math.nan
    if fix is None:  # kept in the table, not drawn; a finite place keeps to_local quiet
        return (
            vessel.mmsi,
            0.0,
            0.0,
            0.0,
            0.0,
            symbol(vessel),
            colour_group(static.ship_type),
            vessel.lost,
            nan,
            nan,
            nan,
            nan,
            False,
            0.0,
        )
    direction = fix.heading_deg if fix.heading_deg is not None else fix.cog_deg
    course = fix.cog_deg if fix.cog_deg is not None else fix.heading_deg
    return (
        vessel.mmsi,
        fix.lon,
        fix.lat,
        math.radians(direction or 0.0),
        fix.sog_kn or 0.0,
        symbol(vessel),
        colour_group(static.ship_type),
        vessel.lost,
        nan if static.to_bow_m is None else static.to_bow_m,
        nan if static.to_stern_m is None else static.to_stern_m,
        nan if static.to_port_m is None else static.to_port_m,
        nan if static.to_starboard_m is None else static.to_starboard_m,
        True,
        math.radians(course or 0.0),
    )
