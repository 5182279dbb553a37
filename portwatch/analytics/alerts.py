"""Alerts with a lifecycle: raised once per situation, acknowledged (or snoozed),
raised again only when the situation gets materially worse, cleared when it ends.

An operator stops reading an alarm that fires on every report; the common
complaint about chart plotters is exactly that. So a situation (a pair of ships
closing, one ship dragging) has one identity, its *key*, and at most one open
alert; the rules report each pass whether the situation is present and how bad
(its *figure*), and this book decides what the operator hears. Every change is
an event of DESIGN.md's stream, on the data clock.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field, replace

from portwatch.events import Event

SEVERITY = {
    "cpa": 0,
    "anchor_drag": 0,
    "unauthorised_anchoring": 1,
    "congestion": 1,
    "speeding": 2,
    "restricted_entry": 2,
    "long_wait": 3,
}
"""Lower is more urgent: close quarters and drag first, long waits last."""
ALERT_KINDS = frozenset(SEVERITY)
WORSE_WHEN_SMALLER = frozenset({"cpa"})
"""Kinds whose figure is worse when it shrinks (a CPA); the others grow worse."""


@dataclass(slots=True)
class Alert:
    """One situation an operator was told about, from raising to clearing."""

    id: int
    kind: str
    """The kind of the event that raised it (``cpa``, ``anchor_drag``, …)."""
    key: Hashable
    """What makes the situation itself: the kind and its vessels (and zone)."""
    event: Event
    """The latest raising event: who, where, and the figures that triggered it."""
    raised_s: float
    """When it was first raised (data time)."""
    figure: float | None = None
    """The triggering figure at the last raise (CPA, drift, excess speed, wait)."""
    current: float | None = None
    """The figure now."""
    raises: int = 1
    acknowledged_s: float | None = None
    acknowledged_by: str | None = None
    snoozed_until_s: float | None = None
    cleared_s: float | None = None
    ending_since_s: float | None = None
    """The situation has not been seen since this data time (it clears after a while)."""

    @property
    def active(self) -> bool:
        return self.cleared_s is None

    @property
    def acknowledged(self) -> bool:
        return self.acknowledged_s is not None

    @property
    def mmsi(self) -> int | None:
        return self.event.mmsi

    @property
    def other_mmsi(self) -> int | None:
        return (self.event.details or {}).get("other_mmsi")

    @property
    def zone(self) -> str | None:
        return (self.event.details or {}).get("zone")

    @property
    def severity(self) -> int:
        return SEVERITY.get(self.kind, 9)


def _vessels(key: Hashable) -> list[int]:
    """The MMSIs in a situation's key (its kind first, then vessels and zones)."""
    if not isinstance(key, tuple):
        return []
    return [part for part in key[1:] if isinstance(part, int)]


