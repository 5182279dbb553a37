"""A simulated day on the demo port: how busy it is, and how fast it is made.

Why: the default demo is meant to look like San Pedro Bay on an ordinary weekday
(150-300 AIS stations in range at once, about 40 % class B craft, 20 % harbour
craft, 15-30 ships at anchor, about a dozen arrivals a day, tens of messages a
second), and the simulator must make that faster than the data's own time by a
wide margin, or a day's log takes minutes. This prints, for one seeded day:

- the traffic: stations at once by kind (mean, least and most over the day,
  sampled every ten minutes of data time), ships at anchor, arrivals,
  anchorings, departures, pilot boardings, tug escorts, messages a second;
- the speed: lines made per second of CPU time and of wall time for the day;
  and the same run's baseline, the first hour made again with every position
  report encoded by pyais's ``encode_dict`` (as the simulator did before it
  packed its payloads itself).

A benchmark, not a test. Usage:
``python benchmarks/simulator_day.py [--hours H] [--seed S] [--quiet]``.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter

from pyais.encode import encode_dict

from portwatch.bundled import DEMO_PORT, bundled_file
from portwatch.decoders.framing import tag_block
from portwatch.port.port_file import load_port
from portwatch.simulator.agents import Agent
from portwatch.simulator.profile import TrafficProfile
from portwatch.simulator.reports import STATION, ReportEncoder
from portwatch.simulator.traffic import TrafficSimulator

SAMPLE_EVERY_S = 600.0
GROUPS = {
    "class B craft": ("pleasure craft", "sailing yacht", "fishing"),
    "harbour craft": ("tug", "pilot boat", "port tender", "fast ferry"),
    "ships": ("container", "tanker", "bulk", "passenger"),
}


class PyaisPositions(ReportEncoder):
    """Position reports through pyais's ``encode_dict``: the baseline."""

    def position(self, agent: Agent, time_s: float) -> list[str]:
        lon, lat = self._lonlat(agent)
        speed = round(agent.speed_kn, 1)
        course = round(agent.course_deg, 1) % 360
        if agent.ship.class_b:
            data = {
                "msg_type": 18,
                "mmsi": agent.ship.mmsi,
                "speed": speed,
                "lon": lon,
                "lat": lat,
                "course": course,
                "heading": agent.heading_deg,
                "second": int(time_s) % 60,
                "cs": 1,
            }
        else:
            data = {
                "msg_type": 1,
                "mmsi": agent.ship.mmsi,
                "status": agent.nav_status,
                "speed": speed,
                "accuracy": 1,
                "lon": lon,
                "lat": lat,
                "course": course,
                "heading": agent.heading_deg,
                "second": int(time_s) % 60,
            }
        (sentence,) = encode_dict(data, talker_id="AI", sentence_type="VDM", radio_channel="A")
        return [tag_block(f"s:{STATION},c:{int(time_s)}") + sentence]


def run_day(port, seed: int, hours: float, profile: TrafficProfile) -> dict:
    simulator = TrafficSimulator(port, seed=seed, profile=profile)
    samples: list[Counter[str]] = []
    anchored: list[int] = []
    lines = 0
    next_sample_s = simulator.start_s
    wall, cpu = time.perf_counter(), time.process_time()
    for time_s, _line in simulator.timed_lines(hours * 3600.0):
        lines += 1
        if time_s >= next_sample_s:
            samples.append(simulator.present())
            anchored.append(simulator.at_anchor())
            next_sample_s += SAMPLE_EVERY_S
    return {
        "simulator": simulator,
        "lines": lines,
        "samples": samples,
        "anchored": anchored,
        "wall_s": time.perf_counter() - wall,
        "cpu_s": time.process_time() - cpu,
    }


def lines_per_cpu_s(port, seed: int, profile: TrafficProfile, baseline: bool) -> float:
    """Lines a CPU second for the first hour, positions encoded ours or pyais's way."""
    simulator = TrafficSimulator(port, seed=seed, profile=profile)
    if baseline:
        simulator.encoder = PyaisPositions(port.plane)
    cpu = time.process_time()
    lines = sum(1 for _ in simulator.lines(3600.0))
    return lines / (time.process_time() - cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, default=24.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quiet", action="store_true", help="TrafficProfile.quiet()")
    args = parser.parse_args()
    port = load_port(bundled_file(DEMO_PORT))
    profile = TrafficProfile.quiet() if args.quiet else TrafficProfile()
    day = run_day(port, args.seed, args.hours, profile)
    simulator: TrafficSimulator = day["simulator"]
    samples: list[Counter[str]] = day["samples"]
    totals = [sum(s.values()) for s in samples]
    print(
        f"{args.hours:g} h of {port.name}, seed {args.seed}, "
        f"{'quiet' if args.quiet else 'default'} profile"
    )
    print(
        f"stations at once: mean {statistics.mean(totals):.0f}, "
        f"least {min(totals)}, most {max(totals)} ({len(samples)} samples)"
    )
    mean_total = statistics.mean(totals)
    for group, kinds in GROUPS.items():
        group_mean = statistics.mean(sum(s[k] for k in kinds) for s in samples)
        by_kind = ", ".join(
            f"{k} {statistics.mean(s[k] for s in samples):.0f}"
            for k in kinds
            if any(s[k] for s in samples)
        )
        print(f"  {group}: {group_mean:.0f} ({group_mean / mean_total:.0%}): {by_kind}")
    anchored = day["anchored"]
    print(
        f"at anchor: mean {statistics.mean(anchored):.0f}, least {min(anchored)}, "
        f"most {max(anchored)}"
    )
    counts = simulator.counts
    print(
        ", ".join(
            f"{counts[w]} {w}"
            for w in ("arrivals", "anchorings", "departures", "pilot boardings", "tug escorts")
        )
    )
    per_s = day["lines"] / (args.hours * 3600.0)
    print(f"messages: {day['lines']:,} lines, {per_s:.1f} a second of data time")
    print(
        f"made in {day['wall_s']:.1f} s wall, {day['cpu_s']:.1f} s CPU: "
        f"{day['lines'] / day['cpu_s']:,.0f} lines per CPU second"
    )
    ours = lines_per_cpu_s(port, args.seed, profile, baseline=False)
    theirs = lines_per_cpu_s(port, args.seed, profile, baseline=True)
    print(
        f"first hour: {ours:,.0f} lines per CPU second; baseline (positions by pyais's "
        f"encode_dict) {theirs:,.0f}: {ours / theirs:.1f}x"
    )


if __name__ == "__main__":
    main()
