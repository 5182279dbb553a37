"""Restart continuity: the live picture rebuilt from history.

A workstation that restarts must not blank the operator's screen. The vessels
heard in the last hour of data (before the newest report stored) come back
with their static data, their last fix, their trail and an open port call.
Vessels silent longer but still alongside are remembered too, so that when
heard again they carry on with the same port call rather than open a second.
"""

from __future__ import annotations

from portwatch.fleet import Fleet
from portwatch.history.store import HistoryStore
from portwatch.vessel import VesselState

OPEN_CALL_WINDOW_S = 30 * 86_400.0
"""Open port calls older than this are not carried on (a ship silent alongside for
a month has left unseen)."""
RESTORE_WINDOW_S = 3600.0
"""Vessels heard this close to the newest data come back; the others were silent
long enough to have left the live picture anyway (``FleetSettings.remove_after_s``)."""


def restore_live_picture(
    store: HistoryStore, fleet: Fleet, window_s: float = RESTORE_WINDOW_S
) -> int:
    """Put the recently heard vessels back into ``fleet``; returns how many."""
    latest_s = store.latest_time_s()
    if latest_s is None:
        return 0
    since_s = latest_s - window_s
    open_calls = {
        call.mmsi: call
        for call in store.port_calls(since_s=latest_s - OPEN_CALL_WINDOW_S)
        if call.departed_s is None and call.arrived_s >= latest_s - OPEN_CALL_WINDOW_S
    }
    trail_since_s = latest_s - fleet.settings.trail_s
    restored = 0
    for record in store.vessels(seen_since_s=since_s):
        recent = store.track(record.mmsi, since_s=trail_since_s)
        state = VesselState(
            mmsi=record.mmsi,
            kind=record.kind,
            first_seen_s=record.first_seen_s,
            last_heard_s=record.last_seen_s,
            static=record.static,
            static_s=store.static_changed_s(record.mmsi) or record.first_seen_s,
            fix=recent[-1] if recent else store.last_fix(record.mmsi),
        )
        call = open_calls.get(record.mmsi)
        if call is not None:
            state.port_call_since_s = call.arrived_s
            state.port_call_fix = store.last_fix(record.mmsi, call.arrived_s)
        fleet.restore(state, recent)
        restored += 1
    for mmsi, call in open_calls.items():
        if mmsi in fleet.vessels:
            continue
        record = store.vessel(mmsi)
        if record is None:
            continue
        absent = VesselState(
            mmsi=mmsi,
            kind=record.kind,
            first_seen_s=record.first_seen_s,
            last_heard_s=record.last_seen_s,
            static=record.static,
            static_s=store.static_changed_s(mmsi) or record.first_seen_s,
            fix=store.last_fix(mmsi),
            port_call_since_s=call.arrived_s,
            port_call_fix=store.last_fix(mmsi, call.arrived_s),
        )
        fleet.restore_absent(absent)
    fleet.settle(latest_s)
    return restored
