"""``portwatch demo``: the built-in default, until the desktop UI lands.

Runs the headless pipeline over the bundled sample log of the demo port and
prints the picture an operator would get: who is there, moving or at anchor.
"""

from __future__ import annotations

import sys
import zlib
from dataclasses import dataclass

from portwatch import __version__
from portwatch.bundled import SAMPLE_LOG, bundled_file
from portwatch.decoders import PositionReport, StaticReport, StreamDecoder, open_log
from portwatch.decoders.jsonl import iso_utc

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


@dataclass(slots=True)
class _Seen:
    """What the demo keeps per vessel: its last position and how often it reported."""

    last: PositionReport
    reports: int = 1


def run_demo(log: str | None = None) -> int:
    """Decode the sample (or ``log``) and print a traffic summary; returns the exit status."""
    try:
        path = log or str(bundled_file(SAMPLE_LOG))
    except FileNotFoundError as error:
        print(f"portwatch demo: {error}", file=sys.stderr)
        return 1
    print(f"PortWatch {__version__} — demo port, headless (the desktop UI is not built yet)")
    print(f"reading {path}")
    decoder = StreamDecoder(source=path)
    vessels: dict[int, _Seen] = {}
    names: dict[int, str] = {}
    try:
        with open_log(path) as handle:
            for records in decoder.iter_messages(handle):
                for record in records:
                    if isinstance(record, PositionReport) and record.lat is not None:
                        seen = vessels.get(record.mmsi)
                        if seen is None:
                            vessels[record.mmsi] = _Seen(record)
                        else:
                            seen.last = record
                            seen.reports += 1
                    elif isinstance(record, StaticReport) and record.name:
                        names[record.mmsi] = record.name
    except (OSError, EOFError, zlib.error) as error:
        print(f"portwatch demo: {path}: {error}", file=sys.stderr)
        return 1
    decoder.finish()
    _print_picture(vessels, names)
    print(decoder.stats.summary())
    return 0


def _print_picture(vessels: dict[int, _Seen], names: dict[int, str]) -> None:
    times = [v.last.time_s for v in vessels.values() if v.last.time_s is not None]
    if times:
        print(f"data time {iso_utc(min(times))} to {iso_utc(max(times))}")
    moving = sum(1 for v in vessels.values() if (v.last.sog_kn or 0.0) >= 0.5)
    anchored = sum(1 for v in vessels.values() if v.last.nav_status == 1)
    moored = sum(1 for v in vessels.values() if v.last.nav_status == 5)
    print(f"{len(vessels)} vessels: {moving} moving, {anchored} at anchor, {moored} moored")
    print(f"{'NAME':<22}{'MMSI':>10}  {'SOG kn':>6} {'COG':>5}  {'LAT':>9} {'LON':>10}  STATUS")
    busiest = sorted(vessels.items(), key=lambda item: -item[1].reports)[:_SHOWN]
    for mmsi, seen in busiest:
        last = seen.last
        sog = "-" if last.sog_kn is None else f"{last.sog_kn:.1f}"
        cog = "-" if last.cog_deg is None else f"{last.cog_deg:.0f}"
        status = _NAV_STATUS.get(last.nav_status, "-") if last.nav_status is not None else "-"
        print(
            f"{(names.get(mmsi) or '?')[:21]:<22}{mmsi:>10}  {sog:>6} {cog:>5}  "
            f"{last.lat:>9.4f} {last.lon:>10.4f}  {status}"
        )
