"""Replaying recorded logs: the same lines and times, at the speed asked for."""

from __future__ import annotations

import threading
from pathlib import Path

from portwatch.recorder import LogWriter, tagged_line
from portwatch.replay_clock import ReplayClock
from portwatch.sources.queue import LineQueue, ReceivedLine
from portwatch.sources.replay import FileReplaySource
from portwatch.sources.urls import parse_source_url
from tests.core.test_tcp_source import WAIT_S, collect, wait_until
from tests.decoders.nmea import EXAMPLE_POSITION, vdm

T0 = 1452468552.125
QUIET_S = 0.5
"""How long a test watches for a line that must not come: a line that comes
fails it, a slow machine only makes the check weaker, never a false failure."""


class ManualWall:
    """A wall clock the test moves by hand, for ``ReplayClock(wall_s=…)``: the
    pacing is then checked against data time, however busy the machine is."""

    def __init__(self) -> None:
        self.now_s = 0.0

    def __call__(self) -> float:
        return self.now_s


def recorded_log(tmp_path: Path, count: int, step_s: float) -> tuple[Path, list[ReceivedLine]]:
    received = [
        ReceivedLine(
            T0 + n * step_s,
            vdm(dict(EXAMPLE_POSITION, mmsi=366999000 + n))[0].encode(),
            "tcp://127.0.0.1:10110",
        )
        for n in range(count)
    ]
    writer = LogWriter(tmp_path / "log.nmea.gz", compress=True)
    for item in received:
        writer.write(item)
    writer.close()
    return writer.current_path(0), received


def replay(path: Path, clock: ReplayClock) -> tuple[FileReplaySource, LineQueue]:
    queue = LineQueue()
    source = FileReplaySource(parse_source_url(f"file://{path}"), queue, clock)
    source.start()
    return source, queue


def test_record_then_replay_gives_the_same_lines_and_times(tmp_path: Path) -> None:
    path, received = recorded_log(tmp_path, count=50, step_s=0.5)
    source, queue = replay(path, ReplayClock(speed=None))
    assert source.finished.wait(10)
    replayed = queue.get_batch(max_lines=1000, timeout_s=1)
    assert [item.line for item in replayed] == [tagged_line(item) for item in received]
    assert [round(item.received_at_s, 3) for item in replayed] == [
        round(item.received_at_s, 3) for item in received
    ]  # to the millisecond
    assert source.state == "finished"


def test_hundred_times_speed_keeps_the_log_timing(tmp_path: Path) -> None:
    path, received = recorded_log(tmp_path, count=21, step_s=1.0)  # 20 s of data
    wall = ManualWall()
    source, queue = replay(path, ReplayClock(speed=100.0, wall_s=wall))
    try:
        lines = collect(queue, 1)  # the first line starts the clock: due at once
        assert collect(queue, 1, timeout_s=QUIET_S) == []  # the next is 1 s of data away
        wall.now_s = 0.125  # 12.5 s of data at 100x, not 0.125 s as at 1x
        lines += collect(queue, 12)
        assert collect(queue, 1, timeout_s=QUIET_S) == []  # nothing ahead of the log's time
        wall.now_s = 0.25
        lines += collect(queue, 8)
        assert source.finished.wait(WAIT_S)
    finally:
        source.stop()
    assert lines == [tagged_line(item) for item in received]


def test_pause_resume_and_seek(tmp_path: Path) -> None:
    path, received = recorded_log(tmp_path, count=100, step_s=5.0)  # the next line 5 s away
    wall = ManualWall()
    clock = ReplayClock(speed=1.0, wall_s=wall)
    source, queue = replay(path, clock)
    try:
        first = collect(queue, 1)
        assert first == [tagged_line(received[0])]
        clock.pause()
        wall.now_s = 12.0  # two lines' worth at 1x
        assert collect(queue, 1, timeout_s=QUIET_S) == []  # nothing while paused
        source.seek(T0 + 450.0)  # forward, paused: the lines before it go at once
        assert collect(queue, 89) == [tagged_line(item) for item in received[1:90]]
        assert wait_until(lambda: not source.seeking)
        assert queue.get_batch(timeout_s=0) == []  # the rest waits for the clock
        clock.set_speed(None)
        clock.resume()
        assert wait_until(lambda: source.finished.is_set())
        rest = [item.line for item in queue.get_batch(max_lines=1000, timeout_s=1)]
        assert rest == [tagged_line(item) for item in received[90:]]
    finally:
        source.stop()


def test_gatehouse_times_pace_the_lines_they_announce(tmp_path: Path) -> None:
    # Shape of dma-aislib/stream_example.txt: each sentence after its $PGHP line.
    from tests.decoders.nmea import nmea

    sentence = vdm(EXAMPLE_POSITION)[0]
    lines = []
    for second in (2, 3):
        lines += [nmea(f"PGHP,1,2016,1,10,23,31,{second},500,231,45,992190934,1,2B"), sentence]
    log = tmp_path / "gatehouse.nmea"
    log.write_text("\n".join(lines) + "\n", encoding="ascii")
    source, queue = replay(log, ReplayClock(speed=None))
    assert source.finished.wait(10)
    times = [item.received_at_s for item in queue.get_batch(timeout_s=1)]
    assert times == [1452468662.5, 1452468662.5, 1452468663.5, 1452468663.5]


