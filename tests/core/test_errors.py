"""Every error the library raises on purpose is a ``PortwatchError``, so the one edge
of the CLI (``portwatch.cli.program.main``) turns each into one line and exit 2."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import portwatch
import portwatch.decoders
from portwatch.decoders.errors import PortwatchError

TRANSPORT_ERRORS = {"portwatch.sources.tcp.StalledError"}
"""OSErrors on purpose: a stalled connection is handled like any other lost one
(reconnect with back-off), inside the source, and never reaches a caller."""


def library_modules() -> list[str]:
    """The core's and the decoders' modules (the decoders install from their own folder)."""
    found = [
        *pkgutil.walk_packages(portwatch.__path__, "portwatch."),
        *pkgutil.walk_packages(portwatch.decoders.__path__, "portwatch.decoders."),
    ]
    return sorted(
        {
            module.name
            for module in found
            if not module.name.startswith("portwatch.ui") and not module.name.endswith("__main__")
        }
    )


def test_every_error_class_of_the_library_is_a_portwatch_error() -> None:
    errors = {
        f"{module}.{name}": cls
        for module in library_modules()
        for name, cls in inspect.getmembers(importlib.import_module(module), inspect.isclass)
        if issubclass(cls, Exception) and not issubclass(cls, Warning) and cls.__module__ == module
    }
    # the walk reached the core's modules and the decoders'
    assert {"portwatch.times.TimeFormatError", "portwatch.decoders.errors.DecodeError"} <= set(
        errors
    )
    outside = {
        name for name, cls in errors.items() if not issubclass(cls, PortwatchError)
    } - TRANSPORT_ERRORS
    assert not outside, f"errors that the CLI would show as a traceback: {sorted(outside)}"
