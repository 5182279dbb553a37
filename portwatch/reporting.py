"""Nominal AIS reporting intervals, and from them when a silent target is lost.

ITU-R M.1371-5 Table 1 (class A), §4.3 of Annex 7 (class B CS), and the
fixed-rate stations. IEC 62388 declares a target lost after a number of missed
reports; ``FleetSettings`` holds that number and a shore-reception scale, and
``Fleet`` applies them.
"""

from __future__ import annotations

from portwatch import vessel_kinds as kinds

AT_ANCHOR, MOORED = 1, 5
STATIC_INTERVAL_S = 360.0
"""Static and voyage data (type 5, type 24): every 6 minutes."""


def nominal_interval_s(kind: str, sog_kn: float | None, nav_status: int | None) -> float:
    """How often a station of ``kind`` moving at ``sog_kn`` reports its position."""
    if kind == kinds.CLASS_A:
        if nav_status in (AT_ANCHOR, MOORED) and (sog_kn is None or sog_kn <= 3.0):
            return 180.0
        if sog_kn is None or sog_kn <= 14.0:
            return 10.0
        if sog_kn <= 23.0:
            return 6.0
        return 2.0
    if kind == kinds.CLASS_B:
        return 180.0 if sog_kn is None or sog_kn <= 2.0 else 30.0
    if kind in (kinds.BASE_STATION, kinds.SAR_AIRCRAFT):
        return 10.0
    if kind == kinds.AID_TO_NAVIGATION:
        return 180.0
    if kind in kinds.DISTRESS_KINDS:
        return 60.0  # a SART sends a burst of eight reports once a minute
    return STATIC_INTERVAL_S
