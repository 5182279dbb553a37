"""Made-up but plausible ships: names, call signs, IMO numbers, sizes, draughts."""

from __future__ import annotations

import random
from dataclasses import dataclass

_WORDS = (
    "PACIFIC", "OCEAN", "STAR", "GLORY", "HARMONY", "PIONEER", "EXPRESS", "BRIDGE", "SPIRIT",
    "HORIZON", "PEARL", "FORTUNE", "VOYAGER", "MERIDIAN", "AURORA", "TRIDENT", "CORAL", "ATLAS",
)  # fmt: skip
_DESTINATIONS = ("LOS ANGELES", "USLAX", "LONG BEACH", "USLGB", "LA/LB", "US LAX")
ELSEWHERE = ("SAN FRANCISCO", "USOAK", "ENSENADA", "PANAMA CANAL", "SEATTLE", "MXZLO")


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
    kind: str = "container"
    """What the simulator counts it as: container, tanker, bulk, passenger, tug,
    pilot boat, port tender, fast ferry, pleasure craft, sailing yacht, fishing."""
    bound_for: str = ""
    """Destination of a ship passing by; empty for ships calling here."""

    @property
    def destination(self) -> str:
        return self.bound_for or _DESTINATIONS[self.mmsi % len(_DESTINATIONS)]


# kind: (ship_type, length range, beam/length, draught range, cruise kn, share of calls,
#        hours alongside)
_MERCHANT_KINDS = {
    "container": (70, (200, 400), 0.14, (10.0, 15.5), 16.0, 0.55, (40.0, 120.0)),
    "tanker": (80, (180, 280), 0.17, (9.0, 16.0), 13.0, 0.2, (30.0, 60.0)),
    "bulk": (70, (170, 230), 0.15, (8.0, 13.0), 12.0, 0.15, (60.0, 140.0)),
    "passenger": (60, (250, 330), 0.12, (7.5, 8.5), 18.0, 0.1, (9.0, 12.0)),
}
CARGO_KINDS = ("container", "tanker", "bulk")
MERCHANT_KINDS = (*CARGO_KINDS, "passenger")


def imo_number(first_six: int) -> int:
    """The IMO number of six digits ``first_six`` with its check digit: each digit
    times 7, 6, 5, 4, 3, 2 summed, the last digit of the sum."""
    digits = [int(d) for d in f"{first_six:06d}"]
    check = sum(d * w for d, w in zip(digits, range(7, 1, -1), strict=True)) % 10
    return first_six * 10 + check


def merchant_ship(rng: random.Random, mmsi: int, kinds: tuple[str, ...] = ()) -> Ship:
    """A seagoing ship calling at the port, of a kind drawn by the port's mix (among
    ``kinds`` when given)."""
    kinds = kinds or tuple(_MERCHANT_KINDS)
    kind = rng.choices(kinds, weights=[_MERCHANT_KINDS[k][5] for k in kinds])[0]
    ship_type, (shortest, longest), beam_ratio, (shallow, deep), cruise_kn, *_ = _MERCHANT_KINDS[
        kind
    ]
    length = rng.randrange(shortest, longest, 5)
    return Ship(
        mmsi=mmsi,
        name=f"{rng.choice(_WORDS)} {rng.choice(_WORDS)}"[:20],
        callsign=f"{rng.choice('VWD9H')}{rng.choice('ABCDEFGHJK')}{rng.randrange(1000, 9999)}",
        imo=imo_number(rng.randrange(900_000, 980_000)),
        ship_type=ship_type,
        length_m=length,
        beam_m=max(20, round(length * beam_ratio)),
        draught_m=round(rng.uniform(shallow, deep), 1),
        cruise_kn=cruise_kn + rng.uniform(-1.5, 1.5),
        kind=kind,
    )


def stay_s(rng: random.Random, ship: Ship, scale: float = 1.0) -> float:
    """How long ``ship`` stays alongside: days for a container ship, a day for a
    cruise call."""
    shortest, longest = _MERCHANT_KINDS.get(ship.kind, _MERCHANT_KINDS["container"])[6]
    return rng.uniform(shortest, longest) * 3600.0 * scale


_SMALL_CRAFT = {
    # kind: (ship type, names, length range, cruise kn range)
    "pleasure craft": (37, ("SEA", "BLUE", "WIND", "SUN"), (8, 20), (5.0, 14.0)),
    "sailing yacht": (36, ("WINDSONG", "SEA", "ODYSSEY", "SALT"), (9, 16), (4.0, 7.0)),
    "fishing": (30, ("MISS", "LADY", "CAPT", "SAN"), (10, 22), (6.0, 9.0)),
}


def pleasure_craft(rng: random.Random, mmsi: int, kind: str = "pleasure craft") -> Ship:
    """A class B craft: a motor boat, a sailing yacht or a small fishing boat."""
    ship_type, names, (shortest, longest), (slow_kn, fast_kn) = _SMALL_CRAFT[kind]
    length = rng.randrange(shortest, longest)
    return Ship(
        mmsi=mmsi,
        name=f"{rng.choice(names)} {rng.choice(_WORDS)}"[:20],
        callsign=f"WDK{rng.randrange(1000, 9999)}",
        imo=0,
        ship_type=ship_type,
        length_m=length,
        beam_m=max(3, length // 3),
        draught_m=round(rng.uniform(1.2, 2.5), 1),
        cruise_kn=rng.uniform(slow_kn, fast_kn),
        class_b=True,
        kind=kind,
    )


def small_craft_kind(rng: random.Random) -> str:
    """Motor boats most, then sailing yachts, then small fishing boats."""
    return rng.choices(tuple(_SMALL_CRAFT), weights=(0.55, 0.25, 0.2))[0]


def harbour_craft(rng: random.Random, mmsi: int, kind: str, number: int) -> Ship:
    """A tug (type 52, ~12 kn), a pilot boat (type 50, ~22 kn) or a port tender
    (type 55, law enforcement, ~14 kn) based in the port."""
    if kind == "port tender":
        callsign = f"WDL{rng.randrange(1000, 9999)}"
        return Ship(
            mmsi=mmsi,
            name=f"PORT PATROL {number}",
            callsign=callsign,
            imo=0,
            ship_type=55,
            length_m=rng.randrange(12, 20),
            beam_m=5,
            draught_m=1.2,
            cruise_kn=14.0,
            kind=kind,
        )
    tug = kind == "tug"
    length = rng.randrange(28, 34) if tug else rng.randrange(15, 20)
    return Ship(
        mmsi=mmsi,
        name=f"{'PW TUG' if tug else 'PILOT'} {number}",
        callsign=f"WD{'T' if tug else 'P'}{rng.randrange(1000, 9999)}",
        imo=0,
        ship_type=52 if tug else 50,
        length_m=length,
        beam_m=round(length * (0.33 if tug else 0.3)),
        draught_m=round(rng.uniform(4.0, 5.5) if tug else rng.uniform(1.4, 1.8), 1),
        cruise_kn=12.0 if tug else 22.0,
        kind=kind,
    )


def fast_ferry(rng: random.Random, mmsi: int) -> Ship:
    """A high-speed passenger ferry (type 40) of the island runs, cruising near 28 kn."""
    return Ship(
        mmsi=mmsi,
        name=f"ISLAND {rng.choice(_WORDS)}"[:20],
        callsign=f"WDF{rng.randrange(1000, 9999)}",
        imo=0,
        ship_type=40,
        length_m=rng.randrange(38, 46),
        beam_m=11,
        draught_m=1.8,
        cruise_kn=28.0,
        kind="fast ferry",
    )
