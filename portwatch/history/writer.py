"""The history writer: one transaction per batch, in the engine's own thread.

The engine hands over a ``HistoryBatch`` about once a second (or every
50,000 fixes during a bulk import); each is written in a single transaction,
positions sorted by (mmsi, time) so that each vessel's new rows land on one
page. A killed process therefore loses at most the batch in flight, and the
database it leaves is always consistent. Writing the same rows twice (a log
imported again) changes nothing.

Why no thread of its own: ``sqlite3`` releases the GIL around every row it
steps, and a writer thread then waits out Python's switch interval for each
row while the engine's thread decodes. Measured here on the San Pedro corpus:
45 us a row in a thread, under 6 us in the engine's thread. A second of live
traffic writes in a few milliseconds; readers use their own connections and
WAL keeps them from ever waiting on the writer.

Retention runs here too, between batches: a pass is cut into transactions of a
few thousand rows, and after each batch it goes on for at most a fifth of a
second, so even a first pass that deletes millions of rows never holds the
engine up long enough for the live queue to overflow.
"""

from __future__ import annotations

import contextlib
import json
import logging
import operator
import threading
import time
from collections import deque
from pathlib import Path

from portwatch.analytics.output import WatchRows
from portwatch.events import Event
from portwatch.history.backend import (
    HistoryConnection,
    PostgresConnection,
    SqliteConnection,
    is_postgresql,
    shown_target,
    upsert,
)
from portwatch.history.retention import RetentionPass
from portwatch.history.rows import STATIC_COLUMNS, VESSEL_COLUMNS, static_row
from portwatch.history.schema import (
    LAT_LON_UNITS_PER_DEGREE,
    PRESENCE_KINDS,
    WHOLE_SECONDS_UNTIL,
)
from portwatch.history.schema_postgresql import ensure_partitions
from portwatch.history.sink import HistoryBatch, HistoryStatus
from portwatch.history.store import HistoryError, HistoryStore
from portwatch.settings import RetentionSettings
from portwatch.vessel import Fix

_SOURCE_OF_FIX = operator.itemgetter(Fix._fields.index("source"))
log = logging.getLogger(__name__)
RETENTION_EVERY_S = 3600.0
"""A retention pass starts whenever the data clock has moved on this much (and
the pass before has ended)."""
RETENTION_TIME_PER_BATCH_S = 0.2
"""After each batch, retention works this long at most (wall-clock, in bounded
transactions), so the engine behind the writer is never held up for longer:
at 2,000 messages a second, 400 lines wait in a queue of 100,000."""
RETRY_AFTER_S = 5.0
"""Live mode: a failed write (full disk...) is tried again this long after."""
MAX_PENDING_ROWS = 2_000_000
"""Live mode: rows kept waiting while the database cannot be written; beyond
this the oldest batches are dropped and counted."""

