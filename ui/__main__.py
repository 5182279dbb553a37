"""``python -m portwatch.ui``: the desktop app as a program of its own.

The command line (``portwatch``) starts it this way when a window is wanted, so
that the core never imports Qt, not even lazily.
"""

from __future__ import annotations

import argparse
import sys

from portwatch.ui.app import run_app


def main() -> int:
    parser = argparse.ArgumentParser(prog="portwatch", description="PortWatch desktop app")
    parser.add_argument("--port", metavar="FILE")
    parser.add_argument("--source", action="append", default=[], metavar="URL")
    parser.add_argument("--replay", metavar="URL", help="a file:// log or history:// to replay")
    parser.add_argument("--note", default="")
    parser.add_argument("--db", metavar="FILE")
    parser.add_argument("--chart", action="append", default=[], metavar="CELL.000")
    args = parser.parse_args()
    return run_app(
        args.port,
        args.source,
        replay=args.replay,
        note=args.note,
        db_path=args.db,
        chart=args.chart,
    )


if __name__ == "__main__":
    sys.exit(main())
