"""Just-in-time arrival: the speed that brings a ship to the pilot boarding place
when its turn comes instead of now, and the fuel that slower approach saves.

A ship that steams at full speed only to wait at anchor burns fuel for nothing
(the IMO / GloMEP Just-In-Time Arrival Guide, 2020). Propulsion power goes with
the cube of speed (the propeller law), so over a distance ``d`` the main engine's
energy goes with the square: E = P_design · d · v² / v_design³. Slowing from
``v`` to ``v_jit`` over that distance saves the difference; the generators and
boilers run either way, at anchor or steaming slowly for as long. Design power
and speed by AIS type and length are representative of the Fourth IMO GHG Study
2020's fleet tables (its installed main-engine power and design speed by ship
type and size bin); an AIS message says neither, so the saving is an estimate.
"""

from __future__ import annotations

from dataclasses import dataclass

from portwatch.analytics.settings import WatchSettings

MIN_JIT_KN = 5.0
"""Below this a ship cannot keep steerage way: it would rather hold offshore."""
MAIN_ENGINE_G_PER_KWH = 175.0
"""Specific fuel consumption of a slow-speed two-stroke main engine at part load."""
# (length at least m, design power kW, design speed kn), longest band last.
_CARGO = ((0, 5_000, 13.0), (150, 12_000, 17.0), (250, 30_000, 21.0), (330, 55_000, 22.0))
_TANKER = ((0, 4_000, 12.5), (150, 9_000, 14.5), (250, 20_000, 15.0))
_PASSENGER = ((0, 6_000, 18.0), (150, 20_000, 20.0), (250, 45_000, 21.5))
_OTHER = ((0, 2_000, 12.0),)


@dataclass(frozen=True, slots=True)
class JitAdvice:
    speed_kn: float
    """The speed that arrives at the turn; ``MIN_JIT_KN`` when even that is too fast."""
    fuel_saved_t: float
    co2_saved_t: float
    holds: bool
    """The wait is too long to absorb on the way in at steerage speed."""


def design_power(ship_type: int | None, length_m: float | None) -> tuple[float, float]:
    """(main-engine design power kW, design speed kn) for an AIS type and length."""
    bands = {7: _CARGO, 8: _TANKER, 6: _PASSENGER}.get((ship_type or 0) // 10, _OTHER)
    length = length_m or 0.0
    chosen = bands[0]
    for band in bands:
        if length >= band[0]:
            chosen = band
    return float(chosen[1]), float(chosen[2])


def main_engine_fuel_t(
    power_kw: float, design_kn: float, distance_m: float, speed_kn: float
) -> float:
    """Fuel (t) the main engine burns covering ``distance_m`` at ``speed_kn``."""
    if speed_kn <= 0:
        return 0.0
    hours = distance_m / 1852.0 / speed_kn
    kw = power_kw * min(1.0, (speed_kn / design_kn) ** 3)
    return kw * hours * MAIN_ENGINE_G_PER_KWH / 1e6


def advise(
    ship_type: int | None,
    length_m: float | None,
    distance_m: float,
    speed_kn: float,
    wait_s: float,
    settings: WatchSettings,
) -> JitAdvice | None:
    """The just-in-time speed over the ``distance_m`` still to go for a ship making
    ``speed_kn`` that would otherwise wait ``wait_s`` at anchor; None when it would
    not wait or is not under way."""
    if wait_s <= 0 or speed_kn < MIN_JIT_KN or distance_m <= 0:
        return None
    hours_now = distance_m / 1852.0 / speed_kn
    jit_kn = distance_m / 1852.0 / (hours_now + wait_s / 3600.0)
    holds = jit_kn < MIN_JIT_KN
    jit_kn = max(jit_kn, MIN_JIT_KN)
    power_kw, design_kn = design_power(ship_type, length_m)
    saved = main_engine_fuel_t(power_kw, design_kn, distance_m, speed_kn) - main_engine_fuel_t(
        power_kw, design_kn, distance_m, jit_kn
    )
    saved = max(saved, 0.0)
    return JitAdvice(jit_kn, saved, saved * settings.co2_per_fuel, holds)
