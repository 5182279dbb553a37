"""The operator's watch: one pass over the picture every few seconds of data time.

Each pass takes the vessels whose fix changed, places them in the port's zones,
follows who comes to anchor, drags or weighs, counts each anchorage against its
capacity, looks ahead for close quarters, and watches speed limits and
restricted areas; what an operator must hear goes through the alert book. It
runs in the engine's thread on the data clock, so live, replay and ``analyze``
give the same events from the same lines.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Hashable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from portwatch.analytics.alerts import Alert, AlertBook
from portwatch.analytics.anchorages import AnchorageMonitor
from portwatch.analytics.anchoring import (
    AT_ANCHOR,
    MOORED,
    NO_DWELL_TYPES,
    Anchoring,
    judge_fix,
    swing_radius_m,
)
from portwatch.analytics.arrivals import SOG_MEMORY, ArrivalWatch, build_board, station_of
from portwatch.analytics.berths import ALONGSIDE_MAX_KN, BerthMonitor
from portwatch.analytics.close_quarters import CloseQuarters, Waters
from portwatch.analytics.emissions import anchor_demand, waiting_cost
from portwatch.analytics.eta_scores import Score
from portwatch.analytics.forecast import AnchorageForecast, ForecastScores, forecast
from portwatch.analytics.jit import advise
from portwatch.analytics.output import WatchRows, alert_row
from portwatch.analytics.picture import (
    CLASS_A,
    OTHER,
    VesselColumns,
    WatchBox,
    of_types,
    ship_type_table,
)
from portwatch.analytics.pilot_board import PilotBoard
from portwatch.analytics.settings import METRES_PER_NM, WatchSettings
from portwatch.analytics.view import VIEW_ALERTS, WatchView, alert_kinds
from portwatch.analytics.zones import ZoneIndex
from portwatch.decoders.jsonl import iso_utc
from portwatch.events import Event
from portwatch.port.port_file import Port
from portwatch.times import parse_time
from portwatch.vessel import VesselState

if TYPE_CHECKING:
    from portwatch.history.watch_history import WatchHistory

EXEMPT_TYPES = ship_type_table([35, 51, 55])
"""Military, search and rescue and law enforcement craft: neither speeding nor
restricted entry is theirs to be warned about."""
_NO_DWELL = ship_type_table(NO_DWELL_TYPES)
OCCUPANCY_EVERY_S = 300.0
"""Each anchorage's state is kept in history this often (data time)."""
LEARNT_EVERY_S = 3600.0
"""What the arrival times learnt is kept in history this often."""


def watch_box(port: Port, margin_m: float) -> WatchBox | None:
    """Where the watch follows vessels: ``margin_m`` around the port's features (and a
    pilot boarding place's arrival radius); None (everywhere) for an infinite margin
    or a port without an approach zone, whose watch is everywhere."""
    if not port.of_kind("approach") or math.isinf(margin_m):
        return None
    radii = [float(f.properties.get("radius_m") or 0.0) for f in port.of_kind("pilot_boarding")]
    margin_m += max(radii, default=0.0)
    return WatchBox.around((feature.geometry for feature in port.features), margin_m)


