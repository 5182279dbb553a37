"""A vessel as the fleet knows it: the mutable state the engine updates, and the
immutable view a snapshot hands to the UI and the CLI.

Positions and times are in degrees and data-clock Unix seconds; "not available"
is ``None``, as in the decoded records (ITU-R M.1371-5 field meanings).

At a national feed's 20,000 vessels the interpreter's cyclic garbage collector
walks every object it tracks in a full collection, holding the window meanwhile:
instances of Python classes (named tuples too) are tracked, while plain tuples,
floats and dicts of such values are not. So what a vessel keeps in numbers
(its trail, its recent reports, the times of its last reports) is kept in those,
not in an object per point (see ``benchmarks/ui_live.py``).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, NamedTuple, overload

import numpy as np

from portwatch.geodesy import dead_reckon


class Fix(NamedTuple):
    """One accepted position report (types 1-3, 4, 9, 18, 19, 21, 27).

    Field order is the history writer's staging-row order, so a batch of fixes
    goes to SQLite as it is.
    """

    mmsi: int
    time_s: float
    lat: float
    lon: float
    sog_kn: float | None
    cog_deg: float | None
    heading_deg: int | None
    nav_status: int | None
    """Navigational status 0-14 (class A only)."""
    source: str
    """The input or receiving station the fix came from."""


make_fix: Callable[[Iterable[Any]], Fix] = partial(tuple.__new__, Fix)  # type: ignore[assignment]
"""A ``Fix`` from its fields in ``Fix``'s order (as ``Fix._make``, without its
Python-level call): the fleet makes one for every accepted position and the
history store for every fix it reads back. Against ``Fix(...)`` and
``Fix._make``, it saves 6 % of an import's CPU time (1.683 s against 1.788 s)
and 4 % of a track read (1.695 ms against 1.757 ms for 1,434 fixes), medians of
five interleaved runs of benchmarks/ingest.py's import and track read."""


class TrailPoint(NamedTuple):
    time_s: float
    lat: float
    lon: float


class Trail(Sequence[TrailPoint]):
    """A vessel's recent positions, oldest first, as one read-only float array
    (``points``: rows of time, lat, lon) that reads as a sequence of ``TrailPoint``s.

    One numpy array instead of a tuple of point objects: the collector does not
    track it (a tuple of named tuples is ~180 tracked objects per vessel at AIS
    rates), and the map projects all trails with a few numpy calls.
    """

    __slots__ = ("points",)

    def __init__(self, points: Iterable[Iterable[float]] | np.ndarray = ()) -> None:
        rows = np.array(points, dtype=np.float64).reshape(-1, 3)
        rows.flags.writeable = False
        self.points = rows

    @classmethod
    def from_flat(cls, values: array) -> Trail:
        """A copy of ``time, lat, lon, time, lat, lon, …`` (a ``VesselState.trail``)."""
        trail = cls.__new__(cls)
        rows = np.frombuffer(values, dtype=np.float64).reshape(-1, 3).copy()
        rows.flags.writeable = False
        trail.points = rows
        return trail

    def __len__(self) -> int:
        return len(self.points)

    @overload
    def __getitem__(self, index: int) -> TrailPoint: ...

    @overload
    def __getitem__(self, index: slice) -> Trail: ...

    def __getitem__(self, index: int | slice) -> TrailPoint | Trail:
        if isinstance(index, slice):
            return Trail(self.points[index])
        return TrailPoint(*self.points[index].tolist())

    def __iter__(self) -> Iterator[TrailPoint]:
        return (TrailPoint(*row) for row in self.points.tolist())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Trail):
            return np.array_equal(self.points, other.points)
        if isinstance(other, Sequence):
            return list(self) == [tuple(point) for point in other]
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Trail({self.points.tolist()!r})"


NO_TRAIL = Trail()


@dataclass(frozen=True, slots=True)
class StaticData:
    """Static and voyage data as last reported (types 5, 19, 24 A and B, 21's name)."""

    name: str | None = None
    callsign: str | None = None
    imo: int | None = None
    ship_type: int | None = None
    """Type of ship and cargo, 1-99."""
    to_bow_m: int | None = None
    to_stern_m: int | None = None
    to_port_m: int | None = None
    to_starboard_m: int | None = None
    """Antenna position: distances to the hull's ends and sides (M.1371-5 Fig. 42)."""
    draught_m: float | None = None
    destination: str | None = None
    eta_reported_s: float | None = None
    """The ETA the ship itself reports (type 5), as a full UTC time."""

    @property
    def length_m(self) -> int | None:
        if self.to_bow_m is None or self.to_stern_m is None:
            return None
        return self.to_bow_m + self.to_stern_m or None

    @property
    def beam_m(self) -> int | None:
        if self.to_port_m is None or self.to_starboard_m is None:
            return None
        return self.to_port_m + self.to_starboard_m or None


