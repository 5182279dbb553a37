"""Words for AIS codes, for tables and tooltips: navigational status (ITU-R M.1371
Table 45), type of ship (Table 53), and the kinds of station."""

from __future__ import annotations

from portwatch.vessel_kinds import (
    AID_TO_NAVIGATION,
    BASE_STATION,
    CLASS_A,
    CLASS_B,
    EPIRB,
    MAN_OVERBOARD,
    SAR_AIRCRAFT,
    SART,
)

NAV_STATUS = {
    0: "under way", 1: "at anchor", 2: "not under command", 3: "restricted manoeuvrability",
    4: "constrained by draught", 5: "moored", 6: "aground", 7: "fishing", 8: "sailing",
    14: "AIS-SART active",
}  # fmt: skip
KIND = {
    CLASS_A: "class A", CLASS_B: "class B", BASE_STATION: "base station",
    AID_TO_NAVIGATION: "aid to navigation", SAR_AIRCRAFT: "SAR aircraft", SART: "AIS-SART",
    MAN_OVERBOARD: "man overboard", EPIRB: "EPIRB-AIS",
}  # fmt: skip
_SPECIAL = {
    30: "fishing", 31: "towing", 32: "towing, long", 33: "dredging", 34: "diving",
    35: "military", 36: "sailing", 37: "pleasure craft", 50: "pilot vessel",
    51: "search and rescue", 52: "tug", 53: "port tender", 54: "anti-pollution",
    55: "law enforcement",
    58: "medical transport", 59: "noncombatant",
}  # fmt: skip
_GROUPS = {2: "wing in ground", 4: "high-speed craft", 6: "passenger", 7: "cargo", 8: "tanker",
           9: "other"}  # fmt: skip


def ship_type_name(ship_type: int | None) -> str:
    """``70`` → ``cargo``; ``52`` → ``tug``; unknown or 0 → ``""``."""
    if not ship_type:
        return ""
    if ship_type in _SPECIAL:
        return _SPECIAL[ship_type]
    return _GROUPS.get(ship_type // 10, f"type {ship_type}")


def nav_status_name(status: int | None) -> str:
    return "" if status is None else NAV_STATUS.get(status, f"status {status}")
