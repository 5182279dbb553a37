"""Guards the Qt binding pin in pyproject.toml.

PySide6 6.12.0 on Python 3.11 aborts the interpreter ("deallocating None")
after a few frames of pyqtgraph curves: ``QPolygonF.resize()`` drops a
reference to None on every call, and pyqtgraph resizes a polygon each time it
draws a ``connect='finite'`` curve. If the pin is lost, this test kills the
interpreter, which pytest reports as a crash of the whole run.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import numpy as np
import pyqtgraph as pg
import PySide6
from packaging.requirements import Requirement
from pytestqt.qtbot import QtBot

FRAMES = 400


def test_installed_binding_respects_the_pin() -> None:
    """The pin is in pyproject.toml, and the binding installed here satisfies it."""
    project = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())
    pins = [
        Requirement(text)
        for text in project["project"]["dependencies"]
        if text.startswith("PySide6")
    ]
    applying = [pin for pin in pins if pin.marker is None or pin.marker.evaluate()]
    assert len(applying) == 1
    (pin,) = applying
    assert PySide6.__version__ in pin.specifier, f"{PySide6.__version__} against {pin}"
    if sys.version_info < (3, 12):
        assert not pin.specifier.contains("6.12.0"), "PySide6 6.12 crashes on Python 3.11"


def test_finite_curve_survives_hundreds_of_frames(qtbot: QtBot) -> None:
    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    plot.resize(400, 300)
    plot.show()
    curve = plot.plot(connect="finite")
    x = np.linspace(0.0, 10.0, 500)
    refs_before = sys.getrefcount(None)
    for frame in range(FRAMES):
        y = np.sin(x + frame / 10.0)
        y[frame % 500] = np.nan  # gaps: the 'finite' path that resizes a QPolygonF
        curve.setData(x, y, connect="finite")
        plot.grab()  # render the frame for real
    assert curve.getData()[1] is not None
    # On the broken binding None's count falls by one per resize until it is freed
    # (on Python 3.12 and later None is immortal: surviving the frames is the test).
    if sys.version_info < (3, 12):
        assert sys.getrefcount(None) >= refs_before - FRAMES // 2
