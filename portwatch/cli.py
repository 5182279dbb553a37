"""The ``portwatch`` command line: a thin wrapper over the core.

Errors become one-line messages and a non-zero exit here, at the edge; the
library underneath raises typed errors and never prints.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from portwatch import __version__
from portwatch.decoders.errors import PortwatchError
from portwatch.settings import FleetSettings, RetentionSettings
from portwatch.sources.urls import ACCEPTED_FORMS, MAX_SIM_SPEED


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand (the README documents each one)."""
    parser = argparse.ArgumentParser(
        prog="portwatch",
        description="Vessel traffic and AIS monitoring for ports. "
        "Without a command, opens the demo port.",
    )
    parser.add_argument("--version", action="version", version=f"portwatch {__version__}")
    parser.add_argument(
        "--port", dest="app_port", metavar="FILE",
        help="without a command: open the app on this port file",
    )  # fmt: skip
    parser.add_argument(
        "--source", dest="app_sources", action="append", default=[], metavar="URL",
        help="without a command: open the app on this source (repeat for more)",
    )  # fmt: skip
    parser.add_argument(
        "--db", dest="app_db", metavar="FILE|URL",
        help="without a command: the history database, a file or postgresql://… "
        "(default: a file in your data folder)",
    )  # fmt: skip
    _add_chart_option(parser, "app_chart")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    open_log = commands.add_parser(
        "open",
        help="open a recorded log or a history database in the app, to replay",
        description="Open the desktop app replaying a recorded log (plain or gzip), or the "
        "history database over a time range (--from, --to; default: all of it).",
    )
    open_log.add_argument("log", metavar="FILE", help="log file or history database")
    open_log.add_argument("--port", metavar="FILE", help="port file (default: the last one)")
    open_log.add_argument(
        "--from", dest="since", type=_time, metavar="TIME",
        help="history: replay from this time (ISO 8601 UTC or Unix seconds)",
    )  # fmt: skip
    open_log.add_argument(
        "--to", dest="until", type=_time, metavar="TIME",
        help="history: replay up to this time",
    )  # fmt: skip
    _add_chart_option(open_log, "chart")

    decode = commands.add_parser(
        "decode",
        help="decode AIS logs to JSON Lines",
        description="Decode AIS NMEA logs (plain or gzip, any framing) to JSON Lines, one "
        "message per line. A summary of the decode statistics goes to standard error.",
    )
    decode.add_argument(
        "files", nargs="+", metavar="FILE", help="log file, or - for standard input"
    )
    decode.add_argument(
        "-o", "--output", metavar="OUT", help="write here instead of standard output"
    )
    decode.add_argument(
        "--raw", action="store_true", help="add each message's NMEA sentences under the key raw"
    )

    record = commands.add_parser(
        "record",
        help="record live sources to a log",
        description="Write every line the sources deliver, exactly as received, behind a "
        "tag block with the receive time (c:, milliseconds) and the source (s:). Runs until "
        "Ctrl-C or SIGTERM, then closes the log cleanly.",
    )
    record.add_argument("urls", nargs="+", metavar="SOURCE", help="source URL(s)")
    record.add_argument(
        "-o", "--output", required=True, metavar="LOG",
        help="log file to write; an existing one is appended to (with --gzip a new LOG-2.gz "
        "is started beside it); its folder must exist",
    )  # fmt: skip
    record.add_argument("--gzip", action="store_true", help="compress the log (adds .gz)")
    record.add_argument(
        "--rotate", choices=("hourly", "daily"), help="start a new file every hour or day (UTC)"
    )

    sources = commands.add_parser(
        "sources",
        help="work with live sources (receivers, feeds)",
        description="Work with live AIS sources, named by URL: " + ACCEPTED_FORMS,
    )
    source_commands = sources.add_subparsers(
        dest="sources_command", metavar="ACTION", required=True
    )
    check = source_commands.add_parser(
        "check",
        help="connect to a source and report what it sends",
        description="Connect, watch for a few seconds and report the line rate, the share of "
        "AIS sentences and the talkers; exit 1 when nothing arrived, none of it was AIS, or "
        "the source failed.",
    )
    check.add_argument("url", metavar="URL", help="source URL, e.g. tcp://127.0.0.1:10110")
    check.add_argument(
        "--seconds", type=_positive_number, default=5.0, help="how long to watch (default 5)"
    )

    importer = commands.add_parser(
        "import",
        help="import recorded logs into the history database",
        description="Decode and track recorded AIS logs (plain or gzip, any framing) with the "
        "same engine as live, and store every accepted fix, static-data change, event and port "
        "call in the history database. Shows progress; importing a log twice adds nothing.",
    )
    importer.add_argument("logs", nargs="+", metavar="LOG", help="log file, or - for stdin")
    importer.add_argument("--db", required=True, metavar="FILE|URL", help=DB_HELP)
    _add_history_options(importer)

    run = commands.add_parser(
        "run",
        help="track live sources headless, into the history database",
        description="Run the live pipeline without a screen: read the sources, track every "
        "vessel, store the history, print a status line every few seconds. Runs until Ctrl-C "
        "or SIGTERM. Sources: " + ACCEPTED_FORMS,
    )
    run.add_argument("urls", nargs="+", metavar="SOURCE", help="source URL(s)")
    run.add_argument("--db", required=True, metavar="FILE|URL", help=DB_HELP)
    run.add_argument("--events", metavar="FILE", help="also append events here as JSON Lines")
    run.add_argument(
        "--port", dest="run_port", metavar="FILE",
        help="watch this port (zones, anchorages, alerts), keeping the alerts in history",
    )  # fmt: skip
    run.add_argument(
        "--relay", metavar="tcp://HOST:PORT",
        help="serve the de-duplicated stream again, with tag blocks, to the workstations "
        "(HOST defaults to 127.0.0.1: give 0.0.0.0 or an address to serve the network)",
    )  # fmt: skip
    run.add_argument(
        "--relay-allow", action="append", default=[], metavar="NETWORK",
        help="serve the relay only to this network, e.g. 10.1.0.0/16 (repeat for more)",
    )  # fmt: skip
    _add_history_options(run)

    track = commands.add_parser(
        "track",
        help="export one vessel's track from history",
        description="Write the stored positions of one vessel as GeoJSON (a LineString and a "
        "Point per fix) or CSV.",
    )
    track.add_argument("mmsi", type=_mmsi, metavar="MMSI")
    track.add_argument("--db", required=True, metavar="FILE|URL", help=DB_HELP)
    track.add_argument("--since", type=_time, metavar="T", help="ISO 8601 UTC or Unix seconds")
    track.add_argument("--until", type=_time, metavar="T", help="ISO 8601 UTC or Unix seconds")
    track.add_argument("--format", choices=("geojson", "csv"), default="geojson")

    vessels = commands.add_parser(
        "vessels",
        help="list the vessels in history",
        description="Write every vessel in the history database with its latest static data "
        "and when it was first and last heard, as CSV (or JSON Lines).",
    )
    vessels.add_argument("--db", required=True, metavar="FILE|URL", help=DB_HELP)
    vessels.add_argument(
        "--active", action="store_true", help="only those heard in the last hour of data"
    )
    vessels.add_argument("--format", choices=("csv", "json"), default="csv")

    simulate = commands.add_parser(
        "simulate",
        help="write a port's simulated traffic to a log",
        description="Simulate AIS traffic for a port file (the demo port by default): ships "
        "arriving along its routes, taking a pilot, waiting at anchor when the berths are "
        "busy, berthing and sailing, pleasure craft and base stations. Seeded: the same seed "
        "and --start give the same log. Writes NMEA with tag blocks (gzip when LOG ends in "
        ".gz), or serves it live over TCP or UDP.",
    )
    _add_simulator_options(simulate, speed_default=None)
    simulate.add_argument(
        "--duration", type=_duration, default=6 * 3600.0, metavar="D",
        help="how long, with its unit: 6h, 90m, 3600s (default 6h)",
    )  # fmt: skip
    simulate.add_argument(
        "--start", type=_time, metavar="TIME",
        help="data time of the first line, ISO 8601 UTC or Unix seconds (default: now)",
    )  # fmt: skip
    target = simulate.add_mutually_exclusive_group(required=True)
    target.add_argument("-o", "--output", metavar="LOG", help="log to write")
    target.add_argument(
        "--serve",
        metavar="URL",
        help="serve live instead: tcp://HOST:PORT (listen, port 0 for a free one; every "
        "client gets every line) or udp://HOST:PORT (send datagrams there)",
    )

    demo = commands.add_parser(
        "demo",
        help="open the demo port, live (the default)",
        description="Open PortWatch on its built-in demo port, San Pedro Bay, fed live by the "
        "traffic simulator with the traffic already in place. Without a display (or with "
        "--headless) it prints the live status instead. --log summarises a recorded log.",
    )
    _add_simulator_options(demo, speed_default=1.0)
    demo.add_argument(
        "--minutes", type=_positive_number, metavar="N", help="headless: stop after N minutes"
    )
    demo.add_argument(
        "--headless", action="store_true",
        help="print the live status instead of opening the window (as when there is no "
        "display)",
    )  # fmt: skip
    demo.add_argument("--log", metavar="FILE", help="summarise this recorded log instead")
    _add_chart_option(demo, "chart")
    _add_port_command(commands)
    return parser


