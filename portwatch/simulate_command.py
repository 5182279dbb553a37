"""``portwatch simulate``: a port's simulated traffic written to a log.

The log is NMEA with IEC 61162-450 tag blocks (``s:PWSIM,c:<unix seconds>``),
readable by ``portwatch decode``, ``portwatch import`` and any AIS tool.
"""

from __future__ import annotations

import gzip
import re
import sys
from pathlib import Path

from portwatch.bundled import DEMO_PORT, bundled_file
from portwatch.port.port_file import PortFileError, load_port
from portwatch.simulator.traffic import TrafficSimulator

_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([hms]?)")
_UNIT_S = {"h": 3600.0, "m": 60.0, "s": 1.0, "": 3600.0}


def parse_duration_s(text: str) -> float:
    """``6h``, ``90m``, ``3600s`` or a number of hours, as seconds; ValueError otherwise."""
    match = _DURATION.fullmatch(text.strip().lower())
    if match is None or float(match.group(1)) <= 0:
        raise ValueError(f"{text!r} is not a duration (e.g. 6h, 90m, 3600s)")
    return float(match.group(1)) * _UNIT_S[match.group(2)]


def run_simulate(port_path: str | None, seed: int, duration_s: float, output: str) -> int:
    try:
        port = load_port(port_path or bundled_file(DEMO_PORT))
    except PortFileError as error:
        print(f"portwatch simulate: {error}", file=sys.stderr)
        return 2
    simulator = TrafficSimulator(port, seed=seed)
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
        f"simulated {duration_s / 3600:g} h of {port.name} (seed {seed}): {lines:,} lines, "
        f"{simulator.arrivals} arrivals, {simulator.anchorings} anchorings -> {output}",
        file=sys.stderr,
    )
    return 0
