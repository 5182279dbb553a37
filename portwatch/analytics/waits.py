"""What the port has learnt about waiting: how long stays at anchor last, and which
ships anchor at all before taking their pilot.

A ship at anchor has no running ETA; what a pilot wants to know is how much
longer it will wait. From the stays that have ended at its anchorage, the
expected remainder for a ship that has already waited ``w`` is the mean of
(stay − w) over the stays longer than ``w`` (so a ship that has waited long is
not promised the short waits of the others). Before an anchorage has history,
the stated default is a stay of 12 hours.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import numpy as np

DEFAULT_STAY_S = 12 * 3600.0
MEMORY = 500
"""Recent stays kept per anchorage."""
MIN_STAYS = 5
DEFAULT_ANCHOR_SHARE = 0.25
"""Before any arrival: the share of arriving ships expected to wait at anchor first."""


@dataclass(slots=True)
class WaitStatistics:
    stays: dict[str, deque[float]] = field(default_factory=dict)
    """Completed stays at anchor (seconds) by anchorage, and under "*" for all."""
    arrivals: dict[str, list[int]] = field(default_factory=dict)
    """By class group: [arrivals at a pilot boarding place, of which had anchored first]."""

    def stay_ended(self, anchorage: str | None, stay_s: float) -> None:
        keys = (anchorage, "*") if anchorage else ("*",)
        for key in keys:
            self.stays.setdefault(key, deque(maxlen=MEMORY)).append(stay_s)

    def expected_remaining_s(self, anchorage: str | None, waited_s: float) -> float:
        """Expected further wait of a ship that has been at anchor ``waited_s``."""
        stays = self.stays.get(anchorage or "*")
        if stays is None or len(stays) < MIN_STAYS:
            stays = self.stays.get("*")
        if stays is None or len(stays) < MIN_STAYS:
            return max(DEFAULT_STAY_S - waited_s, DEFAULT_STAY_S * 0.1)
        values = np.fromiter(stays, float)
        longer = values[values > waited_s]
        if not longer.size:  # waiting longer than any stay seen: say a tenth more
            return max(waited_s * 0.1, 600.0)
        return float(np.mean(longer - waited_s))

    def still_waiting(self, anchorage: str | None, waited_s: float, later_s: float) -> float:
        """Probability that a ship at anchor for ``waited_s`` still is ``later_s`` on."""
        stays = self.stays.get(anchorage or "*")
        if stays is None or len(stays) < MIN_STAYS:
            stays = self.stays.get("*")
        if stays is None or len(stays) < MIN_STAYS:
            return float(np.exp(-later_s / DEFAULT_STAY_S))  # memoryless default
        values = np.fromiter(stays, float)
        at_risk = np.count_nonzero(values > waited_s)
        if not at_risk:
            return float(np.exp(-later_s / max(waited_s * 0.1, 600.0)))
        return float(np.count_nonzero(values > waited_s + later_s) / at_risk)

    def arrived(self, group: str, anchored_first: bool) -> None:
        for key in (group, "*"):
            counts = self.arrivals.setdefault(key, [0, 0])
            counts[0] += 1
            counts[1] += int(anchored_first)

    def anchor_share(self, group: str) -> float:
        """The learnt share of ships of ``group`` that wait at anchor before the pilot."""
        for key in (group, "*"):
            total, anchored = self.arrivals.get(key, (0, 0))
            if total >= MIN_STAYS:
                return anchored / total
        return DEFAULT_ANCHOR_SHARE

    def state(self) -> dict[str, object]:
        return {"stays": {k: list(v) for k, v in self.stays.items()}, "arrivals": self.arrivals}

    def restore(self, state: dict) -> None:
        for key, values in state.get("stays", {}).items():
            self.stays[key] = deque(values, maxlen=MEMORY)
        self.arrivals.update({k: list(v) for k, v in state.get("arrivals", {}).items()})
