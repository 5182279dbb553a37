"""Traffic for a port file: ships arrive along the routes, slow for the pilot at the
pilot boarding place, where a pilot boat meets them, berth with two tugs when their
quay has room or wait at anchor, stay alongside for days and sail; ferries shuttle,
port tenders patrol, pleasure craft sail the bay or lie in the marinas; base
stations and aids to navigation tick; injected scenarios add the situations an
operator trains for. How many of each is the ``TrafficProfile``.

Everything runs on one heap of events in simulated time, drawn from seeded
``random.Random``s, so the same seed gives the same traffic. The port is filled in
place at the start (ships alongside, at anchor, under way; craft at their bases)
and runs ``warm_up_s`` before the first line it writes.
"""

from __future__ import annotations

import heapq
import itertools
import math
import random
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import replace

import shapely

from portwatch.port.port_file import Port, PortFeature
from portwatch.simulator.agents import AT_ANCHOR, MOORED, Agent
from portwatch.simulator.harbour_craft import (
    call_tug,
    maybe_call_pilot,
    move_harbour_craft,
    place_harbour_craft,
)
from portwatch.simulator.injection import inject, lead_s, start_dragging
from portwatch.simulator.layout import PortLayout
from portwatch.simulator.motion import KNOT_MPS, Leg, Mover
from portwatch.simulator.profile import TrafficProfile
from portwatch.simulator.quays import Quay
from portwatch.simulator.reports import ReportEncoder
from portwatch.simulator.scenarios import (
    DROPOUT_S,
    GARBLE_SHARE,
    GARBLE_WINDOW_S,
    Injected,
    Scenario,
    garble,
)
from portwatch.simulator.ships import ELSEWHERE, MERCHANT_KINDS, Ship, merchant_ship, stay_s
from portwatch.simulator.small_craft import leave_small_craft_stay, place_small_craft
from portwatch.simulator.start import fill_port
from portwatch.simulator.wide_area import MOVING_PHASES, WideArea, place_wide_area

STATIC_EVERY_S = 360.0
BASE_STATION_EVERY_S = 10.0
AID_EVERY_S = 180.0
ANCHOR_CHECK_EVERY_S = 900.0
SWING_M = 350.0
"""Room a ship at anchor keeps from the next one."""
FOREVER = math.inf


def random_seed() -> int:
    """A seed for a run nobody gave one: different each time, and said, so that
    the run can be made again."""
    return random.SystemRandom().randrange(2**31)