_CREATE_STAGING = (
    "CREATE TEMP TABLE IF NOT EXISTS staged_fixes "
    "(mmsi, time_s, lat, lon, sog_kn, cog_deg, heading_deg, nav_status, source)"
)
_STAGE_FIX = "INSERT INTO temp.staged_fixes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
_STAGED_COLUMNS = (
    "mmsi", "time_s", "lat", "lon", "sog_kn", "cog_deg", "heading_deg", "nav_status", "source",
)  # fmt: skip
# PostgreSQL: the batch arrives by COPY into a temporary table emptied at each commit.
_CREATE_STAGING_POSTGRESQL = (
    "CREATE TEMP TABLE IF NOT EXISTS staged_fixes (mmsi integer, time_s float8, lat float8, "
    "lon float8, sog_kn float8, cog_deg float8, heading_deg smallint, nav_status smallint, "
    "source text) ON COMMIT DELETE ROWS"
)
# A time to the millisecond (a whole second is then an integer in the column); in
# the range a database from before kept whole seconds for, truncated as it was.
# Written once for both back ends, with the dialect's cut to whole seconds.
_STORE_STAGED_FIXES = """
    INSERT INTO positions (mmsi, time_s, lat, lon, sog, cog, heading, status, source)
    SELECT f.mmsi,
           CASE WHEN f.time_s <= :whole_seconds_until_s THEN {whole}
                ELSE CAST(round(f.time_s * 1000) AS BIGINT) / 1000.0 END,
           CAST(round(f.lat * {scale}) AS INTEGER),
           CAST(round(f.lon * {scale}) AS INTEGER),
           CAST(round(f.sog_kn * 10) AS INTEGER), CAST(round(f.cog_deg * 10) AS INTEGER),
           f.heading_deg, f.nav_status, s.id
    FROM staged_fixes f JOIN sources s ON s.name = f.source
    WHERE true
    ORDER BY 1, 2
    ON CONFLICT DO NOTHING
"""
_STORE_STATIC = upsert(
    "static_changes", ("mmsi", "time_s", *STATIC_COLUMNS), key=("mmsi", "time_s")
)
_STORE_EVENT = (
    "INSERT INTO event_log (time_s, kind, mmsi, name, lat, lon, details) "
    "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"
)
# Lost and found in their compact table (schema step m004), in AIS's integer units
# as positions are: a decoded fix's degrees come back exactly.
_STORE_PRESENCE = (
    "INSERT INTO presence (time_s, mmsi, found, silent_ds, lat, lon, name) "
    f"VALUES (?, ?, ?, CAST(round(? * 10) AS INTEGER), "
    f"CAST(round(? * {LAT_LON_UNITS_PER_DEGREE}) AS INTEGER), "
    f"CAST(round(? * {LAT_LON_UNITS_PER_DEGREE}) AS INTEGER), ?) ON CONFLICT DO NOTHING"
)
_STORE_PORT_CALL = (
    "INSERT INTO port_calls (mmsi, arrived_s, departed_s, lat, lon) VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT (mmsi, arrived_s) DO UPDATE SET "
    "departed_s = coalesce(excluded.departed_s, port_calls.departed_s)"
)
# Static data comes from whichever report is newer: a log older than what is
# stored (imported late) fills gaps but does not overwrite.
_STORE_VESSEL = (
    f"INSERT INTO vessels ({', '.join(VESSEL_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(VESSEL_COLUMNS))}) ON CONFLICT (mmsi) DO UPDATE SET "
    "kind = CASE WHEN excluded.last_seen_s >= vessels.last_seen_s "
    "THEN excluded.kind ELSE vessels.kind END, "
    + ", ".join(
        f"{name} = CASE WHEN excluded.last_seen_s >= vessels.last_seen_s "
        f"THEN coalesce(excluded.{name}, vessels.{name}) "
        f"ELSE coalesce(vessels.{name}, excluded.{name}) END"
        for name in STATIC_COLUMNS
    )
    + ", first_seen_s = {least}(vessels.first_seen_s, excluded.first_seen_s)"
    ", last_seen_s = {greatest}(vessels.last_seen_s, excluded.last_seen_s)"
)


_WATCH_TABLES = {
    "alerts": (
        ("id", "kind", "key", "mmsi", "other_mmsi", "zone", "raised_s", "last_raised_s",
         "figure", "raises", "event", "acknowledged_s", "acknowledged_by", "snoozed_until_s",
         "cleared_s"),
        ("id",),
    ),
    "eta_scores": (
        ("mmsi", "target", "arrival_s", "horizon_min", "estimator", "error_s"),
        ("mmsi", "target", "arrival_s", "horizon_min", "estimator"),
    ),
    "anchorage_occupancy": (
        ("anchorage", "time_s", "occupied", "capacity", "level", "cover_share",
         "longest_wait_s", "median_wait_s", "arrivals_24h", "departures_24h", "hours_24h",
         "fuel_24h_t", "co2_24h_t"),
        ("anchorage", "time_s"),
    ),
    "forecast_scores": (
        ("anchorage", "made_s", "horizon_h", "expected", "actual"),
        ("anchorage", "made_s", "horizon_h"),
    ),
    "anchor_stays": (
        ("mmsi", "anchored_s", "weighed_s", "anchorage", "wait_s", "fuel_waiting_t",
         "co2_waiting_t", "approach_m", "approach_kn", "jit_kn", "jit_fuel_saved_t",
         "jit_co2_saved_t"),
        ("mmsi", "anchored_s"),
    ),
    "learnt": (("port", "name", "state", "time_s"), ("port", "name")),
}  # fmt: skip
_STORE_WATCH = {table: upsert(table, *columns) for table, columns in _WATCH_TABLES.items()}


