"""Reassembly of multi-sentence AIS messages (types 5, 19, 24, long 6/8, ...).

Fragments are keyed by talker, channel and sequence id, or by the tag-block
group when there is one, so sentences of other talkers may interleave.
Fragments that never complete are dropped as orphans after a number of
sentences, a fragment too far from its partner's data time is not joined to
it, and the number kept waiting is bounded.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class Fragment:
    """One sentence of a multipart message."""

    number: int
    count: int
    payload: bytes
    fill_bits: int
    time_s: float | None
    station: str | None
    raw: bytes


@dataclass(slots=True)
class _Pending:
    count: int
    parts: dict[int, Fragment]
    first_sentence: int
    first_time_s: float | None


class FragmentAssembler:
    """Collects fragments until a message is complete.

    ``add`` returns the complete message's fragments in order, or None. The
    ``orphans`` counter holds how many fragments were given up on.
    """

    def __init__(
        self,
        max_gap_s: float = 60.0,
        max_age_sentences: int = 2000,
        max_pending: int = 1000,
    ) -> None:
        self.max_gap_s = max_gap_s
        self.max_age_sentences = max_age_sentences
        self.max_pending = max_pending
        self.orphans = 0
        self.pending: dict[tuple, _Pending] = {}
        """Messages waiting for fragments, oldest first (the stream checks it is empty)."""

    def add(self, key: tuple, fragment: Fragment, sentence_index: int) -> list[Fragment] | None:
        """Add a fragment under ``key``; return all fragments when complete.

        ``sentence_index`` counts the stream's sentences, for the age limit.
        Fragments may arrive in any order.
        """
        if self.pending:
            self.expire(sentence_index)
        if not 1 <= fragment.number <= fragment.count:
            self.orphans += 1  # a fragment of nothing: callers check, this is a backstop
            return None
        pending = self.pending.get(key)
        if pending is not None and (
            pending.count != fragment.count
            or fragment.number in pending.parts
            or (
                fragment.time_s is not None
                and pending.first_time_s is not None
                and abs(fragment.time_s - pending.first_time_s) > self.max_gap_s
            )
        ):
            # A new message reuses the key before the old one completed.
            self._drop(key)
            pending = None
        if pending is None:
            pending = _Pending(fragment.count, {}, sentence_index, fragment.time_s)
            self.pending[key] = pending
            if len(self.pending) > self.max_pending:
                self._drop(next(iter(self.pending)))
        pending.parts[fragment.number] = fragment
        if len(pending.parts) < pending.count:
            return None
        del self.pending[key]
        return [pending.parts[n] for n in range(1, pending.count + 1)]

    def pending_fragments(self) -> int:
        """Fragments waiting for the rest of their message."""
        return sum(len(p.parts) for p in self.pending.values())

    def flush(self) -> None:
        """End of input: whatever still waits is orphaned."""
        for key in list(self.pending):
            self._drop(key)

    def expire(self, sentence_index: int) -> None:
        """Give up on messages whose first fragment is too many sentences back.

        Age is counted in sentences, not on the data clock: satellite and merged
        feeds arrive out of time order, and a fragment's partner may follow a
        line stamped an hour later.
        """
        oldest_allowed = sentence_index - self.max_age_sentences
        pending = self.pending
        while pending:
            oldest = next(iter(pending))
            if pending[oldest].first_sentence >= oldest_allowed:
                break
            self._drop(oldest)

    def _drop(self, key: tuple) -> None:
        self.orphans += len(self.pending.pop(key).parts)
