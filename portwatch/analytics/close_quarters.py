"""Close quarters: pairs of vessels that will pass closer than the limit soon.

The pairs come from the grid of ``encounters``; the operator's rules then drop
what a harbour expects (a pilot boat or tug working alongside, two ships both at
anchor or one moored, one ship sending from two transponders). A busy picture
has many encounters open at once, and most carry on unchanged from one pass to
the next, so the bookkeeping is done on arrays: only a pair that is new, has got
materially worse or has ended goes through the alert book in Python.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from portwatch.analytics.alerts import AlertBook
from portwatch.analytics.anchoring import MOORED
from portwatch.analytics.encounters import candidate_pairs, cpa_tcpa
from portwatch.analytics.picture import CLASS_A, OTHER, VesselColumns, of_types, ship_type_table
from portwatch.analytics.settings import WatchSettings
from portwatch.events import Event

ALONGSIDE_TYPES = ship_type_table([31, 32, 50, 52])
"""Towing vessels, pilot boats and tugs: their work is to come alongside ships."""
MMSI_BITS = 30
"""An MMSI has nine digits: it fits in 30 bits, so a pair fits in one int64."""


def pair_code(a: int, b: int) -> int:
    return (min(a, b) << MMSI_BITS) | max(a, b)


def pair_key(code: int) -> tuple[str, int, int]:
    return ("cpa", code >> MMSI_BITS, code & ((1 << MMSI_BITS) - 1))


class CloseQuarters:
    """Finds the encounters of each pass and keeps their alerts in step."""

    def __init__(self, settings: WatchSettings, alerts: AlertBook) -> None:
        self.settings = settings
        self.alerts = alerts
        self._open_codes = np.empty(0, dtype=np.int64)
        self._open_figures = np.empty(0)
        self._stale = True
        """The arrays mirror the book's open CPA alerts; rebuilt after a change."""
        self._ending: set[int] = set()
        """Open encounters not seen at the last pass (they clear if it lasts)."""

    def run(
        self,
        columns: VesselColumns,
        in_approach: np.ndarray,
        limit_m: np.ndarray,
        berth: np.ndarray,
        now_s: float,
        make_event: Callable[..., Event],
        events: list[Event],
    ) -> None:
        """One pass. ``in_approach``, ``limit_m`` (the CPA limit where each vessel is)
        and ``berth`` (inside a berth zone) are per row of ``columns``."""
        settings = self.settings
        age = now_s - columns.fix_time_s
        moving = columns.sog_kn >= settings.cpa_moving_kn
        rows = np.flatnonzero(
            columns.alive
            & columns.has_fix
            & ~columns.lost
            & (columns.kind != OTHER)
            & in_approach
            & ~(moving & (age > settings.max_fix_age_s))
        )
        codes, cpa, tcpa, pair_limit, first, second = self._encounters(
            columns,
            rows,
            np.clip(age[rows], 0.0, settings.max_fix_age_s),
            limit_m[rows],
            berth[rows],
        )
        if self._stale:
            self._rebuild()
        open_codes = self._open_codes
        place = np.searchsorted(open_codes, codes)
        if len(open_codes):
            place_ok = np.minimum(place, len(open_codes) - 1)
            is_open = (place < len(open_codes)) & (open_codes[place_ok] == codes)
            figure_then = self._open_figures[place_ok]
        else:
            is_open, figure_then = np.zeros(len(codes), bool), np.full(len(codes), np.inf)
        under = cpa < pair_limit
        worse = is_open & (cpa * self.alerts.worse_factor <= figure_then)
        seen = np.zeros(len(open_codes), dtype=bool)
        seen[place[is_open]] = True
        mmsi, names = columns.mmsi, columns.names
        added: list[tuple[int, float]] = []
        for index in np.flatnonzero((~is_open & under) | worse).tolist():
            row_a, row_b = int(rows[first[index]]), int(rows[second[index]])
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
                    tcpa_s=round(float(tcpa[k]), 1),
                    limit_m=round(float(pair_limit[k]), 1),
                )

            raised = self.alerts.observe(pair_key(code), now_s, float(cpa[index]), event)
            if raised is None:
                continue
            events.append(raised)
            if is_open[index]:
                self._open_figures[place[index]] = cpa[index]  # raised again: the new figure
            else:
                added.append((code, float(cpa[index])))
        if self._ending:
            back = codes[is_open & ~worse]
            for code in back[np.isin(back, list(self._ending))].tolist():
                alert = self.alerts.open.get(pair_key(code))
                if alert is not None:
                    alert.ending_since_s = None  # back within the limit before it cleared
                self._ending.discard(code)
        gone = []
        for code in open_codes[~seen].tolist():
            cleared = self.alerts.absent(pair_key(code), now_s)
            if cleared is not None:
                events.append(cleared)
                gone.append(code)
                self._ending.discard(code)
            else:
                self._ending.add(code)
        self._update_open(added, gone)

    def _update_open(self, added: list[tuple[int, float]], gone: list[int]) -> None:
        """Keep the arrays of open encounters in step with the book's changes."""
        codes, figures = self._open_codes, self._open_figures
        if gone:
            keep = ~np.isin(codes, np.array(gone, dtype=np.int64))
            codes, figures = codes[keep], figures[keep]
        if added:
            codes = np.concatenate([codes, np.array([c for c, _ in added], dtype=np.int64)])
            figures = np.concatenate([figures, np.array([f for _, f in added])])
            order = np.argsort(codes, kind="stable")
            codes, figures = codes[order], figures[order]
        self._open_codes, self._open_figures = codes, figures

    def _rebuild(self) -> None:
        self._ending = {c for c in self._ending if pair_key(c) in self.alerts.open}
        open_alerts = [self.alerts.open[key] for key in self.alerts.keys_of_kind("cpa")]
        codes = np.array([pair_code(a.key[1], a.key[2]) for a in open_alerts], dtype=np.int64)
        figures = np.array([a.figure for a in open_alerts], dtype=float)
        order = np.argsort(codes)
        self._open_codes, self._open_figures = codes[order], figures[order]
        self._stale = False

    def forget(self) -> None:
        """The book changed outside this class (a vessel left): rebuild next pass."""
        self._stale = True

    def _encounters(
        self,
        columns: VesselColumns,
        rows: np.ndarray,
        age_s: np.ndarray,
        limit: np.ndarray,
        berth: np.ndarray,
    ) -> tuple[np.ndarray, ...]:
        """The pairs among ``rows`` that the rules keep: their codes, CPA, TCPA, limit,
        and the positions of both vessels in ``rows``."""
        settings = self.settings
        empty = (
            np.empty(0, np.int64),
            np.empty(0),
            np.empty(0),
            np.empty(0),
            np.empty(0, np.intp),
            np.empty(0, np.intp),
        )
        if rows.size < 2:
            return empty
        vx, vy = columns.velocity_mps(rows)
        x = columns.x[rows] + vx * age_s
        y = columns.y[rows] + vy * age_s
        sog = np.nan_to_num(columns.sog_kn[rows])
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
            return empty
        moored = (columns.status[rows] == MOORED) | (berth & ~moving)
        stationary = columns.anchored[rows] | moored
        alongside = of_types(ALONGSIDE_TYPES, columns.ship_type[rows])
        class_a = columns.kind[rows] == CLASS_A
        dx, dy = x[second] - x[first], y[second] - y[first]
        distance = np.hypot(dx, dy)
        cpa, tcpa = cpa_tcpa(dx, dy, vx[second] - vx[first], vy[second] - vy[first])
        pair_limit = np.minimum(limit[first], limit[second])
        cog = np.radians(np.nan_to_num(columns.cog_deg[rows]))
        copy = (
            (distance < settings.same_vessel_m)
            & (np.abs(sog[first] - sog[second]) < 1.0)
            & (np.cos(cog[first] - cog[second]) > math.cos(math.radians(10.0)))
        )
        keep = (
            (moving[first] | moving[second])
            & (class_a[first] | class_a[second])
            & ~(stationary[first] & stationary[second])
            & ~moored[first]
            & ~moored[second]
            & ~(
                (alongside[first] | alongside[second])
                & ((distance < settings.working_together_m) | (cpa < settings.alongside_m))
            )
            & ~copy
            & (tcpa >= 0.0)
            & (tcpa <= settings.cpa_lookahead_s)
            & (cpa < pair_limit * settings.cpa_clear_factor)
        )
        first, second = first[keep], second[keep]
        mmsi = columns.mmsi[rows]
        codes = (np.minimum(mmsi[first], mmsi[second]) << MMSI_BITS) | np.maximum(
            mmsi[first], mmsi[second]
        )
        return codes, cpa[keep], tcpa[keep], pair_limit[keep], first, second
