"""``portwatch decode``: AIS logs to JSON Lines, with a statistics summary.

A file that cannot be read, or a gzip file that breaks off, is reported in one
line naming the file; what was decoded before stays written, the other files
are still decoded, and the exit status says that something failed. So is a file
without a single AIS sentence in it: a wrong file is not a log of bad lines.
When no file can be read at all nothing is written (exit status 2). An output
that cannot be written (a full disk) stops everything with one line.
"""

from __future__ import annotations

import contextlib
import sys
import zlib
from collections.abc import Callable, Iterable, Sequence
from typing import TextIO

from portwatch.command_files import (
    cannot_read,
    no_ais,
    redirected_output,
    refuse_writing_over_inputs,
)
from portwatch.decoders import DecodeStats, PortwatchError, StreamDecoder, open_log
from portwatch.decoders.jsonl import message_to_json_text


class OutputError(PortwatchError):
    """The JSON Lines output could not be written."""


def run_decode(paths: Sequence[str], output: str | None, keep_raw: bool = False) -> int:
    """Decode every path to JSON Lines on ``output`` (standard output when None).

    Raises ``WriteRefusedError`` when the output is one of the logs (``-o LOG``, a
    link to it, ``>> LOG``): opening it would empty the log before it is read."""
    refuse_writing_over_inputs([output or redirected_output()], paths)
    unreadable = [(path, cannot_read(path)) for path in paths]
    if all(reason is not None for _, reason in unreadable):
        for path, reason in unreadable:  # nothing to decode: no output made either
            print(f"portwatch decode: {path}: cannot read: {reason}", file=sys.stderr)
        return 2
    target = output or "standard output"
    try:
        out: TextIO = sys.stdout if output is None else open(output, "w", encoding="utf-8")  # noqa: SIM115
    except OSError as error:
        print(f"portwatch decode: cannot write {target}: {error.strerror}", file=sys.stderr)
        return 1
    try:
        failed, totals = _decode_all(paths, out, keep_raw)
        _guarded(out.flush)
        if output is not None:
            _guarded(out.close)
    except OutputError as error:
        print(f"portwatch decode: cannot write {target}: {error}", file=sys.stderr)
        if output is not None:
            # Closing flushes again and fails again; close now so it is not
            # retried (and reported) when the interpreter exits.
            with contextlib.suppress(OSError):
                out.close()
        return 1
    print(f"decoded: {totals.summary()}", file=sys.stderr)
    return 1 if failed else 0


def _decode_all(paths: Sequence[str], out: TextIO, keep_raw: bool) -> tuple[bool, DecodeStats]:
    failed = False
    totals = DecodeStats()
    for path in paths:
        stats, error = _decode_one(path, out, keep_raw)
        totals.add(stats)
        if error is None and not stats.sentences:
            error = no_ais(stats)
        if error:
            failed = True
            print(f"portwatch decode: {path}: {error}", file=sys.stderr)
        if len(paths) > 1:
            print(f"{path}: {stats.summary()}", file=sys.stderr)
    return failed, totals


def write_json_lines(
    decoder: StreamDecoder, lines: Iterable[bytes], out: TextIO, live: bool = False
) -> int:
    """Decode ``lines`` and write each message as one JSON object; returns how many.

    ``live`` decodes and flushes line by line, for a feed read from a pipe.
    Raises ``OutputError`` when ``out`` cannot be written.
    """
    write = out.write
    messages = 0
    # A batch waits for a thousand lines: right for files, too late for a feed.
    decoded = (
        filter(None, map(decoder.decode_line, lines)) if live else decoder.iter_messages(lines)
    )
    for records in decoded:
        try:
            write(message_to_json_text(records))
            write("\n")
            if live:
                out.flush()
        except BrokenPipeError:
            raise
        except OSError as error:
            raise OutputError(error.strerror or str(error)) from error
        messages += 1
    return messages


def _decode_one(path: str, out: TextIO, keep_raw: bool) -> tuple[DecodeStats, str | None]:
    """Decode one file; returns its statistics and an error text, or None."""
    decoder = StreamDecoder(source=path, keep_raw=keep_raw)
    try:
        with open_log(path) as log:
            write_json_lines(decoder, log, out, live=path == "-")
    except (BrokenPipeError, OutputError):
        raise
    except (OSError, EOFError, zlib.error) as error:
        decoder.finish()
        reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
        if not decoder.stats.lines:
            return decoder.stats, f"cannot read: {reason}"
        return decoder.stats, f"stopped after line {decoder.stats.lines}: {reason}"
    decoder.finish()
    return decoder.stats, None


def _guarded(action: Callable[[], object]) -> None:
    """Run a flush or close of the output, turning its failure into an OutputError."""
    try:
        action()
    except BrokenPipeError:
        raise
    except OSError as error:
        raise OutputError(error.strerror or str(error)) from error
