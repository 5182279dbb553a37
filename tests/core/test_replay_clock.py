"""The replay clock, driven by a clock of the test's own: no sleeping, no flakes."""

from __future__ import annotations

import math

import pytest

from portwatch.replay_clock import ReplayClock


class FakeWall:
    """A wall clock the test moves by hand."""

    def __init__(self) -> None:
        self.now_s = 1000.0

    def __call__(self) -> float:
        return self.now_s


def test_ten_times_speed_takes_a_tenth_of_the_time() -> None:
    wall = FakeWall()
    clock = ReplayClock(speed=10.0, wall_s=wall)
    clock.start(1_452_468_000.0)
    assert clock.wait_s(1_452_468_600.0) == pytest.approx(60.0)  # ten minutes of data
    wall.now_s += 30.0
    assert clock.now_s() == pytest.approx(1_452_468_300.0)
    assert clock.wait_s(1_452_468_600.0) == pytest.approx(30.0)
    assert clock.wait_s(1_452_468_100.0) == 0.0  # already due


def test_pause_resume_and_seek() -> None:
    wall = FakeWall()
    clock = ReplayClock(speed=1.0, wall_s=wall)
    clock.start(100.0)
    wall.now_s += 5.0
    clock.pause()
    wall.now_s += 60.0  # time passes, the replay does not
    assert clock.now_s() == pytest.approx(105.0)
    assert clock.wait_s(110.0) == math.inf
    clock.resume()
    assert clock.wait_s(110.0) == pytest.approx(5.0)
    clock.seek(500.0)
    assert clock.now_s() == pytest.approx(500.0)
    wall.now_s += 2.0
    assert clock.now_s() == pytest.approx(502.0)


def test_speed_change_keeps_the_data_time() -> None:
    wall = FakeWall()
    clock = ReplayClock(speed=1.0, wall_s=wall)
    clock.start(0.0)
    wall.now_s += 10.0
    clock.set_speed(100.0)
    assert clock.now_s() == pytest.approx(10.0)
    wall.now_s += 1.0
    assert clock.now_s() == pytest.approx(110.0)


def test_as_fast_as_possible_never_waits() -> None:
    clock = ReplayClock(speed=None, wall_s=FakeWall())
    clock.start(0.0)
    assert clock.wait_s(1e9) == 0.0
    assert clock.now_s() == 1e9


def test_speed_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        ReplayClock(speed=0.0)
