"""The engine: lines in; vessels, events and history out.

Sources put lines on one bounded queue; one worker thread decodes them, drops
receivers' copies, updates the fleet and hands rows to the history writer
about once a second. ``feed`` runs the same steps synchronously (tests, bulk
import). The data clock drives everything, so a replay gives what live gave.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from portwatch.decoders.records import Record
from portwatch.decoders.stream import StreamDecoder
from portwatch.events import Event
from portwatch.fleet import Fleet
from portwatch.history.rows import vessel_row
from portwatch.history.writer import HistoryBatch, HistoryWriter
from portwatch.replay_clock import ReplayClock
from portwatch.settings import FleetSettings
from portwatch.snapshot import EngineCounters, EngineSnapshot
from portwatch.sources.dedupe import DuplicateFilter
from portwatch.sources.factory import open_source
from portwatch.sources.queue import LineQueue, ReceivedLine
from portwatch.sources.urls import REPLAY_KINDS, SourceUrl, parse_source_url

if TYPE_CHECKING:
    from portwatch.history.store import HistoryStore
    from portwatch.history.writer_process import HistoryWriterProcess
    from portwatch.sources.base import StreamSource
    from portwatch.sources.replay import FileReplaySource
    from portwatch.vessel import VesselState

HANDOVER_EVERY_S = 1.0
"""Rows go to the history writer at most about this far apart (wall-clock)."""
HANDOVER_MAX_FIXES = 200_000
"""...or sooner when this many fixes are waiting (a bulk import)."""
FUTURE_SLACK_S = 86_400.0
"""A report stamped later than this machine's clock plus a day cannot be real (a
receiver's wrong clock, a GPS week roll-over): dropped and counted, never tracked."""
IDLE_WAIT_S = 0.2
"""The worker looks this often at a silent feed (the live clock, the handover)."""
RATE_WINDOW_S = 10.0
"""Messages per second are counted over this much wall-clock time."""
FEED_CHUNK_MESSAGES = 4096
"""``feed`` takes the lock once per this many messages, so snapshots get a turn."""
LOCKED_CHUNK_LINES = 64
"""The live worker applies this many lines per hold of the lock: about 5 ms at
2,000 msg/s beside the window, against 100 ms and more for a whole batch."""


