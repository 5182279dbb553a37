"""Tunable settings of the core, with the defaults an operator starts from.

Everything here is data-clock time (seconds of the data), never wall time.
"""

from __future__ import annotations

from dataclasses import dataclass

from portwatch.reporting import STATIC_INTERVAL_S


@dataclass(frozen=True, slots=True)
class FleetSettings:
    """How the fleet judges fixes and ages targets."""

    max_speed_kn: float = 60.0
    """A fix implying a faster run from the last accepted one is rejected (SAR aircraft
    excepted)."""
    position_noise_m: float = 100.0
    """Distance any two fixes may differ by regardless of time (GNSS noise, antenna
    offsets between two receivers' copies)."""
    jump_confirmations: int = 3
    """Rejected fixes in a row that agree with one another and so move the vessel there:
    the earlier fix was the wrong one, or the vessel was really elsewhere."""
    duplicate_window_s: float = 10.0
    """The same report (position, speed, course, heading, UTC second) heard again within
    this time is a copy from another receiver, not a new fix."""
    lost_intervals: float = 6.0
    """A target is lost after this many of its nominal reporting intervals (IEC 62388:
    class A under way 10 s gives 60 s, at anchor 3 min gives 18 min)..."""
    reception_scale: float = 2.0
    """...scaled by this for a shore receiver, which misses more reports than a ship's
    own transponder does (1.0 = the IEC figures exactly)."""
    remove_after_s: float = 3600.0
    """A target silent this long leaves the live picture (it stays in history)."""
    trail_s: float = 1800.0
    """How far back a trail reaches in the live picture."""
    trail_step_m: float = 30.0
    """A trail point is added when the vessel has moved this far from the last one..."""
    trail_min_interval_s: float = 5.0
    """...but at most one point per this many seconds..."""
    trail_max_interval_s: float = 300.0
    """...and at least one point per this many seconds, moving or not."""
    moored_max_sog_kn: float = 1.0
    """A vessel reporting status "moored" at or under this speed is on a port call."""

    @property
    def picture_memory_s(self) -> float:
        """How far back a report can still shape the live picture. A target stays in
        it until it is both past ``remove_after_s`` and lost, which the slowest
        reporter (one every ``STATIC_INTERVAL_S``, the longest nominal interval) is
        after ``lost_intervals`` of them; and its trail reaches ``trail_s`` back from
        its last report. A replay that seeks rebuilds its picture from this far before."""
        slowest_lost_s = STATIC_INTERVAL_S * self.lost_intervals * self.reception_scale
        return max(self.remove_after_s, slowest_lost_s) + self.trail_s


@dataclass(frozen=True, slots=True)
class RetentionSettings:
    """How long the history keeps positions."""

    keep_days: float | None = None
    """Delete positions older than this (None keeps them for ever)."""
    thin_after_days: float | None = None
    """Thin positions older than this..."""
    thin_to_minutes: float = 5.0
    """...to one fix per this many minutes per vessel."""
