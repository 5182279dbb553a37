"""Retention: positions older than N days deleted, or thinned to one per M minutes.

Run on the data clock (the newest data time), so importing an old log never
deletes what it has just written. A pass works vessel by vessel along the
primary key, so it never scans the whole table, and a chunk at a time: each
transaction removes at most ``CHUNK_ROWS`` rows. The history writer runs a
pass between its batches, a little after each, so a first pass over a large
database never stalls the live feed behind the writer; a pass cut short (the
program stopped) is simply done again by the next one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from portwatch.history.backend import HistoryConnection, PostgresConnection
from portwatch.settings import RetentionSettings

if TYPE_CHECKING:
    from portwatch.history.store import HistoryStore

DAY_S = 86_400.0
CHUNK_ROWS = 10_000
"""Rows one transaction removes (or looks at) at most: a few milliseconds' work."""
_THINNED_UNTIL = "positions_thinned_until_s"

# At most :rows of the vessel's positions before :cutoff, oldest first: the rows
# before its (rows + 1)-th old position, or all of them when it has fewer.
_DELETE_OLD = """
    DELETE FROM positions WHERE mmsi = :mmsi AND time_s < coalesce(
        (SELECT time_s FROM positions WHERE mmsi = :mmsi AND time_s < :cutoff
         ORDER BY time_s LIMIT 1 OFFSET :rows), :cutoff)
"""
_COUNT_UP_TO = """
    SELECT count(*) FROM (SELECT 1 FROM positions
        WHERE mmsi = :mmsi AND time_s >= :since AND time_s < :until LIMIT :rows + 1) found
"""
_NTH_TIME = """
    SELECT time_s FROM positions WHERE mmsi = :mmsi AND time_s >= :since AND time_s < :until
    ORDER BY time_s LIMIT 1 OFFSET :rows
"""
# Every position of the range but the first of each bucket (times may carry
# milliseconds, so a bucket is taken from the whole seconds).
_THIN = """
    DELETE FROM positions
    WHERE mmsi = :mmsi AND time_s >= :since AND time_s < :until
      AND time_s NOT IN (
        SELECT min(time_s) FROM positions
        WHERE mmsi = :mmsi AND time_s >= :since AND time_s < :until
        GROUP BY {whole} / :bucket)
"""


@dataclass(frozen=True, slots=True)
class RetentionResult:
    deleted: int
    thinned: int


