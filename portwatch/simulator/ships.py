"""Made-up but plausible ships: names, call signs, IMO numbers, sizes, draughts."""

from __future__ import annotations

import random
from dataclasses import dataclass

_WORDS = (
    "PACIFIC", "OCEAN", "STAR", "GLORY", "HARMONY", "PIONEER", "EXPRESS", "BRIDGE", "SPIRIT",
    "HORIZON", "PEARL", "FORTUNE", "VOYAGER", "MERIDIAN", "AURORA", "TRIDENT", "CORAL", "ATLAS",
)  # fmt: skip
_DESTINATIONS = ("LOS ANGELES", "USLAX", "LONG BEACH", "USLGB", "LA/LB", "US LAX")


@dataclass(frozen=True, slots=True)
class Ship:
    mmsi: int
    name: str
    callsign: str
    imo: int
    ship_type: int
    """ITU type of ship and cargo: 70 cargo, 80 tanker, 60 passenger, 52 tug, 37 pleasure."""
    length_m: int
    beam_m: int
    draught_m: float
    cruise_kn: float
    class_b: bool = False

    @property
    def destination(self) -> str:
        return _DESTINATIONS[self.mmsi % len(_DESTINATIONS)]


# kind: (ship_type, length range, beam/length, draught range, cruise kn, share of arrivals)
_MERCHANT_KINDS = {
    "container": (70, (200, 400), 0.14, (10.0, 15.5), 16.0, 0.55),
    "tanker": (80, (180, 280), 0.17, (9.0, 16.0), 13.0, 0.2),
    "bulk": (70, (170, 230), 0.15, (8.0, 13.0), 12.0, 0.15),
    "passenger": (60, (250, 330), 0.12, (7.5, 8.5), 18.0, 0.1),
}


def merchant_ship(rng: random.Random, mmsi: int) -> Ship:
    """A seagoing ship calling at the port, of a kind drawn by the port's mix."""
    kinds = list(_MERCHANT_KINDS)
    kind = rng.choices(kinds, weights=[_MERCHANT_KINDS[k][5] for k in kinds])[0]
    ship_type, (shortest, longest), beam_ratio, (shallow, deep), cruise_kn, _ = _MERCHANT_KINDS[
        kind
    ]
    length = rng.randrange(shortest, longest, 5)
    return Ship(
        mmsi=mmsi,
        name=f"{rng.choice(_WORDS)} {rng.choice(_WORDS)}"[:20],
        callsign=f"{rng.choice('VWD9H')}{rng.choice('ABCDEFGHJK')}{rng.randrange(1000, 9999)}",
        imo=9_000_000 + rng.randrange(100_000, 999_999) // 10 * 10 + rng.randrange(10),
        ship_type=ship_type,
        length_m=length,
        beam_m=max(20, round(length * beam_ratio)),
        draught_m=round(rng.uniform(shallow, deep), 1),
        cruise_kn=cruise_kn + rng.uniform(-1.5, 1.5),
    )


def pleasure_craft(rng: random.Random, mmsi: int) -> Ship:
    length = rng.randrange(8, 20)
    return Ship(
        mmsi=mmsi,
        name=f"{rng.choice(('SEA', 'BLUE', 'WIND', 'SUN'))} {rng.choice(_WORDS)}"[:20],
        callsign=f"WDK{rng.randrange(1000, 9999)}",
        imo=0,
        ship_type=37,
        length_m=length,
        beam_m=max(3, length // 3),
        draught_m=round(rng.uniform(1.2, 2.5), 1),
        cruise_kn=rng.uniform(5.0, 8.0),
        class_b=True,
    )