def situation_id(key: Hashable, raised_s: float) -> int:
    """An alert's id: the same situation raised at the same data time always gets the
    same id (a log imported twice writes its alerts over themselves), and ids of
    different alerts do not collide in practice (63 bits of a hash)."""
    digest = hashlib.blake2b(f"{key!r}|{raised_s:.3f}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


@dataclass(slots=True)
class AlertBook:
    """Open alerts by situation key, and the events their changes make."""

    clear_after_s: float = 30.0
    worse_factor: float = 2.0
    open: dict[Hashable, Alert] = field(default_factory=dict)
    recently_cleared: list[Alert] = field(default_factory=list)
    """Cleared alerts, newest last (bounded), for the operator's "cleared" list."""
    changed: list[Alert] = field(default_factory=list)
    """Alerts raised, acknowledged or cleared since the history last took them."""
    keep_cleared: int = 500
    by_id: dict[int, Hashable] = field(default_factory=dict)
    by_kind: dict[str, set[Hashable]] = field(default_factory=dict)
    by_vessel: dict[int, set[Hashable]] = field(default_factory=dict)
    snoozed: set[Hashable] = field(default_factory=set)
    """Indexes of the open alerts: a busy picture has tens of thousands open, and a
    pass must not walk them all to find one kind, one vessel's or the snoozed."""

    def _index(self, alert: Alert) -> None:
        self.open[alert.key] = alert
        self.by_id[alert.id] = alert.key
        self.by_kind.setdefault(alert.kind, set()).add(alert.key)
        for mmsi in _vessels(alert.key):
            self.by_vessel.setdefault(mmsi, set()).add(alert.key)
        if alert.snoozed_until_s is not None:
            self.snoozed.add(alert.key)

    def _unindex(self, alert: Alert) -> None:
        del self.open[alert.key]
        self.by_id.pop(alert.id, None)
        self.by_kind.get(alert.kind, set()).discard(alert.key)
        for mmsi in _vessels(alert.key):
            keys = self.by_vessel.get(mmsi)
            if keys is not None:
                keys.discard(alert.key)
                if not keys:
                    del self.by_vessel[mmsi]
        self.snoozed.discard(alert.key)

    def observe(
        self,
        key: Hashable,
        now_s: float,
        figure: float | None,
        make_event: Callable[[int], Event],
    ) -> Event | None:
        """The situation ``key`` is present with ``figure``: raise it, or raise it again
        when materially worse; returns the raising event, if one is due.
        ``make_event(alert_id)`` builds the event only when it is needed."""
        alert = self.open.get(key)
        if alert is None:
            alert_id = situation_id(key, now_s)
            event = make_event(alert_id)
            alert = Alert(
                id=alert_id,
                kind=event.kind,
                key=key,
                event=event,
                raised_s=now_s,
                figure=figure,
                current=figure,
            )
            self._index(alert)
            self.changed.append(alert)
            return event
        alert.current = figure
        alert.ending_since_s = None
        if self._materially_worse(alert, figure):
            event = make_event(alert.id)
            alert.event, alert.figure = event, figure
            alert.raises += 1
            alert.acknowledged_s = alert.acknowledged_by = alert.snoozed_until_s = None
            self.snoozed.discard(key)
            self.changed.append(alert)
            return event
        return None

    def _materially_worse(self, alert: Alert, figure: float | None) -> bool:
        if figure is None or alert.figure is None:
            return False
        if alert.kind in WORSE_WHEN_SMALLER:
            return figure * self.worse_factor <= alert.figure
        return alert.figure > 0 and figure >= alert.figure * self.worse_factor

    def absent(self, key: Hashable, now_s: float, after_s: float | None = None) -> Event | None:
        """The situation ``key`` was not seen now: it clears once it has stayed away
        for ``after_s`` (default ``clear_after_s``); returns the clearing event when it
        does."""
        alert = self.open.get(key)
        if alert is None:
            return None
        if alert.ending_since_s is None:
            alert.ending_since_s = now_s
        if now_s - alert.ending_since_s < (self.clear_after_s if after_s is None else after_s):
            return None
        return self.clear(key, now_s)

    def clear(self, key: Hashable, now_s: float) -> Event | None:
        """End the situation ``key`` now (the ship weighed anchor, left the zone)."""
        alert = self.open.get(key)
        if alert is None:
            return None
        self._unindex(alert)
        alert.cleared_s = now_s
        self.changed.append(alert)
        self.recently_cleared.append(alert)
        if len(self.recently_cleared) > self.keep_cleared:
            del self.recently_cleared[: -self.keep_cleared]
        return self._lifecycle_event(
            alert, now_s, "alert_clear", by=None, snooze_s=None, duration_s=now_s - alert.raised_s
        )

    def acknowledge(
        self, alert_id: int, now_s: float, by: str, snooze_s: float | None = None
    ) -> Event | None:
        """The operator ``by`` has seen alert ``alert_id``; with ``snooze_s`` it comes
        back unacknowledged after that long if the situation is still there. None
        when no open alert has that id (cleared meanwhile)."""
        key = self.by_id.get(alert_id)
        if key is None:
            return None
        alert = self.open[key]
        alert.acknowledged_s, alert.acknowledged_by = now_s, by
        alert.snoozed_until_s = None if snooze_s is None else now_s + snooze_s
        if snooze_s is None:
            self.snoozed.discard(key)
        else:
            self.snoozed.add(key)
        self.changed.append(alert)
        return self._lifecycle_event(alert, now_s, "alert_ack", by=by, snooze_s=snooze_s)

    def apply(
        self, alert_id: int, acknowledged_s: float, by: str, snoozed_until_s: float | None
    ) -> Alert | None:
        """An acknowledgement made elsewhere (another workstation's engine, through the
        shared history) taken over as it was made: no event of its own here, since
        the engine that made it has already put it in the event stream. None when
        no open alert has that id."""
        alert = self.find(alert_id)
        if alert is None:
            return None
        alert.acknowledged_s, alert.acknowledged_by = acknowledged_s, by
        alert.snoozed_until_s = snoozed_until_s
        if snoozed_until_s is None:
            self.snoozed.discard(alert.key)
        else:
            self.snoozed.add(alert.key)  # wakes here as it does where it was snoozed
        self.changed.append(alert)
        return alert

    def find(self, alert_id: int) -> Alert | None:
        """The open alert with id ``alert_id``."""
        key = self.by_id.get(alert_id)
        return None if key is None else self.open[key]

    def tick(self, now_s: float) -> None:
        """Wake snoozed alerts whose snooze is over: unacknowledged again."""
        for key in list(self.snoozed):
            alert = self.open[key]
            until = alert.snoozed_until_s
            if until is None or now_s >= until:
                alert.acknowledged_s = alert.acknowledged_by = alert.snoozed_until_s = None
                self.snoozed.discard(key)
                self.changed.append(alert)

    def keys_of_kind(self, kind: str) -> list[Hashable]:
        return list(self.by_kind.get(kind, ()))

    def keys_of_vessel(self, mmsi: int) -> list[Hashable]:
        """The open situations ``mmsi`` is part of."""
        return list(self.by_vessel.get(mmsi, ()))

    def restore(self, alerts: Iterable[Alert]) -> None:
        """Put back the open alerts kept in history (after a restart): a situation that
        is still there then continues its alert rather than raising a new one."""
        for alert in alerts:
            if alert.active:
                self._index(alert)

    def take_changed(self) -> list[Alert]:
        """The alerts changed since the last call (copies: safe to hand to history)."""
        changed, self.changed = self.changed, []
        unique = {id(alert): alert for alert in changed}
        return [replace(alert) for alert in unique.values()]

    @staticmethod
    def _lifecycle_event(alert: Alert, now_s: float, kind: str, **details: object) -> Event:
        raised = alert.event
        return Event(
            time_s=now_s,
            kind=kind,
            mmsi=raised.mmsi,
            name=raised.name,
            lat=raised.lat,
            lon=raised.lon,
            details={"alert": alert.kind, "alert_id": alert.id, "zone": alert.zone, **details},
        )


TITLES = {
    "cpa": "Close quarters",
    "anchor_drag": "Anchor drag",
    "unauthorised_anchoring": "Anchored outside anchorages",
    "congestion": "Anchorage congested",
    "speeding": "Speeding",
    "restricted_entry": "Restricted area entered",
    "long_wait": "Long wait at anchor",
}
"""What an operator calls each kind of alert."""


def figure_text(alert: Alert, now_s: float | None = None) -> str:
    """The figure that raised ``alert`` as an operator reads it: CPA and TCPA (the
    TCPA counted down to ``now_s``), the drift, the speed against the limit, the wait."""
    details = alert.event.details or {}
    if alert.kind == "cpa":
        cpa_m, tcpa_s = details.get("cpa_m"), details.get("tcpa_s")
        if cpa_m is None:
            return ""
        if tcpa_s is not None and now_s is not None:
            tcpa_s = tcpa_s - (now_s - alert.event.time_s)
        tcpa = "" if tcpa_s is None else f", TCPA {_minutes(tcpa_s)}"
        return f"CPA {cpa_m / 1852:.2f} NM ({cpa_m:.0f} m){tcpa}"
    if alert.kind == "anchor_drag":
        drift, radius = details.get("drift_m"), details.get("radius_m")
        beyond = "" if radius is None else f" (swing circle {radius:.0f} m)"
        return "" if drift is None else f"drift {drift:.0f} m{beyond}"
    if alert.kind == "speeding":
        sog, limit = details.get("sog_kn"), details.get("limit_kn")
        return "" if sog is None else f"{sog:.1f} kn, limit {limit:g} kn"
    if alert.kind == "long_wait":
        wait = details.get("wait_s")
        if now_s is not None and wait is not None:
            wait = wait + max(0.0, now_s - alert.event.time_s)
        limit = details.get("max_wait_h")
        return "" if wait is None else f"waiting {wait / 3600:.1f} h (limit {limit:g} h)"
    if alert.kind == "congestion":
        return f"{details.get('occupied', '?')} of {details.get('capacity', '?')} places"
    return ""


def _minutes(seconds: float) -> str:
    if seconds < 0:
        return "passed"
    return f"{seconds / 60:.1f} min"


def vessels_of(alert: Alert) -> tuple[int, ...]:
    """The vessels of an alert: one, two for close quarters, none for congestion."""
    return tuple(m for m in (alert.mmsi, alert.other_mmsi) if m is not None)
