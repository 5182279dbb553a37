"""``portwatch decode``: AIS logs to JSON Lines, with a statistics summary.

A log that cannot be read (whole or in part) or holds no AIS is said in one line
naming it, and the exit status says that something failed; when no file can be
read at all nothing is written (exit status 2). An output that cannot be
written (a full disk) stops everything with one line and exit status 1.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Sequence
from typing import TextIO

from portwatch.cli.options import Subcommands

NAME = "decode"


def add_parser(commands: Subcommands) -> None:
    parser = commands.add_parser(
        NAME,
        help="decode AIS logs to JSON Lines",
        description="Decode AIS NMEA logs (plain or gzip, any framing) to JSON Lines, one "
        "message per line. A summary of the decode statistics goes to standard error.",
    )
    parser.add_argument(
        "files", nargs="+", metavar="FILE", help="log file, or - for standard input"
    )
    parser.add_argument(
        "-o", "--output", metavar="OUT", help="write here instead of standard output"
    )
    parser.add_argument(
        "--raw", action="store_true", help="add each message's NMEA sentences under the key raw"
    )


def run(args: argparse.Namespace) -> int:
    return run_decode(args.files, args.output, keep_raw=args.raw)


def run_decode(paths: Sequence[str], output: str | None, keep_raw: bool = False) -> int:
    """Decode every path to JSON Lines on ``output`` (standard output when None).

    Raises ``WriteRefusedError`` when the output is one of the logs (``-o LOG``, a
    link to it, ``>> LOG``): opening it would empty the log before it is read."""
    from portwatch.command_files import (
        OutputError,
        cannot_read,
        redirected_output,
        refuse_writing_over_inputs,
    )
    from portwatch.decoders import DecodeStats
    from portwatch.json_lines import decode_logs, finish_output

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
    failed = False
    totals = DecodeStats()
    try:
        for decoded in decode_logs(paths, out, keep_raw):
            totals.add(decoded.stats)
            if decoded.error:
                failed = True
                print(f"portwatch decode: {decoded.path}: {decoded.error}", file=sys.stderr)
            if len(paths) > 1:
                print(f"{decoded.path}: {decoded.stats.summary()}", file=sys.stderr)
        finish_output(out.flush)
        if output is not None:
            finish_output(out.close)
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
