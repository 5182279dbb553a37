"""``portwatch decode``: AIS logs to JSON Lines, with a statistics summary.

A file that cannot be read, or a gzip file that breaks off, is reported in one
line naming the file; what was decoded before stays written, the other files
are still decoded, and the exit status says that something failed.
"""

from __future__ import annotations

import os
import sys
import zlib
from collections.abc import Iterable, Sequence
from contextlib import ExitStack
from typing import TextIO

from portwatch.decoders import DecodeStats, StreamDecoder, open_log
from portwatch.decoders.jsonl import message_to_json_text


def run_decode(paths: Sequence[str], output: str | None, keep_raw: bool = False) -> int:
    """Decode every path to JSON Lines on ``output`` (standard output when None)."""
    failed = False
    totals = DecodeStats()
    with ExitStack() as stack:
        if output is None:
            out: TextIO = sys.stdout
        else:
            try:
                out = stack.enter_context(open(output, "w", encoding="utf-8"))
            except OSError as error:
                print(f"portwatch decode: cannot write {output}: {error.strerror}", file=sys.stderr)
                return 1
        try:
            for path in paths:
                stats, error = _decode_one(path, out, keep_raw)
                _add_stats(totals, stats)
                if error:
                    failed = True
                    print(f"portwatch decode: {path}: {error}", file=sys.stderr)
                if len(paths) > 1:
                    print(f"{path}: {stats.summary()}", file=sys.stderr)
            out.flush()
        except BrokenPipeError:
            # The reader went away (``| head``): not an error. Point standard
            # output at /dev/null so the interpreter's final flush stays quiet.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 0
    print(f"decoded: {totals.summary()}", file=sys.stderr)
    return 1 if failed else 0


def write_json_lines(
    decoder: StreamDecoder, lines: Iterable[bytes], out: TextIO, live: bool = False
) -> int:
    """Decode ``lines`` and write each message as one JSON object; returns how many.

    ``live`` flushes after every message, for a feed read from a pipe.
    """
    write = out.write
    messages = 0
    # A batch waits for a thousand lines: right for files, too late for a feed.
    decoded = (
        filter(None, map(decoder.decode_line, lines)) if live else decoder.iter_messages(lines)
    )
    for records in decoded:
        write(message_to_json_text(records))
        write("\n")
        messages += 1
        if live:
            out.flush()
    return messages


def _decode_one(path: str, out: TextIO, keep_raw: bool) -> tuple[DecodeStats, str | None]:
    """Decode one file; returns its statistics and an error text, or None."""
    decoder = StreamDecoder(source=path, keep_raw=keep_raw)
    try:
        with open_log(path) as log:
            write_json_lines(decoder, log, out, live=path == "-")
    except BrokenPipeError:
        raise
    except (OSError, EOFError, zlib.error) as error:
        decoder.finish()
        reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
        if not decoder.stats.lines:
            return decoder.stats, f"cannot read: {reason}"
        return decoder.stats, f"stopped after line {decoder.stats.lines}: {reason}"
    decoder.finish()
    return decoder.stats, None


def _add_stats(total: DecodeStats, part: DecodeStats) -> None:
    for name in DecodeStats.__dataclass_fields__:
        if name == "by_type":
            total.by_type.update(part.by_type)
        else:
            setattr(total, name, getattr(total, name) + getattr(part, name))
