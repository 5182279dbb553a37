"""A ship at anchor: when it came, where its anchor holds, and whether it drags.

A ship is at anchor when its navigational status says so at a crawl, or when it
has stayed stopped for a while away from berths and quays (crews forget the
status). Its swing circle is centred where it anchored, with its length plus the
anchor chain's scope for the depth as radius. Fixes outside the circle on
consecutive reports while it is still slow are a drag; one stray fix is not.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from portwatch.analytics.emissions import AnchorDemand
from portwatch.analytics.settings import WatchSettings

AT_ANCHOR, MOORED = 1, 5
SHACKLE_M = 27.5
"""One shackle of anchor cable: 15 fathoms."""
DEFAULT_LENGTH_M = 150.0
"""A ship that has not sent its dimensions is taken to be this long."""
NO_DWELL_TYPES = frozenset({31, 32, 33, 34, 35, 36, 37, *range(50, 60)})
"""Towing, dredging, diving, military, sailing, pleasure and harbour craft (pilot,
SAR, tug, tender, …) idle anywhere in a harbour: only their status puts them at anchor."""


def scope_m(depth_m: float) -> float:
    """Anchor cable paid out in ``depth_m`` of water: the seaman's rule of thumb of
    1.5 × √depth shackles (a 20 m anchorage: about 6.7 shackles, 185 m)."""
    return 1.5 * math.sqrt(max(depth_m, 1.0)) * SHACKLE_M


def swing_radius_m(length_m: float | None, depth_m: float) -> float:
    """Radius of the circle a ship swings in about its anchor: its length plus the scope."""
    length = length_m if length_m and length_m > 0 else DEFAULT_LENGTH_M
    return length + scope_m(depth_m)


@dataclass(slots=True)
class Anchoring:
    """One stay at anchor of one ship."""

    mmsi: int
    since_s: float
    """When the ship stopped there: its wait counts from here."""
    noticed_s: float
    """When PortWatch decided it was at anchor (the ``anchored`` event's time)."""
    lat: float
    lon: float
    x: float
    y: float
    """The anchoring position: the centre of the swing circle (local metres)."""
    radius_m: float
    zone: str | None
    """The anchorage it lies in; None outside every anchorage."""
    by_status: bool
    """It reported status 1 (at anchor) rather than being inferred from a dwell."""
    demand: AnchorDemand
    outside_reports: int = 0
    moving_reports: int = 0
    last_fix_s: float = float("-inf")
    drift_m: float = 0.0
    dragging: bool = False
    still_since_s: float | None = None
    """While dragging: stopped again since then (re-anchors after a while)."""
    long_wait: bool = False

    def wait_s(self, now_s: float) -> float:
        return max(0.0, now_s - self.since_s)


@dataclass(frozen=True, slots=True)
class FixVerdict:
    """What one new fix of an anchored ship means."""

    weighed: bool = False
    drag: bool = False
    reanchored: bool = False


def judge_fix(
    anchoring: Anchoring,
    x: float,
    y: float,
    sog_kn: float,
    status: int,
    time_s: float,
    settings: WatchSettings,
) -> FixVerdict:
    """Update ``anchoring`` with a new fix at (``x``, ``y``); ``sog_kn`` NaN when not
    available, ``status`` -1 when not given."""
    if time_s <= anchoring.last_fix_s:
        return FixVerdict()
    anchoring.last_fix_s = time_s
    fast = not math.isnan(sog_kn) and sog_kn >= settings.weigh_kn
    if fast:
        return FixVerdict(weighed=True)
    moving = (
        status not in (-1, AT_ANCHOR)
        and not math.isnan(sog_kn)
        and sog_kn >= settings.weigh_status_kn
    )
    anchoring.moving_reports = anchoring.moving_reports + 1 if moving else 0
    if anchoring.moving_reports >= 2 and not anchoring.dragging:
        return FixVerdict(weighed=True)  # under way at a crawl with its status changed
    distance_m = math.hypot(x - anchoring.x, y - anchoring.y)
    outside = distance_m > anchoring.radius_m + settings.position_margin_m
    if not outside:
        anchoring.outside_reports = 0
        if not anchoring.dragging:
            return FixVerdict()
    else:
        anchoring.outside_reports += 1
    if anchoring.dragging:
        anchoring.drift_m = max(anchoring.drift_m, distance_m)
        still = math.isnan(sog_kn) or sog_kn < settings.dwell_max_kn
        if not still:
            anchoring.still_since_s = None
        elif anchoring.still_since_s is None:
            anchoring.still_since_s = time_s
        elif time_s - anchoring.still_since_s >= settings.reanchor_s:
            return FixVerdict(reanchored=True)
        return FixVerdict(drag=True)
    slow = math.isnan(sog_kn) or sog_kn < settings.drag_max_kn
    if anchoring.outside_reports >= settings.drag_reports and slow:
        anchoring.dragging = True
        anchoring.drift_m = distance_m
        return FixVerdict(drag=True)
    return FixVerdict()
