"""Replaying a log, or a range of the history database, in the app: the timeline
pauses, changes speed and seeks, and the data time (and the picture) follow."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QDateTime, QPoint, QSettings, Qt, QTimeZone
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QSlider, QStyle, QStyleOptionSlider
from pytestqt.qtbot import QtBot

from portwatch.bundled import DEMO_PORT, bundled_file
from portwatch.engine import Engine
from portwatch.history.writer import HistoryWriter
from portwatch.port.port_file import load_port
from portwatch.replay_clock import ReplayClock
from portwatch.simulator.traffic import TrafficSimulator
from portwatch.sources.urls import history_url
from portwatch.ui.history_range_dialog import HistoryRangeDialog
from portwatch.ui.main_window import MainWindow
from portwatch.ui.replay_bar import PAGE_STEPS, SLIDER_STEPS, ReplayBar
from tests.core.test_replay_seek import assert_same_picture, picture, played_straight_to

START_S = 1_710_201_600.0


def test_pause_and_seek_move_the_data_time(qtbot: QtBot, tmp_path: Path) -> None:
    port = load_port(bundled_file(DEMO_PORT))
    log = tmp_path / "bay.nmea"
    log.write_text("\n".join(TrafficSimulator(port, seed=6).lines(2 * 3600)) + "\n")
    clock = ReplayClock(speed=60.0)
    engine = Engine()
    source = engine.add_source(f"file://{log}", replay_clock=clock)
    engine.start()
    settings = QSettings(str(tmp_path / "portwatch.ini"), QSettings.Format.IniFormat)
    window = MainWindow(engine, port, settings=settings)
    qtbot.addWidget(window)
    bar = ReplayBar(engine, source, clock)
    window.attach_replay(bar)
    try:
        qtbot.waitUntil(lambda: bar.span is not None, timeout=10_000)
        first, last = bar.span
        assert first == START_S
        assert last >= START_S + 2 * 3600 - 60
        qtbot.waitUntil(lambda: (engine.snapshot().data_time_s or 0) > START_S + 60, timeout=10_000)

        bar.toggle_pause()
        assert bar.play.text() == "Play"
        paused_at_s = clock.now_s()
        # Paused, the replay waits on the clock and hands nothing more over; the
        # lines already handed over were all due by then.
        qtbot.waitUntil(lambda: source.status().state == "paused", timeout=10_000)
        handed_over = source.status().lines
        qtbot.wait(1000)  # at 60x a second is a minute: a replay still playing shows it
        assert source.status().lines == handed_over
        assert engine.snapshot().data_time_s <= paused_at_s

        bar.seek(START_S + 90 * 60)  # forward, paused: the picture jumps there
        bar.toggle_pause()
        qtbot.waitUntil(lambda: engine.snapshot().data_time_s >= START_S + 90 * 60, timeout=10_000)
        window.refresh()
        assert bar.time_label.text().startswith("2024-03-12 01:3")
        assert bar.slider.value() > 7000

        bar.seek(START_S + 10 * 60)  # back: the picture starts again from there
        qtbot.waitUntil(
            lambda: START_S + 10 * 60 <= (engine.snapshot().data_time_s or 0) < START_S + 40 * 60,
            timeout=10_000,
        )
        assert engine.snapshot().counters.fixes_rejected == 0
        bar.speed.setCurrentText("max")
        assert clock.speed is None
    finally:
        window.close()
        engine.close()


def test_a_range_of_history_replays_in_the_window(qtbot: QtBot, tmp_path: Path) -> None:
    """History replayed over a range: the timeline knows the range at once, the
    picture holds only that range's data, and a seek back starts it again."""
    port = load_port(bundled_file(DEMO_PORT))
    db = tmp_path / "history.sqlite"
    recorder = Engine(history=HistoryWriter(db, fail_fast=True))
    recorder.feed(list(TrafficSimulator(port, seed=6).lines(3600)), source="sim")
    recorder.close()
    since_s, until_s = START_S + 20 * 60, START_S + 50 * 60
    clock = ReplayClock(speed=60.0)
    engine = Engine()
    source = engine.add_source(history_url(str(db), since_s, until_s), replay_clock=clock)
    engine.start()
    settings = QSettings(str(tmp_path / "portwatch.ini"), QSettings.Format.IniFormat)
    window = MainWindow(engine, port, settings=settings, db_path=str(db))
    qtbot.addWidget(window)
    bar = ReplayBar(engine, source, clock)
    window.attach_replay(bar)
    try:
        assert bar.span == (since_s, until_s)
        assert bar.slider.isEnabled()
        qtbot.waitUntil(
            lambda: (engine.snapshot().data_time_s or 0) > since_s + 120, timeout=10_000
        )
        window.refresh()
        assert window.vessel_model.rowCount() >= 20
        assert since_s <= engine.snapshot().data_time_s <= until_s
        bar.seek(since_s + 25 * 60)
        qtbot.waitUntil(lambda: engine.snapshot().data_time_s >= since_s + 25 * 60, timeout=10_000)
        bar.seek(since_s + 60)
        qtbot.waitUntil(
            lambda: since_s + 60 <= (engine.snapshot().data_time_s or 0) < since_s + 20 * 60,
            timeout=10_000,
        )
        assert engine.snapshot().counters.decode_failures == 0
    finally:
        window.close()
        engine.close()


