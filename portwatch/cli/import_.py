"""``portwatch import LOG… --db FILE``: recorded logs into the history, in bulk.

A progress line per log; a summary at the end. Logs that cannot be read, or hold
no AIS, are named and the exit status is 1; when no log can be read at all no
database is made (exit status 2). SIGTERM stops it as Ctrl-C does, keeping
what was imported.
"""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from portwatch.cli.options import DB_HELP, Subcommands, add_history_options, history_settings

if TYPE_CHECKING:
    from portwatch.engine import Engine
    from portwatch.importing import ImportResult
    from portwatch.settings import FleetSettings, RetentionSettings

NAME = "import"


def add_parser(commands: Subcommands) -> None:
    parser = commands.add_parser(
        NAME,
        help="import recorded logs into the history database",
        description="Decode and track recorded AIS logs (plain or gzip, any framing) with the "
        "same engine as live, and store every accepted fix, static-data change, event and port "
        "call in the history database. Shows progress; importing a log twice adds nothing.",
    )
    parser.add_argument("logs", nargs="+", metavar="LOG", help="log file, or - for stdin")
    parser.add_argument("--db", required=True, metavar="FILE|URL", help=DB_HELP)
    parser.add_argument(
        "--port",
        dest="import_port",
        metavar="FILE",
        help="watch this port while importing (zones, anchorages, alerts, arrival times), "
        "keeping its events, alerts and scores in history",
    )
    add_history_options(parser)


def run(args: argparse.Namespace) -> int:
    retention, fleet = history_settings(args)
    return run_import(args.logs, args.db, retention, fleet, args.import_port)


def run_import(
    paths: Sequence[str],
    db_path: str,
    retention: RetentionSettings | None = None,
    settings: FleetSettings | None = None,
    port_path: str | None = None,
) -> int:
    """Import ``paths`` into ``db_path`` with a progress line; the exit status."""
    from portwatch.cli.progress import ProgressLine
    from portwatch.command_files import cannot_read, refuse_writing_over_inputs
    from portwatch.importing import import_logs
    from portwatch.port.port_file import load_port

    port = load_port(port_path) if port_path is not None else None  # refused before the db
    if port_path is not None:
        refuse_writing_over_inputs([db_path], [port_path])
    unreadable = [(path, cannot_read(path)) for path in paths]
    if all(reason is not None for _, reason in unreadable):
        for path, reason in unreadable:  # nothing to import: no database made for it
            print(f"portwatch import: {path}: cannot read: {reason}", file=sys.stderr)
        return 2
    previous = signal.signal(signal.SIGTERM, _interrupt)  # stopped like Ctrl-C, cleanly
    try:
        result, engine = import_logs(
            paths,
            db_path,
            retention,
            progress=lambda path, total: ProgressLine(f"import {path}", total),
            settings=settings,
            port=port,
        )
    except KeyboardInterrupt:
        print(
            "portwatch import: interrupted; what was imported is kept, importing the "
            "same logs again completes it",
            file=sys.stderr,
        )
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)
    for line in result.failed:
        print(f"portwatch import: {line}", file=sys.stderr)
    print(summary(result, engine), file=sys.stderr)
    return 1 if result.failed else 0


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def summary(result: ImportResult, engine: Engine) -> str:
    snapshot = engine.snapshot()
    counters = snapshot.counters
    history = snapshot.history
    rate = result.messages / result.elapsed_s if result.elapsed_s > 0 else 0.0
    rejected = engine.fleet.counters.fixes_rejected
    reasons = ", ".join(f"{reason.replace('_', ' ')} {n}" for reason, n in rejected.items() if n)
    failures = ", ".join(
        f"{name.replace('_', ' ')} {n}" for name, n in result.decode.failures().items() if n
    )
    vessels = engine.fleet.vessels_heard
    return (
        f"imported {result.messages:,} messages from {result.files} log(s) in "
        f"{result.elapsed_s:.1f} s ({rate:,.0f} msg/s): {vessels:,} vessels, "
        f"{history.positions_written if history else 0:,} new positions stored; "
        f"rejected fixes {counters.fixes_rejected:,}"
        + (f" ({reasons})" if reasons else "")
        + f"; receivers' copies {counters.duplicate_fixes:,}"
        + f"; decode failures {sum(result.decode.failures().values()):,}"
        + (f" ({failures})" if failures else "")
        + (f"; {counters.untimed:,} messages without a time skipped" if counters.untimed else "")
        + (
            f"; {counters.bad_times:,} messages with a far-future time dropped"
            if counters.bad_times
            else ""
        )
    )
