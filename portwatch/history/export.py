"""History out as GeoJSON, CSV or JSON Lines: what ``portwatch track`` and
``portwatch vessels`` do.

Both read through their own read-only connection, so they can run while
``portwatch run`` is writing the same database. A database that is not there or
cannot be read raises ``HistoryError``.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from typing import Any, TextIO

from portwatch.decoders.jsonl import iso_utc
from portwatch.history.store import HistoryStore, VesselRecord
from portwatch.vessel import Fix

ACTIVE_WINDOW_S = 3600.0
"""``--active``: heard in the last hour of data."""
TRACK_CSV_COLUMNS = (
    "time", "lat", "lon", "sog_kn", "cog_deg", "heading_deg", "nav_status", "source",
)  # fmt: skip
VESSEL_CSV_COLUMNS = (
    "mmsi", "name", "callsign", "imo", "kind", "ship_type", "length_m", "beam_m",
    "draught_m", "destination", "eta_reported", "first_seen", "last_seen",
)  # fmt: skip


def read_track(
    db_path: str, mmsi: int, since_s: float | None = None, until_s: float | None = None
) -> tuple[list[Fix], VesselRecord | None]:
    """The stored fixes of ``mmsi`` from ``since_s`` to ``until_s`` (either open), in
    time order, and what history knows of the vessel (None: never heard)."""
    with HistoryStore.open(db_path, create=False, readonly=True) as store:
        return store.track(mmsi, since_s, until_s), store.vessel(mmsi)


def read_vessels(db_path: str, active: bool = False) -> list[VesselRecord]:
    """Every vessel in the history with its latest static data; ``active``: only
    those heard in the last ``ACTIVE_WINDOW_S`` of data."""
    with HistoryStore.open(db_path, create=False, readonly=True) as store:
        since_s = None
        if active:
            since_s = (store.latest_time_s() or 0.0) - ACTIVE_WINDOW_S
        return store.vessels(seen_since_s=since_s)


def write_track(
    mmsi: int, vessel: VesselRecord | None, fixes: Sequence[Fix], out: TextIO, fmt: str
) -> None:
    """The track as ``fmt``: ``geojson`` (``track_geojson``) or ``csv``."""
    if fmt == "csv":
        write_track_csv(fixes, out)
    else:
        json.dump(track_geojson(mmsi, vessel, fixes), out, ensure_ascii=False)
        out.write("\n")


def track_geojson(mmsi: int, vessel: VesselRecord | None, fixes: Sequence[Fix]) -> dict[str, Any]:
    """A FeatureCollection: the track as a LineString, then each fix as a Point."""
    name = vessel.static.name if vessel is not None else None
    line = {
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": [[f.lon, f.lat] for f in fixes]},
        "properties": {
            "mmsi": mmsi,
            "name": name,
            "start": iso_utc(fixes[0].time_s),
            "end": iso_utc(fixes[-1].time_s),
            "positions": len(fixes),
        },
    }
    points = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [f.lon, f.lat]},
            "properties": fix_properties(f),
        }
        for f in fixes
    ]
    return {"type": "FeatureCollection", "features": [line, *points]}


def write_track_csv(fixes: Sequence[Fix], out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(TRACK_CSV_COLUMNS)
    for fix in fixes:
        properties = fix_properties(fix)
        writer.writerow([properties[column] for column in TRACK_CSV_COLUMNS])


def write_vessels(vessels: Sequence[VesselRecord], out: TextIO, fmt: str) -> None:
    """The vessels as ``fmt``: ``csv`` (``VESSEL_CSV_COLUMNS``) or ``json`` (JSON Lines)."""
    rows = [vessel_properties(vessel) for vessel in vessels]
    if fmt == "json":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    else:
        writer = csv.DictWriter(out, VESSEL_CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def fix_properties(fix: Fix) -> dict[str, Any]:
    return {
        "time": iso_utc(fix.time_s),
        "lat": fix.lat,
        "lon": fix.lon,
        "sog_kn": fix.sog_kn,
        "cog_deg": fix.cog_deg,
        "heading_deg": fix.heading_deg,
        "nav_status": fix.nav_status,
        "source": fix.source,
    }


def vessel_properties(vessel: VesselRecord) -> dict[str, Any]:
    static = vessel.static
    return {
        "mmsi": vessel.mmsi,
        "name": static.name,
        "callsign": static.callsign,
        "imo": static.imo,
        "kind": vessel.kind,
        "ship_type": static.ship_type,
        "length_m": static.length_m,
        "beam_m": static.beam_m,
        "draught_m": static.draught_m,
        "destination": static.destination,
        "eta_reported": iso_utc(static.eta_reported_s),
        "first_seen": iso_utc(vessel.first_seen_s),
        "last_seen": iso_utc(vessel.last_seen_s),
    }
