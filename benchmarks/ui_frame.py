"""Frame time of the desktop app: one refresh of the real map and vessel list.

Why: the GUI thread only renders snapshots, a few times a second; with 20,000
targets (a busy coast seen by a network of receivers) a refresh must still leave
the window responsive. This drives ``MainWindow.refresh`` (snapshot to vessel
arrays, map item, table model, status bar), then lets the event loop paint what
changed, as the app's timer does, on Qt's offscreen platform, with 1,000, 5,000
and 20,000 vessels that all move every frame (trails of 10 points, vectors and
names on). It prints the median and 95th-percentile time of refresh + paint at
each size, and checks that the map was painted exactly once per refresh.
``--full-repaint`` adds an upper bound: every widget repainted every frame.

Every vessel moves; how many *report* between two frames is the question. At
AIS rates (class A under way: every 10 s) and the app's 4 refreshes a second, a
fortieth of the fleet reports between frames: 20,000 vessels make 2,000 messages
a second, the live rate the app must stay interactive at. That is the main
figure. ``--all-report`` times the worst case too: every vessel new in every
frame.

Baseline measured in the same run: pyqtgraph's own ``ScatterPlotItem`` given the
same positions (one symbol, no rotation, no trails or names), the stock way to
draw many points with pyqtgraph, timed the same way (data set, then the event
loop's paint).

Targets: 5,000 vessels in <= 33 ms (30 fps), 20,000 in <= 100 ms. A benchmark, not
a test: exit code 0 either way.

``--docks`` asks what the operations panels cost: every case is timed twice in the
same run, without them (hidden) and with all five open side by side under the map,
on a real watch (the busy demo port after two simulated hours with every scenario:
alerts, anchorages, pilot board, berths, events); the panels refresh once a second,
so every fourth frame (four a second) refreshes them. Target: within 10 % of the
figure without them.

``--chart CELL.000…`` asks what an ENC chart under the traffic costs: the port is
then one made from the cells (``port from-enc``), the vessels are scattered over
it, and every case is timed twice in the same run, without and with the chart.

Usage: ``python benchmarks/ui_frame.py [--frames N] [--sizes 1000,5000,20000]
[--full-repaint] [--all-report] [--docks] [--chart CELL.000 …]``
(offscreen unless ``QT_QPA_PLATFORM`` says otherwise).
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from types import MappingProxyType

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from portwatch.bundled import DEMO_PORT, bundled_file
from portwatch.engine import EngineCounters
from portwatch.port.port_file import load_port
from portwatch.snapshot import EngineSnapshot
from portwatch.ui.main_window import MainWindow
from portwatch.vessel import Fix, StaticData, TrailPoint, VesselView
from portwatch.vessel_kinds import CLASS_A, CLASS_B

START_S = 1_710_201_600.0
TRAIL_POINTS = 10
FRAME_S = 0.25
"""The app refreshes four times a second."""
REPORT_EVERY_S = 10.0


class SyntheticTraffic:
    """``count`` vessels scattered over the approach, all sailing on every frame;
    stands in for the engine (``snapshot()``) so that only the UI is timed."""

    def __init__(self, count: int, port, seed: int = 1) -> None:
        rng = random.Random(seed)
        west, south, east, north = port.of_kind("approach")[0].local.bounds
        self.plane = port.plane
        self.x = np.array([rng.uniform(west, east) for _ in range(count)])
        self.y = np.array([rng.uniform(south, north) for _ in range(count)])
        self.course = np.array([rng.uniform(0, 360) for _ in range(count)])
        self.speed = np.array([rng.uniform(0, 18) for _ in range(count)])
        self.statics = [
            StaticData(
                name=f"VESSEL {i:05d}",
                callsign=f"CALL{i}",
                ship_type=rng.choice((70, 80, 60, 52, 37, 30)),
                to_bow_m=150,
                to_stern_m=40,
                to_port_m=15,
                to_starboard_m=15,
            )
            for i in range(count)
        ]
        self.kinds = [CLASS_B if i % 5 == 0 else CLASS_A for i in range(count)]
        self.trails: list[list[TrailPoint]] = [[] for _ in range(count)]
        self.views: dict[int, VesselView] = {}
        self.time_s = START_S
        self.version = 0

    def step(self, seconds: float) -> None:
        rad = np.radians(self.course)
        run = self.speed * 1852 / 3600 * seconds
        self.x += np.sin(rad) * run
        self.y += np.cos(rad) * run
        self.time_s += seconds
        self.version += 1

    watch = None
    """A ``WatchView`` handed out with every snapshot (``--docks``)."""

    def events_after(self, number: int) -> tuple[int, list]:
        return number, []

    def snapshot(self, reporting_share: float = 1.0) -> EngineSnapshot:
        """The picture after this step; only ``reporting_share`` of the vessels (a
        different slice each step) have sent a new report since the last one."""
        lon, lat = self.plane.to_lonlat(self.x, self.y)
        vessels = dict(self.views)
        slices = max(1, round(1 / reporting_share))
        for i in (
            range(self.version % slices, len(self.x), slices) if self.views else range(len(self.x))
        ):
            mmsi = 200_000_000 + i
            fix = Fix(
                mmsi,
                self.time_s,
                float(lat[i]),
                float(lon[i]),
                float(self.speed[i]),
                float(self.course[i]),
                round(self.course[i]) % 360,
                0,
                "bench",
            )
            trail = self.trails[i]
            trail.append(TrailPoint(self.time_s, fix.lat, fix.lon))
            del trail[:-TRAIL_POINTS]
            vessels[mmsi] = VesselView(
                mmsi=mmsi,
                kind=self.kinds[i],
                static=self.statics[i],
                fix=fix,
                first_seen_s=START_S,
                last_heard_s=self.time_s,
                lost=False,
                trail=tuple(trail),
                last_report_s=MappingProxyType({1: self.time_s}),
                rejected_fixes=0,
                messages=1,
            )
        self.views = vessels
        counters = EngineCounters(
            lines=len(vessels),
            messages=len(vessels),
            decode_failures=0,
            duplicate_lines=0,
            duplicate_fixes=0,
            fixes_accepted=len(vessels),
            fixes_rejected=0,
            late_fixes=0,
            untimed=0,
            bad_times=0,
            queue_dropped=0,
            messages_per_s=2000.0,
        )
        return EngineSnapshot(
            version=self.version,
            data_time_s=self.time_s,
            vessels=vessels,
            own_ship=None,
            counters=counters,
            sources=(),
            history=None,
            watch=self.watch,
        )


def time_window(
    app: QApplication,
    count: int,
    frames: int,
    reporting_share: float,
    full_repaint: bool,
    port=None,
    chart=(),
    watch=None,
    docks: bool = False,
) -> tuple[list[float], list[float]]:
    """Refresh + repaint times (s) of ``frames`` frames: wall-clock, and the CPU
    time of this (the only) thread, which a busy neighbour on a shared machine
    does not inflate.

    A frame is what the app's timer does: ``refresh``, then the event loop paints
    what changed (the map, the list's changed rows, the status bar). The frame ends
    once the vessels have been painted. With ``full_repaint`` every widget of the
    window is repainted too, changed or not (an upper bound). ``chart``: read ENC
    cells drawn under the traffic."""
    port = port or load_port(bundled_file(DEMO_PORT))
    traffic = SyntheticTraffic(count, port)
    traffic.watch = watch
    settings = QSettings(os.path.join(tempfile.mkdtemp(), "bench.ini"), QSettings.Format.IniFormat)
    window = MainWindow(traffic, port, settings=settings, chart=chart)  # type: ignore[arg-type]
    window.timer.stop()
    window.resize(1600, 1000)
    show_panels(window, docks)
    window.show()
    app.processEvents()
    snapshots = []
    for _ in range(frames + 3):
        traffic.step(FRAME_S)
        snapshots.append(traffic.snapshot(reporting_share))
    times, cpu_times = [], []
    layer = window.map.vessels
    for number, snapshot in enumerate(snapshots):
        window.engine = _Frozen(snapshot)  # type: ignore[assignment]
        if number % 4 == 0:
            window._panels_due = 0.0  # at four frames a second, the panels' second
        painted = layer.painted_frames
        started, cpu_started = time.perf_counter(), time.thread_time()
        window.refresh()
        if full_repaint:
            window.repaint()
        for _ in range(10):  # the scene's queued update, then the paint
            app.processEvents()
            if layer.painted_frames > painted:
                break
        if number >= 3:  # the first frames fill the table and caches
            times.append(time.perf_counter() - started)
            cpu_times.append(time.thread_time() - cpu_started)
        if layer.painted_frames != painted + 1:
            raise SystemExit(
                f"frame {number}: the map painted {layer.painted_frames - painted} times, not once"
            )
    window.close()
    window.deleteLater()  # a closed window left alive slowed the next sizes' frames
    app.processEvents()
    return times, cpu_times


def time_scatter(app: QApplication, count: int, frames: int, port=None) -> list[float]:
    """Baseline: pyqtgraph's ScatterPlotItem with the same moving positions, timed
    as the window is: set the data, then let the event loop paint it once."""
    port = port or load_port(bundled_file(DEMO_PORT))
    traffic = SyntheticTraffic(count, port)
    plot = pg.PlotWidget()
    plot.resize(1600, 1000)
    plot.setAspectLocked(True)
    scatter = _CountedScatter(size=7, pen=None, brush=pg.mkBrush("#6fbf73"))
    plot.addItem(scatter)
    plot.show()
    app.processEvents()
    times = []
    for number in range(frames + 3):
        traffic.step(FRAME_S)
        painted = scatter.painted_frames
        started = time.perf_counter()
        scatter.setData(x=traffic.x, y=traffic.y)
        for _ in range(10):
            app.processEvents()
            if scatter.painted_frames > painted:
                break
        if number >= 3:
            times.append(time.perf_counter() - started)
    plot.close()
    plot.deleteLater()
    app.processEvents()
    return times


def _port_and_chart(cells: list[str]):
    """A port made from the cells (in a temporary folder) and the cells, read."""
    from portwatch.charts.chart_model import read_chart
    from portwatch.charts.port_from_enc import port_from_enc

    path = os.path.join(tempfile.mkdtemp(), "port.geojson")
    port_from_enc(cells, "benchmark").write(path)
    read, errors = read_chart(cells)
    if errors:
        raise SystemExit("\n".join(errors))
    return load_port(path), read


class _CountedScatter(pg.ScatterPlotItem):
    """Counts its paints, so the baseline's frame ends when it has been drawn."""

    painted_frames = 0

    def paint(self, *args: object) -> None:
        self.painted_frames += 1
        super().paint(*args)


class _Frozen:
    def __init__(self, snapshot: EngineSnapshot) -> None:
        self._snapshot = snapshot

    def snapshot(self) -> EngineSnapshot:
        return self._snapshot

    def events_after(self, number: int) -> tuple[int, list]:
        """Ten new events a refresh: a busy port's event log."""
        watch = self._snapshot.watch
        if watch is None or not watch.alerts:
            return number, []
        return number + 10, [a.event for a in watch.alerts[:10]]


def show_panels(window: MainWindow, docks: bool) -> None:
    """All five operations panels open side by side under the map, or none."""
    first = window.panels[0]
    for dock in window.panels:
        if not docks:
            dock.hide()
            continue
        dock.setFloating(False)
        if dock is not first:
            window.splitDockWidget(first, dock, Qt.Orientation.Horizontal)
        dock.show()
    if docks:
        window.resizeDocks([first], [300], Qt.Orientation.Vertical)


def busy_watch(port):
    """The watch of the busy demo port after two simulated hours with every scenario."""
    from portwatch.engine import Engine
    from portwatch.simulator.scenarios import parse_scenarios
    from portwatch.simulator.traffic import TrafficSimulator

    engine = Engine(port=port)
    engine.feed(TrafficSimulator(port, seed=8, scenarios=parse_scenarios(["all"])).lines(7200))
    engine.finish_input()
    watch = engine.snapshot().watch
    engine.close()
    return watch


def _p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--frames", type=int, default=30)
    parser.add_argument("--sizes", default="1000,5000,20000")
    parser.add_argument(
        "--full-repaint",
        action="store_true",
        help="also time an upper bound: every widget repainted every frame, changed or not",
    )
    parser.add_argument(
        "--all-report",
        action="store_true",
        help="also time the worst case: every vessel reports every frame",
    )
    parser.add_argument(
        "--docks",
        action="store_true",
        help="time each case without and with all the operations panels open, on a real watch",
    )
    parser.add_argument(
        "--chart",
        nargs="+",
        default=[],
        metavar="CELL.000",
        help="time each case without and with these ENC cells drawn under the traffic, on a "
        "port made from them",
    )
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    port, charts = None, [("", ())]
    if args.chart:
        port, cells = _port_and_chart(args.chart)
        features = sum(len(layer) for cell in cells for layer in cell.layers.values())
        charts = [("", ()), (f"+ chart ({features} features)", cells)]
        print(f"port made from {', '.join(c.name for c in cells)}; chart of {features} features")
    qt_platform = os.environ["QT_QPA_PLATFORM"]
    print(
        f"Python {platform.python_version()}, pyqtgraph {pg.__version__}, "
        f"Qt platform {qt_platform}, window 1600x1000, {args.frames} frames"
    )
    panels = [(False, "")]
    watch = None
    if args.docks:
        watch = busy_watch(port or load_port(bundled_file(DEMO_PORT)))
        panels = [(False, ""), (True, "+ all panels")]
        print(
            f"watch: {len(watch.alerts)} open alerts, {len(watch.anchorages)} anchorages, "
            f"{len(watch.pilot_board.inbound) if watch.pilot_board else 0} on the pilot board, "
            f"{len(watch.berths)} berths"
        )
    targets = {5000: 0.033, 20000: 0.100}
    cases = [("at AIS rates", FRAME_S / REPORT_EVERY_S, False)]
    if args.full_repaint:
        cases.append(("AIS, full repaint", FRAME_S / REPORT_EVERY_S, True))
    if args.all_report:
        cases.append(("all report", 1.0, False))
    for count in (int(size) for size in args.sizes.split(",")):
        baseline = time_scatter(app, count, args.frames, port)
        base = (
            f"baseline ScatterPlotItem median {statistics.median(baseline) * 1000:.1f} ms, "
            f"p95 {_p95(baseline) * 1000:.1f} ms"
        )
        without_panels: float | None = None
        for (case, share, full_repaint), (with_chart, chart), (docks, with_docks) in (
            (c, h, d) for c in cases for h in charts for d in panels
        ):
            title = f"{case} {with_chart} {with_docks}".strip()
            times, cpu_times = time_window(
                app, count, args.frames, share, full_repaint, port, chart, watch, docks
            )
            median, p95 = statistics.median(times), _p95(times)
            target = targets.get(count)
            verdict = (
                ""
                if target is None
                else (
                    f" | target <= {target * 1000:.0f} ms: {'met' if p95 <= target else 'NOT met'}"
                )
            )
            figures = (
                f"median {median * 1000:6.1f} ms, p95 {p95 * 1000:6.1f} ms "
                f"(CPU median {statistics.median(cpu_times) * 1000:5.1f} ms)"
            )
            cpu = statistics.median(cpu_times)
            if args.docks and not docks:
                without_panels = cpu
            elif docks and without_panels:
                change = cpu / without_panels - 1  # CPU time: a loaded machine's noise is less
                verdict += (
                    f" | panels {change:+.1%} CPU against without them (target within 10 %: "
                    f"{'met' if change <= 0.10 else 'NOT met'})"
                )
            print(f"{count:>6} vessels, {title:<17}: refresh + repaint {figures} | {base}{verdict}")


if __name__ == "__main__":
    main()
