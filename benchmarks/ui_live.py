"""Is the app still interactive at 2,000 messages a second of live input?

Why: the issue's promise is not only a fast frame but a window that answers the
operator while a busy feed pours in. Decoding, the fleet and the history writes
run in the engine's thread, in the same Python process as the window, so they
compete with it for the interpreter. This runs the real app (``MainWindow`` on a
real ``Engine`` with a history database) fed over loopback TCP by 20,000 class A
vessels each reporting every 10 s: 2,000 msg/s. Meanwhile a probe timer asks
the event loop for a turn every 20 ms; how late it comes is how long a click or
a key would wait. It prints the probe's lateness (median, 99th percentile, max),
the refresh and map-paint times of the app's own timer, and whether the engine
kept up (messages a second, lines dropped).

The picture is measured as it stands after a long watch, not in its first
seconds: before the window opens, every vessel's last ``--trail-minutes`` (by
default the fleet's whole trail, 30 minutes) along its track are put back as the
app puts back a restart's picture, with its name and dimensions, so that trails
are full. A fleet whose trails are still short hides what the full ones cost
(the collector walks every trail point the interpreter tracks).

Baseline measured in the same run: the same window and probe with the engine
running but no input (the window's own cost).

``--watch``: the engine watches the demo port (its analytics run on the traffic);
``--docks`` (implies ``--watch``): all five operations panels are open side by side
under the map too, refreshed once a second as in the app. Target: p99 lateness
under 100 ms; ``--watch`` alone is the same run's measure of what the panels add.

Usage: ``python benchmarks/ui_live.py [--vessels 20000] [--seconds 30]
[--report-every 10] [--trail-minutes 30] [--watch] [--docks]``
(offscreen unless ``QT_QPA_PLATFORM`` says otherwise). A benchmark, not a
test: exit code 0 either way.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import platform
import random
import statistics
import sys
import tempfile
import threading
import time
from typing import NamedTuple

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pyais.encode import encode_dict
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from portwatch.bundled import DEMO_PORT, bundled_file
from portwatch.engine import Engine
from portwatch.history.writer import HistoryWriter
from portwatch.port.port_file import Port, load_port
from portwatch.settings import FleetSettings
from portwatch.simulator.serve import TcpLineServer
from portwatch.ui.app import settle_collector
from portwatch.ui.main_window import MainWindow
from portwatch.ui.vessel_layer import VesselLayer
from portwatch.vessel import Fix, StaticData, VesselState

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ui_frame import show_panels  # beside this file

REPORT_EVERY_S = 10.0
PROBE_MS = 20
SEND_EVERY_S = 0.05


class Ship(NamedTuple):
    """One simulated vessel: where it is at the feed's start, and how it sails."""

    mmsi: int
    x_m: float
    y_m: float
    course_deg: float
    speed_kn: float
    offset_s: float
    """When in each ``report_every_s`` it reports."""

    def lonlat(self, port: Port, time_s: float) -> tuple[float, float]:
        """Where it is ``time_s`` after the feed's start (before it, when negative)."""
        run_m = self.speed_kn * 1852.0 / 3600.0 * time_s
        lon, lat = port.plane.to_lonlat(
            self.x_m + math.sin(math.radians(self.course_deg)) * run_m,
            self.y_m + math.cos(math.radians(self.course_deg)) * run_m,
        )
        return float(lon), float(lat)


def ships_in(port: Port, vessels: int, report_every_s: float, seed: int = 1) -> list[Ship]:
    west, south, east, north = port.of_kind("approach")[0].local.bounds
    rng = random.Random(seed)
    return [
        Ship(
            200_000_000 + number,
            rng.uniform(west, east),
            rng.uniform(south, north),
            rng.uniform(0, 360),
            rng.uniform(0.0, 18.0),
            rng.uniform(0.0, report_every_s),
        )
        for number in range(vessels)
    ]


def put_back_trails(
    engine: Engine, port: Port, ships: list[Ship], minutes: float, report_every_s: float
) -> None:
    """Each ship's last ``minutes`` of reports (ending now), put back into the
    engine's fleet the way a restart's picture is (``Fleet.restore``), with a
    name, a type and dimensions: the picture after a long watch."""
    fleet = engine.fleet
    now_s = time.time()
    rng = random.Random(2)
    for ship in ships:
        recent = []
        time_s = ship.offset_s - report_every_s * math.ceil(minutes * 60.0 / report_every_s)
        while time_s < 0.0:
            lon, lat = ship.lonlat(port, time_s)
            recent.append(
                Fix(
                    ship.mmsi,
                    now_s + time_s,
                    lat,
                    lon,
                    round(ship.speed_kn, 1),
                    round(ship.course_deg, 1),
                    round(ship.course_deg) % 360,
                    0,
                    "warm-up",
                )
            )
            time_s += report_every_s
        if not recent:
            continue
        static = StaticData(
            name=f"VESSEL {ship.mmsi % 100_000}",
            ship_type=rng.choice((30, 52, 60, 70, 80)),
            to_bow_m=rng.randint(10, 200),
            to_stern_m=rng.randint(5, 60),
            to_port_m=rng.randint(3, 20),
            to_starboard_m=rng.randint(3, 20),
        )
        state = VesselState(
            mmsi=ship.mmsi,
            kind="class_a",
            first_seen_s=recent[0].time_s,
            last_heard_s=recent[-1].time_s,
            static=static,
            static_s=recent[0].time_s,
            fix=recent[-1],
        )
        fleet.restore(state, recent)
    fleet.settle(now_s)


