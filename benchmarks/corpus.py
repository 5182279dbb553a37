r"""A large, realistic, reproducible AIS log for the decoder benchmarks.

Why this exists: how fast a decoder is depends on what the feed holds. The
share of 168-bit position reports (PortWatch's fast path), the two-sentence
type 5 messages that need reassembly, the IEC 61162-450 tag block on every
line, the rarer types that go through pyais: a benchmark on a toy file of
one repeated sentence says nothing about a port feed. Real recordings cannot
be committed (size, licences), so this module simulates one instead: a day of
traffic in San Pedro Bay (Los Angeles / Long Beach) as a shore receiver
network would log it, the same bytes for the same seed on every machine.

What is in it: about 1500 vessels that move plausibly (container ships,
tankers and bulkers in the traffic lanes, at anchor swinging to the tide, at
their berths, shifting from anchorage to berth; tugs, pilot boats, Catalina
ferries, fishing boats; class B pleasure craft), three base stations and
some aids to navigation. Each emits at the ITU-R M.1371 reporting rates
(class A every 10/6/2 s under way by speed, 3 min at anchor or moored; class
B 30 s / 3 min; static data every 6 min; base stations every 10 s; AtoN every
3 min), all scaled by one factor so that the requested number of sentences
spans about 24 hours. The mix of message types follows from the fleet and
those rates: about 85 % of the sentences are position reports (types 1, 2, 3,
18), ~11 % two-sentence type 5, ~2 % type 24 parts A and B, ~1 % types 4 and
21. Every NMEA sentence is made by pyais's encoder, so it is real NMEA with
valid checksums; each line carries a tag block with a station and receive
time (``\s:STATION,c:UNIX*hh\``), and two-part messages a ``g:`` group.

Usage: ``python benchmarks/corpus.py OUT --sentences N --seed S``, or
``cached_corpus(N, S)`` for a copy made once in ``benchmarks/.cache/``.
"""

from __future__ import annotations

import argparse
import calendar
import heapq
import json
import math
import os
import random
import sys
import time
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import reduce
from itertools import pairwise
from operator import xor
from pathlib import Path
from typing import Any

from pyais import encode_dict
from pyais.encode import ais_to_nmea_0183, data_to_payload

GENERATOR_VERSION = 1
"""Bump when the output changes, so cached corpora are made again."""
CACHE_DIR = Path(__file__).resolve().parent / ".cache"
DEFAULT_SENTENCES = 220_000

START_S = calendar.timegm((2024, 3, 12, 0, 0, 0))
"""Receive time of the first line: 2024-03-12T00:00:00Z."""
DAY_S = 86_400.0
FLEET_SIZE = 1500

LatLon = tuple[float, float]
State = tuple[float, float, float, float, int, int, float]
"""lat, lon, SOG (kn), COG (deg), heading (deg, 511 none), nav status, ROT (deg/min, -128 none)."""

# --- Geography of San Pedro Bay (approximate, WGS 84) ------------------------

_LON_SCALE = math.cos(math.radians(33.7))  # east-west nautical miles per minute of longitude

PRECAUTIONARY: LatLon = (33.640, -118.215)
"""Centre of the precautionary area where the traffic lanes meet."""
ANGELS_GATE: LatLon = (33.7085, -118.2480)  # Los Angeles entrance
ANGELS_OUTER: LatLon = (33.6950, -118.2450)
QUEENS_GATE: LatLon = (33.7155, -118.1700)  # Long Beach entrance
QUEENS_OUTER: LatLon = (33.7000, -118.1650)
AVALON: LatLon = (33.3450, -118.3240)  # Santa Catalina Island ferry terminal

# Traffic lanes, from their outer end (edge of receiver coverage) inwards.
LANES: dict[str, list[LatLon]] = {
    "west": [(33.830, -118.950), (33.720, -118.580), (33.665, -118.340)],
    "south": [(33.200, -117.800), (33.420, -118.020), (33.585, -118.165)],
    "catalina": [(33.100, -118.900), (33.280, -118.620), (33.400, -118.250), (33.570, -118.250)],
}
LANE_WEIGHTS = {"west": 0.45, "south": 0.25, "catalina": 0.30}


@dataclass(frozen=True, slots=True)
class Berth:
    """A quay: ships lie along the segment from ``start`` to ``end``."""

    name: str
    gate: LatLon
    outer: LatLon
    via: tuple[LatLon, ...]
    start: LatLon
    end: LatLon
    cargo: str  # which kind of ship uses it: container, tanker, bulk, vehicle, cargo


BERTHS: tuple[Berth, ...] = (
    Berth(
        "LA West Basin",
        ANGELS_GATE,
        ANGELS_OUTER,
        ((33.7250, -118.2700), (33.7550, -118.2720)),
        (33.7600, -118.2660),
        (33.7690, -118.2630),
        "container",
    ),
    Berth(
        "LA Pier 400",
        ANGELS_GATE,
        ANGELS_OUTER,
        ((33.7200, -118.2560),),
        (33.7280, -118.2470),
        (33.7410, -118.2450),
        "container",
    ),
    Berth(
        "LA Terminal Island",
        ANGELS_GATE,
        ANGELS_OUTER,
        ((33.7250, -118.2700), (33.7450, -118.2710)),
        (33.7450, -118.2650),
        (33.7560, -118.2640),
        "container",
    ),
    Berth(
        "LA Pier 300",
        ANGELS_GATE,
        ANGELS_OUTER,
        ((33.7200, -118.2560),),
        (33.7380, -118.2620),
        (33.7440, -118.2580),
        "bulk",
    ),
    Berth(
        "LA Wilmington",
        ANGELS_GATE,
        ANGELS_OUTER,
        ((33.7250, -118.2700), (33.7600, -118.2720)),
        (33.7680, -118.2500),
        (33.7690, -118.2400),
        "vehicle",
    ),
    Berth(
        "LA Tanker Berths",
        ANGELS_GATE,
        ANGELS_OUTER,
        ((33.7250, -118.2700), (33.7400, -118.2700)),
        (33.7420, -118.2740),
        (33.7500, -118.2750),
        "tanker",
    ),
    Berth(
        "LB Pier T",
        QUEENS_GATE,
        QUEENS_OUTER,
        ((33.7300, -118.1850), (33.7450, -118.2150)),
        (33.7500, -118.2300),
        (33.7530, -118.2420),
        "container",
    ),
    Berth(
        "LB Pier J",
        QUEENS_GATE,
        QUEENS_OUTER,
        ((33.7250, -118.1800),),
        (33.7300, -118.1900),
        (33.7360, -118.2000),
        "container",
    ),
    Berth(
        "LB Pier E",
        QUEENS_GATE,
        QUEENS_OUTER,
        ((33.7300, -118.1850), (33.7500, -118.2050)),
        (33.7580, -118.2100),
        (33.7660, -118.2150),
        "container",
    ),
    Berth(
        "LB Pier G",
        QUEENS_GATE,
        QUEENS_OUTER,
        ((33.7300, -118.1850), (33.7450, -118.2000)),
        (33.7480, -118.2060),
        (33.7550, -118.2080),
        "bulk",
    ),
    Berth(
        "LB Pier B Tankers",
        QUEENS_GATE,
        QUEENS_OUTER,
        ((33.7300, -118.1850), (33.7550, -118.2150)),
        (33.7680, -118.2180),
        (33.7720, -118.2230),
        "tanker",
    ),
    Berth(
        "LB Pier F",
        QUEENS_GATE,
        QUEENS_OUTER,
        ((33.7300, -118.1850), (33.7400, -118.2000)),
        (33.7400, -118.2050),
        (33.7460, -118.2100),
        "cargo",
    ),
    Berth(
        "LB Pier A",
        QUEENS_GATE,
        QUEENS_OUTER,
        ((33.7300, -118.1850), (33.7550, -118.2100)),
        (33.7700, -118.2080),
        (33.7730, -118.2120),
        "vehicle",
    ),
)

