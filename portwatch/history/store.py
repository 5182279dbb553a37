"""Opening a history database safely, and reading it back, on either back end.

``HistoryStore.open`` refuses what it must not touch (not SQLite, not ours, or
written by a newer PortWatch) before writing a byte, then applies pending
migrations, all of them in one transaction with their records: a process killed
while it creates or upgrades the schema leaves the file as it was. A
``postgresql://`` URL opens a PostgreSQL database the same way (the same
refusals, the same schema steps, ``schema_postgresql``); every query below is
written once for both, through ``backend``. Queries
return the core's own values (``Fix``, ``StaticData``, ``Event``) in data-clock
seconds.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely
from sqlite_utils import Database

from portwatch.decoders.errors import PortwatchError
from portwatch.events import Event
from portwatch.history.backend import (
    Dialect,
    HistoryConnection,
    SqliteConnection,
    connect_postgresql,
    is_postgresql,
    shown_target,
)
from portwatch.history.rows import STATIC_COLUMNS, VESSEL_COLUMNS, static_from_row
from portwatch.history.schema import (
    LAT_LON_UNITS_PER_DEGREE,
    MIGRATION_SET,
    READABLE_WITHOUT,
    migrations,
)
from portwatch.vessel import Fix, StaticData, make_fix

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_S = 10.0
_FIXES = "positions p LEFT JOIN sources s ON s.id = p.source"
# A fix back in degrees and knots, converted by SQLite: reading a track is then a
# loop in C and a tuple per row in Python (a busy hour of one vessel: 1,400 rows).
_FIX_COLUMNS = (
    "p.mmsi, p.time_s * 1.0, "
    f"p.lat / {float(LAT_LON_UNITS_PER_DEGREE)}, p.lon / {float(LAT_LON_UNITS_PER_DEGREE)}, "
    "p.sog / 10.0, p.cog / 10.0, p.heading, p.status, coalesce(s.name, '?')"
)
# PostgreSQL keeps ``time_s`` as a double already, and divides integers by a decimal
# constant into a decimal: the constants are doubles there.
_FIX_COLUMNS_POSTGRESQL = (
    "p.mmsi, p.time_s, "
    f"p.lat / {float(LAT_LON_UNITS_PER_DEGREE)}::float8, "
    f"p.lon / {float(LAT_LON_UNITS_PER_DEGREE)}::float8, "
    "p.sog / 10.0::float8, p.cog / 10.0::float8, p.heading, p.status, coalesce(s.name, '?')"
)


class HistoryError(PortwatchError):
    """The history database cannot be used; the message names the file and why."""


@dataclass(frozen=True, slots=True)
class VesselRecord:
    """A vessel as history knows it: latest static data, first and last seen."""

    mmsi: int
    kind: str
    static: StaticData
    first_seen_s: float
    last_seen_s: float


@dataclass(frozen=True, slots=True)
class PortCall:
    mmsi: int
    arrived_s: float
    departed_s: float | None
    """None while still alongside."""
    lat: float
    lon: float
    berth: str | None


def known_migrations() -> frozenset[str]:
    """The names of every schema step this version knows."""
    return frozenset(m.name for m in migrations.pending(Database(memory=True)))


def is_history_database(path: str | Path) -> bool:
    """Whether ``path`` names a history database (a PostgreSQL URL, or a SQLite file)
    rather than a recorded log; a file that cannot be read is neither (the caller
    says why when it opens it)."""
    if is_postgresql(path):
        return True
    try:
        with open(path, "rb") as file:
            return file.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


class HistoryStore:
    """One connection to a history database, a SQLite file or a PostgreSQL database
    (one per thread: SQLite's rule, and psycopg's for a connection in use)."""

    def __init__(self, path: Path | str, db: Database | None, sql: HistoryConnection) -> None:
        self.path = path
        """The file, or the PostgreSQL URL as given (``shown`` is the printable name)."""
        self.db = db
        """SQLite only: the sqlite-utils ``Database`` (None on PostgreSQL)."""
        self.sql = sql
        """The connection every query goes through, on either back end."""
        self.postgis = False
        """PostgreSQL with the PostGIS extension: area queries are answered in the database."""
        self._fix_columns = _FIX_COLUMNS_POSTGRESQL if sql.dialect.postgresql else _FIX_COLUMNS

    @property
    def dialect(self) -> Dialect:
        return self.sql.dialect

    @property
    def shown(self) -> str:
        """The database's name as it may be printed (never a password)."""
        return shown_target(self.path)

    @classmethod
    def open(
        cls,
        path: str | Path,
        create: bool = True,
        readonly: bool = False,
        any_thread: bool = False,
    ) -> HistoryStore:
        """Open (or with ``create`` make) the database at ``path``.

        Raises ``HistoryError`` when the file is missing (without ``create``),
        unreadable, not SQLite, another program's database, or from a newer
        PortWatch; in each case the file is left exactly as it was. With
        ``any_thread`` the connection may be used from a thread other than this
        one (one thread at a time: the history writer, opened by the CLI and
        used by the engine's worker).
        """
        if is_postgresql(path):
            return cls._open_postgresql(str(path), create, readonly)
        path = Path(path)
        _check_file(path, create and not readonly)
        try:
            # A read-only SQLite connection leaves the -wal and -shm files of a WAL
            # database behind when it closes; a read-write one that only reads
            # removes them. So the read-only URI is kept for files we cannot write.
            if readonly and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
                connection = sqlite3.connect(
                    f"{path.resolve().as_uri()}?mode=ro",
                    uri=True,
                    timeout=BUSY_TIMEOUT_S,
                    check_same_thread=not any_thread,
                )
            else:
                connection = sqlite3.connect(
                    path, timeout=BUSY_TIMEOUT_S, check_same_thread=not any_thread
                )
            if readonly:
                connection.execute("SELECT count(*) FROM sqlite_schema").fetchone()
        except sqlite3.OperationalError as error:
            if not readonly or "unable to open" not in str(error):
                raise HistoryError(f"{path}: {_sqlite_reason(error)}") from error
            # A WAL database on read-only media (a CD, a read-only mount): SQLite
            # cannot make its -shm file. Nothing can be writing it, so read it as is.
            connection = sqlite3.connect(
                f"{path.resolve().as_uri()}?immutable=1",
                uri=True,
                check_same_thread=not any_thread,
            )
        except sqlite3.DatabaseError as error:
            raise HistoryError(f"{path}: {_sqlite_reason(error)}") from error
        try:
            db = Database(connection)
            _check_schema(path, db, readonly)
            if not readonly:
                db.execute("PRAGMA journal_mode=WAL")
                # WAL with synchronous=NORMAL: a killed process loses nothing committed;
                # only a power cut may lose the last commits, never consistency.
                db.execute("PRAGMA synchronous=NORMAL")
                _migrate(db)
        except (sqlite3.DatabaseError, HistoryError) as error:
            # Closed at once: an open connection keeps the -wal and -shm files of a
            # database in WAL mode beside it, and a refused file must be left as it was.
            connection.close()
            if isinstance(error, HistoryError):
                raise
            raise HistoryError(f"{path}: {_sqlite_reason(error)}") from error
        return cls(path, db, SqliteConnection(connection))

    @classmethod
    def _open_postgresql(cls, url: str, create: bool, readonly: bool) -> HistoryStore:
        """The PostgreSQL side of ``open``: the same refusals, the same schema steps."""
        import psycopg

        from portwatch.history import schema_postgresql

        shown = shown_target(url)
        try:
            sql = connect_postgresql(url)
        except psycopg.Error as error:
            raise HistoryError(f"{shown}: cannot connect: {_postgresql_reason(error)}") from error
        try:
            tables = sql.table_names()
            applied = schema_postgresql.applied(sql, MIGRATION_SET)
            if not tables - {schema_postgresql.MIGRATIONS_TABLE} or not applied:
                if tables - {schema_postgresql.MIGRATIONS_TABLE}:
                    shown_tables = ", ".join(sorted(tables)[:5])
                    raise HistoryError(
                        f"{shown}: not a PortWatch history database (it has tables {shown_tables})"
                    )
                if readonly or not create:
                    raise HistoryError(f"{shown}: empty database, nothing recorded yet")
            newer = applied - known_migrations()
            if newer:
                raise HistoryError(
                    f"{shown}: written by a newer PortWatch (schema steps "
                    f"{', '.join(sorted(newer))} unknown here); refusing to open it. "
                    "Upgrade PortWatch to use this database."
                )
            if not readonly:
                schema_postgresql.migrate(sql, MIGRATION_SET)
            elif known_migrations() - applied - READABLE_WITHOUT:
                raise HistoryError(
                    f"{shown}: written by an older PortWatch; open it once with portwatch "
                    "import or portwatch run to upgrade it"
                )
            store = cls(url, None, sql)
            store.postgis = (
                sql.execute("SELECT 1 FROM pg_extension WHERE extname = 'postgis'").fetchone()
                is not None
            )
        except psycopg.Error as error:
            sql.close()
            raise HistoryError(f"{shown}: {_postgresql_reason(error)}") from error
        except HistoryError:
            sql.close()
            raise
        return store

    def close(self) -> None:
        self.sql.close()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def track(
        self, mmsi: int, since_s: float | None = None, until_s: float | None = None
    ) -> list[Fix]:
        """Every stored fix of ``mmsi`` from ``since_s`` to ``until_s`` (inclusive), by time."""
        low = -(2**62) if since_s is None else since_s
        high = 2**62 if until_s is None else until_s
        rows = self.sql.execute(
            f"SELECT {self._fix_columns} FROM {_FIXES} "
            "WHERE p.mmsi = ? AND p.time_s BETWEEN ? AND ? ORDER BY p.time_s",
            (mmsi, low, high),
        ).fetchall()
        return list(map(make_fix, rows))

    def last_fix(self, mmsi: int, at_s: float | None = None) -> Fix | None:
        """The latest stored fix of ``mmsi`` at or before ``at_s`` (or ever)."""
        high = 2**62 if at_s is None else at_s
        row = self.sql.execute(
            f"SELECT {self._fix_columns} FROM {_FIXES} "
            "WHERE p.mmsi = ? AND p.time_s <= ? ORDER BY p.time_s DESC LIMIT 1",
            (mmsi, high),
        ).fetchone()
        return None if row is None else make_fix(row)

    def vessels(self, seen_since_s: float | None = None) -> list[VesselRecord]:
        """Every vessel in history, or those heard at or after ``seen_since_s``."""
        sql = f"SELECT {', '.join(VESSEL_COLUMNS)} FROM vessels"
        params: tuple = ()
        if seen_since_s is not None:
            sql += " WHERE last_seen_s >= ?"
            params = (seen_since_s,)
        return [_vessel_record(row) for row in self.sql.execute(sql + " ORDER BY mmsi", params)]

    def vessel(self, mmsi: int) -> VesselRecord | None:
        row = self.sql.execute(
            f"SELECT {', '.join(VESSEL_COLUMNS)} FROM vessels WHERE mmsi = ?", (mmsi,)
        ).fetchone()
        return None if row is None else _vessel_record(row)

    def vessels_in_area(
        self,
        area: shapely.Geometry | tuple[float, float, float, float],
        at_s: float,
        max_age_s: float = 600.0,
    ) -> list[tuple[int, Fix]]:
        """Vessels whose latest fix at ``at_s`` (no older than ``max_age_s``) lies in
        ``area``: a shapely geometry in lon/lat, or a (west, south, east, north) box."""
        geometry = shapely.box(*area) if isinstance(area, tuple) else area
        west, south, east, north = geometry.bounds
        scale = LAT_LON_UNITS_PER_DEGREE
        at, oldest = at_s, at_s - max_age_s
        box = (round(south * scale), round(north * scale), round(west * scale), round(east * scale))
        if self.dialect.postgresql:
            return self._vessels_in_area_postgresql(geometry, oldest, at, box)
        rows = self.sql.execute(
            f"""
            SELECT {self._fix_columns}
            FROM vessels v JOIN positions p ON p.mmsi = v.mmsi AND p.time_s = (
                SELECT max(time_s) FROM positions
                WHERE mmsi = v.mmsi AND time_s BETWEEN ? AND ?)
            LEFT JOIN sources s ON s.id = p.source
            WHERE v.first_seen_s <= ? + 1 AND v.last_seen_s >= ?
              AND p.lat BETWEEN ? AND ? AND p.lon BETWEEN ? AND ?
            ORDER BY v.mmsi
            """,
            (oldest, at, at, oldest, *box),
        ).fetchall()
        return _inside(geometry, rows)

    def _vessels_in_area_postgresql(
        self, geometry: shapely.Geometry, oldest_s: float, at_s: float, box: tuple[int, ...]
    ) -> list[tuple[int, Fix]]:
        """The window's fixes, newest per vessel, then the box: the BRIN index on time
        finds the window's few pages in one partition, where SQLite (no time index)
        goes vessel by vessel through the key. With PostGIS the shape itself is
        tested in the database; without it, the box there and the shape here."""
        latest = f"""
            SELECT DISTINCT ON (p.mmsi) {self._fix_columns}
            FROM positions p LEFT JOIN sources s ON s.id = p.source
            WHERE p.time_s BETWEEN ? AND ?
            ORDER BY p.mmsi, p.time_s DESC
        """
        # The fix's degrees back in microdegrees for the box (exact: they came from them).
        scale = float(LAT_LON_UNITS_PER_DEGREE)
        columns = "mmsi, time_s, lat, lon, sog, cog, heading, status, source"
        outer = (
            f"SELECT {columns} FROM ({latest}) f (mmsi, time_s, lat, lon, sog, cog, heading, "
            f"status, source) WHERE round(lat * {scale}) BETWEEN ? AND ? "
            f"AND round(lon * {scale}) BETWEEN ? AND ?"
        )
        if self.postgis:
            rows = self.sql.execute(
                outer + " AND ST_Intersects(ST_GeomFromWKB(?, 4326), "
                "ST_SetSRID(ST_MakePoint(lon, lat), 4326)) ORDER BY mmsi",
                (oldest_s, at_s, *box, shapely.to_wkb(geometry)),
            ).fetchall()
            return [(row[0], make_fix(row)) for row in rows]
        rows = self.sql.execute(outer + " ORDER BY mmsi", (oldest_s, at_s, *box)).fetchall()
        return _inside(geometry, rows)

    def static_history(self, mmsi: int) -> list[tuple[float, StaticData]]:
        """Each change of ``mmsi``'s static and voyage data: (time, data after the change)."""
        rows = self.sql.execute(
            f"SELECT time_s, {', '.join(STATIC_COLUMNS)} FROM static_changes "
            "WHERE mmsi = ? ORDER BY time_s",
            (mmsi,),
        )
        return [(row[0], static_from_row(row[1:])) for row in rows]

    def static_changed_s(self, mmsi: int) -> float | None:
        """When ``mmsi``'s static data last changed."""
        row = self.sql.execute(
            "SELECT max(time_s) FROM static_changes WHERE mmsi = ?", (mmsi,)
        ).fetchone()
        return row[0]

    def port_calls(
        self,
        mmsi: int | None = None,
        since_s: float | None = None,
        until_s: float | None = None,
    ) -> list[PortCall]:
        """Port calls overlapping [since_s, until_s], by arrival time."""
        where, params = _where(
            ("mmsi = ?", mmsi),
            ("(departed_s IS NULL OR departed_s >= ?)", since_s),
            ("arrived_s <= ?", until_s),
        )
        sql = f"SELECT mmsi, arrived_s, departed_s, lat, lon, berth FROM port_calls{where}"
        return [PortCall(*row) for row in self.sql.execute(sql + " ORDER BY arrived_s", params)]

    def events(
        self,
        kinds: Iterable[str] | None = None,
        since_s: float | None = None,
        until_s: float | None = None,
        mmsi: int | None = None,
    ) -> list[Event]:
        """Stored events, oldest first, filtered by kind, time and vessel."""
        kinds = None if kinds is None else tuple(kinds)
        where, params = _where(
            (f"kind IN ({', '.join('?' * len(kinds or ()))})", kinds),
            ("time_s >= ?", since_s),
            ("time_s <= ?", until_s),
            ("mmsi = ?", mmsi),
        )
        sql = f"SELECT time_s, kind, mmsi, name, lat, lon, details FROM events{where}"
        return [  # a whole second of ``presence`` comes as an integer: a time is a float
            Event(float(row[0]), row[1], row[2] or None, row[3], row[4], row[5], json.loads(row[6]))
            for row in self.sql.execute(sql + " ORDER BY time_s, kind, mmsi", params)
        ]

    def fixes_between(
        self, since_s: float, until_s: float, until_inclusive: bool = True
    ) -> list[Fix]:
        """Every stored fix from ``since_s`` to ``until_s`` (inclusive, or before it
        when not ``until_inclusive``: windows that meet read no fix twice), by time
        then MMSI. Read whole and at once, so the read transaction is short (an open
        one would keep the live writer's WAL growing); a replay asks window by window.

        Positions are keyed by (mmsi, time), so the search goes vessel by vessel
        through the key (vessels heard in the window), not through the whole table.
        """
        before = "<=" if until_inclusive else "<"
        if self.dialect.postgresql:  # the window by the BRIN index on time
            rows = self.sql.execute(
                f"SELECT {self._fix_columns} FROM {_FIXES} "
                f"WHERE p.time_s >= ? AND p.time_s {before} ? ORDER BY p.time_s, p.mmsi",
                (since_s, until_s),
            ).fetchall()
            return list(map(make_fix, rows))
        rows = self.sql.execute(
            f"""
            SELECT {self._fix_columns}
            FROM vessels v JOIN positions p
                 ON p.mmsi = v.mmsi AND p.time_s >= ? AND p.time_s {before} ?
            LEFT JOIN sources s ON s.id = p.source
            WHERE v.last_seen_s >= ? AND v.first_seen_s <= ? + 1
            ORDER BY p.time_s, p.mmsi
            """,
            (since_s, until_s, since_s, until_s),
        ).fetchall()
        return list(map(make_fix, rows))

    def kinds(self) -> dict[int, str]:
        """What kind of station each vessel in history is (class A, B, base station…)."""
        return dict(self.sql.execute("SELECT mmsi, kind FROM vessels WHERE kind IS NOT NULL"))

    def statics_as_of(self, at_s: float) -> dict[int, StaticData]:
        """Each vessel's static and voyage data as it stood at ``at_s``."""
        rows = self.sql.execute(
            f"""
            SELECT c.mmsi, {", ".join("c." + name for name in STATIC_COLUMNS)}
            FROM static_changes c JOIN (
                SELECT mmsi, max(time_s) AS time_s FROM static_changes
                WHERE time_s <= ? GROUP BY mmsi
            ) latest ON latest.mmsi = c.mmsi AND latest.time_s = c.time_s
            """,
            (at_s,),
        )
        return {row[0]: static_from_row(row[1:]) for row in rows}

    def static_changes_between(
        self, since_s: float, until_s: float
    ) -> list[tuple[int, float, StaticData]]:
        """Changes of static data after ``since_s`` up to ``until_s``: (MMSI, time,
        data after the change), by time."""
        rows = self.sql.execute(
            f"SELECT mmsi, time_s, {', '.join(STATIC_COLUMNS)} FROM static_changes "
            "WHERE time_s > ? AND time_s <= ? ORDER BY time_s, mmsi",
            (since_s, until_s),
        )
        return [(row[0], row[1], static_from_row(row[2:])) for row in rows]

    def time_span(self) -> tuple[float, float] | None:
        """The first and last stored position's time (retention may have pruned the
        positions of vessels it still lists). One key lookup per vessel."""
        first, last = self.sql.execute(
            """
            SELECT min((SELECT min(time_s) FROM positions WHERE mmsi = v.mmsi)),
                   max((SELECT max(time_s) FROM positions WHERE mmsi = v.mmsi))
            FROM vessels v
            """
        ).fetchone()
        return None if first is None or last is None else (float(first), float(last))

    def next_fix_time_s(self, after_s: float) -> float | None:
        """The time of the first stored fix later than ``after_s``, or None: a replay
        jumps over months without data instead of reading them ten minutes at a
        time. One key lookup per vessel heard since."""
        (time_s,) = self.sql.execute(
            """
            SELECT min((SELECT min(time_s) FROM positions WHERE mmsi = v.mmsi AND time_s > ?))
            FROM vessels v WHERE v.last_seen_s > ?
            """,
            (after_s, after_s),
        ).fetchone()
        return None if time_s is None else float(time_s)

    def latest_time_s(self) -> float | None:
        """The data time of the newest report stored."""
        return self.sql.execute("SELECT max(last_seen_s) FROM vessels").fetchone()[0]

    def position_count(self) -> int:
        return self.sql.execute("SELECT count(*) FROM positions").fetchone()[0]


