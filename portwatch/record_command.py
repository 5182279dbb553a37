"""``portwatch record SOURCE… -o LOG``: a feed written down exactly as received.

Runs until Ctrl-C or SIGTERM (or until every source has ended by itself, as
standard input and files do), then closes the log cleanly. An existing plain log
is appended to (a restarted recorder carries on); a missing folder is refused,
never made, and so is a log that is one of the sources. Every ten seconds a
status line on standard error says how much is recorded and how each source is.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from portwatch.command_files import (
    WriteRefusedError,
    refuse_missing_folder,
    refuse_writing_over_inputs,
    source_inputs,
)
from portwatch.recorder import LogWriter
from portwatch.sources.factory import open_source
from portwatch.sources.queue import LineQueue
from portwatch.sources.urls import SourceUrlError, parse_source_url

STATUS_EVERY_S = 10.0


def run_record(
    urls: Sequence[str], output: str, compress: bool = False, rotate: str | None = None
) -> int:
    """Record ``urls`` into ``output`` until interrupted; returns the exit status."""
    queue = LineQueue()
    writer = LogWriter(Path(output), compress=compress, rotate=rotate)
    try:
        parsed = [parse_source_url(url) for url in urls]
        refuse_missing_folder(output)
        # The first file's name (with .gz, with the date when rotated): appending a
        # log to itself would read its own lines for ever.
        refuse_writing_over_inputs([writer.current_path(time.time())], source_inputs(parsed))
        sources = [open_source(url, queue) for url in parsed]
    except (SourceUrlError, WriteRefusedError) as error:
        print(f"portwatch record: {error}", file=sys.stderr)
        return 2
    stopping = threading.Event()
    previous = {
        signum: signal.signal(signum, lambda *_: stopping.set())
        for signum in (signal.SIGINT, signal.SIGTERM)
    }
    for source in sources:
        source.start()
    next_status_s = time.monotonic() + STATUS_EVERY_S
    try:
        while not stopping.is_set() and not all(source.done for source in sources):
            for item in queue.get_batch(timeout_s=0.25):
                writer.write(item)
            writer.flush()
            if time.monotonic() >= next_status_s:
                next_status_s += STATUS_EVERY_S
                _print_status(writer, sources, queue)
        for source in sources:
            source.stop()
        for item in queue.get_batch(max_lines=len(queue) or 1, timeout_s=0):
            writer.write(item)  # what arrived before the sources stopped
        writer.close()
    except OSError as error:
        print(
            f"portwatch record: cannot write {output}: {error.strerror or error}", file=sys.stderr
        )
        return 1
    finally:
        for source in sources:
            source.stop()
        with contextlib.suppress(OSError):
            writer.close()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    _print_status(writer, sources, queue)
    return 0


def _print_status(writer: LogWriter, sources: Sequence, queue: LineQueue) -> None:
    states = "; ".join(
        f"{s.name}: {s.status().state}, {s.status().lines} lines, {queue.dropped[s.name]} dropped"
        for s in sources
    )
    print(f"recorded {writer.lines} lines — {states}", file=sys.stderr, flush=True)
