"""``portwatch open FILE``: a recorded log or the history database replayed in the app."""

from __future__ import annotations

import argparse

from portwatch.cli.desktop import open_desktop, why_no_window
from portwatch.cli.options import CommandError, Subcommands, add_chart_option, data_time

NAME = "open"


def add_parser(commands: Subcommands) -> None:
    parser = commands.add_parser(
        NAME,
        help="open a recorded log or a history database in the app, to replay",
        description="Open the desktop app replaying a recorded log (plain or gzip), or the "
        "history database over a time range (--from, --to; default: all of it).",
    )
    parser.add_argument("log", metavar="FILE", help="log file or history database")
    parser.add_argument("--port", metavar="FILE", help="port file (default: the last one)")
    parser.add_argument(
        "--from",
        dest="since",
        type=data_time,
        metavar="TIME",
        help="history: replay from this time (ISO 8601 UTC or Unix seconds)",
    )
    parser.add_argument(
        "--to",
        dest="until",
        type=data_time,
        metavar="TIME",
        help="history: replay up to this time",
    )
    add_chart_option(parser, "chart")


def run(args: argparse.Namespace) -> int:
    from portwatch.sources.history_replay import replay_url

    reason = why_no_window()
    if reason is not None:
        raise CommandError(f"cannot open the app: {reason}")
    if args.since is not None and args.until is not None and args.until < args.since:
        raise CommandError("--to is before --from")
    try:
        url = replay_url(args.log, args.since, args.until)
    except OSError as error:
        raise CommandError(str(error)) from error
    return open_desktop(args.port, replay=url, chart=args.chart or args.app_chart)