def _inside(geometry: shapely.Geometry, rows: list[tuple]) -> list[tuple[int, Fix]]:
    """The rows (fix columns) whose position lies in ``geometry``, as (MMSI, fix)."""
    found = [(row[0], make_fix(row)) for row in rows]
    if not found:
        return found
    inside = shapely.intersects_xy(  # on the edge counts as in
        geometry, [fix.lon for _, fix in found], [fix.lat for _, fix in found]
    )
    return [entry for entry, keep in zip(found, inside, strict=True) if keep]


def _where(*conditions: tuple[str, Any]) -> tuple[str, list[Any]]:
    """`` WHERE …`` of the conditions whose value is given (None: no filter); a tuple
    value fills as many ``?`` as it has items."""
    clauses: list[str] = []
    params: list[Any] = []
    for clause, value in conditions:
        if value is None:
            continue
        clauses.append(clause)
        params.extend(value if isinstance(value, tuple) else (value,))
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def _vessel_record(row: Sequence[Any]) -> VesselRecord:
    count = len(STATIC_COLUMNS)
    return VesselRecord(
        mmsi=row[0],
        kind=row[1],
        static=static_from_row(row[2 : 2 + count]),
        first_seen_s=row[2 + count],
        last_seen_s=row[3 + count],
    )


