"""Opening the desktop app from the command line, or saying why it runs headless.

The core must work without Qt (a server, a CI box) and never imports it: when a
window is wanted and a screen is there to show it on, the app runs as a program
of its own (``python -m portwatch.ui``), which takes this process's place
(``exec``): Ctrl-C and SIGTERM sent to ``portwatch`` reach the window, and no
launcher is left to die while the window runs on.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections.abc import Sequence

from portwatch.launch import app_command, child_environment


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
    replay: str | None = None,
    note: str = "",
    db: str | None = None,
    chart: Sequence[str] = (),
) -> int:
    """Open the window on ``port`` and ``sources`` (or ``replay``, the URL of a log or
    of history to replay; with none of them, the last session's); ``note`` goes in
    the status bar; ``chart``, ENC cells drawn instead of the port file's. Does not
    return where processes can be replaced (POSIX); elsewhere returns the app's exit
    status."""
    command = app_command()
    if port:
        command += ["--port", port]
    for url in sources:
        command += ["--source", url]
    if replay:
        command += ["--replay", replay]
    if note:
        command += ["--note", note]
    if db:
        command += ["--db", db]
    for cell in chart:
        command += ["--chart", cell]
    if os.name == "posix":
        sys.stdout.flush()  # what was printed before goes out; exec keeps no buffers
        sys.stderr.flush()
        os.execve(command[0], command, child_environment())
    try:  # Windows has no exec: a child in the same console gets Ctrl-C as well
        return subprocess.run(command, check=False, env=child_environment()).returncode
    except KeyboardInterrupt:
        return 0
