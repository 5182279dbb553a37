"""The ``portwatch`` command line: a thin wrapper over the library, one module per
command (``program.py`` builds the parser from them and dispatches)."""

from portwatch.cli.program import build_parser, main

__all__ = ["build_parser", "main"]
