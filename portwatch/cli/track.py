"""``portwatch track MMSI --db FILE``: one vessel's track out of the history.

Exit status 1 when the vessel or its positions in that period are not there.
"""

from __future__ import annotations

import argparse
import sys

from portwatch.cli.options import DB_HELP, Subcommands, data_time, mmsi

NAME = "track"


def add_parser(commands: Subcommands) -> None:
    parser = commands.add_parser(
        NAME,
        help="export one vessel's track from history",
        description="Write the stored positions of one vessel as GeoJSON (a LineString and a "
        "Point per fix) or CSV.",
    )
    parser.add_argument("mmsi", type=mmsi, metavar="MMSI")
    parser.add_argument("--db", required=True, metavar="FILE|URL", help=DB_HELP)
    parser.add_argument("--since", type=data_time, metavar="T", help="ISO 8601 UTC or Unix seconds")
    parser.add_argument("--until", type=data_time, metavar="T", help="ISO 8601 UTC or Unix seconds")
    parser.add_argument("--format", choices=("geojson", "csv"), default="geojson")


def run(args: argparse.Namespace) -> int:
    from portwatch.command_files import redirected_output, refuse_writing_over_inputs
    from portwatch.history.export import read_track, write_track

    refuse_writing_over_inputs([redirected_output()], [args.db])  # ``>> history.sqlite``
    fixes, vessel = read_track(args.db, args.mmsi, args.since, args.until)
    if not fixes:
        known = "no such vessel in" if vessel is None else "no positions in that period in"
        print(f"portwatch track: {args.mmsi}: {known} {args.db}", file=sys.stderr)
        return 1
    write_track(args.mmsi, vessel, fixes, sys.stdout, args.format)
    sys.stdout.flush()
    print(f"{len(fixes)} positions of {args.mmsi}", file=sys.stderr)
    return 0
