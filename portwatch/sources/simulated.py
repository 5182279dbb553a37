"""The traffic simulator as a live source (``sim://demo``): what the demo runs on,
and a feed for training and for trying the app without a receiver.

The simulation starts ``PRIME_S`` before now and hands that first stretch over at
once, so the picture opens with the port's traffic in place (every vessel has
reported its position and its static data) instead of an empty sea; from then on
each line comes when its time does, ``speed`` times faster than real time. At 1x
its tag-block times are this machine's clock, as a receiver's would be; faster,
they run ahead of it (the engine lets a simulator's clock do so).

A failure inside the simulation is a defect, not a dropped connection: the source
says ``failed: …`` and stops, rather than starting the same traffic over again.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace

from portwatch.bundled import DEMO_PORT, bundled_file
from portwatch.port.port_file import PortFileError, load_port
from portwatch.simulator.layout import PortLayout, SimulatorPortError
from portwatch.simulator.scenarios import parse_scenarios
from portwatch.simulator.traffic import TrafficSimulator
from portwatch.sources.base import POLL_S, Backoff, SourceStatus, StreamSource
from portwatch.sources.queue import LineQueue
from portwatch.sources.urls import SourceUrl, SourceUrlError

PRIME_S = 370.0
"""A little more than the static-data interval: every vessel has said who it is."""
CHUNK_LINES = 2000


class SimulatedSource(StreamSource):
    """Simulated traffic on a port file, paced like a live feed."""

    def __init__(self, url: SourceUrl, queue: LineQueue, backoff: Backoff | None = None) -> None:
        super().__init__(url, queue, backoff)
        try:
            self.port = load_port(url.path or bundled_file(DEMO_PORT))
            self.scenarios = parse_scenarios(list(url.scenarios))
            PortLayout(self.port)  # refuses a port the simulator cannot sail, now
        except (PortFileError, SimulatorPortError, ValueError) as error:
            raise SourceUrlError(f"{url.text!r}: {error}") from error
        self.simulator: TrafficSimulator | None = None
        self.failure: str | None = None

    def status(self) -> SourceStatus:
        status = super().status()
        if self.failure is None:
            return status
        return replace(status, state=f"failed: {self.failure}")

    def _connection(self) -> Iterator[bytes]:
        try:
            yield from self._simulate()
        except Exception as error:  # a defect of the simulation: report it and stop
            self.failure = f"{type(error).__name__}: {error}"
            self._stopping.set()

    def _simulate(self) -> Iterator[bytes]:
        speed = self.url.speed
        started_wall = time.monotonic()
        started_data = time.time() - PRIME_S
        self.simulator = TrafficSimulator(
            self.port, seed=self.url.seed, start_s=started_data, scenarios=self.scenarios
        )
        self._set_state("connected")
        pending: list[bytes] = []
        for data_time_s, line in self.simulator.timed_lines():
            due_wall = started_wall + (data_time_s - started_data - PRIME_S) / speed
            if due_wall > time.monotonic():
                if pending:
                    yield b"".join(pending)
                    pending = []
                while (wait_s := due_wall - time.monotonic()) > 0:
                    if self._stopping.wait(min(wait_s, POLL_S)):
                        return
            pending.append(line.encode("ascii") + b"\n")
            if len(pending) >= CHUNK_LINES:
                yield b"".join(pending)
                pending = []
        if pending:
            yield b"".join(pending)

    def _close(self) -> None:
        """Nothing to release: the simulation is dropped with its generator."""