def _add_chart_option(parser: argparse.ArgumentParser, dest: str) -> None:
    parser.add_argument(
        "--chart", dest=dest, nargs="+", action="extend", default=[], metavar="CELL.000",
        help="draw these ENC cells (S-57 base files) under the traffic, instead of those the "
        "port file names",
    )  # fmt: skip


def _add_port_command(commands: argparse._SubParsersAction) -> None:
    from portwatch.charts.port_from_enc import APPROACHES

    port = commands.add_parser("port", help="make and check port files",
                               description="Make and check port files.")  # fmt: skip
    actions = port.add_subparsers(dest="port_command", metavar="ACTION", required=True)
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
        "--approach", choices=APPROACHES, default="coverage",
        help="the approach zone: around the cells' coverage (default), a mile around the "
        "zones, or none",
    )  # fmt: skip
    from_enc.add_argument(
        "--all-restricted", action="store_true",
        help="also make restricted zones of the areas that restrict only what ships do there "
        "(anchoring, fishing, discharging…), not entry",
    )  # fmt: skip


def _add_simulator_options(parser: argparse.ArgumentParser, speed_default: float | None) -> None:
    """The simulator's options, one set of rules for ``simulate`` and ``demo`` (and
    the same as a ``sim://`` URL's): port, seed, speed, scenarios."""
    parser.add_argument("--port", metavar="FILE", help="port file (default: the demo port)")
    parser.add_argument("--seed", type=_seed, default=1, help="simulator seed (default 1)")
    serving = "with --serve: " if speed_default is None else ""
    parser.add_argument(
        "--speed", type=_speed, default=speed_default, metavar="X",
        help=f"{serving}X times faster than real time (default 1, at most {MAX_SIM_SPEED:g})",
    )  # fmt: skip
    _add_scenario_option(parser)