NO_STATIC = StaticData()


@dataclass(frozen=True, slots=True)
class VesselView:
    """An immutable picture of one vessel at a snapshot: safe to read from any thread."""

    mmsi: int
    kind: str
    """One of ``portwatch.vessel_kinds.ALL_KINDS``."""
    static: StaticData
    fix: Fix | None
    """The last accepted position, None until one is heard."""
    first_seen_s: float
    last_heard_s: float
    """Data time of the last message of any type."""
    lost: bool
    """Silent for longer than its reporting interval allows."""
    trail: Trail
    """Recent positions, oldest first, thinned (see ``FleetSettings``); any
    sequence of ``TrailPoint``s given is taken as a ``Trail``."""
    last_report_s: Mapping[int, float]
    """Data time of the last message of each AIS message type: a copy made for
    this view (a dict of numbers, which the collector does not track), never changed."""
    rejected_fixes: int
    """Positions refused as impossible (out of range, 0,0, implausible jump)."""
    messages: int
    virtual_aid: bool = False
    """Aid to navigation that exists only as a broadcast (type 21 flag)."""
    off_position: bool = False
    """Floating aid to navigation reporting itself off station."""
    altitude_m: int | None = None
    """SAR aircraft altitude."""
    port_call_since_s: float | None = None
    """Moored since this data time; None when not on a port call."""

    def __post_init__(self) -> None:
        if type(self.trail) is not Trail:
            object.__setattr__(self, "trail", Trail(self.trail))

    def predicted_position(self, at_s: float, max_s: float = 600.0) -> tuple[float, float] | None:
        """Where the vessel should be at ``at_s``, dead-reckoned from its last fix
        for at most ``max_s`` (for smooth display between reports)."""
        fix = self.fix
        if fix is None:
            return None
        elapsed_s = min(max(0.0, at_s - fix.time_s), max_s)
        if not elapsed_s or not fix.sog_kn or fix.cog_deg is None:
            return fix.lat, fix.lon
        return dead_reckon(fix.lat, fix.lon, fix.sog_kn, fix.cog_deg, elapsed_s)


RECENT_REPORTS = 4
"""Accepted fixes a vessel remembers to tell a second receiver's copy from news."""


@dataclass(slots=True)
class VesselState:
    """The fleet's working state for one MMSI; only the engine's thread touches it."""

    mmsi: int
    kind: str
    first_seen_s: float
    last_heard_s: float
    static: StaticData = NO_STATIC
    static_s: float = float("-inf")
    """Data time of the last change applied to ``static``."""
    fix: Fix | None = None
    lost: bool = False
    messages: int = 0
    rejected_fixes: int = 0
    trail: array = field(default_factory=lambda: array("d"))
    """Recent positions, oldest first, flat: ``time_s, lat, lon, time_s, lat, lon, …``
    in one array of doubles: one object to the collector, with nothing inside to
    walk (a list of floats it would walk, a point object each it would track)."""
    last_report_s: dict[int, float] = field(default_factory=dict)
    recent_reports: tuple[tuple[float, tuple], ...] = ()
    """(time, report content) of the last ``RECENT_REPORTS`` accepted fixes, to spot
    receivers' copies; a plain tuple of plain tuples, which the collector does not track."""
    suspects: tuple[Fix, ...] = ()
    """Rejected jumps in a row; enough that agree move the vessel (see FleetSettings)."""
    armed_s: float = float("-inf")
    """Due time of the vessel's live entry in the fleet's deadline heap."""
    late_fix: Fix | None = None
    """The last fix accepted for history that was older than ``fix`` (replayed logs)."""
    virtual_aid: bool = False
    off_position: bool = False
    altitude_m: int | None = None
    port_call_since_s: float | None = None
    port_call_fix: Fix | None = None

    def view(self) -> VesselView:
        return VesselView(
            mmsi=self.mmsi,
            kind=self.kind,
            static=self.static,
            fix=self.fix,
            first_seen_s=self.first_seen_s,
            last_heard_s=self.last_heard_s,
            lost=self.lost,
            trail=Trail.from_flat(self.trail) if self.trail else NO_TRAIL,
            last_report_s=dict(self.last_report_s),
            rejected_fixes=self.rejected_fixes,
            messages=self.messages,
            virtual_aid=self.virtual_aid,
            off_position=self.off_position,
            altitude_m=self.altitude_m,
            port_call_since_s=self.port_call_since_s,
        )
