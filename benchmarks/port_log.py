"""The benchmarks' AIS logs: the product's traffic simulator on the demo port, cached.

How fast a decoder or an import is depends on what the feed holds: the share of
one-sentence position reports, the two-sentence type 5 messages, the tag block on
every line, the rarer types. ``portwatch.simulator`` makes San Pedro Bay on an
ordinary weekday (about 200 stations at once, checked against real AIS of the
bay), so the benchmarks take the first ``sentences`` lines of its traffic, from a
fixed start and seed: the same bytes on every machine. ``thinned`` stretches every
reporting interval ``THINNED_SCALE`` times (``TrafficProfile.report_every_scale``):
days of traffic in as many lines, each target silent for longer than its lost
time-out between two of its reports. ``cached_national_log`` is a national
authority's wide-area feed around the same port (``TrafficProfile.national``: about
3,000 stations at the ITU rates, many class B, base stations and aids, some at the
edge of coverage going lost and found), for an hour or more of data.

A copy is kept in ``benchmarks/.cache/`` under a name that carries a digest of the
simulator's code and the demo port, so a changed simulator makes a new log; a
summary (messages by type, vessels, time span) is kept beside it as JSON.

Usage: ``cached_log(sentences, seed, thinned)``, ``cached_national_log(hours, seed, scale)``,
``cached_port_hours_log(hours, seed)``;
``python benchmarks/port_log.py [--thinned | --national]`` prints where the log is and
what it holds.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterable
from itertools import islice
from pathlib import Path
from typing import Any

import portwatch.simulator
from portwatch.bundled import DEMO_PORT, bundled_file
from portwatch.decoders import StreamDecoder
from portwatch.port.port_file import load_port
from portwatch.simulator.profile import TrafficProfile
from portwatch.simulator.traffic import TrafficSimulator

CACHE_DIR = Path(__file__).resolve().parent / ".cache"
DEFAULT_SENTENCES = 220_000
START_S = 1_710_201_600.0
"""2024-03-12T00:00:00Z, the data time of the first line."""
THINNED_SCALE = 30.0
"""``thinned``: every reporting interval this many times longer."""
NATIONAL_HOURS = 1.0
"""The national-style log's default span of data."""


def simulator_digest() -> str:
    """Eight hex digits of the simulator's code and the demo port: a new digest, a new log."""
    digest = hashlib.sha256()
    package = Path(portwatch.simulator.__file__).parent
    for path in [*sorted(package.glob("*.py")), bundled_file(DEMO_PORT)]:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


def log_path(sentences: int = DEFAULT_SENTENCES, seed: int = 1, thinned: bool = False) -> Path:
    """Where ``cached_log`` keeps the log for (sentences, seed, thinned)."""
    rates = f"-thinned{THINNED_SCALE:g}" if thinned else ""
    return CACHE_DIR / f"sanpedro-{simulator_digest()}{rates}-{sentences}-seed{seed}.nmea"


def cached_log(sentences: int = DEFAULT_SENTENCES, seed: int = 1, thinned: bool = False) -> Path:
    """The log for (sentences, seed, thinned), written on first use."""
    path = log_path(sentences, seed, thinned)
    if not (path.exists() and path.with_suffix(".json").exists()):
        profile = TrafficProfile(report_every_scale=THINNED_SCALE if thinned else 1.0)
        simulator = _simulator(profile, seed)
        write_log(path, simulator, islice(simulator.timed_lines(), sentences))
    return path


def national_log_path(hours: float = NATIONAL_HOURS, seed: int = 1, scale: float = 1.0) -> Path:
    """Where ``cached_national_log`` keeps the log for (hours, seed, scale)."""
    scaled = f"-x{scale:g}" if scale != 1.0 else ""
    return CACHE_DIR / f"national-{simulator_digest()}{scaled}-{hours:g}h-seed{seed}.nmea"


