"""Recorded logs through the whole pipeline, as fast as it goes: what ``portwatch
analyze`` does (the investigator's replay after an incident).

The same engine as live and as ``import`` (decode, fleet, the port's analytics
on the data clock), fed synchronously by the same loop as ``import``; the
events go to a JSON Lines file exactly as ``run --events`` writes them, and,
with a database, into the history with the alerts, scores and what was learnt.
Everything is checked before any output is made: a log that cannot be opened
(a replay with one of its logs missing would tell a wrong story), a port file
that cannot be used, an output that is one of the inputs.
"""

from __future__ import annotations

import contextlib
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from portwatch.command_files import (
    OutputError,
    refuse_missing_folder,
    refuse_unreadable_inputs,
    refuse_writing_over_inputs,
)
from portwatch.engine import Engine
from portwatch.events import Event
from portwatch.history.store import HistoryError
from portwatch.history.writer_process import HistoryWriterProcess
from portwatch.importing import ImportResult, ProgressFactory, feed_logs, summarise
from portwatch.json_lines import finish_output
from portwatch.port.port_file import Port, load_port

if TYPE_CHECKING:
    from portwatch.analytics import WatchSettings
    from portwatch.settings import FleetSettings, RetentionSettings


@dataclass(slots=True)
class AnalyzeResult(ImportResult):
    """What an analysis did: the import's figures, and the events by kind."""

    events: Counter[str] = field(default_factory=Counter)


def analyze_logs(
    paths: Sequence[str],
    port: Port | str | Path,
    events_out: str | Path,
    db_path: str | None = None,
    progress: ProgressFactory | None = None,
    settings: FleetSettings | None = None,
    watch_settings: WatchSettings | None = None,
    retention: RetentionSettings | None = None,
) -> tuple[AnalyzeResult, Engine]:
    """Run the logs through the engine watching ``port`` (a ``Port`` or its file),
    writing every event to ``events_out`` (JSON Lines, made afresh) and, with
    ``db_path``, everything to the history as ``import --port`` does.

    Raises, with nothing made: ``PortFileError`` for a port file that cannot be
    used, ``InputError`` for a log that cannot be opened, ``WriteRefusedError``
    for an output that is an input (or whose folder is not there),
    ``HistoryError`` for a database that cannot be used and ``OutputError`` for
    an events file that cannot be written. A log that breaks off, or holds no AIS,
    is named in the result's ``failed``.
    """
    port_path = None if isinstance(port, Port) else port
    watched = port if isinstance(port, Port) else load_port(port)
    refuse_unreadable_inputs(paths)
    refuse_writing_over_inputs([events_out, db_path], [*paths, port_path])
    refuse_missing_folder(events_out)
    writer = HistoryWriterProcess(db_path, retention=retention) if db_path is not None else None
    try:
        out = open(events_out, "w", encoding="utf-8")  # noqa: SIM115 - closed below
    except OSError as error:
        if writer is not None:
            writer.close()
        raise OutputError(f"cannot write {events_out}: {error.strerror}") from error
    result = AnalyzeResult()
    engine = Engine(
        history=writer,
        settings=settings,
        on_event=_writing(out, result.events),
        port=watched,
        watch_settings=watch_settings,
        trails=False,  # nobody sees an analysis's live picture; the watch needs no trail
    )
    started = time.monotonic()
    try:
        feed_logs(engine, paths, result, progress)
        engine.close()
        finish_output(out.close)
    finally:
        with contextlib.suppress(OSError):
            out.close()
        if writer is not None:
            with contextlib.suppress(HistoryError):
                writer.close()
    result.elapsed_s = time.monotonic() - started
    summarise(engine, result)
    return result, engine


def _writing(out: TextIO, counts: Counter[str]) -> Callable[[Event], None]:
    """The engine's event listener: each event one line of ``out``, counted by kind;
    an events file that cannot be written stops the analysis (it is its product)."""
    write = out.write

    def write_event(event: Event) -> None:
        counts[event.kind] += 1
        text = event.to_json_text() + "\n"
        finish_output(lambda: write(text))

    return write_event