# Anchorages outside the breakwater: (south, north, west, east).
ANCHORAGES: tuple[tuple[float, float, float, float], ...] = (
    (33.600, 33.695, -118.150, -118.060),  # San Pedro Bay / Long Beach anchorage
    (33.683, 33.700, -118.278, -118.258),  # Los Angeles outer anchorage
)
ANCHORAGE_WEIGHTS = (0.82, 0.18)
OUTER_BAY = (33.550, 33.690, -118.320, -118.080)
"""Open water between the breakwater and Catalina, for small craft."""
FISHING_GROUNDS = (33.450, 33.660, -118.450, -118.080)

MARINAS: tuple[tuple[LatLon, LatLon, LatLon], ...] = (
    # (berth, inner waypoint, gate)
    ((33.7165, -118.2830), (33.7140, -118.2650), ANGELS_GATE),  # Cabrillo Way
    ((33.7600, -118.1910), (33.7400, -118.1800), QUEENS_GATE),  # Rainbow Harbor
    ((33.7430, -118.1160), (33.7380, -118.1150), (33.7320, -118.1140)),  # Alamitos Bay
)
TUG_BASES: tuple[LatLon, ...] = ((33.7330, -118.2700), (33.7560, -118.2150), (33.7420, -118.2350))
PILOT_STATIONS: tuple[LatLon, ...] = ((33.7190, -118.2730), (33.7520, -118.2180))
FISH_HARBOR: LatLon = (33.7340, -118.2640)
FERRY_TERMINALS: tuple[LatLon, ...] = ((33.7400, -118.2770), (33.7600, -118.1980))
HARBOUR_NODES: tuple[LatLon, ...] = (
    ANGELS_GATE,
    QUEENS_GATE,
    ANGELS_OUTER,
    QUEENS_OUTER,
    (33.7250, -118.2700),
    (33.7450, -118.2710),
    (33.7200, -118.2560),
    (33.7300, -118.1850),
    (33.7450, -118.2150),
    (33.7500, -118.2050),
    (33.7250, -118.1800),
    (33.7180, -118.2200),
)

# Receiving stations (tag block ``s:``) and where their antennas are.
STATIONS: tuple[tuple[str, LatLon], ...] = (
    ("PWSP01", (33.7420, -118.2920)),  # San Pedro hill
    ("PWLB02", (33.7700, -118.1900)),  # Long Beach harbour office
    ("PWPV03", (33.7550, -118.3650)),  # Palos Verdes, long range offshore
)

BASE_STATIONS: tuple[tuple[int, LatLon, int], ...] = (
    # (MMSI 00MIDxxxx, position, EPFD: 1 GPS, 7 surveyed)
    (3669713, (33.7395, -118.2779), 7),
    (3669735, (33.7651, -118.1962), 7),
    (3669745, (33.7446, -118.4100), 1),
)

# Aids to navigation: name, position, aid type (M.1371 Table 74), virtual.
ATONS: tuple[tuple[str, LatLon, int, bool], ...] = (
    ("LA HARBOR LIGHT", (33.7085, -118.2514), 5, False),
    ("LB LIGHT", (33.7235, -118.1605), 5, False),
    ("QUEENS GATE LIGHT E", (33.7160, -118.1660), 5, False),
    ("MIDDLE BREAKWATER LT", (33.7150, -118.2100), 5, False),
    ("POINT FERMIN LIGHT", (33.7050, -118.2940), 6, False),
    ("LA CHANNEL BUOY 1", (33.6950, -118.2430), 25, False),
    ("LA CHANNEL BUOY 2", (33.6960, -118.2510), 24, False),
    ("LB CHANNEL BUOY 1", (33.7000, -118.1600), 25, False),
    ("LB CHANNEL BUOY 2", (33.7020, -118.1700), 24, False),
    ("LA LB PRECAUTIONARY AREA NORTH", (33.6650, -118.2300), 30, True),
    ("LA LB PRECAUTIONARY AREA SOUTH", (33.6150, -118.2000), 30, True),
    ("LA LB TSS WEST ENTRANCE", (33.7200, -118.5800), 1, True),
    ("LA LB TSS SOUTH ENTRANCE", (33.4200, -118.0200), 1, True),
    ("CATALINA AVALON BUOY", (33.3500, -118.3200), 30, False),
)

# --- Reporting intervals (ITU-R M.1371-5, Annex 1, Tables 1 and 2), seconds ---

CLASS_A_STATIONARY_S = 180.0
CLASS_A_0_14_KN_S = 10.0
CLASS_A_14_23_KN_S = 6.0
CLASS_A_OVER_23_KN_S = 2.0
CLASS_B_MOVING_S = 30.0
CLASS_B_STATIONARY_S = 180.0
STATIC_S = 360.0
BASE_STATION_S = 10.0
ATON_S = 180.0

# Navigational status (M.1371-5 Table 45).
UNDER_WAY, AT_ANCHOR, RESTRICTED, MOORED, FISHING, NOT_DEFINED = 0, 1, 3, 5, 7, 15

# --- Names, flags, call signs --------------------------------------------------

WORDS = (
    "AURORA",
    "HARMONY",
    "GENOVA",
    "PACIFIC",
    "GLORY",
    "TRIUMPH",
    "MONACO",
    "LIBRA",
    "OCEANIA",
    "KOBE",
    "BUSAN",
    "HAMBURG",
    "PRESTIGE",
    "ORION",
    "VEGA",
    "SIRIUS",
    "PEGASUS",
    "ATLAS",
    "NOBLE",
    "SUMMIT",
    "BRAVE",
    "UNITY",
    "FORTUNE",
    "HORIZON",
    "MERIDIAN",
    "CORAL",
    "JADE",
    "PEARL",
    "EMERALD",
    "AMBER",
    "SAPPHIRE",
    "CRYSTAL",
    "DIAMOND",
    "PHOENIX",
    "FALCON",
    "EAGLE",
    "CONDOR",
    "DOLPHIN",
    "MARLIN",
    "NEPTUNE",
    "TRITON",
    "POSEIDON",
    "AQUILA",
    "CYGNUS",
    "LYRA",
    "DRACO",
    "CARINA",
    "ANTARES",
    "RIGEL",
    "ALTAIR",
    "POLARIS",
    "ZENITH",
    "ECLIPSE",
    "VICTORY",
    "LIBERTY",
    "PIONEER",
    "EXPLORER",
    "NAVIGATOR",
    "ENDEAVOUR",
    "RESOLUTE",
    "SPLENDOR",
    "GRACE",
)
PLACES = (
    "SHANGHAI",
    "NINGBO",
    "YANTIAN",
    "QINGDAO",
    "TIANJIN",
    "XIAMEN",
    "DALIAN",
    "BUSAN",
    "INCHEON",
    "TOKYO",
    "YOKOHAMA",
    "NAGOYA",
    "OSAKA",
    "KAOHSIUNG",
    "KEELUNG",
    "MANILA",
    "SINGAPORE",
    "COLOMBO",
    "DUBAI",
    "ROTTERDAM",
    "ANTWERP",
    "VALENCIA",
    "ALGECIRAS",
    "PIRAEUS",
    "SANTOS",
    "MANZANILLO",
    "OAKLAND",
    "SEATTLE",
    "TACOMA",
    "VANCOUVER",
    "HONOLULU",
    "AUCKLAND",
    "SYDNEY",
    "BRISBANE",
    "JAKARTA",
    "HAIPHONG",
    "LAEM CHABANG",
    "PORT KLANG",
    "CHENNAI",
    "MUMBAI",
)
FIRST_NAMES = (
    "JOHN",
    "MARY",
    "ALTA",
    "DELTA",
    "MARSHALL",
    "LINDA",
    "SARAH",
    "JAMES",
    "PAUL",
    "NANCY",
    "EDWARD",
    "RUTH",
    "ALICE",
    "HENRY",
    "MARGARET",
    "FRANK",
    "HELEN",
    "GEORGE",
    "ANNA",
    "JACK",
)
TUG_COMPANIES = ("FOSS", "CROWLEY", "MILLENNIUM", "SIGNET", "HARBOR", "BAYWISE", "PACIFIC")

