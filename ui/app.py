"""Starting the desktop app: a Qt application, the engine on its sources, the main
window over both; the engine is closed cleanly when the window is."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from PySide6.QtWidgets import QApplication

from portwatch.bundled import DEMO_PORT, bundled_file
from portwatch.engine import Engine
from portwatch.port.port_file import PortFileError, load_port
from portwatch.sources.urls import SourceUrlError
from portwatch.ui.main_window import MainWindow


def run_app(port_path: str | None, urls: Sequence[str], note: str = "") -> int:
    """Open the window on ``port_path`` (the demo port by default) fed by ``urls``."""
    try:
        port = load_port(port_path or bundled_file(DEMO_PORT))
    except PortFileError as error:
        print(f"portwatch: {error}", file=sys.stderr)
        return 2
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("PortWatch")
    app.setStyle("Fusion")
    engine = Engine(clock_follows_receive_time=True)
    try:
        for url in urls:
            engine.add_source(url)
    except SourceUrlError as error:
        print(f"portwatch: {error}", file=sys.stderr)
        return 2
    engine.start()
    window = MainWindow(engine, port, note=note)
    window.show()
    try:
        return app.exec()
    finally:
        engine.close()
