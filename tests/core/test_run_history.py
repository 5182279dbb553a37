"""``portwatch run history://…`` over a history with months of nothing in it: only
the stretches in which vessels were heard are read, nothing of them is lost, and
the state says how far through the range the replay is."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from portwatch.engine import Engine
from portwatch.history.replay_lines import WINDOW_S, history_lines
from portwatch.history.store import HistoryStore
from portwatch.history.writer import HistoryWriter
from portwatch.replay_clock import ReplayClock
from portwatch.sources.history_replay import CHUNK_S, HistoryReplaySource, data_chunks
from portwatch.sources.queue import LineQueue
from portwatch.sources.urls import history_url, parse_source_url
from tests.core.test_history_cli import STAR, T0, north_report, star_report, tagged
from tests.core.test_tcp_source import wait_until
from tests.decoders.nmea import EXAMPLE_STATIC, vdm

GAP_S = 90 * 86_400
"""Between the two stretches of the history: an old test import, then the real feed."""
REPORTS = 31  # each vessel, every 10 s for five minutes


def stretch_lines(start_s: int, destination: str) -> list[str]:
    """Two vessels for five minutes; EXAMPLE STAR says where it is bound."""
    timed = [
        (start_s + 10 * k, tagged(start_s + 10 * k, vdm(report(start_s + 10 * k, k))[0]))
        for k in range(REPORTS)
        for report in (star_report, north_report)
    ]
    static = EXAMPLE_STATIC | {"mmsi": STAR, "destination": destination}
    timed += [(start_s + 1, tagged(start_s + 1, line)) for line in vdm(static, seq_id=1)]
    return [line for _, line in sorted(timed, key=lambda item: item[0])]


def positions(lines: list[bytes]) -> list[bytes]:
    """The position reports among replayed lines (static data is multipart: ``g:``)."""
    return [line for line in lines if b"g:" not in line]


@pytest.fixture
def gapped_history(tmp_path: Path) -> Path:
    """Two vessels for five minutes, then nothing for ninety days, then again; EXAMPLE
    STAR bound elsewhere the second time."""
    db = tmp_path / "gapped.sqlite"
    engine = Engine(history=HistoryWriter(db, fail_fast=True))
    engine.feed(
        stretch_lines(T0, "LOS ANGELES") + stretch_lines(T0 + GAP_S, "LONG BEACH"), source="rx"
    )
    engine.close()
    return db


def replay_all(db: Path, queue: LineQueue) -> tuple[str, list[bytes]]:
    """Play the whole history as fast as it goes: the state at the end, and the lines."""
    source = HistoryReplaySource(
        parse_source_url(history_url(str(db))), queue, ReplayClock(speed=None)
    )
    lines: list[bytes] = []
    source.start()

    def drained() -> bool:
        lines.extend(item.line for item in queue.get_batch(timeout_s=0.05))
        return source.done and not len(queue)

    assert wait_until(drained, timeout_s=60)
    state = source.status().state
    source.stop()
    return state, lines


def test_the_gap_is_skipped_and_nothing_around_it_is_lost(
    gapped_history: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with HistoryStore.open(gapped_history, create=False, readonly=True) as store:
        first_s, last_s = store.time_span()
        walked = [line for _, line in history_lines(store, first_s, last_s)]
        assert list(data_chunks(store, first_s, last_s)) == [
            (T0, T0 + CHUNK_S),
            (T0 + GAP_S, T0 + GAP_S + 10 * (REPORTS - 1)),
        ]
    reads: list[tuple[float, float]] = []
    fixes_between = HistoryStore.fixes_between

    def counted(store: HistoryStore, since_s: float, until_s: float, *args, **kwargs):
        reads.append((since_s, until_s))
        return fixes_between(store, since_s, until_s, *args, **kwargs)

    monkeypatch.setattr(HistoryStore, "fixes_between", counted)
    state, replayed = replay_all(gapped_history, LineQueue())
    assert state == "finished"
    # Every position the window-by-window walk gives, in order; the static data
    # again at the start of the second day read.
    assert positions(replayed) == positions(walked)
    assert len(positions(replayed)) == 4 * REPORTS
    # A day read ten minutes at a time from each stretch's first fix, not every ten
    # minutes of the ninety days between.
    assert len(reads) <= 2 * CHUNK_S / WINDOW_S, f"{len(reads)} reads"
    assert reads[-1][0] == T0 + GAP_S


def test_the_state_says_how_far_through_the_range_it_is(gapped_history: Path) -> None:
    """As fast as it can, the replay waits only for room in the queue: there, the
    state names the share of the range its last line reached."""
    queue = LineQueue(max_lines=2 * REPORTS)  # the first stretch, then it waits
    source = HistoryReplaySource(
        parse_source_url(history_url(str(gapped_history))), queue, ReplayClock(speed=None)
    )
    source.start()
    try:
        assert wait_until(lambda: len(queue) == 2 * REPORTS, timeout_s=30)
        first_state = source.status().state
        for _ in range(3):  # into the second stretch, short of its end
            queue.get_batch(max_lines=REPORTS // 2, timeout_s=1)
        assert wait_until(lambda: len(queue) == 2 * REPORTS, timeout_s=30)
        second_state = source.status().state
    finally:
        source.stop()
    span = "of 2024-03-12T10:00:00Z to 2024-06-10T10:05:00Z"
    assert first_state == f"playing, 0% {span}"
    match = re.fullmatch(rf"playing, (\d+)% {span}", second_state)
    assert match, second_state
    assert int(match.group(1)) == 100  # the second stretch is the range's last five minutes


def test_run_replays_a_gapped_history_into_a_new_database(
    gapped_history: Path, tmp_path: Path
) -> None:
    out = tmp_path / "replayed.sqlite"
    result = subprocess.run(
        [sys.executable, "-m", "portwatch", "run", f"history://{gapped_history}", "--db", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "history://" in result.stderr.splitlines()[-1]
    with (
        HistoryStore.open(gapped_history, create=False, readonly=True) as original,
        HistoryStore.open(out, create=False, readonly=True) as replayed,
    ):
        assert replayed.position_count() == original.position_count() == 4 * REPORTS
        assert replayed.time_span() == original.time_span()
        assert replayed.static_history(STAR) == original.static_history(STAR)
        assert [static.destination for _, static in replayed.static_history(STAR)] == [
            "LOS ANGELES",
            "LONG BEACH",
        ]
