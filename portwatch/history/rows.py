"""Conversions between the fleet's values and the history's rows.

Positions are stored in AIS's own integer units, so a fix read back is exactly
the fix the ship sent (to the 1/10000 minute, 1/10 knot and 1/10 degree).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from portwatch.history.schema import LAT_LON_UNITS_PER_DEGREE
from portwatch.vessel import Fix, StaticData, VesselState

STATIC_COLUMNS = tuple(StaticData.__dataclass_fields__)
VESSEL_COLUMNS = ("mmsi", "kind", *STATIC_COLUMNS, "first_seen_s", "last_seen_s")


def fix_from_row(row: Sequence[Any], source_names: dict[int, str]) -> Fix:
    """A ``positions`` row (in table order) back as a fix, rounded to 1e-6 degree
    as the decoder rounds, so a fix read back equals the fix that was stored."""
    mmsi, time_s, lat, lon, sog, cog, heading, status, source = row
    return Fix(
        mmsi,
        float(time_s),
        round(lat / LAT_LON_UNITS_PER_DEGREE, 6),
        round(lon / LAT_LON_UNITS_PER_DEGREE, 6),
        None if sog is None else sog / 10,
        None if cog is None else cog / 10,
        heading,
        status,
        source_names.get(source, "?"),
    )


def static_row(mmsi: int, time_s: float, static: StaticData) -> tuple:
    return (mmsi, time_s, *(getattr(static, name) for name in STATIC_COLUMNS))


def static_from_row(values: Sequence[Any]) -> StaticData:
    """The static columns (in ``STATIC_COLUMNS`` order) as ``StaticData``."""
    return StaticData(*values)


def vessel_row(state: VesselState) -> tuple:
    static = state.static
    return (
        state.mmsi,
        state.kind,
        *(getattr(static, name) for name in STATIC_COLUMNS),
        state.first_seen_s,
        state.last_heard_s,
    )
