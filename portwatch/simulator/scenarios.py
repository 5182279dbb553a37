"""Situations injected into simulated traffic, for training and for testing the
analytics on what is rare at sea: a congestion wave at an anchorage, an anchor
drag, a close-quarters encounter, a speeding vessel, a receiver dropout and
garbled sentences.

A scenario is named on the command line as ``KIND`` or ``KIND@MINUTES`` (minutes
after the start of the output; each kind has a default) or ``all``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

DEFAULT_AT_MIN = {
    "congestion": 30.0,
    "anchor-drag": 20.0,
    "close-quarters": 40.0,
    "speeding": 50.0,
    "dropout": 70.0,
    "garbled": 80.0,
}
KINDS = tuple(DEFAULT_AT_MIN)
DROPOUT_S = 600.0
GARBLE_WINDOW_S = 600.0
GARBLE_SHARE = 0.05
"""Share of the single-sentence lines garbled within the window."""
_ARMOUR = "0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVW`abcdefghijklmnopqrstuvw"


@dataclass(frozen=True, slots=True)
class Scenario:
    """A situation of ``kind`` that starts ``at_s`` seconds after the output starts."""

    kind: str
    at_s: float


@dataclass(frozen=True, slots=True)
class Injected:
    """A situation the simulator put into its output: what, when, and who."""

    kind: str
    time_s: float
    mmsis: tuple[int, ...]
    description: str


def parse_scenarios(texts: list[str]) -> list[Scenario]:
    """``["anchor-drag@15", "speeding"]`` or ``["all"]`` as scenarios; ValueError
    naming the accepted kinds otherwise."""
    scenarios: list[Scenario] = []
    for text in texts:
        for item in filter(None, (part.strip().lower() for part in text.split(","))):
            kind, _, minutes = item.partition("@")
            if kind == "all" and not minutes:
                scenarios.extend(Scenario(k, DEFAULT_AT_MIN[k] * 60.0) for k in KINDS)
                continue
            if kind not in DEFAULT_AT_MIN:
                raise ValueError(
                    f"unknown scenario {kind!r}: choose from {', '.join(KINDS)} or all, "
                    "optionally with @MINUTES after the start (e.g. anchor-drag@15)"
                )
            try:
                at_min = float(minutes) if minutes else DEFAULT_AT_MIN[kind]
            except ValueError:
                at_min = -1.0
            if not 0.0 <= at_min < 1e6:
                raise ValueError(f"{item!r}: the time after @ is minutes after the start, e.g. @15")
            scenarios.append(Scenario(kind, at_min * 60.0))
    return sorted(scenarios, key=lambda s: s.at_s)


def garble(line: str, rng: random.Random) -> str:
    """``line`` broken as radio noise or a bad cable breaks it: a payload character
    changed, the line cut short, or a field separator lost. The checksum no longer
    matches (or is gone), so a decoder must refuse it."""
    body_start = line.find("!")
    fields = line[body_start:].split(",")
    how = rng.randrange(3)
    if how == 0 and len(fields) > 5 and fields[5]:
        payload = fields[5]
        at = rng.randrange(len(payload))
        swapped = _ARMOUR[(_ARMOUR.index(payload[at]) + rng.randrange(1, 64)) % 64]
        fields[5] = payload[:at] + swapped + payload[at + 1 :]
        return line[:body_start] + ",".join(fields)
    if how == 1:
        return line[: rng.randrange(body_start + 8, len(line) - 4)]
    commas = [i for i, c in enumerate(line) if c == "," and i > body_start]
    at = rng.choice(commas)
    return line[:at] + line[at + 1 :]
