r"""``analyze`` of a national authority's whole feed: messages a second and peak memory.

Why: an investigator replays a country's wide-area feed (10,000-20,000 vessels,
millions of messages a day) through ``portwatch analyze`` with the operator's
watch on one port file: the whole pipeline (decode, fleet, the port's analytics
on the data clock, the events to JSON Lines) over every vessel of the coast,
while the port's watch concerns the few hundred near it. Issue 20's targets:
at least 50,000 messages a second and at most 1.5 GB of memory at 20,000 vessels.

The log is the product's traffic simulator around the demo port with a national
network's wide area (``TrafficProfile.national(scale)``; ``--scale`` 8.25 makes
about 20,000 class A and B vessels besides 2,400 base stations and aids, some
1,500 messages a second of data), ``--hours`` of it (default one), cached by
``benchmarks/port_log.py``. Each of ``--repeat`` rounds runs, each in a fresh
subprocess (so that its peak resident set, ``VmHWM``, is its own) and interleaved
so that drift in machine speed hits them alike:

(a) ``portwatch.analyzing.analyze_logs`` with the demo port, the events to a JSON
    Lines file, no database (what ``portwatch analyze LOG --port demo --events
    OUT`` does);
(b) pyais, file to dicts: ``FileReaderStream`` + ``decode().asdict()`` (the
    baseline: a bare decoder on the same file);
(c) PortWatch's decoder alone, file to typed records (what (a) pays before the
    fleet and the watch).

It prints every round, the best rate of each, (a) against (b) and (c) best against
best and paired, and the peak memory of each beside the targets; with
``--profile`` it runs (a) once under cProfile in this process and prints where the
time goes instead.

A benchmark, not a test: the exit code is 0 whether or not the targets are met.

Usage: ``python benchmarks/analyze_national.py [--hours H] [--scale S] [--seed N]
[--repeat R] [--profile]``.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import platform
import pstats
import statistics
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # port_log.py, also under cProfile
from decode import portwatch_records, pyais_dicts
from ingest import code_source, verdict
from port_log import cached_national_log, describe, national_log_path, read_summary, simulated
from process_memory import peak_memory, run_script

from portwatch.analyzing import analyze_logs
from portwatch.bundled import DEMO_PORT, bundled_file
from portwatch.port.port_file import load_port

RATE_TARGET = 50_000.0
"""Messages a second (a) must reach."""
PEAK_TARGET_MB = 1536.0
"""(a)'s peak resident set, at most (1.5 GB)."""
NATIONAL_SCALE = 8.25
"""``TrafficProfile.national(scale)`` for about 20,000 vessels."""
MIB = 1024 * 1024


def analyze(log: Path, out_dir: Path) -> dict[str, Any]:
    """(a) ``analyze`` of ``log`` watching the demo port; its figures."""
    port = load_port(bundled_file(DEMO_PORT))
    started = time.perf_counter()
    result, engine = analyze_logs([str(log)], port, out_dir / "events.jsonl")
    elapsed_s = time.perf_counter() - started
    analytics = engine.analytics
    return {
        "elapsed_s": elapsed_s,
        "messages": result.messages,
        "failed": list(result.failed),
        "events": result.events.total(),
        "events_by_kind": dict(result.events.most_common()),
        "passes": analytics.passes if analytics is not None else 0,
        "live_vessels": len(engine.fleet.vessels),
        "watched_rows": len(analytics.columns.rows) if analytics is not None else 0,
    }


def decode_only(which: str, log: Path, out_dir: Path) -> dict[str, Any]:
    """(b) pyais or (c) PortWatch's decoder over ``log``; messages and time."""
    decode = pyais_dicts if which == "pyais" else portwatch_records
    started = time.perf_counter()
    messages = decode(log, out_dir)
    return {"elapsed_s": time.perf_counter() - started, "messages": messages}


def child(task: str, log: Path) -> dict[str, Any]:
    """In the subprocess: one task over ``log``, then this process's peak memory."""
    with tempfile.TemporaryDirectory(prefix="portwatch-bench-") as tmp:
        out_dir = Path(tmp)
        figures = analyze(log, out_dir) if task == "analyze" else decode_only(task, log, out_dir)
    return {**figures, **peak_memory()}


def profile(log: Path) -> None:
    """(a) once under cProfile in this process: the functions by own time and by
    cumulative time."""
    profiler = cProfile.Profile()
    with tempfile.TemporaryDirectory(prefix="portwatch-bench-") as tmp:
        profiler.enable()
        figures = analyze(log, Path(tmp))
        profiler.disable()
    print(
        f"under cProfile: {figures['messages']:,} messages in {figures['elapsed_s']:.1f} s, "
        f"{figures['passes']:,} passes, {figures['events']:,} events"
    )
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(30)
    stats.sort_stats("cumulative").print_stats(45)


