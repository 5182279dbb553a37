"""The watch's reports for a terminal or another program: the anchorages, the arrival
times' scores with the cost of waiting, and the pilot board as of a time.

What ``portwatch anchorages``, ``eta-report`` and ``pilot-board`` print. The first
two read what the analytics kept in history (``import --port``, ``analyze --db``,
``run --port``); the pilot board is made again by the same engine as live, from a
log or from history, so that the board as of a time is the one the operator saw
then. Each report is rows of plain values, written as a table, CSV or JSON.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from portwatch.analytics.eta_scores import Score, Scoreboard, ScoreRow
from portwatch.analytics.pilot_board import PilotBoard
from portwatch.command_files import InputError, refuse_unreadable_inputs
from portwatch.decoders.errors import PortwatchError
from portwatch.decoders.jsonl import iso_utc
from portwatch.engine import Engine
from portwatch.history.replay_lines import history_lines
from portwatch.history.store import HistoryStore, is_history_database
from portwatch.history.watch_history import AnchorageRecord, StayRecord, WatchHistory
from portwatch.importing import ImportResult, ProgressFactory, feed_logs
from portwatch.port.port_file import Port, load_port

if TYPE_CHECKING:
    from portwatch.analytics import WatchSettings
    from portwatch.settings import FleetSettings

FORMATS = ("table", "csv", "json")
BOARD_LOOKBACK_S = 4 * 3600.0
"""A pilot board from history replays this much before its time: the vessels of the
live picture (heard in the last hour), and departures (kept on the board three hours)."""
STAY_PATIENCE_S = 900.0
"""...and waits this long for a ship at anchor when it began to be heard (at-anchor
reports come every three minutes; more with a missed report or two)."""


class ReportError(PortwatchError):
    """A report has nothing to be made from (no data at that time)."""


Rows = list[dict[str, Any]]


# -- anchorages ----------------------------------------------------------------

ANCHORAGE_COLUMNS = (
    "anchorage",
    "time",
    "occupied",
    "capacity",
    "level",
    "cover_pct",
    "longest_wait_h",
    "median_wait_h",
    "arrivals_24h",
    "departures_24h",
    "waiting_h_24h",
    "fuel_24h_t",
    "co2_24h_t",
)


def read_anchorages(db_path: str | Path, at_s: float | None = None) -> list[AnchorageRecord]:
    """Each anchorage's state as history kept it last at or before ``at_s`` (every five
    minutes of data; default: the latest). Raises ``HistoryError`` for a database
    that cannot be read."""
    with HistoryStore.open(db_path, create=False, readonly=True) as store:
        return WatchHistory(store).anchorages_at(at_s)


def anchorage_rows(records: Sequence[AnchorageRecord]) -> Rows:
    return [
        {
            "anchorage": r.anchorage,
            "time": iso_utc(r.time_s),
            "occupied": r.occupied,
            "capacity": r.capacity,
            "level": r.level,
            "cover_pct": round(100 * r.cover_share, 1),
            "longest_wait_h": _hours(r.longest_wait_s),
            "median_wait_h": _hours(r.median_wait_s),
            "arrivals_24h": r.arrivals_24h,
            "departures_24h": r.departures_24h,
            "waiting_h_24h": round(r.hours_24h, 1),
            "fuel_24h_t": round(r.fuel_24h_t, 2),
            "co2_24h_t": round(r.co2_24h_t, 2),
        }
        for r in records
    ]


# -- arrival-time scores and the cost of waiting --------------------------------

SCORE_COLUMNS = ("horizon_min", "estimator", "arrivals", "mae_min", "bias_min")
DAY_COLUMNS = (
    "day",
    "stays",
    "waiting_h",
    "fuel_waiting_t",
    "co2_waiting_t",
    "jit_fuel_saved_t",
    "jit_co2_saved_t",
)


@dataclass(frozen=True, slots=True)
class EtaReport:
    """The scores of the three estimators by horizon, and per day (UTC) the hours
    ships waited at anchor, what waiting burnt and what just-in-time arrival would
    have saved."""

    scores: list[ScoreRow]
    days: Rows


def read_eta_report(db_path: str | Path, since_s: float | None = None) -> EtaReport:
    """The report over the arrivals and stays since ``since_s`` (default: all)."""
    with HistoryStore.open(db_path, create=False, readonly=True) as store:
        history = WatchHistory(store)
        board = Scoreboard()
        board.add([Score(*row) for row in history.eta_scores(since_s)])
        return EtaReport(board.rows(), daily_waiting(history.stays(since_s)))


def daily_waiting(stays: Sequence[StayRecord]) -> Rows:
    """Stays at anchor summed by the UTC day they ended on."""
    days: dict[str, list[float]] = {}
    for stay in stays:
        day = datetime.fromtimestamp(stay.weighed_s, UTC).date().isoformat()
        total = days.setdefault(day, [0, 0.0, 0.0, 0.0, 0.0, 0.0])
        for index, value in enumerate(
            (
                1,
                stay.wait_s / 3600.0,
                stay.fuel_waiting_t,
                stay.co2_waiting_t,
                stay.jit_fuel_saved_t,
                stay.jit_co2_saved_t,
            )
        ):
            total[index] += value or 0.0
    return [
        {
            "day": day,
            "stays": int(t[0]),
            "waiting_h": round(t[1], 1),
            "fuel_waiting_t": round(t[2], 2),
            "co2_waiting_t": round(t[3], 2),
            "jit_fuel_saved_t": round(t[4], 2),
            "jit_co2_saved_t": round(t[5], 2),
        }
        for day, t in sorted(days.items())
    ]


def score_rows(scores: Sequence[ScoreRow]) -> Rows:
    return [
        {
            "horizon_min": s.horizon_min,
            "estimator": s.estimator,
            "arrivals": s.count,
            "mae_min": _minutes(s.mae_s),
            "bias_min": _minutes(s.bias_s),
        }
        for s in scores
    ]


# -- the pilot board -------------------------------------------------------------


def pilot_board(
    source: str,
    port: Port | str | Path,
    at_s: float | None = None,
    settings: FleetSettings | None = None,
    watch_settings: WatchSettings | None = None,
    progress: ProgressFactory | None = None,
) -> PilotBoard:
    """The pilot board as it stood at ``at_s`` (default: the end of the data), from a
    recorded log or a history database ``source``.

    A log is fed through the engine up to ``at_s``, as a replay paused there: the
    board is the live board of that moment. From history, the four hours before
    ``at_s`` are replayed, with what the analytics had learnt, the scores kept up
    to then and the stays at anchor going on, so waits count from their start.
    Raises ``PortFileError``, ``InputError``, ``HistoryError``, or ``ReportError``
    when there is no data at or before ``at_s``.
    """
    watched = port if isinstance(port, Port) else load_port(port)
    database = is_history_database(source)
    if not database:
        refuse_unreadable_inputs([source])
    engine = Engine(settings=settings, port=watched, watch_settings=watch_settings)
    if database:
        _replay_history(engine, source, at_s)
    else:
        result = ImportResult()
        feed_logs(engine, [source], result, progress, until_s=at_s, finish=False)
        if not result.messages and result.failed:
            raise InputError(result.failed[0])
    board = engine.snapshot().watch
    if board is None or board.pilot_board is None:
        when = "" if at_s is None else f" at or before {iso_utc(at_s)}"
        raise ReportError(f"{source}: no AIS data{when}")
    return board.pilot_board


def _replay_history(engine: Engine, db_path: str, at_s: float | None) -> None:
    analytics = engine.analytics
    assert analytics is not None
    with HistoryStore.open(db_path, create=False, readonly=True) as store:
        span = store.time_span()
        if span is None or (at_s is not None and at_s < span[0]):
            return
        end_s = span[1] if at_s is None else min(at_s, span[1])
        start_s = max(span[0], end_s - BOARD_LOOKBACK_S)
        history = WatchHistory(store)
        analytics.restore_learnt(history)
        analytics.restore_scores(history, start_s)
        analytics.restore_stays(history, start_s, STAY_PATIENCE_S)
        engine.feed((line for _, line in history_lines(store, start_s, end_s)), store.shown)


# -- writing rows ------------------------------------------------------------------


def write_rows(rows: Rows, columns: Sequence[str], format: str) -> str:
    """``rows`` as an aligned text table, CSV (with a header) or a JSON array."""
    if format == "json":
        return json.dumps(rows, indent=1)
    if format == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: "" if v is None else v for k, v in row.items()} for row in rows)
        return out.getvalue().rstrip("\n")
    cells = [list(columns)] + [
        ["" if row[c] is None else str(row[c]) for c in columns] for row in rows
    ]
    widths = [max(len(line[i]) for line in cells) for i in range(len(columns))]
    numeric = [
        all(_is_number(row[c]) for row in rows if row[c] is not None) and bool(rows)
        for c in columns
    ]
    return "\n".join(
        "  ".join(
            (cell.rjust(width) if right else cell.ljust(width))
            for cell, width, right in zip(line, widths, numeric, strict=True)
        ).rstrip()
        for line in cells
    )


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _hours(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 3600.0, 2)


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60.0, 1)