def encoded_reports(
    port: Port, ships: list[Ship], seconds: float, report_every_s: float
) -> list[list[bytes]]:
    """Per send slot (every ``SEND_EVERY_S``), the NMEA lines due: each vessel
    reports every ``report_every_s``, sailing on between reports."""
    slots = math.ceil(seconds / SEND_EVERY_S)
    due: list[list[bytes]] = [[] for _ in range(slots)]
    for ship in ships:
        mmsi, course, speed = ship.mmsi, ship.course_deg, ship.speed_kn
        time_s = ship.offset_s
        while time_s < seconds:
            lon, lat = ship.lonlat(port, time_s)
            (sentence,) = encode_dict(
                {
                    "msg_type": 1,
                    "mmsi": mmsi,
                    "lat": round(lat, 6),
                    "lon": round(lon, 6),
                    "speed": round(speed, 1),
                    "course": round(course, 1),
                    "heading": round(course) % 360,
                    "second": int(time_s) % 60,
                },
                talker_id="AI",
                sentence_type="VDM",
            )
            due[int(time_s / SEND_EVERY_S)].append(sentence.encode("ascii") + b"\r\n")
            time_s += report_every_s
    return due


def feed(server: TcpLineServer, due: list[list[bytes]], stop: threading.Event) -> None:
    """Sends each slot's lines at its time, as a receiver would."""
    started = time.monotonic()
    for slot, lines in enumerate(due):
        wait_s = started + slot * SEND_EVERY_S - time.monotonic()
        if stop.wait(max(0.0, wait_s)):
            return
        if lines:
            server.send(b"".join(lines))


class Probe:
    """A timer that should fire every ``PROBE_MS``; records how late each turn is."""

    def __init__(self) -> None:
        self.lateness_ms: list[float] = []
        self._last = time.perf_counter()
        self.timer = QTimer()
        self.timer.setInterval(PROBE_MS)
        self.timer.timeout.connect(self._on_timeout)

    def start(self) -> None:
        self._last = time.perf_counter()
        self.timer.start()

    def _on_timeout(self) -> None:
        now = time.perf_counter()
        self.lateness_ms.append(max(0.0, (now - self._last) * 1000.0 - PROBE_MS))
        self._last = now


def run(
    app: QApplication,
    vessels: int,
    seconds: float,
    report_every_s: float,
    trail_minutes: float,
    live: bool,
    docks: bool = False,
    watch: bool = False,
) -> dict[str, object]:
    port = load_port(bundled_file(DEMO_PORT))
    folder = tempfile.mkdtemp()
    server = TcpLineServer("127.0.0.1", 0)
    engine = Engine(
        history=HistoryWriter(os.path.join(folder, "history.sqlite")),
        clock_follows_receive_time=True,
        port=port if docks or watch else None,
    )
    engine.add_source(f"tcp://127.0.0.1:{server.address[1]}")
    settings = QSettings(os.path.join(folder, "bench.ini"), QSettings.Format.IniFormat)
    window = MainWindow(engine, port, settings=settings)
    window.resize(1600, 1000)
    show_panels(window, docks)
    window.map.vessels.render_in_background()  # as the app does
    window.show()
    settle_collector()  # as the app does once its window is up
    ships = ships_in(port, vessels, report_every_s)
    if live and trail_minutes > 0:
        # After the freeze: after a long watch none of the picture is as it was then.
        put_back_trails(engine, port, ships, trail_minutes, report_every_s)
    engine.start()
    refresh_s: list[float] = []
    original_refresh = window.refresh

    def timed_refresh() -> None:
        started = time.perf_counter()
        original_refresh()
        refresh_s.append(time.perf_counter() - started)

    window.refresh = timed_refresh  # type: ignore[method-assign]
    deadline = time.monotonic() + 5
    while server.clients < 1 and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    stop = threading.Event()
    fill_s = report_every_s  # every vessel heard once before measuring
    sender = None
    if live:
        due = encoded_reports(port, ships, fill_s + seconds + 1, report_every_s)
        sender = threading.Thread(target=feed, args=(server, due, stop), daemon=True)
        sender.start()
    del ships  # the feed's, not the app's: not for the collector to walk
    end = time.monotonic() + fill_s
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.002)
    probe = Probe()
    refresh_s.clear()
    paints_before, paint_s_before = _PAINTS.count, len(_PAINTS.seconds)
    messages_before = engine.snapshot().counters.messages  # not the snapshot: its views
    collections = Collections()
    gc.callbacks.append(collections.on_gc)
    probe.start()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.001)
    probe.timer.stop()
    gc.callbacks.remove(collections.on_gc)
    snapshot = engine.snapshot()
    # What the collector walks in a full collection of this picture, and how long it takes.
    gc.collect()
    tracked = len(gc.get_objects())
    started, started_cpu = time.perf_counter(), time.thread_time()
    gc.collect()
    full_ms = (time.perf_counter() - started) * 1000, (time.thread_time() - started_cpu) * 1000
    stop.set()
    if sender is not None:
        sender.join(5)
    result = {
        "collections": collections,
        "tracked": tracked,
        "full_ms": full_ms,
        "lateness_ms": probe.lateness_ms,
        "refresh_ms": [s * 1000 for s in refresh_s],
        "paint_ms": [s * 1000 for s in _PAINTS.seconds[paint_s_before:]],
        "paints": _PAINTS.count - paints_before,
        "messages_per_s": (snapshot.counters.messages - messages_before) / seconds,
        "dropped": snapshot.counters.queue_dropped,
        "vessels": len(snapshot.vessels),
    }
    window.close()
    window.deleteLater()
    engine.close()
    server.close()
    app.processEvents()
    return result


