"""A port's simulated traffic written to a log or served live: what ``portwatch
simulate`` does.

The log is NMEA with IEC 61162-450 tag blocks (``s:PWSIM,c:<unix seconds>``),
readable by ``portwatch decode``, ``portwatch import`` and any AIS tool.
"""

from __future__ import annotations

import gzip
import json
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from portwatch.bundled import DEMO_PORT, bundled_file
from portwatch.command_files import refuse_writing_over_inputs
from portwatch.port.port_file import load_port
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


def simulator_for(
    port_path: str | None,
    seed: int,
    scenarios: Sequence[str] = (),
    start_s: float | None = None,
) -> TrafficSimulator:
    """The simulator on the port file ``port_path`` (the demo port when None), its
    data from ``start_s`` (now when None). Raises ``PortFileError`` or
    ``SimulatorPortError`` for a port it cannot use."""
    port = load_port(port_path or bundled_file(DEMO_PORT))
    return TrafficSimulator(
        port,
        seed=seed,
        start_s=float(int(time.time())) if start_s is None else start_s,
        scenarios=parse_scenarios(list(scenarios)),
    )


def write_log(
    simulator: TrafficSimulator, duration_s: float, output: str, port_path: str | None = None
) -> int:
    """Write ``duration_s`` of the traffic to the log ``output`` (gzip when it ends in
    ``.gz``); returns the lines written. Raises ``WriteRefusedError`` when ``output``
    is the port file ``port_path`` or its coastline, ``OSError`` when it cannot be
    written."""
    refuse_writing_over_inputs([output], port_files(port_path or bundled_file(DEMO_PORT)))
    path = Path(output)
    opener = gzip.open if path.suffix == ".gz" else open
    lines = 0
    with opener(path, "wt", encoding="ascii", newline="\n") as out:
        for line in simulator.lines(duration_s):
            out.write(line + "\n")
            lines += 1
    return lines


@dataclass(slots=True)
class LiveFeed:
    """Where the traffic is served: the URL (with the port taken, when 0 asked for
    any), and how to send a line and stop."""

    url: str
    send: Callable[[bytes], None]
    close: Callable[[], None]
    server: TcpLineServer | None
    """The TCP server (None for UDP), which counts the clients served."""


def open_feed(url: str) -> LiveFeed:
    """Listen (``tcp://``) or send (``udp://``) on ``url``. Raises ``SourceUrlError``
    for a wrong URL, ``OSError`` when the address cannot be used."""
    kind, host, port_number = parse_serve_url(url)
    if kind == "udp":
        send, close = udp_sender(host, port_number)
        return LiveFeed(url, send, close, None)
    server = TcpLineServer(host, port_number)
    host, port_number = server.address  # the port taken, when 0 asked for any
    served = f"tcp://{f'[{host}]' if ':' in host else host}:{port_number}"
    return LiveFeed(served, server.send, server.close, server)


def serve(
    simulator: TrafficSimulator,
    feed: LiveFeed,
    duration_s: float,
    speed: float,
    stop: threading.Event | None = None,
) -> int:
    """Send the traffic on ``feed`` as it happens, ``speed`` times faster than real
    time, until ``duration_s`` of data, or ``stop``; closes the feed and returns
    the lines sent."""
    try:
        return pace(simulator.timed_lines(duration_s), feed.send, speed, stop)
    finally:
        feed.close()


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


def port_files(port_path: str | Path) -> list[Path]:
    """The port file and the coastline file it names, if any: a simulation's inputs."""
    path = Path(port_path)
    try:
        coastline = json.loads(path.read_text(encoding="utf-8")).get("coastline")
    except (OSError, ValueError, AttributeError):
        coastline = None  # said by load_port, which read it first
    return [path, path.parent / coastline] if isinstance(coastline, str) else [path]
