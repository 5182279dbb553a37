"""How many ships each anchorage will hold over the next six hours, and how right
such forecasts have been.

The count an hour ahead is the ships there now that will still be waiting (each
by the learnt chance that a stay as long as theirs lasts another hour) plus the
inbound ships expected to anchor by then (each by the learnt share of its kind
that anchors first, once its ETA has passed) that will not have left again. The
band is the spread of that sum of chances (80 %). Each whole hour the forecasts
are kept, and scored against the count when their hour comes.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

import numpy as np

from portwatch.analytics.waits import WaitStatistics

HOURS = (1, 2, 3, 4, 5, 6)
Z_80 = 1.2816


@dataclass(frozen=True, slots=True)
class AnchorageForecast:
    anchorage: str
    made_s: float
    expected: tuple[float, ...]
    """Expected ships at anchor 1 … 6 hours after ``made_s``."""
    low: tuple[float, ...]
    high: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class ForecastScoreRow:
    horizon_h: int
    count: int
    mae: float | None
    bias: float | None


def forecast(
    anchorage: str,
    now_s: float,
    waited_s: list[float],
    inbound_eta_s: list[tuple[float, float]],
    waits: WaitStatistics,
) -> AnchorageForecast:
    """``waited_s``: how long each ship there now has waited; ``inbound_eta_s``: (ETA at
    the anchorage, chance it anchors) of each inbound ship it serves."""
    expected, low, high = [], [], []
    for hours in HOURS:
        later = hours * 3600.0
        chances = [waits.still_waiting(anchorage, w, later) for w in waited_s]
        for eta_s, share in inbound_eta_s:
            if eta_s <= now_s + later:
                stay = now_s + later - max(eta_s, now_s)
                chances.append(share * waits.still_waiting(anchorage, 0.0, stay))
        values = np.array(chances, dtype=float)
        mean = float(values.sum())
        spread = Z_80 * math.sqrt(float((values * (1 - values)).sum()))
        expected.append(mean)
        low.append(max(0.0, mean - spread))
        high.append(mean + spread)
    return AnchorageForecast(anchorage, now_s, tuple(expected), tuple(low), tuple(high))


@dataclass(slots=True)
class ForecastScores:
    """Forecasts kept each hour, scored when their hour comes."""

    pending: deque[tuple[float, str, int, float]] = field(default_factory=deque)
    """(due time, anchorage, horizon in hours, expected count)."""
    sums: dict[int, list[float]] = field(default_factory=dict)
    last_hour: int | None = None
    rows: list[tuple] = field(default_factory=list)
    """(anchorage, made, horizon, expected, actual) scored since history last took them."""

    def keep(self, forecasts: list[AnchorageForecast], now_s: float) -> None:
        """At most once per whole hour of data time: remember the forecasts."""
        hour = int(now_s // 3600)
        if hour == self.last_hour:
            return
        self.last_hour = hour
        for f in forecasts:
            for hours, value in zip(HOURS, f.expected, strict=True):
                self.pending.append((now_s + hours * 3600.0, f.anchorage, hours, value))

    def score(self, now_s: float, occupied: dict[str, int]) -> None:
        """Score the forecasts whose time has come against the counts now."""
        keep = deque()
        while self.pending:
            due_s, anchorage, hours, value = self.pending.popleft()
            if due_s > now_s:
                keep.append((due_s, anchorage, hours, value))
                continue
            actual = occupied.get(anchorage, 0)
            error = value - actual
            self.rows.append((anchorage, due_s - hours * 3600.0, hours, value, actual))
            total = self.sums.setdefault(hours, [0, 0.0, 0.0])
            total[0] += 1
            total[1] += abs(error)
            total[2] += error
        self.pending = keep

    def take_rows(self) -> list[tuple]:
        rows, self.rows = self.rows, []
        return rows

    def table(self) -> list[ForecastScoreRow]:
        rows = []
        for hours in HOURS:
            count, absolute, signed = self.sums.get(hours, (0, 0.0, 0.0))
            rows.append(
                ForecastScoreRow(
                    hours,
                    int(count),
                    absolute / count if count else None,
                    signed / count if count else None,
                )
            )
        return rows
