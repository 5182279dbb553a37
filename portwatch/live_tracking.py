"""Live tracking without a screen, into the history: what ``portwatch run`` does.

A recording and tracking server for a workstation or a mast-top box: the
sources feed the engine, the history keeps everything, and the caller is given
a snapshot every few seconds. Runs until stopped (or until every source has
ended, as files do), then writes what is left and closes the database cleanly.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Sequence
from typing import TextIO

from portwatch.centre.acknowledgements import SharedAcknowledgements
from portwatch.centre.relay import RelayServer, parse_networks, parse_relay_url
from portwatch.command_files import (
    OutputError,
    refuse_missing_folder,
    refuse_writing_over_inputs,
    source_inputs,
)
from portwatch.decoders.jsonl import iso_utc
from portwatch.engine import Engine
from portwatch.events import Event
from portwatch.history.backend import is_postgresql
from portwatch.history.store import HistoryStore
from portwatch.history.writer import HistoryWriter
from portwatch.port.port_file import load_port
from portwatch.settings import FleetSettings, RetentionSettings
from portwatch.snapshot import EngineSnapshot
from portwatch.sources.factory import open_source
from portwatch.sources.queue import LineQueue
from portwatch.sources.urls import REPLAY_KINDS, parse_source_url

STATUS_EVERY_S = 5.0


class LiveTracking:
    """The engine on live sources, writing history (and events as JSON Lines).

    Every source is opened (a log or database found, a port file read) and the
    outputs checked before the database is made: a mistyped URL
    (``SourceUrlError``), a port file (``PortFileError``) or relay address
    (``RelayError``) that cannot be used, or a database replayed into itself
    (``history:///X --db X``, ``WriteRefusedError``) is refused with nothing
    created. A database that cannot be used raises ``HistoryError``, an events file
    that cannot be opened ``OutputError``. The vessels of the history's last hour
    are put back first.

    The centre's service: with ``port_path`` the port is watched and its alerts
    kept in history; with ``relay`` (``tcp://HOST:PORT``) the de-duplicated stream
    is served to the workstations (only to ``relay_allow`` networks when given); on
    PostgreSQL, acknowledgements made on the workstations are taken over.
    """

    def __init__(
        self,
        urls: Sequence[str],
        db_path: str,
        events_path: str | None = None,
        retention: RetentionSettings | None = None,
        settings: FleetSettings | None = None,
        on_events_error: Callable[[OSError], None] | None = None,
        port_path: str | None = None,
        relay: str | None = None,
        relay_allow: Sequence[str] = (),
    ) -> None:
        parsed = [parse_source_url(url) for url in urls]
        port = load_port(port_path) if port_path is not None else None
        if relay is not None:
            host, relay_port = parse_relay_url(relay)
            networks = parse_networks(relay_allow)
        refuse_writing_over_inputs([db_path, events_path], source_inputs(parsed))
        for url in parsed:
            open_source(url, LineQueue(1))  # refuses what cannot be read; not started
        if events_path is not None:
            refuse_missing_folder(events_path)
        self.relay = RelayServer(host, relay_port, allow=networks) if relay is not None else None
        """The relay serving the workstations, or None."""
        try:
            writer = HistoryWriter(db_path, retention=retention)
        except BaseException:
            self._close_relay()
            raise
        self.shown = writer.shown
        """The database as messages name it (a server's URL without its password)."""
        self._events_file: TextIO | None = None
        if events_path is not None:
            try:
                self._events_file = open(events_path, "a", encoding="utf-8")  # noqa: SIM115
            except OSError as error:
                writer.close()
                self._close_relay()
                raise OutputError(f"cannot write {events_path}: {error.strerror}") from error
        self._on_events_error = on_events_error
        self.engine = Engine(
            history=writer,
            settings=settings,
            on_event=self._write_event if self._events_file is not None else None,
            clock_follows_receive_time=all(url.kind not in REPLAY_KINDS for url in parsed),
            port=port,
        )
        with HistoryStore.open(db_path) as store:
            self.restored = self.engine.restore(store)
            """How many vessels were put back from the history."""
        self._shared = (
            SharedAcknowledgements(db_path, self.engine)
            if is_postgresql(db_path) and port is not None
            else None
        )
        if self.relay is not None:
            self.engine.relay = self.relay.tap
        for url in parsed:
            self.engine.add_source(url)

    def run(
        self,
        stop: threading.Event,
        on_status: Callable[[EngineSnapshot], None],
        status_every_s: float = STATUS_EVERY_S,
    ) -> EngineSnapshot:
        """Track until ``stop`` is set, every source has ended or the engine stopped on
        a defect, calling ``on_status`` every ``status_every_s``; then close
        everything and return the final snapshot."""
        try:
            self.engine.start()
            while not stop.wait(status_every_s):
                snapshot = self.engine.snapshot()
                on_status(snapshot)
                if self.engine.sources_done or snapshot.error is not None:
                    break
        finally:
            if self._shared is not None:
                self._shared.close()
            self.engine.close()
            self._close_relay()
            if self._events_file is not None:
                with contextlib.suppress(OSError):
                    self._events_file.close()
        return self.engine.snapshot()

    def _close_relay(self) -> None:
        if self.relay is not None:
            self.relay.close()

    def _write_event(self, event: Event) -> None:
        assert self._events_file is not None
        try:
            self._events_file.write(event.to_json_text() + "\n")
            self._events_file.flush()
        except OSError as error:  # a full disk must not stop tracking
            if self._on_events_error is not None:
                self._on_events_error(error)


def shutdown_problems(snapshot: EngineSnapshot) -> list[str]:
    """What went wrong, for the exit status: rows history could not take, logs that
    could not be read, an engine stopped by a defect."""
    problems = []
    history = snapshot.history
    if history is not None and (history.pending_rows or history.rows_dropped):
        problems.append(
            f"{history.pending_rows + history.rows_dropped:,} rows could not be written to "
            f"{history.path} ({history.state})"
        )
    problems.extend(
        f"{status.name}: {status.state}"
        for status in snapshot.sources
        if status.state.startswith("failed")
    )
    if snapshot.error is not None:
        problems.append(f"the engine stopped on a defect: {snapshot.error}")
    return problems


def status_line(snapshot: EngineSnapshot) -> str:
    """``data 2024-03-12T10:00:00Z | tcp://…: connected 12.0 lines/s | 35 msg/s | …``."""
    sources = "; ".join(
        f"{status.name}: {status.state} {status.lines_per_s:.1f} lines/s"
        for status in snapshot.sources
    )
    counters = snapshot.counters
    history = snapshot.history
    parts = [
        f"data {iso_utc(snapshot.data_time_s) or '-'}",
        sources or "no sources",
        f"{counters.messages_per_s:.1f} msg/s",
        f"vessels {snapshot.active} active, {snapshot.lost} lost",
    ]
    if history is not None:
        parts.append(f"{history.rows_written:,} rows written, history {history.state}")
    if counters.decode_failures:
        parts.append(counters.decode_failures_text())
    if counters.queue_dropped:
        parts.append(f"{counters.queue_dropped:,} lines dropped (engine behind)")
    if counters.bad_times:
        parts.append(f"{counters.bad_times:,} messages with a far-future time dropped")
    if snapshot.error is not None:
        parts.append(f"ENGINE STOPPED: {snapshot.error}")
    return " | ".join(parts)


def relay_status(relay: RelayServer | None) -> str:
    """`` | relay N clients, N dropped (too slow), N refused (not allowed)``, or nothing."""
    if relay is None:
        return ""
    counters = relay.counters()
    text = f" | relay {counters.clients} clients"
    if counters.dropped:
        text += f", {counters.dropped} dropped (too slow)"
    if counters.refused:
        text += f", {counters.refused} refused (not allowed)"
    return text
