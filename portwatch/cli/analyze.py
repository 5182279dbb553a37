"""``portwatch analyze LOG… --port FILE --events OUT.jsonl [--db FILE]``: the
investigator's replay, recorded logs through the whole pipeline as fast as it goes.

A progress line per log on standard error, a summary at the end with the events
by kind. A log that breaks off or holds no AIS is named and the exit status is 1;
a log that cannot be opened, a port file that cannot be used, or an output that
is an input is refused in one line with nothing made (exit status 2).
"""

from __future__ import annotations

import argparse
import sys

from portwatch.cli.options import DB_HELP, Subcommands, add_history_options, history_settings

NAME = "analyze"


def add_parser(commands: Subcommands) -> None:
    parser = commands.add_parser(
        NAME,
        help="run the port's analytics over recorded logs, writing the event stream",
        description="Run recorded logs (plain or gzip, any framing) through the whole pipeline "
        "as live does it (decoding, tracking, the port's zones, anchorages, alerts and arrival "
        "times) as fast as it goes, and write every event as JSON Lines; with --db, keep "
        "everything in the history database as import --port does.",
    )
    parser.add_argument("logs", nargs="+", metavar="LOG", help="log file, or - for stdin")
    parser.add_argument(
        "--port", dest="watch_port", required=True, metavar="FILE", help="port file to watch"
    )
    parser.add_argument(
        "--events", required=True, metavar="OUT.jsonl", help="write the events here (made afresh)"
    )
    parser.add_argument("--db", metavar="FILE|URL", help="also keep everything here: " + DB_HELP)
    add_history_options(parser)


def run(args: argparse.Namespace) -> int:
    from portwatch.analyzing import analyze_logs
    from portwatch.cli.progress import ProgressLine

    retention, fleet = history_settings(args)
    result, _ = analyze_logs(
        args.logs,
        args.watch_port,
        args.events,
        db_path=args.db,
        progress=lambda path, total: ProgressLine(f"analyze {path}", total),
        settings=fleet,
        retention=retention,
    )
    for line in result.failed:
        print(f"portwatch analyze: {line}", file=sys.stderr)
    kinds = ", ".join(f"{kind} {n:,}" for kind, n in sorted(result.events.items()))
    rate = result.messages / result.elapsed_s if result.elapsed_s > 0 else 0.0
    print(
        f"analysed {result.messages:,} messages from {result.files} log(s) in "
        f"{result.elapsed_s:.1f} s ({rate:,.0f} msg/s): {result.events.total():,} events"
        + (f" ({kinds})" if kinds else "")
        + f" written to {args.events}",
        file=sys.stderr,
    )
    return 1 if result.failed else 0
