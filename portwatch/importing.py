"""Recorded logs into the history, in bulk: what ``portwatch import`` does.

The same engine as live (decode, fleet, history), fed synchronously. Each log
is read in chunks, with progress reported between them; a log that cannot be
read or breaks off is listed by name and the others are still imported. The history
continues what the database already holds: the vessels of its last hour are
put back first when the log carries on from there, so fixes are judged against
where each vessel really was. Importing the same log again adds nothing.
"""

from __future__ import annotations

import contextlib
import gc
import os
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING, BinaryIO, Protocol

from portwatch.command_files import no_ais, refuse_writing_over_inputs
from portwatch.decoders import DecodeStats
from portwatch.decoders.stream import StreamDecoder, bytes_read, open_log
from portwatch.engine import Engine
from portwatch.history.continuity import RESTORE_WINDOW_S
from portwatch.history.store import HistoryError, HistoryStore
from portwatch.history.writer_process import HistoryWriterProcess
from portwatch.settings import FleetSettings, RetentionSettings

if TYPE_CHECKING:
    from portwatch.analytics import WatchSettings
    from portwatch.port.port_file import Port

CHUNK_LINES = 50_000
"""Lines are read and fed this many at a time, between progress updates."""


class FileProgress(Protocol):
    """Told how far the import of one log has got (the CLI draws a progress line)."""

    def update(self, done_bytes: int | None, messages: int, force: bool = False) -> None:
        """``done_bytes`` of the log read (None for standard input), ``messages`` fed;
        ``force`` on the last update of the log."""

    def finish(self) -> None:
        """The log is done (or given up)."""


ProgressFactory = Callable[[str, int | None], FileProgress]
"""Makes the progress of one log from its path and size in bytes (None when unknown)."""


@dataclass(slots=True)
class ImportResult:
    """What an import did, for the summary."""

    files: int = 0
    """Logs read, in whole or in part (a gzip file cut short counts)."""
    failed: list[str] = field(default_factory=list)
    """One line per log that could not be read (whole or in part) or held no AIS."""
    messages: int = 0
    elapsed_s: float = 0.0
    decode: DecodeStats = field(default_factory=DecodeStats)


def import_logs(
    paths: Sequence[str],
    db_path: str,
    retention: RetentionSettings | None = None,
    progress: ProgressFactory | None = None,
    settings: FleetSettings | None = None,
    port: Port | None = None,
    watch_settings: WatchSettings | None = None,
) -> tuple[ImportResult, Engine]:
    """Import every log into ``db_path``; raises ``HistoryError`` when the database
    cannot be used or written, ``WriteRefusedError`` when it is one of the logs. Logs
    that cannot be read, or hold no AIS, are listed in the result. ``progress``, when
    given, makes a ``FileProgress`` for each log. With ``port``, the port's analytics
    watch the logs as they would live, and their events, alerts and scores go into
    the history too."""
    refuse_writing_over_inputs([db_path], paths)
    writer = HistoryWriterProcess(db_path, retention=retention)
    # No trails: nobody watches an import's live picture, and a trail point for
    # every fix was a fifth of the tracking's time (benchmarks/ingest.py).
    engine = Engine(
        history=writer,
        settings=settings,
        port=port,
        watch_settings=watch_settings,
        trails=False,
    )
    engine.hand_over_by_size()
    with HistoryStore.open(db_path) as store:
        latest_s = store.latest_time_s()
        start_s = first_data_time_s(paths[0]) if paths and paths[0] != "-" else None
        if (
            latest_s is not None
            and start_s is not None
            and latest_s - RESTORE_WINDOW_S
            <= start_s
            <= latest_s + engine.fleet.settings.remove_after_s
        ):
            engine.restore(store)  # the log carries on from the history: join them up
    result = ImportResult()
    started = time.monotonic()
    try:
        feed_logs(engine, paths, result, progress)
        engine.close()
    finally:
        with contextlib.suppress(HistoryError):
            writer.close()
    result.elapsed_s = time.monotonic() - started
    summarise(engine, result)
    return result, engine


