"""NMEA 0183 / AIS decoding into typed records (no threads, no sockets, no Qt).

``StreamDecoder`` reads lines leniently (skip and count); ``decode_sentences``
decodes one message strictly (raises ``DecodeError``).
"""

from portwatch.decoders.errors import DecodeError, PortwatchError, PortwatchWarning
from portwatch.decoders.records import (
    AidToNavigationReport,
    AisRecord,
    BaseStationReport,
    OtherMessage,
    PositionReport,
    Record,
    SafetyMessage,
    SarAircraftReport,
    StaticReport,
)
from portwatch.decoders.stats import DecodeStats
from portwatch.decoders.stream import StreamDecoder, decode_sentences, open_log

__all__ = [
    "AidToNavigationReport",
    "AisRecord",
    "BaseStationReport",
    "DecodeError",
    "DecodeStats",
    "OtherMessage",
    "PortwatchError",
    "PortwatchWarning",
    "PositionReport",
    "Record",
    "SafetyMessage",
    "SarAircraftReport",
    "StaticReport",
    "StreamDecoder",
    "decode_sentences",
    "open_log",
]