# (weight, MIDs, call sign patterns: @ letter, # digit)
FLAGS: tuple[tuple[float, tuple[int, ...], tuple[str, ...]], ...] = (
    (0.14, (636,), ("A8@@#", "D5@@#", "5L@@#")),  # Liberia
    (
        0.13,
        (351, 352, 353, 354, 355, 356, 357, 370, 371, 372, 373),
        ("3F@@#", "3E@@#", "H3@@", "H9@@", "HO@@#", "HP@@#"),
    ),
    (0.11, (538,), ("V7@@#", "V7@@##")),  # Marshall Islands
    (0.10, (477,), ("VR@@#", "VR#@@")),  # Hong Kong
    (0.09, (563, 564, 565, 566), ("9V####", "9V#@@")),  # Singapore
    (0.07, (215, 229, 248, 249, 256), ("9H@####", "9H@@#")),  # Malta
    (0.06, (412, 413, 414), ("BP@@", "BO@@", "BQ@@")),  # China
    (0.05, (366, 367, 368, 369), ("WD@####", "W@@####", "K@@@")),  # United States
    (0.05, (240, 241), ("SV@@#", "SX@@")),  # Greece
    (0.04, (431, 432), ("7J@@", "JD@@#")),  # Japan
    (0.04, (440, 441), ("D7@@", "DS@@#")),  # Korea
    (0.03, (219, 220), ("OZ@@#", "OY@@#")),  # Denmark
    (0.03, (209, 210, 212), ("5B@@#", "P3@@#")),  # Cyprus
    (0.02, (257, 258, 259), ("LA@@#", "LN@@#")),  # Norway
    (0.02, (308, 309, 311), ("C6@@#",)),  # Bahamas
    (0.02, (218, 211), ("DA@@#", "DF@@#")),  # Germany
)
US_FLAG = (366, 367, 368, 369)
US_CALLSIGNS = ("WD@####", "W@@####", "K@@@")

HOME_PORTS = ("USLAX", "US LAX", "LOS ANGELES", "LONG BEACH", "USLGB", "US LGB", "LA/LB")
NEXT_PORTS = (
    "CNSHA",
    "CN YTN",
    "CNNGB",
    "KRPUS",
    "KR PUS",
    "JPTYO",
    "JP UKB",
    "SGSIN",
    "HKHKG",
    "TWKHH",
    "USOAK",
    "US SEA",
    "USTIW",
    "CAVAN",
    "MXZLO",
    "PAPCN",
    "VNSGN",
    "PH MNL",
    "AUSYD",
    "CNTAO",
    "USLAX>CNSHA",
    "USLGB>KRPUS",
    "US SFO",
    "MX ENS",
    "US HNL",
)
ANCHOR_DESTINATIONS = ("LB ANCH", "USLGB ANCH", "LA ANCHORAGE", "USLAX", "USLGB", "LONG BEACH")

# (kind, share of the big ships, ship types, length range m, beam range m, draught range m)
SHIP_KINDS: tuple[
    tuple[str, float, tuple[int, ...], tuple[int, int], tuple[int, int], tuple[float, float]], ...
] = (
    ("container", 0.46, (70, 71, 74, 79), (170, 400), (27, 61), (9.0, 15.5)),
    ("tanker", 0.20, (80, 81, 82, 83, 84, 89), (120, 333), (20, 60), (7.0, 20.5)),
    ("bulk", 0.16, (70, 79), (150, 300), (23, 50), (6.5, 17.0)),
    ("vehicle", 0.08, (70, 79), (180, 232), (30, 38), (8.0, 10.5)),
    ("cargo", 0.10, (70, 72, 73), (90, 190), (14, 32), (5.5, 10.5)),
)
CONTAINER_LINES = (
    "MSC",
    "CMA CGM",
    "EVER",
    "COSCO",
    "MAERSK",
    "ONE",
    "HYUNDAI",
    "APL",
    "YM",
    "OOCL",
    "ZIM",
    "HMM",
    "WAN HAI",
    "MATSON",
    "CSCL",
    "KOTA",
)


def _pattern(rng: random.Random, pattern: str) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = []
    for c in pattern:
        if c == "@":
            out.append(rng.choice(letters))
        elif c == "#":
            out.append(str(rng.randrange(10)))
        else:
            out.append(c)
    return "".join(out)


def _imo_number(rng: random.Random) -> int:
    """A 7-digit IMO number with a valid check digit."""
    first = rng.choices((9, 8, 7), (0.82, 0.12, 0.06))[0]
    digits = [first] + [rng.randrange(10) for _ in range(5)]
    check = sum(d * w for d, w in zip(digits, (7, 6, 5, 4, 3, 2), strict=True)) % 10
    return int("".join(map(str, digits)) + str(check))


# --- Geometry ------------------------------------------------------------------


def _distance_nm(a: LatLon, b: LatLon) -> float:
    return math.hypot((b[0] - a[0]) * 60.0, (b[1] - a[1]) * 60.0 * _LON_SCALE)


def _bearing_deg(a: LatLon, b: LatLon) -> float:
    return math.degrees(math.atan2((b[1] - a[1]) * _LON_SCALE, b[0] - a[0])) % 360.0


def _move_point(p: LatLon, bearing_deg: float, nm: float) -> LatLon:
    r = math.radians(bearing_deg)
    return (p[0] + nm * math.cos(r) / 60.0, p[1] + nm * math.sin(r) / (60.0 * _LON_SCALE))


def _random_in(rng: random.Random, box: tuple[float, float, float, float]) -> LatLon:
    south, north, west, east = box
    return (rng.uniform(south, north), rng.uniform(west, east))


def _lane(name: str, inbound: bool, lateral_nm: float) -> list[LatLon]:
    """The lane's points, outer end first, shifted to the right of the direction of travel."""
    points = LANES[name]
    travel = _bearing_deg(points[0], points[-1])
    side = (travel + 90.0) if inbound else (travel - 90.0)
    return [_move_point(p, side, lateral_nm) for p in points]


# --- Tracks --------------------------------------------------------------------


@dataclass(slots=True)
class Leg:
    """A stretch of a track: a stay (one point) or a move along ``points``."""

    start_s: float
    end_s: float
    status: int
    speed_kn: float
    points: list[LatLon]
    times: list[float]
    heading_deg: float = 0.0
    anchored: bool = False


class Track:
    """Where a vessel is when: stays and moves laid end to end from ``start_s``."""

    __slots__ = ("legs", "pos", "start_s", "starts", "t")

    def __init__(self, start_s: float, at: LatLon) -> None:
        self.start_s = start_s
        self.t = start_s
        self.pos = at
        self.legs: list[Leg] = []
        self.starts: list[float] = []

    @property
    def end_s(self) -> float:
        return self.t

    def stay(
        self, duration_s: float, status: int, heading_deg: float, anchored: bool = False
    ) -> Track:
        leg = Leg(
            self.t, self.t + duration_s, status, 0.0, [self.pos], [self.t], heading_deg, anchored
        )
        return self._add(leg)

    def move(self, points: list[LatLon], speed_kn: float, status: int = UNDER_WAY) -> Track:
        path = [self.pos, *points]
        times = [self.t]
        for a, b in pairwise(path):
            times.append(times[-1] + max(_distance_nm(a, b), 0.01) / speed_kn * 3600.0)
        self.pos = path[-1]
        return self._add(Leg(self.t, times[-1], status, speed_kn, path, times))

    def _add(self, leg: Leg) -> Track:
        self.legs.append(leg)
        self.starts.append(leg.start_s)
        self.t = leg.end_s
        return self

    def leg_at(self, t: float) -> Leg | None:
        i = bisect_right(self.starts, t) - 1
        if i < 0:
            return None
        leg = self.legs[i]
        return leg if t < leg.end_s else None

    def next_change(self, t: float) -> float:
        """Start of the first leg after time ``t`` (inf when none)."""
        i = bisect_right(self.starts, t)
        return self.starts[i] if i < len(self.starts) else math.inf


@dataclass(slots=True)
class Voyage:
    """Type 5 voyage data, valid from ``from_s`` on."""

    from_s: float
    destination: str
    eta: tuple[int, int, int, int]  # month, day, hour, minute (0, 0, 24, 60: not available)
    draught_m: float


