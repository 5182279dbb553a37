"""No input, however broken, escapes the stream decoder, and its counts add up.

Property-based: random bytes, truncated and corrupted sentences, shuffled and
duplicated fragments, wrong checksums, absurdly long lines.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portwatch.decoders import DecodeError, StreamDecoder, decode_sentences, stream
from portwatch.decoders.stats import LINE_OUTCOMES
from tests.decoders.nmea import EXAMPLE_POSITION, EXAMPLE_STATIC, nmea, tag_block, vdm

VALID_LINES = [
    *vdm(EXAMPLE_POSITION),
    *vdm(EXAMPLE_STATIC, seq_id=1),
    *vdm(dict(EXAMPLE_STATIC, mmsi=211000111), talker="BS", seq_id=1),
    # Tag-block groups, as IEC 61162-450 feeds send multipart messages: a vessel's
    # (VDM) and own ship's (VDO), both numbered 5.
    *(
        tag_block(f"g:{n}-2-5,c:1452468552") + sentence
        for n, sentence in enumerate(vdm(EXAMPLE_STATIC, seq_id=2), start=1)
    ),
    *(
        tag_block(f"g:{n}-2-5") + sentence
        for n, sentence in enumerate(vdm(EXAMPLE_STATIC, seq_id=2, own_ship=True), start=1)
    ),
    tag_block("s:north,c:1452468552") + vdm(EXAMPLE_POSITION)[0],
    "1452468552.938 " + vdm(EXAMPLE_POSITION)[0],
    "$PGHP,1,2010,6,11,11,46,11,390,231,45,992190934,1,2B*5B",
    "!AIVDM,1,1,,B,,0*25",  # empty payload (pyais/nmea_data_sample.txt)
    "!AIVDM,1,1,,A,15Mwmph01soS0u0CBOl3QBnuP000,0*2f",  # checksum in lower case
]


def assert_counts_add_up(decoder: StreamDecoder) -> None:
    stats = decoder.stats
    assert stats.defects == 0, "a line hit a defect in the decoder"
    assert stats.lines == sum(getattr(stats, outcome) for outcome in LINE_OUTCOMES)
    pending = decoder.assembler.pending_fragments()
    assert stats.sentences == stats.sentences_used + stats.orphan_fragments + pending
    assert stats.complete_messages == stats.messages + stats.undecodable + stats.unsupported_type
    assert stats.messages == sum(stats.by_type.values())


def feed(lines: list[bytes | str]) -> StreamDecoder:
    """Both paths over ``lines``: neither raises, and the counts add up."""
    batch = StreamDecoder()
    for _records in batch.iter_messages(lines):
        pass
    assert_counts_add_up(batch)
    decoder = StreamDecoder()
    for line in lines:
        decoder.decode_line(line)
    assert_counts_add_up(decoder)
    decoder.finish()
    assert_counts_add_up(decoder)
    return decoder


@given(st.lists(st.binary(max_size=200), max_size=30))
def test_random_bytes(lines: list[bytes]) -> None:
    feed(lines)


@given(
    st.lists(
        st.text(
            alphabet="!$\\*,:0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ`abcdefghijklmnopqrstuvw@ .-",
            max_size=120,
        ),
        max_size=30,
    )
)
def test_random_nmea_like_text(lines: list[str]) -> None:
    feed(lines)


@st.composite
def damaged_line(draw: st.DrawFn) -> str:
    line = draw(st.sampled_from(VALID_LINES))
    damage = draw(st.sampled_from(["truncate", "replace", "insert", "none"]))
    if damage == "truncate":
        return line[: draw(st.integers(0, len(line)))]
    position = draw(st.integers(0, max(0, len(line) - 1)))
    character = draw(st.characters(min_codepoint=0, max_codepoint=0x2FF))
    if damage == "replace":
        return line[:position] + character + line[position + 1 :]
    if damage == "insert":
        return line[:position] + character + line[position:]
    return line


@given(st.lists(damaged_line(), max_size=40))
def test_truncated_and_corrupted_sentences(lines: list[str]) -> None:
    feed(lines)


@given(st.permutations(VALID_LINES * 2))
def test_shuffled_and_duplicated_fragments(lines: list[str]) -> None:
    decoder = feed(lines)
    # Only whole lines: every position report decodes, whatever the order.
    assert decoder.stats.by_type[1] == 8


@settings(max_examples=20)
@given(st.integers(1000, 200_000), st.sampled_from(["A", ",", "!", "\\"]))
def test_absurdly_long_lines(length: int, filler: str) -> None:
    decoder = feed([filler * length, "!AIVDM,1,1,,A," + "1" * length + ",0*00", VALID_LINES[0]])
    assert decoder.stats.messages == 1


STRICT_KINDS = {
    "bad_checksum",
    "malformed",
    "incomplete",
    "undecodable",
    "unsupported_type",
    "non_ais",
}


@given(damaged_line())
def test_strict_call_raises_only_decode_errors(line: str) -> None:
    kind = None
    try:
        records = decode_sentences(line)
    except DecodeError as error:
        kind = error.kind
    else:
        assert records
    assert kind is None or kind in STRICT_KINDS


def test_strict_call_names_the_problem() -> None:
    sentence = vdm(EXAMPLE_POSITION)[0]
    with pytest.raises(DecodeError, match="bad checksum") as caught:
        decode_sentences(sentence[:-2] + "00")
    assert caught.value.kind == "bad_checksum"
    with pytest.raises(DecodeError) as caught:
        decode_sentences(vdm(EXAMPLE_STATIC, seq_id=1)[0])
    assert caught.value.kind == "incomplete"
    assert decode_sentences(*vdm(EXAMPLE_STATIC, seq_id=1))[0].name == "EXAMPLE STAR"


def test_a_defect_in_the_batch_path_is_counted_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    """The batch path decodes a ``g:`` pair in one step, outside ``decode_line``'s
    guard. A defect of ours there (here: the type 5 decoder breaks) is counted as
    the general path counts it, and the lines after it are still decoded."""

    def broken(*_: object) -> None:
        raise ZeroDivisionError("a defect")

    monkeypatch.setitem(stream._FAST_DECODERS, b"5", broken)
    pair = [
        tag_block(f"g:{n}-2-5,c:1452468552") + sentence
        for n, sentence in enumerate(vdm(EXAMPLE_STATIC, seq_id=2), start=1)
    ]
    position = tag_block("c:1452468553") + vdm(EXAMPLE_POSITION)[0]
    lines = [line.encode() for line in [*pair, position, position]]
    batch = StreamDecoder()
    records = [record for message in batch.iter_messages(lines) for record in message]
    general = StreamDecoder()
    for line in lines:
        general.decode_line(line)
    assert [record.msg_type for record in records] == [1, 1]
    assert batch.stats == general.stats
    assert batch.stats.defects == 1


def test_a_short_auxiliary_craft_report_is_no_defect() -> None:
    """A type 24 part B from an auxiliary craft's MMSI (98MIDxxxx) cut short before
    its mother ship's MMSI: pyais gives no dimensions for such a craft, and asking
    for them was a defect of ours. Found by fuzzing the payload decoders."""
    (record,) = decode_sentences(nmea("AIVDM,1,1,,A,Hffe52Ess>,3", start="!"))
    assert (record.msg_type, record.part, record.mmsi) == (24, "B", 988497161)
    assert record.mothership_mmsi is None
    assert record.to_bow_m is None