def feed_logs(
    engine: Engine,
    paths: Sequence[str],
    result: ImportResult,
    progress: ProgressFactory | None = None,
    until_s: float | None = None,
    finish: bool = True,
) -> None:
    """Feed each log through ``engine`` in turn, as fast as it goes, counting into
    ``result``: the one loop of ``import``, ``analyze`` and the pilot board. With
    ``until_s``, stop at the first message after it; without ``finish``, the logs
    are not finished (``Engine.finish_input``): the picture stays as a replay
    paused there showed it."""
    with _relaxed_gc():
        for path, source in zip(paths, source_names(paths), strict=True):
            _import_one(engine, path, source, result, progress, until_s, finish)
            if engine.reached_until:
                return


def summarise(engine: Engine, result: ImportResult) -> None:
    """Add the decoders' statistics to ``result``, and say when nothing had a time."""
    for decoder in engine.decode_stats().values():
        result.decode.add(decoder.stats)
    untimed = engine.fleet.counters.untimed
    if untimed and not result.messages:
        result.failed.append(
            f"{untimed:,} messages and none with a time (bare NMEA, without tag blocks or "
            "timestamps): nothing could be put in the history"
        )


def source_names(paths: Sequence[str]) -> list[str]:
    """Each log's name as an input of the engine: its file name, or the path as
    given when two logs share a file name (two receivers' ``harbour.nmea``), and a
    number after a log given twice. Every log gets a decoder and a clock of its
    own: an untimed line must never take the time of another log's last line. A
    fix without a tag block's station keeps this name as its source in history."""
    names = [path if path == "-" else os.path.basename(path) for path in paths]
    shared = {name for name, count in Counter(names).items() if count > 1}
    names = [path if name in shared else name for path, name in zip(paths, names, strict=True)]
    seen: Counter[str] = Counter()
    unique = []
    for name in names:
        seen[name] += 1
        unique.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return unique


def first_data_time_s(path: str, max_lines: int = 2000) -> float | None:
    """The data time of the first timed message in the log, or None.

    An import restores the picture of the history's last hour only when the log
    carries on from there (later, the restored vessels would have left the live
    picture before its first line anyway). A log that starts earlier (imported again after a
    crash, or another receiver's log of a day already in) is imported as if into
    an empty picture: its fixes are then judged exactly as the first time, so
    importing it again changes nothing.
    """
    decoder = StreamDecoder(path)
    try:
        with open_log(path) as log:
            for line in islice(log, max_lines):
                for record in decoder.decode_line(line):
                    if record.time_s is not None:
                        return record.time_s
    except (OSError, EOFError, zlib.error):
        return None  # said when the log itself is imported
    return None


def _import_one(
    engine: Engine,
    path: str,
    source: str,
    result: ImportResult,
    progress: ProgressFactory | None,
    until_s: float | None = None,
    finish: bool = True,
) -> None:
    try:
        total = os.path.getsize(path) if path != "-" else None
    except OSError:
        total = None
    shown = progress(path, total) if progress is not None else None
    decoder = engine.decoder(source)
    messages = 0
    try:
        with open_log(path) as log:
            result.files += 1  # read, in whole or in part
            for chunk in _chunks(log):
                messages += engine.feed(chunk, source=source, until_s=until_s)
                if shown is not None:
                    shown.update(bytes_read(log), messages)
                if engine.reached_until:
                    break
        if shown is not None:
            shown.update(total, messages, force=True)
        if not decoder.stats.sentences:
            result.failed.append(f"{path}: {no_ais(decoder.stats)}")
    except (OSError, EOFError, zlib.error) as error:
        reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
        if decoder.stats.lines:
            result.failed.append(f"{path}: stopped after line {decoder.stats.lines}: {reason}")
        else:
            result.failed.append(f"{path}: cannot read: {reason}")
    finally:
        result.messages += messages
        if finish:
            engine.finish_input(source)
        if shown is not None:
            shown.finish()


def _chunks(log: BinaryIO) -> Iterator[list[bytes]]:
    """The log's lines, ``CHUNK_LINES`` at a time; when the file breaks off (a
    truncated gzip), the lines read before the break come first, then the error."""
    while True:
        chunk: list[bytes] = []
        try:
            chunk.extend(islice(log, CHUNK_LINES))  # keeps what it took before an error
        except (OSError, EOFError, zlib.error):
            if chunk:
                yield chunk
            raise
        if not chunk:
            return
        yield chunk


@contextlib.contextmanager
def _relaxed_gc() -> Iterator[None]:
    """Collect garbage less often while importing: the import allocates millions of
    short-lived records, and Python's default thresholds then spend about a
    third of the time in collections that find nothing to free."""
    thresholds = gc.get_threshold()
    gc.set_threshold(200_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
