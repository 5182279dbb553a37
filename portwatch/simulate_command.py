"""``portwatch simulate``: a port's simulated traffic written to a log or served live.

The log is NMEA with IEC 61162-450 tag blocks (``s:PWSIM,c:<unix seconds>``),
readable by ``portwatch decode``, ``portwatch import`` and any AIS tool.
"""

from __future__ import annotations

import gzip
import json
import re
import signal
import sys
import threading
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from portwatch.bundled import DEMO_PORT, bundled_file
from portwatch.command_files import refuse_writing_over_inputs
from portwatch.decoders.jsonl import iso_utc
from portwatch.port.port_file import PortFileError, load_port
from portwatch.simulator.layout import SimulatorPortError
from portwatch.simulator.scenarios import parse_scenarios
from portwatch.simulator.serve import TcpLineServer, pace, udp_sender
from portwatch.simulator.traffic import TrafficSimulator
from portwatch.sources.urls import LOOPBACK, SourceUrlError

_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([hms])")
_UNIT_S = {"h": 3600.0, "m": 60.0, "s": 1.0}


def parse_duration_s(text: str) -> float:
    """``6h``, ``90m`` or ``3600s`` as seconds; ValueError otherwise. A bare number
    is refused: 5 hours, minutes or seconds are too far apart to guess."""
    match = _DURATION.fullmatch(text.strip().lower())
    if match is None or float(match.group(1)) <= 0:
        raise ValueError(f"{text!r} is not a duration: a number and its unit, e.g. 6h, 90m, 3600s")
    return float(match.group(1)) * _UNIT_S[match.group(2)]


def parse_serve_url(text: str) -> tuple[str, str, int]:
    """``tcp://HOST:PORT`` (listen; port 0 takes a free one) or ``udp://HOST:PORT``
    (send there) as (kind, host, port); without a host, 127.0.0.1, as for every
    listener. Raises ``SourceUrlError`` saying what is wrong."""
    parts = urlsplit(text.strip())
    kind = parts.scheme.lower()
    if kind not in ("tcp", "udp"):
        raise SourceUrlError(f"{text!r}: serve on tcp://HOST:PORT or udp://HOST:PORT")
    try:
        port = parts.port
    except ValueError:
        port = -1
    if port is None:
        raise SourceUrlError(f"{text!r}: no port (tcp://127.0.0.1:0 listens on a free one)")
    if not 0 <= port <= 65535 or (kind == "udp" and port == 0):
        lowest = 1 if kind == "udp" else 0
        raise SourceUrlError(f"{text!r}: the port must be a number from {lowest} to 65535")
    return kind, parts.hostname or LOOPBACK, port


def run_simulate(
    port_path: str | None,
    seed: int,
    duration_s: float,
    output: str,
    scenarios: Sequence[str] = (),
    start_s: float | None = None,
) -> int:
    """Write the log ``output``, from ``start_s`` (now when None). Raises
    ``WriteRefusedError`` when ``output`` is the port file or its coastline."""
    simulator = _simulator(port_path, seed, scenarios, start_s)
    if simulator is None:
        return 2
    refuse_writing_over_inputs([output], port_files(port_path or bundled_file(DEMO_PORT)))
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
        f"simulated {duration_s / 3600:g} h of {port.name} from {iso_utc(simulator.start_s)} "
        f"(seed {seed}): {lines:,} lines -> {output}",
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
    start_s: float | None = None,
) -> int:
    """Serve the traffic live on ``url`` until it ends, Ctrl-C or SIGTERM, its data
    times from ``start_s`` (now when None), as ``sim://`` runs on this machine's clock."""
    try:
        kind, host, port_number = parse_serve_url(url)
    except SourceUrlError as error:
        print(f"portwatch simulate: {error}", file=sys.stderr)
        return 2
    simulator = _simulator(port_path, seed, scenarios, start_s)
    if simulator is None:
        return 2
    try:
        if kind == "tcp":
            server = TcpLineServer(host, port_number)
            send, close = server.send, server.close
            host, port_number = server.address  # the port taken, when 0 asked for any
            url = f"tcp://{f'[{host}]' if ':' in host else host}:{port_number}"
        else:
            server = None
            send, close = udp_sender(host, port_number)
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
        f"serving {simulator.port.name} (seed {seed}) on {url} from "
        f"{iso_utc(simulator.start_s)} at {speed:g}x real time",
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


def port_files(port_path: str | Path) -> list[Path]:
    """The port file and the coastline file it names, if any: a simulation's inputs."""
    path = Path(port_path)
    try:
        coastline = json.loads(path.read_text(encoding="utf-8")).get("coastline")
    except (OSError, ValueError, AttributeError):
        coastline = None  # said by load_port, which read it first
    return [path, path.parent / coastline] if isinstance(coastline, str) else [path]


def _simulator(
    port_path: str | None, seed: int, scenarios: Sequence[str], start_s: float | None
) -> TrafficSimulator | None:
    try:
        port = load_port(port_path or bundled_file(DEMO_PORT))
        return TrafficSimulator(
            port,
            seed=seed,
            start_s=float(int(time.time())) if start_s is None else start_s,
            scenarios=parse_scenarios(list(scenarios)),
        )
    except (PortFileError, SimulatorPortError) as error:
        print(f"portwatch simulate: {error}", file=sys.stderr)
        return None
