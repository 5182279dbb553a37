"""The engine's ways in: a line from a live source, a replayed log and ``feed``
(import) go through the same steps with the same rules, and the data clock, not
this machine's, decides what is taken."""

from __future__ import annotations

import logging
import subprocess
import sys
import time
from pathlib import Path

import pytest

from portwatch.engine import Engine
from portwatch.sources.queue import ReceivedLine
from tests.core.fleet_input import START_S, position_line, static_lines, track_lines
from tests.core.test_tcp_source import wait_until
from tests.decoders.nmea import EXAMPLE_POSITION, nmea, tag_block, vdm

RECEIVER = "tcp://receiver:10110"


def live_line(line: str, received_at_s: float | None = None) -> ReceivedLine:
    return ReceivedLine(
        time.time() if received_at_s is None else received_at_s, line.encode(), RECEIVER
    )


def test_lines_queued_after_a_picture_reset_are_applied() -> None:
    """A replay seeking back resets the picture and queues the lines from the new
    place at once, while the worker waits for lines: those lines are the new
    picture, every time, not the old place's leftovers."""
    engine = Engine()
    engine.start()
    try:
        for n in range(20):
            engine.reset_picture()
            mmsi = 366300000 + n
            engine.queue.put(live_line(position_line(mmsi, START_S + n, 33.6, -118.3)))
            assert wait_until(lambda mmsi=mmsi: mmsi in engine.snapshot().vessels, timeout_s=5)
            assert set(engine.snapshot().vessels) == {mmsi}
    finally:
        engine.close()


def _log_with_every_rule() -> list[str]:
    """A recorded log that exercises every rule of applying lines: a line without
    a time before any time, two receivers' copies of positions and of a type 24,
    bare lines that take the time before them, a type 5 in a tag-block group, a
    report stamped two years ahead, a broken checksum and an unsupported type."""
    static_b = vdm({"msg_type": 24, "mmsi": 366200003, "partno": 0, "shipname": "COPIED"})[0]
    lines = [vdm(dict(EXAMPLE_POSITION, mmsi=366200009))[0]]  # untimed: nothing before it
    for n, line in enumerate(track_lines(366200001, START_S, 12)):
        lines.append(line)
        if n % 3 == 0:  # the second receiver's copy, a second later on its clock
            sentence = line[line.index("!") :]
            lines.append(tag_block(f"s:PWOTHER,c:{START_S + 10 * n + 1}") + sentence)
    lines += static_lines(366200001, START_S + 120, "EVERY RULE")
    lines += [
        tag_block(f"s:A,c:{START_S + 125}") + static_b,
        tag_block(f"s:B,c:{START_S + 126}") + static_b,
    ]
    lines += [vdm(dict(EXAMPLE_POSITION, mmsi=366200002, second=n))[0] for n in range(3)]
    lines.append(position_line(366200004, START_S + 2 * 365 * 86_400, 33.6, -118.2))
    lines += track_lines(366200005, START_S + 130, 6, lat=33.65)
    lines.append(tag_block(f"c:{START_S + 190}") + vdm(EXAMPLE_POSITION)[0][:-2] + "00")
    lines.append(nmea("AIVDM,1,1,,A,L000000000000000000000000000,0", start="!"))  # type 28
    return lines


def test_a_replayed_log_and_an_imported_one_follow_the_same_rules(tmp_path: Path) -> None:
    """``run file://LOG`` (the worker) and ``import LOG`` (``feed``) give the same
    vessels and the same counts: copies, untimed lines, held reports, failures."""
    lines = _log_with_every_rule()
    log = tmp_path / "every-rule.nmea"
    log.write_text("\n".join(lines) + "\n", encoding="ascii")

    replayed = Engine()
    source = replayed.add_source(log.as_uri())
    replayed.start()
    assert wait_until(lambda: replayed.sources_done, timeout_s=30)
    replayed.close()

    imported = Engine()
    imported.feed([line.encode() + b"\n" for line in lines], source=source.name)
    imported.finish_input(source.name)
    imported.close()

    by_replay, by_import = replayed.snapshot(), imported.snapshot()
    counted = ("lines", "messages", "decode_failures", "decode_failures_by_kind",
               "duplicate_lines", "duplicate_fixes", "fixes_accepted", "fixes_rejected",
               "late_fixes", "untimed", "bad_times")  # fmt: skip
    assert {name: getattr(by_replay.counters, name) for name in counted} == {
        name: getattr(by_import.counters, name) for name in counted
    }
    assert dict(by_replay.vessels) == dict(by_import.vessels)
    counters = by_import.counters
    assert counters.untimed == 1
    assert counters.duplicate_fixes == 4
    assert counters.bad_times == 1
    assert (
        counters.decode_failures_by_kind["bad_checksum"],
        counters.decode_failures_by_kind["unsupported_type"],
    ) == (1, 1)
    assert by_import.vessels[366200001].static.name == "EVERY RULE"
    assert by_import.vessels[366200002].fix is not None  # bare lines: the time before them


def test_own_ship_updates_reach_the_snapshot() -> None:
    """Own ship's reports (VDO) change the picture the window draws: each new one
    is in the next snapshot; a late one changes nothing."""
    own = 366000111

    def own_line(time_s: float, lat: float) -> str:
        return position_line(own, time_s, lat, -118.3, own_ship=True)

    engine = Engine()
    engine.feed([own_line(START_S, 33.70)], "own")
    assert engine.snapshot().own_ship.fix.lat == pytest.approx(33.70, abs=1e-5)
    engine.feed([own_line(START_S + 10, 33.71)], "own")
    assert engine.snapshot().own_ship.fix.lat == pytest.approx(33.71, abs=1e-5)
    engine.feed([own_line(START_S + 5, 33.60)], "own")
    snapshot = engine.snapshot()
    assert snapshot.own_ship.fix.lat == pytest.approx(33.71, abs=1e-5)
    assert snapshot.own_ship.messages == 3


