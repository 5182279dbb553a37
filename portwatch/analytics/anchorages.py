"""Each anchorage's state: who waits there, how full it is, what waiting costs.

Occupancy is counted two ways: ships at anchor against the anchorage's declared
``capacity`` (its designated anchor berths), and the share of its water covered
by their swing circles, which tells a planner when big ships fill it before the
count does. The level (normal, busy, congested) moves up at its threshold and
back down only a margin below it, so one ship coming and going does not flicker.
"""

from __future__ import annotations

import math
import statistics
from collections import deque
from dataclasses import dataclass, field

import shapely

from portwatch.analytics.anchoring import Anchoring
from portwatch.analytics.emissions import NO_COST, WaitingCost, waiting_cost
from portwatch.analytics.settings import WatchSettings
from portwatch.port.port_file import PortFeature

LEVELS = ("normal", "busy", "congested")


@dataclass(frozen=True, slots=True)
class AnchorageState:
    """One anchorage at one moment, as the operator's panel and ``anchorages`` show it."""

    name: str
    capacity: int
    occupied: int
    level: str
    swing_cover_share: float
    """Share of the anchorage's area covered by the swing circles of the ships in it."""
    waiting: tuple[tuple[int, float], ...]
    """(MMSI, wait so far in seconds) of each ship at anchor, longest first."""
    longest_wait_s: float | None
    median_wait_s: float | None
    arrivals_24h: int
    departures_24h: int
    cost_24h: WaitingCost
    """Hours at anchor in the last 24 h, and the fuel and CO2 burnt doing it."""
    max_wait_h: float | None
    depth_m: float | None
    series_24h: tuple[tuple[float, int], ...] = ()
    """(data time, ships at anchor) every few minutes over the last 24 hours, oldest
    first, the count now last: the occupancy chart's line."""

    @property
    def occupancy_share(self) -> float:
        return self.occupied / self.capacity if self.capacity else 0.0


@dataclass(slots=True)
class AnchorageMonitor:
    """The running state of one anchorage (see the module docstring)."""

    feature: PortFeature
    settings: WatchSettings
    level: str = "normal"
    present: dict[int, Anchoring] = field(default_factory=dict)
    arrivals: deque[float] = field(default_factory=deque)
    departures: deque[float] = field(default_factory=deque)
    finished: deque[tuple[float, float, Anchoring]] = field(default_factory=deque)
    """(since, until, anchoring) of stays that ended, for the 24-hour cost."""
    series: deque[tuple[float, int]] = field(default_factory=deque)
    """(time, count) kept by ``keep_count``, the last 24 hours."""
    _cover: tuple[frozenset[int], float] = (frozenset(), 0.0)

    @property
    def name(self) -> str:
        return self.feature.name

    @property
    def capacity(self) -> int:
        return int(self.feature.properties["capacity"])

    def arrive(self, anchoring: Anchoring, now_s: float) -> None:
        self.present[anchoring.mmsi] = anchoring
        self.arrivals.append(now_s)

    def depart(self, mmsi: int, now_s: float, counted: bool = True) -> None:
        """The ship left (``counted``: weighed anchor; else it went silent)."""
        anchoring = self.present.pop(mmsi, None)
        if anchoring is None:
            return
        self.finished.append((anchoring.since_s, now_s, anchoring))
        if counted:
            self.departures.append(now_s)

    def keep_count(self, now_s: float) -> None:
        """Remember the count now for the 24-hour chart (called every few minutes)."""
        self.series.append((now_s, len(self.present)))
        while self.series and self.series[0][0] < now_s - self.settings.occupancy_window_s:
            self.series.popleft()

    def update_level(self) -> str | None:
        """Move the level with the count; returns the new level when it changed."""
        occupied, capacity = len(self.present), self.capacity
        settings = self.settings
        entry = {
            "normal": 0,
            "busy": math.ceil(settings.busy_share * capacity),
            "congested": math.ceil(settings.congested_share * capacity),
        }
        margin = max(1, round(settings.level_hysteresis_share * capacity))
        reached = max((lvl for lvl in LEVELS if occupied >= entry[lvl]), key=LEVELS.index)
        level = self.level
        if LEVELS.index(reached) >= LEVELS.index(level):
            new = reached
        else:  # down only once the count is a margin below where this level began
            new = level
            while new != "normal" and occupied < entry[new] - margin:
                new = LEVELS[LEVELS.index(new) - 1]
        if new == level:
            return None
        self.level = new
        return new

    def state(self, now_s: float) -> AnchorageState:
        settings = self.settings
        window_start = now_s - settings.occupancy_window_s
        for times in (self.arrivals, self.departures):
            while times and times[0] < window_start:
                times.popleft()
        while self.finished and self.finished[0][1] < window_start:
            self.finished.popleft()
        waits = sorted(
            ((mmsi, a.wait_s(now_s)) for mmsi, a in self.present.items()),
            key=lambda item: -item[1],
        )
        cost = NO_COST
        for since_s, until_s, anchoring in self.finished:
            cost += waiting_cost(anchoring.demand, until_s - max(since_s, window_start), settings)
        for anchoring in self.present.values():
            cost += waiting_cost(
                anchoring.demand, now_s - max(anchoring.since_s, window_start), settings
            )
        properties = self.feature.properties
        return AnchorageState(
            name=self.name,
            capacity=self.capacity,
            occupied=len(self.present),
            level=self.level,
            swing_cover_share=self._swing_cover_share(),
            waiting=tuple(waits),
            longest_wait_s=waits[0][1] if waits else None,
            median_wait_s=statistics.median(w for _, w in waits) if waits else None,
            arrivals_24h=len(self.arrivals),
            departures_24h=len(self.departures),
            cost_24h=cost,
            max_wait_h=properties.get("max_wait_h"),
            depth_m=properties.get("depth_m"),
            series_24h=(*self.series, (now_s, len(self.present))),
        )

    def _swing_cover_share(self) -> float:
        """Share of the anchorage covered by swing circles (recomputed when the ships
        in it change)."""
        key = frozenset(id(a) for a in self.present.values())
        if key == self._cover[0]:
            return self._cover[1]
        area = self.feature.local.area
        share = 0.0
        if self.present and area > 0:
            circles = shapely.buffer(
                shapely.points([(a.x, a.y) for a in self.present.values()]),
                [a.radius_m for a in self.present.values()],
            )
            covered = shapely.intersection(shapely.union_all(circles), self.feature.local)
            share = min(1.0, covered.area / area)
        self._cover = (key, share)
        return share
