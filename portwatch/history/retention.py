"""Retention: positions older than N days deleted, or thinned to one per M minutes.

Run on the data clock (the newest data time), so importing an old log never
deletes what it has just written. Works vessel by vessel along the primary
key, so it never scans the whole table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from portwatch.settings import RetentionSettings

if TYPE_CHECKING:
    from portwatch.history.store import HistoryStore

DAY_S = 86_400.0
_THINNED_UNTIL = "positions_thinned_until_s"


@dataclass(frozen=True, slots=True)
class RetentionResult:
    deleted: int
    thinned: int


def apply_retention(
    store: HistoryStore, settings: RetentionSettings, now_s: float
) -> RetentionResult:
    """Apply ``settings`` as of data time ``now_s``; returns the rows removed."""
    db = store.db
    conn = db.conn
    deleted = thinned = 0
    with conn:
        if settings.keep_days is not None:
            cutoff_s = int(now_s - settings.keep_days * DAY_S)
            for (mmsi,) in conn.execute(
                "SELECT mmsi FROM vessels WHERE first_seen_s < ?", (cutoff_s,)
            ).fetchall():
                deleted += conn.execute(
                    "DELETE FROM positions WHERE mmsi = ? AND time_s < ?", (mmsi, cutoff_s)
                ).rowcount
        if settings.thin_after_days is not None:
            bucket_s = max(1, int(settings.thin_to_minutes * 60))
            until_s = int(now_s - settings.thin_after_days * DAY_S) // bucket_s * bucket_s
            row = conn.execute("SELECT value FROM settings WHERE key = ?", (_THINNED_UNTIL,))
            found = row.fetchone()
            since_s = int(float(found[0])) // bucket_s * bucket_s if found else -(2**62)
            if until_s > since_s:
                for (mmsi,) in conn.execute(
                    "SELECT mmsi FROM vessels WHERE first_seen_s < ? AND last_seen_s >= ?",
                    (until_s, since_s),
                ).fetchall():
                    thinned += conn.execute(
                        """
                        DELETE FROM positions
                        WHERE mmsi = :mmsi AND time_s >= :since AND time_s < :until
                          AND time_s NOT IN (
                            SELECT min(time_s) FROM positions
                            WHERE mmsi = :mmsi AND time_s >= :since AND time_s < :until
                            GROUP BY time_s / :bucket)
                        """,
                        {"mmsi": mmsi, "since": since_s, "until": until_s, "bucket": bucket_s},
                    ).rowcount
                conn.execute(
                    "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                    (_THINNED_UNTIL, str(until_s)),
                )
    return RetentionResult(deleted=deleted, thinned=thinned)
