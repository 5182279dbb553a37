"""Close quarters: pairs of vessels that will pass closer than the limit soon.

The pairs come from the grid of ``encounters``; the operator's rules then decide
what is a close-quarters situation and what a harbour expects: a tug or pilot
boat working with a ship, ships passing one that lies still at anchor, two ships
meeting or overtaking in a narrow fairway at its ordinary passing distance, one
ship sending from two transponders. An operator who hears an alarm for each of
those stops listening, so the rules lean towards saying less, and once: an
encounter is raised when two successive looks agree (one wild course report never
raises it), held while a vessel merely goes quiet for a while, and cleared with
some patience so that a ship curving round a bend does not raise, clear and raise
the same situation again.

A busy picture has many encounters open at once, and most carry on unchanged from
one pass to the next, so the bookkeeping is done on arrays: only a pair that is
new, has got materially worse or has ended goes through the alert book in Python.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from portwatch.analytics.alerts import AlertBook
from portwatch.analytics.anchoring import MOORED
from portwatch.analytics.encounters import candidate_pairs, cpa_tcpa
from portwatch.analytics.picture import (
    CLASS_A,
    OTHER,
    VesselColumns,
    in_sorted,
    of_types,
    ship_type_table,
    zero_nan,
)
from portwatch.analytics.settings import WatchSettings
from portwatch.events import Event

ALONGSIDE_TYPES = ship_type_table([31, 32, 50, 51, 52, 53, 55])
"""Towing vessels, pilot boats, search and rescue, tugs, port tenders and law
enforcement: their work is to come alongside ships."""
MMSI_BITS = 30
"""An MMSI has nine digits: it fits in 30 bits, so a pair fits in one int64."""


def pair_code(a: int, b: int) -> int:
    return (min(a, b) << MMSI_BITS) | max(a, b)


def pair_key(code: int) -> tuple[str, int, int]:
    return ("cpa", code >> MMSI_BITS, code & ((1 << MMSI_BITS) - 1))


@dataclass(frozen=True, slots=True)
class Waters:
    """Where each vessel (row of the columns) is, as close quarters needs it."""

    in_approach: np.ndarray
    limit_m: np.ndarray
    """The CPA limit where it is (the smallest ``cpa_limit_nm`` of its zones, or the
    default)."""
    berth: np.ndarray
    """Inside a berth zone."""
    fairway_m: np.ndarray
    """Width of the narrowest fairway it is in (infinite outside every fairway)."""


@dataclass(frozen=True, slots=True)
class Encounters:
    """The candidate pairs of one pass that the rules let through, with their figures;
    ``first`` and ``second`` are positions in the pass's rows."""

    codes: np.ndarray
    cpa: np.ndarray
    tcpa: np.ndarray
    limit: np.ndarray
    threat: np.ndarray
    """Close quarters now: CPA under the limit (the others are only close enough
    that an open alert carries on: under the limit's clear factor)."""
    first: np.ndarray
    second: np.ndarray
    passed: np.ndarray
    """Codes (sorted) of the candidate pairs past their closest point (TCPA <= 0)."""