def test_seek_during_fast_playback_plays_on_to_the_end(tmp_path: Path) -> None:
    path, received = recorded_log(tmp_path, count=3000, step_s=1.0)
    source, queue = replay(path, ReplayClock(speed=None))
    for target in (2500.0, 2990.0):
        source.seek(T0 + target)
    assert source.finished.wait(30)
    lines = [item.line for item in queue.get_batch(max_lines=10_000, timeout_s=1)]
    assert lines[-10:] == [tagged_line(item) for item in received[-10:]]
    assert source.state == "finished"


def test_a_seek_before_the_start_plays_up_to_its_time_at_once(tmp_path: Path) -> None:
    path, received = recorded_log(tmp_path, count=60, step_s=1.0)
    queue = LineQueue()
    clock = ReplayClock(speed=10.0, wall_s=ManualWall())  # its wall clock never moves
    source = FileReplaySource(parse_source_url(f"file://{path}"), queue, clock)
    source.seek(T0 + 50.0)
    source.start()
    first = collect(queue, 51)  # waiting out the 50 s gap would never end
    source.stop()
    # The picture as it stood then: what came before goes at once, then the time sought.
    assert first == [tagged_line(item) for item in received[:51]]


def test_a_killed_gzip_recording_reads_up_to_its_last_flush(tmp_path: Path) -> None:
    import subprocess
    import sys

    log = tmp_path / "feed.nmea.gz"
    script = f"""
import os
from pathlib import Path
from portwatch.recorder import LogWriter
from portwatch.sources.queue import ReceivedLine
writer = LogWriter(Path({str(log)!r}), compress=True)
for n in range(10):
    writer.write(ReceivedLine({T0} + n, b"!AIVDM,1,1,,A,line %d,0*00" % n, "-"))
writer.flush()
writer.write(ReceivedLine({T0} + 10, b"!AIVDM,1,1,,A,never flushed,0*00", "-"))
os._exit(9)  # killed: no close, no final flush
"""
    subprocess.run([sys.executable, "-c", script], check=False, timeout=60)
    import gzip as gzip_module

    with gzip_module.open(log, "rb") as handle:
        lines = handle.read().splitlines()
    assert [line[line.index(b"!") :] for line in lines] == [
        b"!AIVDM,1,1,,A,line %d,0*00" % n for n in range(10)
    ]
    restarted = LogWriter(log, compress=True)  # a restart does not append to it
    restarted.write(ReceivedLine(T0 + 20, b"!AIVDM,1,1,,A,after,0*00", "-"))
    restarted.close()
    assert restarted.paths == [tmp_path / "feed-2.nmea.gz"]


class HeldClock(ReplayClock):
    """A real replay clock, at full speed, that holds the replay's thread as it
    asks whether the line at ``hold_at_s`` is due, and notes which asks came after
    a seek: to land a seek at the worst moment, every time."""

    def __init__(self, hold_at_s: float) -> None:
        super().__init__(speed=None)
        self.hold_at_s = hold_at_s
        self.holding = threading.Event()
        self.release = threading.Event()
        self.sought = False
        self.asked: list[tuple[float, bool]] = []

    def seek(self, data_time_s: float) -> None:
        super().seek(data_time_s)
        self.sought = True

    def wait_s(self, data_time_s: float) -> float:
        if data_time_s == self.hold_at_s and not self.holding.is_set():
            self.holding.set()
            self.release.wait(2.0)
        self.asked.append((data_time_s, self.sought))
        return super().wait_s(data_time_s)


def test_a_seek_is_not_undone_by_the_line_being_let_go(tmp_path: Path) -> None:
    """At full speed the replay moves the clock on with each line it lets go. A seek
    back that lands while it decides on a line must not be overwritten by that line's
    time: the first line asked about after the seek is from the new place."""
    path, _ = recorded_log(tmp_path, count=40, step_s=1.0)
    clock = HeldClock(hold_at_s=T0 + 30.0)
    source, _ = replay(path, clock)
    try:
        assert clock.holding.wait(10)
        seeking = threading.Thread(target=source.seek, args=(T0 + 10.0,))
        seeking.start()
        seeking.join(0.5)  # returns at once unless the replay's decision keeps it out
        clock.release.set()
        seeking.join(5)
        assert not seeking.is_alive()
        # Not "finished": the replay may play to the end before the seek lands, and
        # be seen finished before it reads again from the place sought.
        assert wait_until(lambda: any(sought for _, sought in clock.asked))
    finally:
        source.stop()
    after_seek = [time_s for time_s, sought in clock.asked if sought]
    assert after_seek[0] == T0 + 10.0
