"""The engine's events: what happened, when (data clock), to which vessel.

One format for the ``--events`` JSON Lines file and the history's ``events``
table; DESIGN.md's "Event stream" lists the kinds and their keys.
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from portwatch.decoders.jsonl import iso_utc


class Event(NamedTuple):
    """One event. A named tuple, so that batches of events travel to the history
    writer's process as plain tuples (a tenth of the cost of pickling objects)."""

    time_s: float
    kind: str
    mmsi: int | None
    name: str | None = None
    lat: float | None = None
    lon: float | None = None
    details: dict[str, Any] | None = None
    """The kind's further keys (e.g. ``silent_s`` for ``lost``)."""

    def to_json(self) -> dict[str, Any]:
        """The event-stream object: time as ISO 8601 UTC, further keys inline."""
        return {
            "time": iso_utc(self.time_s),
            "kind": self.kind,
            "mmsi": self.mmsi,
            "name": self.name,
            "lat": self.lat,
            "lon": self.lon,
            **(self.details or {}),
        }

    def to_json_text(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, separators=(", ", ": "))