def _check_file(path: Path, create: bool) -> None:
    """Refuse, before SQLite touches it, a path that is not a database we may open."""
    if path.is_dir():
        raise HistoryError(f"{path}: is a directory, not a database file")
    if not path.exists():
        if not create:
            raise HistoryError(f"{path}: no such database")
        if not path.parent.is_dir():
            raise HistoryError(f"{path}: folder {path.parent} does not exist")
        return
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except OSError as error:
        raise HistoryError(f"{path}: cannot read: {error.strerror or error}") from error
    if head and head != SQLITE_MAGIC:
        raise HistoryError(f"{path}: not a SQLite database")


def _migrate(db: Database) -> None:
    """Apply the pending schema steps and record them, in one transaction.

    sqlite-utils commits its migrations table on its own before the first step,
    so a process killed between the two used to leave a file holding only that
    table. Taken in one ``BEGIN IMMEDIATE`` (which also keeps a second process
    from creating the schema at the same time), a kill at any point leaves
    either the whole schema or the file as it was before.
    """
    if not migrations.pending(db):
        return
    connection = db.conn
    connection.execute("BEGIN IMMEDIATE")
    try:
        if _half_made(db, set(db.table_names())):
            db.execute(f"DROP TABLE {migrations.migrations_table}")  # made again, whole
        migrations.apply(db)  # nested: its own transactions become savepoints
        if not connection.in_transaction:
            raise sqlite3.OperationalError("the schema steps ended the transaction early")
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise


