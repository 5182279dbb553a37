"""The history database's schema, created and evolved by ``sqlite_utils`` migrations.

Positions are the bulk (millions a day), so they are stored as small integers:
microdegrees (exactly the decoder's rounding of AIS's 1/10000 minute, from
which the AIS value can be recovered), 1/10 knot and 1/10 degree as AIS sends
them, in a ``WITHOUT ROWID`` table clustered on (mmsi, time_s). A track is
then one contiguous range of pages, and a row costs about 35 bytes with no
separate index. The ``fixes`` view shows them in degrees and knots.

``time_s`` is kept to the millisecond the time arrived with (tag blocks and
Gatehouse lines can carry milliseconds). SQLite stores a whole second in the
column as a 4-byte integer and a fraction as an 8-byte real, both in one
numeric order: the usual whole-second feed costs nothing, and the table needs
no rewrite to hold fractions (m002).
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATION_SET = "portwatch"
WHOLE_SECONDS_UNTIL = "positions_whole_seconds_until_s"
"""Settings key: in a database written before times kept their milliseconds, the
data time up to which positions stay at whole seconds, as they were stored."""
LAT_LON_UNITS_PER_DEGREE = 1_000_000
"""Microdegrees: the decoder gives degrees rounded to 1e-6 (floor((10 * raw + 3) / 6)
of AIS's 1/10000 minute), so a stored integer divided by a million is the decoded
value to the bit, and four bytes hold it as they would the AIS value."""

migrations = Migrations(MIGRATION_SET)
READABLE_WITHOUT = frozenset({"m002_sub_second_times", "m003_watch", "m004_lost_and_found"})
"""Schema steps that change nothing a reader (``HistoryStore``'s queries) relies
on: a database still without them opens read-only as it is."""

# Written out, not derived from ``StaticData``: a migration must stay as it shipped.
_STATIC_COLUMNS_1 = {
    "name": str,
    "callsign": str,
    "imo": int,
    "ship_type": int,
    "to_bow_m": int,
    "to_stern_m": int,
    "to_port_m": int,
    "to_starboard_m": int,
    "draught_m": float,
    "destination": str,
    "eta_reported_s": float,
}


@migrations()
def m001_initial(db: Database) -> None:
    db["sources"].create({"id": int, "name": str}, pk="id", not_null={"name"})
    db["sources"].create_index(["name"], unique=True)
    db["vessels"].create(
        {
            "mmsi": int,
            "kind": str,
            **_STATIC_COLUMNS_1,
            "first_seen_s": float,
            "last_seen_s": float,
        },
        pk="mmsi",
    )
    db["vessels"].create_index(["last_seen_s"])
    db.execute(
        """
        CREATE TABLE positions (
            mmsi INTEGER NOT NULL,
            time_s INTEGER NOT NULL,    -- Unix seconds UTC (data clock)
            lat INTEGER NOT NULL,       -- microdegrees
            lon INTEGER NOT NULL,       -- microdegrees
            sog INTEGER,                -- 1/10 knot
            cog INTEGER,                -- 1/10 degree
            heading INTEGER,            -- degrees
            status INTEGER,             -- navigational status 0-14
            source INTEGER REFERENCES sources(id),
            PRIMARY KEY (mmsi, time_s)
        ) WITHOUT ROWID
        """
    )
    db.execute(
        """
        CREATE VIEW fixes AS
        SELECT p.mmsi, p.time_s, strftime('%Y-%m-%dT%H:%M:%SZ', p.time_s, 'unixepoch') AS time,
               p.lat / 1000000.0 AS lat, p.lon / 1000000.0 AS lon,
               p.sog / 10.0 AS sog_kn, p.cog / 10.0 AS cog_deg, p.heading AS heading_deg,
               p.status AS nav_status, s.name AS source
        FROM positions p LEFT JOIN sources s ON s.id = p.source
        """
    )
    db["static_changes"].create(
        {
            "mmsi": int,
            "time_s": float,
            **_STATIC_COLUMNS_1,
        },
        pk=("mmsi", "time_s"),
    )
    # One row per event; the key makes the same event from a log imported twice one row.
    db.execute(
        """
        CREATE TABLE events (
            time_s REAL NOT NULL,       -- Unix seconds UTC (data clock)
            kind TEXT NOT NULL,         -- see the event stream in the README
            mmsi INTEGER NOT NULL,      -- 0 for events of no single vessel
            name TEXT,
            lat REAL,
            lon REAL,
            details TEXT NOT NULL,      -- the kind's further keys, a JSON object
            PRIMARY KEY (time_s, kind, mmsi, details)
        ) WITHOUT ROWID
        """
    )
    db["port_calls"].create(
        {
            "mmsi": int,
            "arrived_s": float,
            "departed_s": float,
            "lat": float,
            "lon": float,
            "berth": str,
        },
        pk=("mmsi", "arrived_s"),
    )
    db["port_calls"].create_index(["arrived_s"])
    db["settings"].create({"key": str, "value": str}, pk="key")


@migrations()
def m002_sub_second_times(db: Database) -> None:
    """Positions keep their milliseconds from now on: the ``fixes`` view shows them,
    and positions already stored (whole seconds, truncated) are marked, so that a
    log imported again over them is truncated the same way and adds nothing."""
    db.execute("DROP VIEW fixes")
    db.execute(
        """
        CREATE VIEW fixes AS
        SELECT p.mmsi, p.time_s,
               CASE WHEN p.time_s = CAST(p.time_s AS INTEGER)
                    THEN strftime('%Y-%m-%dT%H:%M:%SZ', p.time_s, 'unixepoch')
                    ELSE strftime('%Y-%m-%dT%H:%M:%fZ', p.time_s, 'unixepoch') END AS time,
               p.lat / 1000000.0 AS lat, p.lon / 1000000.0 AS lon,
               p.sog / 10.0 AS sog_kn, p.cog / 10.0 AS cog_deg, p.heading AS heading_deg,
               p.status AS nav_status, s.name AS source
        FROM positions p LEFT JOIN sources s ON s.id = p.source
        """
    )
    db.execute(
        """
        INSERT INTO settings (key, value)
        SELECT 'positions_whole_seconds_until_s', latest_s
        FROM (SELECT max(last_seen_s) AS latest_s FROM vessels) WHERE latest_s IS NOT NULL
        """
    )


@migrations()
def m003_watch(db: Database) -> None:
    """The operator's watch and the arrival times keep what an operator and an analyst
    ask of them later: alerts with their acknowledgements, the scores of the ETAs and
    of the anchorage forecasts, each anchorage's count every few minutes, each stay at
    anchor with what it cost and what just-in-time arrival would have saved, and what
    the analytics have learnt (speed profiles, waits), by port."""
    db["alerts"].create(
        {
            "id": int,
            "kind": str,
            "key": str,
            "mmsi": int,
            "other_mmsi": int,
            "zone": str,
            "raised_s": float,
            "last_raised_s": float,
            "figure": float,
            "raises": int,
            "event": str,
            "acknowledged_s": float,
            "acknowledged_by": str,
            "snoozed_until_s": float,
            "cleared_s": float,
        },
        pk="id",
    )
    db["alerts"].create_index(["cleared_s"])
    db["alerts"].create_index(["raised_s"])
    db["eta_scores"].create(
        {
            "mmsi": int,
            "target": str,
            "arrival_s": float,
            "horizon_min": int,
            "estimator": str,
            "error_s": float,
        },
        pk=("mmsi", "target", "arrival_s", "horizon_min", "estimator"),
    )
    db["eta_scores"].create_index(["arrival_s"])
    db["anchorage_occupancy"].create(
        {
            "anchorage": str,
            "time_s": float,
            "occupied": int,
            "capacity": int,
            "level": str,
            "cover_share": float,
            "longest_wait_s": float,
            "median_wait_s": float,
            "arrivals_24h": int,
            "departures_24h": int,
            "hours_24h": float,
            "fuel_24h_t": float,
            "co2_24h_t": float,
        },
        pk=("anchorage", "time_s"),
    )
    db["anchorage_occupancy"].create_index(["time_s"])
    db["forecast_scores"].create(
        {"anchorage": str, "made_s": float, "horizon_h": int, "expected": float, "actual": int},
        pk=("anchorage", "made_s", "horizon_h"),
    )
    db["anchor_stays"].create(
        {
            "mmsi": int,
            "anchored_s": float,
            "weighed_s": float,
            "anchorage": str,
            "wait_s": float,
            "fuel_waiting_t": float,
            "co2_waiting_t": float,
            "approach_m": float,
            "approach_kn": float,
            "jit_kn": float,
            "jit_fuel_saved_t": float,
            "jit_co2_saved_t": float,
        },
        pk=("mmsi", "anchored_s"),
    )
    db["anchor_stays"].create_index(["weighed_s"])
    db["learnt"].create(
        {"port": str, "name": str, "state": str, "time_s": float}, pk=("port", "name")
    )


PRESENCE_KINDS = ("lost", "found")
"""The events kept in ``presence`` rather than ``event_log`` (schema step m004)."""
_PRESENCE_CONVERTIBLE = """
    kind IN ('lost', 'found') AND mmsi != 0 AND json_valid(details)
    AND (SELECT count(*) FROM json_each(details)) = 1
    AND json_type(details, '$.silent_s') IN ('integer', 'real')
    AND round(json_extract(details, '$.silent_s') * 10) / 10.0 = json_extract(details, '$.silent_s')
    AND (lat IS NULL OR round(lat * 1000000) / 1000000.0 = lat)
    AND (lon IS NULL OR round(lon * 1000000) / 1000000.0 = lon)
"""


@migrations()
def m004_lost_and_found(db: Database) -> None:
    """Lost and found, most of a wide-area feed's events (a target at the edge of
    coverage goes lost and is found again many times a day), are kept compactly in
    ``presence``: the time, the vessel, which of the two, the silence in tenths of a
    second and the last position in microdegrees as integers, the name, no JSON;
    about 55 bytes a row against 86 in ``events``. The other kinds stay in
    ``event_log`` (the table ``events`` was), and ``events`` is a view of both with
    the columns it always had, so every query of it reads them as before. Those
    already stored move over, exactly (a row that would not come back the same stays
    where it is)."""
    db.execute(
        """
        CREATE TABLE presence (
            time_s INTEGER NOT NULL,    -- Unix seconds UTC (data clock); a fraction as a real
            mmsi INTEGER NOT NULL,
            found INTEGER NOT NULL,     -- 0 lost, 1 found
            silent_ds INTEGER NOT NULL, -- silent for this long, 1/10 s
            lat INTEGER,                -- microdegrees: the last fix before the silence
            lon INTEGER,
            name TEXT,
            PRIMARY KEY (time_s, mmsi, found)
        ) WITHOUT ROWID
        """
    )
    db.execute(
        f"""
        INSERT INTO presence (time_s, mmsi, found, silent_ds, lat, lon, name)
        SELECT time_s, mmsi, kind = 'found',
               CAST(round(json_extract(details, '$.silent_s') * 10) AS INTEGER),
               CAST(round(lat * 1000000) AS INTEGER), CAST(round(lon * 1000000) AS INTEGER),
               name
        FROM events WHERE {_PRESENCE_CONVERTIBLE}
        ON CONFLICT DO NOTHING
        """
    )
    db.execute(
        f"""
        DELETE FROM events WHERE {_PRESENCE_CONVERTIBLE} AND EXISTS (
            SELECT 1 FROM presence p
            WHERE p.time_s = events.time_s AND p.mmsi = events.mmsi
              AND p.found = (events.kind = 'found')
              AND p.silent_ds = CAST(round(json_extract(events.details, '$.silent_s') * 10)
                                     AS INTEGER)
              AND p.lat IS CAST(round(events.lat * 1000000) AS INTEGER)
              AND p.lon IS CAST(round(events.lon * 1000000) AS INTEGER)
              AND p.name IS events.name)
        """
    )  # those now kept in presence, exactly; another with the same key stays
    db.execute("ALTER TABLE events RENAME TO event_log")
    db.execute(
        """
        CREATE VIEW events AS
        SELECT time_s, kind, mmsi, name, lat, lon, details FROM event_log
        UNION ALL
        SELECT time_s, 'lost', mmsi, name, lat / 1000000.0, lon / 1000000.0,
               json_object('silent_s', silent_ds / 10.0)
        FROM presence WHERE found = 0
        UNION ALL
        SELECT time_s, 'found', mmsi, name, lat / 1000000.0, lon / 1000000.0,
               json_object('silent_s', silent_ds / 10.0)
        FROM presence WHERE found = 1
        """  # a kind in each part: a query for other kinds never reads presence
    )
