"""What the watch hands to history: rows for the tables of schema step m003.

Collected as the passes go, taken by the engine with the fleet's own output at
each handover, and written in the same transaction as the positions and events
they belong with. Every row has a natural key, so importing a log again writes
the same rows over themselves and adds nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from portwatch.analytics.alerts import Alert


@dataclass(slots=True)
class WatchRows:
    alerts: list[tuple] = field(default_factory=list)
    eta_scores: list[tuple] = field(default_factory=list)
    occupancy: list[tuple] = field(default_factory=list)
    forecast_scores: list[tuple] = field(default_factory=list)
    stays: list[tuple] = field(default_factory=list)
    learnt: list[tuple] = field(default_factory=list)

    def __bool__(self) -> bool:
        return any(
            (
                self.alerts,
                self.eta_scores,
                self.occupancy,
                self.forecast_scores,
                self.stays,
                self.learnt,
            )
        )

    def rows(self) -> int:
        return sum(
            map(
                len,
                (
                    self.alerts,
                    self.eta_scores,
                    self.occupancy,
                    self.forecast_scores,
                    self.stays,
                    self.learnt,
                ),
            )
        )


def alert_row(alert: Alert) -> tuple:
    """An alert as a row of the ``alerts`` table (its key and raising event as JSON)."""
    return (
        alert.id,
        alert.kind,
        json.dumps(list(alert.key)),
        alert.mmsi,
        alert.other_mmsi,
        alert.zone,
        alert.raised_s,
        alert.event.time_s,
        alert.figure,
        alert.raises,
        json.dumps(alert.event.to_json(), sort_keys=True),
        alert.acknowledged_s,
        alert.acknowledged_by,
        alert.snoozed_until_s,
        alert.cleared_s,
    )
