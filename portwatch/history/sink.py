"""The history as the engine sees it: a sink for batches, whatever writes them.

The engine hands over a ``HistoryBatch`` about once a second and shows the
sink's ``HistoryStatus``; whether the rows are written in its own thread
(``HistoryWriter``, live, to SQLite or PostgreSQL) or in a child process
(``HistoryWriterProcess``, bulk import) is the sink's business. Every writer
implements ``HistorySink``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

from portwatch.analytics.output import WatchRows
from portwatch.events import Event
from portwatch.vessel import Fix, StaticData


@dataclass(slots=True)
class HistoryBatch:
    """Everything the engine produced over about a second of work."""

    fixes: list[Fix] = field(default_factory=list)
    static_changes: list[tuple[int, float, StaticData]] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    port_calls: list[tuple[int, float, float | None, float, float]] = field(default_factory=list)
    vessel_rows: list[tuple] = field(default_factory=list)
    data_time_s: float | None = None
    watch: WatchRows | None = None
    """Rows of the operator's watch (alerts, scores, anchorage counts, …)."""

    def rows(self) -> int:
        return (
            len(self.fixes)
            + len(self.static_changes)
            + len(self.events)
            + len(self.port_calls)
            + len(self.vessel_rows)
            + (self.watch.rows() if self.watch is not None else 0)
        )


@dataclass(frozen=True, slots=True)
class HistoryStatus:
    """The history database as the status bar and the CLI show it."""

    path: str
    state: str
    """``ok``, ``error: reason (retrying)`` or ``closed``."""
    positions_written: int
    """New positions stored (a fix already in history is not stored twice)."""
    rows_written: int
    batches_written: int
    pending_rows: int
    rows_dropped: int
    """Rows given up on while the database could not be written (live mode only)."""
    last_commit_s: float | None
    """Wall-clock time of the last commit (Unix seconds)."""


@runtime_checkable
class HistorySink(Protocol):
    """Where the engine's batches go. ``submit`` and ``flush`` are called from the
    engine's thread only; ``status`` from any thread."""

    @property
    def path(self) -> Path | str:
        """Where the history is kept: the database file, or a server's URL."""

    @property
    def shown(self) -> str:
        """The database as messages name it (a server's URL without its password)."""

    @property
    def fail_fast(self) -> bool:
        """True (bulk import): a failed write raises ``HistoryError`` and nothing is
        retried. False (live): a failed write is kept and tried again while the
        engine goes on, and the status says so."""

    def submit(self, batch: HistoryBatch) -> None:
        """Take ``batch`` (written now or soon, after those before it); raises
        ``HistoryError`` when fail-fast and a write has failed, or when closed."""

    def flush(self) -> bool:
        """Write everything taken so far; False when some of it could not be written."""

    def close(self) -> None:
        """Write what is waiting (one last try) and close; a second call does nothing."""

    def status(self) -> HistoryStatus:
        """The counters and state, for the status bar and the CLI."""
