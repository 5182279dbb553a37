"""How fast ships actually move along each of the port's routes, learned from arrivals.

A ship inbound to a pilot boarding place keeps its sea speed for most of the way,
then slows to take the pilot; a bending channel slows it again. Every arrival
teaches the profile of its route: the mean pace (seconds per metre, so that
times add up right) in bins of distance still to go, for ships of its type group
and size. A prediction takes the profile's shape and the ship's own speed where
the profile is at sea speed, and the profile itself where everyone slows.

Before a route has learnt anything, the stated default is the ship's own speed,
slowing linearly over the last 2 NM to 8 kn at a pilot boarding place (4 kn
over the last 1 NM to a berth).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from portwatch.analytics.picture import zero_nan

BIN_M = 500.0
"""Width of a profile bin, in distance still to go."""
MAX_BINS = 200
"""Profiles reach 100 km out; beyond that a ship keeps its own speed."""
MIN_ARRIVALS = 3
"""A profile (or one of its bins) is used once this many arrivals taught it."""
MEMORY_ARRIVALS = 200.0
"""Past this many arrivals a bin forgets old ones gradually (traffic changes)."""
DEFAULT_SLOW = {"pilot_boarding": (8.0, 2 * 1852.0), "berth": (4.0, 1852.0)}
"""(speed at the target in kn, distance over which ships slow to it in m) by target kind."""
MIN_SPEED_KN = 0.5
REGIME_CHOICES = (0.0, 1.0, 3.0, 10.0, 30.0, 100.0)
"""How sharply a ship's own speed (against the profile's where it is) stops applying
where the profile's speed differs from here: 0 keeps it everywhere, 100 keeps it only
where ships go as fast as here. Each route learns which has predicted best."""
DEFAULT_REGIME = 10.0
TUNE_EVERY_S = 300.0
"""At an arrival, its approach is looked at this often to tune the regime."""


GROUPS = ("other", "cargo", "tanker", "passenger")
SIZES = ("small", "medium", "large")
SIZE_LIMITS_M = (150.0, 250.0)
CLASS_NAMES = tuple(f"{group}-{size}" for group in GROUPS for size in SIZES)
"""Type group and size: the grain at which approach speeds are learnt."""
_GROUP_OF_TENS = np.array([0, 0, 0, 0, 0, 0, 3, 1, 2, 0], dtype=np.intp)


def vessel_class(ship_type: int | None, length_m: float | None) -> str:
    """The class name of one ship (see ``class_codes``)."""
    code = class_codes(
        np.array([ship_type or 0]), np.array([np.nan if length_m is None else length_m])
    )
    return CLASS_NAMES[int(code[0])]


def class_codes(ship_type: np.ndarray, length_m: np.ndarray) -> np.ndarray:
    """Index into ``CLASS_NAMES`` for each ship: its type group (from the tens of its
    AIS type: 6 passenger, 7 cargo, 8 tanker) and size band (a length not given is small)."""
    tens = np.clip(np.asarray(ship_type, dtype=np.intp) // 10, 0, 9)
    size = np.searchsorted(SIZE_LIMITS_M, zero_nan(np.asarray(length_m, float)), side="right")
    return _GROUP_OF_TENS[tens] * len(SIZES) + size


@dataclass(slots=True)
class Profile:
    """Learnt pace by bin of one route (and class)."""

    pace_sum: np.ndarray = field(default_factory=lambda: np.zeros(MAX_BINS))
    weight: np.ndarray = field(default_factory=lambda: np.zeros(MAX_BINS))
    arrivals: int = 0

    def speeds_kn(self) -> np.ndarray:
        """Mean speed per bin (NaN where fewer than ``MIN_ARRIVALS`` taught it)."""
        known = self.weight >= MIN_ARRIVALS
        speeds = np.full(MAX_BINS, np.nan)
        speeds[known] = self.weight[known] / self.pace_sum[known] / (1852.0 / 3600.0)
        return speeds


class SpeedProfiles:
    """Profiles by (route, class), with a route's all-classes profile behind them, and
    per route how sharply a ship's own speed gives way to the profile's."""

    def __init__(self) -> None:
        self.profiles: dict[tuple[str, str], Profile] = {}
        self.regime_errors: dict[str, list[float]] = {}
        """Per route: the summed absolute errors (decayed) of each regime choice."""

    def regime(self, route: str) -> float:
        """The regime sharpness that has predicted this route's arrivals best so far."""
        errors = self.regime_errors.get(route)
        if errors is None:
            return DEFAULT_REGIME
        return REGIME_CHOICES[int(np.argmin(errors))]

    def tune(
        self,
        route: str,
        klass: str,
        target_kind: str,
        times_s: np.ndarray,
        remaining_m: np.ndarray,
        own_kn: np.ndarray,
        arrival_s: float,
    ) -> None:
        """Score each regime choice on an approach that has ended: predict from points
        of it (every ``TUNE_EVERY_S``) with the profile as it stands, against the time
        the ship really took. Call before ``learn`` teaches the profile it."""
        profile = self.speeds_kn(route, klass)
        if profile is None or len(times_s) < 2:
            return
        keep = np.flatnonzero(np.diff(np.floor(times_s / TUNE_EVERY_S), prepend=-1) > 0)
        actual = arrival_s - times_s[keep]
        errors = self.regime_errors.setdefault(route, [0.0] * len(REGIME_CHOICES))
        for index, sharpness in enumerate(REGIME_CHOICES):
            predicted = times_to_go_s(
                remaining_m[keep], own_kn[keep], profile, target_kind, sharpness
            )
            errors[index] = errors[index] * 0.98 + float(np.mean(np.abs(predicted - actual)))

    def learn(self, route: str, klass: str, remaining_m: np.ndarray, sog_kn: np.ndarray) -> None:
        """One arrival's approach along ``route``: its (distance to go, speed) samples."""
        ok = (sog_kn >= MIN_SPEED_KN) & (remaining_m >= 0)
        if not ok.any():
            return
        bins = np.minimum((remaining_m[ok] / BIN_M).astype(int), MAX_BINS - 1)
        pace = 1.0 / (sog_kn[ok] * (1852.0 / 3600.0))
        counts = np.bincount(bins, minlength=MAX_BINS)
        means = np.bincount(bins, weights=pace, minlength=MAX_BINS) / np.maximum(counts, 1)
        seen = counts > 0
        for key in ((route, klass), (route, "*")):
            profile = self.profiles.setdefault(key, Profile())
            profile.arrivals += 1
            over = profile.weight > MEMORY_ARRIVALS
            profile.pace_sum[over] *= MEMORY_ARRIVALS / profile.weight[over]
            profile.weight[over] = MEMORY_ARRIVALS
            profile.pace_sum[seen] += means[seen]
            profile.weight[seen] += 1.0

    def speeds_kn(self, route: str, klass: str) -> np.ndarray | None:
        """The learnt speed per bin for a ship of ``klass`` on ``route``: its class's
        bins where known, the route's all-classes bins elsewhere; None when neither
        has learnt anything yet."""
        own = self.profiles.get((route, klass))
        every = self.profiles.get((route, "*"))
        if every is None or every.arrivals < MIN_ARRIVALS:
            return None
        speeds = every.speeds_kn()
        if own is not None and own.arrivals >= MIN_ARRIVALS:
            mine = own.speeds_kn()
            speeds = np.where(np.isnan(mine), speeds, mine)
        return speeds

    def state(self) -> dict[str, object]:
        """What was learnt, as plain data (kept in history across restarts)."""
        return {
            "regime_errors": dict(self.regime_errors),
            **self._profile_state(),
        }

    def _profile_state(self) -> dict[str, object]:
        return {
            f"{route}\t{klass}": {
                "pace_sum": p.pace_sum.tolist(),
                "weight": p.weight.tolist(),
                "arrivals": p.arrivals,
            }
            for (route, klass), p in self.profiles.items()
        }

    def restore(self, state: dict[str, object]) -> None:
        for route, errors in dict(state.get("regime_errors") or {}).items():
            self.regime_errors[route] = list(errors)
        for key, value in state.items():
            if key == "regime_errors":
                continue
            route, _, klass = key.partition("\t")
            assert isinstance(value, dict)
            self.profiles[(route, klass)] = Profile(
                np.array(value["pace_sum"], dtype=float),
                np.array(value["weight"], dtype=float),
                int(value["arrivals"]),
            )


