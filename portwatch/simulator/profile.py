"""How busy the simulated port is: the size of each fleet and the rates of calls.

The default is an ordinary weekday in San Pedro Bay: 150-300 AIS stations in
range at once, about 40 % of them recreational and fishing craft (class B),
about 20 % tugs, pilot boats, port tenders and ferries, the rest cargo, tanker
and passenger ships; 15-30 ships at anchor; about a dozen arrivals a day (over
4,500 calls a year).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TrafficProfile:
    """Fleet sizes and rates; ``quiet()`` is a small port for quick runs."""

    arrivals_per_day: float = 13.0
    passing_per_hour: float = 1.0
    """Coastwise ships passing through the approach without calling."""
    berth_fill: float = 1.0
    """Share of the quays' length taken by ships at the start (as far as they fit)."""
    at_anchor: int = 24
    """Ships already at anchor at the start, waiting for a berth."""
    under_way: int = 3
    """Ships already on their way in from sea at the start."""
    tugs_per_station: int = 14
    pilot_boats_per_station: int = 4
    port_tenders: int = 6
    """Port police, fire and survey boats, patrolling the channels now and then."""
    ferries: int = 4
    """High-speed island ferries (the Catalina runs), shuttling from their terminals."""
    pleasure_sailing: int = 55
    """Class B pleasure and fishing craft out in the bay."""
    pleasure_moored: int = 30
    """Class B craft lying in the marinas with their transponders on."""
    slow_zone_m: float = 0.0
    """Inbound ships slow to ``slow_zone_kn`` this far from their pilot boarding place,
    as in a vessel speed reduction zone (San Pedro Bay's voluntary 12 kn within 20 to
    40 NM of Point Fermin); 0: no zone."""
    slow_zone_kn: float = 12.0
    slow_zone_compliance: float = 0.85
    """Share of ships that keep to the zone's speed."""
    approach_variation: bool = False
    """Each inbound ship brakes for its pilot at its own rate (0.6-1.4 kn a minute) to
    its own speed (5-8 kn), and enters a speed zone up to 3 km early or late."""
    stay_scale: float = 1.0
    """Multiplies the hours ships stay alongside (their kind's range)."""
    ships_status_unset: float = 0.75
    """Share of ships whose crews leave "under way" on at anchor and alongside."""
    craft_status_unset: float = 0.95
    """The same for tugs, pilot boats, tenders and ferries (real harbours: most)."""
    report_every_scale: float = 1.0
    """Every reporting interval (positions, static data, base stations, aids) times
    this: 1 is the ITU-R M.1371 rates; above 1 each station is heard that much less
    often, for many hours of traffic in few lines (the benchmarks' stress case of a
    feed in which every target goes lost between two of its reports)."""
    wide_ships: int = 0
    """A wide-area (national) feed: class A stations elsewhere on the coast, on
    passage, fishing, high-speed, alongside and at anchor in other harbours
    (``simulator/wide_area.py``); 0: the port's own traffic only."""
    wide_craft: int = 0
    """Class B craft along the coast, under way or in marinas."""
    wide_base_stations: int = 0
    """The network's base stations (type 4 every 10 s each)."""
    wide_aids: int = 0
    """Its aids to navigation, real and virtual (type 21 every 3 min each)."""
    wide_area_radius_m: float = 300_000.0
    """How far from the port the wide area reaches, on the sea side."""
    wide_fringe_share: float = 0.2
    """Share of the wide area's vessels under way that sail at the edge of coverage,
    heard for 5-30 min and silent for 2.5-15 min by turns (lost and found)."""
    wide_status_unset: float = 0.3
    """Share of the wide area's class A crews who leave "under way" on alongside
    and at anchor (and so report every 10 s instead of every 3 min)."""

    @classmethod
    def quiet(cls) -> TrafficProfile:
        """A small port: a ship an hour, few craft, nobody at anchor at the start;
        ships stay hours, not days, so the quays turn over within a day."""
        return cls(
            arrivals_per_day=24.0,
            berth_fill=0.9,
            at_anchor=0,
            under_way=0,
            tugs_per_station=2,
            pilot_boats_per_station=2,
            port_tenders=0,
            ferries=0,
            pleasure_sailing=10,
            pleasure_moored=0,
            stay_scale=0.12,
            ships_status_unset=0.0,
            craft_status_unset=0.0,
        )

    @classmethod
    def national(cls, scale: float = 1.0) -> TrafficProfile:
        """A national authority's wide-area feed around the port: about 3,000
        stations at once (1,400 class A, 1,000 class B, 40 base stations, 250 aids
        besides the port's own 200), some 150 messages a second at the ITU rates,
        as a Nordic country's coastal network hears on an ordinary day. ``scale``
        multiplies the wide area's stations of every kind (a bigger country's
        network, or a busier day: 8.25 makes about 20,000 vessels); the port's own
        traffic stays as it is."""
        return cls(
            wide_ships=round(1400 * scale),
            wide_craft=round(1000 * scale),
            wide_base_stations=round(40 * scale),
            wide_aids=round(250 * scale),
        )
