"""One simulated vessel (or station) and where it is in its life."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from portwatch.port.port_file import PortFeature
from portwatch.simulator.motion import Mover
from portwatch.simulator.ships import Ship

UNDER_WAY, AT_ANCHOR, MOORED, FISHING = 0, 1, 5, 7
"""AIS navigational status codes the simulator reports."""

_STATUS_BY_PHASE = {
    "anchored": AT_ANCHOR,
    "dragging": AT_ANCHOR,  # the crew has not noticed: that is the point
    "moored": MOORED,
    "at_home": MOORED,
    "alongside": MOORED,
    "berthed": MOORED,
    "lying": AT_ANCHOR,
    "fishing": FISHING,
}


@dataclass(slots=True)
class Escort:
    """Harbour craft keeping station on a ship: ``ahead_m`` along its course and
    ``abeam_m`` to starboard (negative: astern, to port)."""

    ship_index: int
    """Index of the escorted ship's agent."""
    ahead_m: float
    abeam_m: float
    until_phase_ends: str
    """The escort ends when the ship leaves this phase ("" : after ``until_s``)."""
    until_sailed_m: float | None = None
    """...or once the ship has sailed this far along its leg (a tug seeing a ship out)."""
    alongside: bool = False
    """Within 60 m of the station: the pilot is boarding, the tug is fast."""
    last_target: tuple[float, float] | None = None


@dataclass(slots=True)
class Agent:
    """A vessel, base station or aid to navigation in the simulation."""

    ship: Ship
    phase: str
    """inbound, to_anchor, anchored, dragging, to_station, to_berth, moored, outbound,
    transit, cruising, drifting, at_marina; harbour craft: at_home, to_meet, waiting,
    escorting, returning, patrolling; ferries: alongside, crossing_out, away,
    crossing_in; stations: base, aton."""
    x: float
    y: float
    course_deg: float = 0.0
    heading_offset_deg: float = 0.0
    """Heading minus course: 180 for a ship dragging its anchor stern first."""
    mover: Mover | None = None
    time_s: float = 0.0
    until_s: float = 0.0
    station: PortFeature | None = None
    """The pilot boarding place it came in by."""
    lane: list[tuple[float, float]] = field(default_factory=list)
    berth: tuple[PortFeature, list[tuple[float, float]], tuple[float, float]] | None = None
    """Its berth, the way there from the pilot station, and its stretch of the quay."""
    anchorage: str | None = None
    """The anchorage it is bound for or lies in (its place counted there)."""
    home: tuple[float, float] | None = None
    """Where harbour craft lie between jobs."""
    escort: Escort | None = None
    escort_slot: int = 0
    """Which tug of a pair: 0 astern, 1 on the bow."""
    job: tuple[str, list[tuple[float, float]]] = ("", [])
    """A tug's job: the phase of the ship it serves (to_berth, outbound) and its channel."""
    trip: list[tuple[float, float]] = field(default_factory=list)
    """The way out of a patrol or a ferry crossing, sailed back in reverse."""
    speed_override_kn: float | None = None
    """Speed of craft moving without a ``Mover`` (escorts)."""
    eta_s: float | None = None
    """The ETA its crew has entered (and reports in type 5), right or not."""
    drag_at_s: float | None = None
    """When its anchor starts to drag (scenario)."""
    pilot_sent: bool = False
    serving: int | None = None
    """Index of the ship a pilot boat or tug is out for."""
    index: int = -1
    """Its place in the simulator's list of agents."""
    next_report_s: float = 0.0
    """When its next position report is due; an earlier event for it is stale."""
    rng: random.Random | None = None
    """Its own random stream (scenario ships), else the simulator's."""
    gone: bool = False
    sets_status: bool = True
    """Does its crew set "at anchor" and "moored"? Many leave "under way using
    engine" on, and then report every 10 s instead of every 3 min."""
    away: bool = False
    """Out of the receiver's range for now (a ferry at the island): silent."""
    fade_at_s: float | None = None
    """At the edge of a wide area's coverage: when it next passes into or out of
    range (None: always in range while it is not ``away``)."""
    out_of_range: bool = False
    """At the edge of coverage and not heard now; it sails on regardless."""

    @property
    def speed_kn(self) -> float:
        if self.speed_override_kn is not None:
            return self.speed_override_kn
        return self.mover.speed_kn if self.mover is not None else 0.0

    @property
    def nav_status(self) -> int:
        return _STATUS_BY_PHASE.get(self.phase, UNDER_WAY) if self.sets_status else UNDER_WAY

    @property
    def heading_deg(self) -> int:
        return round(self.course_deg + self.heading_offset_deg) % 360
