"""What kind of AIS station a sender is, from its MMSI and the messages it sends.

ITU-R M.585 assigns MMSI ranges: 00MIDxxxx coast (base) stations, 111MIDxxx SAR
aircraft, 970xxyyyy AIS-SART, 972xxyyyy man-overboard devices, 974xxyyyy
EPIRB-AIS, 99MIDxxxx aids to navigation. The message type settles the rest
(types 1-3 and 5 come from class A, 18, 19 and 24 from class B).
"""

from __future__ import annotations

CLASS_A = "class_a"
CLASS_B = "class_b"
BASE_STATION = "base_station"
AID_TO_NAVIGATION = "aid_to_navigation"
SAR_AIRCRAFT = "sar_aircraft"
SART = "sart"
MAN_OVERBOARD = "man_overboard"
EPIRB = "epirb"
UNKNOWN = "unknown"
"""Heard, but only through messages that do not say what sends them (e.g. type 11)."""

ALL_KINDS = (
    CLASS_A,
    CLASS_B,
    BASE_STATION,
    AID_TO_NAVIGATION,
    SAR_AIRCRAFT,
    SART,
    MAN_OVERBOARD,
    EPIRB,
    UNKNOWN,
)
DISTRESS_KINDS = frozenset({SART, MAN_OVERBOARD, EPIRB})
"""Survival-craft and person-in-water transmitters: always worth an operator's eye."""

_KIND_BY_MESSAGE_TYPE = {
    1: CLASS_A,
    2: CLASS_A,
    3: CLASS_A,
    5: CLASS_A,
    27: CLASS_A,
    18: CLASS_B,
    19: CLASS_B,
    24: CLASS_B,
    4: BASE_STATION,
    9: SAR_AIRCRAFT,
    21: AID_TO_NAVIGATION,
}


def kind_from_mmsi(mmsi: int) -> str | None:
    """The kind an MMSI's range fixes by itself (distress beacons), else None."""
    leading = mmsi // 1_000_000
    if leading == 970:
        return SART
    if leading == 972:
        return MAN_OVERBOARD
    if leading == 974:
        return EPIRB
    return None


def kind_from_message(mmsi: int, msg_type: int, current: str) -> str:
    """The kind after a message of ``msg_type``: distress ranges win, then what
    the message says, then what was known."""
    by_range = kind_from_mmsi(mmsi)
    if by_range is not None:
        return by_range
    by_message = _KIND_BY_MESSAGE_TYPE.get(msg_type)
    if by_message is None:
        return current
    if current == CLASS_A and by_message == CLASS_B:
        return CLASS_A  # type 24 is also sent by some class A units (and 19 by none): keep A
    return by_message
