"""The engine's events: what happened, when (data clock), to which vessel.

One format for the ``--events`` JSON Lines file and the history's ``events``
table; DESIGN.md's "Event stream" lists the kinds and their keys.
"""

from __future__ import annotations

import csv
import io
import json
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
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


CSV_COLUMNS = ("time", "kind", "mmsi", "name", "zone", "lat", "lon", "details")
"""The event log's CSV: the keys every event has, its zone, and the rest as JSON."""


def events_csv(events: Iterable[Event]) -> str:
    """Events as CSV with ``CSV_COLUMNS``: a spreadsheet's view of the stream."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for event in events:
        details = dict(event.details or {})
        zone = details.pop("zone", None)
        writer.writerow(
            (
                iso_utc(event.time_s),
                event.kind,
                "" if event.mmsi is None else event.mmsi,
                event.name or "",
                zone or "",
                "" if event.lat is None else event.lat,
                "" if event.lon is None else event.lon,
                json.dumps(details, ensure_ascii=False, sort_keys=True) if details else "",
            )
        )
    return out.getvalue()


def events_jsonl(events: Iterable[Event]) -> str:
    """Events as the event stream's JSON Lines, as ``--events FILE`` writes them."""
    return "".join(event.to_json_text() + "\n" for event in events)


@dataclass(frozen=True, slots=True)
class EventFilter:
    """What an event log shows: some kinds (empty: all), one zone, one vessel (by
    MMSI or a part of its name)."""

    kinds: frozenset[str] = frozenset()
    zone: str | None = None
    vessel: str = ""

    def accepts(self, event: Event) -> bool:
        if self.kinds and event.kind not in self.kinds:
            return False
        if self.zone and (event.details or {}).get("zone") != self.zone:
            return False
        wanted = self.vessel.strip().lower()
        if wanted:
            name = (event.name or "").lower()
            mmsi = "" if event.mmsi is None else str(event.mmsi)
            other = str((event.details or {}).get("other_mmsi") or "")
            if wanted not in name and not mmsi.startswith(wanted) and not other.startswith(wanted):
                return False
        return True


@dataclass(slots=True)
class RecentEvents:
    """The last ``keep`` events, each numbered, so that a reader (the window's event
    log) takes only those after the last number it saw: no copy of the whole log
    each time, and never unbounded."""

    keep: int = 20_000
    events: deque[Event] = field(default_factory=deque)
    last_number: int = 0
    """The number of the newest event (numbers start at 1)."""

    def extend(self, events: Iterable[Event]) -> None:
        for event in events:
            self.events.append(event)
            self.last_number += 1
        while len(self.events) > self.keep:
            self.events.popleft()

    def after(self, number: int) -> tuple[int, list[Event]]:
        """(the newest number, the events numbered above ``number`` still kept)."""
        new = min(len(self.events), max(0, self.last_number - number))
        if not new:
            return self.last_number, []
        return self.last_number, list(self.events)[-new:]
