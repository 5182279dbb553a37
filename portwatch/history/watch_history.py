"""Reading back what the operator's watch kept in history: alerts, arrival-time
scores, anchorage counts, stays at anchor and what was learnt.

Kept apart from ``store`` (positions, vessels, events) because these tables are
the analytics' own; a database from before schema step m003 has none of them,
and then every reader here answers with nothing rather than failing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from portwatch.analytics.alerts import Alert
from portwatch.events import Event
from portwatch.history.store import HistoryStore


@dataclass(frozen=True, slots=True)
class AnchorageRecord:
    """One anchorage's state as kept at ``time_s``."""

    anchorage: str
    time_s: float
    occupied: int
    capacity: int
    level: str
    cover_share: float
    longest_wait_s: float | None
    median_wait_s: float | None
    arrivals_24h: int
    departures_24h: int
    hours_24h: float
    fuel_24h_t: float
    co2_24h_t: float


@dataclass(frozen=True, slots=True)
class StayRecord:
    mmsi: int
    anchored_s: float
    weighed_s: float
    anchorage: str | None
    wait_s: float
    fuel_waiting_t: float
    co2_waiting_t: float
    approach_m: float | None
    approach_kn: float | None
    jit_kn: float | None
    jit_fuel_saved_t: float
    jit_co2_saved_t: float


class WatchHistory:
    """The watch's tables of one history database."""

    def __init__(self, store: HistoryStore) -> None:
        self.sql = store.sql
        self.ready = "alerts" in self.sql.table_names()

    def _rows(self, sql: str, params: tuple = ()) -> list[tuple]:
        return list(self.sql.execute(sql, params)) if self.ready else []

    def alerts(self, open_only: bool = False, since_s: float | None = None) -> list[Alert]:
        """Alerts raised (since ``since_s``), or only those still open, oldest first."""
        conditions, params = [], []
        if open_only:
            conditions.append("cleared_s IS NULL")
        if since_s is not None:
            conditions.append("raised_s >= ?")
            params.append(since_s)
        where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        return [
            _alert(row)
            for row in self._rows(
                "SELECT id, kind, key, raised_s, figure, raises, event, acknowledged_s, "
                f"acknowledged_by, snoozed_until_s, cleared_s FROM alerts{where} "
                "ORDER BY raised_s, id",
                tuple(params),
            )
        ]

    def eta_scores(self, since_s: float | None = None) -> list[tuple]:
        """(mmsi, target, arrival_s, horizon_min, estimator, error_s) since a time."""
        return self._rows(
            "SELECT mmsi, target, arrival_s, horizon_min, estimator, error_s FROM eta_scores "
            "WHERE arrival_s >= ? ORDER BY arrival_s",
            (since_s if since_s is not None else float("-inf"),),
        )

    def anchorages_at(self, at_s: float | None = None) -> list[AnchorageRecord]:
        """Each anchorage's last kept state at or before ``at_s`` (default: the latest)."""
        limit = at_s if at_s is not None else float("inf")
        return [
            AnchorageRecord(*row)
            for row in self._rows(
                """
                SELECT o.anchorage, o.time_s, o.occupied, o.capacity, o.level, o.cover_share,
                       o.longest_wait_s, o.median_wait_s, o.arrivals_24h, o.departures_24h,
                       o.hours_24h, o.fuel_24h_t, o.co2_24h_t
                FROM anchorage_occupancy o
                JOIN (SELECT anchorage, max(time_s) AS time_s FROM anchorage_occupancy
                      WHERE time_s <= ? GROUP BY anchorage) latest
                  ON latest.anchorage = o.anchorage AND latest.time_s = o.time_s
                ORDER BY o.anchorage
                """,
                (limit,),
            )
        ]

    def occupancy(self, anchorage: str, since_s: float, until_s: float) -> list[tuple]:
        """(time_s, occupied) of one anchorage over a period, for its chart."""
        return self._rows(
            "SELECT time_s, occupied FROM anchorage_occupancy WHERE anchorage = ? "
            "AND time_s BETWEEN ? AND ? ORDER BY time_s",
            (anchorage, since_s, until_s),
        )

    def stays(self, since_s: float | None = None) -> list[StayRecord]:
        """Stays at anchor that ended since a time, in the order they ended."""
        return [
            StayRecord(*row)
            for row in self._rows(
                "SELECT * FROM anchor_stays WHERE weighed_s >= ? ORDER BY weighed_s",
                (since_s if since_s is not None else float("-inf"),),
            )
        ]

    def forecast_scores(self, since_s: float | None = None) -> list[tuple]:
        """(anchorage, made_s, horizon_h, expected, actual) since a time."""
        return self._rows(
            "SELECT anchorage, made_s, horizon_h, expected, actual FROM forecast_scores "
            "WHERE made_s >= ? ORDER BY made_s",
            (since_s if since_s is not None else float("-inf"),),
        )

    def learnt(self, port: str) -> dict[str, Any]:
        """What the analytics of ``port`` learnt, by name (speed profiles, waits)."""
        return {
            name: json.loads(state)
            for name, state in self._rows("SELECT name, state FROM learnt WHERE port = ?", (port,))
        }

    def at_anchor(self, at_s: float | None = None) -> list[Event]:
        """The ``anchored`` event of each vessel at anchor at ``at_s`` (default: the
        end of the history): anchored then, and not up or gone since."""
        limit = at_s if at_s is not None else float("inf")
        rows = self.sql.execute(
            """
            SELECT e.time_s, e.kind, e.mmsi, e.name, e.lat, e.lon, e.details FROM events e
            JOIN (SELECT mmsi, max(time_s) AS time_s FROM events
                  WHERE kind IN ('anchored', 'anchor_up') AND time_s <= ? GROUP BY mmsi) last
              ON last.mmsi = e.mmsi AND last.time_s = e.time_s
            WHERE e.kind = 'anchored' ORDER BY e.time_s
            """,
            (limit,),
        )
        return [Event(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6])) for r in rows]


def _alert(row: tuple) -> Alert:
    (
        alert_id,
        kind,
        key,
        raised_s,
        figure,
        raises,
        event,
        acknowledged_s,
        acknowledged_by,
        snoozed_until_s,
        cleared_s,
    ) = row
    stored = json.loads(event)
    details = {k: v for k, v in stored.items() if k not in _EVENT_KEYS}
    raising = Event(
        time_s=_from_iso(stored["time"]),
        kind=stored["kind"],
        mmsi=stored.get("mmsi"),
        name=stored.get("name"),
        lat=stored.get("lat"),
        lon=stored.get("lon"),
        details=details,
    )
    return Alert(
        id=alert_id,
        kind=kind,
        key=tuple(json.loads(key)),
        event=raising,
        raised_s=raised_s,
        figure=figure,
        current=figure,
        raises=raises,
        acknowledged_s=acknowledged_s,
        acknowledged_by=acknowledged_by,
        snoozed_until_s=snoozed_until_s,
        cleared_s=cleared_s,
    )


_EVENT_KEYS = frozenset({"time", "kind", "mmsi", "name", "lat", "lon"})


def _from_iso(text: str) -> float:
    from portwatch.times import parse_time

    return parse_time(text)
