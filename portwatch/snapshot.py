"""What the engine shows the world: an immutable, versioned picture.

The UI pulls one a few times a second and redraws when ``version`` has moved;
the CLI prints its counters. Nothing in it changes after it is made, so any
thread may read it without a lock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from operator import attrgetter
from types import MappingProxyType

from portwatch.analytics.view import WatchView
from portwatch.decoders.stats import failure_text
from portwatch.history.sink import HistoryStatus
from portwatch.sources.base import SourceStatus
from portwatch.vessel import VesselView

_IS_LOST = attrgetter("lost")


@dataclass(frozen=True, slots=True)
class EngineCounters:
    lines: int
    """Lines decoded (after receivers' copies were dropped)."""
    messages: int
    """AIS messages decoded and applied."""
    decode_failures: int
    """Lines and messages the decoders could not use, every kind together (see
    ``decode_failures_by_kind``)."""
    duplicate_lines: int
    """Copies of a live line already heard through another receiver (by receive time)."""
    duplicate_fixes: int
    fixes_accepted: int
    fixes_rejected: int
    """Positions refused: out of range, at 0,0 or an impossible jump."""
    late_fixes: int
    untimed: int
    """Messages without any time (bare NMEA fed without a receive time)."""
    bad_times: int
    """Messages dropped because their time was far ahead of all the others."""
    queue_dropped: int
    """Lines the engine could not keep up with."""
    messages_per_s: float
    """Over the last ten seconds of wall-clock time."""
    decode_failures_by_kind: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    """``DecodeStats.failures`` over every input: bad checksum, malformed, orphan
    fragments, undecodable, unsupported type, defects (ours)."""

    def decode_failures_text(self) -> str:
        """``decode failures 3 (bad checksum 1, unsupported type 2)``, or ``… 0``."""
        kinds = failure_text(self.decode_failures_by_kind)
        return f"decode failures {self.decode_failures:,}" + (f" ({kinds})" if kinds else "")


@dataclass(frozen=True, slots=True)
class EngineSnapshot:
    version: int
    """Goes up whenever anything in the live picture changed."""
    data_time_s: float | None
    """The data clock: the newest data time seen."""
    vessels: Mapping[int, VesselView]
    """Every vessel in the live picture (lost ones included), by MMSI."""
    own_ship: VesselView | None
    counters: EngineCounters
    sources: tuple[SourceStatus, ...]
    history: HistoryStatus | None
    error: str | None = None
    """Set when the engine's worker has stopped on a defect: nothing is updated any more."""
    clock_note: str | None = None
    """Set while live data run far ahead of this machine's clock (it is probably not
    set): the operator should know, though tracking follows the data's clock."""
    watch: WatchView | None = None
    """The operator's watch (zones, anchorages, alerts) when the engine has a port."""
    lost_count: int | None = None
    """How many of ``vessels`` are lost, as the engine counted them while building
    them; None: counted when asked."""

    @property
    def active(self) -> int:
        return len(self.vessels) - self.lost

    @property
    def lost(self) -> int:
        if self.lost_count is not None:
            return self.lost_count
        # At C speed: the status bar asks for this several times a second.
        return sum(map(_IS_LOST, self.vessels.values()))