@dataclass(slots=True)
class Vessel:
    """One AIS station on a ship: what it is, where it goes, how its transponder behaves."""

    mmsi: int
    class_b: bool
    msg_type: int  # of its position reports: 1, 2, 3 or 18
    name: str
    callsign: str
    imo: int
    ship_type: int
    dims: tuple[int, int, int, int]  # to bow, stern, port, starboard (m)
    track: Track
    active_from: float
    active_until: float
    voyages: list[Voyage] = field(default_factory=list)
    heading_sensor: bool = True
    rot_sensor: bool = True
    status_stale: bool = False
    """Never updates its nav status: reports 'under way' whatever it does (common)."""
    set_deg: float = 0.0
    """Heading minus course under way (current, leeway)."""
    swing_phase: float = 0.0
    accuracy: bool = False
    raim: bool = False
    static_cache: dict[int, tuple[str, int]] = field(default_factory=dict)
    """Armoured payload and fill bits of its static messages, by voyage or type 24 part."""
    next_part: int = 0
    """The type 24 part (0 = A, 1 = B) it sends next."""

    def state(self, t: float, rng: random.Random) -> State | None:
        """Where and how it moves at time ``t``, as reported; None when out of range."""
        if not self.active_from <= t < self.active_until:
            return None
        leg = self.track.leg_at(t)
        if leg is None:
            return None
        gauss = rng.gauss
        if leg.speed_kn == 0.0:
            lat, lon = leg.points[0]
            if leg.anchored:  # swinging to the tidal stream on ~150 m of chain
                heading = (
                    leg.heading_deg
                    + 40.0 * math.sin(2.0 * math.pi * (t / 44_712.0 + self.swing_phase))
                ) % 360.0
                lat, lon = _move_point((lat, lon), heading + 180.0, 0.08)
                sog = round(abs(gauss(0.1, 0.08)), 1)
                cog: float = round(rng.uniform(0.0, 359.9), 1)
                rot = round(gauss(0.0, 0.4), 1) if self.rot_sensor else -128
            else:
                heading = leg.heading_deg + gauss(0.0, 0.3)
                sog = 0.0 if rng.random() < 0.9 else 0.1
                cog = 360.0 if rng.random() < 0.4 else round(rng.uniform(0.0, 359.9), 1)
                rot = 0.0 if self.rot_sensor else -128
            lat += gauss(0.0, 0.00002)
            lon += gauss(0.0, 0.00002)
        else:
            times = leg.times
            j = min(bisect_right(times, t) - 1, len(times) - 2)
            a, b = leg.points[j], leg.points[j + 1]
            f = (t - times[j]) / (times[j + 1] - times[j])
            lat = a[0] + (b[0] - a[0]) * f + gauss(0.0, 0.00002)
            lon = a[1] + (b[1] - a[1]) * f + gauss(0.0, 0.00002)
            course = _bearing_deg(a, b)
            sog = round(max(0.1, leg.speed_kn * (1.0 + gauss(0.0, 0.02))), 1)
            cog = round((course + gauss(0.0, 0.8)) % 360.0, 1)
            heading = course + self.set_deg + gauss(0.0, 0.6)
            rot = round(gauss(0.0, 1.5), 1) if self.rot_sensor else -128
        status = UNDER_WAY if self.status_stale else leg.status
        heading_out = round(heading) % 360 if self.heading_sensor else 511
        return lat, lon, sog, cog, heading_out, status, rot

    def speed_at(self, t: float) -> float | None:
        """Speed over ground at ``t`` without noise (None when out of range)."""
        if not self.active_from <= t < self.active_until:
            return None
        leg = self.track.leg_at(t)
        return None if leg is None else leg.speed_kn

    def voyage_index(self, t: float) -> int:
        index = 0
        for i, voyage in enumerate(self.voyages):
            if voyage.from_s <= t:
                index = i
        return index


# --- The fleet -----------------------------------------------------------------


