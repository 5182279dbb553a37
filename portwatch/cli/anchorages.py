"""``portwatch anchorages --db FILE [--at TIME]``: each anchorage's state as history
kept it (every five minutes of data), as a table, CSV or JSON.

Exit status 1 when the database holds no anchorage state at or before that time
(it was made without ``--port``).
"""

from __future__ import annotations

import argparse
import sys

from portwatch.cli.options import DB_HELP, Subcommands, data_time

NAME = "anchorages"


def add_parser(commands: Subcommands) -> None:
    parser = commands.add_parser(
        NAME,
        help="print each anchorage's state from history",
        description="Print each anchorage's state as the history kept it last at or before "
        "--at (default: the latest): ships at anchor against capacity, level, swing-circle "
        "cover, longest and median waits, arrivals and departures and the cost of waiting "
        "over 24 hours. Needs a history made with --port (import, analyze --db, run).",
    )
    parser.add_argument("--db", required=True, metavar="FILE|URL", help=DB_HELP)
    parser.add_argument("--at", type=data_time, metavar="TIME", help="ISO 8601 UTC or Unix seconds")
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table")


def run(args: argparse.Namespace) -> int:
    from portwatch.watch_reports import (
        ANCHORAGE_COLUMNS,
        anchorage_rows,
        read_anchorages,
        write_rows,
    )

    records = read_anchorages(args.db, args.at)
    if not records:
        when = "" if args.at is None else " at or before that time"
        print(
            f"portwatch anchorages: {args.db}: no anchorage state kept{when} "
            "(import or analyze with --port to keep it)",
            file=sys.stderr,
        )
        return 1
    print(write_rows(anchorage_rows(records), ANCHORAGE_COLUMNS, args.format))
    return 0
