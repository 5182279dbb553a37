"""Option types and option groups that several commands share: one set of rules each.

An argument ``type`` raises ``argparse.ArgumentTypeError``, which argparse turns
into a usage message and exit status 2 before the command starts.
"""

from __future__ import annotations

import argparse

from portwatch.decoders.errors import PortwatchError
from portwatch.settings import FleetSettings, RetentionSettings
from portwatch.sources.urls import MAX_SIM_SPEED

Subcommands = argparse._SubParsersAction
"""What a command module adds its parser to (``add_subparsers()``'s result)."""


DB_HELP = (
    "history database: a SQLite file, or postgresql://[USER@]HOST[:PORT]/DATABASE "
    "(credentials the usual libpq ways: ~/.pgpass, a service file, PGPASSWORD)"
)


class CommandError(PortwatchError):
    """A command refuses to start: options that do not fit together, an input it
    cannot read, a window it cannot open. Said in one line, exit status 2."""


def add_chart_option(parser: argparse.ArgumentParser, dest: str) -> None:
    parser.add_argument(
        "--chart",
        dest=dest,
        nargs="+",
        action="extend",
        default=[],
        metavar="CELL.000",
        help="draw these ENC cells (S-57 base files) under the traffic, instead of those the "
        "port file names",
    )


def add_simulator_options(parser: argparse.ArgumentParser, speed_default: float | None) -> None:
    """The simulator's options, one set of rules for ``simulate`` and ``demo`` (and
    the same as a ``sim://`` URL's): port, seed, speed, scenarios."""
    from portwatch.simulator.scenarios import DEFAULT_AT_MIN

    parser.add_argument("--port", metavar="FILE", help="port file (default: the demo port)")
    parser.add_argument("--seed", type=seed, default=1, help="simulator seed (default 1)")
    serving = "with --serve: " if speed_default is None else ""
    parser.add_argument(
        "--speed",
        type=speed,
        default=speed_default,
        metavar="X",
        help=f"{serving}X times faster than real time (default 1, at most {MAX_SIM_SPEED:g})",
    )
    defaults = ", ".join(f"{kind} {at:g}" for kind, at in DEFAULT_AT_MIN.items())
    parser.add_argument(
        "--scenario",
        action="append",
        default=[],
        type=scenario,
        metavar="KIND[@MIN]",
        help=f"inject a situation MIN minutes after the start (defaults: {defaults}); "
        "repeat, or give all",
    )


def add_history_options(parser: argparse.ArgumentParser) -> None:
    """Retention and tracking settings, shared by ``import`` and ``run``."""
    defaults = FleetSettings()
    parser.add_argument(
        "--keep-days",
        type=positive_number,
        metavar="N",
        help="delete positions more than N days older than the newest data",
    )
    parser.add_argument(
        "--thin-after-days",
        type=positive_number,
        metavar="K",
        help="thin positions more than K days old to one per --thin-to-minutes per vessel",
    )
    parser.add_argument(
        "--thin-to-minutes", type=positive_number, default=5.0, metavar="M", help="default 5"
    )
    parser.add_argument(
        "--reception-scale",
        type=positive_number,
        default=defaults.reception_scale,
        metavar="X",
        help="a target is lost after 6 missed reports times X (default %(default)s: a "
        "shore receiver misses more than a ship's own)",
    )
    parser.add_argument(
        "--remove-after-minutes",
        type=positive_number,
        default=defaults.remove_after_s / 60,
        metavar="N",
        help="a silent target leaves the live picture after N minutes (default %(default)g)",
    )
    parser.add_argument(
        "--trail-minutes",
        type=positive_number,
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


def positive_number(text: str) -> float:
    try:
        number = float(text)
    except ValueError:
        number = 0.0
    if not number > 0:
        raise argparse.ArgumentTypeError(f"must be a positive number, not {text!r}")
    return number


def speed(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value <= MAX_SIM_SPEED:  # NaN fails too
        raise argparse.ArgumentTypeError(
            f"speed must be a number above 0 and at most {MAX_SIM_SPEED:g}, not {text!r}"
        )
    return value


def seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value < 2**31:
        raise argparse.ArgumentTypeError(f"{text!r} is not a seed (a whole number from 0)")
    return value


def scenario(text: str) -> str:
    from portwatch.simulator.scenarios import parse_scenarios

    try:
        parse_scenarios([text])
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return text


def duration(text: str) -> float:
    from portwatch.simulator.output import parse_duration_s

    try:
        return parse_duration_s(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def mmsi(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 999_999_999:
        raise argparse.ArgumentTypeError(f"{text!r} is not an MMSI (up to nine digits)")
    return value


def data_time(text: str) -> float:
    """A time as users type it (ISO 8601 UTC or Unix seconds), as Unix seconds."""
    from portwatch.times import TimeFormatError, parse_time

    try:
        return parse_time(text)
    except TimeFormatError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
