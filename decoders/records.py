"""Typed records produced by the decoder, one class per kind of AIS report.

Field meanings follow ITU-R M.1371-5 (message tables cited per class) as
explained in the AIVDM/AIVDO protocol description (gpsd). Every "not available"
value of the standard is ``None`` here, never the sentinel number. Units are in
field names: degrees, knots, metres, Unix seconds (UTC).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(slots=True)
class AisRecord:
    """Fields every decoded AIS message carries."""

    msg_type: int
    """AIS message number (1-27)."""
    mmsi: int
    """Maritime Mobile Service Identity of the sender (30 bits, "user ID")."""
    time_s: float | None
    """Data time in Unix seconds UTC: tag block ``c:``, line prefix, ``$PGHP`` or
    trailing epoch; ``None`` when the line carries no time."""
    source: str
    """Name of the input the line came from (file name, source URL, ``-``)."""
    station: str | None
    """Receiving station named by the line (tag block ``s:`` or USCG ``r`` field)."""
    own_ship: bool
    """True for ``VDO`` sentences: the receiver's own vessel."""
    raw: tuple[str, ...] | None
    """The NMEA sentences the message was assembled from, when asked for."""


@dataclass(slots=True)
class PositionReport(AisRecord):
    """Position report: class A (types 1, 2, 3), class B (18, 19), long range (27).

    M.1371-5 Table 46 (1-3), Table 70 (18), Table 71 (19), Table 83 (27).
    """

    lat: float | None
    """Latitude, degrees north (91 = not available becomes None)."""
    lon: float | None
    """Longitude, degrees east (181 = not available becomes None)."""
    sog_kn: float | None
    """Speed over ground, knots (102.3 = not available becomes None)."""
    cog_deg: float | None
    """Course over ground, degrees true (360 = not available becomes None)."""
    heading_deg: int | None
    """True heading, degrees (511 = not available becomes None)."""
    nav_status: int | None
    """Navigational status 0-14 (15 = not defined becomes None); None for class B."""
    rot_deg_min: float | None
    """Rate of turn, degrees per minute, positive to starboard. None when not
    available (-128) or when only "turning faster than 5 deg/30 s" is known (+-127)."""
    accuracy: bool
    """Position accuracy flag: True = high (< 10 m, DGNSS)."""
    second: int | None
    """UTC second of the fix (60-63 = not available / special become None)."""
    raim: bool
    """RAIM in use."""


@dataclass(slots=True)
class StaticReport(AisRecord):
    """Static and voyage data: type 5, type 19's static half, type 24 parts A and B.

    M.1371-5 Table 48 (5), Table 71 (19), Table 76 (24). ``part`` is "A" or "B"
    for type 24 and None otherwise; fields a message does not carry are None
    (the default).
    """

    part: str | None = None
    name: str | None = None
    callsign: str | None = None
    imo: int | None = None
    ship_type: int | None = None
    """Type of ship and cargo, 1-99 (0 = not available becomes None)."""
    to_bow_m: int | None = None
    to_stern_m: int | None = None
    to_port_m: int | None = None
    to_starboard_m: int | None = None
    draught_m: float | None = None
    destination: str | None = None
    eta_reported_s: float | None = None
    """The ETA the ship reports (type 5 month, day, hour, minute), resolved to a
    full UTC time (Unix seconds) against the message's data time."""
    eta_month: int | None = None
    eta_day: int | None = None
    eta_hour: int | None = None
    eta_minute: int | None = None
    mothership_mmsi: int | None = None
    """Type 24 part B of an auxiliary craft (MMSI 98xxxxxxx): its mother ship."""


@dataclass(slots=True)
class BaseStationReport(AisRecord):
    """Base station report (4) and UTC/date response (11), M.1371-5 Table 49."""

    lat: float | None
    lon: float | None
    accuracy: bool
    reported_time_s: float | None
    """The UTC date and time the station transmits, None when not available."""
    epfd: int | None


@dataclass(slots=True)
class AidToNavigationReport(AisRecord):
    """Aid-to-navigation report (21), M.1371-5 Table 81."""

    aid_type: int | None
    name: str | None
    lat: float | None
    lon: float | None
    accuracy: bool
    to_bow_m: int | None
    to_stern_m: int | None
    to_port_m: int | None
    to_starboard_m: int | None
    off_position: bool
    virtual_aid: bool


@dataclass(slots=True)
class SarAircraftReport(AisRecord):
    """Standard SAR aircraft position report (9), M.1371-5 Table 54."""

    altitude_m: int | None
    """Altitude, metres (4095 = not available becomes None; 4094 = 4094 m or higher)."""
    sog_kn: float | None
    """Speed over ground, knots (1023 = not available becomes None)."""
    lat: float | None
    lon: float | None
    cog_deg: float | None
    accuracy: bool
    second: int | None


@dataclass(slots=True)
class SafetyMessage(AisRecord):
    """Safety-related text: addressed (12) or broadcast (14), M.1371-5 Tables 62, 66."""

    dest_mmsi: int | None
    text: str


@dataclass(slots=True)
class OtherMessage(AisRecord):
    """Any other message type, carrying pyais's decoded fields as they are."""

    fields: dict[str, Any]


Record = (
    PositionReport
    | StaticReport
    | BaseStationReport
    | AidToNavigationReport
    | SarAircraftReport
    | SafetyMessage
    | OtherMessage
)
