"""``portwatch pilot-board SOURCE --port FILE [--at TIME]``: the pilot board as it
stood at a time, from a recorded log or the history database.

Inbound ships per pilot boarding place, ordered by PortWatch's estimate, with
its band, the reported ETA and the difference, the ship's particulars, whether
it waits at anchor and its just-in-time speed; then the departures. CSV and
JSON give the columns a dispatcher's tools read.
"""

from __future__ import annotations

import argparse

from portwatch.cli.options import Subcommands, data_time

NAME = "pilot-board"


def add_parser(commands: Subcommands) -> None:
    parser = commands.add_parser(
        NAME,
        help="print the pilot board at a time, from a log or the history",
        description="Print the inbound ships of each pilot boarding place in order of "
        "estimated arrival, and the departures, as the board stood at --at (default: the end "
        "of the data): a log is replayed up to then, a history database over the hours before "
        "with what the analytics had learnt.",
    )
    parser.add_argument("source", metavar="SOURCE", help="recorded log or history database")
    parser.add_argument(
        "--port", dest="watch_port", required=True, metavar="FILE", help="port file"
    )
    parser.add_argument("--at", type=data_time, metavar="TIME", help="ISO 8601 UTC or Unix seconds")
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table")


def run(args: argparse.Namespace) -> int:
    import sys

    from portwatch.analytics.pilot_board import board_csv, board_json, board_table
    from portwatch.watch_reports import pilot_board

    board = pilot_board(args.source, args.watch_port, args.at)
    write = {"table": board_table, "csv": board_csv, "json": board_json}[args.format]
    text = write(board)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0
