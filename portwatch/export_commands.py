"""``portwatch track`` and ``portwatch vessels``: history out as GeoJSON or CSV.

Both read through their own read-only connection, so they can run while
``portwatch run`` is writing the same database.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from portwatch.command_files import redirected_output, refuse_writing_over_inputs
from portwatch.decoders.jsonl import iso_utc
from portwatch.history.store import HistoryError, HistoryStore, VesselRecord
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


def run_track(
    mmsi: int,
    db_path: str,
    since_s: float | None,
    until_s: float | None,
    fmt: str,
    output: TextIO | None = None,
) -> int:
    out = output or sys.stdout
    if output is None:
        refuse_writing_over_inputs([redirected_output()], [db_path])  # ``>> history.sqlite``
    try:
        with HistoryStore.open(db_path, create=False, readonly=True) as store:
            fixes = store.track(mmsi, since_s, until_s)
            vessel = store.vessel(mmsi)
    except HistoryError as error:
        print(f"portwatch track: {error}", file=sys.stderr)
        return 2
    if not fixes:
        known = "no such vessel in" if vessel is None else "no positions in that period in"
        print(f"portwatch track: {mmsi}: {known} {db_path}", file=sys.stderr)
        return 1
    if fmt == "csv":
        write_track_csv(fixes, out)
    else:
        json.dump(track_geojson(mmsi, vessel, fixes), out, ensure_ascii=False)
        out.write("\n")
    out.flush()
    print(f"{len(fixes)} positions of {mmsi}", file=sys.stderr)
    return 0


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
            "properties": _fix_properties(f),
        }
        for f in fixes
    ]
    return {"type": "FeatureCollection", "features": [line, *points]}


def write_track_csv(fixes: Sequence[Fix], out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(TRACK_CSV_COLUMNS)
    for fix in fixes:
        properties = _fix_properties(fix)
        writer.writerow([properties[column] for column in TRACK_CSV_COLUMNS])


def run_vessels(db_path: str, active: bool, fmt: str, output: TextIO | None = None) -> int:
    out = output or sys.stdout
    if output is None:
        refuse_writing_over_inputs([redirected_output()], [db_path])
    try:
        with HistoryStore.open(db_path, create=False, readonly=True) as store:
            latest_s = store.latest_time_s()
            since_s = None
            if active:
                since_s = (latest_s or 0.0) - ACTIVE_WINDOW_S
            vessels = store.vessels(seen_since_s=since_s)
    except HistoryError as error:
        print(f"portwatch vessels: {error}", file=sys.stderr)
        return 2
    rows = [_vessel_properties(vessel) for vessel in vessels]
    if fmt == "json":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    else:
        writer = csv.DictWriter(out, VESSEL_CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    out.flush()
    print(f"{len(rows)} vessels", file=sys.stderr)
    return 0


def _fix_properties(fix: Fix) -> dict[str, Any]:
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


def _vessel_properties(vessel: VesselRecord) -> dict[str, Any]:
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
