"""The engine: lines in; vessels, events and history out.

Sources put lines on one bounded queue; one worker thread decodes them, drops
receivers' copies, updates the fleet and hands rows to the history writer
about once a second. ``feed`` runs the same steps synchronously (tests, bulk
import). The data clock drives everything, so a replay gives what live gave.
"""

from __future__ import annotations

import itertools
import logging
import math
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from types import MappingProxyType
from typing import TYPE_CHECKING

from portwatch.analytics import PortAnalytics, WatchSettings
from portwatch.decoders.records import Record
from portwatch.decoders.stats import DecodeStats
from portwatch.decoders.stream import StreamDecoder
from portwatch.events import Event, RecentEvents
from portwatch.fleet import Fleet
from portwatch.history.rows import vessel_row
from portwatch.history.sink import HistoryBatch, HistorySink
from portwatch.replay_clock import ReplayClock
from portwatch.settings import FleetSettings
from portwatch.snapshot import EngineCounters, EngineSnapshot
from portwatch.sources.content import with_content
from portwatch.sources.dedupe import DuplicateFilter
from portwatch.sources.factory import open_source
from portwatch.sources.queue import LineQueue, ReceivedLine
from portwatch.sources.urls import REPLAY_KINDS, SourceUrl, parse_source_url

if TYPE_CHECKING:
    from portwatch.analytics.alerts import Alert
    from portwatch.history.store import HistoryStore
    from portwatch.port.port_file import Port
    from portwatch.sources.base import SourceStatus, StreamSource
    from portwatch.sources.replay import FileReplaySource
    from portwatch.vessel import VesselState

HANDOVER_EVERY_S = 1.0
"""Rows go to the history writer at most about this far apart (wall-clock)."""
HANDOVER_MAX_FIXES = 200_000
"""...or sooner when this many fixes are waiting (a replay at full speed)."""
HANDOVER_FIRST_FIXES = 10_000
"""``hand_over_by_size``: the first batch's fixes (then twice as many each time)..."""
HANDOVER_MOST_FIXES = 50_000
"""...up to this many: at the end of an import the writer still has the last batch or
two to write (about 0.2 s each at this size on the national benchmark feed), and
a bigger batch saves less than that."""
WALL_CLOCK_BEHIND_S = 86_400.0
"""Live data whose times run more than this ahead of this machine's clock say that
the clock is not set (a box without a battery-backed clock, no time server yet):
said once, never a reason to drop the data, which keeps its own clock."""
IDLE_WAIT_S = 0.2
"""The worker looks this often at a silent feed (the live clock, the handover)."""
RATE_WINDOW_S = 10.0
"""Messages per second are counted over this much wall-clock time."""
FEED_CHUNK_MESSAGES = 4096
"""``feed`` takes the lock once per this many messages, so snapshots get a turn."""
WATCHED_S = 2.0
"""While snapshots were asked for this recently, the worker keeps the vessels' views
built as it goes, so that the window's thread does not build them."""
WINDOW_TURN_MOST_S = 0.05
"""The worker waits for a window's redraw (``window_turn``) once per redraw and at most
this long (a redraw takes 20-30 ms at 20,000 vessels): a slow window, or one that
stopped answering, does not hold the engine back."""
LOCKED_CHUNK_LINES = 64
"""The live worker applies this many lines per hold of the lock: about 5 ms at
2,000 msg/s beside the window, against 100 ms and more for a whole batch."""

log = logging.getLogger(__name__)


