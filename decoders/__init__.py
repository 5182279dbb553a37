"""NMEA 0183 / AIS decoding into typed records (no threads, no sockets, no Qt).

``StreamDecoder`` reads lines leniently (skip and count); ``decode_sentences``
decodes one message strictly (raises ``DecodeError``). The hot modules run
compiled (mypyc) when built and current, else as the pure Python beside them
(``accelerator``); ``DECODERS`` says which.
"""

from portwatch.decoders.accelerator import activate

DECODERS = activate()
"""Which decoders are in use: "compiled (mypyc)" or "pure Python (why)"."""

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
    "DECODERS",
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