class TrafficSimulator:
    """Seeded traffic for ``port``; ``lines`` gives NMEA lines with tag-block times.

    After (or while) the lines are drawn, ``counts`` says what happened in the
    output's time span (arrivals, anchorings, pilot boardings, tug escorts,
    departures), ``vessels`` which vessels were heard by kind, and ``injected``
    which scenario situations were put in.
    """

    def __init__(
        self,
        port: Port,
        seed: int | None = None,
        start_s: float = 1_710_201_600.0,
        profile: TrafficProfile | None = None,
        warm_up_s: float = 3600.0,
        scenarios: Sequence[Scenario] = (),
        arrivals_per_hour: float | None = None,
        passing_per_hour: float | None = None,
        pleasure_craft: int | None = None,
    ) -> None:
        """``arrivals_per_hour``, ``passing_per_hour`` and ``pleasure_craft`` (craft
        out sailing), when given, override the profile's."""
        self.seed = random_seed() if seed is None else seed
        """The seed of this run (drawn at random when none was given)."""
        self.port = port
        profile = profile or TrafficProfile()
        overrides: dict[str, float] = {}
        if arrivals_per_hour is not None:
            overrides["arrivals_per_day"] = arrivals_per_hour * 24.0
        if passing_per_hour is not None:
            overrides["passing_per_hour"] = passing_per_hour
        if pleasure_craft is not None:
            overrides["pleasure_sailing"] = pleasure_craft
        self.profile = replace(profile, **overrides)
        self.rng = random.Random(self.seed)
        self.scenario_rng = random.Random(self.seed * 7919 + 17)
        """Scenarios draw from their own stream, so adding one leaves the rest alike."""
        self.start_s = start_s
        self.arrivals_per_hour = self.profile.arrivals_per_day / 24.0
        self.report_every_scale = self.profile.report_every_scale
        self.passing_per_hour = self.profile.passing_per_hour
        self.warm_up_s = warm_up_s
        self.scenarios = list(scenarios)
        self.encoder = ReportEncoder(port.plane)
        self.layout = PortLayout(port)
        self.counts: Counter[str] = Counter()
        self.vessels: dict[int, str] = {}
        """MMSI → kind of every vessel, station and aid heard in the output."""
        self.injected: list[Injected] = []
        self.not_reached: list[Scenario] = []
        """Scenarios asked for at or after the end of the output."""
        self.garbled = 0
        """Lines deliberately garbled (scenario ``garbled``)."""
        self.agents: list[Agent] = []
        self.harbour_craft: dict[tuple[str, str], list[Agent]] = {}
        """(kind, pilot station) → its pilot boats or tugs."""
        self.quays: dict[str, Quay] = {
            berth.name: Quay(berth)
            for routes in self.layout.berth_routes.values()
            for berth, _ in routes
        }
        """Per berth with a route, the stretches of its quay that ships take."""
        self.anchor_spots: dict[str, list[tuple[float, float]]] = {
            a.name: [] for a in port.of_kind("anchorage")
        }
        """Per anchorage, where the ships lying or bound there have their anchors."""
        self._closed_until: dict[str, float] = {}
        self._events: list[tuple[float, int, str, int]] = []
        self._sequence = itertools.count()
        self.first_mmsi = 366_100_000 + self.rng.randrange(0, 800_000, 1000)
        """The first of the MMSIs the port's ships get in turn (``next_mmsi``)."""
        self._next_mmsi = itertools.count(self.first_mmsi)
        self.scenario_mmsis = itertools.count(367_900_001)
        self._output_from_s = start_s
        self._dropouts: list[tuple[float, float]] = []
        self._garble_windows: list[tuple[float, float]] = []
        self.wide_area: WideArea | None = None
        """The traffic of a wide-area feed around the port (``TrafficProfile.wide_*``)."""

    def next_mmsi(self) -> int:
        return next(self._next_mmsi)

    def present(self) -> Counter[str]:
        """Vessels in range now, by kind (not stations or aids; not those gone or away)."""
        return Counter(
            a.ship.kind
            for a in self.agents
            if not a.gone and not a.away and a.phase not in ("base", "aid", "virtual")
        )

    def at_anchor(self) -> int:
        """Ships lying at anchor now."""
        return sum(1 for a in self.agents if not a.gone and a.phase in ("anchored", "dragging"))

    @property
    def arrivals(self) -> int:
        return self.counts["arrivals"]

    @property
    def anchorings(self) -> int:
        return self.counts["anchorings"]

    def lines(self, duration_s: float) -> Iterator[str]:
        """Every line from ``start_s`` for ``duration_s`` seconds, in time order."""
        for _, line in self.timed_lines(duration_s):
            yield line

    def timed_lines(self, duration_s: float = FOREVER) -> Iterator[tuple[float, str]]:
        """``lines`` with the data time of each, for pacing a live feed; without a
        duration, for ever."""
        clock = self.start_s - self.warm_up_s
        end_s = self.start_s + duration_s
        if self.arrivals_per_hour > 0 and self.layout.lanes:
            self._schedule(clock, "arrival", -1)
        if self.passing_per_hour > 0 and self.layout.passages:
            self._schedule(clock, "passing", -1)
        self._place_stations(clock)
        place_harbour_craft(self, clock)
        fill_port(self, clock)
        place_small_craft(self, clock)
        self.wide_area = place_wide_area(self, clock)
        self.not_reached = [s for s in self.scenarios if self.start_s + s.at_s >= end_s]
        for index, scenario in enumerate(self.scenarios):
            if self.start_s + scenario.at_s < end_s:
                ready_s = self.start_s + scenario.at_s - lead_s(self, scenario)
                self._schedule(max(clock, ready_s), "scenario", index)
        while self._events:
            time_s, _, kind, index = heapq.heappop(self._events)
            if time_s > end_s:
                return
            agent, lines = self._handle(time_s, kind, index)
            if not lines or (self._dropouts and self._in(self._dropouts, time_s)):
                continue
            if agent is not None:
                self.vessels[agent.ship.mmsi] = agent.ship.kind
            for line in lines:
                if (
                    self._garble_windows
                    and len(lines) == 1
                    and self._in(self._garble_windows, time_s)
                    and self.scenario_rng.random() < GARBLE_SHARE
                ):
                    line = garble(line, self.scenario_rng)
                    self.garbled += 1
                yield time_s, line

    def _handle(self, time_s: float, kind: str, index: int) -> tuple[Agent | None, list[str]]:
        if kind == "arrival":
            self._spawn_arrival(time_s)
            # Liner calls are scheduled: gaps vary less than a Poisson stream's would.
            gap_s = 3600.0 / self.arrivals_per_hour * self.rng.gammavariate(4.0, 0.25)
            self._schedule(time_s + gap_s, "arrival", -1)
            return None, []
        if kind == "passing":
            self._spawn_passing(time_s)
            gap_s = self.rng.expovariate(self.passing_per_hour / 3600.0)
            self._schedule(time_s + gap_s, "passing", -1)
            return None, []
        if kind == "scenario":
            inject(self, self.scenarios[index], time_s)
            return None, []
        agent = self.agents[index]
        if agent.gone:
            return agent, []
        quiet = time_s < self.start_s  # warming up: move and schedule, encode nothing
        if kind == "base":
            self._schedule(time_s + BASE_STATION_EVERY_S * self.report_every_scale, "base", index)
            return agent, [] if quiet else self.encoder.base_station(agent, time_s)
        if kind == "aid":
            self._schedule(time_s + AID_EVERY_S * self.report_every_scale, "aid", index)
            virtual = agent.phase == "virtual"
            return agent, [] if quiet else self.encoder.aid_to_navigation(agent, time_s, virtual)
        if kind == "position" and time_s != agent.next_report_s:
            return agent, []  # superseded by an earlier report (the vessel got going)
        self.move(agent, time_s)
        if agent.gone:
            return agent, []
        if agent.fade_at_s is not None and time_s >= agent.fade_at_s:
            assert self.wide_area is not None
            self.wide_area.fade(agent, time_s)
        quiet = quiet or agent.out_of_range  # sailing on, unheard
        if kind == "static":
            self._schedule(time_s + STATIC_EVERY_S * self.report_every_scale, "static", index)
            return agent, [] if quiet or agent.away else self.encoder.static(agent, time_s)
        if agent.away:  # out of range: next heard when it comes back
            self.report_at(agent, max(agent.until_s, time_s + 60.0))
            return agent, []
        self.report_at(agent, time_s + self._interval_s(agent) * self.report_every_scale)
        return agent, [] if quiet else self.encoder.position(agent, time_s)

    def add(self, agent: Agent, time_s: float, kind: str = "position") -> None:
        """Put ``agent`` into the simulation from ``time_s``, reporting ``kind`` reports
        (positions also send static data at the real interval)."""
        agent.time_s = time_s
        agent.index = len(self.agents)
        if agent.rng is None and not agent.ship.class_b:  # scenario ships set theirs
            unset = (
                self.profile.ships_status_unset
                if agent.ship.kind in MERCHANT_KINDS
                else self.profile.craft_status_unset
            )
            agent.sets_status = self.rng.random() >= unset
        self.agents.append(agent)
        if kind != "position":
            self._schedule(time_s, kind, agent.index)
        else:
            self.report_at(agent, time_s)
            static_every_s = STATIC_EVERY_S * self.report_every_scale
            first_static_s = time_s + self.rng_of(agent).uniform(5, static_every_s)
            self._schedule(first_static_s, "static", agent.index)

    def rng_of(self, agent: Agent) -> random.Random:
        """The random stream ``agent``'s choices draw from."""
        return agent.rng or self.rng

    def report_at(self, agent: Agent, time_s: float) -> None:
        """``agent``'s next position report is at ``time_s`` (earlier ones are dropped)."""
        agent.next_report_s = time_s
        self._schedule(time_s, "position", agent.index)

    def _schedule(self, time_s: float, kind: str, index: int) -> None:
        heapq.heappush(self._events, (time_s, next(self._sequence), kind, index))

    def count(self, what: str, time_s: float) -> None:
        if time_s >= self.start_s:
            self.counts[what] += 1

    def withhold(self, from_s: float, duration_s: float = DROPOUT_S) -> None:
        """No lines from ``from_s`` for ``duration_s``: the receiver has dropped out."""
        self._dropouts.append((from_s, from_s + duration_s))

    def garble_from(self, from_s: float, duration_s: float = GARBLE_WINDOW_S) -> None:
        self._garble_windows.append((from_s, from_s + duration_s))

    @staticmethod
    def _in(windows: list[tuple[float, float]], time_s: float) -> bool:
        return any(start <= time_s < end for start, end in windows)

    def _spawn_arrival(self, time_s: float) -> None:
        route, station = self.rng.choice(self.layout.lanes)
        ship = merchant_ship(self.rng, self.next_mmsi())
        self.send_in(ship, route, station, time_s, self.rng)

    def send_in(
        self,
        ship: Ship,
        route: PortFeature,
        station: PortFeature,
        time_s: float,
        rng: random.Random,
    ) -> Agent:
        """``ship`` comes in from sea along ``route`` to ``station``, reporting an ETA
        there that is right, hours off or stale, as crews' ETAs are."""
        points = list(route.local.coords)
        agent = Agent(ship, "inbound", *points[0], station=station, lane=points, rng=rng)
        agent.mover = Mover(Leg(points, ship.cruise_kn, end_kn=6.0), speed_kn=ship.cruise_kn)
        self._vary_approach(agent.mover, rng)
        due_s = time_s + agent.mover.leg.length_m / (ship.cruise_kn * KNOT_MPS) + 600.0
        quality = rng.random()
        if quality < 0.5:
            agent.eta_s = due_s + rng.uniform(-1200, 1200)
        elif quality < 0.75:
            agent.eta_s = due_s + rng.choice((-1, 1)) * rng.uniform(2, 8) * 3600
        else:
            agent.eta_s = time_s - rng.uniform(1, 36) * 3600  # not updated since last port
        self.add(agent, time_s)
        return agent

    def _vary_approach(self, mover: Mover, rng: random.Random) -> None:
        """Each ship's own way in (see ``TrafficProfile.approach_variation`` and its
        speed zone); the default profile changes nothing, nor draws a number."""
        profile = self.profile
        if profile.approach_variation:
            mover.accel_kn_s = rng.uniform(0.6, 1.4) / 60.0
            mover.leg.end_kn = rng.uniform(5.0, 8.0)
        if profile.slow_zone_m > 0 and rng.random() < profile.slow_zone_compliance:
            early_m = rng.uniform(-3000.0, 3000.0) if profile.approach_variation else 0.0
            mover.slow_from_m = max(0.0, mover.leg.length_m - profile.slow_zone_m - early_m)
            mover.slow_kn = profile.slow_zone_kn

    def _spawn_passing(self, time_s: float) -> None:
        """A ship passing through the approach on its way along the coast."""
        start, end = self.rng.choice(self.layout.passages)
        ship = merchant_ship(self.rng, self.next_mmsi())
        ship = replace(ship, bound_for=self.rng.choice(ELSEWHERE))
        agent = Agent(ship, "transit", *start)
        agent.mover = Mover(Leg([start, end], ship.cruise_kn, ship.cruise_kn), ship.cruise_kn)
        agent.eta_s = time_s + self.rng.uniform(10, 60) * 3600
        self.add(agent, time_s)

    def _place_stations(self, time_s: float) -> None:
        """Base stations ashore by the pilot stations; a light on the breakwater head
        of each gate; a virtual mark on each restricted area."""
        for index, (x, y) in enumerate(self.layout.base_station_points()):
            base = Ship(3_669_900 + index, "", "", 0, 0, 0, 0, 0.0, 0.0, kind="base station")
            self.add(Agent(base, "base", x, y), time_s + index, "base")
        for index, (name, (x, y)) in enumerate(self.layout.breakwater_lights()):
            light = Ship(993_669_100 + index, name, "", 0, 0, 0, 0, 0.0, 0.0, kind="aid")
            self.add(Agent(light, "aid", x, y), time_s + 3 + index, "aid")
        for index, (name, (x, y)) in enumerate(self.layout.danger_marks()):
            mark = Ship(993_669_200 + index, name, "", 0, 0, 0, 0, 0.0, 0.0, kind="virtual aid")
            self.add(Agent(mark, "virtual", x, y), time_s + 7 + index, "aid")

    def move(self, agent: Agent, time_s: float) -> None:
        """Bring ``agent`` to ``time_s``, moving it on through as many phases as it passes."""
        if move_harbour_craft(self, agent, time_s):
            return
        self.sail(agent, time_s)
        if agent.phase in ("inbound", "to_station") and not agent.pilot_sent:
            maybe_call_pilot(self, agent, time_s)

    def sail(self, agent: Agent, time_s: float) -> None:
        """Sail ``agent`` on its legs and stays up to ``time_s``."""
        while True:
            elapsed = time_s - agent.time_s
            if agent.mover is not None:
                agent.mover.advance(elapsed)
                agent.x, agent.y, agent.course_deg = agent.mover.position()
                agent.time_s = time_s
                if not agent.mover.arrived:
                    return
                self.arrive(agent)
                if agent.gone or agent.mover is not None:
                    continue
                return
            agent.time_s = time_s
            if time_s < agent.until_s:
                return
            self._leave_stay(agent)
            if agent.mover is None:
                return

    def arrive(self, agent: Agent) -> None:
        """The end of a leg: what the vessel does next."""
        phase = agent.phase
        agent.mover = None
        time_s = agent.time_s
        rng = self.rng_of(agent)
        if phase == "cruising":
            agent.until_s = time_s + rng.uniform(0, 1800)
            agent.phase = "drifting"
        elif phase in ("inbound", "to_station"):
            if phase == "inbound":
                self.count("arrivals", time_s)
            self._to_berth_or_anchor(agent)
        elif phase == "to_anchor":
            agent.phase = "anchored"
            agent.until_s = time_s + ANCHOR_CHECK_EVERY_S
        elif phase == "dragging":
            agent.phase = "anchored"  # brought up again, further on
            agent.heading_offset_deg = 0.0
            agent.until_s = time_s + ANCHOR_CHECK_EVERY_S
        elif phase == "to_berth":
            agent.phase = "moored"
            if agent.berth is not None:  # lie along the quay, not across it
                quay = self.quays[agent.berth[0].name]
                agent.course_deg = (quay.bearing_deg + rng.choice((0.0, 180.0))) % 360.0
            agent.until_s = time_s + stay_s(rng, agent.ship, self.profile.stay_scale)
        elif phase == "to_meet":
            agent.phase = "waiting"
            agent.until_s = FOREVER
        elif phase == "returning":
            agent.phase = "at_home"
            agent.until_s = FOREVER
            if agent.ship.kind == "port tender":
                agent.until_s = time_s + rng.uniform(2, 6) * 3600
        elif phase in ("outbound", "transit"):
            agent.gone = True
        elif phase in MOVING_PHASES and self.wide_area is not None:
            self.wide_area.next_leg(agent)
        else:
            leave_small_craft_stay(self, agent, arrived=True)

    def berth_free(self, berth: PortFeature, station: PortFeature, time_s: float) -> bool:
        """Is ``berth`` open and has its quay room for an average ship?"""
        closed = self._closed_until.get(station.name, 0.0) > time_s
        quay = self.quays.get(berth.name)
        return (
            not closed and quay is not None and quay.room_for(250.0, random.Random(0)) is not None
        )

    def has_berth_for(self, agent: Agent, time_s: float) -> bool:
        """Would ``agent`` find a berth behind its pilot station now?"""
        return bool(self._berths_with_room(agent, time_s))

    def close_berths(self, station: PortFeature, until_s: float) -> None:
        """No berth behind ``station`` takes a ship until ``until_s`` (a wind or a strike)."""
        self._closed_until[station.name] = until_s

    def _to_berth_or_anchor(self, agent: Agent) -> None:
        station = agent.station
        assert station is not None
        if agent.berth is None:
            self._reserve_berth(agent)
        if agent.berth is not None:
            _, points, _ = agent.berth
            agent.phase = "to_berth"
            agent.mover = Mover(Leg(points, 8.0, end_kn=0.0), speed_kn=agent.speed_kn or 6.0)
            call_tug(self, agent)
            call_tug(self, agent)
            return
        anchorage = self.anchorage_for_ship(agent, station)
        spot = self.anchor_spot(anchorage, self.rng_of(agent))
        self.anchor_spots[anchorage.name].append(spot)
        agent.anchorage = anchorage.name
        agent.phase = "to_anchor"
        self.count("anchorings", agent.time_s)
        way = self.layout.way(station, (agent.x, agent.y), spot)
        agent.mover = Mover(Leg(way, 7.0, end_kn=0.0), speed_kn=6.0)

    def anchorage_for_ship(self, agent: Agent, station: PortFeature) -> PortFeature:
        """The nearest anchorage with a free place; a scenario's ships crowd into the
        one the layout names for their pilot station, full or not (that is the point)."""
        designated = self.layout.anchorage_for(station)
        if agent.rng is self.scenario_rng:
            return designated
        here = (agent.x, agent.y)
        free = [
            a
            for a in self.port.of_kind("anchorage")
            if len(self.anchor_spots[a.name]) < int(a.properties["capacity"])
        ]
        if not free:
            return designated

        def sailing_m(anchorage: PortFeature) -> float:
            middle = _xy(anchorage.local.representative_point())
            return shapely.LineString(self.layout.way(station, here, middle)).length

        return min(free, key=sailing_m)

    def anchor_spot(self, anchorage: PortFeature, rng: random.Random) -> tuple[float, float]:
        """A place in ``anchorage`` clear of land, away from the ships already there."""
        taken = self.anchor_spots[anchorage.name]
        inner = anchorage.local.buffer(-SWING_M / 2)
        area = anchorage.local if inner.is_empty else inner
        spot = self.layout.random_point_in(area, rng)
        for _ in range(40):
            if all(math.dist(spot, other) >= SWING_M for other in taken):
                return spot
            spot = self.layout.random_point_in(area, rng)
        return spot

    def weigh_anchor(self, agent: Agent) -> None:
        """``agent`` leaves its anchorage: its place there is free again."""
        if agent.anchorage is not None:
            spots = self.anchor_spots[agent.anchorage]
            nearest = min(spots, key=lambda p: math.dist(p, (agent.x, agent.y)), default=None)
            if nearest is not None:
                spots.remove(nearest)
            agent.anchorage = None

    def _berths_with_room(
        self, agent: Agent, time_s: float
    ) -> list[tuple[PortFeature, list[tuple[float, float]], tuple[float, float]]]:
        """(berth, way there, stretch) for each berth behind ``agent``'s pilot station
        that is open, of its sort (cruise terminals take passenger ships, and only
        them) and has room along its quay for it."""
        station = agent.station
        if station is None or self._closed_until.get(station.name, 0.0) > time_s:
            return []
        routes = self.layout.berth_routes.get(station.name, [])
        passenger = agent.ship.kind == "passenger"
        fitting = [(b, p) for b, p in routes if self.layout.takes_passengers(b) == passenger]
        rng = self.rng_of(agent)
        found = []
        for berth, points in fitting or routes:
            stretch = self.quays[berth.name].room_for(agent.ship.length_m, rng)
            if stretch is not None:
                found.append((berth, points, stretch))
        return found

    def _reserve_berth(self, agent: Agent) -> bool:
        """Take room along a quay behind ``agent``'s pilot station for it, if there is
        any: a ship weighing anchor has its berth before it sails."""
        free = self._berths_with_room(agent, agent.time_s)
        if not free:
            return False
        berth, points, stretch = self.rng_of(agent).choice(free)
        quay = self.quays[berth.name]
        quay.take(stretch)
        agent.berth = (berth, self.layout.into_berth(points, quay.spot(stretch)), stretch)
        return True

    def _leave_stay(self, agent: Agent) -> None:
        if agent.phase == "anchored":
            if agent.drag_at_s is not None and agent.time_s >= agent.drag_at_s:
                start_dragging(self, agent)
                return
            station = agent.station
            if station is not None and self._reserve_berth(agent):
                self.weigh_anchor(agent)
                here = (agent.x, agent.y)
                if self.layout.clear(here, (station.local.x, station.local.y)):
                    target = station.local  # out to the pilot, then in with the pilot
                    agent.phase = "to_station"
                    agent.mover = Mover(Leg([here, (target.x, target.y)], 8.0, end_kn=5.0), 0.0)
                    return
                # inside the breakwater: the pilot comes out to it; straight onto the channel
                assert agent.berth is not None
                _, points, _ = agent.berth
                seen = [i for i, p in enumerate(points) if self.layout.clear(here, p)]
                way = (
                    [here, *points[max(seen) :]]
                    if seen
                    else self.layout.way(station, here, points[-1])
                )
                agent.phase = "to_berth"
                agent.mover = Mover(Leg(way, 8.0, end_kn=0.0), 0.0)
                call_tug(self, agent, way)
                call_tug(self, agent, way)
            else:
                agent.until_s = agent.time_s + ANCHOR_CHECK_EVERY_S
                if agent.drag_at_s is not None:
                    agent.until_s = min(agent.until_s, agent.drag_at_s)
        elif agent.phase == "moored" and agent.berth is not None:
            berth, points, stretch = agent.berth
            self.quays[berth.name].release(stretch)
            agent.berth = None
            agent.phase = "outbound"
            self.count("departures", agent.time_s)
            path = points[::-1] + agent.lane[::-1][1:]
            agent.mover = Mover(Leg(path, agent.ship.cruise_kn, end_kn=agent.ship.cruise_kn), 0.0)
            call_tug(self, agent, points)
            call_tug(self, agent, points)
        elif agent.phase == "drifting":
            target = self.layout.random_water_point(self.rng_of(agent), near=(agent.x, agent.y))
            agent.phase = "cruising"
            agent.mover = Mover(Leg([(agent.x, agent.y), target], agent.ship.cruise_kn), 0.0)
        else:
            leave_small_craft_stay(self, agent, arrived=False)

    def _interval_s(self, agent: Agent) -> float:
        """ITU-R M.1371 reporting intervals (class B 'CS': 30 s, 3 min when slow)."""
        speed = agent.speed_kn
        if agent.ship.class_b:
            return 30.0 if speed > 2.0 else 180.0
        if agent.away:
            return 60.0
        if agent.nav_status in (AT_ANCHOR, MOORED) and speed <= 3.0:
            return 180.0
        return 10.0 if speed <= 14.0 else 6.0 if speed <= 23.0 else 2.0


def _xy(point: shapely.Point) -> tuple[float, float]:
    return point.x, point.y
