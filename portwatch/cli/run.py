"""``portwatch run SOURCE… --db FILE|URL``: the live pipeline without a screen.

Every few seconds a status line says how the sources are, the message rate, the
vessels and the rows written. Runs until Ctrl-C or SIGTERM (or until every source
has ended, as files do); the exit status is 1 when rows could not be written, a
source failed or the engine stopped on a defect.
"""

from __future__ import annotations

import argparse
import sys
import threading

from portwatch.cli.options import DB_HELP, Subcommands, add_history_options, history_settings
from portwatch.cli.signals import stop_on_signals
from portwatch.sources.urls import ACCEPTED_FORMS

NAME = "run"


def add_parser(commands: Subcommands) -> None:
    parser = commands.add_parser(
        NAME,
        help="track live sources headless, into the history database",
        description="Run the live pipeline without a screen: read the sources, track every "
        "vessel, store the history, print a status line every few seconds. Runs until Ctrl-C "
        "or SIGTERM. Sources: " + ACCEPTED_FORMS,
    )
    parser.add_argument("urls", nargs="+", metavar="SOURCE", help="source URL(s)")
    parser.add_argument("--db", required=True, metavar="FILE|URL", help=DB_HELP)
    parser.add_argument("--events", metavar="FILE", help="also append events here as JSON Lines")
    parser.add_argument(
        "--port",
        dest="run_port",
        metavar="FILE",
        help="watch this port (zones, anchorages, alerts), keeping the alerts in history",
    )
    parser.add_argument(
        "--relay",
        metavar="tcp://HOST:PORT",
        help="serve the de-duplicated stream again, with tag blocks, to the workstations "
        "(HOST defaults to 127.0.0.1: give 0.0.0.0 or an address to serve the network)",
    )
    parser.add_argument(
        "--relay-allow",
        action="append",
        default=[],
        metavar="NETWORK",
        help="serve the relay only to this network, e.g. 10.1.0.0/16 (repeat for more)",
    )
    add_history_options(parser)


def run(args: argparse.Namespace) -> int:
    from portwatch.live_tracking import LiveTracking, relay_status, shutdown_problems, status_line

    retention, fleet = history_settings(args)
    tracking = LiveTracking(
        args.urls,
        args.db,
        args.events,
        retention,
        fleet,
        on_events_error=_events_error,
        port_path=args.run_port,
        relay=args.relay,
        relay_allow=args.relay_allow,
    )
    if tracking.restored:
        print(f"restored {tracking.restored} vessels from {tracking.shown}", file=sys.stderr)
    if tracking.relay is not None:
        address, bound_port = tracking.relay.address
        print(f"relay: serving tcp://{address}:{bound_port}", file=sys.stderr)
    stopping = threading.Event()
    with stop_on_signals(stopping):
        final = tracking.run(
            stopping,
            lambda snapshot: print(
                status_line(snapshot) + relay_status(tracking.relay), file=sys.stderr, flush=True
            ),
        )
    print(status_line(final) + relay_status(tracking.relay), file=sys.stderr)
    problems = shutdown_problems(final)
    for problem in problems:
        print(f"portwatch run: {problem}", file=sys.stderr)
    return 1 if problems else 0


def _events_error(error: OSError) -> None:
    print(f"portwatch run: events file: {error.strerror}", file=sys.stderr)
