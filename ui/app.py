"""Starting the desktop app: a Qt application, the engine on its sources, the main
window over both; the engine is closed cleanly when the window is.

What it opens: the demo port with the simulator on a first run (or when asked),
a log or history to replay, the port and sources given, or else the last session's.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from PySide6.QtCore import QSettings, QStandardPaths, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from portwatch.bundled import DEMO_PORT, ICON_SIZES_PX, bundled_file, icon_name
from portwatch.centre.acknowledgements import SharedAcknowledgements
from portwatch.charts.chart_model import read_chart
from portwatch.engine import Engine
from portwatch.history.backend import is_postgresql
from portwatch.history.store import HistoryError, HistoryStore
from portwatch.history.writer import HistoryWriter
from portwatch.port.port_file import PortFileError, load_port
from portwatch.replay_clock import ReplayClock
from portwatch.sources.replay import FileReplaySource
from portwatch.sources.urls import SourceUrlError
from portwatch.ui.main_window import MainWindow
from portwatch.ui.palette import DEFAULT_PALETTE, window_palette
from portwatch.ui.replay_bar import ReplayBar

DEMO_SOURCE = "sim://demo"
DESKTOP_ID = "org.portwatch.PortWatch"
"""The desktop entry's name (``packaging/linux/DESKTOP_ID.desktop``): a Wayland or
X11 taskbar shows the window under that entry's name and icon."""
QUIT_AFTER_VARIABLE = "PORTWATCH_QUIT_AFTER_S"
"""For the packaged build's smoke test: after that many seconds the app prints what
its window shows (port, vessels) and closes as File > Quit does."""


@dataclass(frozen=True)
class Session:
    """What the window opens on."""

    port: str | None
    """A port file, or None for the demo port."""
    sources: tuple[str, ...]
    note: str


def choose_session(
    settings: QSettings,
    port: str | None,
    sources: Sequence[str],
    replay: str | None,
    note: str = "",
) -> Session:
    saved_port = settings.value("session/port") or None
    if replay is not None:
        return Session(port or saved_port, (replay,), f"Replaying {unquote(replay)}")
    if port is not None or sources:
        return Session(port, tuple(sources), note)
    saved_sources = settings.value("session/sources")
    if saved_sources is None and saved_port is None:
        return Session(
            None, (DEMO_SOURCE,), "First run: the demo port with simulated traffic (sim://demo)"
        )
    if isinstance(saved_sources, str):
        saved_sources = [saved_sources]
    return Session(
        str(saved_port) if saved_port else None,
        tuple(saved_sources or ()),
        "Last session's port and sources",
    )


def default_db_path(name: str | None = None) -> str:
    """The history database in the user's data folder (made when missing);
    ``name`` for another file there (the demo's own history)."""
    folder = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))
    folder.mkdir(parents=True, exist_ok=True)
    return str(folder / (name or "history.sqlite"))


def app_icon() -> QIcon:
    """PortWatch's icon at every size it ships in, for the window and the taskbar."""
    icon = QIcon()
    for size_px in ICON_SIZES_PX:
        icon.addFile(str(bundled_file(icon_name(size_px))))
    return icon


FULL_COLLECTION_EVERY = 100
"""Young-generation passes between full collections of the garbage collector
(CPython's default is 10)."""


def settle_collector() -> None:
    """Keep the garbage collector's full passes out of the operator's way, once the
    window is up.

    A full pass walks every object the collector tracks, holding the interpreter:
    at a national feed's 20,000 vessels (six tracked objects each: state, fix,
    static data, view, trail, trail array) about 100 ms of CPU, during which the
    window does not answer. What exists now (Qt, pyqtgraph, the port, the restored
    picture) lives as long as the window, so it is frozen out of the collector's
    sight; and full passes come a tenth as often as by default. They only matter
    for reference cycles (everything else is freed as soon as it is dropped), and
    the vessels' records hold none: young passes still free the cycles of
    short-lived objects. Measured by benchmarks/ui_live.py, which calls this too.
    """
    gc.freeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_COLLECTION_EVERY)


def _quit_after_s() -> float | None:
    """``PORTWATCH_QUIT_AFTER_S`` in seconds; None when unset, or not a number (said)."""
    text = os.environ.get(QUIT_AFTER_VARIABLE)
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < 86_400:
        print(
            f"portwatch: {QUIT_AFTER_VARIABLE}={text!r} is not a number of seconds: ignored",
            file=sys.stderr,
        )
        return None
    return seconds


def _report_and_quit(window: MainWindow) -> None:
    """``PORTWATCH_QUIT_AFTER_S``: one line saying what the window shows, then quit."""
    snapshot = window.engine.snapshot()
    on_map = sum(1 for vessel in snapshot.vessels.values() if vessel.fix is not None)
    chart = "drawn" if window.map.chart_layer is not None else "none"
    print(
        f"portwatch: window open on {window.port.name} with {on_map} vessels on the map "
        f"(chart: {chart})",
        flush=True,
    )
    window.close()


