"""Decoding throughput: PortWatch's pipeline against pyais, on one realistic log, in one run.

Why: PortWatch keeps its own framing, reassembly and a fast path for position
reports instead of handing lines to pyais's stream. That only pays if it is
clearly faster on a real feed, so this measures both on the same simulated
port log (``port_log.py``: the product's simulator on the demo port, 220,000
sentences with tag blocks, ~90 % position reports), in the same process and
run, so that the ratios depend as little as possible on the machine and its
load of the day:

(a) PortWatch, file to typed records: ``open_log`` + ``StreamDecoder.iter_messages``,
    with the decoders in use (compiled by mypyc when built: the header says which);
(p) the same with the pure-Python decoders, the reference (a child Python with
    ``PORTWATCH_PURE=1``, timed inside it; interleaved with the rest like any other);
(b) pyais, file to dicts: ``FileReaderStream`` + ``decode().asdict()`` (baseline for a, p);
(c) PortWatch's CLI path, file to JSON Lines: ``portwatch.json_lines.write_json_lines``;
(d) pyais, file to JSON Lines: ``json.dumps(asdict(), default=str)`` (baseline for c).

Each is timed with ``time.perf_counter``, best of ``--repeat`` runs, the four
interleaved so that drift in machine speed hits them alike; every run's time
is printed too. Each ratio is given two ways: best against best, and the
median over the rounds of the ratio within a round (a pair that ran back to
back); a target counts as met when both reach it. On a shared or virtual
machine single runs can vary by half; use a larger ``--repeat`` for steadier
figures. Targets: (a) at least 3.5x (b), (c) at least 2x (d); (p) against (b) is
shown beside (a)'s. A benchmark, not a test: the exit code is 0 whether or not the
targets are met.

Usage: ``python benchmarks/decode.py [--sentences N] [--repeat R] [--seed S] [--only apbcd]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from pyais.stream import FileReaderStream

import portwatch.decoders
from portwatch.decoders import StreamDecoder, open_log
from portwatch.json_lines import write_json_lines

sys.path.insert(0, str(Path(__file__).resolve().parent))  # port_log.py, also under cProfile
from port_log import DEFAULT_SENTENCES, cached_log, describe, log_path, read_summary

TARGETS = {("a", "b"): 3.5, ("p", "b"): 3.5, ("c", "d"): 2.0}
"""Required speed-ups: messages/s of the first over messages/s of the second."""


def portwatch_records(path: Path, out_dir: Path) -> int:
    """(a) File to typed records; returns the number of messages."""
    decoder = StreamDecoder(source=path.name)
    messages = 0
    with open_log(path) as log:
        for _records in decoder.iter_messages(log):  # one message's records
            messages += 1
    decoder.finish()
    return messages


def pure_records(path: Path, out_dir: Path) -> int:
    """(p) (a) in a child Python on the pure-Python decoders; its own time, reported
    through ``_child_seconds`` (the child's start-up is not counted)."""
    result = subprocess.run(
        [sys.executable, __file__, "--child-records", str(path)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PORTWATCH_PURE": "1"},
    )
    messages, seconds, decoders = result.stdout.split(maxsplit=2)
    if not decoders.startswith("pure Python"):
        raise RuntimeError(f"the child ran {decoders.strip()}")
    _child_seconds.append(float(seconds))
    return int(messages)


_child_seconds: list[float] = []
"""The last child's own time, for the loop (the wall time includes its start-up)."""


def pyais_dicts(path: Path, out_dir: Path) -> int:
    """(b) pyais's own file stream, each message decoded to a dict."""
    messages = 0
    with FileReaderStream(path) as stream:
        for msg in stream:
            msg.decode().asdict()
            messages += 1
    return messages


def portwatch_jsonl(path: Path, out_dir: Path) -> int:
    """(c) The CLI's own path (``portwatch decode``): one JSON object per message, to a file."""
    decoder = StreamDecoder(source=path.name)
    with open_log(path) as log, open(out_dir / "portwatch.jsonl", "w", encoding="utf-8") as out:
        messages = write_json_lines(decoder, log, out)
    decoder.finish()
    return messages


def pyais_jsonl(path: Path, out_dir: Path) -> int:
    """(d) pyais decoding the same file and writing its dicts as JSON Lines."""
    dumps = json.dumps
    messages = 0
    with (
        FileReaderStream(path) as stream,
        open(out_dir / "pyais.jsonl", "w", encoding="utf-8") as out,
    ):
        write = out.write
        for msg in stream:
            write(dumps(msg.decode().asdict(), default=str))
            write("\n")
            messages += 1
    return messages


def decoders_source() -> str:
    """Where the decoders under test come from: directory, git commit, uncommitted changes.

    Numbers are only comparable between runs of the same code, and the
    decoders change often; read-only git queries that take no index lock.
    """
    where = Path(portwatch.decoders.__file__).resolve().parent
    git = ["git", "--no-optional-locks", "-C", str(where)]
    try:
        commit = subprocess.run(
            [*git, "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
        changed = subprocess.run(
            [*git, "status", "--porcelain", "--", "."],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return str(where)
    state = "with uncommitted changes" if changed else "clean"
    return f"{where} (git {commit}, {state})"


@dataclass
class Benchmark:
    """One timed pipeline and its results."""

    key: str
    label: str
    run: Callable[[Path, Path], int]
    times_s: list[float] = field(default_factory=list)
    messages: int = 0

    @property
    def best_s(self) -> float:
        return min(self.times_s)

    @property
    def rate(self) -> float:
        return self.messages / self.best_s


BENCHMARKS: tuple[tuple[str, str, Callable[[Path, Path], int]], ...] = (
    ("a", "PortWatch  file -> typed records", portwatch_records),
    ("p", "PortWatch  ... pure-Python decoders (child)", pure_records),
    ("b", "pyais      file -> dicts (baseline for a)", pyais_dicts),
    ("c", "PortWatch  file -> JSON Lines (CLI path)", portwatch_jsonl),
    ("d", "pyais      file -> JSON Lines (baseline for c)", pyais_jsonl),
)


def main(argv: list[str] | None = None) -> int:
    """Make or reuse the log, time the pipelines, print the table; always 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sentences",
        type=int,
        default=DEFAULT_SENTENCES,
        help=f"log size in NMEA sentences (default {DEFAULT_SENTENCES:,})",
    )
    parser.add_argument("--repeat", type=int, default=5, help="runs per benchmark; best counts")
    parser.add_argument("--seed", type=int, default=1, help="simulator seed (default 1)")
    parser.add_argument(
        "--only",
        default="apbcd",
        help="which benchmarks to run, e.g. 'a' for profiling (default apbcd)",
    )
    parser.add_argument("--child-records", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_records is not None:  # (p): time (a) here, on the decoders of this process
        started = time.perf_counter()
        messages = portwatch_records(args.child_records, args.child_records.parent)
        print(messages, time.perf_counter() - started, portwatch.decoders.DECODERS)
        return 0
    selected = [Benchmark(*b) for b in BENCHMARKS if b[0] in args.only]
    repeat = max(1, args.repeat)

    print(
        f"python {platform.python_version()} ({platform.python_implementation()}, "
        f"{platform.machine()}, {platform.system()}); pyais {version('pyais')}; "
        f"portwatch {version('portwatch')}"
    )
    print(f"decoders: {decoders_source()}; in use: {portwatch.decoders.DECODERS}")
    started = time.perf_counter()
    existed = log_path(args.sentences, args.seed).exists()
    path = cached_log(args.sentences, args.seed)
    made_s = time.perf_counter() - started
    print(describe(path))
    print("     reused from cache" if existed else f"     simulated in {made_s:.1f} s")
    print(f"timing: best of {repeat} (time.perf_counter), benchmarks interleaved\n")

    with tempfile.TemporaryDirectory(prefix="portwatch-bench-") as tmp:
        out_dir = Path(tmp)
        for _ in range(repeat):
            for bench in selected:
                t0 = time.perf_counter()
                messages = bench.run(path, out_dir)
                elapsed_s = time.perf_counter() - t0
                bench.times_s.append(_child_seconds.pop() if _child_seconds else elapsed_s)
                bench.messages = messages

    header = f"{'benchmark':<51} {'messages':>9} {'best s':>8} {'messages/s':>11}  all runs (s)"
    print(header)
    print("-" * len(header))
    for bench in selected:
        runs = " ".join(f"{t:.2f}" for t in bench.times_s)
        print(
            f"({bench.key}) {bench.label:<47} {bench.messages:>9,} {bench.best_s:>8.3f} "
            f"{bench.rate:>11,.0f}  {runs}"
        )
    expected = (read_summary(path) or {}).get("messages")
    for bench in selected:
        if expected is not None and bench.messages != expected:
            print(
                f"note: ({bench.key}) decoded {bench.messages:,} of the log's {expected:,} messages"
            )

    print(f"\n{'ratio (messages/s)':<20} {'best/best':>9} {'paired':>8} {'target':>8}  met")
    by_key = {b.key: b for b in selected}
    for (fast, slow), target in TARGETS.items():
        if fast in by_key and slow in by_key:
            ratio = by_key[fast].rate / by_key[slow].rate
            # Paired: the two ran back to back in each round, so a slow phase of
            # the machine hits both; the median of the rounds' ratios.
            paired = statistics.median(
                s / f for f, s in zip(by_key[fast].times_s, by_key[slow].times_s, strict=True)
            )
            met = "yes" if min(ratio, paired) >= target else "NO"
            print(
                f"({fast})/({slow}){'':<13} {ratio:>8.2f}x {paired:>7.2f}x "
                f"{f'>= {target:g}x':>8}  {met}"
            )
        else:
            print(f"({fast})/({slow}){'':<13} {'n/a':>9} {'':>8} {f'>= {target:g}x':>8}  not run")
    return 0


if __name__ == "__main__":
    sys.exit(main())
