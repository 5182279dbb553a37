"""Opening the desktop app from the command line, or saying why it runs headless.

The core must work without Qt (a server, a CI box). This is the one module below
``ui/`` that reaches up to it, and only when a window is wanted and a screen is
there to show it on (tests/test_layers.py allows exactly that import).
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Sequence


def why_no_window() -> str | None:
    """None when the desktop app can open; else the reason it cannot."""
    for library in ("PySide6", "pyqtgraph"):
        try:
            found = importlib.util.find_spec(library) is not None
        except (ImportError, ValueError):  # blocked, or a broken installation
            found = False
        if not found:
            return f"the desktop libraries are not installed ({library})"
    if sys.platform.startswith("linux") and not (
        os.environ.get("QT_QPA_PLATFORM")
        or os.environ.get("DISPLAY")
        or os.environ.get("WAYLAND_DISPLAY")
    ):
        return "there is no display (DISPLAY is not set)"
    return None


def open_desktop(
    port: str | None = None,
    sources: Sequence[str] = (),
    log: str | None = None,
    note: str = "",
    db: str | None = None,
) -> int:
    """Open the window on ``port`` and ``sources`` (or ``log``; with none of them, the
    last session's); ``note`` goes in the status bar."""
    from portwatch.ui.app import run_app

    return run_app(port, list(sources), log=log, note=note, db_path=db)
