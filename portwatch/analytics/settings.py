"""The operator's-watch thresholds, with the defaults an operator starts from.

Every duration is data-clock seconds; distances are metres and speeds knots, as
their names say. A port file may override some per zone (``cpa_limit_nm``,
``speed_limit_kn``, ``depth_m``, ``max_wait_h``); these are the fall-backs.
"""

from __future__ import annotations

from dataclasses import dataclass

METRES_PER_NM = 1852.0


@dataclass(frozen=True, slots=True)
class WatchSettings:
    """Thresholds of the at-anchor, congestion, drag, close-quarters and conduct rules."""

    pass_every_s: float = 10.0
    """The analytics look at the picture this often (data time): one class A report
    interval under way, so nothing moving is missed between two passes."""
    watch_margin_m: float = 20_000.0
    """The watch follows a vessel from this far outside the port's features (zones,
    pilot boarding places, routes) on, and then until it leaves the live picture: by
    the time it reaches them it has been placed and its speed remembered as if it had
    been watched all along (at 35 kn this is over fifty passes), while a national
    feed's traffic along the rest of the coast costs the passes nothing. ``inf``:
    every vessel, however far (a port without an approach zone is watched
    everywhere anyway)."""

    anchored_status_max_kn: float = 3.0
    """Navigational status 1 (at anchor) is believed below this speed (M.1371's own
    threshold for the 3-minute at-anchor reporting rate)."""
    dwell_max_kn: float = 0.5
    """Without the status, a ship this slow..."""
    dwell_s: float = 600.0
    """...for this long, outside every berth and off the quays, is at anchor (crews
    forget to set the status)."""
    alongside_land_m: float = 60.0
    """A stopped ship this close to the coastline lies at a quay, not at anchor."""
    weigh_kn: float = 3.0
    """An anchored ship this fast has weighed anchor, whatever its status says."""
    weigh_status_kn: float = 1.0
    """...or this fast on consecutive reports with a status other than at anchor."""
    default_depth_m: float = 20.0
    """Water depth for the swing circle where the anchorage gives none."""
    position_margin_m: float = 30.0
    """GNSS noise added to a swing circle before a fix counts as outside it."""
    drag_reports: int = 2
    """Consecutive reports outside the swing circle that make a drag (one bad fix never)."""
    drag_max_kn: float = 3.0
    """A ship outside its circle faster than this is under way, not dragging."""
    reanchor_s: float = 600.0
    """A dragging ship that holds a new position this long is anchored there again."""

    busy_share: float = 0.75
    congested_share: float = 0.90
    """Anchorage levels by vessels at anchor against capacity..."""
    level_hysteresis_share: float = 0.10
    """...entered at the share, left only below it by this share of capacity (at
    least one vessel), so that one ship coming and going does not flicker the level."""
    occupancy_window_s: float = 86_400.0
    """Arrivals and departures are counted over this window."""

    cpa_limit_m: float = 0.25 * METRES_PER_NM
    """Close quarters below this closest point of approach (a zone's ``cpa_limit_nm``
    overrides it for vessels inside that zone)."""
    cpa_lookahead_s: float = 720.0
    """...within this time to the closest point of approach."""
    cpa_moving_kn: float = 1.0
    """A pair needs at least one vessel this fast to be an encounter; one slower than
    this (or at anchor, or moored) lies still."""
    still_limit_m: float = 0.1 * METRES_PER_NM
    """Passing a vessel that lies still is close quarters only within this (or within
    the still vessel's length, when longer: its hull may lie anywhere round its
    antenna)..."""
    keep_clear_lookahead_s: float = 360.0
    """...and within this time. Where one vessel alone keeps clear, passing one that
    lies still or overtaking one (COLREG rule 13), it decides how it passes and does
    so late: anchorages are crossed at short range, and a ship closing slowly from
    astern on one that has slowed for its pilot usually slows too."""
    fairway_passing_share: float = 1.0 / 3.0
    """Two vessels meeting or overtaking along a fairway pass closer than the open-water
    limit: there it is at most this share of the fairway's width (ships keeping to
    their own side of a two-way channel pass about half its width apart)..."""
    along_fairway_deg: float = 30.0
    """...when their courses lie within this of each other or of reciprocal (a vessel
    crossing the fairway keeps the full limit)."""
    cpa_clear_factor: float = 1.2
    """An open encounter carries on while its CPA stays under the limit times this."""
    cpa_urgent_s: float = 120.0
    """A new encounter is raised when a later report of each vessel that moves says so
    again (one report with a wild course or speed never raises it), or at once when
    its TCPA is under this."""
    cpa_clear_after_s: float = 90.0
    """An encounter that has not passed clears this long after it was last close: long
    enough that a ship following a bend, whose straight-line CPA swings out and back,
    keeps one alert instead of raising, clearing and raising it (one that has passed,
    TCPA below 0, clears after ``clear_after_s``)."""
    cpa_noise_m: float = 30.0
    """An open encounter is raised again only when its CPA is halved and at least this
    much smaller (a 20 m CPA "halving" to 10 m is GNSS noise, not news)."""
    alongside_m: float = 150.0
    """A pilot boat or tug whose CPA with a ship is under this means to come alongside."""
    working_together_m: float = 500.0
    """...and one already this close is working with it: neither raises close quarters..."""
    working_memory_s: float = 600.0
    """...nor do they for this long after they were last that close (an escorting tug
    drops back and closes in again; a pilot boat stands off while the pilot climbs)."""
    same_vessel_m: float = 50.0
    """Two MMSIs this close, on the same course and speed, are one vessel (a copy, or
    two tugs running together)."""
    max_fix_age_s: float = 120.0
    """A moving vessel's last fix older than this is not extrapolated into an encounter..."""
    max_slow_fix_age_s: float = 200.0
    """...or older than this under ``anchored_status_max_kn`` (ships at anchor and slow
    class B report every 3 minutes). An open encounter with a vessel that has only gone
    quiet is held, not cleared, until it reports again or is lost."""

    speeding_after_s: float = 60.0
    """Over a fairway's limit for longer than this raises speeding..."""
    speeding_margin_kn: float = 0.5
    """...by more than this (SOG is noisy), and it clears under the limit."""

    clear_after_s: float = 30.0
    """A situation must have ended for this long before its alert clears."""
    worse_factor: float = 2.0
    """An acknowledged alert is raised again when its figure gets this much worse
    (CPA halved, drift or excess speed doubled)."""

    fuel_g_per_kwh_aux: float = 217.0
    fuel_g_per_kwh_boiler: float = 300.0
    co2_per_fuel: float = 3.206
    """Specific fuel consumption of auxiliary engines and boilers, and tonnes of CO2 per
    tonne of marine gas oil (the fuel of ships waiting in an emission control area)."""
