"""What a replay needs to start its picture again anywhere in a recorded log.

A seek must show the picture as it stood at the time sought, not a picture
that starts there. The replay rebuilds it from the stretch before that time
(as far back as data still shapes the picture: ``FleetSettings.picture_memory_s``),
sent as fast as the engine takes it, plus every vessel's static data as it
stood when that stretch begins. ``LogIndex`` reads the log once, in a thread of
its own and well ahead of the replay, to find both without reading the log
from its start at each seek: a place to start reading every ``CHECKPOINT_S``
of data, and the static reports (names, call signs, types, sizes, voyages).
Only the lines that can carry static data are decoded, so the pass costs
little more than reading the file.
"""

from __future__ import annotations

import bisect
import re
import threading
from typing import NamedTuple

from portwatch.decoders import AidToNavigationReport, StaticReport, StreamDecoder
from portwatch.fleet import Fleet
from portwatch.sources.timed_log import timed_log_lines
from portwatch.vessel import StaticData, VesselState

CHECKPOINT_S = 30.0
"""A place to start reading again at least this often, in data time."""
_SENTENCE = re.compile(rb"![A-Z][A-Z0-9]VD[MO],([1-9]),([1-9]),[^,]*,[^,]*,([^,]*),")
"""An AIS sentence's fragment count and number, and its payload."""
_STATIC_FIRST = (b"5", b"H", b"C", b"E")
"""The first payload character of the messages that carry static data: types 5
(class A), 24 (class B), 19 (extended class B) and 21 (aid to navigation)."""


class LogPlace(NamedTuple):
    """Where reading the log can start again, and what was known by then."""

    time_s: float
    offset: int
    changes: int
    """How many static changes the lines before this place made."""


class LogIndex:
    """Reads the log at ``path`` once, in a thread, for a replay's seeks (see the
    module's docstring). Safe to ask from another thread while it reads."""

    def __init__(self, path: str, nominal_step_s: float) -> None:
        self.path = path
        self.nominal_step_s = nominal_step_s
        self.error: str | None = None
        self._places: list[LogPlace] = []
        self._place_times: list[float] = []
        self._changes: list[tuple[int, float, StaticData, str]] = []
        """(mmsi, data time, static data after the change, kind), in log order."""
        self._first_s: float | None = None
        self._last_s: float | None = None
        self._covered_s = float("-inf")
        self._complete = False
        self._progress = threading.Condition()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"index {path}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()

    @property
    def span_s(self) -> tuple[float, float] | None:
        """The first and last times the log's lines carry, once it has all been read."""
        with self._progress:
            if not self._complete or self._first_s is None or self._last_s is None:
                return None
            return self._first_s, self._last_s

    def wait_for(self, time_s: float, timeout_s: float) -> bool:
        """Wait until the log has been read up to ``time_s`` (or to its end); False
        when it has not within ``timeout_s``."""
        with self._progress:
            return self._progress.wait_for(
                lambda: self._complete or self._covered_s >= time_s, timeout_s
            )

    def place_before(self, time_s: float) -> LogPlace | None:
        """The last place to start reading at or before ``time_s``; None for the
        log's start."""
        with self._progress:
            at = bisect.bisect_right(self._place_times, time_s)
            return self._places[at - 1] if at else None

    def known_at(self, place: LogPlace | None) -> list[VesselState]:
        """Every vessel whose static data the lines before ``place`` gave, with the
        data as it stood there: new states, for a fleet to keep as heard before."""
        if place is None:
            return []
        with self._progress:
            changes = self._changes[: place.changes]
        first_s: dict[int, float] = {}
        latest: dict[int, tuple[float, StaticData, str]] = {}
        for mmsi, time_s, static, kind in changes:
            first_s.setdefault(mmsi, time_s)
            latest[mmsi] = (time_s, static, kind)
        return [
            VesselState(
                mmsi=mmsi,
                kind=kind,
                first_seen_s=first_s[mmsi],
                last_heard_s=time_s,
                static=static,
                static_s=time_s,
            )
            for mmsi, (time_s, static, kind) in latest.items()
        ]

    def _run(self) -> None:
        try:
            self._read()
        except Exception as error:  # a broken log: the replay itself says what is wrong
            self.error = str(error) or type(error).__name__
        finally:
            with self._progress:
                self._complete = True
                self._progress.notify_all()

    def _read(self) -> None:
        decoder = StreamDecoder(self.path)
        fleet = Fleet()  # its own: the same merging of static data as the engine's
        fragment_open = False
        next_place_s = float("-inf")
        for item in timed_log_lines(self.path, self.nominal_step_s):
            if self._stopping.is_set():
                return
            time_s = item.time_s
            if item.restart and not fragment_open and time_s >= next_place_s:
                next_place_s = time_s + CHECKPOINT_S
                with self._progress:
                    self._places.append(LogPlace(time_s, item.offset, len(self._changes)))
                    self._place_times.append(time_s)
                    self._covered_s = max(self._covered_s, time_s)
                    self._progress.notify_all()
            if item.timed:
                self._first_s = time_s if self._first_s is None else min(self._first_s, time_s)
                self._last_s = time_s if self._last_s is None else max(self._last_s, time_s)
            sentence = _SENTENCE.search(item.line)
            if sentence is None:
                continue
            count, number, payload = sentence.groups()
            fragment_open = number < count
            if count == b"1" and payload[:1] not in _STATIC_FIRST:
                continue
            for record in decoder.decode_line(item.line):
                if record.own_ship or not isinstance(record, StaticReport | AidToNavigationReport):
                    continue
                record_s = time_s if record.time_s is None else record.time_s
                fleet.advance(record_s)  # its clock never holds a report back
                fleet.update(record, record_s)
            changes = fleet.drain_output().static_changes
            if changes:
                with self._progress:
                    self._changes.extend(
                        (mmsi, change_s, static, _kind(fleet, mmsi))
                        for mmsi, change_s, static in changes
                    )


def _kind(fleet: Fleet, mmsi: int) -> str:
    state = fleet.state(mmsi)
    assert state is not None  # it has just made a change
    return state.kind
