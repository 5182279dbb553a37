"""``portwatch simulate``: a port's simulated traffic written to a log or served live."""

from __future__ import annotations

import argparse
import sys
import threading

from portwatch.cli.options import (
    CommandError,
    Subcommands,
    add_simulator_options,
    data_time,
    duration,
)
from portwatch.cli.signals import stop_on_signals

NAME = "simulate"


def add_parser(commands: Subcommands) -> None:
    parser = commands.add_parser(
        NAME,
        help="write a port's simulated traffic to a log",
        description="Simulate AIS traffic for a port file (the demo port by default): ships "
        "arriving along its routes, taking a pilot, waiting at anchor when the berths are "
        "busy, berthing and sailing, pleasure craft and base stations. Seeded: the same seed "
        "and --start give the same log. Writes NMEA with tag blocks (gzip when LOG ends in "
        ".gz), or serves it live over TCP or UDP.",
    )
    add_simulator_options(parser, speed_default=None)
    parser.add_argument(
        "--duration",
        type=duration,
        default=6 * 3600.0,
        metavar="D",
        help="how long, with its unit: 6h, 90m, 3600s (default 6h)",
    )
    parser.add_argument(
        "--start",
        type=data_time,
        metavar="TIME",
        help="data time of the first line, ISO 8601 UTC or Unix seconds (default: now)",
    )
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("-o", "--output", metavar="LOG", help="log to write")
    target.add_argument(
        "--serve",
        metavar="URL",
        help="serve live instead: tcp://HOST:PORT (listen, port 0 for a free one; every "
        "client gets every line) or udp://HOST:PORT (send datagrams there)",
    )


def run(args: argparse.Namespace) -> int:
    if args.serve is not None:
        return _serve(args)
    if args.speed is not None:
        raise CommandError(
            "--speed is for --serve: a log is written at once, and replayed at any speed"
        )
    from portwatch.decoders.jsonl import iso_utc
    from portwatch.simulator.output import simulator_for, summary, write_log

    simulator = simulator_for(args.port, args.seed, args.scenario, args.start)
    try:
        lines = write_log(simulator, args.duration, args.output, args.port)
    except OSError as error:
        print(
            f"portwatch simulate: cannot write {args.output}: {error.strerror or error}",
            file=sys.stderr,
        )
        return 1
    print(
        f"simulated {args.duration / 3600:g} h of {simulator.port.name} from "
        f"{iso_utc(simulator.start_s)} (seed {args.seed}): {lines:,} lines -> {args.output}",
        file=sys.stderr,
    )
    print(summary(simulator), file=sys.stderr)
    return 0


def _serve(args: argparse.Namespace) -> int:
    """Serve the traffic live until it ends, Ctrl-C or SIGTERM, its data times from
    ``--start`` (now when not given), as ``sim://`` runs on this machine's clock."""
    from portwatch.decoders.jsonl import iso_utc
    from portwatch.simulator.output import (
        open_feed,
        parse_serve_url,
        serve,
        simulator_for,
        summary,
    )

    parse_serve_url(args.serve)  # a wrong URL is said before the port is read
    simulator = simulator_for(args.port, args.seed, args.scenario, args.start)
    speed = args.speed or 1.0
    try:
        feed = open_feed(args.serve)
    except OSError as error:
        raise CommandError(f"cannot serve on {args.serve}: {error.strerror or error}") from error
    stopping = threading.Event()
    with stop_on_signals(stopping):  # before "serving": a client may stop it at once
        print(
            f"serving {simulator.port.name} (seed {args.seed}) on {feed.url} from "
            f"{iso_utc(simulator.start_s)} at {speed:g}x real time",
            file=sys.stderr,
            flush=True,
        )
        sent = serve(simulator, feed, args.duration, speed, stopping)
    clients = f", {feed.server.clients_served} client(s) served" if feed.server else ""
    print(f"served {sent:,} lines{clients}", file=sys.stderr)
    print(summary(simulator), file=sys.stderr)
    return 0
