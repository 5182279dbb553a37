"""``portwatch simulate``: a port's simulated traffic written to a log or served live.

The log is NMEA with IEC 61162-450 tag blocks (``s:PWSIM,c:<unix seconds>``),
readable by ``portwatch decode``, ``portwatch import`` and any AIS tool.
"""

from __future__ import annotations

import gzip
import re
import signal
import sys
import threading
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from portwatch.bundled import DEMO_PORT, bundled_file
from portwatch.port.port_file import PortFileError, load_port
from portwatch.simulator.layout import SimulatorPortError
from portwatch.simulator.scenarios import parse_scenarios
from portwatch.simulator.serve import TcpLineServer, pace, udp_sender
from portwatch.simulator.traffic import TrafficSimulator
from portwatch.sources.urls import SourceUrlError, parse_source_url

_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([hms]?)")
_UNIT_S = {"h": 3600.0, "m": 60.0, "s": 1.0, "": 3600.0}


def parse_duration_s(text: str) -> float:
    """``6h``, ``90m``, ``3600s`` or a number of hours, as seconds; ValueError otherwise."""
    match = _DURATION.fullmatch(text.strip().lower())
    if match is None or float(match.group(1)) <= 0:
        raise ValueError(f"{text!r} is not a duration (e.g. 6h, 90m, 3600s)")
    return float(match.group(1)) * _UNIT_S[match.group(2)]


def run_simulate(
    port_path: str | None,
    seed: int,
    duration_s: float,
    output: str,
    scenarios: Sequence[str] = (),
) -> int:
    simulator = _simulator(port_path, seed, scenarios)
    if simulator is None:
        return 2
    port = simulator.port
    path = Path(output)
    opener = gzip.open if path.suffix == ".gz" else open
    lines = 0
    try:
        with opener(path, "wt", encoding="ascii", newline="\n") as out:
            for line in simulator.lines(duration_s):
                out.write(line + "\n")
                lines += 1
    except OSError as error:
        print(
            f"portwatch simulate: cannot write {output}: {error.strerror or error}", file=sys.stderr
        )
        return 1
    print(
        f"simulated {duration_s / 3600:g} h of {port.name} (seed {seed}): {lines:,} lines "
        f"-> {output}",
        file=sys.stderr,
    )
    print(summary(simulator), file=sys.stderr)
    return 0


def summary(simulator: TrafficSimulator) -> str:
    """What the simulated stretch contains: vessels by kind, what they did, and the
    situations injected."""
    kinds = Counter(simulator.vessels.values())
    lines = [
        "vessels heard: "
        + ", ".join(f"{count} {kind}" for kind, count in kinds.most_common())
        + f" ({sum(kinds.values())} in all)",
        "events: "
        + ", ".join(
            f"{simulator.counts[what]} {what}"
            for what in ("arrivals", "anchorings", "pilot boardings", "tug escorts", "departures")
        ),
    ]
    for situation in simulator.injected:
        mmsis = f" [MMSI {', '.join(map(str, situation.mmsis))}]" if situation.mmsis else ""
        lines.append(f"injected {situation.kind}: {situation.description}{mmsis}")
    if simulator.garbled:
        lines.append(f"garbled lines: {simulator.garbled}")
    for scenario in simulator.not_reached:
        lines.append(f"not injected: {scenario.kind}@{scenario.at_s / 60:g} comes after the end")
    return "\n".join(lines)


def run_serve(
    port_path: str | None,
    seed: int,
    duration_s: float,
    url: str,
    speed: float,
    scenarios: Sequence[str] = (),
) -> int:
    """Serve the traffic live on ``url`` until it ends, Ctrl-C or SIGTERM."""
    simulator = _simulator(port_path, seed, scenarios)
    if simulator is None:
        return 2
    try:
        target = parse_source_url(url)
        if target.kind not in ("tcp", "udp") or target.host is None or target.port is None:
            raise SourceUrlError(f"{url!r}: serve on tcp://HOST:PORT or udp://HOST:PORT")
        if target.kind == "tcp":
            server = TcpLineServer(target.host, target.port)
            send, close = server.send, server.close
        else:
            server = None
            send, close = udp_sender(target.host, target.port)
    except SourceUrlError as error:
        print(f"portwatch simulate: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(
            f"portwatch simulate: cannot serve on {url}: {error.strerror or error}", file=sys.stderr
        )
        return 2
    stop = threading.Event()
    previous = {
        signum: signal.signal(signum, lambda *_: stop.set())
        for signum in (signal.SIGINT, signal.SIGTERM)
    }
    print(
        f"serving {simulator.port.name} (seed {seed}) on {url} at {speed:g}x real time",
        file=sys.stderr,
        flush=True,
    )
    try:
        sent = pace(simulator.timed_lines(duration_s), send, speed, stop)
    finally:
        close()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    clients = f", {server.clients_served} client(s) served" if server is not None else ""
    print(f"served {sent:,} lines{clients}", file=sys.stderr)
    print(summary(simulator), file=sys.stderr)
    return 0


def _simulator(
    port_path: str | None, seed: int, scenarios: Sequence[str]
) -> TrafficSimulator | None:
    try:
        port = load_port(port_path or bundled_file(DEMO_PORT))
        return TrafficSimulator(port, seed=seed, scenarios=parse_scenarios(list(scenarios)))
    except (PortFileError, SimulatorPortError) as error:
        print(f"portwatch simulate: {error}", file=sys.stderr)
        return None
