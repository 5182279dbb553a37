"""``portwatch sources check URL``: what a new receiver sends, in a few seconds.

The exit status is 1 when the source failed or sent no AIS at all in that time.
"""

from __future__ import annotations

import argparse
import sys

from portwatch.cli.options import Subcommands, positive_number
from portwatch.sources.urls import ACCEPTED_FORMS

NAME = "sources"


def add_parser(commands: Subcommands) -> None:
    parser = commands.add_parser(
        NAME,
        help="work with live sources (receivers, feeds)",
        description="Work with live AIS sources, named by URL: " + ACCEPTED_FORMS,
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    check = actions.add_parser(
        "check",
        help="connect to a source and report what it sends",
        description="Connect, watch for a few seconds and report the line rate, the share of "
        "AIS sentences and the talkers; exit 1 when nothing arrived, none of it was AIS, or "
        "the source failed.",
    )
    check.add_argument("url", metavar="URL", help="source URL, e.g. tcp://127.0.0.1:10110")
    check.add_argument(
        "--seconds", type=positive_number, default=5.0, help="how long to watch (default 5)"
    )


def run(args: argparse.Namespace) -> int:
    from portwatch.command_files import no_ais
    from portwatch.decoders.stats import failure_text
    from portwatch.source_check import SourceCheck

    check = SourceCheck(args.url)
    seconds = args.seconds
    print(f"watching {check.url.text} for {seconds:g} s …", flush=True)
    report = check.watch(seconds)
    status, stats = report.status, report.stats
    share = 100.0 * stats.sentences / stats.lines if stats.lines else 0.0
    print(f"state: {report.state}")
    print(
        f"lines: {status.lines} in {seconds:g} s ({status.lines / seconds:.1f}/s), "
        f"bytes {status.bytes}, malformed {status.malformed}, reconnects {status.reconnects}, "
        f"dropped {report.dropped}"
    )
    print(f"AIS sentences: {stats.sentences} ({share:.0f} % of lines), messages {stats.messages}")
    failures = stats.failures()
    kinds = failure_text(failures)
    print(f"decode failures: {sum(failures.values())}" + (f" ({kinds})" if kinds else ""))
    talker_text = ", ".join(f"{talker} {count}" for talker, count in report.talkers.most_common())
    print(f"talkers: {talker_text or 'none'}")
    if status.lines and not stats.sentences:
        print(f"portwatch sources check: {report.url}: {no_ais(stats)}", file=sys.stderr)
    return 0 if report.usable else 1
