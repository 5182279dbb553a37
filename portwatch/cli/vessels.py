"""``portwatch vessels --db FILE``: the vessels in the history, as CSV or JSON Lines."""

from __future__ import annotations

import argparse
import sys

from portwatch.cli.options import DB_HELP, Subcommands

NAME = "vessels"


def add_parser(commands: Subcommands) -> None:
    parser = commands.add_parser(
        NAME,
        help="list the vessels in history",
        description="Write every vessel in the history database with its latest static data "
        "and when it was first and last heard, as CSV (or JSON Lines).",
    )
    parser.add_argument("--db", required=True, metavar="FILE|URL", help=DB_HELP)
    parser.add_argument(
        "--active", action="store_true", help="only those heard in the last hour of data"
    )
    parser.add_argument("--format", choices=("csv", "json"), default="csv")


def run(args: argparse.Namespace) -> int:
    from portwatch.command_files import redirected_output, refuse_writing_over_inputs
    from portwatch.history.export import read_vessels, write_vessels

    refuse_writing_over_inputs([redirected_output()], [args.db])  # ``>> history.sqlite``
    vessels = read_vessels(args.db, args.active)
    write_vessels(vessels, sys.stdout, args.format)
    sys.stdout.flush()
    print(f"{len(vessels)} vessels", file=sys.stderr)
    return 0