class Collections:
    """The garbage collector's passes during the measurement, by generation, in
    any thread: a pass holds the interpreter, so it stalls the window too."""

    def __init__(self) -> None:
        self.ms: dict[int, list[float]] = {0: [], 1: [], 2: []}
        self._started: dict[int, float] = {}

    def on_gc(self, phase: str, info: dict[str, int]) -> None:
        now = time.perf_counter()
        thread = threading.get_ident()
        if phase == "start":
            self._started[thread] = now
        elif thread in self._started:
            self.ms[info["generation"]].append((now - self._started.pop(thread)) * 1000)

    def text(self) -> str:
        return ", ".join(
            f"gen {generation} {len(ms)}x" + (f" (max {max(ms):.0f} ms)" if ms else "")
            for generation, ms in self.ms.items()
        )


class _PaintTimes:
    """The vessel layer's paints, timed (installed before any window exists)."""

    def __init__(self) -> None:
        self.count = 0
        self.seconds: list[float] = []

    def install(self) -> None:
        original = VesselLayer.paint
        record = self

        def paint(layer: VesselLayer, *args: object) -> None:
            started = time.perf_counter()
            original(layer, *args)
            record.count += 1
            record.seconds.append(time.perf_counter() - started)

        VesselLayer.paint = paint  # type: ignore[method-assign]


_PAINTS = _PaintTimes()


def _summary(values: list[float]) -> str:
    if not values:
        return "none"
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, math.ceil(0.99 * len(ordered)) - 1)]
    return f"median {statistics.median(values):6.1f}, p99 {p99:6.1f}, max {ordered[-1]:6.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--vessels", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument(
        "--trail-minutes",
        type=float,
        default=FleetSettings().trail_s / 60.0,
        metavar="M",
        help="minutes of each vessel's track put back before the window opens (0: none)",
    )
    parser.add_argument(
        "--report-every",
        type=float,
        default=REPORT_EVERY_S,
        metavar="S",
        help="seconds between a vessel's reports (fewer, faster vessels for the same rate)",
    )
    parser.add_argument(
        "--watch", action="store_true", help="the engine watches the port (its analytics run)"
    )
    parser.add_argument(
        "--docks",
        action="store_true",
        help="the engine watches the port and all the operations panels are open",
    )
    args = parser.parse_args()
    _PAINTS.install()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    every_s = args.report_every
    rate = args.vessels / every_s
    print(
        f"Python {platform.python_version()}, Qt platform {os.environ['QT_QPA_PLATFORM']}, "
        f"{args.vessels:,} vessels reporting every {every_s:g} s "
        f"({rate:,.0f} msg/s) over loopback TCP, {args.seconds:.0f} s measured "
        f"after {every_s:g} s of filling, trails of {args.trail_minutes:g} min put back first"
    )
    with_docks = ", all panels open, the port watched" if args.docks else ""
    if args.watch and not args.docks:
        with_docks = ", the port watched, no panels"
    for title, live in (
        (f"baseline, no input{with_docks}", False),
        (f"live, {rate:,.0f} msg/s{with_docks}", True),
    ):
        result = run(
            app,
            args.vessels,
            args.seconds,
            every_s,
            args.trail_minutes,
            live,
            args.docks,
            args.watch,
        )
        print(f"{title}:")
        print(
            f"  event-loop lateness (probe every {PROBE_MS} ms): {_summary(result['lateness_ms'])}"
        )
        print(f"  refresh (app timer):  {_summary(result['refresh_ms'])}")
        print(f"  map paint:            {_summary(result['paint_ms'])} ({result['paints']} paints)")
        wall_ms, cpu_ms = result["full_ms"]
        print(
            f"  collector: {result['collections'].text()}; {result['tracked']:,} objects "
            f"tracked, a full collection of them {wall_ms:.0f} ms ({cpu_ms:.0f} ms CPU)"
        )
        print(
            f"  engine: {result['messages_per_s']:,.0f} msg/s applied, "
            f"{result['dropped']} lines dropped, {result['vessels']:,} vessels"
        )


if __name__ == "__main__":
    main()
