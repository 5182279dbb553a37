"""What the watch shows the world: an immutable picture of zones, anchorages and
alerts, safe to read from any thread (the window, the CLI, a test)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from portwatch.analytics.alerts import Alert
from portwatch.analytics.anchorages import AnchorageState
from portwatch.analytics.berths import BerthState
from portwatch.analytics.eta_scores import ScoreRow
from portwatch.analytics.forecast import AnchorageForecast, ForecastScoreRow
from portwatch.analytics.pilot_board import PilotBoard


@dataclass(frozen=True, slots=True)
class VesselWatch:
    """What the analytics know of one vessel."""

    in_approach: bool
    zones: tuple[str, ...]
    """Names of the zones it lies in, in the port file's order."""
    distance_to_station_m: float | None
    """Straight-line distance to the nearest pilot boarding place."""
    anchored_since_s: float | None
    """At anchor since then (its wait so far counts from here); None when not."""
    anchorage: str | None
    """The anchorage it lies at anchor in (None outside any, or not at anchor)."""
    alerts: tuple[str, ...] = ()
    """Kinds of the open alerts it is part of."""


NOT_WATCHED = VesselWatch(False, (), None, None, None)


VIEW_ALERTS = 1000
"""A view lists at most this many open alerts, the most urgent: an operator reads a
few dozen, and 20,000 vessels crowded into one approach keep a hundred thousand
open, which the window would otherwise copy, sort and list at every pass."""


def alert_kinds(alerts: Iterable[Alert]) -> dict[int, tuple[str, ...]]:
    """Kinds of the ``alerts`` each vessel is in, in the order given."""
    kinds: dict[int, list[str]] = {}
    for alert in alerts:
        first, other = alert.mmsi, alert.other_mmsi
        if first is not None:
            kinds.setdefault(first, []).append(alert.kind)
        if other is not None and other != first:
            kinds.setdefault(other, []).append(alert.kind)
    return {mmsi: tuple(names) for mmsi, names in kinds.items()}


@dataclass(frozen=True, slots=True)
class WatchView:
    """The watch at one pass. Per-vessel facts are kept as columns and read per
    vessel on demand, so that making a view costs little at national scale."""

    version: int
    time_s: float | None
    anchorages: tuple[AnchorageState, ...] = ()
    alerts: tuple[Alert, ...] = ()
    """Open alerts, most urgent first, then newest first: the first ``VIEW_ALERTS`` of
    them when more are open (``open_alerts``)."""
    open_alerts: int = 0
    """How many alerts are open in all (a dense crowd has tens of thousands)."""
    cleared: tuple[Alert, ...] = ()
    """Recently cleared alerts, newest first."""
    zone_names: tuple[str, ...] = ()
    pilot_board: PilotBoard | None = None
    forecasts: tuple[AnchorageForecast, ...] = ()
    eta_scores: tuple[ScoreRow, ...] = ()
    """PortWatch's, the naive and the reported ETAs' errors by horizon, so far."""
    forecast_scores: tuple[ForecastScoreRow, ...] = ()
    berths: tuple[BerthState, ...] = ()
    swing_circles: tuple[tuple[int, float, float, float], ...] = ()
    """(MMSI, x, y, radius in metres on the port's plane) of each ship at anchor: where
    its anchor holds and the circle it swings in."""
    _rows: dict[int, int] = field(default_factory=dict)
    _in_approach: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    _inside: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), bool))
    _distance_m: np.ndarray = field(default_factory=lambda: np.zeros(0))
    _anchored: dict[int, tuple[float, str | None]] = field(default_factory=dict)
    _alert_kinds: dict[int, tuple[str, ...]] = field(default_factory=dict)
    """Kinds of the open alerts of each vessel in one (all of them, listed or not)."""

    def vessel(self, mmsi: int) -> VesselWatch:
        row = self._rows.get(mmsi)
        if row is None:
            return NOT_WATCHED
        anchored = self._anchored.get(mmsi)
        distance = float(self._distance_m[row])
        return VesselWatch(
            in_approach=bool(self._in_approach[row]),
            zones=tuple(
                n for n, inside in zip(self.zone_names, self._inside[row], strict=True) if inside
            ),
            distance_to_station_m=None if np.isnan(distance) else distance,
            anchored_since_s=anchored[0] if anchored else None,
            anchorage=anchored[1] if anchored else None,
            alerts=self._alert_kinds.get(mmsi, ()),
        )

    def in_approach(self, mmsi: int) -> bool:
        row = self._rows.get(mmsi)
        return row is not None and bool(self._in_approach[row])

    def anchorage(self, name: str) -> AnchorageState:
        for state in self.anchorages:
            if state.name == name:
                return state
        raise KeyError(name)

    def forecast(self, anchorage: str) -> AnchorageForecast | None:
        return next((f for f in self.forecasts if f.anchorage == anchorage), None)

    def alerting_mmsis(self) -> frozenset[int]:
        """Vessels in at least one open alert (to mark them on the map)."""
        return frozenset(self._alert_kinds)