class Engine:
    """One port's live picture: ``feed`` it lines, or ``add_source`` and ``start``.

    ``history`` (optional) receives every accepted fix, static-data change,
    event and port call. ``on_event`` is called with each event, in the
    engine's thread, at each handover. With ``clock_follows_receive_time``
    (live sources only) the data clock also advances with the receive time
    while the feed is silent, so that targets of a dead feed go lost.
    """

    def __init__(
        self,
        history: HistoryWriter | HistoryWriterProcess | None = None,
        settings: FleetSettings | None = None,
        on_event: Callable[[Event], None] | None = None,
        clock_follows_receive_time: bool = False,
        queue_lines: int = 100_000,
    ) -> None:
        self.fleet = Fleet(settings)
        self.history = history
        self.on_event = on_event
        self.clock_follows_receive_time = clock_follows_receive_time
        self.queue = LineQueue(queue_lines)
        self.duplicates = DuplicateFilter()
        self.sources: list[StreamSource | FileReplaySource] = []
        self._decoders: dict[str, StreamDecoder] = {}
        self._last_time_s: dict[str, float] = {}
        self._logs: set[str] = set()
        self._simulated: set[str] = set()
        """Simulator sources: their clock runs at their own speed, ahead of ours if
        asked to, so the far-future check does not apply to them."""
        """Sources that replay a recorded log: their untimed lines follow ``feed``'s rule."""
        self._clock_offset_s: float | None = None
        """Data time minus receive time of the last timed live message: how far the
        feed's clock is from this machine's, so a silent feed ages on its own clock."""
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._worker: threading.Thread | None = None
        self._handed_over_at = time.monotonic()
        self._rate: deque[tuple[float, int]] = deque()
        self._snapshot: EngineSnapshot | None = None
        self._snapshot_revision = -1
        self._version = 0
        self.worker_error: str | None = None

    def restore(self, store: HistoryStore) -> int:
        """Rebuild the live picture from history (restart continuity); returns the
        number of vessels put back."""
        from portwatch.history.continuity import restore_live_picture

        with self._lock:
            return restore_live_picture(store, self.fleet)

    def add_source(
        self, url: str | SourceUrl, replay_clock: ReplayClock | None = None
    ) -> StreamSource | FileReplaySource:
        """Open a source by URL; started at once when the engine is running. A
        ``file://`` log plays on ``replay_clock`` when given, else as fast as it can."""
        parsed = parse_source_url(url) if isinstance(url, str) else url
        source = open_source(parsed, self.queue, replay_clock=replay_clock)
        if parsed.kind in REPLAY_KINDS:
            self._logs.add(source.name)
            # A seek in a replay starts the picture again from the stretch before it.
            source.on_rewind = self.reset_picture  # type: ignore[union-attr]
            source.lookback_s = self.fleet.settings.picture_memory_s  # type: ignore[union-attr]
        elif parsed.kind == "sim":
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
            self.fleet = Fleet(self.fleet.settings)
            for state in known:
                self.fleet.restore_absent(state)
            self._decoders.clear()
            self._last_time_s.clear()
            self._clock_offset_s = None
            self.duplicates = DuplicateFilter()
            self._snapshot = None  # the next snapshot is built from the new picture

    def feed(
        self, lines: Iterable[bytes | str], source: str = "-", received_at_s: float | None = None
    ) -> int:
        """Decode and apply ``lines`` of one input now, in this thread; returns the
        messages applied. A message without a time of its own takes the last time
        seen on the same input, else ``received_at_s``; without either it is
        counted as untimed and skipped."""
        decoder = self.decoder(source)
        applied = 0
        pending: list[Record] = []
        for records in decoder.iter_messages(lines):
            pending.extend(records)
            if len(pending) >= FEED_CHUNK_MESSAGES:
                applied += self._apply_timed(pending, source, received_at_s)
                pending = []
        applied += self._apply_timed(pending, source, received_at_s)
        self._deliver(self._take_output(force=False))
        return applied

    def _apply_timed(self, records: list[Record], source: str, received_at_s: float | None) -> int:
        """Apply records of one input under the lock, untimed ones at the input's
        last time (or ``received_at_s``); returns how many were applied."""
        applied = 0
        update = self.fleet.update
        latest_possible_s = time.time() + FUTURE_SLACK_S
        with self._lock:
            last_time = self._last_time_s.get(source, received_at_s)
            for record in records:
                time_s = record.time_s
                if time_s is None:
                    if last_time is None:
                        self.fleet.counters.untimed += 1
                        continue
                    time_s = last_time
                elif time_s > latest_possible_s:
                    self.fleet.counters.bad_times += 1  # later than now: a wrong clock
                    continue
                else:
                    last_time = time_s
                update(record, time_s)
                applied += 1
            self.fleet.start_clock()  # fewer reports than it waits for: start anyway
            if last_time is not None:
                self._last_time_s[source] = last_time
            self._count_rate(applied)
            due = self._take_output(force=False)
        self._deliver(due)
        return applied

    def finish_input(self, source: str = "-") -> None:
        """End of one input: its fragments still waiting are orphans, and reports
        still held back as too far ahead were never confirmed."""
        decoder = self._decoders.get(source)
        if decoder is not None:
            decoder.finish()
        with self._lock:
            self.fleet.start_clock()
            self.fleet.drop_held()

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
        """Stop, write everything out, close the history."""
        self.stop()
        with self._lock:
            self.fleet.start_clock()
            self.fleet.drop_held()
        self.flush()
        if self.history is not None:
            self.history.close()

    @property
    def sources_done(self) -> bool:
        return bool(self.sources) and all(source.done for source in self.sources)

    def snapshot(self) -> EngineSnapshot:
        """The current picture; cheap when nothing changed since the last call."""
        with self._lock:
            fleet = self.fleet
            if self._snapshot is None or fleet.revision != self._snapshot_revision:
                self._version += 1
                self._snapshot_revision = fleet.revision
                vessels = fleet.views()
                own = fleet.own_ship.view() if fleet.own_ship is not None else None
            else:
                vessels, own = self._snapshot.vessels, self._snapshot.own_ship
            self._snapshot = EngineSnapshot(
                version=self._version,
                error=self.worker_error,
                data_time_s=fleet.now_s,
                vessels=vessels,
                own_ship=own,
                counters=self._counters(),
                sources=tuple(source.status() for source in self.sources),
                history=self.history.status() if self.history is not None else None,
            )
            return self._snapshot

    def _counters(self) -> EngineCounters:
        stats = [decoder.stats for decoder in self._decoders.values()]
        counters = self.fleet.counters
        now = time.monotonic()
        rate = sum(n for t, n in self._rate if now - t <= RATE_WINDOW_S) / RATE_WINDOW_S
        return EngineCounters(
            lines=sum(s.lines for s in stats),
            messages=counters.messages,
            decode_failures=sum(
                s.bad_checksum + s.malformed + s.orphan_fragments + s.undecodable for s in stats
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
        try:
            while True:
                generation, batch = self.queue.take(timeout_s=IDLE_WAIT_S)
                applied = 0
                latest_possible_s = time.time() + FUTURE_SLACK_S
                # A chunk at a time under the lock: a snapshot (the window's refresh)
                # waits for one chunk, a few milliseconds, never for a whole batch.
                for first in range(0, len(batch), LOCKED_CHUNK_LINES):
                    with self._lock:
                        if generation != self.queue.generation:
                            batch = []  # taken before the picture was reset: from the old place
                            break
                        for item in batch[first : first + LOCKED_CHUNK_LINES]:
                            if not self.duplicates.accept(item):
                                continue
                            for record in self.decoder(item.source).decode_line(item.line):
                                applied += self._apply(record, item, latest_possible_s)
                with self._lock:
                    if batch:
                        self.fleet.start_clock()
                    self._count_rate(applied)
                    if self.clock_follows_receive_time and self._clock_offset_s is not None:
                        # Live input: its clock runs on while the feed is silent.
                        self.fleet.advance(time.time() + self._clock_offset_s)
                    output = self._take_output(force=False)
                self._deliver(output)  # outside the lock: snapshots never wait on SQLite
                if not batch and self._stopping.is_set():
                    return
        except Exception as error:  # a defect of ours: say so in the status, do not die silently
            self.worker_error = f"{type(error).__name__}: {error}"
            raise

    def _apply(self, record: Record, item: ReceivedLine, latest_possible_s: float) -> int:
        """Apply one live or replayed record; returns 1, or 0 when it had no usable time."""
        time_s = record.time_s
        if time_s is not None and time_s > latest_possible_s and item.source not in self._simulated:
            self.fleet.counters.bad_times += 1  # later than now: a wrong clock
            return 0
        if item.source in self._logs:
            if time_s is None:  # a recorded log: the time of the line before it
                time_s = self._last_time_s.get(item.source)
                if time_s is None:
                    self.fleet.counters.untimed += 1
                    return 0
            else:
                self._last_time_s[item.source] = time_s
        elif time_s is None:
            time_s = item.received_at_s  # live input without a time: received is data time
        self.fleet.update(record, time_s)
        if item.source not in self._logs and self.fleet.in_step(time_s):
            # Only a time the clock took (not one held back as far ahead) sets how far
            # the feed's clock is from ours.
            self._clock_offset_s = time_s - item.received_at_s
        return 1

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
            time.monotonic() - self._handed_over_at < HANDOVER_EVERY_S
            and len(fleet.output.fixes) < HANDOVER_MAX_FIXES
        ):
            return None
        self._handed_over_at = time.monotonic()
        output = fleet.drain_output()
        if not output:
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