class _Codes:
    """A sorted array of pair codes with numbers for each (times, figures): what
    several passes must remember about pairs, looked up for a whole pass at once."""

    def __init__(self, width: int = 1) -> None:
        self.width = width
        self.codes = np.empty(0, dtype=np.int64)
        self.values = np.empty((0, width))

    def find(self, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each of ``codes``: whether it is here, and where (valid where it is)."""
        if not len(self.codes):
            return np.zeros(len(codes), dtype=bool), np.zeros(len(codes), dtype=np.intp)
        place = np.minimum(np.searchsorted(self.codes, codes), len(self.codes) - 1)
        return self.codes[place] == codes, place

    def value_of(self, codes: np.ndarray, missing: float) -> np.ndarray:
        """The numbers of each of ``codes`` (a row each), ``missing`` where it is not here."""
        result = np.full((len(codes), self.width), missing)
        found, place = self.find(codes)
        result[found] = self.values[place[found]]
        return result

    def replace(self, codes: np.ndarray, values: np.ndarray) -> None:
        order = np.argsort(codes, kind="stable")
        self.codes = codes[order]
        self.values = np.asarray(values, dtype=float).reshape(len(codes), self.width)[order]


class CloseQuarters:
    """Finds the encounters of each pass and keeps their alerts in step."""

    def __init__(self, settings: WatchSettings, alerts: AlertBook) -> None:
        self.settings = settings
        self.alerts = alerts
        self._open = _Codes(width=2)
        """The book's open CPA alerts: the CPA they were (last) raised with, and when
        their closest approach was last expected (data time)."""
        self._stale = True
        """``_open`` mirrors the book; rebuilt after a change made elsewhere."""
        self._ending: set[int] = set()
        """Open encounters not seen at the last pass (they clear if it lasts)."""
        self._pending = _Codes(width=2)
        """Encounters seen but not yet raised, with the fix times they were seen from
        (of the lower MMSI, the higher)."""
        self._working = _Codes()
        """Pairs of a tug or pilot boat (any ``ALONGSIDE_TYPES``) and a vessel it was
        close to, with when it last was."""

    def run(
        self,
        columns: VesselColumns,
        waters: Waters,
        now_s: float,
        make_event: Callable[..., Event],
        events: list[Event],
    ) -> None:
        """One pass at data time ``now_s``: raise, raise again and clear."""
        settings = self.settings
        age = now_s - columns.fix_time_s
        moving = columns.sog_kn >= settings.cpa_moving_kn
        slow = columns.sog_kn < settings.anchored_status_max_kn
        stale = moving & (age > np.where(slow, settings.max_slow_fix_age_s, settings.max_fix_age_s))
        watched = columns.alive & columns.has_fix & (columns.kind != OTHER) & waters.in_approach
        quiet = watched & (stale | columns.lost)
        # A vessel lying moored is in no encounter (ships pass moored ships closely in
        # a harbour): leaving it out of the grid spares a port's marinas and quays.
        lying = ~moving & ((columns.status == MOORED) | waters.berth)
        rows = np.flatnonzero(watched & ~quiet & ~lying)
        found = self._encounters(columns, rows, np.clip(age[rows], 0.0, None), waters, now_s)
        if self._stale:
            self._rebuild()
        opened = self._open
        codes, cpa = found.codes, found.cpa
        if not len(codes) and not len(opened.codes) and not len(self._pending.codes):
            return  # a quiet pass, the usual one: nothing close, nothing open or pending
        is_open, place = opened.find(codes)
        figure_then = opened.value_of(codes, np.inf)[:, 0]
        worse = is_open & self._worse(cpa, figure_then)
        seen = np.zeros(len(opened.codes), dtype=bool)
        seen[place[is_open]] = True
        opened.values[place[is_open], 1] = now_s + found.tcpa[is_open]
        due = self._confirmed(found, ~is_open, self._fix_times(columns, rows, found), now_s)
        mmsi, names = columns.mmsi, columns.names
        added: list[tuple[int, float, float]] = []
        for index in np.flatnonzero(due | worse).tolist():
            row_a, row_b = int(rows[found.first[index]]), int(rows[found.second[index]])
            if names[row_a] and names[row_a] == names[row_b]:
                continue  # one ship sending from two transponders
            if columns.sog_kn[row_b] > columns.sog_kn[row_a]:
                row_a, row_b = row_b, row_a  # the event names the faster vessel first
            code = int(codes[index])

            def event(alert_id: int, a: int = row_a, b: int = row_b, k: int = index) -> Event:
                return make_event(
                    a,
                    "cpa",
                    now_s,
                    alert_id=alert_id,
                    other_mmsi=int(mmsi[b]),
                    other_name=names[b],
                    cpa_m=round(float(cpa[k]), 1),
                    tcpa_s=round(float(found.tcpa[k]), 1),
                    limit_m=round(float(found.limit[k]), 1),
                )

            raised = self.alerts.observe(pair_key(code), now_s, float(cpa[index]), event)
            if raised is None:
                continue
            events.append(raised)
            if is_open[index]:
                opened.values[place[index], 0] = cpa[index]  # raised again: the new figure
            else:
                added.append((code, float(cpa[index]), now_s + float(found.tcpa[index])))
        if self._ending:
            back = codes[is_open & ~worse]
            for code in back[np.isin(back, list(self._ending))].tolist():
                alert = self.alerts.open.get(pair_key(code))
                if alert is not None:
                    alert.ending_since_s = None  # back within the limit before it cleared
                self._ending.discard(code)
        unseen = ~seen
        unseen[unseen] = ~self._held(
            opened.codes[unseen], opened.values[unseen, 1], columns, quiet, now_s
        )
        unseen_codes = opened.codes[unseen]
        passed = in_sorted(unseen_codes, found.passed)
        if len(unseen_codes):  # one of the two has moored since: over too
            passed |= _with_vessel(unseen_codes, np.sort(columns.mmsi[watched & lying]))
        gone = []
        for code, over in zip(unseen_codes.tolist(), passed.tolist(), strict=True):
            wait_s = settings.clear_after_s if over else settings.cpa_clear_after_s
            cleared = self.alerts.absent(pair_key(code), now_s, wait_s)
            if cleared is not None:
                events.append(cleared)
                gone.append(code)
                self._ending.discard(code)
            else:
                self._ending.add(code)
        self._update_open(added, gone)

    def _worse(self, cpa: np.ndarray, figure_then: np.ndarray) -> np.ndarray:
        """Materially worse than when last raised: the CPA halved, and by more than the
        noise of two positions (a CPA of 20 m "halving" to 10 m is no news)."""
        settings = self.settings
        return (cpa * self.alerts.worse_factor <= figure_then) & (
            figure_then - cpa >= settings.cpa_noise_m
        )

    def _confirmed(
        self, found: Encounters, new: np.ndarray, fix_s: np.ndarray, now_s: float
    ) -> np.ndarray:
        """Which new threats are raised now: those seen again from a later report of
        each vessel that moves (one report with a wild course or speed never raises
        it), or at once when TCPA is short. The others wait as pending; a pending one
        not seen again is dropped. ``fix_s`` holds each encounter's fix times (lower
        MMSI, higher; -inf for a vessel lying still, whose next report adds nothing)."""
        candidate = new & found.threat
        codes = found.codes[candidate]
        fixes = fix_s[candidate]
        then = self._pending.value_of(codes, np.inf)
        again = (fixes > then) | (fixes == -np.inf)
        ripe = again.all(axis=1) | (found.tcpa[candidate] <= self.settings.cpa_urgent_s)
        self._pending.replace(codes[~ripe], np.minimum(then, fixes)[~ripe])
        due = np.zeros(len(found.codes), dtype=bool)
        due[np.flatnonzero(candidate)[ripe]] = True
        return due

    def _fix_times(self, columns: VesselColumns, rows: np.ndarray, found: Encounters) -> np.ndarray:
        """Each encounter's fix times as ``_confirmed`` wants them."""
        a, b = rows[found.first], rows[found.second]
        fix = np.where(columns.sog_kn >= self.settings.cpa_moving_kn, columns.fix_time_s, -np.inf)
        low_first = columns.mmsi[a] < columns.mmsi[b]
        return np.column_stack(
            [np.where(low_first, fix[a], fix[b]), np.where(low_first, fix[b], fix[a])]
        )

    def _held(
        self,
        codes: np.ndarray,
        cpa_at_s: np.ndarray,
        columns: VesselColumns,
        quiet: np.ndarray,
        now_s: float,
    ) -> np.ndarray:
        """Which open encounters not seen now are held as they are: one of their vessels
        has gone quiet (a fix too old to extrapolate, or lost), so nobody knows the
        situation ended, until its closest approach was due."""
        return _with_vessel(codes, np.sort(columns.mmsi[quiet])) & (
            now_s <= cpa_at_s + self.settings.clear_after_s
        )

    def _update_open(self, added: list[tuple[int, float, float]], gone: list[int]) -> None:
        """Keep the open encounters in step with the book's changes."""
        codes, values = self._open.codes, self._open.values
        if gone:
            keep = ~np.isin(codes, np.array(gone, dtype=np.int64))
            codes, values = codes[keep], values[keep]
        if added:
            codes = np.concatenate([codes, np.array([c for c, _, _ in added], dtype=np.int64)])
            values = np.concatenate([values, np.array([v for _, *v in added])])
        if gone or added:
            self._open.replace(codes, values)

    def _rebuild(self) -> None:
        self._ending = {c for c in self._ending if pair_key(c) in self.alerts.open}
        open_alerts = [self.alerts.open[key] for key in self.alerts.keys_of_kind("cpa")]
        codes = np.array([pair_code(a.key[1], a.key[2]) for a in open_alerts], dtype=np.int64)
        cpa_at = [
            a.event.time_s + float((a.event.details or {}).get("tcpa_s") or 0.0)
            for a in open_alerts
        ]
        figures = [np.inf if a.figure is None else a.figure for a in open_alerts]
        self._open.replace(codes, np.column_stack([figures, cpa_at]).reshape(-1, 2))
        self._stale = False

    def forget(self) -> None:
        """The book changed outside this class (a vessel left): rebuild next pass."""
        self._stale = True

    def _encounters(
        self,
        columns: VesselColumns,
        rows: np.ndarray,
        age_s: np.ndarray,
        waters: Waters,
        now_s: float,
    ) -> Encounters:
        """The pairs among ``rows`` that the rules keep, with their figures."""
        settings = self.settings
        if rows.size < 2:
            return _no_encounters()
        limit = waters.limit_m[rows]
        vx, vy = columns.velocity_mps(rows)
        x = columns.x[rows] + vx * age_s
        y = columns.y[rows] + vy * age_s
        sog = zero_nan(columns.sog_kn[rows])
        moving = sog >= settings.cpa_moving_kn
        first, second = candidate_pairs(
            x,
            y,
            vx,
            vy,
            settings.cpa_lookahead_s,
            limit * settings.cpa_clear_factor / 2,
            moving,
            wanted=columns.kind[rows] == CLASS_A,
        )
        if not first.size:
            return _no_encounters()
        anchored = columns.anchored[rows]
        moored = (columns.status[rows] == MOORED) | (waters.berth[rows] & ~moving)
        still = anchored | moored | ~moving
        alongside = of_types(ALONGSIDE_TYPES, columns.ship_type[rows])
        class_a = columns.kind[rows] == CLASS_A
        dx, dy = x[second] - x[first], y[second] - y[first]
        distance = np.hypot(dx, dy)
        cpa, tcpa = cpa_tcpa(dx, dy, vx[second] - vx[first], vy[second] - vy[first])
        pair_limit = np.minimum(limit[first], limit[second])
        lookahead = np.full(len(first), settings.cpa_lookahead_s)
        # Passing a vessel that lies still: only its own water is close.
        one_still = still[first] != still[second]
        length = zero_nan(columns.length_m[rows])
        still_length = np.where(still[first], length[first], length[second])
        pair_limit = np.where(
            one_still,
            np.minimum(pair_limit, np.maximum(settings.still_limit_m, still_length)),
            pair_limit,
        )
        # Meeting or overtaking along a fairway (one of them in it, the other in it or
        # about to be): its width sets the passing distance.
        cog = np.radians(zero_nan(columns.cog_deg[rows]))
        cos_between = np.cos(cog[first] - cog[second])
        both_moving = moving[first] & moving[second]
        along = both_moving & (
            np.abs(cos_between) > math.cos(math.radians(settings.along_fairway_deg))
        )
        fairway = waters.fairway_m[rows]
        passing = np.minimum(fairway[first], fairway[second]) * settings.fairway_passing_share
        pair_limit = np.where(along, np.minimum(pair_limit, passing), pair_limit)
        # Where one vessel alone keeps clear (of one lying still; an overtaking one), it
        # is told later.
        overtaking = along & (cos_between > 0.0)
        lookahead[one_still | overtaking] = settings.keep_clear_lookahead_s
        mmsi = columns.mmsi[rows]
        codes = (np.minimum(mmsi[first], mmsi[second]) << MMSI_BITS) | np.maximum(
            mmsi[first], mmsi[second]
        )
        working = self._working_together(
            codes, alongside[first] | alongside[second], distance, cpa, now_s
        )
        # Two MMSIs as one: a copy (two transponders, a ship's own AIS and a relay), or
        # two tugs running together. Only the lower MMSI's encounters count, once.
        company = (
            both_moving
            & (distance < settings.same_vessel_m)
            & (np.abs(sog[first] - sog[second]) < 1.0)
            & (cos_between > math.cos(math.radians(10.0)))
        )
        shadow = np.zeros(len(rows), dtype=bool)
        shadow[np.where(mmsi[first] > mmsi[second], first, second)[company]] = True
        active = (
            (moving[first] | moving[second])
            & (class_a[first] | class_a[second])
            & ~(still[first] & still[second])
            & ~moored[first]
            & ~moored[second]
            & ~working
            & ~shadow[first]
            & ~shadow[second]
            & (tcpa > 0.0)
            & (tcpa <= lookahead)
        )
        keep = np.flatnonzero(active & (cpa < pair_limit * settings.cpa_clear_factor))
        return Encounters(
            codes=codes[keep],
            cpa=cpa[keep],
            tcpa=tcpa[keep],
            limit=pair_limit[keep],
            threat=cpa[keep] < pair_limit[keep],
            first=first[keep],
            second=second[keep],
            passed=np.sort(codes[tcpa <= 0.0]),
        )

    def _working_together(
        self,
        codes: np.ndarray,
        alongside: np.ndarray,
        distance: np.ndarray,
        cpa: np.ndarray,
        now_s: float,
    ) -> np.ndarray:
        """Pairs of a tug or pilot boat and a vessel it works with: it means to come
        alongside (CPA under ``alongside_m``), is already close (``working_together_m``),
        or was close within the last ``working_memory_s`` (escorting tugs drop back and
        close in again; a pilot boat stands off while the pilot climbs)."""
        settings = self.settings
        memory = self._working
        if not len(memory.codes) and not alongside.any():
            return alongside
        close = alongside & (distance < settings.working_together_m)
        last = memory.value_of(codes, -np.inf)[:, 0]
        recent = now_s - last <= settings.working_memory_s
        if close.any() or len(memory.codes):
            alive = now_s - memory.values[:, 0] <= settings.working_memory_s
            kept, kept_values = memory.codes[alive], memory.values[alive, 0]
            fresh = codes[close]
            stays = ~np.isin(kept, fresh)
            memory.replace(
                np.concatenate([kept[stays], fresh]),
                np.concatenate([kept_values[stays], np.full(len(fresh), now_s)]),
            )
        return alongside & (close | (cpa < settings.alongside_m) | recent)


def _with_vessel(codes: np.ndarray, mmsis: np.ndarray) -> np.ndarray:
    """Which pair ``codes`` have one of the (sorted) ``mmsis`` in them."""
    low, high = codes >> MMSI_BITS, codes & ((1 << MMSI_BITS) - 1)
    return in_sorted(low, mmsis) | in_sorted(high, mmsis)


def _no_encounters() -> Encounters:
    none = np.empty(0, np.intp)
    return Encounters(
        codes=np.empty(0, np.int64),
        cpa=np.empty(0),
        tcpa=np.empty(0),
        limit=np.empty(0),
        threat=np.empty(0, bool),
        first=none,
        second=none,
        passed=np.empty(0, np.int64),
    )