def test_every_kind_of_decode_failure_is_counted() -> None:
    """Unsupported message types and defects count as decode failures too, each by
    kind, beside bad checksums, malformed lines, orphans and undecodable payloads."""
    position = vdm(EXAMPLE_POSITION)[0]
    lines = [
        position[:-2] + "00",  # bad checksum
        "!AIVDM,1,1,,A,not armoured",  # malformed
        vdm({"msg_type": 5, "mmsi": 366999001, "shipname": "HALF"}, seq_id=1)[0],  # orphan
        nmea("AIVDM,1,1,,A,1,0", start="!"),  # undecodable: too short
        nmea("AIVDM,1,1,,A,L000000000000000000000000000,0", start="!"),  # type 28
        nmea("AIVDM,1,1,,A,h000000000000000000000000000,0", start="!"),  # type 48
    ]
    engine = Engine()
    engine.feed([tag_block(f"c:{START_S}") + position, *lines], source="test")
    engine.finish_input("test")
    counters = engine.snapshot().counters
    assert dict(counters.decode_failures_by_kind) == {
        "bad_checksum": 1,
        "malformed": 1,
        "orphan_fragments": 1,
        "undecodable": 1,
        "unsupported_type": 2,
        "defects": 0,
    }
    assert counters.decode_failures == 6
    assert counters.decode_failures_text() == (
        "decode failures 6 (bad checksum 1, malformed 1, orphan fragments 1, "
        "undecodable 1, unsupported type 2)"
    )


def test_an_import_far_ahead_of_this_machines_clock_is_kept() -> None:
    """A log stamped years after this machine's clock (a box whose clock was never
    set, or a log from a simulator run ahead) is imported like any other: the
    data have their own clock."""
    later_s = int(time.time()) + 3 * 365 * 86_400
    engine = Engine()
    applied = engine.feed(track_lines(366400001, later_s, 10), "later")
    engine.finish_input("later")
    snapshot = engine.snapshot()
    assert applied == 10
    assert snapshot.data_time_s == later_s + 90
    assert snapshot.counters.bad_times == 0
    assert snapshot.clock_note is None  # a log's time is no news about the clock


def test_live_data_ahead_of_this_machines_clock_are_tracked_and_said_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """This machine's clock was never set (it thinks it is two years back): a
    receiver's tag-block times are all far ahead of it. Every message is tracked,
    on the receiver's clock, and the operator is told once why the times look odd."""
    behind_s = 2 * 365 * 86_400
    engine = Engine(clock_follows_receive_time=True)
    engine.start()
    try:
        with caplog.at_level(logging.WARNING, logger="portwatch.engine"):
            for n, line in enumerate(track_lines(366400002, START_S, 12)):
                engine.queue.put(live_line(line, START_S + 10 * n - behind_s))
            assert wait_until(lambda: engine.snapshot().counters.messages == 12, timeout_s=10)
        snapshot = engine.snapshot()
        assert snapshot.counters.bad_times == 0
        assert snapshot.data_time_s >= START_S + 110
        assert not snapshot.vessels[366400002].lost
        assert snapshot.clock_note is not None
        assert RECEIVER in snapshot.clock_note
        assert "730.0 days ahead of this computer's clock" in snapshot.clock_note
        warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
        assert warnings == [snapshot.clock_note]
    finally:
        engine.close()


def test_a_live_receiver_with_a_wrong_clock_cannot_move_the_data_clock() -> None:
    """What protects the picture now that this machine's clock decides nothing: a
    second receiver stamping its reports a year ahead, mid-feed, is held back by
    the data clock and dropped once the feed goes on in step without it."""
    engine = Engine(clock_follows_receive_time=True)
    engine.start()
    try:
        steady = track_lines(366400003, START_S, 60, every_s=2.0)
        wrong = track_lines(366400004, START_S + 365 * 86_400, 5, lat=33.6)
        for line in steady[:10]:
            engine.queue.put(live_line(line))
        for line in wrong:
            engine.queue.put(ReceivedLine(time.time(), line.encode(), "udp://wrong:10111"))
        for line in steady[10:]:
            engine.queue.put(live_line(line))
        assert wait_until(lambda: engine.snapshot().counters.bad_times == 5, timeout_s=10)
        snapshot = engine.snapshot()
        assert snapshot.data_time_s < START_S + 3600
        assert set(snapshot.vessels) == {366400003}
        assert not snapshot.vessels[366400003].lost
        assert snapshot.clock_note is None
    finally:
        engine.close()


def test_run_status_counts_every_kind_of_decode_failure(tmp_path: Path) -> None:
    """``portwatch run``'s status line names the decode failures by kind."""
    log = tmp_path / "feed.nmea"
    position = vdm(EXAMPLE_POSITION)[0]
    lines = [
        *track_lines(366400005, START_S, 3),
        tag_block(f"c:{START_S + 30}") + position[:-2] + "00",
        tag_block(f"c:{START_S + 31}")
        + nmea("AIVDM,1,1,,A,L000000000000000000000000000,0", start="!"),
    ]
    log.write_text("\n".join(lines) + "\n", encoding="ascii")
    result = subprocess.run(
        [sys.executable, "-m", "portwatch", "run", log.as_uri(), "--db", str(tmp_path / "h.db")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    final = result.stderr.strip().splitlines()[-1]
    assert "decode failures 2 (bad checksum 1, unsupported type 1)" in final