def times_to_go_s(
    remaining_m: np.ndarray,
    own_kn: np.ndarray,
    profile_kn: np.ndarray | None,
    target_kind: str,
    regime: float = DEFAULT_REGIME,
) -> np.ndarray:
    """Seconds to cover ``remaining_m`` for ships now making ``own_kn`` (arrays, one
    entry per ship, all on the same profile).

    With a profile: each bin's speed is the profile's there, times the ship's own
    speed against the profile where it is now, raised to a weight that is 1 where
    ships go as fast as here and fades where they go otherwise, as
    exp(-``regime`` * |ln(profile there / profile here)|): a ship faster than usual
    here stays faster while the way on is like here, and does what ships do where it
    changes (slow for a speed zone, brake for the pilot). How sharply is learnt per
    route (``SpeedProfiles.regime``)."""
    n = len(remaining_m)
    if not n:
        return np.empty(0)
    own = np.maximum(own_kn, MIN_SPEED_KN)
    count = np.minimum(np.ceil(remaining_m / BIN_M).astype(int), MAX_BINS)
    width = max(int(count.max()), 1)
    column = np.arange(width)
    lengths = np.where(column[None, :] < count[:, None] - 1, BIN_M, 0.0)
    last = np.maximum(count - 1, 0)
    beyond_m = np.maximum(0.0, remaining_m - BIN_M * MAX_BINS)
    lengths[np.arange(n), last] = np.where(count > 0, remaining_m - BIN_M * last - beyond_m, 0.0)
    if profile_kn is None:
        slow_kn, over_m = DEFAULT_SLOW.get(target_kind, DEFAULT_SLOW["pilot_boarding"])
        slow = np.minimum(slow_kn, own)
        share = np.clip((column + 0.5) * BIN_M / over_m, 0.0, 1.0)
        speeds = slow[:, None] + (own - slow)[:, None] * share[None, :]
    else:
        profile = _filled(profile_kn)
        here = np.maximum(profile[last], MIN_SPEED_KN)
        ratio = own / here
        there = np.maximum(profile[:width], MIN_SPEED_KN)
        weight = np.exp(-regime * np.abs(np.log(there[None, :] / here[:, None])))
        speeds = profile[None, :width] * ratio[:, None] ** weight
    mps = np.maximum(speeds, MIN_SPEED_KN) * (1852.0 / 3600.0)
    return np.sum(lengths / mps, axis=1) + beyond_m / (own * (1852.0 / 3600.0))


def _filled(speeds: np.ndarray) -> np.ndarray:
    """Unknown bins take the nearest known bin's speed (nearer the target first)."""
    known = np.flatnonzero(~np.isnan(speeds))
    if not known.size:
        return speeds
    index = np.arange(len(speeds))
    nearest = known[np.clip(np.searchsorted(known, index), 0, len(known) - 1)]
    before = known[np.clip(np.searchsorted(known, index) - 1, 0, len(known) - 1)]
    pick = np.where(np.abs(before - index) < np.abs(nearest - index), before, nearest)
    return speeds[pick]
