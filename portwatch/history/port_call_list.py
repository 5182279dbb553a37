"""Port calls as a planner lists them: each call's arrival at the pilot boarding
place, its time at anchor, berthing and departure, and how long each part took.

Built from the events the history keeps (``arrival`` at a pilot boarding place or
a berth, ``anchored`` and ``anchor_up``, leaving the berth's zone), one vessel at
a time in time order: a call starts with the first of these after the vessel's
last call ended, and ends when it leaves its berth. So the list needs nothing
but the history, for the command line and the window alike.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from portwatch.decoders.jsonl import iso_utc
from portwatch.events import Event

CALL_EVENT_KINDS = ("arrival", "anchored", "anchor_up", "zone_exit")


@dataclass(frozen=True, slots=True)
class PortCallRow:
    """One call of one vessel; None where that step has not happened (yet)."""

    mmsi: int
    name: str | None
    started_s: float
    """The call's first step: at anchor, at the pilot boarding place or alongside."""
    station: str | None
    station_s: float | None
    """Arrival at the pilot boarding place (inbound)."""
    anchorage: str | None
    anchored_s: float | None
    """When it first came to anchor during the call."""
    at_anchor_s: float
    """Time at anchor during the call (so far, for a stay that has not ended)."""
    berth: str | None
    terminal: str | None
    berthed_s: float | None
    departed_s: float | None
    """Left the berth; None while alongside or not yet berthed."""

    @property
    def alongside_s(self) -> float | None:
        if self.berthed_s is None or self.departed_s is None:
            return None
        return self.departed_s - self.berthed_s

    @property
    def station_to_berth_s(self) -> float | None:
        if self.station_s is None or self.berthed_s is None:
            return None
        return self.berthed_s - self.station_s

    @property
    def in_port_s(self) -> float | None:
        return None if self.departed_s is None else self.departed_s - self.started_s

    @property
    def day(self) -> str:
        """The call's day (UTC), as the list filters by it."""
        return iso_utc(self.started_s)[:10]


@dataclass(slots=True)
class _Call:
    mmsi: int
    name: str | None
    started_s: float
    station: str | None = None
    station_s: float | None = None
    anchorage: str | None = None
    anchored_s: float | None = None
    at_anchor_s: float = 0.0
    anchor_since_s: float | None = None
    berth: str | None = None
    berthed_s: float | None = None
    departed_s: float | None = None

    def row(self, terminals: Mapping[str, str], until_s: float | None) -> PortCallRow:
        at_anchor = self.at_anchor_s
        if self.anchor_since_s is not None and until_s is not None:
            at_anchor += max(0.0, until_s - self.anchor_since_s)
        return PortCallRow(
            mmsi=self.mmsi,
            name=self.name,
            started_s=self.started_s,
            station=self.station,
            station_s=self.station_s,
            anchorage=self.anchorage,
            anchored_s=self.anchored_s,
            at_anchor_s=at_anchor,
            berth=self.berth,
            terminal=terminals.get(self.berth) if self.berth else None,
            berthed_s=self.berthed_s,
            departed_s=self.departed_s,
        )


def build_port_calls(
    events: Iterable[Event],
    terminals: Mapping[str, str] | None = None,
    now_s: float | None = None,
) -> list[PortCallRow]:
    """The port calls in ``events`` (any order; only ``CALL_EVENT_KINDS`` are used),
    by start time. ``terminals``: berth name → terminal; ``now_s``: counts the time at
    anchor of a stay still going on up to then."""
    terminals = terminals or {}
    calls: list[_Call] = []
    current: dict[int, _Call] = {}
    for event in sorted(events, key=lambda e: (e.time_s, e.kind)):
        if event.mmsi is None or event.kind not in CALL_EVENT_KINDS:
            continue
        details = event.details or {}
        call = current.get(event.mmsi)
        if event.kind == "zone_exit":
            if (
                call is not None
                and details.get("zone_kind") == "berth"
                and details.get("zone") == call.berth
                and call.berthed_s is not None
            ):
                call.departed_s = event.time_s
                del current[event.mmsi]
            continue
        if event.kind == "anchor_up":
            if call is not None and call.anchor_since_s is not None:
                call.at_anchor_s += event.time_s - call.anchor_since_s
                call.anchor_since_s = None
            continue
        outbound = details.get("target_kind") == "pilot_boarding" and (
            call is not None and call.berthed_s is not None
        )
        if outbound:
            continue  # past the pilot boarding place on its way out: still its call
        if call is None:
            call = _Call(event.mmsi, event.name, event.time_s)
            current[event.mmsi] = call
            calls.append(call)
        call.name = event.name or call.name
        if event.kind == "anchored":
            call.anchor_since_s = event.time_s
            if call.anchored_s is None:
                call.anchored_s, call.anchorage = event.time_s, details.get("zone")
        elif details.get("target_kind") == "pilot_boarding":
            if call.station_s is None:
                call.station_s, call.station = event.time_s, details.get("target")
        elif details.get("target_kind") == "berth" and call.berthed_s is None:
            call.berthed_s, call.berth = event.time_s, details.get("target")
    return sorted(
        (call.row(terminals, now_s) for call in calls), key=lambda row: (row.started_s, row.mmsi)
    )


