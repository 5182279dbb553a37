"""Resolve the ETA a ship reports (month, day, hour, minute; no year) to a UTC time."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from functools import lru_cache

_HALF_YEAR_S = 183 * 86400.0


def resolve_reported_eta(
    month: int | None,
    day: int | None,
    hour: int | None,
    minute: int | None,
    message_time_s: float | None,
) -> float | None:
    """The reported ETA as Unix seconds, or None when it cannot be known.

    Type 5 carries no year. The year is the one that puts the ETA within half a
    year of the message: an ETA in early January sent in late December is next
    year, a stale ETA from last December sent in January is last year. Fields
    at their "not available" values (month 0, day 0, hour 24, minute 60) or an
    impossible date (30 February) give None, as does a message without a time.
    """
    if message_time_s is None or not month or not day or hour is None or minute is None:
        return None
    if not (1 <= month <= 12 and 1 <= day <= 31 and 0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    year = time.gmtime(message_time_s).tm_year
    best: float | None = None
    for eta_s in _candidates(year, month, day, hour, minute):
        distance = abs(eta_s - message_time_s)
        if distance <= _HALF_YEAR_S and (best is None or distance < abs(best - message_time_s)):
            best = eta_s
    return best


@lru_cache(maxsize=4096)
def _candidates(year: int, month: int, day: int, hour: int, minute: int) -> tuple[float, ...]:
    """The ETA in the year before, of and after the message (valid dates only).

    Cached: a ship repeats the same ETA in every type 5 it sends.
    """
    candidates = []
    for candidate_year in (year - 1, year, year + 1):
        try:
            moment = datetime(candidate_year, month, day, hour, minute, tzinfo=UTC)
        except ValueError:
            continue
        candidates.append(moment.timestamp())
    return tuple(candidates)
