"""Dropping the copies that overlapping receivers deliver of the same sentence.

Two shore stations that both hear a ship pass on the same payload within a
second or two. Only the first copy goes on to the engine; the others are
counted against the source that sent them. The step sits between the sources
and the engine, so live input and replay use it alike; its clock is the time
each line was received (or recorded), never the wall clock.
"""

from __future__ import annotations

from collections import Counter, OrderedDict

from portwatch.sources.queue import ReceivedLine

DEFAULT_WINDOW_S = 10.0


def sentence_key(line: bytes) -> bytes | None:
    """What makes two lines of one-sentence messages the same: fragment count and
    number, payload and fill bits. Not the talker (AI and AB hear the same ship), the sequence id
    and channel (each receiver numbers its own), the checksum (it follows from
    those), nor any tag block, time or station field. None without a sentence and
    for fragments of multipart messages (their copies are caught once assembled,
    by the fleet). Fields after the fill bits (GoFree/Navico displays add one) are
    not part of it either: the display's copy is the receiver's."""
    start = line.find(b"!")
    if start < 0:
        return None
    star = line.find(b"*", start)
    fields = (line[start:star] if star >= 0 else line[start:]).split(b",")
    if len(fields) < 7 or fields[1] != b"1":
        # Fragments of a multipart message are no copies of one another: the last
        # fragments of different ships' type 5 are often the same padding.
        return None
    return b",".join((fields[1], fields[2], fields[5], fields[6]))


class DuplicateFilter:
    """Passes the first copy of each sentence seen within ``window_s``."""

    def __init__(self, window_s: float = DEFAULT_WINDOW_S, max_remembered: int = 200_000) -> None:
        self.window_s = window_s
        self.max_remembered = max_remembered
        self.duplicates: Counter[str] = Counter()
        """Copies dropped, by the source that delivered them."""
        self._seen: OrderedDict[bytes, float] = OrderedDict()  # key -> first seen, oldest first

    def accept(self, item: ReceivedLine) -> bool:
        """True when ``item`` goes on; False (and counted) for a copy."""
        key = sentence_key(item.line)
        if key is None:
            return True
        now_s = item.received_at_s
        self._forget_before(now_s - self.window_s)
        first_s = self._seen.get(key)
        # Both ways: receive times are this machine's clock, which may be set back
        # (a time server correcting it); a line "heard later" is no copy then.
        if first_s is not None and abs(now_s - first_s) <= self.window_s:
            self.duplicates[item.source] += 1
            return False
        self._seen[key] = now_s
        self._seen.move_to_end(key)
        if len(self._seen) > self.max_remembered:
            self._seen.popitem(last=False)
        return True

    def _forget_before(self, oldest_s: float) -> None:
        seen = self._seen
        while seen:
            key, first_s = next(iter(seen.items()))
            if first_s >= oldest_s:
                break
            del seen[key]