class Engine:
    """One port's live picture: ``feed`` it lines, or ``add_source`` and ``start``.

    ``history`` (optional, any ``HistorySink``) receives every accepted fix,
    static-data change, event and port call. ``on_event`` is called with each
    event, in the engine's thread, at each handover. With ``clock_follows_receive_time``
    (live sources only) the data clock also advances with the receive time
    while the feed is silent, so that targets of a dead feed go lost. Without
    ``trails`` (a bulk import) no vessel keeps a trail.
    """

    def __init__(
        self,
        history: HistorySink | None = None,
        settings: FleetSettings | None = None,
        on_event: Callable[[Event], None] | None = None,
        clock_follows_receive_time: bool = False,
        queue_lines: int = 100_000,
        port: Port | None = None,
        watch_settings: WatchSettings | None = None,
        trails: bool = True,
    ) -> None:
        self.port = port
        self.trails = trails
        self.watch_settings = watch_settings
        self.analytics: PortAnalytics | None = None
        self.fleet = self._new_fleet(settings)
        self.history = history
        self.on_event = on_event
        self.on_acknowledge: Callable[[Alert], None] | None = None
        """Called (outside the engine's lock) with each alert acknowledged here."""
        self.relay: Callable[[ReceivedLine], None] | None = None
        """Called with each line accepted from a source (after the duplicate filter),
        in the worker's thread: the centre's relay."""
        self.clock_follows_receive_time = clock_follows_receive_time
        self.queue = LineQueue(queue_lines)
        self.duplicates = DuplicateFilter()
        """Receivers' copies of a live line, told apart by receive time (see ``_ingest``)."""
        self.sources: list[StreamSource | FileReplaySource] = []
        self._decoders: dict[str, StreamDecoder] = {}
        self._last_time_s: dict[str, float] = {}
        self._logs: set[str] = set()
        """Recorded inputs (replayed logs, and whatever ``feed`` is given): their lines
        carry no receive time, so their untimed messages take the time before them."""
        self._live_clock: tuple[float, float] | None = None
        """(data time, ``time.monotonic()``) when live data last set the clock: a silent
        feed ages on its own clock from there, whatever this machine's clock says."""
        self._ahead_of_wall_clock_s: dict[str, float] = {}
        """Live inputs whose data times run more than ``WALL_CLOCK_BEHIND_S`` ahead of
        their receive times, by how much (see ``_clock_note``)."""
        self._clock_noted: set[str] = set()
        """Inputs already logged as far ahead of this machine's clock: said once."""
        self._simulated: set[str] = set()
        """Simulators: faster than real time they run ahead of this machine's clock
        on purpose, which says nothing about the clock."""
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._worker: threading.Thread | None = None
        self._handed_over_at = time.monotonic()
        self._handover_every_s = HANDOVER_EVERY_S
        self._handover_fixes = self._handover_most_fixes = HANDOVER_MAX_FIXES
        self._rate: deque[tuple[float, int]] = deque()
        self._snapshot: EngineSnapshot | None = None
        self._snapshot_revision = -1
        self._version = 0
        self._watched_at = -math.inf
        """``time.monotonic()`` of the last snapshot (see ``WATCHED_S``)."""
        self._snapshot_wanted = False
        """``latest_snapshot`` found the engine busy: the worker takes one when done."""
        self._no_window_turn = threading.Event()
        """Clear while a window redraws (``window_turn``): the worker waits for it."""
        self._no_window_turn.set()
        self._window_turns = 0
        """Redraws begun (``window_turn``); the worker waits once for each."""
        self.worker_error: str | None = None
        self.reached_until = False
        """The last ``feed`` stopped at a message after its ``until_s``."""
        self.recent_events = RecentEvents()
        """The latest events, numbered, for the window's event log (``events_after``)."""

    def _new_fleet(self, settings: FleetSettings | None) -> Fleet:
        """A fresh live picture, with the port's analytics watching it when there is a port."""
        fleet = Fleet(settings, trails=self.trails)
        if self.port is not None:
            analytics = self.analytics = PortAnalytics(self.port, self.watch_settings)

            def watch(now_s: float) -> None:
                fleet.output.events.extend(analytics.run(fleet.vessels, now_s))
                fleet.clock_due_s = analytics.next_pass_s or math.inf

            fleet.on_clock = watch
            fleet.clock_due_s = -math.inf
        return fleet

    def hand_over_by_size(
        self, first_fixes: int = HANDOVER_FIRST_FIXES, most_fixes: int = HANDOVER_MOST_FIXES
    ) -> None:
        """Hand rows to history by the number of fixes, not by the second (a bulk
        import, which no one watches live): ``first_fixes`` first, so the first rows
        are in the database at once, then twice as many each time up to
        ``most_fixes``. The batches then no longer depend on how fast the machine
        is, and each brings a vessel's new rows to the writer many at a time (its
        ``vessels`` row written once a batch), while the last, which the import
        waits for at its end, stays short."""
        self._handover_every_s = math.inf
        self._handover_fixes = first_fixes
        self._handover_most_fixes = most_fixes

    def acknowledge(self, alert_id: int, by: str, snooze_s: float | None = None) -> bool:
        """An operator ``by`` acknowledged (or snoozed for ``snooze_s``) alert
        ``alert_id``; False when it is no longer open. The ``alert_ack`` event goes to
        history and the listeners like any other, and the alert as acknowledged to
        ``on_acknowledge`` (a centre's other workstations)."""
        with self._lock:
            if self.analytics is None or self.fleet.now_s is None:
                return False
            event = self.analytics.acknowledge(alert_id, self.fleet.now_s, by, snooze_s)
            if event is None:
                return False
            self.fleet.output.events.append(event)
            self.fleet.revision += 1
            alert = self.analytics.alerts.find(alert_id)
            shared = None if alert is None else replace(alert)
        if shared is not None and self.on_acknowledge is not None:
            self.on_acknowledge(shared)
        return True

    def apply_acknowledgement(
        self, alert_id: int, by: str, acknowledged_s: float, snoozed_until_s: float | None
    ) -> bool:
        """Take over an acknowledgement made on another workstation, as it was made
        there (same data time, same snooze); it is not passed on again. False when
        no open alert here has that id."""
        with self._lock:
            if self.analytics is None:
                return False
            applied = self.analytics.apply_acknowledgement(
                alert_id, acknowledged_s, by, snoozed_until_s
            )
            if applied is None:
                return False
            self.fleet.revision += 1
            return True

    def restore(self, store: HistoryStore) -> int:
        """Rebuild the live picture from history (restart continuity); returns the
        number of vessels put back."""
        from portwatch.history.continuity import restore_live_picture

        with self._lock:
            if self.analytics is not None:  # first: the picture's first pass uses it
                from portwatch.history.watch_history import WatchHistory

                self.analytics.restore(WatchHistory(store))
            restored = restore_live_picture(store, self.fleet)
            if self.analytics is not None and not restored:
                self.analytics.quiet_first_pass = False  # nobody back: every entry is news
            return restored

    def add_source(
        self, url: str | SourceUrl, replay_clock: ReplayClock | None = None
    ) -> StreamSource | FileReplaySource:
        """Open a source by URL; started at once when the engine is running. A
        ``file://`` log plays on ``replay_clock`` when given, else as fast as it can."""
        parsed = parse_source_url(url) if isinstance(url, str) else url
        source = open_source(parsed, self.queue, replay_clock=replay_clock)
        # A receiver added live takes no lock: the operator's click must not wait out
        # an analytics pass. Replays and simulations change how the picture is made.
        if parsed.kind in REPLAY_KINDS:
            with self._lock:
                self._logs.add(source.name)
                # A seek in a replay starts the picture again from the stretch before it.
                source.on_rewind = self.reset_picture  # type: ignore[union-attr]
                source.lookback_s = self.fleet.settings.picture_memory_s  # type: ignore[union-attr]
        elif parsed.kind == "sim":
            with self._lock:
                self._simulated.add(source.name)
        self.sources = [*self.sources, source]  # replaced, not changed: snapshots iterate it
        if self._worker is not None:
            source.start()
        return source

    def remove_source(self, name: str) -> bool:
        """Stop and forget the source called ``name`` (its URL); False when none is.
        What it already delivered stays in the picture and the history."""
        leaving = [source for source in self.sources if source.name == name]
        self.sources = [source for source in self.sources if source.name != name]
        for source in leaving:
            source.stop(timeout_s=0.0)  # it ends within a second; the window must not wait
        return bool(leaving)

    def reset_picture(self, known: Iterable[VesselState] = ()) -> None:
        """Forget the live picture (vessels, clock, half-assembled messages) and the
        lines waiting for it, for a replay that seeks: it sends the stretch before
        the time sought again. ``known`` are vessels heard before that stretch, with
        their static data as it stood then: out of the picture, but when heard
        again they come back with their names, as they would have. History already
        written stays."""
        with self._lock:
            self.queue.clear()  # a new generation: the worker drops lines taken before
            self.fleet = self._new_fleet(self.fleet.settings)
            for state in known:
                self.fleet.restore_absent(state)
            self._decoders.clear()
            self._last_time_s.clear()
            self._live_clock = None
            self.duplicates = DuplicateFilter()
            self._snapshot = None  # the next snapshot is built from the new picture

    def feed(
        self, lines: Iterable[bytes | str], source: str = "-", until_s: float | None = None
    ) -> int:
        """Decode and apply ``lines`` of one recorded input now, in this thread (bulk
        import, tests); returns the messages applied.

        The same steps and rules as the worker's (``_apply_records``), with the
        lines decoded a batch at a time, which is what makes an import fast. A
        message without a time of its own takes the last time seen on the same
        input; before any, it is counted as untimed and skipped. With ``until_s``,
        feeding stops at the first message timed after it (a replay paused there:
        the picture as it stood then), and ``reached_until`` says so.
        """
        with self._lock:
            self._logs.add(source)
            decoder = self.decoder(source)
        self.reached_until = False
        applied = 0
        pending: list[Record] = []
        for records in decoder.iter_messages(lines):
            if until_s is not None and any(
                r.time_s is not None and r.time_s > until_s for r in records
            ):
                pending.extend(
                    r
                    for r in itertools.takewhile(
                        lambda r: r.time_s is None or r.time_s <= until_s, records
                    )
                )
                self.reached_until = True
                break
            pending.extend(records)
            if len(pending) >= FEED_CHUNK_MESSAGES:
                applied += self._apply_chunk(pending, source)
                pending = []
        return applied + self._apply_chunk(pending, source)

    def _apply_chunk(self, records: list[Record], source: str) -> int:
        """Apply decoded records of one recorded input under the lock (a snapshot
        waits for one chunk at most) and hand over what is due."""
        with self._lock:
            applied = self._apply_records(records, source, None)
            self.fleet.start_clock()  # fewer reports than it waits for: start anyway
            self._count_rate(applied)
            output = self._take_output(force=False)
        self._deliver(output)  # outside the lock: snapshots never wait on SQLite
        return applied

    def finish_input(self, source: str = "-") -> None:
        """End of one input: its fragments still waiting are orphans, and reports
        still held back as too far ahead were never confirmed; the analytics look at
        what came since their last pass (the end of a log is not left unanalysed)."""
        with self._lock:
            decoder = self._decoders.get(source)
            if decoder is not None:
                decoder.finish()
            self.fleet.start_clock()
            self.fleet.drop_held()
            fleet, analytics = self.fleet, self.analytics
            if (
                analytics is not None
                and fleet.now_s is not None
                and (analytics.last_pass_s is None or fleet.now_s > analytics.last_pass_s)
            ):
                fleet.output.events.extend(analytics.run(fleet.vessels, fleet.now_s))
                fleet.clock_due_s = analytics.next_pass_s or math.inf

    def start(self) -> None:
        """Start the sources and the worker thread."""
        if self._worker is not None:
            return
        self._worker = threading.Thread(target=self._work, name="engine", daemon=True)
        self._worker.start()
        for source in self.sources:
            source.start()

    def stop(self) -> None:
        """Stop the sources, apply everything they queued, and stop the worker."""
        for source in self.sources:
            source.stop()
        self._stopping.set()
        if self._worker is not None:
            self._worker.join()

    def flush(self) -> bool:
        """Hand everything over to history now and write it; False when the history
        could not write it all (the status says why)."""
        with self._lock:
            output = self._take_output(force=True)
        self._deliver(output)
        return True if self.history is None else self.history.flush()

    def close(self) -> None:
        """Stop, write everything out, close the history. A replayed log played to its
        end is finished as ``feed``'s caller finishes one (``finish_input``), so
        ``run`` gives a log the events ``import`` and ``analyze`` give it."""
        self.stop()
        for source in self.sources:
            if source.name in self._logs and getattr(source, "state", None) == "finished":
                self.finish_input(source.name)
        with self._lock:
            self.fleet.start_clock()
            self.fleet.drop_held()
            if self.analytics is not None and self.fleet.now_s is not None:
                self.analytics.keep_learnt(self.fleet.now_s)  # what this run taught
        self.flush()
        if self.history is not None:
            self.history.close()

    @property
    def sources_done(self) -> bool:
        return bool(self.sources) and all(source.done for source in self.sources)

    def snapshot(self) -> EngineSnapshot:
        """The current picture; cheap when nothing changed since the last call."""
        with self._lock:
            self._watched_at = time.monotonic()
            return self._take_snapshot()

    def latest_snapshot(self) -> EngineSnapshot:
        """The current picture when the engine is free, else at once the last one taken:
        for the window's thread, which must never wait on the engine. An analytics
        pass over a dense crowd holds the engine for a second or more (20,000
        vessels in one approach: thousands of close-quarters pairs), and a window
        waiting for it is a frozen window. When the engine is busy, the worker takes
        a fresh snapshot at the end of what it is doing, for the next call."""
        self._watched_at = time.monotonic()
        if not self._lock.acquire(blocking=False):
            if self._snapshot is not None:
                self._snapshot_wanted = True
                return self._snapshot
            self._lock.acquire()  # the very first: there is nothing yet to show instead
        try:
            analytics = self.analytics
            if (
                self._snapshot is not None
                and analytics is not None
                and not analytics.view_made
                and self._worker is not None
                and self._worker.is_alive()
            ):
                # A pass just ended: its view (half a second over a crowd's alerts) is
                # made by the worker, not in the window's turn.
                self._snapshot_wanted = True
                return self._snapshot
            return self._take_snapshot()
        finally:
            self._lock.release()

    @contextmanager
    def window_turn(self) -> Iterator[None]:
        """While a window redraws, the worker waits before its next chunk of lines.

        The window and the worker share one interpreter: both busy, they take turns
        of a few milliseconds, so a redraw of 20 ms CPU kept the window from
        answering for 40 (and a redraw's worst for twice its worst). The worker
        loses what the redraws take (a few percent of its time at four a second);
        it waits once per redraw and at most ``WINDOW_TURN_MOST_S``."""
        self._window_turns += 1
        self._no_window_turn.clear()
        try:
            yield
        finally:
            self._no_window_turn.set()

    def _take_snapshot(self) -> EngineSnapshot:
        """The current picture (under the lock), kept as the last one taken."""
        self._snapshot_wanted = False
        fleet = self.fleet
        if self._snapshot is None or fleet.revision != self._snapshot_revision:
            self._version += 1
            self._snapshot_revision = fleet.revision
            vessels = fleet.views()
            own = fleet.own_ship.view() if fleet.own_ship is not None else None
            lost = fleet.lost_in_views
        else:
            vessels, own = self._snapshot.vessels, self._snapshot.own_ship
            lost = self._snapshot.lost_count
        self._snapshot = EngineSnapshot(
            lost_count=lost,
            version=self._version,
            error=self.worker_error,
            clock_note=self._clock_note(),
            data_time_s=fleet.now_s,
            vessels=vessels,
            own_ship=own,
            counters=self._counters(),
            sources=tuple(self._source_status(source) for source in self.sources),
            history=self.history.status() if self.history is not None else None,
            watch=self.analytics.view(fleet.now_s) if self.analytics is not None else None,
        )
        return self._snapshot

    def events_after(self, number: int, wait: bool = True) -> tuple[int, list[Event]]:
        """The events handed over since event ``number`` (0: all still kept), and the
        newest number; cheap, so the event log may ask every second. Without
        ``wait`` (the window's thread), a busy engine gives ``number`` and none: the
        next call takes them."""
        if not self._lock.acquire(blocking=wait):
            return number, []
        try:
            return self.recent_events.after(number)
        finally:
            self._lock.release()

    def source_statuses(self) -> tuple[SourceStatus, ...]:
        """Every source's status now, without the engine's lock: for the Sources panel
        right after the operator adds, disconnects or removes one, which must not wait
        out an analytics pass. A status is a few counters a worker's batch may be
        updating; a figure one batch old is as true for the panel."""
        return tuple(self._source_status(source) for source in list(self.sources))

    def _source_status(self, source: StreamSource | FileReplaySource) -> SourceStatus:
        """A source's status, saying when the lines it reads are not AIS."""
        decoder = self._decoders.get(source.name)
        return with_content(source.status(), decoder.stats if decoder is not None else None)

    def _counters(self) -> EngineCounters:
        stats = [decoder.stats for decoder in self._decoders.values()]
        failures: Counter[str] = Counter()
        for one in stats:
            failures.update(one.failures())  # every kind, unsupported types and defects too
        counters = self.fleet.counters
        now = time.monotonic()
        rate = sum(n for t, n in self._rate if now - t <= RATE_WINDOW_S) / RATE_WINDOW_S
        return EngineCounters(
            lines=sum(s.lines for s in stats),
            messages=counters.messages,
            decode_failures=sum(failures.values()),
            decode_failures_by_kind=MappingProxyType(
                dict.fromkeys(DecodeStats().failures(), 0) | failures
            ),
            duplicate_lines=sum(self.duplicates.duplicates.values()),
            duplicate_fixes=counters.duplicates,
            fixes_accepted=counters.fixes_accepted,
            fixes_rejected=sum(counters.fixes_rejected.values()),
            late_fixes=counters.late_fixes,
            untimed=counters.untimed,
            bad_times=counters.bad_times,
            queue_dropped=sum(self.queue.dropped.values()),
            messages_per_s=rate,
        )

    def decode_stats(self) -> dict[str, StreamDecoder]:
        """The decoder of each input, with its statistics."""
        return dict(self._decoders)

    def decoder(self, source: str) -> StreamDecoder:
        """The decoder of input ``source`` (one per input: fragments wait per input)."""
        decoder = self._decoders.get(source)
        if decoder is None:
            decoder = self._decoders[source] = StreamDecoder(source)
        return decoder

    def _work(self) -> None:
        waited = 0  # the redraws the worker has waited for (``_wait_for_window``)
        try:
            while True:
                generation, batch = self.queue.take(timeout_s=IDLE_WAIT_S)
                applied = 0
                # A chunk at a time under the lock: a snapshot (the window's refresh)
                # waits for one chunk, a few milliseconds, never for a whole batch.
                for first in range(0, len(batch), LOCKED_CHUNK_LINES):
                    waited = self._wait_for_window(waited)
                    with self._lock:
                        if generation != self.queue.generation:
                            batch = []  # taken before the picture was reset: from the old place
                            break
                        for item in batch[first : first + LOCKED_CHUNK_LINES]:
                            applied += self._ingest(item)
                with self._lock:
                    if batch:
                        self.fleet.start_clock()
                        if time.monotonic() - self._watched_at < WATCHED_S:
                            self.fleet.refresh_views()
                            if self.analytics is not None:  # made here, not in the window's turn
                                self.analytics.view(self.fleet.now_s)
                    if self._snapshot_wanted:  # the window found the engine busy
                        self._take_snapshot()
                    self._count_rate(applied)
                    if self.clock_follows_receive_time and self._live_clock is not None:
                        # Live input: its clock runs on while the feed is silent.
                        data_time_s, at_s = self._live_clock
                        self.fleet.advance(data_time_s + time.monotonic() - at_s)
                    output = self._take_output(force=False)
                if output is not None:  # history's writes wait for a redraw too
                    waited = self._wait_for_window(waited)
                self._deliver(output)  # outside the lock: snapshots never wait on SQLite
                if not batch and self._stopping.is_set():
                    return
        except Exception as error:  # a defect of ours: say so in the status, do not die silently
            self.worker_error = f"{type(error).__name__}: {error}"
            raise

    def _wait_for_window(self, waited: int) -> int:
        """Let a redraw begun since redraw ``waited`` finish (or ``WINDOW_TURN_MOST_S``
        pass); returns the redraws begun so far."""
        turns = self._window_turns
        if turns != waited and not self._no_window_turn.is_set():
            self._no_window_turn.wait(WINDOW_TURN_MOST_S)
        return turns

    def _ingest(self, item: ReceivedLine) -> int:
        """One line from a source, under the lock: a live receiver's copy of a line
        just heard is dropped (by receive time, which only live lines have; in a
        log the fleet still finds copies on the data clock, as for ``feed``), the
        rest decoded and applied. Returns the messages applied."""
        if item.source not in self._logs and not self.duplicates.accept(item):
            return 0
        if self.relay is not None:
            self.relay(item)
        records = self.decoder(item.source).decode_line(item.line)
        return self._apply_records(records, item.source, item.received_at_s) if records else 0

    def _apply_records(
        self, records: Sequence[Record], source: str, received_at_s: float | None
    ) -> int:
        """Apply the records of one input to the fleet (under the lock): the one rule
        for every way in, live, replayed or fed. Returns how many were applied.

        A message without a time of its own takes, on a recorded input, the last
        time seen on it (untimed before any), and on a live input the time it
        was received. Live data that the clock takes also sets the live clock,
        and says when this machine's clock is far behind the data.
        """
        fleet = self.fleet
        update = fleet.update
        live = source not in self._logs
        # The time an untimed message takes: live, when it came; recorded, the last.
        last_s = received_at_s if live else self._last_time_s.get(source)
        applied = 0
        timed_s: float | None = None  # a live message's own time
        for record in records:
            time_s = record.time_s
            if time_s is None:
                if last_s is None:
                    fleet.counters.untimed += 1
                    continue
                time_s = last_s
            elif live:
                timed_s = time_s
            else:
                last_s = time_s
            update(record, time_s)
            applied += 1
        if not live:
            if last_s is not None:
                self._last_time_s[source] = last_s
        elif applied:
            clock_s = last_s if timed_s is None else timed_s
            if clock_s is not None and fleet.in_step(clock_s):
                # Only a time the clock took (not one held back as far ahead) moves it.
                self._live_clock = (clock_s, time.monotonic())
                if (
                    timed_s is not None
                    and received_at_s is not None
                    and source not in self._simulated
                ):
                    self._compare_with_wall_clock(source, timed_s - received_at_s)
        return applied

    def _compare_with_wall_clock(self, source: str, ahead_s: float) -> None:
        """Note (and log, once per input) live data far ahead of this machine's
        clock; nothing is dropped for it: the data keep their own clock."""
        if ahead_s <= WALL_CLOCK_BEHIND_S:
            self._ahead_of_wall_clock_s.pop(source, None)
            return
        self._ahead_of_wall_clock_s[source] = ahead_s
        if source not in self._clock_noted:
            self._clock_noted.add(source)
            log.warning("%s", _clock_note_text(source, ahead_s))

    def _clock_note(self) -> str | None:
        """What to tell the operator (under the lock) when live data run far ahead of
        this machine's clock (it is probably not set); None when they do not."""
        ahead = self._ahead_of_wall_clock_s
        if not ahead:
            return None
        source, ahead_s = max(ahead.items(), key=lambda item: item[1])
        return _clock_note_text(source, ahead_s)

    def _count_rate(self, messages: int) -> None:
        now = time.monotonic()
        rate = self._rate
        rate.append((now, messages))
        while rate and now - rate[0][0] > RATE_WINDOW_S:
            rate.popleft()

    def _take_output(self, force: bool) -> tuple[list[Event], HistoryBatch | None] | None:
        """What the fleet produced, once a second (or ``HANDOVER_MAX_FIXES``), as
        events for the listener and a batch for history; taken under the lock."""
        fleet = self.fleet
        if not force and (
            time.monotonic() - self._handed_over_at < self._handover_every_s
            and len(fleet.output.fixes) < self._handover_fixes
        ):
            return None
        self._handed_over_at = time.monotonic()
        self._handover_fixes = min(2 * self._handover_fixes, self._handover_most_fixes)
        output = fleet.drain_output()
        self.recent_events.extend(output.events)
        watch = self.analytics.drain_output() if self.analytics is not None else None
        if not output and not watch:
            return None
        batch = None
        if self.history is not None:
            rows = []
            for mmsi in output.vessels:
                state = fleet.state(mmsi)
                if state is not None:
                    rows.append(vessel_row(state))
            batch = HistoryBatch(
                fixes=output.fixes,
                static_changes=output.static_changes,
                events=output.events,
                port_calls=output.port_calls,
                vessel_rows=rows,
                data_time_s=fleet.now_s,
                watch=watch or None,
            )
        return output.events, batch

    def _deliver(self, output: tuple[list[Event], HistoryBatch | None] | None) -> None:
        """Pass taken output to the event listener and the history writer."""
        if output is None:
            return
        events, batch = output
        if self.on_event is not None:
            for event in events:
                self.on_event(event)
        if batch is not None and self.history is not None:
            self.history.submit(batch)


def _clock_note_text(source: str, ahead_s: float) -> str:
    return (
        f"the times of {source} are {ahead_s / 86_400:.1f} days ahead of this computer's "
        "clock: is the clock set? Tracking goes on by the data's own clock"
    )
