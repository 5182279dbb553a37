"""``portwatch eta-report --db FILE [--since T]``: how far each arrival estimator can be
trusted, by horizon, and what waiting at anchor cost per day.

The scores of PortWatch's estimates, distance over speed and the ships' reported
ETAs (mean absolute error and bias, in minutes) at 15 to 240 minutes before the
arrival; then per day the hours ships waited, the fuel and CO2 burnt waiting and
what just-in-time arrival would have saved.
"""

from __future__ import annotations

import argparse
import sys

from portwatch.cli.options import DB_HELP, Subcommands, data_time

NAME = "eta-report"


def add_parser(commands: Subcommands) -> None:
    parser = commands.add_parser(
        NAME,
        help="print the arrival-time scores and the daily cost of waiting from history",
        description="Print the scores of the three arrival estimators (PortWatch's, distance "
        "over speed, the ships' reported ETA) by horizon, and per day the hours waited at "
        "anchor with the fuel and CO2 burnt and what just-in-time arrival would have saved. "
        "CSV gives the scores, or with --daily the days; JSON gives both.",
    )
    parser.add_argument("--db", required=True, metavar="FILE|URL", help=DB_HELP)
    parser.add_argument(
        "--since", type=data_time, metavar="T", help="arrivals and stays from this time"
    )
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table")
    parser.add_argument("--daily", action="store_true", help="CSV: the days instead of the scores")


def run(args: argparse.Namespace) -> int:
    import json

    from portwatch.watch_reports import (
        DAY_COLUMNS,
        SCORE_COLUMNS,
        read_eta_report,
        score_rows,
        write_rows,
    )

    report = read_eta_report(args.db, args.since)
    scores = score_rows(report.scores)
    if args.format == "json":
        print(json.dumps({"scores": scores, "daily": report.days}, indent=1))
    elif args.format == "csv":
        print(
            write_rows(report.days, DAY_COLUMNS, "csv")
            if args.daily
            else write_rows(scores, SCORE_COLUMNS, "csv")
        )
    else:
        print("Arrival estimates against the actual arrivals (minutes; bias > 0: late)")
        print(write_rows(scores, SCORE_COLUMNS, "table"))
        print()
        print("Waiting at anchor, by the day the stay ended (UTC)")
        print(write_rows(report.days, DAY_COLUMNS, "table") if report.days else "no stays ended")
    if not any(row.count for row in report.scores) and not report.days:
        print(
            f"portwatch eta-report: {args.db}: no arrivals scored and no stays kept",
            file=sys.stderr,
        )
        return 1
    return 0
