r"""Replay seek: how long a seek takes to show the picture of its time, on a big log.

Why: a seek in a replay rebuilds the picture from the stretch before the time
sought (``FleetSettings.picture_memory_s``, 1 h 42 min by default) with the static
data known before it, so that it shows what playing straight there shows. It
must stay quick however far into a long log the seek goes. This replays the
demo port's simulated traffic (``port_log.py``: the product's simulator at the
true reporting rates, about five hours of some 200 stations; ``--sentences``),
indexed once as the app does, and times:

(a) a seek from the start to ``--at`` (a share of the log's span): from the seek
    until the engine has applied every line before that time;
(b) baseline: the same log played straight, as fast as possible, from its start
    to the same time (what a seek would cost without the lookback and index).

Both through the same source and engine as the app; best of ``--repeat`` runs;
every run printed. Target: (a) well under (b) for seeks further in than the
lookback, and a few seconds at most.

    python benchmarks/replay_seek.py --sentences 600000 --at 0.9
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from port_log import cached_log

from portwatch.engine import Engine
from portwatch.replay_clock import ReplayClock
from portwatch.sources.timed_log import timed_log_lines


def _wait(condition, timeout_s: float = 600.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the replay did not get there")
        time.sleep(0.005)


def _applied_up_to(log: Path, time_s: float) -> float:
    """The data time of the picture at ``time_s``: the latest line before it."""
    latest = float("-inf")
    for item in timed_log_lines(str(log), 0.1):
        if item.time_s >= time_s:
            break
        latest = max(latest, item.time_s)
    return latest


def seek_s(log: Path, share: float) -> tuple[float, float, float]:
    """(seconds for a seek to ``share`` of the span, that time, the picture's time)."""
    clock = ReplayClock(speed=1.0)
    engine = Engine()
    source = engine.add_source(f"file://{log}", replay_clock=clock)
    engine.start()
    try:
        _wait(lambda: source.span_s is not None and source.counts.lines > 0)
        clock.pause()
        first_s, last_s = source.span_s
        target_s = first_s + (last_s - first_s) * share
        picture_s = _applied_up_to(log, target_s)
        started = time.perf_counter()
        source.seek(target_s)
        _wait(lambda: not source.seeking and engine.snapshot().data_time_s == picture_s)
        return time.perf_counter() - started, target_s, picture_s
    finally:
        engine.close()


def straight_s(log: Path, picture_s: float) -> float:
    """Seconds to play the log from its start to ``picture_s`` as fast as possible."""
    clock = ReplayClock(speed=None)
    engine = Engine()
    source = engine.add_source(f"file://{log}", replay_clock=clock)
    started = time.perf_counter()
    engine.start()
    try:
        _wait(lambda: (engine.snapshot().data_time_s or 0.0) >= picture_s or source.done)
        return time.perf_counter() - started
    finally:
        engine.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=220_000)
    parser.add_argument("--at", type=float, default=0.9, help="share of the span (0-1)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    log = cached_log(args.sentences)
    print(f"log: {log.name}, {log.stat().st_size / 1e6:.0f} MB")
    seeks, straights = [], []
    for run in range(args.repeat):
        seconds, _, picture_s = seek_s(log, args.at)
        seeks.append(seconds)
        straights.append(straight_s(log, picture_s))
        print(
            f"run {run + 1}: seek to {args.at:.0%} {seeks[-1]:.2f} s, "
            f"played straight there {straights[-1]:.2f} s"
        )
    print(
        f"best: seek {min(seeks):.2f} s, straight (baseline) {min(straights):.2f} s, "
        f"{min(straights) / min(seeks):.1f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
