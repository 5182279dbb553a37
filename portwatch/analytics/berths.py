"""Each berth's state: which ship lies alongside, since when, and how busy the berth
has been over the last seven days.

A ship is alongside when it lies inside the berth's zone at a crawl (moored ships
swing a little on their lines, and some never set status 5); the berth is
occupied while at least one ship is. Its occupancy is the share of the time it was
occupied, per day and over the week, which is what a terminal planner asks first.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

ALONGSIDE_MAX_KN = 1.0
"""Slower than this inside a berth's zone is lying alongside."""
WEEK_S = 7 * 86_400.0
DAY_S = 86_400.0


@dataclass(frozen=True, slots=True)
class BerthState:
    """One berth at one moment, as the berths panel shows it."""

    name: str
    terminal: str | None
    alongside: tuple[tuple[int, float], ...]
    """(MMSI, alongside since) of each ship alongside, the earliest first."""
    occupied_share_7d: float
    """Share of the last seven days (or of the time watched, if shorter) the berth was occupied."""
    daily_share: tuple[float, ...]
    """Share of each of the last seven days it was occupied, oldest first (the last is today's
    24 hours up to now)."""


@dataclass(slots=True)
class BerthMonitor:
    """The running state of one berth (see the module docstring)."""

    name: str
    terminal: str | None = None
    present: dict[int, float] = field(default_factory=dict)
    """MMSI → alongside since."""
    busy: deque[list[float]] = field(default_factory=deque)
    """[start, end] of the periods it was occupied, oldest first; the last one's end
    moves on while it still is."""
    watched_since_s: float | None = None
    _open: bool = False
    """The last busy period goes on (the berth was occupied at the last update)."""

    def update(self, alongside: set[int], now_s: float) -> None:
        """The ships alongside now (data time ``now_s``)."""
        if self.watched_since_s is None:
            self.watched_since_s = now_s
        for mmsi in list(self.present):
            if mmsi not in alongside:
                del self.present[mmsi]
        for mmsi in alongside:
            self.present.setdefault(mmsi, now_s)
        if self.present:
            if self._open:
                self.busy[-1][1] = now_s
            else:
                self.busy.append([now_s, now_s])
                self._open = True
        else:
            self._open = False
        while self.busy and self.busy[0][1] < now_s - WEEK_S:
            self.busy.popleft()

    def state(self, now_s: float) -> BerthState:
        week_start = now_s - WEEK_S
        since = max(week_start, self.watched_since_s if self.watched_since_s is not None else now_s)
        watched = now_s - since
        daily = []
        for day in range(7, 0, -1):
            start, end = now_s - day * DAY_S, now_s - (day - 1) * DAY_S
            daily.append(self._busy_between(start, end) / DAY_S)
        share = (
            self._busy_between(since, now_s) / watched if watched > 0 else float(bool(self.present))
        )
        return BerthState(
            name=self.name,
            terminal=self.terminal,
            alongside=tuple(sorted(self.present.items(), key=lambda item: item[1])),
            occupied_share_7d=min(1.0, share),
            daily_share=tuple(min(1.0, d) for d in daily),
        )

    def _busy_between(self, start_s: float, end_s: float) -> float:
        return sum(max(0.0, min(end, end_s) - max(begin, start_s)) for begin, end in self.busy)
