"""The fleet: one state per MMSI, built from decoded records on the data clock.

``Fleet.update`` merges each record into its vessel, judges every position
(out of range, at 0,0, an impossible jump, a copy from a second receiver) and
ages targets to *lost* and then out of the live picture. What history must
keep is collected in ``FleetOutput`` for the engine to hand to the writer.
"""

from __future__ import annotations

import heapq
import math
import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from portwatch import vessel_kinds as kinds
from portwatch.decoders.records import (
    AidToNavigationReport,
    BaseStationReport,
    PositionReport,
    Record,
    SarAircraftReport,
    StaticReport,
)
from portwatch.events import Event
from portwatch.geodesy import (
    EARTH_RADIUS_M,
    METRES_PER_SECOND_PER_KNOT,
    distance_m,
    local_distance_m,
)
from portwatch.reporting import MOORED, nominal_interval_s
from portwatch.settings import FleetSettings
from portwatch.vessel import (
    RECENT_REPORTS,
    Fix,
    StaticData,
    VesselState,
    VesselView,
    make_fix,
)

LONG_RANGE = 27
LONG_RANGE_NOISE_M = 400.0
"""Type 27 (long-range broadcast) gives positions to 1/10 minute, about 185 m
north-south: beside a class A report of the same second it may sit that far off."""
PORT_CALL_RADIUS_M = 500.0
"""A moored vessel that has moved this far from where it moored has left."""
_STATIC_FIELDS = tuple(StaticData.__dataclass_fields__)
_METRES_PER_DEGREE = EARTH_RADIUS_M * math.pi / 180.0
_hypot, _cos, _radians = math.hypot, math.cos, math.radians
MAX_CLOCK_JUMP_S = 6 * 3600.0
"""A report more than this ahead of the data clock is held back: one receiver with a
wrong clock (or a GPS week roll-over) must not age every target out of the picture."""
CLOCK_JUMP_CONFIRMATIONS = 16
"""Held reports that move the clock after all (logs of separate days joined end to
end), when they also outnumber the reports in step that came since the first..."""
CLOCK_JUMP_PATIENCE = 32
"""...while this many reports in step since the first held one prove them wrong."""
CLOCK_START_REPORTS = 5
"""The clock starts at the median time of the first reports (or of the first call's,
if fewer), not at the first one, which may be the wrong one."""
MAX_REMEMBERED_REMOVED = 200_000
"""Vessels out of the live picture whose state is kept so that they come back as
the same vessel; beyond this the longest gone are forgotten (history keeps them)."""


@dataclass(slots=True)
class FleetOutput:
    """What happened since the last drain, for the history writer."""

    fixes: list[Fix] = field(default_factory=list)
    static_changes: list[tuple[int, float, StaticData]] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    port_calls: list[tuple[int, float, float | None, float, float]] = field(default_factory=list)
    """(mmsi, arrived_s, departed_s or None while alongside, lat, lon)."""
    vessels: set[int] = field(default_factory=set)
    """MMSIs whose history row (latest static data, last seen) is out of date."""

    def __bool__(self) -> bool:
        return bool(
            self.fixes or self.static_changes or self.events or self.port_calls or self.vessels
        )


@dataclass(slots=True)
class FleetCounters:
    messages: int = 0
    fixes_accepted: int = 0
    fixes_rejected: Counter[str] = field(default_factory=Counter)
    """By reason: ``out_of_range``, ``null_island``, ``jump``."""
    duplicates: int = 0
    """Copies of a report already heard through another receiver."""
    late_fixes: int = 0
    """Fixes older than the vessel's latest (stored, not shown)."""
    relocations: int = 0
    """Vessels moved after agreeing fixes confirmed a jump."""
    untimed: int = 0
    """Messages without any data time (skipped)."""
    bad_times: int = 0
    """Messages dropped because their time was far ahead of everything else."""


