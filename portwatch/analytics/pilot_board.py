"""The pilot board: who comes to each pilot boarding place, in order, and who leaves.

What a pilot dispatcher plans from: inbound ships ordered by PortWatch's
estimated time at the pilot boarding place, with its band, the ETA the ship
reports and how far apart they are, the ship's particulars, whether it waits at
anchor (then its estimate is its expected turn), and the just-in-time speed for
a ship that would otherwise only come to wait. Departures (ships that left a
berth and have still to drop their pilot) come in a second list.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass

from portwatch.decoders.jsonl import iso_utc

TRANSIT_FROM_ANCHOR_KN = 10.0
"""Speed assumed from an anchorage to the pilot boarding place."""


@dataclass(frozen=True, slots=True)
class BoardEntry:
    """One ship on the board."""

    station: str
    mmsi: int
    name: str | None
    imo: int | None
    callsign: str | None
    ship_type: int | None
    length_m: float | None
    beam_m: float | None
    draught_m: float | None
    destination: str | None
    sog_kn: float | None
    distance_m: float | None
    """Still to go along the route (straight from the anchorage for a ship at anchor)."""
    eta_s: float | None
    eta_early_s: float | None
    eta_late_s: float | None
    reported_eta_s: float | None
    difference_s: float | None
    """Reported minus estimated: positive when the ship says it comes later."""
    at_anchor: str | None
    """The anchorage it waits in; None when under way."""
    waited_s: float | None
    jit_speed_kn: float | None
    jit_fuel_saved_t: float | None
    jit_co2_saved_t: float | None


@dataclass(frozen=True, slots=True)
class DepartureEntry:
    station: str | None
    mmsi: int
    name: str | None
    berth: str
    left_s: float
    sog_kn: float | None
    distance_m: float | None
    """Straight-line distance to the pilot boarding place where the pilot disembarks."""
    eta_s: float | None


@dataclass(frozen=True, slots=True)
class PilotBoard:
    time_s: float | None
    inbound: tuple[BoardEntry, ...]
    """All pilot boarding places, each ordered by estimated time."""
    departures: tuple[DepartureEntry, ...]

    def for_station(self, station: str) -> tuple[BoardEntry, ...]:
        return tuple(e for e in self.inbound if e.station == station)


CSV_COLUMNS = (
    "station",
    "eta",
    "eta_early",
    "eta_late",
    "reported_eta",
    "difference_min",
    "name",
    "mmsi",
    "imo",
    "callsign",
    "ship_type",
    "length_m",
    "beam_m",
    "draught_m",
    "destination",
    "sog_kn",
    "distance_nm",
    "at_anchor",
    "waited_h",
    "jit_speed_kn",
    "jit_fuel_saved_t",
    "jit_co2_saved_t",
)


def _row(entry: BoardEntry) -> dict[str, object]:
    def when(value: float | None) -> str:
        return "" if value is None else iso_utc(value)

    def number(value: float | None, digits: int = 1) -> object:
        return "" if value is None else round(value, digits)

    return {
        "station": entry.station,
        "eta": when(entry.eta_s),
        "eta_early": when(entry.eta_early_s),
        "eta_late": when(entry.eta_late_s),
        "reported_eta": when(entry.reported_eta_s),
        "difference_min": number(None if entry.difference_s is None else entry.difference_s / 60),
        "name": entry.name or "",
        "mmsi": entry.mmsi,
        "imo": entry.imo or "",
        "callsign": entry.callsign or "",
        "ship_type": entry.ship_type or "",
        "length_m": number(entry.length_m, 0),
        "beam_m": number(entry.beam_m, 0),
        "draught_m": number(entry.draught_m),
        "destination": entry.destination or "",
        "sog_kn": number(entry.sog_kn),
        "distance_nm": number(None if entry.distance_m is None else entry.distance_m / 1852, 2),
        "at_anchor": entry.at_anchor or "",
        "waited_h": number(None if entry.waited_s is None else entry.waited_s / 3600, 2),
        "jit_speed_kn": number(entry.jit_speed_kn),
        "jit_fuel_saved_t": number(entry.jit_fuel_saved_t, 2),
        "jit_co2_saved_t": number(entry.jit_co2_saved_t, 2),
    }


def board_csv(board: PilotBoard) -> str:
    """The inbound list as CSV, one row per ship, the columns of ``CSV_COLUMNS``."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for entry in board.inbound:
        writer.writerow(_row(entry))
    return out.getvalue()


def board_json(board: PilotBoard) -> str:
    return json.dumps(
        {
            "time": None if board.time_s is None else iso_utc(board.time_s),
            "inbound": [_row(e) for e in board.inbound],
            "departures": [
                {
                    **asdict(d),
                    "left": iso_utc(d.left_s),
                    "eta": None if d.eta_s is None else iso_utc(d.eta_s),
                }
                for d in board.departures
            ],
        },
        indent=1,
    )


def board_table(board: PilotBoard) -> str:
    """A plain-text board for a terminal: one block per pilot boarding place."""
    lines = [f"Pilot board at {iso_utc(board.time_s) if board.time_s else '-'}"]
    stations = list(dict.fromkeys(e.station for e in board.inbound))
    for station in stations:
        lines.append("")
        lines.append(f"{station}")
        lines.append(
            f"  {'ETA':<17} {'band':<13} {'reported':<17} {'diff':>6} {'name':<20} "
            f"{'MMSI':>9} {'type':>4} {'LOA':>4} {'draught':>7} {'SOG':>5} {'NM':>5} "
            "anchor/JIT"
        )
        for e in board.for_station(station):
            band = ""
            if e.eta_early_s is not None and e.eta_late_s is not None and e.eta_s is not None:
                early_min = (e.eta_s - e.eta_early_s) / 60
                band = f"-{early_min:.0f}/+{(e.eta_late_s - e.eta_s) / 60:.0f} min"
            note = f"waits in {e.at_anchor}" if e.at_anchor else ""
            if e.jit_speed_kn is not None:
                note = f"JIT {e.jit_speed_kn:.1f} kn saves {e.jit_fuel_saved_t or 0:.1f} t fuel"
            lines.append(
                f"  {_short(e.eta_s):<17} {band:<13} {_short(e.reported_eta_s):<17} "
                f"{'' if e.difference_s is None else f'{e.difference_s / 60:+.0f}m':>6} "
                f"{(e.name or '')[:20]:<20} {e.mmsi:>9} {e.ship_type or '':>4} "
                f"{'' if e.length_m is None else f'{e.length_m:.0f}':>4} "
                f"{'' if e.draught_m is None else f'{e.draught_m:.1f}':>7} "
                f"{'' if e.sog_kn is None else f'{e.sog_kn:.1f}':>5} "
                f"{'' if e.distance_m is None else f'{e.distance_m / 1852:.1f}':>5} {note}"
            )
    if not stations:
        lines.append("  no inbound ships")
    lines.append("")
    lines.append("Departures")
    for d in board.departures:
        lines.append(
            f"  {d.name or d.mmsi} left {d.berth} at {_short(d.left_s)}"
            f"{'' if d.eta_s is None else f', at {d.station} about {_short(d.eta_s)}'}"
        )
    if not board.departures:
        lines.append("  none")
    return "\n".join(lines)


def _short(time_s: float | None) -> str:
    return "" if time_s is None else iso_utc(time_s)[:16].replace("T", " ")
