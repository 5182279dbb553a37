"""``portwatch demo``: the demo port, live, in the app or without a window (on a
server, over SSH, in CI, or ``--headless``).

Headless, it runs the engine on the demo port fed live by the traffic simulator
(``sim://demo``) and prints what an operator would see: the traffic in place at
the start, then a status line every few seconds. ``--log`` summarises a recorded
log instead.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
import zlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

from portwatch import __version__
from portwatch.cli.desktop import open_desktop, why_no_window
from portwatch.cli.options import (
    Subcommands,
    add_chart_option,
    add_simulator_options,
    positive_number,
)
from portwatch.cli.signals import stop_on_signals

if TYPE_CHECKING:
    from portwatch.engine import Engine
    from portwatch.snapshot import EngineSnapshot

NAME = "demo"
_NAV_STATUS = {
    0: "under way",
    1: "at anchor",
    2: "not under command",
    3: "restricted manoeuvrability",
    4: "constrained by draught",
    5: "moored",
    6: "aground",
    7: "fishing",
    8: "sailing",
}
_SHOWN = 15
STATUS_EVERY_S = 5.0
PRIMING_TIMEOUT_S = 30.0
TABLE_HEADING = (
    f"{'NAME':<22}{'MMSI':>10}  {'SOG kn':>6} {'COG':>5}  {'LAT':>9} {'LON':>10}  STATUS"
)


def add_parser(commands: Subcommands) -> None:
    parser = commands.add_parser(
        NAME,
        help="open the demo port, live (the default)",
        description="Open PortWatch on its built-in demo port, San Pedro Bay, fed live by the "
        "traffic simulator with the traffic already in place. Without a display (or with "
        "--headless) it prints the live status instead. --log summarises a recorded log.",
    )
    add_simulator_options(parser, speed_default=1.0)
    parser.add_argument(
        "--minutes", type=positive_number, metavar="N", help="headless: stop after N minutes"
    )
    parser.add_argument(
        "--headless",
        action="store_true",
        help="print the live status instead of opening the window (as when there is no display)",
    )
    parser.add_argument("--log", metavar="FILE", help="summarise this recorded log instead")
    add_chart_option(parser, "chart")


def run(args: argparse.Namespace) -> int:
    if args.log:
        return print_log_summary(args.log)
    port = args.port or args.app_port
    if not args.headless and args.minutes is None:
        reason = why_no_window()
        if reason is None:
            from portwatch.sources.urls import simulator_url

            url = simulator_url(args.port, args.seed, args.speed, args.scenario)
            return open_desktop(
                args.port,
                [url],
                note=f"Simulated traffic ({url})",
                db=args.app_db,
                chart=args.chart or args.app_chart,
            )
        print(f"portwatch: {reason}: running the demo headless", file=sys.stderr)
    return run_headless(port, args.seed, args.speed, args.scenario, args.minutes)


def run_headless(
    port: str | None = None,
    seed: int = 1,
    speed: float = 1.0,
    scenarios: Sequence[str] = (),
    minutes: float | None = None,
    status_every_s: float = STATUS_EVERY_S,
) -> int:
    """Watch the simulated port until Ctrl-C, SIGTERM or ``minutes``; the exit status.
    Raises ``SourceUrlError`` when the simulator cannot run on ``port``."""
    from portwatch.engine import Engine
    from portwatch.live_tracking import status_line
    from portwatch.sources.simulated import SimulatedSource
    from portwatch.sources.urls import parse_source_url, simulator_url

    url = simulator_url(port, seed, speed, scenarios)
    engine = Engine(clock_follows_receive_time=True)
    source = engine.add_source(parse_source_url(url))
    assert isinstance(source, SimulatedSource)
    print(
        f"PortWatch {__version__} — {source.port.name}, live simulated traffic "
        f"(seed {seed}, {speed:g}x real time, from {url})"
    )
    print(
        f"headless: the traffic in place, then a status line every {status_every_s:g} s; "
        "Ctrl-C to stop",
        flush=True,
    )
    stopping = threading.Event()
    deadline = None if minutes is None else time.monotonic() + minutes * 60.0
    with stop_on_signals(stopping):
        try:
            engine.start()
            if _wait_for_priming(engine, stopping, deadline):
                _print_snapshot_picture(engine.snapshot())
            while not stopping.wait(_next_wait_s(status_every_s, deadline)):
                snapshot = engine.snapshot()
                print(f"{status_line(snapshot)} | {_states(snapshot)}", flush=True)
                failed = [s for s in snapshot.sources if s.state.startswith("failed")]
                if snapshot.error is not None or failed:
                    for problem in failed:
                        print(f"portwatch demo: {problem.name}: {problem.state}", file=sys.stderr)
                    return 1
                if deadline is not None and time.monotonic() >= deadline:
                    break
        finally:
            engine.close()
    return 0


def _next_wait_s(every_s: float, deadline: float | None) -> float:
    if deadline is None:
        return every_s
    return max(0.0, min(every_s, deadline - time.monotonic()))


def _wait_for_priming(engine: Engine, stopping: threading.Event, deadline: float | None) -> bool:
    """Wait until the simulator's first stretch (the traffic in place) has been
    applied; False when stopped, out of time or the source failed first."""
    give_up = time.monotonic() + PRIMING_TIMEOUT_S
    if deadline is not None:
        give_up = min(give_up, deadline)
    source = engine.sources[0]
    while not stopping.wait(0.1) and time.monotonic() < give_up:
        status = source.status()
        if status.state.startswith("failed"):
            return False
        if status.lines and not len(engine.queue):
            stopping.wait(0.3)  # the worker applies its last batch
            return not stopping.is_set()
    return False


def _states(snapshot: EngineSnapshot) -> str:
    from portwatch.vessel_kinds import CLASS_A, CLASS_B

    moving = anchored = moored = 0
    for vessel in snapshot.vessels.values():
        fix = vessel.fix
        if vessel.lost or fix is None or vessel.kind not in (CLASS_A, CLASS_B):
            continue
        if fix.nav_status == 1:
            anchored += 1
        elif fix.nav_status == 5:
            moored += 1
        elif (fix.sog_kn or 0.0) >= 0.5:
            moving += 1
    return f"{moving} moving, {anchored} at anchor, {moored} moored"


def _print_snapshot_picture(snapshot: EngineSnapshot) -> None:
    from portwatch.decoders.jsonl import iso_utc

    ships = [v for v in snapshot.vessels.values() if v.fix is not None and not v.lost]
    print(
        f"data time {iso_utc(snapshot.data_time_s) or '-'}: {len(ships)} stations heard; "
        f"{_states(snapshot)}"
    )
    print(TABLE_HEADING)
    ships.sort(key=lambda v: (-(v.fix.sog_kn or 0.0), v.static.name or "~"))  # type: ignore[union-attr]
    for vessel in ships[:_SHOWN]:
        fix = vessel.fix
        assert fix is not None
        _print_row(
            vessel.static.name,
            vessel.mmsi,
            fix.sog_kn,
            fix.cog_deg,
            fix.lat,
            fix.lon,
            fix.nav_status,
        )
    if len(ships) > _SHOWN:
        print(f"… and {len(ships) - _SHOWN} more")


def _print_row(
    name: str | None,
    mmsi: int,
    sog_kn: float | None,
    cog_deg: float | None,
    lat: float,
    lon: float,
    nav_status: int | None,
) -> None:
    sog = "-" if sog_kn is None else f"{sog_kn:.1f}"
    cog = "-" if cog_deg is None else f"{cog_deg:.0f}"
    status = _NAV_STATUS.get(nav_status, "-") if nav_status is not None else "-"
    printable = "".join(c if c.isprintable() else "?" for c in (name or "?"))
    print(f"{printable[:21]:<22}{mmsi:>10}  {sog:>6} {cog:>5}  {lat:>9.4f} {lon:>10.4f}  {status}")


def print_log_summary(path: str) -> int:
    """Decode the log at ``path`` and print a traffic summary; the exit status."""
    from portwatch.decoders.jsonl import iso_utc
    from portwatch.log_summary import summarise_log

    print(f"PortWatch {__version__} — summary of {path}")
    try:
        summary = summarise_log(path)
    except (OSError, EOFError, zlib.error) as error:
        print(f"portwatch demo: {path}: {error}", file=sys.stderr)
        return 1
    vessels = summary.vessels.values()
    times = [v.last.time_s for v in vessels if v.last.time_s is not None]
    if times:
        print(f"data time {iso_utc(min(times))} to {iso_utc(max(times))}")
    moving = sum(1 for v in vessels if (v.last.sog_kn or 0.0) >= 0.5)
    anchored = sum(1 for v in vessels if v.last.nav_status == 1)
    moored = sum(1 for v in vessels if v.last.nav_status == 5)
    print(f"{len(vessels)} vessels: {moving} moving, {anchored} at anchor, {moored} moored")
    print(TABLE_HEADING)
    for mmsi, seen in summary.busiest(_SHOWN):
        last = seen.last
        _print_row(
            summary.names.get(mmsi),
            mmsi,
            last.sog_kn,
            last.cog_deg,
            last.lat,
            last.lon,
            last.nav_status,
        )
    print(summary.stats.summary())
    return 0
