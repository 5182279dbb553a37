"""A snapshot's vessels as flat numpy arrays on the port's local plane: what the
map draws each frame. No Qt here, so it is timed and tested on its own.

Rows are kept per vessel between frames (a snapshot hands the same frozen
``VesselView`` for a vessel that has not changed), so a frame costs one pass over
the changed vessels and one gather into arrays.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from portwatch.display_text import plain
from portwatch.port.plane import LocalPlane
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
    heading_rad: np.ndarray
    """Heading, else course over ground, clockwise from north; 0 when neither."""
    sog_kn: np.ndarray
    symbol: np.ndarray
    colour: np.ndarray
    lost: np.ndarray
    hull_m: np.ndarray
    """(n, 4): to bow, to stern, to port, to starboard from the antenna; NaN unknown."""
    names: list[str]
    trail_x_m: np.ndarray
    trail_y_m: np.ndarray
    trail_connect: np.ndarray
    """Every trail's points end to end; 0 where one trail ends (pyqtgraph's connect)."""

    def __len__(self) -> int:
        return len(self.mmsi)

    def index_of(self, mmsi: int) -> int | None:
        found = np.flatnonzero(self.mmsi == mmsi)
        return int(found[0]) if len(found) else None


_Row = tuple[int, float, float, float, float, int, int, bool, float, float, float, float]
_Entry = tuple[VesselView, _Row, str, np.ndarray | None]
"""The view it was made from, its row, its name, its trail (lon, lat columns)."""


class VesselPictureBuilder:
    """Turns snapshots into ``VesselPicture``s on ``plane``, reusing the rows of
    vessels that did not change."""

    def __init__(self, plane: LocalPlane) -> None:
        self.plane = plane
        self._rows: dict[int, _Entry] = {}

    def build(self, vessels: Mapping[int, VesselView]) -> VesselPicture:
        rows = self._rows
        fresh: dict[int, _Entry] = {}
        for mmsi, vessel in vessels.items():
            if vessel.fix is None:
                continue
            known = rows.get(mmsi)
            fresh[mmsi] = known if known is not None and known[0] is vessel else _row(vessel)
        self._rows = fresh
        count = len(fresh)
        table = np.array([entry[1] for entry in fresh.values()], dtype=np.float64).reshape(
            count, 12
        )
        lon, lat = table[:, 1], table[:, 2]
        x_m, y_m = self.plane.to_local(lon, lat)
        trails = [entry[3] for entry in fresh.values() if entry[3] is not None]
        if trails:
            points = np.concatenate(trails)
            trail_x, trail_y = self.plane.to_local(points[:, 0], points[:, 1])
            connect = np.ones(len(points), dtype=np.int32)
            connect[np.cumsum([len(t) for t in trails]) - 1] = 0
        else:
            trail_x = trail_y = np.empty(0)
            connect = np.empty(0, dtype=np.int32)
        return VesselPicture(
            mmsi=table[:, 0].astype(np.int64),
            x_m=np.asarray(x_m, dtype=np.float64),
            y_m=np.asarray(y_m, dtype=np.float64),
            heading_rad=table[:, 3],
            sog_kn=table[:, 4],
            symbol=table[:, 5].astype(np.int8),
            colour=table[:, 6].astype(np.int8),
            lost=table[:, 7].astype(bool),
            hull_m=table[:, 8:12],
            names=[entry[2] for entry in fresh.values()],
            trail_x_m=np.asarray(trail_x, dtype=np.float64),
            trail_y_m=np.asarray(trail_y, dtype=np.float64),
            trail_connect=connect,
        )


def _row(vessel: VesselView) -> _Entry:
    fix = vessel.fix
    assert fix is not None
    direction = fix.heading_deg if fix.heading_deg is not None else fix.cog_deg
    static = vessel.static
    nan = math.nan
    row = (
        vessel.mmsi, fix.lon, fix.lat, math.radians(direction or 0.0), fix.sog_kn or 0.0,
        symbol(vessel), colour_group(static.ship_type), vessel.lost,
        nan if static.to_bow_m is None else static.to_bow_m,
        nan if static.to_stern_m is None else static.to_stern_m,
        nan if static.to_port_m is None else static.to_port_m,
        nan if static.to_starboard_m is None else static.to_starboard_m,
    )  # fmt: skip
    trail = None
    if len(vessel.trail) >= 2 and not vessel.lost:
        trail = np.array([(point.lon, point.lat) for point in vessel.trail], dtype=np.float64)
    return vessel, row, plain(static.name), trail