def test_the_history_range_dialog_offers_what_history_holds(qtbot: QtBot) -> None:
    dialog = HistoryRangeDialog("/data/history.sqlite", (START_S, START_S + 10 * 3600))
    qtbot.addWidget(dialog)
    assert dialog.range_s() == (START_S + 8 * 3600, START_S + 10 * 3600)  # the last two hours
    dialog.until.setDateTime(QDateTime.fromSecsSinceEpoch(int(START_S + 3600), QTimeZone.utc()))
    assert dialog.range_s() == (START_S + 3600, START_S + 3600)  # "from" follows "to" back
    dialog.since.setDateTime(QDateTime.fromSecsSinceEpoch(int(START_S - 3600), QTimeZone.utc()))
    assert dialog.range_s()[0] == START_S  # nothing before history begins
    assert "2024-03-12 01:00:00 UTC" in dialog.until.text()


@pytest.fixture
def replay_window(qtbot: QtBot, tmp_path: Path):
    """``portwatch open LOG`` on two hours of the simulated port, played at full speed."""
    port = load_port(bundled_file(DEMO_PORT))
    log = tmp_path / "bay.nmea"
    log.write_text("\n".join(TrafficSimulator(port, seed=6).lines(2 * 3600)) + "\n")
    clock = ReplayClock(speed=None)
    engine = Engine()
    source = engine.add_source(f"file://{log}", replay_clock=clock)
    engine.start()
    settings = QSettings(str(tmp_path / "portwatch.ini"), QSettings.Format.IniFormat)
    window = MainWindow(engine, port, settings=settings)
    qtbot.addWidget(window)
    bar = ReplayBar(engine, source, clock)
    window.attach_replay(bar)
    window.show()
    qtbot.waitExposed(window)
    yield window, bar, log
    window.close()
    engine.close()


def _handle_centre(slider: QSlider) -> QPoint:
    option = QStyleOptionSlider()
    slider.initStyleOption(option)
    handle = slider.style().subControlRect(
        QStyle.ComplexControl.CC_Slider, option, QStyle.SubControl.SC_SliderHandle, slider
    )
    return handle.center()