class PortAnalytics:
    """Zones, anchorages, drags, close quarters, speeding and restricted areas of one
    port; ``run`` a pass whenever ``due``, read the result from ``view``."""

    def __init__(self, port: Port, settings: WatchSettings | None = None) -> None:
        self.port = port
        self.settings = settings = settings or WatchSettings()
        self.zones = zones = ZoneIndex(port)
        box = watch_box(port, settings.watch_margin_m)
        self.columns = columns = VesselColumns(port.plane, box)
        columns.register("inside", np.bool_, False, width=max(1, len(zones)))
        columns.register("slow_since_s", np.float64, np.nan)
        columns.register("over_since_s", np.float64, np.nan)
        columns.register("anchored", np.bool_, False)
        columns.register("arrival_watched", np.bool_, False)
        columns.register("sog_recent", np.float64, np.nan, width=SOG_MEMORY)
        self.anchorings: dict[int, Anchoring] = {}
        self.anchorages = {
            feature.name: AnchorageMonitor(feature, settings)
            for feature in port.of_kind("anchorage")
        }
        self.berths = {
            feature.name: BerthMonitor(feature.name, feature.properties.get("terminal"))
            for feature in port.of_kind("berth")
        }
        self.alerts = AlertBook(settings.clear_after_s, settings.worse_factor)
        self.close_quarters = CloseQuarters(settings, self.alerts)
        self.arrival_watch = ArrivalWatch(port, settings)
        self.forecast_scores = ForecastScores()
        self.anchorage_station = {
            f.name: station_of(port, f.local.centroid.x, f.local.centroid.y)
            for f in port.of_kind("anchorage")
        }
        """The pilot boarding place each anchorage's ships go on to."""
        self.next_pass_s: float | None = None
        self.last_pass_s: float | None = None
        self.passes = 0
        self.output = WatchRows()
        self._occupancy_due_s = -np.inf
        self._learnt_due_s = np.inf
        self._restored: dict[int, Event] = {}
        self._restored_until_s = -np.inf
        """Restored stays whose vessels are not heard by then are forgotten."""
        """Stays at anchor from history (the ``anchored`` events), put back at the next
        pass; that pass also stays quiet about zones (nobody entered anything)."""
        self.quiet_first_pass = False
        """The next pass says nothing of zones entered: the vessels it places were put
        back from history, and entered nothing (set by ``restore``)."""
        self._view: WatchView | None = None
        kinds = zones.columns_of_kind
        self._approach_columns = kinds["approach"]
        self._anchorage_columns = kinds["anchorage"]
        self._berth_columns = kinds["berth"]
        self._berth_names = np.array(
            [zones.zones[int(c)].name for c in self._berth_columns], dtype=object
        )
        self._fairway_columns = kinds["fairway"]
        self._cpa_limit_m = zones.property_column("cpa_limit_nm") * METRES_PER_NM
        self._fairway_width_m = zones.widths_m(self._fairway_columns)
        speed_limits = zones.property_column("speed_limit_kn")
        speed_limits[np.setdiff1d(np.arange(len(zones)), self._fairway_columns)] = np.nan
        self._speed_limit_kn = speed_limits

    # -- the pass --------------------------------------------------------------

    def due(self, now_s: float | None) -> bool:
        return now_s is not None and (self.next_pass_s is None or now_s >= self.next_pass_s)

    def run(self, vessels: Mapping[int, VesselState], now_s: float) -> list[Event]:
        """One pass at data time ``now_s`` over the live picture ``vessels``; returns
        the events it raised, in time order."""
        self.next_pass_s = now_s + self.settings.pass_every_s
        self.last_pass_s = now_s
        self.passes += 1
        self._view = None
        columns = self.columns
        changes = columns.sync(vessels)
        events: list[Event] = []
        for mmsi, row in changes.removed:
            self._gone(mmsi, row, now_s, events)
        columns.release(changes.removed)
        rows = changes.new_fix[columns.kind[changes.new_fix] != OTHER]
        self.arrival_watch.remember_sog(columns, rows)
        if rows.size and len(self.zones):
            self._place(rows, events)
        if self.quiet_first_pass:
            events = [e for e in events if e.kind not in ("zone_enter", "zone_exit")]
            self.quiet_first_pass = False
        if self._restored:
            self._put_back_anchorings(now_s)
        self._anchoring(rows, now_s, events)
        berth_rows = self._berth_rows()
        self.arrival_watch.run(
            columns,
            self.in_approach(),
            columns.anchored,
            berth_rows,
            now_s,
            events,
            self._event,
        )
        self._berths_alongside(berth_rows, now_s)
        self._anchorage_levels(now_s, events)
        self._keep_forecasts(now_s)
        self._keep_for_history(now_s)
        self._speeding(rows, now_s, events)
        self._encounters(now_s, events)
        self.alerts.tick(now_s)
        events.sort(key=lambda event: event.time_s)
        return events

    def _place(self, rows: np.ndarray, events: list[Event]) -> None:
        """Zones of the vessels that moved: enter and exit events, restricted entry."""
        columns, zones = self.columns, self.zones
        inside = zones.membership(columns.x[rows], columns.y[rows])
        before = columns.inside[rows][:, : len(zones)]
        columns.inside[rows, : len(zones)] = inside
        changed_rows, changed_zones = np.nonzero(inside != before)
        for index, column in zip(changed_rows.tolist(), changed_zones.tolist(), strict=True):
            row, zone = int(rows[index]), zones.zones[column]
            entered = bool(inside[index, column])
            time_s = float(columns.fix_time_s[row])
            events.append(
                self._event(
                    row,
                    "zone_enter" if entered else "zone_exit",
                    time_s,
                    zone=zone.name,
                    zone_kind=zone.kind,
                )
            )
            if zone.kind == "berth" and not entered and columns.sog_kn[row] >= 1.0:
                self.arrival_watch.departures[int(columns.mmsi[row])] = (zone.name, time_s)
            if zone.kind != "restricted" or EXEMPT_TYPES[columns.ship_type[row] & 0xFF]:
                continue
            key = ("restricted_entry", int(columns.mmsi[row]), zone.name)
            if entered:
                self._raise(
                    events,
                    key,
                    time_s,
                    None,
                    lambda alert_id, r=row, t=time_s, z=zone.name: self._event(
                        r, "restricted_entry", t, alert_id=alert_id, zone=z
                    ),
                )
            else:
                self._emit(events, self.alerts.clear(key, time_s))

    def in_approach(self) -> np.ndarray:
        """Per row: inside the approach zone (everywhere, when the port has none)."""
        if not self._approach_columns.size:
            return self.columns.alive.copy()
        return self.columns.inside[:, self._approach_columns].any(axis=1)

    # -- at anchor -------------------------------------------------------------

    def _anchoring(self, rows: np.ndarray, now_s: float, events: list[Event]) -> None:
        columns, settings = self.columns, self.settings
        in_approach = self.in_approach()
        if rows.size:
            sog = columns.sog_kn[rows]
            status = columns.status[rows]
            fix_time = columns.fix_time_s[rows]
            berth = columns.inside[:, self._berth_columns][rows].any(axis=1)
            slow = (
                ~columns.anchored[rows]
                & (columns.kind[rows] == CLASS_A)
                & ~of_types(_NO_DWELL, columns.ship_type[rows])
                & (status != MOORED)
                & ~berth
                & (sog < settings.dwell_max_kn)
                & in_approach[rows]
            )
            since = columns.slow_since_s[rows]
            check = slow & np.isnan(since)  # newly stopped: alongside a quay, or not?
            if check.any():
                stopped = rows[check]
                slow[check] = ~self.zones.near_land(
                    columns.x[stopped], columns.y[stopped], settings.alongside_land_m
                )
            columns.slow_since_s[rows] = np.where(
                slow, np.where(np.isnan(since), fix_time, since), np.nan
            )
            by_status = (
                (columns.kind[rows] == CLASS_A)
                & (status == AT_ANCHOR)
                & ~(sog >= settings.anchored_status_max_kn)
                & ~columns.anchored[rows]
                & in_approach[rows]
            )
            for row in rows[by_status].tolist():
                self._anchor(
                    row,
                    float(columns.fix_time_s[row]),
                    float(columns.fix_time_s[row]),
                    True,
                    events,
                )
            for row in rows[columns.anchored[rows]].tolist():
                self._judge(row, events)
        dwelt = np.flatnonzero(
            ~columns.anchored
            & ~columns.lost
            & ~np.isnan(columns.slow_since_s)
            & (now_s - columns.slow_since_s >= settings.dwell_s)
        )
        for row in dwelt.tolist():
            self._anchor(row, float(columns.slow_since_s[row]), now_s, False, events)
        for anchoring in self.anchorings.values():
            self._check_wait(anchoring, now_s, events)

    def _anchor(
        self, row: int, since_s: float, time_s: float, by_status: bool, events: list[Event]
    ) -> None:
        columns = self.columns
        mmsi = int(columns.mmsi[row])
        zone = self._anchorage_of(row)
        monitor = self.anchorages.get(zone) if zone else None
        depth = monitor.feature.properties.get("depth_m") if monitor else None
        length = None if np.isnan(columns.length_m[row]) else float(columns.length_m[row])
        ship_type = int(columns.ship_type[row]) or None
        anchoring = Anchoring(
            mmsi=mmsi,
            since_s=since_s,
            noticed_s=time_s,
            lat=float(columns.lat[row]),
            lon=float(columns.lon[row]),
            x=float(columns.x[row]),
            y=float(columns.y[row]),
            radius_m=swing_radius_m(length, depth or self.settings.default_depth_m),
            zone=zone,
            by_status=by_status,
            demand=anchor_demand(ship_type, length),
            last_fix_s=float(columns.fix_time_s[row]),
        )
        self.anchorings[mmsi] = anchoring
        self.arrival_watch.anchored(mmsi, time_s)
        columns.anchored[row] = True
        columns.slow_since_s[row] = np.nan
        events.append(
            self._event(
                row,
                "anchored",
                time_s,
                zone=zone,
                radius_m=round(anchoring.radius_m, 1),
                since=iso_utc(since_s),
            )
        )
        if monitor is not None:
            monitor.arrive(anchoring, time_s)
        else:
            self._raise(
                events,
                ("unauthorised_anchoring", mmsi),
                time_s,
                None,
                lambda alert_id: self._event(
                    row, "unauthorised_anchoring", time_s, alert_id=alert_id, zone=None
                ),
            )

    def restore(self, history: WatchHistory) -> None:
        """Carry on from history after a restart: open alerts (acknowledged or not),
        what was learnt, and the stays at anchor still going on."""
        self.alerts.restore(history.alerts(open_only=True))
        self.restore_learnt(history)
        self.restore_stays(history)
        self.quiet_first_pass = True

    def restore_learnt(self, history: WatchHistory) -> None:
        """Take what an earlier run learnt about this port's arrivals (speed profiles,
        waits at anchor): a board read from history estimates as live did."""
        learnt = history.learnt(self.port.name)
        if "speed_profiles" in learnt:
            self.arrival_watch.profiles.restore(learnt["speed_profiles"])
        if "waits" in learnt:
            self.arrival_watch.waits.restore(learnt["waits"])

    def restore_scores(self, history: WatchHistory, until_s: float) -> None:
        """Score the arrival estimates as history scored them up to ``until_s``: the
        uncertainty bands of a board read from history are those live showed."""
        scores = [Score(*row) for row in history.eta_scores() if row[2] <= until_s]
        self.arrival_watch.scoreboard.add(scores)

    def restore_stays(
        self, history: WatchHistory, at_s: float | None = None, patience_s: float = 0.0
    ) -> None:
        """The stays at anchor going on at ``at_s`` (default: the end of the history),
        each put back at the first pass after its vessel is heard, within
        ``patience_s`` of ``at_s`` (a restart has put the vessels back already, so
        it waits for none; a replay of history from ``at_s`` waits an at-anchor
        report interval or two): a wait that began before counts from its start."""
        self._restored = {event.mmsi: event for event in history.at_anchor(at_s) if event.mmsi}
        self._restored_until_s = -np.inf if at_s is None else at_s + patience_s

    def _put_back_anchorings(self, now_s: float) -> None:
        columns = self.columns
        for mmsi, event in list(self._restored.items()):
            row = columns.rows.get(mmsi)
            if row is None or not columns.has_fix[row]:
                continue
            del self._restored[mmsi]
            details = event.details or {}
            since = details.get("since")
            since_s = parse_time(since) if since else event.time_s
            zone = details.get("zone")
            x, y = self.port.plane.to_local(event.lon, event.lat)
            length = None if np.isnan(columns.length_m[row]) else float(columns.length_m[row])
            anchoring = Anchoring(
                mmsi=mmsi,
                since_s=since_s,
                noticed_s=event.time_s,
                lat=event.lat,
                lon=event.lon,
                x=float(x),
                y=float(y),
                radius_m=float(details.get("radius_m") or swing_radius_m(length, 20.0)),
                zone=zone if zone in self.anchorages else None,
                by_status=True,
                demand=anchor_demand(int(columns.ship_type[row]) or None, length),
                last_fix_s=float(columns.fix_time_s[row]),
            )
            self.anchorings[mmsi] = anchoring
            columns.anchored[row] = True
            if anchoring.zone is not None:
                self.anchorages[anchoring.zone].present[mmsi] = anchoring
        if now_s >= self._restored_until_s:
            self._restored.clear()
        for monitor in self.anchorages.values():
            monitor.update_level()  # as it stood: no congestion event for what was known

    def _anchorage_of(self, row: int) -> str | None:
        inside = self.columns.inside[row, self._anchorage_columns]
        hits = np.flatnonzero(inside)
        return self.zones.zones[int(self._anchorage_columns[hits[0]])].name if hits.size else None

    def _judge(self, row: int, events: list[Event]) -> None:
        """A new fix of an anchored ship: weighed, dragging, or anchored again."""
        columns, settings = self.columns, self.settings
        mmsi = int(columns.mmsi[row])
        anchoring = self.anchorings.get(mmsi)
        if anchoring is None:
            return
        time_s = float(columns.fix_time_s[row])
        x, y = float(columns.x[row]), float(columns.y[row])
        verdict = judge_fix(
            anchoring, x, y, float(columns.sog_kn[row]), int(columns.status[row]), time_s, settings
        )
        if verdict.weighed:
            self._weigh(row, anchoring, time_s, events)
        elif verdict.reanchored:
            anchoring.x, anchoring.y = x, y
            anchoring.lat, anchoring.lon = float(columns.lat[row]), float(columns.lon[row])
            anchoring.dragging, anchoring.drift_m = False, 0.0
            anchoring.outside_reports, anchoring.still_since_s = 0, None
            self._emit(events, self.alerts.clear(("anchor_drag", mmsi), time_s))
        elif verdict.drag:
            self._raise(
                events,
                ("anchor_drag", mmsi),
                time_s,
                anchoring.drift_m,
                lambda alert_id: self._event(
                    row,
                    "anchor_drag",
                    time_s,
                    alert_id=alert_id,
                    zone=anchoring.zone,
                    drift_m=round(anchoring.drift_m, 1),
                    radius_m=round(anchoring.radius_m, 1),
                    anchored_lat=anchoring.lat,
                    anchored_lon=anchoring.lon,
                ),
            )

    def _weigh(self, row: int, anchoring: Anchoring, time_s: float, events: list[Event]) -> None:
        mmsi = anchoring.mmsi
        del self.anchorings[mmsi]
        self.columns.anchored[row] = False
        events.append(
            self._event(
                row,
                "anchor_up",
                time_s,
                zone=anchoring.zone,
                wait_s=round(anchoring.wait_s(time_s), 1),
            )
        )
        if anchoring.zone in self.anchorages:
            self.anchorages[anchoring.zone].depart(mmsi, time_s)
        wait_s = anchoring.wait_s(time_s)
        self.arrival_watch.waits.stay_ended(anchoring.zone, wait_s)
        self.output.stays.append(self._stay_row(row, anchoring, time_s, wait_s))
        for kind in ("anchor_drag", "unauthorised_anchoring", "long_wait"):
            self._emit(events, self.alerts.clear((kind, mmsi), time_s))

    def _stay_row(self, row: int, anchoring: Anchoring, time_s: float, wait_s: float) -> tuple:
        """A stay at anchor that ended: what it cost, and what arriving just in time
        over the approach PortWatch saw would have saved."""
        cost = waiting_cost(anchoring.demand, wait_s, self.settings)
        distance, speed = self.arrival_watch.approach_before_anchor.pop(anchoring.mmsi, (0.0, 0.0))
        static = self.columns.static(row)
        jit = advise(
            static.ship_type if static else None,
            static.length_m if static else None,
            distance,
            speed,
            wait_s,
            self.settings,
        )
        return (
            anchoring.mmsi,
            anchoring.since_s,
            time_s,
            anchoring.zone,
            wait_s,
            cost.fuel_t,
            cost.co2_t,
            distance or None,
            speed or None,
            jit.speed_kn if jit else None,
            jit.fuel_saved_t if jit else 0.0,
            jit.co2_saved_t if jit else 0.0,
        )

    def _check_wait(self, anchoring: Anchoring, now_s: float, events: list[Event]) -> None:
        monitor = self.anchorages.get(anchoring.zone) if anchoring.zone else None
        max_wait_h = monitor.feature.properties.get("max_wait_h") if monitor else None
        if max_wait_h is None:
            return
        wait_s = anchoring.wait_s(now_s)
        if wait_s <= max_wait_h * 3600.0:
            return
        anchoring.long_wait = True
        row = self.columns.rows.get(anchoring.mmsi)
        if row is None:
            return
        self._raise(
            events,
            ("long_wait", anchoring.mmsi),
            now_s,
            wait_s,
            lambda alert_id: self._event(
                row,
                "long_wait",
                now_s,
                alert_id=alert_id,
                zone=anchoring.zone,
                wait_s=round(wait_s, 1),
                max_wait_h=max_wait_h,
            ),
        )

    def _anchorage_levels(self, now_s: float, events: list[Event]) -> None:
        for monitor in self.anchorages.values():
            level = monitor.update_level()
            if level is None:
                continue
            centre = monitor.feature.geometry.centroid
            events.append(
                Event(
                    now_s,
                    "congestion",
                    None,
                    None,
                    centre.y,
                    centre.x,
                    {
                        "zone": monitor.name,
                        "level": level,
                        "occupied": len(monitor.present),
                        "capacity": monitor.capacity,
                    },
                )
            )
            key = ("congestion", monitor.name)
            if level == "congested":
                self._raise(
                    events,
                    key,
                    now_s,
                    None,
                    lambda alert_id, m=monitor, c=centre: Event(
                        now_s,
                        "congestion",
                        None,
                        None,
                        c.y,
                        c.x,
                        {
                            "zone": m.name,
                            "level": "congested",
                            "occupied": len(m.present),
                            "capacity": m.capacity,
                            "alert_id": alert_id,
                        },
                    ),
                )
            else:
                self._emit(events, self.alerts.clear(key, now_s))

    def _berth_rows(self) -> tuple[np.ndarray, np.ndarray]:
        """Live vessels inside berth zones: their rows and each one's berth (its number
        among the port's berths, in the port file's order), by berth, rows ascending
        within each."""
        columns = self.columns
        berths = self._berth_columns
        if not berths.size:
            return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)
        rows, which = np.nonzero(columns.inside[:, berths] & columns.alive[:, None])
        order = np.argsort(which, kind="stable")
        return rows[order], which[order]

    def _berths_alongside(self, berth_rows: tuple[np.ndarray, np.ndarray], now_s: float) -> None:
        """Who lies alongside each berth now: in its zone at a crawl, or moored."""
        columns = self.columns
        members, which = berth_rows
        names = self._berth_names[which].tolist()
        slow = (columns.sog_kn[members] < ALONGSIDE_MAX_KN) | (columns.status[members] == MOORED)
        alongside: dict[str, set[int]] = {name: set() for name in self.berths}
        for mmsi, name, is_slow in zip(
            columns.mmsi[members].tolist(), names, slow.tolist(), strict=True
        ):
            if is_slow and name in alongside:
                alongside[name].add(mmsi)
        for name, monitor in self.berths.items():
            monitor.update(alongside[name], now_s)

    def forecasts(self, now_s: float) -> list[AnchorageForecast]:
        """Each anchorage's expected count over the next six hours."""
        waits = self.arrival_watch.waits
        result = []
        for name, monitor in self.anchorages.items():
            station = self.anchorage_station.get(name)
            inbound = [
                (a.eta_s, waits.anchor_share(a.klass.split("-")[0]))
                for a in self.arrival_watch.approaches.values()
                if a.target == station and a.eta_s is not None
            ]
            waited = [a.wait_s(now_s) for a in monitor.present.values()]
            result.append(forecast(name, now_s, waited, inbound, waits))
        return result

    def _keep_forecasts(self, now_s: float) -> None:
        scores = self.forecast_scores
        scores.score(now_s, {name: len(m.present) for name, m in self.anchorages.items()})
        if scores.last_hour != int(now_s // 3600) and self.anchorages:
            scores.keep(self.forecasts(now_s), now_s)

    def _keep_for_history(self, now_s: float) -> None:
        """Each anchorage's state every few minutes, and what was learnt every hour."""
        if now_s >= self._occupancy_due_s and self.anchorages:
            self._occupancy_due_s = (now_s // OCCUPANCY_EVERY_S + 1) * OCCUPANCY_EVERY_S
            for monitor in self.anchorages.values():
                state = monitor.state(now_s)
                monitor.keep_count(now_s)
                cost = state.cost_24h
                self.output.occupancy.append(
                    (
                        state.name,
                        now_s,
                        state.occupied,
                        state.capacity,
                        state.level,
                        state.swing_cover_share,
                        state.longest_wait_s,
                        state.median_wait_s,
                        state.arrivals_24h,
                        state.departures_24h,
                        cost.hours,
                        cost.fuel_t,
                        cost.co2_t,
                    )
                )
        if self._learnt_due_s == np.inf:
            self._learnt_due_s = now_s + LEARNT_EVERY_S
        elif now_s >= self._learnt_due_s:
            self._learnt_due_s = now_s + LEARNT_EVERY_S
            self.keep_learnt(now_s)

    def keep_learnt(self, now_s: float) -> None:
        """What the arrival times have learnt, for history (so a restart keeps it)."""
        watch = self.arrival_watch
        self.output.learnt.extend(
            [
                (self.port.name, "speed_profiles", json.dumps(watch.profiles.state()), now_s),
                (self.port.name, "waits", json.dumps(watch.waits.state()), now_s),
            ]
        )

    def drain_output(self) -> WatchRows:
        """The rows for history since the last call (alerts that changed included)."""
        output, self.output = self.output, WatchRows()
        output.alerts.extend(alert_row(alert) for alert in self.alerts.take_changed())
        output.eta_scores.extend(self.arrival_watch.take_score_rows())
        output.forecast_scores.extend(self.forecast_scores.take_rows())
        return output

    def pilot_board(self, now_s: float) -> PilotBoard:
        occupied = {name: len(m.present) for name, m in self.anchorages.items()}
        return build_board(
            self.arrival_watch,
            self.columns,
            self.anchorings,
            self.anchorage_station,
            occupied,
            now_s,
        )

    # -- conduct ---------------------------------------------------------------

    def _speeding(self, rows: np.ndarray, now_s: float, events: list[Event]) -> None:
        columns, settings = self.columns, self.settings
        fairways = self._fairway_columns
        if rows.size and fairways.size:
            limits = np.where(
                columns.inside[rows][:, fairways], self._speed_limit_kn[fairways], np.inf
            )
            limit = limits.min(axis=1)
            over = (columns.sog_kn[rows] > limit + settings.speeding_margin_kn) & ~of_types(
                EXEMPT_TYPES, columns.ship_type[rows]
            )
            since = columns.over_since_s[rows]
            columns.over_since_s[rows] = np.where(
                over, np.where(np.isnan(since), columns.fix_time_s[rows], since), np.nan
            )
        open_keys = set(self.alerts.keys_of_kind("speeding"))
        speeding = np.flatnonzero(
            ~np.isnan(columns.over_since_s)
            & ~columns.lost
            & (now_s - columns.over_since_s > settings.speeding_after_s)
        )
        for row in speeding.tolist():
            inside = columns.inside[row, fairways]
            limits = np.where(inside, self._speed_limit_kn[fairways], np.inf)
            column = int(fairways[int(np.argmin(limits))])
            limit_kn = float(self._speed_limit_kn[column])
            sog_kn = float(columns.sog_kn[row])
            key = ("speeding", int(columns.mmsi[row]))
            open_keys.discard(key)
            zone = self.zones.zones[column].name
            self._raise(
                events,
                key,
                now_s,
                sog_kn - limit_kn,
                lambda alert_id, r=row, s=sog_kn, lim=limit_kn, z=zone: self._event(
                    r, "speeding", now_s, alert_id=alert_id, zone=z, sog_kn=s, limit_kn=lim
                ),
            )
        for key in sorted(open_keys):  # a set's order changes with the hash seed
            self._emit(events, self.alerts.absent(key, now_s))

    # -- close quarters --------------------------------------------------------

    def _encounters(self, now_s: float, events: list[Event]) -> None:
        columns, zones = self.columns, self.zones
        inside = columns.inside[:, : len(zones)]
        limit = np.full(columns.size, self.settings.cpa_limit_m)
        if len(zones) and not np.isnan(self._cpa_limit_m).all():
            zone_limits = np.where(inside, self._cpa_limit_m, np.inf)
            limit = np.fmin(limit, np.nan_to_num(zone_limits, nan=np.inf).min(axis=1))
        berth = inside[:, self._berth_columns].any(axis=1)
        fairway = np.full(columns.size, np.inf)
        if self._fairway_columns.size:
            widths = np.where(inside[:, self._fairway_columns], self._fairway_width_m, np.inf)
            fairway = widths.min(axis=1)
        waters = Waters(self.in_approach(), limit, berth, fairway)
        self.close_quarters.run(columns, waters, now_s, self._event, events)

    # -- vessels that left, and the alert book -----------------------------------

    def _gone(self, mmsi: int, row: int, now_s: float, events: list[Event]) -> None:
        """A vessel left the live picture (silent too long): its stay at anchor ends
        without an ``anchor_up`` (nobody saw it weigh) and its alerts clear."""
        anchoring = self.anchorings.pop(mmsi, None)
        if anchoring is not None and anchoring.zone in self.anchorages:
            self.anchorages[anchoring.zone].depart(mmsi, now_s, counted=False)
        for key in self.alerts.keys_of_vessel(mmsi):
            self._emit(events, self.alerts.clear(key, now_s))
        self.close_quarters.forget()
        self.arrival_watch.gone(mmsi)

    def _raise(
        self,
        events: list[Event],
        key: Hashable,
        now_s: float,
        figure: float | None,
        make_event: Callable[[int], Event],
    ) -> None:
        self._emit(events, self.alerts.observe(key, now_s, figure, make_event))

    @staticmethod
    def _emit(events: list[Event], event: Event | None) -> None:
        if event is not None:
            events.append(event)

    def acknowledge(
        self, alert_id: int, now_s: float, by: str, snooze_s: float | None = None
    ) -> Event | None:
        """An operator acknowledged (or snoozed) an alert: the ``alert_ack`` event."""
        self._view = None
        return self.alerts.acknowledge(alert_id, now_s, by, snooze_s)

    def apply_acknowledgement(
        self, alert_id: int, acknowledged_s: float, by: str, snoozed_until_s: float | None
    ) -> Alert | None:
        """An acknowledgement made on another workstation (see ``AlertBook.apply``)."""
        self._view = None
        return self.alerts.apply(alert_id, acknowledged_s, by, snoozed_until_s)

    def _event(self, row: int, kind: str, time_s: float, **details: object) -> Event:
        columns = self.columns
        return Event(
            time_s=time_s,
            kind=kind,
            mmsi=int(columns.mmsi[row]),
            name=columns.names[row],
            lat=float(columns.lat[row]),
            lon=float(columns.lon[row]),
            details=details,
        )

    # -- what it shows ---------------------------------------------------------

    @property
    def view_made(self) -> bool:
        """The view of the last pass is made (``view`` costs nothing now)."""
        return self._view is not None

    def view(self, now_s: float | None) -> WatchView:
        """The watch as of the last pass (made once per pass, on demand)."""
        if self._view is not None:
            return self._view
        columns = self.columns
        time_s = now_s if now_s is not None else self.next_pass_s
        alerts = sorted(self.alerts.open.values(), key=_urgency)
        cleared = tuple(reversed(self.alerts.recently_cleared[-100:]))
        alive = np.flatnonzero(columns.alive)
        rows = {int(columns.mmsi[row]): index for index, row in enumerate(alive.tolist())}
        self._view = WatchView(
            version=self.passes,
            time_s=time_s,
            anchorages=tuple(m.state(time_s) for m in self.anchorages.values()) if time_s else (),
            berths=tuple(m.state(time_s) for m in self.berths.values()) if time_s else (),
            alerts=tuple(_frozen(a) for a in alerts[:VIEW_ALERTS]),
            open_alerts=len(alerts),
            _alert_kinds=alert_kinds(alerts),
            cleared=tuple(_frozen(a) for a in cleared),
            zone_names=tuple(zone.name for zone in self.zones.zones),
            pilot_board=self.pilot_board(time_s) if time_s else None,
            forecasts=tuple(self.forecasts(time_s)) if time_s else (),
            eta_scores=tuple(self.arrival_watch.scoreboard.rows()),
            forecast_scores=tuple(self.forecast_scores.table()),
            _rows=rows,
            _in_approach=self.in_approach()[alive],
            _inside=columns.inside[alive][:, : len(self.zones)],
            _distance_m=self.zones.distance_to_station_m(columns.x[alive], columns.y[alive]),
            _anchored={m: (a.since_s, a.zone) for m, a in self.anchorings.items()},
            swing_circles=tuple((m, a.x, a.y, a.radius_m) for m, a in self.anchorings.items()),
        )
        return self._view


def _urgency(alert: Alert) -> tuple[int, float]:
    """Most urgent first, then newest first."""
    return alert.severity, -alert.event.time_s


def _frozen(alert: Alert) -> Alert:
    """A copy the view can hand out: later passes change the book's own alerts."""
    return replace(alert)
