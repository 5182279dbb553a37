"""Replaying recorded logs: the same lines and times, at the speed asked for."""

from __future__ import annotations

import time
from pathlib import Path

from portwatch.recorder import LogWriter, tagged_line
from portwatch.replay_clock import ReplayClock
from portwatch.sources.queue import LineQueue, ReceivedLine
from portwatch.sources.replay import FileReplaySource
from portwatch.sources.urls import parse_source_url
from tests.core.test_tcp_source import collect, wait_until
from tests.decoders.nmea import EXAMPLE_POSITION, vdm

T0 = 1452468552.125


def recorded_log(tmp_path: Path, count: int, step_s: float) -> tuple[Path, list[ReceivedLine]]:
    received = [
        ReceivedLine(T0 + n * step_s, vdm(dict(EXAMPLE_POSITION, mmsi=366999000 + n))[0].encode(),
                     "tcp://127.0.0.1:10110")
        for n in range(count)
    ]  # fmt: skip
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
    path, _ = recorded_log(tmp_path, count=21, step_s=1.0)  # 20 s of data
    started = time.monotonic()
    source, queue = replay(path, ReplayClock(speed=100.0))
    assert source.finished.wait(30)
    elapsed = time.monotonic() - started
    assert len(collect(queue, 21)) == 21
    assert elapsed >= 20 / 100 * 0.9  # it cannot run ahead of the log's time at 100x


def test_pause_resume_and_seek(tmp_path: Path) -> None:
    path, received = recorded_log(tmp_path, count=100, step_s=1.0)
    clock = ReplayClock(speed=1.0)
    source, queue = replay(path, clock)
    try:
        first = collect(queue, 1, timeout_s=5)
        assert first == [tagged_line(received[0])]
        clock.pause()
        time.sleep(1.5)
        assert queue.get_batch(timeout_s=0) == []  # nothing while paused
        source.seek(T0 + 90.0)  # the last ten lines
        clock.set_speed(None)
        clock.resume()
        assert wait_until(lambda: source.finished.is_set(), timeout_s=10)
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
