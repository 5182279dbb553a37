"""The status bar: the position text in degrees and decimal minutes as on a
chart, rounded without ever showing 60 minutes; the counters behind the rate."""

from __future__ import annotations

from html import escape

import pytest
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from portwatch.engine import Engine
from portwatch.sources.queue import ReceivedLine
from portwatch.ui.status_panel import StatusPanel, degrees_minutes
from tests.core.fleet_input import START_S, track_lines
from tests.core.test_tcp_source import wait_until
from tests.decoders.nmea import EXAMPLE_POSITION, nmea, vdm


@pytest.mark.parametrize(
    ("value", "hemispheres", "text"),
    [
        (33.7123, "NS", "33°42.738'N"),
        (-118.25, "EW", "118°15.000'W"),
        (33.99999999, "NS", "34°00.000'N"),  # rounds up into the next degree
        (-0.0000001, "NS", "0°00.000'S"),
        (0.0, "EW", "0°00.000'E"),
    ],
)
def test_degrees_and_decimal_minutes(value: float, hemispheres: str, text: str) -> None:
    assert degrees_minutes(value, hemispheres[0], hemispheres[1]) == text


def test_the_rate_tooltip_shows_every_kind_of_decode_failure_and_the_clock_note(
    qtbot: QtBot,
) -> None:
    """A receiver sending what PortWatch cannot use is seen live: the message rate's
    tooltip counts every kind of failure. Live times far ahead of this machine's
    clock are said once in the note and kept in the data time's tooltip."""
    position = vdm(EXAMPLE_POSITION)[0]
    engine = Engine(clock_follows_receive_time=True)
    engine.start()
    try:
        lines = [
            *track_lines(366999001, START_S, 8),
            position[:-2] + "00",  # bad checksum
            nmea("AIVDM,1,1,,A,L000000000000000000000000000,0", start="!"),  # type 28
        ]
        for line in lines:  # received by a machine whose clock says two years earlier
            engine.queue.put(ReceivedLine(START_S - 2 * 365 * 86_400, line.encode(), "tcp://rx:1"))
        assert wait_until(lambda: engine.snapshot().counters.decode_failures == 2, timeout_s=10)
        snapshot = engine.snapshot()
    finally:
        engine.close()
    window = QMainWindow()
    qtbot.addWidget(window)
    panel = StatusPanel(window.statusBar())
    panel.show(snapshot)
    tooltip = panel.rate.toolTip()
    assert "decode failures 2:" in tooltip
    for kind in (
        "bad checksum 1",
        "malformed 0",
        "orphan fragments 0",
        "undecodable 0",
        "unsupported type 1",
        "defects 0",
    ):
        assert kind in tooltip
    assert snapshot.clock_note is not None
    assert panel.note.text() == snapshot.clock_note
    assert escape(snapshot.clock_note) in panel.data_time.toolTip()
    panel.note.setText("range 1.00 NM")  # the note line is shared: said once, not again
    panel.show(snapshot)
    assert panel.note.text() == "range 1.00 NM"
