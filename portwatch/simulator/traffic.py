"""Traffic for a port file: ships arrive along the routes, slow for the pilot at the
pilot boarding place, where a pilot boat meets them, berth with a tug when a berth
is free or wait at anchor, stay alongside for hours and sail; pleasure craft wander
the bay; base stations and aids to navigation tick; injected scenarios add the
situations an operator trains for.

Everything runs on one heap of events in simulated time, drawn from seeded
``random.Random``s, so the same seed gives the same traffic. The simulation starts
``warm_up_s`` before the first line it writes, so the port is busy from the start.
"""

from __future__ import annotations

import heapq
import itertools
import math
import random
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import replace

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
from portwatch.simulator.reports import ReportEncoder
from portwatch.simulator.scenarios import (
    DROPOUT_S,
    GARBLE_SHARE,
    GARBLE_WINDOW_S,
    Injected,
    Scenario,
    garble,
)
from portwatch.simulator.ships import (
    ELSEWHERE,
    Ship,
    merchant_ship,
    pleasure_craft,
)

STATIC_EVERY_S = 360.0
BASE_STATION_EVERY_S = 10.0
AID_EVERY_S = 180.0
ANCHOR_CHECK_EVERY_S = 900.0
BERTH_SLOTS = 3
"""Ships a berth (a terminal) takes at once."""
FOREVER = math.inf


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
        seed: int = 1,
        start_s: float = 1_710_201_600.0,
        arrivals_per_hour: float = 1.0,
        passing_per_hour: float = 1.0,
        pleasure_craft: int = 10,
        warm_up_s: float = 12 * 3600.0,
        scenarios: Sequence[Scenario] = (),
    ) -> None:
        self.port = port
        self.rng = random.Random(seed)
        self.scenario_rng = random.Random(seed * 7919 + 17)
        """Scenarios draw from their own stream, so adding one leaves the rest alike."""
        self.start_s = start_s
        self.arrivals_per_hour = arrivals_per_hour
        self.passing_per_hour = passing_per_hour
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
        self._berth_slots: dict[str, list[bool]] = {}
        """Per berth, which of its places are taken."""
        self._closed_until: dict[str, float] = {}
        self._events: list[tuple[float, int, str, int]] = []
        self._sequence = itertools.count()
        self._next_mmsi = itertools.count(366_100_000 + self.rng.randrange(0, 800_000, 1000))
        self.scenario_mmsis = itertools.count(367_900_001)
        self._pleasure = pleasure_craft
        self._output_from_s = start_s
        self._dropouts: list[tuple[float, float]] = []
        self._garble_windows: list[tuple[float, float]] = []

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
        for _ in range(self._pleasure):
            self._spawn_pleasure_craft(clock + self.rng.uniform(0, 600))
        self._place_stations(clock)
        place_harbour_craft(self, clock)
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
            if not lines or self._in(self._dropouts, time_s):
                continue
            if agent is not None:
                self.vessels[agent.ship.mmsi] = agent.ship.kind
            for line in lines:
                if (
                    len(lines) == 1
                    and self._in(self._garble_windows, time_s)
                    and self.scenario_rng.random() < GARBLE_SHARE
                ):
                    line = garble(line, self.scenario_rng)
                    self.garbled += 1
                yield time_s, line

    def _handle(self, time_s: float, kind: str, index: int) -> tuple[Agent | None, list[str]]:
        if kind == "arrival":
            self._spawn_arrival(time_s)
            gap_s = self.rng.expovariate(self.arrivals_per_hour / 3600.0)
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
            self._schedule(time_s + BASE_STATION_EVERY_S, "base", index)
            return agent, [] if quiet else self.encoder.base_station(agent, time_s)
        if kind == "aid":
            self._schedule(time_s + AID_EVERY_S, "aid", index)
            virtual = agent.phase == "virtual"
            return agent, [] if quiet else self.encoder.aid_to_navigation(agent, time_s, virtual)
        if kind == "position" and time_s != agent.next_report_s:
            return agent, []  # superseded by an earlier report (the vessel got going)
        self.move(agent, time_s)
        if agent.gone:
            return agent, []
        if kind == "static":
            self._schedule(time_s + STATIC_EVERY_S, "static", index)
            return agent, [] if quiet else self.encoder.static(agent, time_s)
        self.report_at(agent, time_s + self._interval_s(agent))
        return agent, [] if quiet else self.encoder.position(agent, time_s)

    def add(self, agent: Agent, time_s: float, kind: str = "position") -> None:
        """Put ``agent`` into the simulation from ``time_s``, reporting ``kind`` reports
        (positions also send static data at the real interval)."""
        agent.time_s = time_s
        agent.index = len(self.agents)
        self.agents.append(agent)
        if kind != "position":
            self._schedule(time_s, kind, agent.index)
        else:
            self.report_at(agent, time_s)
            first_static_s = time_s + self.rng_of(agent).uniform(5, STATIC_EVERY_S)
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
        ship = merchant_ship(self.rng, next(self._next_mmsi))
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

    def _spawn_passing(self, time_s: float) -> None:
        """A ship passing through the approach on its way along the coast."""
        start, end = self.rng.choice(self.layout.passages)
        ship = merchant_ship(self.rng, next(self._next_mmsi))
        ship = replace(ship, bound_for=self.rng.choice(ELSEWHERE))
        agent = Agent(ship, "transit", *start)
        agent.mover = Mover(Leg([start, end], ship.cruise_kn, ship.cruise_kn), ship.cruise_kn)
        agent.eta_s = time_s + self.rng.uniform(10, 60) * 3600
        self.add(agent, time_s)

    def _spawn_pleasure_craft(self, time_s: float) -> None:
        ship = pleasure_craft(self.rng, 338_000_000 + self.rng.randrange(1_000, 999_999))
        x, y = self.layout.random_water_point(self.rng)
        self.add(Agent(ship, "cruising", x, y), time_s)

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
        if phase == "cruising":
            agent.until_s = time_s + self.rng_of(agent).uniform(0, 1800)
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
            agent.until_s = time_s + self.rng_of(agent).uniform(3, 16) * 3600
        elif phase == "to_meet":
            agent.phase = "waiting"
            agent.until_s = FOREVER
        elif phase == "returning":
            agent.phase = "at_home"
            agent.until_s = FOREVER
        elif phase in ("outbound", "transit"):
            agent.gone = True

    def berth_free(self, berth: PortFeature, station: PortFeature, time_s: float) -> bool:
        closed = self._closed_until.get(station.name, 0.0) > time_s
        return not closed and not all(self._berth_slots.get(berth.name, [False]))

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
            return
        anchorage = self.layout.anchorage_for(station)
        spot = self.layout.random_point_in(anchorage.local, self.rng_of(agent))
        agent.phase = "to_anchor"
        self.count("anchorings", agent.time_s)
        agent.mover = Mover(Leg([(agent.x, agent.y), spot], 7.0, end_kn=0.0), speed_kn=6.0)

    def _reserve_berth(self, agent: Agent) -> bool:
        """Take a free berth behind ``agent``'s pilot station for it, if there is one:
        a ship weighing anchor has its berth before it sails."""
        station = agent.station
        assert station is not None
        free = [
            (berth, points)
            for berth, points in self.layout.berth_routes.get(station.name, [])
            if self.berth_free(berth, station, agent.time_s)
        ]
        if not free:
            return False
        berth, points = self.rng_of(agent).choice(free)
        slots = self._berth_slots.setdefault(berth.name, [False] * BERTH_SLOTS)
        slot = slots.index(False)
        slots[slot] = True
        spot = self.layout.berth_spot(berth, slot, BERTH_SLOTS)
        agent.berth = (berth, [*points, spot], slot)
        return True

    def _leave_stay(self, agent: Agent) -> None:
        if agent.phase == "anchored":
            if agent.drag_at_s is not None and agent.time_s >= agent.drag_at_s:
                start_dragging(self, agent)
                return
            station = agent.station
            if station is not None and self._reserve_berth(agent):
                target = station.local
                agent.phase = "to_station"
                agent.mover = Mover(
                    Leg([(agent.x, agent.y), (target.x, target.y)], 8.0, end_kn=5.0), 0.0
                )
            else:
                agent.until_s = agent.time_s + ANCHOR_CHECK_EVERY_S
                if agent.drag_at_s is not None:
                    agent.until_s = min(agent.until_s, agent.drag_at_s)
        elif agent.phase == "moored" and agent.berth is not None:
            berth, points, slot = agent.berth
            self._berth_slots[berth.name][slot] = False
            agent.berth = None
            agent.phase = "outbound"
            self.count("departures", agent.time_s)
            path = points[::-1] + agent.lane[::-1][1:]
            agent.mover = Mover(Leg(path, agent.ship.cruise_kn, end_kn=agent.ship.cruise_kn), 0.0)
        elif agent.phase == "drifting":
            target = self.layout.random_water_point(self.rng_of(agent), near=(agent.x, agent.y))
            agent.phase = "cruising"
            agent.mover = Mover(Leg([(agent.x, agent.y), target], agent.ship.cruise_kn), 0.0)

    def _interval_s(self, agent: Agent) -> float:
        """ITU-R M.1371 reporting intervals (class B 'CS': 30 s, 3 min when slow)."""
        speed = agent.speed_kn
        if agent.ship.class_b:
            return 30.0 if speed > 2.0 else 180.0
        if agent.nav_status in (AT_ANCHOR, MOORED) and speed <= 3.0:
            return 180.0
        return 10.0 if speed <= 14.0 else 6.0 if speed <= 23.0 else 2.0
