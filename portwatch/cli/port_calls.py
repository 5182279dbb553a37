"""``portwatch port-calls --db FILE``: the port calls in the history, as a table,
CSV or JSON Lines (the list the window's Berths panel shows)."""

from __future__ import annotations

import argparse
import sys

from portwatch.cli.options import DB_HELP, Subcommands, data_time

NAME = "port-calls"


def add_parser(commands: Subcommands) -> None:
    parser = commands.add_parser(
        NAME,
        help="list the port calls in history",
        description="List each port call in the history database: arrival at the pilot "
        "boarding place, time at anchor, berthing, departure and how long each took.",
    )
    parser.add_argument("--db", required=True, metavar="FILE|URL", help=DB_HELP)
    parser.add_argument(
        "--since",
        type=data_time,
        metavar="T",
        help="only calls going on then or begun later (ISO 8601 UTC or Unix seconds)",
    )
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table")


def run(args: argparse.Namespace) -> int:
    from portwatch.command_files import redirected_output, refuse_writing_over_inputs
    from portwatch.history.port_call_list import (
        port_calls_csv,
        port_calls_json,
        port_calls_table,
        read_port_calls,
    )

    refuse_writing_over_inputs([redirected_output()], [args.db])  # ``>> history.sqlite``
    rows = read_port_calls(args.db, args.since)
    if args.format == "csv":
        sys.stdout.write(port_calls_csv(rows))
    elif args.format == "json":
        sys.stdout.write(port_calls_json(rows))
    else:
        print(port_calls_table(rows))
    sys.stdout.flush()
    print(f"{len(rows)} port calls", file=sys.stderr)
    return 0
