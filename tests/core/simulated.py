"""Simulated traffic on the demo port, made once per test session and shared.

By default a quiet port (``TrafficProfile.quiet()``: a ship an hour, few craft),
which shows every mechanism in a day at a tenth of the lines; ``busy=True`` is
the simulator's own default, the bay on an ordinary weekday."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from portwatch.bundled import DEMO_PORT, bundled_file
from portwatch.decoders.records import AidToNavigationReport, PositionReport, StaticReport
from portwatch.decoders.stream import StreamDecoder
from portwatch.port.port_file import Port, load_port
from portwatch.simulator.profile import TrafficProfile
from portwatch.simulator.scenarios import parse_scenarios
from portwatch.simulator.traffic import TrafficSimulator

HOURS = 3600.0


@cache
def port() -> Port:
    return load_port(bundled_file(DEMO_PORT))


@dataclass(frozen=True)
class Run:
    """A simulated stretch: the simulator (for what it says it did), its lines, and
    what our decoder made of them."""

    simulator: TrafficSimulator
    lines: tuple[str, ...]
    tracks: dict[int, list[PositionReport]]
    ship_types: dict[int, int]
    lengths_m: dict[int, int]
    aids: dict[int, AidToNavigationReport]
    decoder: StreamDecoder


@cache
def simulated(
    seed: int = 5,
    hours: float = 24.0,
    scenarios: tuple[str, ...] = (),
    warm_up_h: float = 1.0,
    busy: bool = False,
) -> Run:
    simulator = TrafficSimulator(
        port(),
        seed=seed,
        scenarios=parse_scenarios(list(scenarios)),
        warm_up_s=warm_up_h * HOURS,
        profile=None if busy else TrafficProfile.quiet(),
    )
    lines = tuple(simulator.lines(hours * HOURS))
    decoder = StreamDecoder("sim")
    tracks: dict[int, list[PositionReport]] = defaultdict(list)
    ship_types: dict[int, int] = {}
    lengths_m: dict[int, int] = {}
    aids: dict[int, AidToNavigationReport] = {}
    for record in decoder.decode_lines(lines):
        if isinstance(record, PositionReport) and record.lat is not None:
            tracks[record.mmsi].append(record)
        elif isinstance(record, StaticReport) and record.ship_type:
            ship_types[record.mmsi] = record.ship_type
            if record.to_bow_m is not None and record.to_stern_m is not None:
                lengths_m[record.mmsi] = record.to_bow_m + record.to_stern_m
        elif isinstance(record, AidToNavigationReport):
            aids[record.mmsi] = record
    return Run(simulator, lines, dict(tracks), ship_types, lengths_m, aids, decoder)