def _groove_point(slider: QSlider, share: float) -> QPoint:
    return QPoint(round(slider.width() * share), slider.height() // 2)


def _settled(qtbot: QtBot, window: MainWindow, bar: ReplayBar, expected: dict) -> None:
    """Wait until the replay stands (paused) at the time sought with everything
    before it applied: at the data time of the ``expected`` picture."""
    data_time_s = max(vessel[4] for vessel in expected.values())
    qtbot.waitUntil(lambda: not bar.source.seeking, timeout=30_000)
    qtbot.waitUntil(lambda: bar.engine.snapshot().data_time_s == data_time_s, timeout=30_000)
    window.refresh()


def test_the_end_shows_and_a_drag_back_replays_from_the_picture_of_then(
    qtbot: QtBot, replay_window, tmp_path: Path
) -> None:
    window, bar, log = replay_window
    qtbot.waitUntil(lambda: bar.span is not None and bar.ended, timeout=30_000)

    def shows_the_end() -> bool:
        # ``ended`` comes as the engine takes the last batch off the queue; it has
        # applied it (the data time at the end) a moment later.
        window.refresh()
        return bar.slider.value() == SLIDER_STEPS

    qtbot.waitUntil(shows_the_end, timeout=10_000)
    first, last = bar.span
    assert bar.play.text() == "Play"
    assert bar.slider.value() == SLIDER_STEPS
    assert window.status.rate.text() == "0 msg/s"
    assert "0/s" in window.status.sources.text()
    assert window.sources_dock.model.index(0, 1).data().endswith(" finished")

    # Drag the handle back to the middle, as an operator would.
    slider = bar.slider
    handle = _handle_centre(slider)
    QTest.mousePress(slider, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, handle)
    middle = _groove_point(slider, 0.5)
    for x in range(handle.x(), middle.x(), -20):
        QTest.mouseMove(slider, QPoint(x, handle.y()))
    QTest.mouseMove(slider, QPoint(middle.x(), handle.y()))
    QTest.mouseRelease(
        slider,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        QPoint(middle.x(), handle.y()),
    )
    target_s = first + (last - first) * slider.value() / SLIDER_STEPS
    assert 0.4 < (target_s - first) / (last - first) < 0.6
    expected = played_straight_to(log, tmp_path, target_s)
    _settled(qtbot, window, bar, expected)
    assert bar.play.text() == "Play"  # it stood at the end: it stays paused there
    assert abs(slider.value() - SLIDER_STEPS / 2) < SLIDER_STEPS / 10
    snapshot = bar.engine.snapshot()
    assert target_s - 60 < snapshot.data_time_s < target_s
    assert window.vessel_model.rowCount() > 20
    assert window.status.data_time.text() != "data -"
    assert_same_picture(picture(bar.engine), expected)

    # Play plays on from there, to the end again.
    QTest.mouseClick(bar.widgetForAction(bar.play), Qt.MouseButton.LeftButton)
    assert bar.play.text() == "Pause"
    qtbot.waitUntil(lambda: bar.engine.snapshot().data_time_s > target_s + 60, timeout=30_000)
    qtbot.waitUntil(lambda: bar.ended, timeout=30_000)
    window.refresh()
    assert bar.play.text() == "Play"


def test_a_click_on_the_groove_steps_a_hundredth_and_keeps_the_picture(
    qtbot: QtBot, replay_window, tmp_path: Path
) -> None:
    window, bar, log = replay_window
    qtbot.waitUntil(lambda: bar.span is not None and bar.ended, timeout=30_000)
    first, last = bar.span
    bar.seek(first + (last - first) * 0.6)
    _settled(qtbot, window, bar, played_straight_to(log, tmp_path, first + (last - first) * 0.6))
    slider = bar.slider
    before = slider.value()
    assert abs(before - 6000) <= 20  # the last report before the time sought
    left = _groove_point(slider, 0.2)  # left of the handle
    QTest.mouseClick(slider, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, left)
    assert slider.value() == before - PAGE_STEPS
    target_s = first + (last - first) * (before - PAGE_STEPS) / SLIDER_STEPS
    assert bar.source.target_s == pytest.approx(target_s)
    expected = played_straight_to(log, tmp_path, target_s)
    _settled(qtbot, window, bar, expected)
    assert window.vessel_model.rowCount() > 20  # not emptied
    assert_same_picture(picture(bar.engine), expected)
    stepped_back = slider.value()
    QTest.keyClick(slider, Qt.Key.Key_PageUp)  # the same step forward, by key
    assert slider.value() == stepped_back + PAGE_STEPS
    forward_s = first + (last - first) * (stepped_back + PAGE_STEPS) / SLIDER_STEPS
    assert bar.source.target_s == pytest.approx(forward_s)
    qtbot.waitUntil(lambda: not bar.source.seeking, timeout=30_000)
    assert window.vessel_model.rowCount() > 20
