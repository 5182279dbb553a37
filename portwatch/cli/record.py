"""``portwatch record SOURCE… -o LOG``: a feed written down exactly as received.

Runs until Ctrl-C or SIGTERM (or until every source has ended by itself, as
standard input and files do), then closes the log cleanly. Every ten seconds a
status line on standard error says how much is recorded and how each source is.
"""

from __future__ import annotations

import argparse
import sys
import threading

from portwatch.cli.options import Subcommands
from portwatch.cli.signals import stop_on_signals

NAME = "record"


def add_parser(commands: Subcommands) -> None:
    parser = commands.add_parser(
        NAME,
        help="record live sources to a log",
        description="Write every line the sources deliver, exactly as received, behind a "
        "tag block with the receive time (c:, milliseconds) and the source (s:). Runs until "
        "Ctrl-C or SIGTERM, then closes the log cleanly.",
    )
    parser.add_argument("urls", nargs="+", metavar="SOURCE", help="source URL(s)")
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="LOG",
        help="log file to write; an existing one is appended to (with --gzip a new LOG-2.gz "
        "is started beside it); its folder must exist",
    )
    parser.add_argument("--gzip", action="store_true", help="compress the log (adds .gz)")
    parser.add_argument(
        "--rotate", choices=("hourly", "daily"), help="start a new file every hour or day (UTC)"
    )


def run(args: argparse.Namespace) -> int:
    from portwatch.recorder import Recording

    recording = Recording(args.urls, args.output, compress=args.gzip, rotate=args.rotate)
    stopping = threading.Event()
    try:
        with stop_on_signals(stopping):
            recording.run(stopping, on_status=_print_status)
    except OSError as error:
        print(
            f"portwatch record: cannot write {args.output}: {error.strerror or error}",
            file=sys.stderr,
        )
        return 1
    _print_status(recording.status_text())
    return 0


def _print_status(text: str) -> None:
    print(text, file=sys.stderr, flush=True)
