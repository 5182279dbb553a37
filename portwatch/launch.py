"""The command lines with which PortWatch starts its own programs: the desktop app
(from ``portwatch``) and a replay window (from File > Open log and Replay history).

Installed as a package, they are modules run by this Python (``-m``). A frozen
build (PyInstaller) has no Python to run modules with, only its one executable:
it is started again, with ``APP_ARGUMENT`` first when the app is wanted
(``packaging/frozen_main.py`` reads it).
"""

from __future__ import annotations

import os
import sys

APP_ARGUMENT = "--desktop-app"
"""In a frozen build: the first argument that makes the executable the desktop app
(``python -m portwatch.ui``) rather than the command line."""


def is_frozen() -> bool:
    """True in a frozen build (PyInstaller sets ``sys.frozen``)."""
    return bool(getattr(sys, "frozen", False))


def cli_command(*arguments: str) -> list[str]:
    """The command line of ``portwatch ARGUMENTS`` run by this installation."""
    if is_frozen():
        return [sys.executable, *arguments]
    return [sys.executable, "-m", "portwatch", *arguments]


def app_command(*arguments: str) -> list[str]:
    """The command line of the desktop app (``python -m portwatch.ui ARGUMENTS``)."""
    if is_frozen():
        return [sys.executable, APP_ARGUMENT, *arguments]
    return [sys.executable, "-m", "portwatch.ui", *arguments]


def child_environment() -> dict[str, str]:
    """The environment for a program started by ``cli_command`` or ``app_command``.

    A frozen executable marks the environment it runs in (PyInstaller's
    ``_PYI_*`` variables); a copy of itself started as a program of its own is
    told to set itself up anew, as PyInstaller documents for such processes.
    """
    environment = dict(os.environ)
    if is_frozen():
        environment["PYINSTALLER_RESET_ENVIRONMENT"] = "1"
    return environment