def calls_since(rows: Sequence[PortCallRow], since_s: float | None) -> list[PortCallRow]:
    """The calls still going on at ``since_s`` or begun after it."""
    if since_s is None:
        return list(rows)
    return [r for r in rows if r.departed_s is None or r.departed_s >= since_s]


def read_port_calls(
    db_path: str, since_s: float | None = None, terminals: Mapping[str, str] | None = None
) -> list[PortCallRow]:
    """The port calls in history going on at ``since_s`` or begun after it (all
    without). A call begun before ``since_s`` is read from up to three days earlier."""
    from portwatch.history.store import HistoryStore

    with HistoryStore.open(db_path, create=False, readonly=True) as store:
        early = None if since_s is None else since_s - 3 * 86_400.0
        events = store.events(kinds=CALL_EVENT_KINDS, since_s=early)
        now_s = store.latest_time_s()
    return calls_since(build_port_calls(events, terminals, now_s), since_s)


CSV_COLUMNS = (
    "mmsi",
    "name",
    "started",
    "station",
    "at_station",
    "anchorage",
    "anchored",
    "at_anchor_h",
    "berth",
    "terminal",
    "berthed",
    "departed",
    "station_to_berth_h",
    "alongside_h",
    "in_port_h",
)


def _record(row: PortCallRow) -> dict[str, object]:
    def when(value: float | None) -> str:
        return "" if value is None else iso_utc(value)

    def hours(value: float | None) -> object:
        return "" if value is None else round(value / 3600.0, 2)

    return {
        "mmsi": row.mmsi,
        "name": row.name or "",
        "started": when(row.started_s),
        "station": row.station or "",
        "at_station": when(row.station_s),
        "anchorage": row.anchorage or "",
        "anchored": when(row.anchored_s),
        "at_anchor_h": hours(row.at_anchor_s),
        "berth": row.berth or "",
        "terminal": row.terminal or "",
        "berthed": when(row.berthed_s),
        "departed": when(row.departed_s),
        "station_to_berth_h": hours(row.station_to_berth_s),
        "alongside_h": hours(row.alongside_s),
        "in_port_h": hours(row.in_port_s),
    }


def port_calls_csv(rows: Iterable[PortCallRow]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(_record(row))
    return out.getvalue()


def port_calls_json(rows: Iterable[PortCallRow]) -> str:
    """One JSON object per call, the CSV's keys with empty values as null."""
    return "".join(
        json.dumps({k: (None if v == "" else v) for k, v in _record(r).items()}) + "\n"
        for r in rows
    )


def port_calls_table(rows: Sequence[PortCallRow]) -> str:
    """A plain-text list for a terminal."""
    lines = [
        f"{'vessel':<22} {'MMSI':>9}  {'pilot':<11} {'anchor h':>8}  {'berth':<24} "
        f"{'berthed':<11} {'departed':<11} {'alongside h':>11}"
    ]
    for row in rows:
        record = _record(row)
        lines.append(
            f"{(row.name or '')[:22]:<22} {row.mmsi:>9}  {_short(row.station_s):<11} "
            f"{record['at_anchor_h'] or '':>8}  {(row.berth or '')[:24]:<24} "
            f"{_short(row.berthed_s):<11} {_short(row.departed_s):<11} "
            f"{record['alongside_h']:>11}"
        )
    if not rows:
        lines.append("no port calls")
    return "\n".join(lines)


def _short(time_s: float | None) -> str:
    return "" if time_s is None else iso_utc(time_s)[5:16].replace("T", " ")