def save_session(settings: QSettings, port: str | None, sources: Sequence[str]) -> None:
    settings.setValue("session/port", port or "")
    settings.setValue("session/sources", list(sources))
    settings.sync()


def run_app(
    port_path: str | None,
    urls: Sequence[str],
    replay: str | None = None,
    note: str = "",
    settings: QSettings | None = None,
    db_path: str | None = None,
    chart: Sequence[str] = (),
) -> int:
    """Open the window and run until it is closed; returns the exit status.
    ``chart``: ENC cells to draw instead of those the port file names."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("PortWatch")
    app.setDesktopFileName(DESKTOP_ID)
    app.setWindowIcon(app_icon())
    app.setStyle("Fusion")
    previous_handlers = _close_on_stop_signals(app)
    try:
        return _run_window(app, port_path, urls, replay, note, settings, db_path, chart)
    finally:
        for signum, handler in previous_handlers.items():
            signal.signal(signum, handler)


def _close_on_stop_signals(app: QApplication) -> dict[int, Any]:
    """SIGTERM (a service manager, a logout, ``kill``) and Ctrl-C close the window
    as its close button does: settings saved, history written to the end. Python
    runs the handler between two bytecodes, which the window's refresh timer gives
    it several times a second; the close waits in Qt's queue until the window is
    up. Returns the handlers replaced (none outside the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        return {}

    def close(*_: object) -> None:
        QTimer.singleShot(0, app.closeAllWindows)

    return {signum: signal.signal(signum, close) for signum in (signal.SIGINT, signal.SIGTERM)}


def _run_window(
    app: QApplication,
    port_path: str | None,
    urls: Sequence[str],
    replay: str | None,
    note: str,
    settings: QSettings | None,
    db_path: str | None,
    chart: Sequence[str],
) -> int:
    """``run_app`` with the stop signals in hand: the window until it is closed."""
    settings = settings or QSettings("PortWatch", "PortWatch")
    session = choose_session(settings, port_path, urls, replay, note)
    try:
        port = load_port(session.port or bundled_file(DEMO_PORT))
    except PortFileError as error:
        print(f"portwatch: {error}", file=sys.stderr)
        return 2
    chart_cells, chart_errors = read_chart(chart or port.chart)
    for error in chart_errors:  # the port and the traffic still open: a chart is a backdrop
        print(f"portwatch: chart: {error}", file=sys.stderr)
    live = replay is None
    history = None
    if live:  # a replay is not the port's live history
        # Simulated ships must not mix with a receiver's real history.
        simulated = bool(session.sources) and all(url.startswith("sim:") for url in session.sources)
        db_path = db_path or default_db_path("demo-history.sqlite" if simulated else None)
        try:
            history = HistoryWriter(db_path)
        except HistoryError as error:
            print(f"portwatch: {error}", file=sys.stderr)
            return 2
    engine = Engine(history=history, clock_follows_receive_time=live, port=port)
    replay_clock = None if live else ReplayClock(speed=1.0)
    try:
        if history is not None:
            with HistoryStore.open(history.path) as store:
                engine.restore(store)
        for url in session.sources:
            engine.add_source(url, replay_clock=replay_clock)
    except (SourceUrlError, HistoryError) as error:
        print(f"portwatch: {error}", file=sys.stderr)
        engine.close()  # closes the history too: nothing half written is left
        return 2
    shared = None
    if history is not None and is_postgresql(history.path) and port is not None:
        # A centre's workstation: acknowledgements made here reach the others, and theirs here.
        shared = SharedAcknowledgements(str(history.path), engine)
    engine.start()
    app.setPalette(window_palette(str(settings.value("theme", DEFAULT_PALETTE))))
    # A replay of history reads its tracks from the database it replays.
    replayed = engine.sources[0] if replay_clock is not None else None
    track_db = history.path if history else getattr(replayed, "database_path", None)
    note = session.note
    if chart_errors:
        note = f"chart: {chart_errors[0]}" + (
            f" (and {len(chart_errors) - 1} more)" if len(chart_errors) > 1 else ""
        )
    window = MainWindow(
        engine,
        port,
        settings=settings,
        note=note,
        db_path=str(track_db) if track_db else None,
        chart=chart_cells,
    )
    # Tens of milliseconds of drawing at a national feed's 20,000 vessels, four times
    # a second, in a thread of their own (measured by benchmarks/ui_live.py).
    window.map.vessels.render_in_background()
    if replay_clock is not None:
        assert isinstance(replayed, FileReplaySource)
        window.attach_replay(ReplayBar(engine, replayed, replay_clock))
    if window.first_layout:
        window.showMaximized()  # the window's geometry fills the screen without a manager
    else:
        window.show()
    quit_after_s = _quit_after_s()
    if quit_after_s is not None:
        QTimer.singleShot(round(quit_after_s * 1000), lambda: _report_and_quit(window))
    settle_collector()
    try:
        return app.exec()
    finally:
        if live:
            save_session(settings, session.port, [s.name for s in engine.sources])
        if shared is not None:
            shared.close()
        engine.close()
