"""The ``portwatch`` program: the parser built from the commands, dispatch by table,
and the one place where errors become messages.

Each command is a module of this package with a ``NAME``, an ``add_parser`` that
declares its arguments and a ``run`` that calls the library and prints; adding a
command is adding its module to ``COMMANDS``. A command module imports the library
inside ``run``, so that building the parser (for ``--help``, ``--version`` or any
one command) does not import every command's library.

The library raises typed errors under ``PortwatchError`` and never prints; ``main``
turns one into a line on standard error and exit status 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Protocol

from portwatch import __version__
from portwatch.cli import (
    analyze,
    anchorages,
    app,
    decode,
    demo,
    eta_report,
    import_,
    open_,
    pilot_board,
    port,
    port_calls,
    record,
    run,
    simulate,
    sources,
    track,
    vessels,
)
from portwatch.cli.options import Subcommands
from portwatch.decoders import DECODERS
from portwatch.decoders.errors import PortwatchError


class Command(Protocol):
    """What a command module provides."""

    NAME: str

    def add_parser(self, commands: Subcommands) -> None:
        """Add the command's parser (with its help and arguments) to ``commands``."""

    def run(self, args: argparse.Namespace) -> int:
        """Do the command; returns the exit status."""


COMMANDS: tuple[Command, ...] = (
    open_,
    decode,
    record,
    sources,
    import_,
    run,
    analyze,
    anchorages,
    eta_report,
    pilot_board,
    track,
    vessels,
    simulate,
    demo,
    port,
    port_calls,
)
"""Every command, in the order ``portwatch --help`` lists them."""


class _Version(argparse.Action):
    """``--version``: the version, then which decoders run (compiled or pure Python,
    ``portwatch.decoders.DECODERS``) on a line of its own."""

    def __init__(self, option_strings: Sequence[str], dest: str, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        print(f"portwatch {__version__}\ndecoders: {DECODERS}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every command (the docs document each one)."""
    parser = argparse.ArgumentParser(
        prog="portwatch",
        description="Vessel traffic and AIS monitoring for ports. "
        "Without a command, opens the demo port.",
    )
    parser.add_argument(
        "--version", action=_Version, help="print the version and which decoders run, and exit"
    )
    app.add_options(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command.add_parser(commands)
    return parser


def command_name(args: argparse.Namespace) -> str:
    """``portwatch decode``, ``portwatch sources check``: how messages are headed."""
    words = ["portwatch", args.command, getattr(args, "action", None)]
    return " ".join(word for word in words if word)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``portwatch`` console script; returns the exit status."""
    args = build_parser().parse_args(argv)
    by_name = {command.NAME: command for command in COMMANDS}
    try:
        if args.command is None:
            return app.run(args)
        return by_name[args.command].run(args)
    except PortwatchError as error:  # refused before anything was written
        for line in str(error).splitlines() or [type(error).__name__]:
            print(f"{command_name(args)}: {line}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130  # Ctrl-C: what was written stays written; no traceback
    except BrokenPipeError:
        # The reader went away (``| head``): not an error. Point standard output
        # at /dev/null so the interpreter's final flush stays quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
