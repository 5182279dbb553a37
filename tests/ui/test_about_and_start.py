"""Help > About (the version and every licence, the licence texts readable in it),
the window's icon, and the app started as its own program the way ``portwatch``
starts it, reporting what its window shows (``PORTWATCH_QUIT_AFTER_S``)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QSize, QTimer, QUrl
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from portwatch import __version__
from portwatch.bundled import DEMO_PORT, ICON_SIZES_PX, bundled_file
from portwatch.decoders import DECODERS
from portwatch.engine import Engine
from portwatch.launch import app_command, cli_command
from portwatch.port.port_file import load_port
from portwatch.ui.about_dialog import AboutDialog
from portwatch.ui.app import app_icon
from portwatch.ui.main_window import MainWindow

LICENCES = Path(str(bundled_file("licences/README.md"))).parent


def test_about_shows_the_version_and_the_licences_of_what_ships(qtbot: QtBot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    assert f"PortWatch {__version__}" in dialog.version.text()
    text = dialog.licences.toPlainText()
    for expected in (
        "GNU General Public License, version 3",
        "GSHHG",
        "LGPL-3.0",
        "not for navigation",
        "Qt 6, PySide6",
    ):
        assert expected in text
    assert not dialog.back_button.isEnabled()


def test_a_licence_link_shows_the_text_as_written_and_back_returns(qtbot: QtBot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    dialog.licences.setSource(QUrl("LGPL-3.0.txt"))  # what a click on the link does
    shown = dialog.licences.toPlainText().splitlines()
    written = (LICENCES / "LGPL-3.0.txt").read_text(encoding="utf-8").splitlines()
    assert shown[:40] == written[:40]  # line by line, not run together as HTML would
    assert dialog.back_button.isEnabled()
    dialog.back_button.click()
    assert dialog.licences.toPlainText().startswith("Licences")


def test_help_about_opens_the_dialog(qtbot: QtBot, tmp_path: Path) -> None:
    engine = Engine()
    settings = QSettings(str(tmp_path / "portwatch.ini"), QSettings.Format.IniFormat)
    window = MainWindow(engine, load_port(bundled_file(DEMO_PORT)), settings=settings)
    qtbot.addWidget(window)
    shown: list[AboutDialog] = []

    def close_the_dialog() -> None:
        dialogs = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, AboutDialog) and w.isVisible()
        ]
        if not dialogs:
            QTimer.singleShot(50, close_the_dialog)
            return
        shown.extend(dialogs)
        dialogs[0].reject()

    QTimer.singleShot(0, close_the_dialog)
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    assert window.about_action in help_menu.actions()
    window.about_action.trigger()  # returns when the dialog is closed
    assert len(shown) == 1
    engine.close()


def test_the_app_icon_comes_in_every_size() -> None:
    sizes = app_icon().availableSizes()
    assert {QSize(s, s) for s in ICON_SIZES_PX} <= set(sizes)


def test_the_app_started_as_portwatch_starts_it_says_what_its_window_shows(
    tmp_path: Path,
) -> None:
    """A first run (a home of its own): the demo port with simulated vessels."""
    environment = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
        "PORTWATCH_QUIT_AFTER_S": "4",
    }
    result = subprocess.run(
        app_command(),
        env=environment,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    found = re.search(
        r"^portwatch: window open on San Pedro Bay .* with (\d+) vessels on the "
        r"map \(chart: none\)$",
        result.stdout,
        re.MULTILINE,
    )
    assert found, result.stdout + result.stderr
    assert int(found[1]) > 0


def test_the_command_line_the_window_starts_runs_portwatch() -> None:
    """File > Open log and Replay history start ``cli_command(...)``: here, this
    Python with ``-m portwatch`` (the packaging tests run the frozen form)."""
    result = subprocess.run(
        cli_command("--version"), capture_output=True, text=True, timeout=60, check=False
    )
    assert result.stdout.splitlines() == [
        f"portwatch {__version__}",
        f"decoders: {DECODERS}",
    ], result.stderr


def test_a_quit_after_that_is_not_a_number_is_said_and_ignored(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from portwatch.ui.app import QUIT_AFTER_VARIABLE, _quit_after_s

    monkeypatch.setenv(QUIT_AFTER_VARIABLE, "2.5")
    assert _quit_after_s() == 2.5
    for text in ("soon", "-1", "nan"):
        monkeypatch.setenv(QUIT_AFTER_VARIABLE, text)
        assert _quit_after_s() is None
        said = capsys.readouterr().err
        assert f"{QUIT_AFTER_VARIABLE}={text!r} is not a number of seconds" in said
