"""What a ship burns while it waits at anchor: auxiliary engines and boilers.

At anchor the main engine is stopped; generators carry the hotel, reefer and
cargo loads and a boiler heats fuel (and, on tankers, cargo). The IMO's
greenhouse-gas studies tabulate that demand by ship type, size and operating
phase: the Fourth IMO GHG Study 2020 (Faber et al., IMO 2021), section 2.2.4,
Table 17 "auxiliary engine power demand" and Table 18 "auxiliary boiler power
demand" by phase (at berth, at anchorage, manoeuvring, at sea), which keep the
Third Study's figures (2014, Annex 1) from US vessel-boarding programmes.

AIS does not carry a ship's deadweight or TEU, only its type (ITU-R M.1371
Table 53) and its length, so the studies' capacity bins are mapped onto length
bands below and the at-anchorage figures rounded. The single-value rows (yacht
130 kW, tug 50 kW, fishing 200 kW, offshore 320 kW, other service 220 kW, other
190 kW) are the table's own; the size-graded rows are representative of their
bins and should be read as estimates, which is all an AIS-based figure can be.
"""

from __future__ import annotations

from dataclasses import dataclass

from portwatch.analytics.settings import WatchSettings


@dataclass(frozen=True, slots=True)
class AnchorDemand:
    """Power drawn at anchor, in kW."""

    auxiliary_kw: float
    boiler_kw: float

    @property
    def total_kw(self) -> float:
        return self.auxiliary_kw + self.boiler_kw


# (length at least, auxiliary kW, boiler kW), longest band last.
_CARGO = ((0, 190, 75), (120, 450, 120), (200, 800, 240), (300, 1_000, 360))
"""Ship types 70-79: general cargo and bulk carriers in the short bands, container
ships (with their reefer load) in the long ones."""
_TANKER = ((0, 250, 150), (120, 500, 400), (200, 700, 500))
"""Ship types 80-89: boilers heat fuel and keep cargo pumps ready."""
_PASSENGER = ((0, 355, 100), (120, 2_000, 500), (250, 6_500, 1_000))
"""Ship types 60-69: ferries, then cruise ships with their hotel load."""
_SINGLE = {
    30: (200, 0),  # fishing
    31: (50, 0),  # towing
    32: (50, 0),  # towing, long
    52: (50, 0),  # tug
    36: (130, 0),  # sailing
    37: (130, 0),  # pleasure craft (yacht)
}
_SERVICE = (220, 0)
"""Ship types 50-59 (pilot, SAR, port tender, …) and 33-35: the study's "service – other"."""
_OTHER = (190, 0)
"""Anything else, or a type not given: the study's "miscellaneous – other"."""


def anchor_demand(ship_type: int | None, length_m: float | None) -> AnchorDemand:
    """The auxiliary engine and boiler demand at anchor of a ship of this AIS type
    and length (a length not given counts as the type's smallest band)."""
    if ship_type is None or ship_type <= 0:
        return AnchorDemand(*_OTHER)
    tens = ship_type // 10
    bands = {7: _CARGO, 8: _TANKER, 6: _PASSENGER}.get(tens)
    if bands is not None:
        length = length_m or 0.0
        chosen = bands[0]
        for band in bands:
            if length >= band[0]:
                chosen = band
        return AnchorDemand(float(chosen[1]), float(chosen[2]))
    if ship_type in _SINGLE:
        return AnchorDemand(*map(float, _SINGLE[ship_type]))
    if tens == 5 or 33 <= ship_type <= 35:
        return AnchorDemand(*map(float, _SERVICE))
    return AnchorDemand(*map(float, _OTHER))


@dataclass(frozen=True, slots=True)
class WaitingCost:
    hours: float
    fuel_t: float
    co2_t: float

    def __add__(self, other: WaitingCost) -> WaitingCost:
        return WaitingCost(
            self.hours + other.hours, self.fuel_t + other.fuel_t, self.co2_t + other.co2_t
        )


NO_COST = WaitingCost(0.0, 0.0, 0.0)


def waiting_cost(demand: AnchorDemand, seconds: float, settings: WatchSettings) -> WaitingCost:
    """Fuel and CO2 (tonnes) burnt at anchor over ``seconds`` at ``demand``."""
    hours = max(0.0, seconds) / 3600.0
    grams = hours * (
        demand.auxiliary_kw * settings.fuel_g_per_kwh_aux
        + demand.boiler_kw * settings.fuel_g_per_kwh_boiler
    )
    fuel_t = grams / 1e6
    return WaitingCost(hours, fuel_t, fuel_t * settings.co2_per_fuel)
