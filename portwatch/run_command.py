"""``portwatch run SOURCE… --db FILE|URL``: the live pipeline without a screen.

A recording and tracking server for a workstation or a mast-top box: the
sources feed the engine, the history keeps everything, and every few seconds
a status line says how the sources are, the message rate, the vessels and the
rows written. Runs until Ctrl-C or SIGTERM (or until every source has ended,
as files do), then writes what is left and closes the database cleanly.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from collections.abc import Sequence
from typing import TextIO

from portwatch.centre.acknowledgements import SharedAcknowledgements
from portwatch.centre.relay import (
    RelayError,
    RelayServer,
    parse_networks,
    parse_relay_url,
)
from portwatch.command_files import (
    WriteRefusedError,
    refuse_missing_folder,
    refuse_writing_over_inputs,
    source_inputs,
)
from portwatch.decoders.jsonl import iso_utc
from portwatch.engine import Engine
from portwatch.events import Event
from portwatch.history.backend import is_postgresql
from portwatch.history.store import HistoryError, HistoryStore
from portwatch.history.writer import HistoryWriter
from portwatch.port.port_file import PortFileError, load_port
from portwatch.settings import FleetSettings, RetentionSettings
from portwatch.snapshot import EngineSnapshot
from portwatch.sources.factory import open_source
from portwatch.sources.queue import LineQueue
from portwatch.sources.urls import REPLAY_KINDS, SourceUrlError, parse_source_url

STATUS_EVERY_S = 5.0


def run_live(
    urls: Sequence[str],
    db_path: str,
    events_path: str | None = None,
    retention: RetentionSettings | None = None,
    settings: FleetSettings | None = None,
    status_every_s: float = STATUS_EVERY_S,
    port_path: str | None = None,
    relay: str | None = None,
    relay_allow: Sequence[str] = (),
) -> int:
    """Run until interrupted; returns the exit status.

    Every source is opened (a log or database found, a port file read) and the
    outputs checked before the database is made: a mistyped URL or a database
    replayed into itself (``history:///X --db X``) is refused with nothing created.

    The centre's service: with ``port_path`` the port is watched and its alerts
    kept in history; with ``relay`` (``tcp://HOST:PORT``) the de-duplicated
    stream is served to the workstations; on PostgreSQL, acknowledgements made
    on the workstations are taken over.
    """
    port = None
    relay_server = None
    try:
        parsed = [parse_source_url(url) for url in urls]
        if port_path is not None:
            port = load_port(port_path)
        if relay is not None:
            host, relay_port = parse_relay_url(relay)
            networks = parse_networks(relay_allow)
        refuse_writing_over_inputs([db_path, events_path], source_inputs(parsed))
        for url in parsed:
            open_source(url, LineQueue(1))  # refuses what cannot be read; not started
        if events_path is not None:
            refuse_missing_folder(events_path)
        if relay is not None:
            relay_server = RelayServer(host, relay_port, allow=networks)
    except (SourceUrlError, WriteRefusedError, PortFileError, RelayError) as error:
        print(f"portwatch run: {error}", file=sys.stderr)
        return 2
    events_file: TextIO | None = None
    try:
        writer = HistoryWriter(db_path, retention=retention)
        if events_path is not None:
            events_file = open(events_path, "a", encoding="utf-8")  # noqa: SIM115
    except HistoryError as error:
        print(f"portwatch run: {error}", file=sys.stderr)
        if relay_server is not None:
            relay_server.close()
        return 2
    except OSError as error:
        print(f"portwatch run: cannot write {events_path}: {error.strerror}", file=sys.stderr)
        writer.close()
        if relay_server is not None:
            relay_server.close()
        return 2
    engine = Engine(
        history=writer,
        settings=settings,
        on_event=_event_writer(events_file) if events_file else None,
        clock_follows_receive_time=all(url.kind not in REPLAY_KINDS for url in parsed),
        port=port,
    )
    with HistoryStore.open(db_path) as store:
        restored = engine.restore(store)
    if restored:
        print(f"restored {restored} vessels from {writer.shown}", file=sys.stderr)
    shared = None
    if is_postgresql(db_path) and port is not None:
        shared = SharedAcknowledgements(db_path, engine)
    if relay_server is not None:
        engine.relay = relay_server.tap
        address, bound_port = relay_server.address
        print(f"relay: serving tcp://{address}:{bound_port}", file=sys.stderr)
    for url in parsed:
        engine.add_source(url)
    stopping = threading.Event()
    previous = {
        signum: signal.signal(signum, lambda *_: stopping.set())
        for signum in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        engine.start()
        while not stopping.wait(status_every_s):
            snapshot = engine.snapshot()
            print(status_line(snapshot) + _relay_status(relay_server), file=sys.stderr, flush=True)
            if engine.sources_done or snapshot.error is not None:
                break
    finally:
        if shared is not None:
            shared.close()
        engine.close()
        if relay_server is not None:
            relay_server.close()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if events_file is not None:
            with contextlib.suppress(OSError):
                events_file.close()
    final = engine.snapshot()
    print(status_line(final) + _relay_status(relay_server), file=sys.stderr)
    problems = shutdown_problems(final)
    for problem in problems:
        print(f"portwatch run: {problem}", file=sys.stderr)
    return 1 if problems else 0


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


def _relay_status(relay: RelayServer | None) -> str:
    if relay is None:
        return ""
    counters = relay.counters()
    text = f" | relay {counters.clients} clients"
    if counters.dropped:
        text += f", {counters.dropped} dropped (too slow)"
    if counters.refused:
        text += f", {counters.refused} refused (not allowed)"
    return text


def _event_writer(out: TextIO):
    def write(event: Event) -> None:
        try:
            out.write(event.to_json_text() + "\n")
            out.flush()
        except OSError as error:  # a full disk must not stop tracking
            print(f"portwatch run: events file: {error.strerror}", file=sys.stderr)

    return write
