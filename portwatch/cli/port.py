"""``portwatch port from-enc``: a port file from ENC cells, and what to check in it."""

from __future__ import annotations

import argparse

from portwatch.cli.options import CommandError, Subcommands

NAME = "port"


def add_parser(commands: Subcommands) -> None:
    from portwatch.charts.port_from_enc import APPROACHES

    parser = commands.add_parser(
        NAME, help="make and check port files", description="Make and check port files."
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    from_enc = actions.add_parser(
        "from-enc",
        help="make a port file from ENC cells (IHO S-57)",
        description="Make a port file from ENC cells (IHO S-57 base files, .000; the update "
        "files beside them are applied): land into its coastline file, anchorages, fairways, "
        "restricted areas, pilot boarding places and berths. Prints what the cells lack and "
        "every default to check.",
    )
    from_enc.add_argument("cells", nargs="+", metavar="CELL.000", help="ENC base cell(s)")
    from_enc.add_argument("--name", required=True, help="the port's name")
    from_enc.add_argument("-o", "--output", required=True, metavar="PORT.geojson")
    from_enc.add_argument(
        "--approach",
        choices=APPROACHES,
        default="coverage",
        help="the approach zone: around the cells' coverage (default), a mile around the "
        "zones, or none",
    )
    from_enc.add_argument(
        "--all-restricted",
        action="store_true",
        help="also make restricted zones of the areas that restrict only what ships do there "
        "(anchoring, fishing, discharging…), not entry",
    )


def run(args: argparse.Namespace) -> int:
    """Make the port, write it (and its coastline), print the summary. Every problem
    of the cells is a line of the ``ChartError``."""
    from portwatch.charts.port_from_enc import write_port_from_enc

    try:
        port, written, coastline = write_port_from_enc(
            args.cells, args.name, args.output, args.approach, args.all_restricted
        )
    except OSError as error:
        raise CommandError(f"{args.output}: cannot write: {error.strerror or error}") from error
    print(f"wrote {written} and {coastline}")
    for line in port.summary():
        print(line)
    return 0
