"""``portwatch`` without a command: the desktop app, or the demo headless.

The app opens on the last session (the demo port with the simulator, the first
time) or on the port and sources given; where no window can open (no display,
no Qt), the demo runs headless instead and says why.
"""

from __future__ import annotations

import argparse
import sys

from portwatch.cli import demo
from portwatch.cli.desktop import open_desktop, why_no_window
from portwatch.cli.options import add_chart_option


def add_options(parser: argparse.ArgumentParser) -> None:
    """The options of ``portwatch`` itself, before any command."""
    parser.add_argument(
        "--port",
        dest="app_port",
        metavar="FILE",
        help="without a command: open the app on this port file",
    )
    parser.add_argument(
        "--source",
        dest="app_sources",
        action="append",
        default=[],
        metavar="URL",
        help="without a command: open the app on this source (repeat for more)",
    )
    parser.add_argument(
        "--db",
        dest="app_db",
        metavar="FILE|URL",
        help="without a command: the history database, a file or postgresql://… "
        "(default: a file in your data folder)",
    )
    add_chart_option(parser, "app_chart")


def run(args: argparse.Namespace) -> int:
    reason = why_no_window()
    if reason is None:
        return open_desktop(args.app_port, args.app_sources, db=args.app_db, chart=args.app_chart)
    print(f"portwatch: {reason}: running the demo headless", file=sys.stderr)
    return demo.run_headless(args.app_port)