def _half_made(db: Database, tables: set[str]) -> bool:
    """The file an earlier PortWatch left when killed while creating the schema: an
    empty migrations table and nothing else, which holds nothing of anyone's."""
    return tables == {migrations.migrations_table} and not migrations.applied(db)


def _check_schema(path: Path, db: Database, readonly: bool) -> None:
    """Refuse another program's database, and one a newer PortWatch has written."""
    tables = set(db.table_names())
    if _half_made(db, tables):
        tables = set()  # created from scratch, as a new file would be
    if not tables:
        if readonly:
            raise HistoryError(f"{path}: empty database, nothing recorded yet")
        return
    if migrations.migrations_table not in tables:
        shown = ", ".join(sorted(tables)[:5])
        raise HistoryError(f"{path}: not a PortWatch history database (it has tables {shown})")
    applied = {m.name for m in migrations.applied(db)}
    if not applied:
        raise HistoryError(f"{path}: not a PortWatch history database")
    newer = applied - known_migrations()
    if newer:
        raise HistoryError(
            f"{path}: written by a newer PortWatch (schema steps {', '.join(sorted(newer))} "
            "unknown here); refusing to open it. Upgrade PortWatch to use this database."
        )
    if readonly and {m.name for m in migrations.pending(db)} - READABLE_WITHOUT:
        raise HistoryError(
            f"{path}: written by an older PortWatch; open it once with portwatch import or "
            "portwatch run to upgrade it"
        )


def _postgresql_reason(error: Exception) -> str:
    """psycopg's message, first line (it never holds the password)."""
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def _sqlite_reason(error: sqlite3.DatabaseError) -> str:
    text = str(error)
    if "file is not a database" in text:
        return "not a SQLite database"
    if "locked" in text:
        return "database is locked by another program"
    return text
