"""A recorded log at a glance: every vessel's last position, how often it reported,
and its name (what ``portwatch demo --log`` prints)."""

from __future__ import annotations

from dataclasses import dataclass, field

from portwatch.decoders import DecodeStats, PositionReport, StaticReport, StreamDecoder, open_log


@dataclass(slots=True)
class HeardVessel:
    """What the summary keeps per vessel: its last position and how often it reported."""

    last: PositionReport
    reports: int = 1


@dataclass(slots=True)
class LogSummary:
    """The vessels of a log with their last positions, and the decode statistics."""

    vessels: dict[int, HeardVessel] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)
    stats: DecodeStats = field(default_factory=DecodeStats)

    def busiest(self, count: int) -> list[tuple[int, HeardVessel]]:
        """The ``count`` vessels that reported most often, most first."""
        return sorted(self.vessels.items(), key=lambda item: -item[1].reports)[:count]


def summarise_log(path: str) -> LogSummary:
    """Decode the log at ``path`` (plain or gzip); raises ``OSError``, ``EOFError`` or
    ``zlib.error`` when it cannot be read to its end."""
    decoder = StreamDecoder(source=path)
    summary = LogSummary(stats=decoder.stats)
    with open_log(path) as handle:
        for records in decoder.iter_messages(handle):
            for record in records:
                if isinstance(record, PositionReport) and record.lat is not None:
                    seen = summary.vessels.get(record.mmsi)
                    if seen is None:
                        summary.vessels[record.mmsi] = HeardVessel(record)
                    else:
                        seen.last = record
                        seen.reports += 1
                elif isinstance(record, StaticReport) and record.name:
                    summary.names[record.mmsi] = record.name
    decoder.finish()
    return summary
