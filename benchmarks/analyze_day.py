r"""``analyze`` against ``import`` on a simulated day of the demo port.

Why: ``portwatch analyze`` is the investigator's replay: the whole pipeline
(decode, fleet, the port's analytics on the data clock) over recorded logs, as
fast as it goes. Issue 16's target is that it takes at most 1.5 times what
``import`` takes on the same log, i.e. that watching the port costs less than
half again what decoding, tracking and storing it cost.

The log is the product's traffic simulator on the demo port (San Pedro Bay on an
ordinary weekday, ``benchmarks/port_log.py``, cached): the first ``--sentences``
lines from a fixed start and seed (about a million lines make 24 hours). In the
same run, interleaved so that drift in machine speed hits both alike, each of
``--repeat`` rounds times

(a) ``portwatch.importing.import_logs`` into a fresh database file (the
    baseline: decode, fleet, history written by a child process), and
(b) ``portwatch.analyzing.analyze_logs`` with the demo port, the events to a
    JSON Lines file, no database (the analytics instead of the history);

and prints every time, the best of each, the ratio best against best and the
median of the rounds' ratios, and the analytics' passes. Target: (b) ≤ 1.5 × (a).

A benchmark, not a test: the exit code is 0 whether or not the target is met.

Usage: ``python benchmarks/analyze_day.py [--sentences N] [--repeat R] [--profile]``
(``--profile`` runs (b) once under cProfile and prints the top functions).
"""

from __future__ import annotations

import argparse
import cProfile
import platform
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from port_log import cached_log, describe, read_summary

from portwatch.analyzing import analyze_logs
from portwatch.bundled import DEMO_PORT, bundled_file
from portwatch.importing import import_logs
from portwatch.port.port_file import load_port

TARGET_RATIO = 1.5


def time_import(log: Path, folder: Path, round_: int) -> float:
    started = time.perf_counter()
    result, _ = import_logs([str(log)], str(folder / f"import-{round_}.sqlite"))
    elapsed = time.perf_counter() - started
    assert not result.failed, result.failed
    return elapsed


def time_analyze(log: Path, folder: Path, round_: int) -> tuple[float, int, int]:
    port = load_port(bundled_file(DEMO_PORT))
    started = time.perf_counter()
    result, engine = analyze_logs([str(log)], port, folder / f"events-{round_}.jsonl")
    elapsed = time.perf_counter() - started
    assert not result.failed, result.failed
    passes = engine.analytics.passes if engine.analytics is not None else 0
    return elapsed, passes, result.events.total()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    log = cached_log(args.sentences)
    summary = read_summary(log) or {}
    print(f"python {platform.python_version()} on {platform.machine()}")
    print(describe(log))
    hours = (summary.get("last_time_s", 0) - summary.get("first_time_s", 0)) / 3600
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            time_analyze(log, folder, -1)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
            return
        imports, analyses, ratios = [], [], []
        for round_ in range(args.repeat):
            imported = time_import(log, folder, round_)
            analysed, passes, events = time_analyze(log, folder, round_)
            imports.append(imported)
            analyses.append(analysed)
            ratios.append(analysed / imported)
            print(
                f"round {round_ + 1}: (a) import {imported:.2f} s, (b) analyze {analysed:.2f} s "
                f"({passes:,} passes, {events:,} events), ratio {analysed / imported:.2f}"
            )
    best_a, best_b = min(imports), min(analyses)
    messages = summary.get("messages", 0)
    print(
        f"\n{hours:.1f} h of the demo port, {messages:,} messages:\n"
        f"(a) import  best {best_a:.2f} s ({messages / best_a:,.0f} msg/s)  [baseline]\n"
        f"(b) analyze best {best_b:.2f} s ({messages / best_b:,.0f} msg/s)\n"
        f"ratio (b)/(a): best against best {best_b / best_a:.2f}, median of rounds "
        f"{statistics.median(ratios):.2f}; target <= {TARGET_RATIO} "
        f"({'met' if best_b / best_a <= TARGET_RATIO else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