def cached_national_log(hours: float = NATIONAL_HOURS, seed: int = 1, scale: float = 1.0) -> Path:
    """``hours`` of a national-style wide-area feed with ``scale`` times its wide area
    (``TrafficProfile.national``), written on first use."""
    path = national_log_path(hours, seed, scale)
    if not (path.exists() and path.with_suffix(".json").exists()):
        simulator = _simulator(TrafficProfile.national(scale), seed)
        write_log(path, simulator, simulator.timed_lines(hours * 3600.0))
    return path


def cached_port_hours_log(hours: float, seed: int = 1) -> Path:
    """``hours`` of the demo port at the ITU rates (the default profile), written on
    first use: a day of it for the soak benchmark."""
    path = CACHE_DIR / f"sanpedro-{simulator_digest()}-{hours:g}h-seed{seed}.nmea"
    if not (path.exists() and path.with_suffix(".json").exists()):
        simulator = _simulator(TrafficProfile(), seed)
        write_log(path, simulator, simulator.timed_lines(hours * 3600.0))
    return path


def _simulator(profile: TrafficProfile, seed: int) -> TrafficSimulator:
    return TrafficSimulator(
        load_port(bundled_file(DEMO_PORT)), seed=seed, start_s=START_S, profile=profile
    )


def write_log(
    path: Path, simulator: TrafficSimulator, lines: Iterable[tuple[float, str]]
) -> dict[str, Any]:
    """Write the timed ``lines`` of ``simulator`` to ``path``, and its summary (see
    ``read_summary``) beside it; returns the summary."""
    path.parent.mkdir(parents=True, exist_ok=True)
    first_s = last_s = START_S
    written = 0
    partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    with open(partial, "w", encoding="ascii", newline="\n") as out:
        for time_s, line in lines:
            out.write(line + "\n")
            written += 1
            last_s = time_s
    os.replace(partial, path)  # a concurrent run never reads half a log
    decoder = StreamDecoder(source=path.name)
    with open(path, "rb") as log:
        for _records in decoder.iter_messages(log):
            pass
    decoder.finish()
    summary = {
        "sentences": written,
        "messages": decoder.stats.messages,
        "by_type": dict(sorted(decoder.stats.by_type.items())),
        "vessels": len(simulator.vessels),
        "first_time_s": first_s,
        "last_time_s": last_s,
        "seed": simulator.seed,
        "report_every_scale": simulator.profile.report_every_scale,
    }
    path.with_suffix(".json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    return summary


def read_summary(path: Path) -> dict[str, Any] | None:
    """What ``cached_log`` stored beside a log: ``sentences``, ``messages``, ``by_type``
    (messages per AIS type), ``vessels`` (stations heard), ``first_time_s`` and
    ``last_time_s`` (data times), ``seed``, ``report_every_scale``; None when absent."""
    summary = path.with_suffix(".json")
    if not summary.exists():
        return None
    data: dict[str, Any] = json.loads(summary.read_text(encoding="utf-8"))
    return data


def simulated(path: Path, make: Callable[..., Path], *args: Any) -> Path:
    """``make(*args)``, the cached log at ``path``; says whether it was simulated now."""
    started = time.perf_counter()
    existed = path.exists()
    made = make(*args)
    made_s = time.perf_counter() - started
    print("log reused from cache" if existed else f"log simulated in {made_s:.1f} s")
    return made


def describe(path: Path) -> str:
    """Two lines on the log at ``path``: its size, and what it holds."""
    text = f"log: {path} ({path.stat().st_size / 1e6:.1f} MB)"
    summary = read_summary(path)
    if summary:
        span_h = (summary["last_time_s"] - summary["first_time_s"]) / 3600.0
        by_type = ", ".join(f"{t}: {n:,}" for t, n in summary["by_type"].items())
        text += (
            f"\n     {summary['sentences']:,} sentences, {summary['messages']:,} messages over "
            f"{span_h:.1f} h from {summary['vessels']:,} stations; by type {by_type}"
        )
    return text


if __name__ == "__main__":
    if "--national" in sys.argv[1:]:
        print(describe(cached_national_log()))
    else:
        print(describe(cached_log(thinned="--thinned" in sys.argv[1:])))
