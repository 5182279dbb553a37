"""Decode statistics: what a stream saw, decoded and skipped, by kind."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

# Line-level outcomes; every line read lands in exactly one of these.
LINE_OUTCOMES = (
    "blank",
    "non_ais",
    "time_lines",
    "bad_checksum",
    "malformed",
    "sentences",
    "defects",
)
# What became of complete (assembled) messages; each lands in exactly one.
MESSAGE_OUTCOMES = ("messages", "undecodable", "unsupported_type")


@dataclass(slots=True)
class DecodeStats:
    """Counters of a stream decoder. They add up:

    ``lines == blank + non_ais + time_lines + bad_checksum + malformed + sentences + defects``
    and ``sentences == sentences_used + orphan_fragments + (fragments still
    pending)``; ``complete_messages == messages + undecodable + unsupported_type``.
    """

    lines: int = 0
    blank: int = 0
    """Empty lines and ``#`` comments."""
    non_ais: int = 0
    """Valid NMEA that is not AIS (``$GPRMC``, ``!AIALR``, ...)."""
    time_lines: int = 0
    """Gatehouse ``$PGHP`` lines that time the next sentence."""
    bad_checksum: int = 0
    malformed: int = 0
    """Lines that are not NMEA, or AIS sentences with broken fields."""
    sentences: int = 0
    """AIS sentences (``VDM``/``VDO``) with valid checksum and fields."""
    extra_fields: int = 0
    """Sentences with fields after the fill bits, which GoFree/Navico displays add
    (``!AIVDM,1,1,1,,PAYLOAD,0,0*1C``): decoded, the extra fields ignored. A note on
    the layout, not a failure; counted within ``sentences``."""
    sentences_used: int = 0
    """Sentences that became part of a complete message."""
    orphan_fragments: int = 0
    complete_messages: int = 0
    messages: int = 0
    """Decoded messages."""
    undecodable: int = 0
    unsupported_type: int = 0
    own_ship: int = 0
    """Decoded ``VDO`` messages (included in ``messages``)."""
    defects: int = 0
    """Lines that hit a defect in PortWatch itself; zero unless there is a bug."""
    by_type: Counter[int] = field(default_factory=Counter)

    def add(self, other: DecodeStats) -> None:
        """Add ``other``'s counts to these (totals over several inputs)."""
        for name in DecodeStats.__dataclass_fields__:
            if name == "by_type":
                self.by_type.update(other.by_type)
            else:
                setattr(self, name, getattr(self, name) + getattr(other, name))

    def failures(self) -> dict[str, int]:
        """The failure counters, for summaries."""
        return {
            "bad_checksum": self.bad_checksum,
            "malformed": self.malformed,
            "orphan_fragments": self.orphan_fragments,
            "undecodable": self.undecodable,
            "unsupported_type": self.unsupported_type,
            "defects": self.defects,
        }

    def summary(self) -> str:
        """One human-readable paragraph for standard error."""
        types = ", ".join(f"{t}:{n}" for t, n in sorted(self.by_type.items())) or "none"
        failures = failure_text(self.failures(), zeros=True)
        extra = (
            f" ({self.extra_fields} with extra fields after the fill bits)"
            if self.extra_fields
            else ""
        )
        return (
            f"{self.lines} lines, {self.sentences} AIS sentences{extra}, {self.messages} "
            f"messages (by type {types}); {self.non_ais} non-AIS and {self.time_lines} timing "
            f"lines, {self.blank} blank or comment lines; failures: {failures}"
        )


def failure_text(failures: Mapping[str, int], zeros: bool = False) -> str:
    """``bad checksum 1, unsupported type 2``: failure counts by kind in words, the
    kinds that happened only unless ``zeros``; empty when nothing failed."""
    return ", ".join(
        f"{kind.replace('_', ' ')} {count}" for kind, count in failures.items() if count or zeros
    )
