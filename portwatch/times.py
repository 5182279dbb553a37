"""Times as users type them on the command line: ISO 8601 UTC or Unix seconds."""

from __future__ import annotations

from datetime import UTC, datetime

from portwatch.decoders.errors import PortwatchError

EARLIEST_S = 0.0
LATEST_S = 253_402_300_799.0
"""9999-12-31T23:59:59Z, the last time ``datetime`` can show."""


class TimeFormatError(PortwatchError, ValueError):
    """A time that is neither ISO 8601 nor Unix seconds, or out of range; a ValueError
    too, as ``float()`` and ``datetime.fromisoformat`` raise for such text."""


def parse_time(text: str) -> float:
    """``2024-03-12T10:00:00Z``, ``2024-03-12 10:00``, ``2024-03-12`` (UTC when no
    zone is given) or Unix seconds, as Unix seconds."""
    stripped = text.strip()
    try:
        seconds = float(stripped)
    except ValueError:
        pass
    else:
        if not EARLIEST_S <= seconds <= LATEST_S:  # also refuses nan and inf
            raise TimeFormatError(f"{text!r} is not a time between 1970 and 9999")
        return seconds
    try:
        moment = datetime.fromisoformat(stripped.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise TimeFormatError(
            f"{text!r} is not a time: use ISO 8601 (2024-03-12T10:00:00Z) or Unix seconds"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()
