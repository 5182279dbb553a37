"""Keeping score: every arrival estimate checked against the arrival it was for.

Three estimators are scored side by side, so that an operator sees how far each
can be trusted: PortWatch's own, straight-line distance over the current speed
(the naive one), and the ETA the ship itself reports. At each arrival the
estimates made 15, 30, 60, 120 and 240 minutes before it (the one nearest each
horizon, if it lies within a tenth of the horizon) give one signed error each,
positive when the estimate was late. The relative errors at each horizon also
give PortWatch's estimates their uncertainty band.
"""

from __future__ import annotations

import bisect
from collections import deque
from dataclasses import dataclass, field

import numpy as np

HORIZONS_MIN = (15, 30, 60, 120, 240)
ESTIMATORS = ("portwatch", "naive", "reported")
HORIZON_SLACK = 0.1
"""An estimate counts for a horizon when made within this share of it from it."""
BAND_MEMORY = 400
"""Recent relative errors kept per horizon for the band."""
DEFAULT_BAND = 0.10
"""Before any score: the band is ±10 % of the time still to go."""
BAND_QUANTILES = (0.1, 0.9)


@dataclass(frozen=True, slots=True)
class Estimate:
    """What each estimator said at ``made_s`` (None where it had nothing to say)."""

    made_s: float
    portwatch_s: float | None
    naive_s: float | None
    reported_s: float | None

    def by(self, estimator: str) -> float | None:
        return {"portwatch": self.portwatch_s, "naive": self.naive_s, "reported": self.reported_s}[
            estimator
        ]


@dataclass(frozen=True, slots=True)
class Score:
    """One estimator's error for one arrival at one horizon."""

    mmsi: int
    target: str
    arrival_s: float
    horizon_min: int
    estimator: str
    error_s: float
    """Estimate minus actual: positive when the estimate was late."""


@dataclass(frozen=True, slots=True)
class ScoreRow:
    horizon_min: int
    estimator: str
    count: int
    mae_s: float | None
    bias_s: float | None


def score_arrival(
    mmsi: int, target: str, arrival_s: float, estimates: list[Estimate]
) -> list[Score]:
    """The scores of one arrival from the estimates made for it (oldest first)."""
    scores: list[Score] = []
    made = [e.made_s for e in estimates]
    for horizon in HORIZONS_MIN:
        wanted_s = arrival_s - horizon * 60.0
        at = bisect.bisect_left(made, wanted_s)
        nearest = min(
            (i for i in (at - 1, at) if 0 <= i < len(estimates)),
            key=lambda i: abs(made[i] - wanted_s),
            default=None,
        )
        if nearest is None or abs(made[nearest] - wanted_s) > horizon * 60.0 * HORIZON_SLACK:
            continue
        estimate = estimates[nearest]
        for estimator in ESTIMATORS:
            value = estimate.by(estimator)
            if value is not None:
                scores.append(Score(mmsi, target, arrival_s, horizon, estimator, value - arrival_s))
    return scores


@dataclass(slots=True)
class Scoreboard:
    """Scores so far, summed by horizon and estimator, and the band they give."""

    sums: dict[tuple[int, str], list[float]] = field(default_factory=dict)
    """(horizon, estimator) -> [count, sum of |error|, sum of error]."""
    relative: dict[int, deque[float]] = field(
        default_factory=lambda: {h: deque(maxlen=BAND_MEMORY) for h in HORIZONS_MIN}
    )

    def add(self, scores: list[Score]) -> None:
        for score in scores:
            total = self.sums.setdefault((score.horizon_min, score.estimator), [0, 0.0, 0.0])
            total[0] += 1
            total[1] += abs(score.error_s)
            total[2] += score.error_s
            if score.estimator == "portwatch":
                self.relative[score.horizon_min].append(score.error_s / (score.horizon_min * 60.0))

    def rows(self) -> list[ScoreRow]:
        rows = []
        for horizon in HORIZONS_MIN:
            for estimator in ESTIMATORS:
                count, absolute, signed = self.sums.get((horizon, estimator), (0, 0.0, 0.0))
                rows.append(
                    ScoreRow(
                        horizon,
                        estimator,
                        int(count),
                        absolute / count if count else None,
                        signed / count if count else None,
                    )
                )
        return rows

    def band_s(self, to_go_s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(early, late) offsets in seconds around estimates ``to_go_s`` ahead: the 10th
        and 90th percentiles of past relative errors at the nearest horizon, or ±10 %."""
        early = -DEFAULT_BAND * to_go_s
        late = DEFAULT_BAND * to_go_s
        minutes = np.asarray(to_go_s) / 60.0
        horizons = np.array(HORIZONS_MIN, dtype=float)
        nearest = np.abs(minutes[:, None] - horizons[None, :]).argmin(axis=1)
        for index, horizon in enumerate(HORIZONS_MIN):
            errors = self.relative[horizon]
            if len(errors) < 10:
                continue
            low, high = np.quantile(np.fromiter(errors, float), BAND_QUANTILES)
            chosen = nearest == index
            # The band is what the estimate may miss by: an estimate that has been
            # late says the arrival may come earlier than it, and the other way round.
            early[chosen] = np.minimum(-high * to_go_s[chosen], 0.0)
            late[chosen] = np.maximum(-low * to_go_s[chosen], 0.0)
        return early, late