def _add_scenario_option(parser: argparse.ArgumentParser) -> None:
    from portwatch.simulator.scenarios import DEFAULT_AT_MIN

    defaults = ", ".join(f"{kind} {at:g}" for kind, at in DEFAULT_AT_MIN.items())
    parser.add_argument(
        "--scenario", action="append", default=[], type=_scenario, metavar="KIND[@MIN]",
        help=f"inject a situation MIN minutes after the start (defaults: {defaults}); "
        "repeat, or give all",
    )  # fmt: skip


def _scenario(text: str) -> str:
    from portwatch.simulator.scenarios import parse_scenarios

    try:
        parse_scenarios([text])
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return text


DB_HELP = (
    "history database: a SQLite file, or postgresql://[USER@]HOST[:PORT]/DATABASE "
    "(credentials the usual libpq ways: ~/.pgpass, a service file, PGPASSWORD)"
)


def _add_history_options(parser: argparse.ArgumentParser) -> None:
    """Retention and tracking settings, shared by ``import`` and ``run``."""
    defaults = FleetSettings()
    parser.add_argument(
        "--keep-days",
        type=_positive_number,
        metavar="N",
        help="delete positions more than N days older than the newest data",
    )
    parser.add_argument(
        "--thin-after-days",
        type=_positive_number,
        metavar="K",
        help="thin positions more than K days old to one per --thin-to-minutes per vessel",
    )
    parser.add_argument(
        "--thin-to-minutes", type=_positive_number, default=5.0, metavar="M", help="default 5"
    )
    parser.add_argument(
        "--reception-scale",
        type=_positive_number,
        default=defaults.reception_scale,
        metavar="X",
        help="a target is lost after 6 missed reports times X (default %(default)s: a "
        "shore receiver misses more than a ship's own)",
    )
    parser.add_argument(
        "--remove-after-minutes",
        type=_positive_number,
        default=defaults.remove_after_s / 60,
        metavar="N",
        help="a silent target leaves the live picture after N minutes (default %(default)g)",
    )
    parser.add_argument(
        "--trail-minutes",
        type=_positive_number,
        default=defaults.trail_s / 60,
        metavar="N",
        help="trails in the live picture reach N minutes back (default %(default)g)",
    )