class _FleetBuilder:
    """Makes the vessels; every random choice comes from one seeded generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.mmsis: set[int] = set()
        self.names: set[str] = set()
        self.anchor_spots: list[LatLon] = []
        self.vessels: list[Vessel] = []

    # identities

    def mmsi(self, mids: tuple[int, ...]) -> int:
        while True:
            mid = self.rng.choice(mids)
            mmsi = mid * 1_000_000 + self.rng.randrange(100_000, 1_000_000)
            if mmsi not in self.mmsis:
                self.mmsis.add(mmsi)
                return mmsi

    def unique_name(self, name: str) -> str:
        name = name[:20]
        base, n = name, 2
        while name in self.names:
            suffix = f" {n}"
            name = base[: 20 - len(suffix)] + suffix
            n += 1
        self.names.add(name)
        return name

    def ship_name(self, kind: str) -> str:
        rng = self.rng
        if kind == "container":
            line = rng.choice(CONTAINER_LINES)
            name = (
                f"{line}{rng.choice(WORDS)}"
                if line == "EVER"
                else (f"{line} {rng.choice(PLACES + WORDS)}")
            )
            name = name.replace("EVER", "EVER ", 1) if line == "EVER" else name
        elif kind == "tanker":
            name = f"{rng.choice(WORDS)} {rng.choice(('SPIRIT', 'VOYAGER', 'STAR', 'TRADER'))}"
            if rng.random() < 0.3:
                name = f"OVERSEAS {rng.choice(PLACES)}"
        elif kind == "bulk":
            name = f"{rng.choice(('GOLDEN', 'GREAT', 'OCEAN', 'NORDIC', 'STAR', 'PAN'))} "
            name += rng.choice(WORDS + PLACES)
        elif kind == "vehicle":
            name = f"{rng.choice(('GLOVIS', 'HOEGH', 'MORNING', 'GRAND', 'ARK'))} "
            name += rng.choice(WORDS)
        else:
            name = f"{rng.choice(WORDS)} {rng.choice(PLACES)}"
        return self.unique_name(name)

    def flag(self) -> tuple[tuple[int, ...], tuple[str, ...]]:
        weights = [f[0] for f in FLAGS]
        _, mids, patterns = self.rng.choices(FLAGS, weights)[0]
        return mids, patterns

    def eta(self, at_s: float, spread_s: float = 3600.0) -> tuple[int, int, int, int]:
        if self.rng.random() < 0.03:
            return (0, 0, 24, 60)
        when = time.gmtime(START_S + at_s + self.rng.gauss(0.0, spread_s))
        return (when.tm_mon, when.tm_mday, when.tm_hour, when.tm_min)

    # places

    def anchor_spot(self) -> LatLon:
        rng = self.rng
        box = rng.choices(ANCHORAGES, ANCHORAGE_WEIGHTS)[0]
        spot = _random_in(rng, box)
        for _ in range(40):
            if all(_distance_nm(spot, other) > 0.25 for other in self.anchor_spots):
                break
            spot = _random_in(rng, box)
        self.anchor_spots.append(spot)
        return spot

    def berth_slot(self, kind: str) -> tuple[Berth, LatLon, float]:
        rng = self.rng
        candidates = [b for b in BERTHS if b.cargo == kind] or list(BERTHS)
        berth = rng.choice(candidates)
        f = rng.random()
        slot = (
            berth.start[0] + (berth.end[0] - berth.start[0]) * f,
            berth.start[1] + (berth.end[1] - berth.start[1]) * f,
        )
        along = _bearing_deg(berth.start, berth.end)
        heading = along if rng.random() < 0.5 else (along + 180.0) % 360.0
        return berth, slot, heading

    # big ships

    def big_ship(self, scenario: str) -> None:
        rng = self.rng
        kinds = SHIP_KINDS
        kind, _, types, lengths, beams, draughts = rng.choices(kinds, [k[1] for k in kinds])[0]
        mids, patterns = self.flag()
        length = rng.randint(*lengths)
        beam = min(rng.randint(*beams), 120)
        bow = round(length * rng.uniform(0.55, 0.88))
        stern = length - bow
        port = min(round(beam * rng.uniform(0.35, 0.65)), 63)
        starboard = min(beam - port, 63)
        draught = round(rng.uniform(*draughts), 1)
        lane = rng.choices(list(LANE_WEIGHTS), list(LANE_WEIGHTS.values()))[0]
        lateral = rng.uniform(0.5, 1.5)
        lane_speed = rng.uniform(10.5, 13.0) if rng.random() < 0.8 else rng.uniform(14.0, 19.0)
        home = rng.choice(HOME_PORTS)
        next_port = rng.choice(NEXT_PORTS)
        voyages: list[Voyage] = []
        inf = math.inf

        def inbound(track: Track, outer: list[LatLon]) -> None:
            track.move(outer[1:], lane_speed).move([PRECAUTIONARY], 10.0)

        def to_berth(track: Track, berth: Berth, slot: LatLon, heading: float) -> None:
            track.move([berth.outer], 9.0).move([berth.gate], 7.0)
            track.move([*berth.via], 5.0).move([slot], 2.5).stay(3 * DAY_S, MOORED, heading)

        def from_berth(track: Track, berth: Berth) -> None:
            track.move([*reversed(berth.via)], 4.5).move([berth.gate], 6.0)
            track.move([berth.outer], 8.0)

        if scenario == "moored":
            berth, slot, heading = self.berth_slot(kind)
            track = Track(-DAY_S, slot).stay(4 * DAY_S, MOORED, heading)
            eta_past = self.eta(-rng.uniform(0.5, 4.0) * DAY_S)
            voyages.append(Voyage(-inf, home, eta_past, draught))
        elif scenario == "anchored":
            spot = self.anchor_spot()
            track = Track(-DAY_S, spot).stay(4 * DAY_S, AT_ANCHOR, rng.uniform(0, 360), True)
            voyages.append(
                Voyage(
                    -inf,
                    rng.choice(ANCHOR_DESTINATIONS),
                    self.eta(rng.uniform(0.5, 12.0) * DAY_S, 6 * 3600),
                    draught,
                )
            )
        elif scenario in ("arrive_anchor", "arrive_berth"):
            outer = _lane(lane, True, lateral)
            start = rng.uniform(-8.0, 21.0) * 3600.0
            track = Track(start, outer[0])
            inbound(track, outer)
            if scenario == "arrive_anchor":
                spot = self.anchor_spot()
                track.move([spot], 7.0).stay(3 * DAY_S, AT_ANCHOR, rng.uniform(0, 360), True)
                destination = rng.choice(ANCHOR_DESTINATIONS)
            else:
                berth, slot, heading = self.berth_slot(kind)
                to_berth(track, berth, slot, heading)
                destination = home
            arrival = track.legs[-1].start_s
            voyages.append(Voyage(-inf, destination, self.eta(arrival, 2400), draught))
        elif scenario == "depart":
            berth, slot, heading = self.berth_slot(kind)
            depart = rng.uniform(0.3, 23.5) * 3600.0
            track = Track(-DAY_S, slot).stay(depart + DAY_S, MOORED, heading)
            from_berth(track, berth)
            outer = _lane(lane, False, lateral)
            track.move([PRECAUTIONARY], 10.0).move([*reversed(outer)], lane_speed)
            voyages.append(Voyage(-inf, home, self.eta(-rng.uniform(1.0, 4.0) * DAY_S), draught))
            sail_draught = round(min(25.5, max(3.0, draught + rng.uniform(-2.0, 2.0))), 1)
            voyages.append(
                Voyage(
                    depart - rng.uniform(0.5, 6.0) * 3600.0,
                    next_port,
                    self.eta(depart + rng.uniform(2.0, 16.0) * DAY_S, 6 * 3600),
                    sail_draught,
                )
            )
        elif scenario == "anchor_to_berth":
            spot = self.anchor_spot()
            shift = rng.uniform(0.5, 22.0) * 3600.0
            track = Track(-DAY_S, spot).stay(shift + DAY_S, AT_ANCHOR, rng.uniform(0, 360), True)
            berth, slot, heading = self.berth_slot(kind)
            to_berth(track, berth, slot, heading)
            voyages.append(Voyage(-inf, home, self.eta(shift + 2 * 3600, 1800), draught))
        elif scenario == "berth_to_anchor":
            berth, slot, heading = self.berth_slot(kind)
            shift = rng.uniform(0.5, 22.0) * 3600.0
            track = Track(-DAY_S, slot).stay(shift + DAY_S, MOORED, heading)
            from_berth(track, berth)
            spot = self.anchor_spot()
            track.move([spot], 7.0).stay(3 * DAY_S, AT_ANCHOR, rng.uniform(0, 360), True)
            voyages.append(
                Voyage(
                    -inf,
                    rng.choice(ANCHOR_DESTINATIONS),
                    self.eta(shift + 1.5 * 3600, 1800),
                    draught,
                )
            )
        else:  # transit: in by one lane, out by another, without calling
            other = rng.choice([name for name in LANES if name != lane])
            outer = _lane(lane, True, lateral)
            start = rng.uniform(-6.0, 22.0) * 3600.0
            track = Track(start, outer[0])
            inbound(track, outer)
            track.move([*reversed(_lane(other, False, lateral))], lane_speed)
            voyages.append(
                Voyage(
                    -inf,
                    next_port,
                    self.eta(start + rng.uniform(1.0, 10.0) * DAY_S, 6 * 3600),
                    draught,
                )
            )

        msg_type = rng.choices((1, 3, 2), (0.85, 0.12, 0.03))[0]
        vessel = Vessel(
            mmsi=self.mmsi(mids),
            class_b=False,
            msg_type=msg_type,
            name=self.ship_name(kind),
            callsign=_pattern(rng, rng.choice(patterns)),
            imo=_imo_number(rng),
            ship_type=rng.choice(types),
            dims=(bow, stern, port, starboard),
            track=track,
            active_from=track.start_s,
            active_until=track.end_s,
            voyages=voyages,
            heading_sensor=rng.random() < 0.97,
            rot_sensor=rng.random() < 0.75,
            status_stale=rng.random() < 0.03,
            set_deg=rng.gauss(0.0, 2.5),
            swing_phase=rng.random(),
            accuracy=rng.random() < 0.3,
            raim=rng.random() < 0.2,
        )
        self.vessels.append(vessel)

    # harbour craft (class A)

    def harbour_craft(self, role: str) -> None:
        rng = self.rng
        end = 1.3 * DAY_S
        if role == "tug":
            base = rng.choice(TUG_BASES)
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(TUG_COMPANIES)}"
            ship_type, dims = rng.choice((52, 52, 52, 31)), (rng.randint(14, 24), 8, 6, 6)
            track = Track(-3600.0, base).stay(rng.uniform(0, 4) * 3600, MOORED, rng.uniform(0, 360))
            while track.t < end:
                job = rng.choice(HARBOUR_NODES)
                track.move([job], rng.uniform(8.0, 11.0))
                track.move([rng.choice(HARBOUR_NODES)], rng.uniform(3.0, 5.5), RESTRICTED)
                track.move([base], rng.uniform(7.0, 10.0))
                track.stay(
                    rng.uniform(0.3, 2.0) * 3600,
                    rng.choice((MOORED, UNDER_WAY)),
                    rng.uniform(0, 360),
                )
        elif role == "pilot":
            base = rng.choice(PILOT_STATIONS)
            name = f"PILOT {rng.randint(1, 12)}"
            ship_type, dims = 50, (rng.randint(10, 16), 5, 3, 3)
            track = Track(-3600.0, base).stay(rng.uniform(0, 2) * 3600, MOORED, rng.uniform(0, 360))
            while track.t < end:
                gate = ANGELS_GATE if base[1] < -118.24 else QUEENS_GATE
                boarding = _move_point(PRECAUTIONARY, rng.uniform(0, 360), rng.uniform(0, 1.5))
                track.move([gate], 8.0).move([boarding], rng.uniform(16.0, 22.0))
                track.stay(rng.uniform(5, 25) * 60, UNDER_WAY, rng.uniform(0, 360))
                track.move([gate], rng.uniform(16.0, 22.0)).move([base], 8.0)
                track.stay(rng.uniform(0.3, 2.5) * 3600, MOORED, rng.uniform(0, 360))
        elif role == "ferry":
            terminal = rng.choice(FERRY_TERMINALS)
            name = f"CATALINA {rng.choice(('JET', 'KING', 'FLYER', 'EXPRESS', 'SPIRIT'))}"
            ship_type, dims = rng.choice((40, 60)), (rng.randint(20, 35), 8, 4, 4)
            gate = ANGELS_GATE if terminal[1] < -118.24 else QUEENS_GATE
            track = Track(-3600.0, terminal).stay(rng.uniform(0, 3) * 3600, UNDER_WAY, 180.0)
            while track.t < end:
                track.move([gate], 9.0).move([AVALON], rng.uniform(28.0, 32.0))
                track.stay(rng.uniform(40, 80) * 60, UNDER_WAY, 0.0)
                track.move([gate], rng.uniform(28.0, 32.0)).move([terminal], 9.0)
                track.stay(rng.uniform(0.7, 3.0) * 3600, UNDER_WAY, 180.0)
        elif role == "fishing":
            name = self.unique_name(f"{rng.choice(FIRST_NAMES)} {rng.choice(WORDS)}")
            ship_type, dims = 30, (rng.randint(12, 25), 6, 3, 3)
            track = Track(-3600.0, FISH_HARBOR).stay(rng.uniform(0, 14) * 3600, MOORED, 90.0)
            while track.t < end:
                ground = _random_in(rng, FISHING_GROUNDS)
                track.move([ANGELS_GATE], 6.0).move([ground], rng.uniform(8.0, 10.5))
                for _ in range(rng.randint(3, 7)):
                    spot = _move_point(track.pos, rng.uniform(0, 360), rng.uniform(0.5, 2.0))
                    track.move([spot], rng.uniform(2.0, 3.5), FISHING)
                track.move([ANGELS_GATE], rng.uniform(8.0, 10.5)).move([FISH_HARBOR], 6.0)
                track.stay(rng.uniform(2.0, 8.0) * 3600, MOORED, 90.0)
        else:  # excursion boats, port tenders, law enforcement, research
            base = rng.choice((*TUG_BASES, *FERRY_TERMINALS))
            name = self.unique_name(
                f"{rng.choice(('HARBOR', 'PORT', 'BAY', 'OCEAN'))} {rng.choice(WORDS)}"
            )
            ship_type = rng.choice((53, 55, 55, 58, 60, 69, 33))
            dims = (rng.randint(10, 30), 6, 4, 4)
            track = Track(-3600.0, base).stay(rng.uniform(0, 6) * 3600, MOORED, 0.0)
            while track.t < end:
                stops = [rng.choice(HARBOUR_NODES) for _ in range(rng.randint(2, 5))]
                if rng.random() < 0.4:
                    stops.insert(1, _random_in(rng, OUTER_BAY))
                track.move([*stops, base], rng.uniform(6.0, 14.0))
                track.stay(rng.uniform(0.5, 3.0) * 3600, MOORED, 0.0)
        name = self.unique_name(name)
        vessel = Vessel(
            mmsi=self.mmsi(US_FLAG),
            class_b=False,
            msg_type=rng.choices((1, 3), (0.9, 0.1))[0],
            name=name,
            callsign=_pattern(rng, rng.choice(US_CALLSIGNS)),
            imo=_imo_number(rng) if rng.random() < 0.5 else 0,
            ship_type=ship_type,
            dims=dims,
            track=track,
            active_from=track.start_s,
            active_until=track.end_s,
            voyages=[
                Voyage(
                    -math.inf,
                    rng.choice(("SAN PEDRO", "LONG BEACH", "LA/LB", "")),
                    (0, 0, 24, 60),
                    round(rng.uniform(1.5, 5.0), 1),
                )
            ],
            heading_sensor=rng.random() < 0.9,
            rot_sensor=rng.random() < 0.5,
            status_stale=rng.random() < 0.1,
            set_deg=rng.gauss(0.0, 3.0),
            accuracy=rng.random() < 0.5,
            raim=rng.random() < 0.2,
        )
        self.vessels.append(vessel)

    # class B

    def small_craft(self) -> None:
        rng = self.rng
        berth, inner, gate = rng.choice(MARINAS)
        spot = _move_point(berth, rng.uniform(0, 360), rng.uniform(0.0, 0.15))
        sail = rng.random() < 0.3
        fisher = not sail and rng.random() < 0.25
        ship_type = 36 if sail else (30 if fisher else 37)
        length = rng.randint(7, 25)
        track = Track(-DAY_S, spot)
        if rng.random() < 0.3:  # left on in its slip all day
            track.stay(4 * DAY_S, NOT_DEFINED, rng.uniform(0, 360))
            active_from, active_until = -math.inf, math.inf
        else:  # switched on for a trip in daylight (15:00-03:00 UTC is 08:00-20:00 PDT)
            leave = rng.uniform(14.5, 22.0) * 3600.0
            track.stay(leave + DAY_S, NOT_DEFINED, rng.uniform(0, 360))
            speed = rng.uniform(4.5, 7.0) if sail else rng.uniform(12.0, 24.0)
            track.move([inner, gate], 5.0)
            for _ in range(rng.randint(1, 4)):
                if fisher:
                    ground = _random_in(rng, OUTER_BAY)
                    track.move([ground], speed)
                    track.move([_move_point(ground, rng.uniform(0, 360), 0.4)], 1.0)
                else:
                    track.move([_random_in(rng, OUTER_BAY)], speed)
            track.move([gate], speed).move([inner, spot], 5.0)
            track.stay(4 * DAY_S, NOT_DEFINED, rng.uniform(0, 360))
            active_from = leave - rng.uniform(5, 30) * 60
            active_until = track.legs[-1].start_s + rng.uniform(5, 30) * 60
        words = WORDS + FIRST_NAMES
        name = self.unique_name(
            f"{rng.choice(words)} {rng.choice(words)}" if rng.random() < 0.5 else rng.choice(words)
        )
        callsign = _pattern(rng, "WD@####") if rng.random() < 0.35 else ""
        vessel = Vessel(
            mmsi=self.mmsi((338, 367, 368)),
            class_b=True,
            msg_type=18,
            name=name,
            callsign=callsign,
            imo=0,
            ship_type=ship_type,
            dims=(round(length * 0.7), length - round(length * 0.7), 2, 2),
            track=track,
            active_from=active_from,
            active_until=active_until,
            heading_sensor=rng.random() < 0.3,
            rot_sensor=False,
            set_deg=rng.gauss(0.0, 4.0),
            accuracy=rng.random() < 0.1,
            raim=False,
        )
        self.vessels.append(vessel)


# How many big ships do what over the day (of 1500 vessels; class B fill the rest).
SHIP_PLAN: tuple[tuple[str, int], ...] = (
    ("moored", 60),
    ("anchored", 90),
    ("arrive_anchor", 80),
    ("arrive_berth", 90),
    ("depart", 130),
    ("anchor_to_berth", 60),
    ("berth_to_anchor", 20),
    ("transit", 380),
)
CRAFT_PLAN: tuple[tuple[str, int], ...] = (
    ("tug", 120),
    ("pilot", 10),
    ("ferry", 8),
    ("fishing", 50),
    ("other", 72),
)


def build_fleet(rng: random.Random, size: int = FLEET_SIZE) -> list[Vessel]:
    """The vessels of one simulated day, in a fixed order for a given generator state."""
    builder = _FleetBuilder(rng)
    scale = size / 1500.0
    for scenario, count in SHIP_PLAN:
        for _ in range(round(count * scale)):
            builder.big_ship(scenario)
    for role, count in CRAFT_PLAN:
        for _ in range(round(count * scale)):
            builder.harbour_craft(role)
    while len(builder.vessels) < size:
        builder.small_craft()
    return builder.vessels


# --- Reporting -----------------------------------------------------------------


def _position_interval_s(vessel: Vessel, speed_kn: float) -> float:
    if vessel.class_b:
        return CLASS_B_MOVING_S if speed_kn > 2.0 else CLASS_B_STATIONARY_S
    if speed_kn <= 0.0:
        return CLASS_A_STATIONARY_S
    if speed_kn <= 14.0:
        return CLASS_A_0_14_KN_S
    if speed_kn <= 23.0:
        return CLASS_A_14_23_KN_S
    return CLASS_A_OVER_23_KN_S


def _expected_real_sentences(vessels: list[Vessel]) -> float:
    """Sentences per day at the true ITU rates (sampled every 15 min)."""
    samples = 96
    step = DAY_S / samples
    total = 0.0
    for vessel in vessels:
        for i in range(samples):
            speed = vessel.speed_at((i + 0.5) * step)
            if speed is None:
                continue
            total += step / _position_interval_s(vessel, speed) + 2.0 * step / STATIC_S
    total += len(BASE_STATIONS) * DAY_S / BASE_STATION_S
    total += len(ATONS) * DAY_S / ATON_S
    return total


def _tag_block(fields: str) -> str:
    return f"\\{fields}*{reduce(xor, fields.encode('ascii'), 0):02X}\\"


POSITION, STATIC_5, STATIC_24, BASE, ATON = range(5)
"""Kinds of transmission the feed schedules."""


@dataclass(slots=True)
class _Slot:
    """One scheduled transmission: when, and the per-message details drawn for it."""

    t: float
    """Simulated seconds since START_S."""
    now: int
    """Receive time, Unix seconds (tag block ``c:``)."""
    jitter: float
    """Multiplier of the next reporting interval (the down-sampling scale, +-10 %)."""
    second: int
    """UTC second of the position fix."""
    channel: str
    room: int
    """Sentences still to write."""


Message = tuple[list[str], int, str]
"""NMEA sentences, AIS message type, receiving station."""


class _Feed:
    """Who transmits when, and what: a time-ordered queue of transmissions.

    Every draw comes from the one generator, in a fixed order, so a seed always
    gives the same bytes.
    """

    def __init__(self, rng: random.Random, vessels: list[Vessel], scale: float) -> None:
        self.rng = rng
        self.vessels = vessels
        self.scale = scale
        self.heap: list[tuple[float, int, int, int]] = []  # (time, tie-break, kind, index)
        self.order = 0
        self.seq_id = 0
        self.station_names = [name for name, _ in STATIONS]
        for i, vessel in enumerate(vessels):
            first = max(0.0, vessel.active_from)
            speed = vessel.speed_at(first)
            if speed is None or first > DAY_S * 1.2:
                continue
            interval = _position_interval_s(vessel, speed)
            self.schedule(first + rng.random() * interval * scale, POSITION, i)
            kind = STATIC_24 if vessel.class_b else STATIC_5
            self.schedule(first + rng.uniform(0.05, 1.0) * STATIC_S * scale, kind, i)
        for i in range(len(BASE_STATIONS)):
            self.schedule(rng.random() * BASE_STATION_S * scale, BASE, i)
        for i in range(len(ATONS)):
            self.schedule(rng.random() * ATON_S * scale, ATON, i)
        self.emitters = (self.position, self.static_5, self.static_24, self.base, self.aton)

    def schedule(self, t: float, kind: int, index: int) -> None:
        self.order += 1
        heapq.heappush(self.heap, (t, self.order, kind, index))

    def next_slot(self, room: int) -> tuple[_Slot, int, int]:
        """The next transmission: its slot, kind and emitter index."""
        t, _, kind, index = heapq.heappop(self.heap)
        rng = self.rng
        now = int(START_S + t)
        jitter = rng.uniform(0.9, 1.1) * self.scale
        second = (now - rng.randint(0, 2)) % 60
        channel = "A" if rng.random() < 0.5 else "B"
        return _Slot(t, now, jitter, second, channel, room), kind, index

    def emit(self, kind: int, index: int, slot: _Slot) -> Message | None:
        """Encode the transmission (None when nothing is sent) and schedule the next."""
        return self.emitters[kind](index, slot)

    def station_for(self, lat: float, lon: float) -> str:
        """The receiving station: mostly the nearest, sometimes another one."""
        if self.rng.random() < 0.2:
            return self.rng.choice(self.station_names)
        return min(STATIONS, key=lambda s: _distance_nm((lat, lon), s[1]))[0]

    def position(self, index: int, slot: _Slot) -> Message | None:
        vessel = self.vessels[index]
        t = slot.t
        state = vessel.state(t, self.rng)
        if state is None:
            return None  # left coverage (or switched off): no more reports
        lat, lon, sog, cog, heading, status, rot = state
        if vessel.class_b:
            data: dict[str, Any] = {
                "msg_type": 18,
                "mmsi": vessel.mmsi,
                "speed": sog,
                "accuracy": vessel.accuracy,
                "lon": lon,
                "lat": lat,
                "course": cog,
                "heading": heading,
                "second": slot.second,
                "cs": 1,
                "display": 0,
                "dsc": 1,
                "band": 1,
                "msg22": 1,
                "assigned": 0,
                "raim": vessel.raim,
                "radio": 393222,
            }
        else:
            data = {
                "msg_type": vessel.msg_type,
                "mmsi": vessel.mmsi,
                "status": status,
                "turn": rot,
                "speed": sog,
                "accuracy": vessel.accuracy,
                "lon": lon,
                "lat": lat,
                "course": cog,
                "heading": heading,
                "second": slot.second,
                "maneuver": 0,
                "raim": vessel.raim,
                "radio": self.rng.randrange(1 << 19),
            }
        nmea = encode_dict(data, talker_id="AI", sentence_type="VDM", radio_channel=slot.channel)
        station = self.station_for(lat, lon)
        # Report at the standard rate for the speed, and soon after starting or stopping.
        interval = _position_interval_s(vessel, sog if sog >= 0.5 else 0.0) * slot.jitter
        change = vessel.track.next_change(t) + self.rng.uniform(0.5, 1.5) * 10.0 * self.scale
        self.schedule(min(t + interval, change), POSITION, index)
        return nmea, data["msg_type"], station

    def _static_station(self, vessel: Vessel, index: int, kind: int, slot: _Slot) -> str | None:
        """Station for a static message, or None (rescheduled) while out of range."""
        if not vessel.active_from <= slot.t < vessel.active_until:
            if slot.t < vessel.active_until:
                self.schedule(slot.t + STATIC_S * slot.jitter, kind, index)
            return None
        leg = vessel.track.leg_at(slot.t)
        lat, lon = leg.points[0] if leg is not None else PRECAUTIONARY
        return self.station_for(lat, lon)

    def static_5(self, index: int, slot: _Slot) -> Message | None:
        vessel = self.vessels[index]
        station = self._static_station(vessel, index, STATIC_5, slot)
        if station is None:
            return None
        self.schedule(slot.t + STATIC_S * slot.jitter, STATIC_5, index)
        if slot.room < 2:
            return None  # two sentences do not fit any more
        voyage_index = vessel.voyage_index(slot.t)
        cached = vessel.static_cache.get(voyage_index)
        if cached is None:  # encode each vessel's voyage once
            voyage = vessel.voyages[voyage_index]
            month, day, hour, minute = voyage.eta
            bow, stern, port, starboard = vessel.dims
            cached = data_to_payload(
                5,
                {
                    "msg_type": 5,
                    "mmsi": vessel.mmsi,
                    "ais_version": 0,
                    "imo": vessel.imo,
                    "callsign": vessel.callsign,
                    "shipname": vessel.name,
                    "ship_type": vessel.ship_type,
                    "to_bow": bow,
                    "to_stern": stern,
                    "to_port": port,
                    "to_starboard": starboard,
                    "epfd": 1,
                    "month": month,
                    "day": day,
                    "hour": hour,
                    "minute": minute,
                    "draught": voyage.draught_m,
                    "destination": voyage.destination,
                    "dte": 0,
                },
            ).encode()
            vessel.static_cache[voyage_index] = cached
        nmea = ais_to_nmea_0183(cached[0], "AI", "VDM", slot.channel, cached[1], seq_id=self.seq_id)
        self.seq_id = (self.seq_id + 1) % 10
        return nmea, 5, station

    def static_24(self, index: int, slot: _Slot) -> Message | None:
        vessel = self.vessels[index]
        station = self._static_station(vessel, index, STATIC_24, slot)
        if station is None:
            return None
        part = vessel.next_part
        cached = vessel.static_cache.get(part)
        if cached is None:
            bow, stern, port, starboard = vessel.dims
            fields: dict[str, Any] = (
                {"msg_type": 24, "mmsi": vessel.mmsi, "partno": 0, "shipname": vessel.name}
                if part == 0
                else {
                    "msg_type": 24,
                    "mmsi": vessel.mmsi,
                    "partno": 1,
                    "ship_type": vessel.ship_type,
                    "vendorid": "SRT",
                    "model": 1 + vessel.mmsi % 7,
                    "serial": vessel.mmsi % 1_000_000,
                    "callsign": vessel.callsign,
                    "to_bow": bow,
                    "to_stern": stern,
                    "to_port": port,
                    "to_starboard": starboard,
                }
            )
            cached = data_to_payload(24, fields).encode()
            vessel.static_cache[part] = cached
        nmea = ais_to_nmea_0183(cached[0], "AI", "VDM", slot.channel, cached[1])
        vessel.next_part = 1 - part
        # Part B follows part A within a minute; the pair repeats every 6 min.
        gap = self.rng.uniform(2.0, 60.0) * self.scale if part == 0 else STATIC_S * slot.jitter
        self.schedule(slot.t + gap, STATIC_24, index)
        return nmea, 24, station

    def base(self, index: int, slot: _Slot) -> Message:
        mmsi, (lat, lon), epfd = BASE_STATIONS[index]
        when = time.gmtime(slot.now)
        nmea = encode_dict(
            {
                "msg_type": 4,
                "mmsi": mmsi,
                "year": when.tm_year,
                "month": when.tm_mon,
                "day": when.tm_mday,
                "hour": when.tm_hour,
                "minute": when.tm_min,
                "second": when.tm_sec,
                "accuracy": 1,
                "lon": lon,
                "lat": lat,
                "epfd": epfd,
                "raim": 0,
                "radio": self.rng.randrange(1 << 19),
            },
            talker_id="AI",
            sentence_type="VDM",
            radio_channel=slot.channel,
        )
        station = self.station_for(lat, lon)
        self.schedule(slot.t + BASE_STATION_S * slot.jitter, BASE, index)
        return nmea, 4, station

    def aton(self, index: int, slot: _Slot) -> Message:
        name, (lat, lon), aid_type, virtual = ATONS[index]
        buoy = aid_type in (24, 25, 30)
        if not virtual:  # a buoy rides on its chain; a light barely moves
            lat += self.rng.gauss(0.0, 0.00004 if buoy else 0.000005)
            lon += self.rng.gauss(0.0, 0.00004 if buoy else 0.000005)
        nmea = encode_dict(
            {
                "msg_type": 21,
                "mmsi": 993669100 + index,
                "aid_type": aid_type,
                "name": name[:20],
                "name_ext": name[20:],
                "accuracy": 1,
                "lon": lon,
                "lat": lat,
                "to_bow": 2 if buoy else 0,
                "to_stern": 2 if buoy else 0,
                "to_port": 1 if buoy else 0,
                "to_starboard": 1 if buoy else 0,
                "epfd": 1 if buoy else 7,
                "second": 60 if virtual else slot.second,
                "off_position": 0,
                "raim": 0,
                "virtual_aid": int(virtual),
                "assigned": 0,
            },
            talker_id="AI",
            sentence_type="VDM",
            radio_channel=slot.channel,
        )
        station = self.station_for(lat, lon)
        self.schedule(slot.t + ATON_S * slot.jitter, ATON, index)
        return nmea, 21, station


def write_corpus(
    path: Path, sentences: int = DEFAULT_SENTENCES, seed: int = 1, real_rates: bool = False
) -> dict[str, Any]:
    """Write a simulated day of San Pedro Bay AIS traffic to ``path``.

    Exactly ``sentences`` lines, each an AIVDM sentence behind a tag block. With
    ``real_rates`` every station reports at its true ITU rate instead, so the
    same number of sentences covers the first hour or so of the day: what a
    real feed of this fleet looks like, where a target silent for a few
    reporting intervals is really lost (the day corpus, about 30 times thinner,
    has every vessel go silent that long between any two of its reports).
    Returns what was written: ``sentences``, ``messages``, ``by_type``
    (messages per AIS type), ``sentences_by_type``, ``vessels``, the first and
    last receive time (``first_time_s``, ``last_time_s``) and the ``seed``.
    """
    if sentences < 1:
        raise ValueError("sentences must be positive")
    rng = random.Random(seed)
    vessels = build_fleet(rng)
    # Every reporting interval is stretched by this factor, so that the requested
    # number of sentences spans about a day (a real feed of this fleet is ~30x denser).
    scale = 1.0 if real_rates else _expected_real_sentences(vessels) / sentences
    feed = _Feed(rng, vessels, scale)

    by_type: Counter[int] = Counter()
    sentences_by_type: Counter[int] = Counter()
    written = 0
    group_id = rng.randrange(1000, 90000)
    first_time: int | None = None
    last_time = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="ascii", newline="\n") as out:
        write = out.write
        while written < sentences and feed.heap:
            slot, kind, index = feed.next_slot(sentences - written)
            message = feed.emit(kind, index, slot)
            if message is None:
                continue
            nmea, msg_type, station = message
            now = slot.now
            if len(nmea) == 1:
                write(f"{_tag_block(f's:{station},c:{now}')}{nmea[0]}\n")
            else:
                group_id = group_id + 1 if group_id < 99_999 else 1000
                total = len(nmea)
                for number, sentence in enumerate(nmea, start=1):
                    tag = _tag_block(f"g:{number}-{total}-{group_id},s:{station},c:{now}")
                    write(f"{tag}{sentence}\n")
            written += len(nmea)
            by_type[msg_type] += 1
            sentences_by_type[msg_type] += len(nmea)
            if first_time is None:
                first_time = now
            last_time = now

    return {
        "sentences": written,
        "messages": sum(by_type.values()),
        "by_type": dict(sorted(by_type.items())),
        "sentences_by_type": dict(sorted(sentences_by_type.items())),
        "vessels": len(vessels),
        "first_time_s": first_time,
        "last_time_s": last_time,
        "seed": seed,
        "real_rates": real_rates,
        "generator_version": GENERATOR_VERSION,
    }


def corpus_path(
    sentences: int = DEFAULT_SENTENCES, seed: int = 1, real_rates: bool = False
) -> Path:
    """Where ``cached_corpus`` keeps the corpus for (sentences, seed, real_rates)."""
    rates = "-real" if real_rates else ""
    return CACHE_DIR / f"sanpedro-v{GENERATOR_VERSION}{rates}-{sentences}-seed{seed}.nmea"


def cached_corpus(
    sentences: int = DEFAULT_SENTENCES, seed: int = 1, real_rates: bool = False
) -> Path:
    """The corpus for (sentences, seed), written to ``benchmarks/.cache/`` on first use.

    A summary (the dict ``write_corpus`` returns) is kept next to it as
    ``<name>.json``; ``read_summary`` loads it.
    """
    path = corpus_path(sentences, seed, real_rates)
    summary = path.with_suffix(".json")
    if path.exists() and summary.exists():
        return path
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        counts = write_corpus(partial, sentences, seed, real_rates)
        summary.write_text(json.dumps(counts, indent=1) + "\n", encoding="utf-8")
        os.replace(partial, path)  # atomic: a concurrent run never sees half a file
    finally:
        partial.unlink(missing_ok=True)
    return path


def read_summary(path: Path) -> dict[str, Any] | None:
    """The summary ``cached_corpus`` stored next to a corpus, or None."""
    summary = path.with_suffix(".json")
    if not summary.exists():
        return None
    data: dict[str, Any] = json.loads(summary.read_text(encoding="utf-8"))
    return data


def main(argv: list[str] | None = None) -> int:
    """``python benchmarks/corpus.py OUT --sentences N --seed S``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="file to write (NMEA with tag blocks)")
    parser.add_argument("--sentences", type=int, default=DEFAULT_SENTENCES)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--real-rates", action="store_true", help="true ITU rates (about an hour, not a day)"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    counts = write_corpus(args.out, args.sentences, args.seed, args.real_rates)
    elapsed = time.perf_counter() - started
    print(json.dumps(counts, indent=1))
    print(f"wrote {args.out} in {elapsed:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
