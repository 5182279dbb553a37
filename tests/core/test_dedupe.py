"""Two receivers, one ship: the same sentence goes on once."""

from __future__ import annotations

from portwatch.sources.dedupe import DuplicateFilter, sentence_key
from portwatch.sources.queue import ReceivedLine
from tests.decoders.nmea import EXAMPLE_POSITION, EXAMPLE_STATIC, gofree, tag_block, vdm

SENTENCE = vdm(EXAMPLE_POSITION)[0]
OTHER = vdm(dict(EXAMPLE_POSITION, mmsi=211000111))[0]


def line(text: str, at_s: float, source: str) -> ReceivedLine:
    return ReceivedLine(at_s, text.encode(), source)


def test_two_sources_fed_the_same_lines() -> None:
    dedupe = DuplicateFilter(window_s=10.0)
    north = [
        line(tag_block("s:north,c:1452468552") + s, t, "tcp://north:1")
        for s, t in ((SENTENCE, 100.0), (OTHER, 101.0))
    ]
    south = [
        line(tag_block("s:south,c:1452468553") + s, t + 0.5, "udp://south:2")
        for s, t in ((SENTENCE, 100.0), (OTHER, 101.0))
    ]
    passed = [item for item in (north[0], south[0], north[1], south[1]) if dedupe.accept(item)]
    assert passed == north
    assert dedupe.duplicates == {"udp://south:2": 2}


def test_a_gofree_navico_copy_is_a_copy() -> None:
    """A display's copy (sequence id, no channel, a field after the fill bits) of
    what a receiver also heard is the same sentence, not a new one."""
    dedupe = DuplicateFilter(window_s=10.0)
    assert sentence_key(gofree(SENTENCE).encode()) == sentence_key(SENTENCE.encode())
    assert dedupe.accept(line(SENTENCE, 100.0, "receiver"))
    assert not dedupe.accept(line(gofree(SENTENCE), 100.5, "display"))
    assert dedupe.duplicates == {"display": 1}


def test_the_same_sentence_after_the_window_goes_on_again() -> None:
    dedupe = DuplicateFilter(window_s=10.0)
    assert dedupe.accept(line(SENTENCE, 100.0, "a"))
    assert not dedupe.accept(line(SENTENCE, 109.0, "b"))
    assert dedupe.accept(line(SENTENCE, 120.5, "b"))


def test_a_clock_set_back_does_not_make_every_line_a_copy() -> None:
    """Receive times come from this machine's clock; set back an hour (a time server
    correcting it), the lines heard since are new lines, not copies of the hour's."""
    dedupe = DuplicateFilter(window_s=10.0)
    assert dedupe.accept(line(SENTENCE, 7200.0, "a"))
    assert dedupe.accept(line(SENTENCE, 3600.0, "a"))
    assert not dedupe.accept(line(SENTENCE, 3601.0, "b"))


def test_memory_stays_bounded() -> None:
    dedupe = DuplicateFilter(window_s=1e9, max_remembered=100)
    for n in range(1000):
        dedupe.accept(line(f"!AIVDM,1,1,,A,{n},0*00", float(n), "a"))
    assert len(dedupe._seen) == 100


def test_key_ignores_framing_talker_and_numbering_but_not_the_message() -> None:
    framed = (tag_block("s:x,c:1") + SENTENCE + ",d-109,r003669946,1325394060").encode()
    assert sentence_key(framed) == sentence_key(SENTENCE.encode())
    # Two receivers: one talks AB, the other uses another channel.
    ab = vdm(EXAMPLE_POSITION, talker="AB")[0]
    assert sentence_key(ab.encode()) == sentence_key(SENTENCE.encode())
    assert sentence_key(vdm(EXAMPLE_POSITION, channel="B")[0].encode()) == sentence_key(
        SENTENCE.encode()
    )
    # Fragments are never keyed: the last fragment of two ships' type 5 is often the
    # same padding, and dropping one would orphan the other ship's first half.
    first, second = vdm(EXAMPLE_STATIC, seq_id=3)
    other_second = vdm(dict(EXAMPLE_STATIC, mmsi=366999002), seq_id=4)[1]
    assert second.split(",")[5] == other_second.split(",")[5]
    assert sentence_key(first.encode()) is None
    assert sentence_key(second.encode()) is None
    assert sentence_key(b"$GPRMC,whatever") is None
    assert sentence_key(SENTENCE.encode()) != sentence_key(OTHER.encode())