def history_settings(args: argparse.Namespace) -> tuple[RetentionSettings | None, FleetSettings]:
    """The retention and fleet settings the options of ``import`` and ``run`` ask for."""
    retention = None
    if args.keep_days is not None or args.thin_after_days is not None:
        retention = RetentionSettings(
            keep_days=args.keep_days,
            thin_after_days=args.thin_after_days,
            thin_to_minutes=args.thin_to_minutes,
        )
    fleet = FleetSettings(
        reception_scale=args.reception_scale,
        remove_after_s=args.remove_after_minutes * 60,
        trail_s=args.trail_minutes * 60,
    )
    return retention, fleet


def _positive_number(text: str) -> float:
    try:
        number = float(text)
    except ValueError:
        number = 0.0
    if not number > 0:
        raise argparse.ArgumentTypeError(f"must be a positive number, not {text!r}")
    return number


def _speed(text: str) -> float:
    try:
        speed = float(text)
    except ValueError:
        speed = 0.0
    if not 0 < speed <= MAX_SIM_SPEED:  # NaN fails too
        raise argparse.ArgumentTypeError(
            f"speed must be a number above 0 and at most {MAX_SIM_SPEED:g}, not {text!r}"
        )
    return speed


def _seed(text: str) -> int:
    try:
        seed = int(text)
    except ValueError:
        seed = -1
    if not 0 <= seed < 2**31:
        raise argparse.ArgumentTypeError(f"{text!r} is not a seed (a whole number from 0)")
    return seed


