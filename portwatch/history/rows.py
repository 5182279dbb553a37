"""Conversions between the fleet's values and the history's rows.

Positions are stored in AIS's own integer units, so a fix read back is exactly
the fix that was decoded (microdegrees, 1/10 knot and 1/10 degree), and at the
time it was decoded with, to the millisecond (a receive time, for live input
without a time of its own, is rounded to the millisecond). Two fixes of one
vessel at the same millisecond are one row: the first written stays.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from portwatch.vessel import StaticData, VesselState

STATIC_COLUMNS = tuple(StaticData.__dataclass_fields__)
VESSEL_COLUMNS = ("mmsi", "kind", *STATIC_COLUMNS, "first_seen_s", "last_seen_s")


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