LABELS = {
    "analyze": "(a) analyze, demo port, events to JSON Lines",
    "pyais": "(b) pyais file -> dicts (baseline)",
    "portwatch": "(c) PortWatch decoder file -> records",
}


def main(argv: list[str] | None = None) -> int:
    """Make or reuse the log, run the rounds, print the figures; always 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, default=1.0, help="hours of data (default 1)")
    parser.add_argument(
        "--scale",
        type=float,
        default=NATIONAL_SCALE,
        help=f"times TrafficProfile.national()'s wide area (default {NATIONAL_SCALE:g})",
    )
    parser.add_argument("--seed", type=int, default=1, help="simulator seed (default 1)")
    parser.add_argument("--repeat", type=int, default=2, help="rounds; the best counts")
    parser.add_argument("--profile", action="store_true", help="run (a) under cProfile instead")
    parser.add_argument("--child", nargs=2, metavar=("TASK", "LOG"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        print(json.dumps(child(args.child[0], Path(args.child[1]))))
        return 0

    print(
        f"python {platform.python_version()} ({platform.python_implementation()}, "
        f"{platform.machine()}); pyais {version('pyais')}; portwatch {version('portwatch')}"
    )
    code = code_source()
    print(f"code: {code}")
    log = simulated(
        national_log_path(args.hours, args.seed, args.scale),
        cached_national_log,
        args.hours,
        args.seed,
        args.scale,
    )
    print(describe(log))
    if args.profile:
        profile(log)
        return 0
    summary = read_summary(log) or {}

    runs: dict[str, list[dict[str, Any]]] = {task: [] for task in LABELS}
    for round_ in range(max(1, args.repeat)):
        for task in LABELS:
            figures = run_script(__file__, "--child", task, str(log))
            if isinstance(figures, str):
                print(f"round {round_ + 1}: {task} failed: {figures}")
                continue
            runs[task].append(figures)
            print(
                f"round {round_ + 1}: {LABELS[task]:<46} {figures['elapsed_s']:>7.1f} s "
                f"{figures['messages'] / figures['elapsed_s']:>8,.0f} msg/s, peak "
                f"{figures['peak_kib'] / 1024:>7.1f} MB"
            )
    if not all(runs.values()):
        print("not every benchmark ran: no figures")
        return 0

    def rate(figures: dict[str, Any]) -> float:
        return float(figures["messages"] / figures["elapsed_s"])

    best = {task: max(done, key=rate) for task, done in runs.items()}
    last = runs["analyze"][-1]
    print(
        f"\n(a) analysed {last['messages']:,} messages ({summary.get('messages', 0):,} in the "
        f"log) over {last['passes']:,} passes: {last['events']:,} events; at the end "
        f"{last['live_vessels']:,} stations in the live picture, {last['watched_rows']:,} rows "
        "in the watch's columns"
    )
    print(
        "    events by kind: "
        + ", ".join(f"{kind} {n:,}" for kind, n in last["events_by_kind"].items())
    )
    if last["failed"]:
        print(f"note: failed inputs: {last['failed']}")

    header = f"{'':<46} {'messages/s':>11} {'peak MB':>8}"
    print(f"\n{header}\n{'-' * len(header)}")
    for task, label in LABELS.items():
        print(f"{label:<46} {rate(best[task]):>11,.0f} {best[task]['peak_kib'] / 1024:>8.1f}")
    for baseline in ("pyais", "portwatch"):
        paired = statistics.median(
            rate(a) / rate(b) for a, b in zip(runs["analyze"], runs[baseline], strict=False)
        )
        print(
            f"(a) / ({'b' if baseline == 'pyais' else 'c'}): best against best "
            f"{rate(best['analyze']) / rate(best[baseline]):.2f}x, paired {paired:.2f}x"
        )
    peak_mb = max(figures["peak_kib"] for figures in runs["analyze"]) / 1024
    above_mb = peak_mb - best["pyais"]["peak_kib"] / 1024
    vessels = summary.get("vessels", 0)
    print(
        f"\n{'target':<34} {'figure':>12} {'target':>12}  met\n"
        f"{'(a) messages a second (best)':<34} {rate(best['analyze']):>12,.0f} "
        f"{f'>= {RATE_TARGET:,.0f}':>12}  {verdict(rate(best['analyze']) >= RATE_TARGET)}\n"
        f"{'(a) peak resident set (worst)':<34} {peak_mb:>9,.0f} MB "
        f"{f'<= {PEAK_TARGET_MB:,.0f} MB':>12}  {verdict(peak_mb <= PEAK_TARGET_MB)}\n"
        f"    ({above_mb:,.0f} MB above the pyais process's peak: "
        f"{above_mb * MIB / max(1, vessels):,.0f} bytes per station heard, {vessels:,} stations)"
    )
    if code_source() != code:
        print(f"\nnote: the code under test changed during the run; now {code_source()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