def _write_watch(sql: HistoryConnection, rows: WatchRows) -> None:
    """The watch's rows, each table keyed so that the same row again replaces itself
    (an alert's later state, a log imported twice)."""
    for table, values in (
        ("alerts", rows.alerts),
        ("eta_scores", rows.eta_scores),
        ("anchorage_occupancy", rows.occupancy),
        ("forecast_scores", rows.forecast_scores),
        ("anchor_stays", rows.stays),
        ("learnt", rows.learnt),
    ):
        if values:
            sql.executemany(_STORE_WATCH[table], values)


class HistoryWriter:
    """Writes batches to the history database, in the caller's thread (a ``HistorySink``).

    ``fail_fast`` (bulk import): ``submit`` raises ``HistoryError`` when a write
    fails, and nothing is retried. Otherwise (live): a failed write is kept and
    tried again after ``RETRY_AFTER_S`` at a later ``submit`` or ``flush``,
    while the engine goes on; the status says so. ``status`` may be called from
    any thread.
    """

    def __init__(
        self,
        path: str | Path,
        retention: RetentionSettings | None = None,
        fail_fast: bool = False,
    ) -> None:
        self.path: Path | str = path if is_postgresql(path) else Path(path)
        self.retention = retention
        self.fail_fast = fail_fast
        self.shown = shown_target(self.path)
        """The database's printable name (a URL without its password)."""
        self._store = HistoryStore.open(self.path, any_thread=True)
        sql = self._sql = self._store.sql
        dialect = sql.dialect
        self._store_fixes = _STORE_STAGED_FIXES.format(
            whole=dialect.whole_seconds.format("f.time_s"), scale=LAT_LON_UNITS_PER_DEGREE
        )
        self._store_vessel = _STORE_VESSEL.format(least=dialect.least, greatest=dialect.greatest)
        self._partitions: set[int] = set()
        """PostgreSQL: the months of positions known to have their partition."""
        self._prepare(sql)
        self._source_ids = {name: id_ for id_, name in sql.execute("SELECT id, name FROM sources")}
        found = sql.execute(
            "SELECT value FROM settings WHERE key = ?", (WHOLE_SECONDS_UNTIL,)
        ).fetchone()
        self._whole_seconds_until_s = None if found is None else float(found[0])
        self._pending: deque[HistoryBatch] = deque()
        self._lock = threading.Lock()  # guards the counters that ``status`` reads
        self._writing = threading.Lock()
        self._pending_rows = 0
        self._closed = False
        self._error: str | None = None
        self._retry_at = 0.0
        self._positions_written = 0
        self._rows_written = 0
        self._batches_written = 0
        self._rows_dropped = 0
        self._last_commit_s: float | None = None
        self._retention_at_s: float | None = None
        self._retention: RetentionPass | None = None
        self._pages_at_open: int | None = None
        """An import into SQLite: the database's pages before it (see ``_pack_if_grown``)."""
        if fail_fast and isinstance(sql, SqliteConnection):
            (self._pages_at_open,) = sql.execute("PRAGMA page_count").fetchone()

    @staticmethod
    def _prepare(sql: HistoryConnection) -> None:
        """The writer's session: its staging table, and how it commits."""
        if isinstance(sql, PostgresConnection):
            # As SQLite's WAL with synchronous=NORMAL: a commit is the server's at once (a
            # killed PortWatch loses nothing committed), and only a crash of the server
            # itself may lose the last fraction of a second of commits, never consistency.
            sql.execute("SET synchronous_commit = off")
            sql.execute(_CREATE_STAGING_POSTGRESQL)
        else:
            sql.execute("PRAGMA temp_store = MEMORY")  # each batch's sort
            sql.execute(_CREATE_STAGING)

    def _reconnect_if_lost(self) -> None:
        """PostgreSQL: a connection the server dropped (a restart, a network cut) is
        made again before the next try; SQLite's file connection never needs it."""
        sql = self._sql
        if not isinstance(sql, PostgresConnection) or not (sql.raw.closed or sql.raw.broken):
            return
        store = HistoryStore.open(self.path, any_thread=True)
        self._prepare(store.sql)
        with contextlib.suppress(Exception):
            self._store.close()
        self._store, self._sql = store, store.sql
        if self._retention is not None:
            self._retention = None  # started on the old connection: the next one starts anew

    def submit(self, batch: HistoryBatch) -> None:
        """Write ``batch`` now (after any batches still waiting)."""
        if self._closed:
            raise HistoryError(f"{self.shown}: the history is closed")
        with self._lock:
            self._pending.append(batch)
            self._pending_rows += batch.rows()
            while self._pending_rows > MAX_PENDING_ROWS and len(self._pending) > 1:
                dropped = self._pending.popleft()
                self._pending_rows -= dropped.rows()
                self._rows_dropped += dropped.rows()
        self._write_pending()

    def flush(self) -> bool:
        """Try to write everything waiting now; False when some could not be written."""
        self._retry_at = 0.0
        self._write_pending()
        return not self._pending

    def close(self) -> None:
        """Write what is waiting (one last try) and close the database."""
        if self._closed:
            return
        try:
            self.flush()
            if self.fail_fast and self._retention is not None and not self._error:
                self._retain(until_done=True)  # an import ends with retention applied
            if self.fail_fast and not self._error:
                self._pack_if_grown()
        finally:
            self._closed = True
            self._store.close()

    def _pack_if_grown(self) -> None:
        """An import that at least doubled a SQLite database ends by packing it
        (``VACUUM``): the writer adds each vessel's rows in the middle of the
        positions' key order, and SQLite's page splits leave the pages about 87 %
        full; packed, a position takes 13 % fewer bytes (38.4 against 34.1 on the
        national benchmark, for 2 % of the import's time). Rewriting the file costs
        time and room in proportion to the whole database, so only an import as big
        as what was there pays for it (a first import, always). For a moment it needs
        free room of about the database's size, on the disk and in the temporary
        folder (``SQLITE_TMPDIR``)."""
        sql = self._sql
        if not isinstance(sql, SqliteConnection) or self._pages_at_open is None:
            return
        (pages,) = sql.execute("PRAGMA page_count").fetchone()
        if pages < 2 * self._pages_at_open:
            return
        try:
            sql.execute("PRAGMA temp_store = FILE")  # not the whole database in memory
            sql.execute("VACUUM")
        except sql.errors as error:  # still whole, only less packed: say so, go on
            log.warning("%s: not packed after the import: %s", self.shown, _reason(error))

    def status(self) -> HistoryStatus:
        with self._lock:
            if self._error is not None:
                state = f"error: {self._error}" + ("" if self.fail_fast else " (retrying)")
            elif self._closed:
                state = "closed"
            else:
                state = "ok"
            return HistoryStatus(
                path=self.shown,
                state=state,
                positions_written=self._positions_written,
                rows_written=self._rows_written,
                batches_written=self._batches_written,
                pending_rows=self._pending_rows,
                rows_dropped=self._rows_dropped,
                last_commit_s=self._last_commit_s,
            )

    def _write_pending(self) -> None:
        with self._writing:  # one writer at a time on the one connection
            self._write_pending_now()

    def _write_pending_now(self) -> None:
        if self._error is not None and time.monotonic() < self._retry_at:
            return
        while self._pending:
            batch = self._pending[0]
            try:
                self._reconnect_if_lost()
                positions = self._write(batch)
            except (*self._sql.errors, HistoryError) as error:
                self._source_ids = {}  # ids of the rolled-back transaction are void
                self._partitions = set()  # and so are partitions it made
                with self._lock:
                    self._error = _reason(error)
                self._retry_at = time.monotonic() + RETRY_AFTER_S
                if self.fail_fast:
                    raise HistoryError(f"{self.shown}: {self._error}") from error
                return
            with self._lock:
                self._pending.popleft()
                self._pending_rows -= batch.rows()
                self._error = None
                self._positions_written += positions
                self._rows_written += batch.rows()
                self._batches_written += 1
                self._last_commit_s = time.time()
            self._maybe_retain(batch.data_time_s)

    def _write(self, batch: HistoryBatch) -> int:
        """One transaction for the whole batch; returns the positions stored (not
        counting those already there).

        Fixes are staged as they are (SQLite: INSERTs into a temporary table;
        PostgreSQL: COPY), and the database converts them to integer units and
        sorts them by (mmsi, time) itself, which is faster than doing it in Python.
        """
        sql = self._sql
        with sql.transaction():
            names = set(map(_SOURCE_OF_FIX, batch.fixes))  # Fix or a plain tuple of one
            for name in sorted(names - self._source_ids.keys()):
                self._source_ids[name] = self._source_id(sql, name)
            if batch.fixes:
                if isinstance(sql, PostgresConnection):
                    times = [fix[1] for fix in batch.fixes]
                    ensure_partitions(sql, min(times), max(times), self._partitions)
                    sql.copy("staged_fixes", _STAGED_COLUMNS, batch.fixes)
                else:
                    sql.executemany(_STAGE_FIX, batch.fixes)
                stored = sql.execute(
                    self._store_fixes, {"whole_seconds_until_s": self._whole_seconds_until_s}
                ).rowcount
                sql.execute("DELETE FROM staged_fixes")
            else:
                stored = 0
            sql.executemany(_STORE_STATIC, [static_row(*change) for change in batch.static_changes])
            presence, others = _split_events(batch.events)
            sql.executemany(_STORE_PRESENCE, presence)
            sql.executemany(
                _STORE_EVENT,
                [
                    (
                        time_s,
                        kind,
                        mmsi or 0,
                        name,
                        lat,
                        lon,
                        json.dumps(details or {}, sort_keys=True),
                    )
                    for time_s, kind, mmsi, name, lat, lon, details in others
                ],
            )
            sql.executemany(_STORE_PORT_CALL, batch.port_calls)
            sql.executemany(self._store_vessel, batch.vessel_rows)
            if batch.watch is not None:
                _write_watch(sql, batch.watch)
        return stored

    @staticmethod
    def _source_id(sql: HistoryConnection, name: str) -> int:
        sql.execute("INSERT INTO sources (name) VALUES (?) ON CONFLICT DO NOTHING", (name,))
        return sql.execute("SELECT id FROM sources WHERE name = ?", (name,)).fetchone()[0]

    def _maybe_retain(self, data_time_s: float | None) -> None:
        """Start a retention pass when one is due, and go on with the pass under way
        for at most ``RETENTION_TIME_PER_BATCH_S``."""
        if self.retention is None:
            return
        last = self._retention_at_s
        if (
            self._retention is None
            and data_time_s is not None
            and (last is None or data_time_s - last >= RETENTION_EVERY_S)
        ):
            self._retention_at_s = data_time_s
            self._retention = RetentionPass(self._sql, self.retention, data_time_s)
        if self._retention is not None:
            self._retain(until_done=False)

    def _retain(self, until_done: bool) -> None:
        """Chunks of the pass under way: until it is done, or for this batch's time.
        A failure ends the pass (the next one starts an hour of data later); in
        fail-fast mode it raises ``HistoryError``."""
        retention = self._retention
        assert retention is not None
        deadline = time.monotonic() + RETENTION_TIME_PER_BATCH_S
        try:
            while not retention.done and (until_done or time.monotonic() < deadline):
                retention.step()
        except self._sql.errors as error:
            self._retention = None
            with self._lock:
                self._error = f"retention: {_reason(error)}"
            if self.fail_fast:
                raise HistoryError(f"{self.shown}: {self._error}") from error
            return
        if retention.done:
            self._retention = None


def _split_events(events: list[Event]) -> tuple[list[tuple], list[Event]]:
    """Rows for ``presence`` (a lost or found event with nothing but its silence in
    its details) and the events for ``event_log`` (the rest)."""
    presence: list[tuple] = []
    others: list[Event] = []
    for event in events:
        time_s, kind, mmsi, name, lat, lon, details = event
        silent_s = details.get("silent_s") if details and len(details) == 1 else None
        if kind in PRESENCE_KINDS and mmsi and isinstance(silent_s, float | int):
            presence.append((time_s, mmsi, int(kind == "found"), silent_s, lat, lon, name))
        else:
            others.append(event)
    return presence, others


def _reason(error: BaseException) -> str:
    text = (str(error).strip().splitlines() or [type(error).__name__])[0]
    if "database or disk is full" in text:
        return "disk full"
    return text