class RetentionPass:
    """``settings`` applied as of data time ``now_s``, one bounded transaction per
    ``step``, on ``connection`` (the writer's, in the writer's thread).

    On PostgreSQL the first step drops every monthly partition wholly older than
    the cut-off (a catalogue change, however many rows), and only the month the
    cut-off falls in is deleted from row by row."""

    def __init__(
        self, connection: HistoryConnection, settings: RetentionSettings, now_s: float
    ) -> None:
        self._connection = connection
        self._thin_sql = _THIN.format(whole=connection.dialect.whole_seconds.format("time_s"))
        self._partitions_dropped = not isinstance(connection, PostgresConnection)
        self.deleted = 0
        self.thinned = 0
        self._cutoff_s = None if settings.keep_days is None else now_s - settings.keep_days * DAY_S
        self._to_delete: list[int] | None = None
        """Vessels whose old positions are still to go, last one first."""
        self._bucket_s = max(1, int(settings.thin_to_minutes * 60))
        self._thin_until_s: int | None = None
        self._thin_since_s = 0
        if settings.thin_after_days is not None:
            thin_before_s = int(now_s - settings.thin_after_days * DAY_S)
            self._thin_until_s = thin_before_s // self._bucket_s * self._bucket_s
        self._to_thin: list[int] | None = None
        self._thin_from_s = 0
        """Where the thinning of the last vessel of ``_to_thin`` has reached."""
        self.done = False

    def result(self) -> RetentionResult:
        return RetentionResult(deleted=self.deleted, thinned=self.thinned)

    def step(self, max_rows: int = CHUNK_ROWS) -> int:
        """One transaction removing (or looking at) at most about ``max_rows`` rows;
        returns the rows removed. Sets ``done`` once the pass is complete."""
        if self.done:
            return 0
        connection = self._connection
        before = self.deleted + self.thinned
        with connection.transaction():
            if not self._partitions_dropped:
                self.deleted += self._drop_old_partitions()
                self._partitions_dropped = True
            budget = self._delete_old(max_rows)
            if budget > 0:
                budget = self._thin(budget)
            if budget > 0:
                self.done = True
                if self._thin_until_s is not None and self._thin_until_s > self._thin_since_s:
                    connection.execute(
                        "INSERT INTO settings (key, value) VALUES (?, ?) "
                        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                        (_THINNED_UNTIL, str(self._thin_until_s)),
                    )
        return self.deleted + self.thinned - before

    def _drop_old_partitions(self) -> int:
        """PostgreSQL: drop the months that end before the cut-off; returns their rows."""
        if self._cutoff_s is None:
            return 0
        from portwatch.history.schema_postgresql import existing_partitions, next_month_s

        dropped = 0
        for start_s, name in sorted(existing_partitions(self._connection).items()):
            if next_month_s(start_s) <= self._cutoff_s:
                dropped += self._connection.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
                self._connection.execute(f"DROP TABLE {name}")
        return dropped

    def _delete_old(self, budget: int) -> int:
        if self._cutoff_s is None:
            return budget
        connection = self._connection
        if self._to_delete is None:
            rows = connection.execute(
                "SELECT mmsi FROM vessels WHERE first_seen_s < ? ORDER BY mmsi DESC",
                (self._cutoff_s,),
            ).fetchall()
            self._to_delete = [mmsi for (mmsi,) in rows]
        vessels = self._to_delete
        while vessels and budget > 0:
            parameters = {"mmsi": vessels[-1], "cutoff": self._cutoff_s, "rows": budget}
            deleted = connection.execute(_DELETE_OLD, parameters).rowcount
            self.deleted += deleted
            if deleted < budget:
                vessels.pop()  # none older left
            budget -= max(deleted, 1)  # a look at a vessel costs as much as a row
        return budget

    def _thin(self, budget: int) -> int:
        until_s = self._thin_until_s
        if until_s is None:
            return budget
        connection = self._connection
        if self._to_thin is None:
            found = connection.execute(
                "SELECT value FROM settings WHERE key = ?", (_THINNED_UNTIL,)
            ).fetchone()
            bucket_s = self._bucket_s
            self._thin_since_s = int(float(found[0])) // bucket_s * bucket_s if found else -(2**62)
            if until_s <= self._thin_since_s:
                self._to_thin = []
                return budget
            rows = connection.execute(
                "SELECT mmsi FROM vessels WHERE first_seen_s < ? AND last_seen_s >= ? "
                "ORDER BY mmsi DESC",
                (until_s, self._thin_since_s),
            ).fetchall()
            self._to_thin = [mmsi for (mmsi,) in rows]
            self._thin_from_s = self._thin_since_s
        vessels = self._to_thin
        while vessels and budget > 0:
            chunk = {"mmsi": vessels[-1], "since": self._thin_from_s, "until": until_s}
            rows = connection.execute(_COUNT_UP_TO, {**chunk, "rows": budget}).fetchone()[0]
            if rows > budget:  # not all of it now: up to a bucket's start before the limit
                (nth_s,) = connection.execute(_NTH_TIME, {**chunk, "rows": budget}).fetchone()
                end_s = int(nth_s) // self._bucket_s * self._bucket_s
                chunk["until"] = max(end_s, chunk["since"] + self._bucket_s)
            parameters = {**chunk, "bucket": self._bucket_s}
            self.thinned += connection.execute(self._thin_sql, parameters).rowcount
            budget -= max(min(rows, budget), 1)
            if chunk["until"] >= until_s:
                vessels.pop()
                self._thin_from_s = self._thin_since_s
            else:
                self._thin_from_s = chunk["until"]
        return budget


def apply_retention(
    store: HistoryStore, settings: RetentionSettings, now_s: float
) -> RetentionResult:
    """Apply ``settings`` as of data time ``now_s`` at once (chunk after chunk);
    returns the rows removed."""
    retention = RetentionPass(store.sql, settings, now_s)
    while not retention.done:
        retention.step()
    return retention.result()