def _duration(text: str) -> float:
    from portwatch.simulate_command import parse_duration_s

    try:
        return parse_duration_s(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _mmsi(text: str) -> int:
    try:
        mmsi = int(text)
    except ValueError:
        mmsi = -1
    if not 0 <= mmsi <= 999_999_999:
        raise argparse.ArgumentTypeError(f"{text!r} is not an MMSI (up to nine digits)")
    return mmsi


def _time(text: str) -> float:
    from portwatch.times import TimeFormatError, parse_time

    try:
        return parse_time(text)
    except TimeFormatError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _open_app_or_demo(args: argparse.Namespace) -> int:
    """The app, when it can open; otherwise (or when asked) the headless demo."""
    from portwatch.desktop import open_desktop, why_no_window
    from portwatch.sources.history_replay import replay_url
    from portwatch.sources.urls import SourceUrlError

    command = args.command
    headless = command == "demo" and (args.headless or args.minutes is not None)
    reason = None if headless else why_no_window()
    if command == "open":
        if reason is not None:
            print(f"portwatch open: cannot open the app: {reason}", file=sys.stderr)
            return 2
        if args.since is not None and args.until is not None and args.until < args.since:
            print("portwatch open: --to is before --from", file=sys.stderr)
            return 2
        try:
            url = replay_url(args.log, args.since, args.until)
        except (OSError, SourceUrlError) as error:
            print(f"portwatch open: {error}", file=sys.stderr)
            return 2
        return open_desktop(args.port, replay=url, chart=args.chart or args.app_chart)
    if not headless and reason is None:
        if command == "demo":
            from portwatch.demo import simulator_url

            url = simulator_url(args.port, args.seed, args.speed, args.scenario)
            return open_desktop(args.port, [url], note=f"Simulated traffic ({url})", db=args.app_db,
                                chart=args.chart or args.app_chart)  # fmt: skip
        return open_desktop(args.app_port, args.app_sources, db=args.app_db, chart=args.app_chart)
    if reason is not None:
        print(f"portwatch: {reason}: running the demo headless", file=sys.stderr)
    from portwatch.demo import run_live_demo

    return run_live_demo(
        getattr(args, "port", None) or args.app_port, getattr(args, "seed", 1),
        getattr(args, "speed", 1.0), getattr(args, "scenario", []),
        getattr(args, "minutes", None),
    )  # fmt: skip


def _command_name(args: argparse.Namespace) -> str:
    """``portwatch decode``, ``portwatch sources check``: how messages are headed."""
    words = ["portwatch", args.command or ""]
    if args.command in ("sources", "port"):
        words.append(getattr(args, f"{args.command}_command"))
    return " ".join(word for word in words if word)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``portwatch`` console script; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "record":
            from portwatch.record_command import run_record

            return run_record(args.urls, args.output, compress=args.gzip, rotate=args.rotate)
        if args.command == "sources":
            from portwatch.sources_command import run_check

            return run_check(args.url, args.seconds)
        if args.command == "import":
            from portwatch.import_command import run_import

            retention, fleet = history_settings(args)
            return run_import(args.logs, args.db, retention, fleet)
        if args.command == "run":
            from portwatch.run_command import run_live

            retention, fleet = history_settings(args)
            return run_live(
                args.urls, args.db, args.events, retention, fleet, port_path=args.run_port,
                relay=args.relay, relay_allow=args.relay_allow,
            )  # fmt: skip
        if args.command == "track":
            from portwatch.export_commands import run_track

            return run_track(args.mmsi, args.db, args.since, args.until, args.format)
        if args.command == "vessels":
            from portwatch.export_commands import run_vessels

            return run_vessels(args.db, args.active, args.format)
        if args.command == "simulate":
            from portwatch.simulate_command import run_simulate

            if args.serve is not None:
                from portwatch.simulate_command import run_serve

                return run_serve(
                    args.port, args.seed, args.duration, args.serve, args.speed or 1.0,
                    args.scenario, args.start,
                )  # fmt: skip
            if args.speed is not None:
                print("portwatch simulate: --speed is for --serve: a log is written at once, "
                      "and replayed at any speed", file=sys.stderr)  # fmt: skip
                return 2
            return run_simulate(
                args.port, args.seed, args.duration, args.output, args.scenario, args.start
            )
        if args.command == "port":
            from portwatch.charts.from_enc_command import run_from_enc

            return run_from_enc(
                args.cells, args.name, args.output, args.approach, args.all_restricted
            )
        if args.command == "decode":
            from portwatch.decode_command import run_decode

            return run_decode(args.files, args.output, keep_raw=args.raw)
        if args.command == "demo" and args.log:
            from portwatch.demo import summarise_log

            return summarise_log(args.log)
        return _open_app_or_demo(args)
    except PortwatchError as error:  # refused before anything was written
        print(f"{_command_name(args)}: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130  # Ctrl-C: what was written stays written; no traceback
    except BrokenPipeError:
        # The reader went away (``| head``): not an error. Point standard output
        # at /dev/null so the interpreter's final flush stays quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
