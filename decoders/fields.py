"""Field conversions shared by the fast decoders and the pyais adapter."""

from __future__ import annotations

import calendar
from datetime import datetime


def utc_seconds(
    year: int, month: int, day: int, hour: int, minute: int, second: int
) -> float | None:
    """A UTC date and time as transmitted (types 4, 11) as Unix seconds.

    None when any part is "not available" (year, month or day 0, hour 24,
    minute 60, second 60) or the date does not exist.
    """
    if not (year and month and day) or hour >= 24 or minute >= 60 or second >= 60:
        return None
    try:
        datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None
    return float(calendar.timegm((year, month, day, hour, minute, second)))
