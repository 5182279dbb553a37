"""The pilot board's rows as text, one function for the panel, the printout and the
tests alike, so that what is printed is what was on the screen."""

from __future__ import annotations

from portwatch.ais_names import ship_type_name
from portwatch.analytics.pilot_board import BoardEntry, DepartureEntry
from portwatch.display_text import plain
from portwatch.ui.time_text import day_time

INBOUND_COLUMNS = (
    "Station",
    "ETA",
    "Band",
    "Reported ETA",
    "Diff",
    "Vessel",
    "MMSI",
    "Type",
    "LOA",
    "Beam",
    "Draught",
    "Destination",
    "SOG",
    "NM",
    "Anchor / JIT",
)
DEPARTURE_COLUMNS = (
    "Vessel",
    "MMSI",
    "Left berth",
    "Left at",
    "Drops pilot at",
    "ETA",
    "SOG",
    "NM",
)
LARGE_DIFFERENCE_S = 1800.0
"""A reported ETA this far from PortWatch's is highlighted: one of them is wrong."""


def _number(value: float | None, digits: int = 0) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def inbound_cells(entry: BoardEntry) -> tuple[str, ...]:
    band = ""
    if entry.eta_s is not None and entry.eta_early_s is not None and entry.eta_late_s is not None:
        early_min = (entry.eta_s - entry.eta_early_s) / 60
        band = f"-{early_min:.0f}/+{(entry.eta_late_s - entry.eta_s) / 60:.0f} min"
    diff = "" if entry.difference_s is None else f"{entry.difference_s / 60:+.0f} min"
    note = f"waits in {plain(entry.at_anchor)}" if entry.at_anchor else ""
    if entry.jit_speed_kn is not None:
        note = f"JIT {entry.jit_speed_kn:.1f} kn, saves {entry.jit_fuel_saved_t or 0:.1f} t fuel"
    return (
        plain(entry.station),
        day_time(entry.eta_s),
        band,
        day_time(entry.reported_eta_s),
        diff,
        plain(entry.name) or str(entry.mmsi),
        str(entry.mmsi),
        ship_type_name(entry.ship_type) or "",
        _number(entry.length_m),
        _number(entry.beam_m),
        _number(entry.draught_m, 1),
        plain(entry.destination),
        _number(entry.sog_kn, 1),
        "" if entry.distance_m is None else f"{entry.distance_m / 1852:.1f}",
        note,
    )


def departure_cells(entry: DepartureEntry) -> tuple[str, ...]:
    return (
        plain(entry.name) or str(entry.mmsi),
        str(entry.mmsi),
        plain(entry.berth),
        day_time(entry.left_s),
        plain(entry.station),
        day_time(entry.eta_s),
        _number(entry.sog_kn, 1),
        "" if entry.distance_m is None else f"{entry.distance_m / 1852:.1f}",
    )


def large_difference(entry: BoardEntry) -> bool:
    return entry.difference_s is not None and abs(entry.difference_s) >= LARGE_DIFFERENCE_S
