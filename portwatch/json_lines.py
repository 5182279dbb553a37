"""AIS logs decoded into JSON Lines, one message per line: what ``portwatch decode`` does.

A log that cannot be read, or a gzip file that breaks off, ends with an error text
saying how far it got; what was decoded before stays written and the next log is
still decoded. So does a log without a single AIS sentence in it: a wrong file is
not a log of bad lines. An output that cannot be written (a full disk) raises
``OutputError``, which stops everything.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TextIO

from portwatch.command_files import OutputError, no_ais
from portwatch.decoders import DecodeStats, StreamDecoder, open_log
from portwatch.decoders.jsonl import message_to_json_text


@dataclass(frozen=True, slots=True)
class DecodedLog:
    """One log decoded: its statistics, and what went wrong (None when nothing did)."""

    path: str
    stats: DecodeStats
    error: str | None


def decode_logs(paths: Sequence[str], out: TextIO, keep_raw: bool = False) -> Iterator[DecodedLog]:
    """Decode each log in turn onto ``out``, yielding its result when it is done.

    ``-`` is standard input, decoded line by line as it comes (a feed from a pipe).
    Raises ``OutputError`` when ``out`` cannot be written."""
    for path in paths:
        decoded = decode_log(path, out, keep_raw)
        if decoded.error is None and not decoded.stats.sentences:
            decoded = DecodedLog(path, decoded.stats, no_ais(decoded.stats))
        yield decoded


def decode_log(path: str, out: TextIO, keep_raw: bool = False) -> DecodedLog:
    """Decode one log onto ``out``; a log that cannot be read (whole or in part)
    is an error text in the result, an output that cannot be written an ``OutputError``."""
    decoder = StreamDecoder(source=path, keep_raw=keep_raw)
    try:
        with open_log(path) as log:
            write_json_lines(decoder, log, out, live=path == "-")
    except (BrokenPipeError, OutputError):
        raise
    except (OSError, EOFError, zlib.error) as error:
        decoder.finish()
        reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
        lines = decoder.stats.lines
        error_text = f"stopped after line {lines}: {reason}" if lines else f"cannot read: {reason}"
        return DecodedLog(path, decoder.stats, error_text)
    decoder.finish()
    return DecodedLog(path, decoder.stats, None)


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


def finish_output(action: Callable[[], object]) -> None:
    """Run a flush or close of the output, turning its failure into an ``OutputError``
    (a full disk often shows only then)."""
    try:
        action()
    except BrokenPipeError:
        raise
    except OSError as error:
        raise OutputError(error.strerror or str(error)) from error