class Fleet:
    """Every vessel heard, on the data clock: ``update`` with each record in time order."""

    def __init__(self, settings: FleetSettings | None = None, trails: bool = True) -> None:
        """Without ``trails`` no vessel keeps one (a bulk import: nobody looks at its
        live picture, and a trail point for every fix is a fifth of the work)."""
        self.settings = settings or FleetSettings()
        self.trails = trails
        self.vessels: dict[int, VesselState] = {}
        """The live picture: lost targets included, removed ones not."""
        self.own_ship: VesselState | None = None
        self.now_s: float | None = None
        """The data clock: the latest data time seen."""
        self.counters = FleetCounters()
        self.output = FleetOutput()
        self._removed: dict[int, VesselState] = {}
        self._deadlines: list[tuple[float, int]] = []  # (due, mmsi); see ``advance``
        self._ahead: list[tuple[Record, float]] = []  # reports held for a clock jump
        self._in_step_since_held = 0
        self._views: dict[int, VesselView] = {}
        self._lost_views: set[int] = set()
        """MMSIs whose view says lost: the count is read several times a second."""
        self._changed: set[int] = set()
        self.revision = 0
        """Goes up whenever anything in the live picture changes."""
        self.on_clock: Callable[[float], None] | None = None
        """Called with the data time whenever the clock reaches ``clock_due_s`` (the
        analytics' next pass): at the same data times however the input is chunked."""
        self.clock_due_s = math.inf
        self._max_speed_mps = self.settings.max_speed_kn * METRES_PER_SECOND_PER_KNOT
        self._noise_m = self.settings.position_noise_m
        self._trail_min_interval_s = self.settings.trail_min_interval_s
        self._duplicate_window_s = self.settings.duplicate_window_s
        self._lost_factor = self.settings.lost_intervals * self.settings.reception_scale

    def update(self, record: Record, time_s: float) -> None:
        """Merge one record, heard at data time ``time_s``."""
        now_s = self.now_s
        if now_s is None or time_s > now_s + MAX_CLOCK_JUMP_S:
            self._hold(record, time_s)
            return
        if self._ahead:
            self._in_step_since_held += 1
            if self._in_step_since_held >= CLOCK_JUMP_PATIENCE:
                self.drop_held()  # the feed goes on in step: those had a wrong clock
        self.counters.messages += 1
        if record.own_ship:
            self._update_own_ship(record, time_s)
            self._move_clock(time_s)
            return
        mmsi = record.mmsi
        state = self.vessels.get(mmsi) or self._state_for(mmsi, time_s)
        state.messages += 1
        msg_type = record.msg_type
        last_report_s = state.last_report_s
        previous = last_report_s.get(msg_type)
        if previous is None:  # a message type new for this sender may say what it is
            state.kind = kinds.kind_from_message(mmsi, msg_type, state.kind)
        if previous is None or time_s > previous:
            last_report_s[msg_type] = time_s
        if time_s > state.last_heard_s:
            if state.lost:
                self._found(state, time_s)
                state.last_heard_s = time_s
                self._arm(state, self._lost_deadline_s(state))
            else:
                state.last_heard_s = time_s
        # The clock moves once this vessel counts as heard, so that its own report
        # never makes it lost for an instant.
        if time_s > now_s:
            self.now_s = time_s
            if self._deadlines and self._deadlines[0][0] <= time_s:
                self.advance(time_s)
            elif time_s >= self.clock_due_s:
                self._clock_due(time_s)
        if type(record) is PositionReport:
            self._position(
                state,
                time_s,
                record.lat,
                record.lon,
                record.sog_kn,
                record.cog_deg,
                record.heading_deg,
                record.nav_status,
                record.second,
                record,
            )
        else:
            self._merge(state, record, time_s)
        self._changed.add(mmsi)
        self.output.vessels.add(mmsi)
        self.revision += 1

    def _move_clock(self, time_s: float) -> None:
        if self.now_s is None or time_s > self.now_s:
            self.now_s = time_s
            if self._deadlines and self._deadlines[0][0] <= time_s:
                self.advance(time_s)
            elif time_s >= self.clock_due_s:
                self._clock_due(time_s)

    def _clock_due(self, now_s: float) -> None:
        """The clock reached ``clock_due_s``: let the listener (the analytics) run."""
        self.clock_due_s = math.inf  # the listener sets the next one
        if self.on_clock is not None:
            self.on_clock(now_s)

    def advance(self, now_s: float) -> None:
        """Move the data clock to ``now_s``: silent targets become lost, then removed.

        Each live vessel has one entry in a heap of deadlines; a deadline that
        comes due is checked against the vessel's state then (it may have been
        heard since) and pushed back if not yet passed, so hearing a vessel
        costs nothing here.
        """
        if self.now_s is None or now_s > self.now_s:
            self.now_s = now_s
        deadlines = self._deadlines
        remove_after_s = self.settings.remove_after_s
        while deadlines and deadlines[0][0] <= now_s:
            due_s, mmsi = heapq.heappop(deadlines)
            state = self.vessels.get(mmsi)
            if state is None or due_s != state.armed_s:
                continue  # re-armed since (heard again, or now reporting more often)
            if not state.lost:
                lost_at_s = self._lost_deadline_s(state)
                if now_s >= lost_at_s:
                    self._lose(state, now_s)
                    self._arm(state, state.last_heard_s + remove_after_s)
                else:
                    self._arm(state, lost_at_s)
            elif now_s >= state.last_heard_s + remove_after_s:
                self._remove(state)
            else:
                self._arm(state, state.last_heard_s + remove_after_s)
        if now_s >= self.clock_due_s:
            self._clock_due(now_s)

    def _arm(self, state: VesselState, due_s: float) -> None:
        """Make ``due_s`` the vessel's one live entry in the deadline heap."""
        state.armed_s = due_s
        heapq.heappush(self._deadlines, (due_s, state.mmsi))

    def _hold(self, record: Record, time_s: float) -> None:
        held = self._ahead
        held.append((record, time_s))
        if self.now_s is None:
            if len(held) >= CLOCK_START_REPORTS:
                self.start_clock()
            return
        if len(held) >= CLOCK_JUMP_CONFIRMATIONS and len(held) > self._in_step_since_held:
            self._ahead, self._in_step_since_held = [], 0
            self.advance(statistics.median(t for _, t in held))  # the data really moved on
            for late_record, late_s in held:
                self.update(late_record, late_s)

    def start_clock(self) -> None:
        """Start the data clock from the reports held while it had none: at their
        median time. Reports far from it are held again (see ``drop_held``)."""
        held = self._ahead
        if self.now_s is not None or not held:
            return
        self._ahead, self._in_step_since_held = [], 0
        self.now_s = statistics.median(t for _, t in held)
        for record, time_s in held:
            self.update(record, time_s)

    def drop_held(self) -> None:
        """Count and forget the reports held back as too far ahead (an input ends, or
        the feed went on in step without them)."""
        self.counters.bad_times += len(self._ahead)
        self._ahead, self._in_step_since_held = [], 0

    def _lost_deadline_s(self, state: VesselState) -> float:
        """When ``state`` goes lost if nothing more is heard (IEC 62388 style)."""
        fix = state.fix
        if fix is None:
            interval_s = nominal_interval_s(state.kind, None, None)
        else:
            interval_s = nominal_interval_s(state.kind, fix.sog_kn, fix.nav_status)
        return state.last_heard_s + interval_s * self._lost_factor

    def views(self) -> MappingProxyType[int, VesselView]:
        """Immutable views of every live vessel; only the changed ones are rebuilt."""
        self.refresh_views()
        return MappingProxyType(dict(self._views))

    def refresh_views(self) -> None:
        """Rebuild the views of the vessels changed since the last call: the engine's
        worker does it as it goes while someone watches, so that a snapshot taken
        in the window's thread finds them built."""
        views, lost, vessels = self._views, self._lost_views, self.vessels
        for mmsi in self._changed:
            state = vessels.get(mmsi)
            if state is not None:
                view = views[mmsi] = state.view()
                if view.lost:
                    lost.add(mmsi)
                else:
                    lost.discard(mmsi)
        self._changed.clear()

    @property
    def lost_in_views(self) -> int:
        """How many of the views last built say lost."""
        return len(self._lost_views)

    def drain_output(self) -> FleetOutput:
        """What history must store since the last drain; starts a new collection."""
        output, self.output = self.output, FleetOutput()
        return output

    def restore(self, state: VesselState, recent: list[Fix]) -> None:
        """Put back a vessel from history after a restart, with its ``recent`` fixes
        (oldest first) as its trail. No event is raised: whether it is lost is
        settled by ``settle`` once every vessel is back."""
        self.vessels[state.mmsi] = state
        self._removed.pop(state.mmsi, None)
        for fix in recent if self.trails else ():
            self._extend_trail(state, fix)
        if recent and (state.fix is None or recent[-1].time_s >= state.fix.time_s):
            state.fix = recent[-1]
        self._arm(state, self._lost_deadline_s(state))
        self._changed.add(state.mmsi)
        self.revision += 1

    def restore_absent(self, state: VesselState) -> None:
        """Put back a vessel from history that is not in the live picture (silent too
        long) but has business pending, an open port call: heard again, it carries on
        as the same vessel with the same call."""
        if state.mmsi not in self.vessels:
            self._removed[state.mmsi] = state

    def settle(self, now_s: float) -> None:
        """After ``restore``: set the clock to ``now_s`` and mark silent vessels lost
        without raising events (the run before raised them already)."""
        if self.now_s is None or now_s > self.now_s:
            self.now_s = now_s
        for state in self.vessels.values():
            if not state.lost and now_s >= self._lost_deadline_s(state):
                state.lost = True
                self._changed.add(state.mmsi)
        self.advance(now_s)

    def in_step(self, time_s: float) -> bool:
        """Whether a report at ``time_s`` is one the clock takes (not held back)."""
        return self.now_s is not None and time_s <= self.now_s + MAX_CLOCK_JUMP_S

    @property
    def vessels_heard(self) -> int:
        """Vessels heard since the start (not those only restored from history)."""
        return sum(1 for state in self.vessels.values() if state.messages) + sum(
            1 for state in self._removed.values() if state.messages
        )

    def state(self, mmsi: int) -> VesselState | None:
        """A vessel's state, live or removed from the live picture."""
        return self.vessels.get(mmsi) or self._removed.get(mmsi)

    def _state_for(self, mmsi: int, time_s: float) -> VesselState:
        state = self.vessels.get(mmsi)
        if state is not None:
            return state
        state = self._removed.pop(mmsi, None)
        if state is None:
            state = VesselState(
                mmsi=mmsi,
                kind=kinds.kind_from_mmsi(mmsi) or kinds.UNKNOWN,
                first_seen_s=time_s,
                last_heard_s=time_s,
            )
        self.vessels[mmsi] = state
        self._arm(state, time_s)  # re-armed with its real deadline on its first pop
        self.output.vessels.add(mmsi)
        return state

    def _merge(self, state: VesselState, record: Record, time_s: float) -> None:
        if isinstance(record, PositionReport):
            self._position(
                state,
                time_s,
                record.lat,
                record.lon,
                record.sog_kn,
                record.cog_deg,
                record.heading_deg,
                record.nav_status,
                record.second,
                record,
            )
        elif isinstance(record, StaticReport):
            self._static(state, time_s, record)
        elif isinstance(record, AidToNavigationReport):
            state.virtual_aid = record.virtual_aid
            state.off_position = record.off_position
            self._static_values(
                state,
                time_s,
                {
                    "name": record.name,
                    "to_bow_m": record.to_bow_m,
                    "to_stern_m": record.to_stern_m,
                    "to_port_m": record.to_port_m,
                    "to_starboard_m": record.to_starboard_m,
                },
            )
            self._position(
                state, time_s, record.lat, record.lon, None, None, None, None, None, record
            )
        elif isinstance(record, BaseStationReport):
            if record.msg_type == 4:  # its UTC time tells one report from the next
                self._position(
                    state,
                    time_s,
                    record.lat,
                    record.lon,
                    None,
                    None,
                    None,
                    None,
                    record.reported_time_s,
                    record,
                )
        elif isinstance(record, SarAircraftReport):
            state.altitude_m = record.altitude_m
            self._position(
                state,
                time_s,
                record.lat,
                record.lon,
                record.sog_kn,
                record.cog_deg,
                None,
                None,
                record.second,
                record,
                check_jump=False,
            )

    def _position(
        self,
        state: VesselState,
        time_s: float,
        lat: float | None,
        lon: float | None,
        sog_kn: float | None,
        cog_deg: float | None,
        heading_deg: int | None,
        nav_status: int | None,
        second: int | None,
        record: Record,
        check_jump: bool = True,
    ) -> None:
        if lat is None or lon is None:
            return  # the report says "position not available": nothing to judge
        counters = self.counters
        if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
            self._reject(state, "out_of_range")
            return
        if lat == 0.0 and lon == 0.0:
            self._reject(state, "null_island")  # an unset GNSS, not a ship off Africa
            return
        content = (lat, lon, sog_kn, cog_deg, heading_deg, second)
        recent = state.recent_reports
        last = state.fix
        window_s = self._duplicate_window_s
        # No report in ``recent`` is later than ``last`` (the latest accepted), so one
        # a window or more after it can be no copy: most reports skip the search.
        if recent and (last is None or time_s - last.time_s < window_s):
            for seen_s, seen in recent:
                if seen == content and -window_s < time_s - seen_s < window_s:
                    counters.duplicates += 1
                    return
        fix = make_fix(
            (
                state.mmsi,
                time_s,
                lat,
                lon,
                sog_kn,
                cog_deg,
                heading_deg,
                nav_status,
                record.station or record.source,
            )
        )
        if last is not None:
            if time_s < last.time_s:
                self._late_fix(state, fix, content, check_jump)
                return
            dlat = lat - last.lat
            dlon = lon - last.lon
            if -1.0 < dlat < 1.0 and -1.0 < dlon < 1.0:  # local_distance_m, inlined: hot
                moved_m = _METRES_PER_DEGREE * _hypot(dlat, dlon * _cos(_radians(lat)))
            else:
                moved_m = local_distance_m(last.lat, last.lon, lat, lon)
            noise_m = self._noise_m if record.msg_type != LONG_RANGE else LONG_RANGE_NOISE_M
            if check_jump and moved_m > noise_m + self._max_speed_mps * (time_s - last.time_s):
                if not self._confirm_jump(state, fix):
                    return
                moved_m = None  # the trail starts again
            elif state.suspects:
                state.suspects = ()
        else:
            moved_m = None
        state.late_fix = None
        state.recent_reports = (*recent[1 - RECENT_REPORTS :], (time_s, content))
        state.fix = fix
        if (
            last is None
            or nav_status != last.nav_status
            or (sog_kn is not None and abs(sog_kn - (last.sog_kn or 0.0)) >= 1.0)
        ):  # reporting more often now (under way, faster): it is lost sooner
            lost_at_s = self._lost_deadline_s(state)
            if lost_at_s < state.armed_s:
                self._arm(state, lost_at_s)
        counters.fixes_accepted += 1
        self.output.fixes.append(fix)
        if self.trails:
            trail = state.trail
            if not trail or time_s - trail[-3] >= self._trail_min_interval_s:
                self._extend_trail(state, fix, last, moved_m)
        if (state.port_call_since_s is not None or nav_status == MOORED) and (
            state.kind == kinds.CLASS_A
        ):
            self._follow_port_call(state, fix)

    def _confirm_jump(self, state: VesselState, fix: Fix) -> bool:
        """A fix too far from the last: rejected, unless it is the last of enough
        rejected fixes in a row that agree with one another. Then the vessel is
        really there (the earlier fix was wrong, or the MMSI changed hands): the
        agreeing fixes are all kept and the trail starts again."""
        suspects = state.suspects
        if suspects and self._implausible(suspects[-1], fix):
            suspects = ()
        suspects = state.suspects = (*suspects, fix)
        if len(suspects) < self.settings.jump_confirmations:
            self._reject(state, "jump")
            return False
        suspects_start_s = suspects[0].time_s
        counters = self.counters
        counters.relocations += 1
        counters.fixes_rejected["jump"] -= len(suspects) - 1
        state.rejected_fixes -= len(suspects) - 1
        for earlier in suspects[:-1]:
            self.output.fixes.append(earlier)
            counters.fixes_accepted += 1
        state.suspects = ()
        del state.trail[:]
        self._end_port_call(state, suspects_start_s)
        return True

    def _late_fix(self, state: VesselState, fix: Fix, content: tuple, check_jump: bool) -> None:
        """A fix older than the vessel's latest (a log imported again, receivers out of
        step): judged against the fix before it, kept for history, not shown."""
        late = state.late_fix
        reference = late if late is not None and late.time_s <= fix.time_s else state.fix
        if check_jump and reference is not None and self._implausible(reference, fix):
            self._reject(state, "jump")
            return
        state.late_fix = fix
        recent = state.recent_reports
        state.recent_reports = (*recent[1 - RECENT_REPORTS :], (fix.time_s, content))
        self.counters.late_fixes += 1
        self.counters.fixes_accepted += 1
        self.output.fixes.append(fix)

    def _implausible(self, before: Fix, after: Fix) -> bool:
        elapsed_s = abs(after.time_s - before.time_s)
        reach_m = self._noise_m + self._max_speed_mps * elapsed_s
        return local_distance_m(before.lat, before.lon, after.lat, after.lon) > reach_m

    def _reject(self, state: VesselState, reason: str) -> None:
        state.rejected_fixes += 1
        self.counters.fixes_rejected[reason] += 1

    def _extend_trail(
        self, state: VesselState, fix: Fix, last: Fix | None = None, moved_m: float | None = None
    ) -> None:
        """Add ``fix`` to the trail when it has moved on enough; ``moved_m`` is its
        distance from ``last`` (the previous fix), reused when that is the trail's end."""
        settings = self.settings
        trail = state.trail  # flat: time_s, lat, lon, time_s, lat, lon, …
        if trail:
            end_s, end_lat, end_lon = trail[-3:]
            elapsed_s = fix.time_s - end_s
            if elapsed_s < settings.trail_max_interval_s:
                if elapsed_s < settings.trail_min_interval_s:
                    return
                if moved_m is None or last is None or last.time_s != end_s:
                    moved_m = local_distance_m(end_lat, end_lon, fix.lat, fix.lon)
                if moved_m < settings.trail_step_m:
                    return
            oldest_s = fix.time_s - settings.trail_s
            if trail[0] < oldest_s:
                old = 3
                while old < len(trail) and trail[old] < oldest_s:
                    old += 3
                del trail[:old]
        trail.extend((fix.time_s, fix.lat, fix.lon))

    def _follow_port_call(self, state: VesselState, fix: Fix) -> None:
        """A port call: moored (status 5, not moving) until under way again or moved off."""
        alongside = fix.nav_status == MOORED and (
            fix.sog_kn is None or fix.sog_kn <= self.settings.moored_max_sog_kn
        )
        since = state.port_call_since_s
        if since is None:
            if alongside:
                state.port_call_since_s = fix.time_s
                state.port_call_fix = fix
                self.output.port_calls.append((state.mmsi, fix.time_s, None, fix.lat, fix.lon))
            return
        moored_at = state.port_call_fix
        under_way = (
            fix.nav_status is not None
            and fix.nav_status != MOORED
            and fix.sog_kn is not None
            and fix.sog_kn > self.settings.moored_max_sog_kn
        )
        moved_off = (
            moored_at is not None
            and distance_m(moored_at.lat, moored_at.lon, fix.lat, fix.lon) > PORT_CALL_RADIUS_M
        )
        if under_way or moved_off:
            self._end_port_call(state, fix.time_s)

    def _end_port_call(self, state: VesselState, departed_s: float) -> None:
        since = state.port_call_since_s
        if since is None:
            return
        where = state.port_call_fix or state.fix
        if where is not None:
            self.output.port_calls.append((state.mmsi, since, departed_s, where.lat, where.lon))
        state.port_call_since_s = None
        state.port_call_fix = None

    def _static(self, state: VesselState, time_s: float, record: StaticReport) -> None:
        self._static_values(state, time_s, {name: getattr(record, name) for name in _STATIC_FIELDS})

    def _static_values(self, state: VesselState, time_s: float, values: dict) -> None:
        """Merge the values a report carries (None: not carried); a change is kept
        for history. A report older than the latest change applied (receivers out
        of step) only fills what is not known yet: a class B part B heard through a
        slower receiver after its part A still gives the ship its type and size."""
        current = state.static
        if time_s < state.static_s:
            gaps = {
                name: value
                for name, value in values.items()
                if value is not None and getattr(current, name) is None
            }
            if gaps:
                state.static = replace(current, **gaps)
                self.output.static_changes.append((state.mmsi, state.static_s, state.static))
            return
        changed = {
            name: value
            for name, value in values.items()
            if value is not None and value != getattr(current, name)
        }
        if changed:
            state.static = replace(current, **changed)
            state.static_s = time_s
            self.output.static_changes.append((state.mmsi, time_s, state.static))

    def _lose(self, state: VesselState, now_s: float) -> None:
        state.lost = True
        self.revision += 1
        self._changed.add(state.mmsi)
        self.output.vessels.add(state.mmsi)
        self._event(state, now_s, "lost", silent_s=round(now_s - state.last_heard_s, 1))

    def _found(self, state: VesselState, time_s: float) -> None:
        state.lost = False
        self._event(state, time_s, "found", silent_s=round(time_s - state.last_heard_s, 1))

    def _remove(self, state: VesselState) -> None:
        del self.vessels[state.mmsi]
        self.revision += 1
        self._views.pop(state.mmsi, None)
        self._lost_views.discard(state.mmsi)
        self._changed.discard(state.mmsi)
        del state.trail[:]
        state.recent_reports = ()
        state.suspects = ()
        removed = self._removed
        removed[state.mmsi] = state  # comes back as the same vessel when heard again
        if len(removed) > MAX_REMEMBERED_REMOVED:
            del removed[next(iter(removed))]

    def _event(self, state: VesselState, time_s: float, kind: str, **details: object) -> None:
        fix = state.fix
        self.output.events.append(
            Event(
                time_s=time_s,
                kind=kind,
                mmsi=state.mmsi,
                name=state.static.name,
                lat=fix.lat if fix else None,
                lon=fix.lon if fix else None,
                details=details,
            )
        )

    def _update_own_ship(self, record: Record, time_s: float) -> None:
        own = self.own_ship
        if own is None or own.mmsi != record.mmsi:
            own = self.own_ship = VesselState(
                mmsi=record.mmsi, kind=kinds.CLASS_A, first_seen_s=time_s, last_heard_s=time_s
            )
        own.last_heard_s = max(own.last_heard_s, time_s)
        own.messages += 1
        self.revision += 1  # the snapshot shows own ship too: it must be rebuilt
        if (
            isinstance(record, PositionReport)
            and record.lat is not None
            and record.lon is not None
            and (own.fix is None or time_s >= own.fix.time_s)  # a late one is no news
        ):
            own.fix = Fix(
                record.mmsi,
                time_s,
                record.lat,
                record.lon,
                record.sog_kn,
                record.cog_deg,
                record.heading_deg,
                record.nav_status,
                record.station or record.source,
            )
        elif isinstance(record, StaticReport):
            values = {name: getattr(record, name) for name in _STATIC_FIELDS}
            own.static = replace(own.static, **{k: v for k, v in values.items() if v is not None})
