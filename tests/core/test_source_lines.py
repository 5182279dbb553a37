"""Cutting what arrives on the wire into lines: endings, junk, broken connections."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from portwatch.sources.lines import LineSplitter

SENTENCE = b"!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A"


def test_lines_across_chunks_with_any_ending() -> None:
    splitter = LineSplitter()
    stream = SENTENCE + b"\r\n" + SENTENCE + b"\n" + SENTENCE[:10]
    assert splitter.feed(stream[:20]) == []
    assert splitter.feed(stream[20:]) == [SENTENCE, SENTENCE]
    assert splitter.feed(SENTENCE[10:] + b"\n") == [SENTENCE]
    assert (splitter.counts.lines, splitter.counts.bytes) == (3, len(stream) + len(SENTENCE) - 9)


def test_broken_connection_discards_the_half_line() -> None:
    splitter = LineSplitter()
    assert splitter.feed(SENTENCE + b"\n" + SENTENCE[:25]) == [SENTENCE]
    splitter.reset()
    assert splitter.feed(SENTENCE + b"\n") == [SENTENCE]
    assert splitter.counts.partial_discarded == 1


def test_binary_junk_and_nul_are_counted_not_passed_on() -> None:
    splitter = LineSplitter()
    lines = splitter.feed(
        b"\x00\x01\xff\xfe junk\n" + SENTENCE + b"\nAB\x00CD\n" + SENTENCE + b"\n"
    )
    assert lines == [SENTENCE, SENTENCE]
    assert splitter.counts.malformed == 2


def test_a_megabyte_without_newline_stays_bounded() -> None:
    splitter = LineSplitter()
    for _ in range(256):
        assert splitter.feed(b"x" * 4096) == []
        assert len(splitter._pending) <= splitter.max_line_bytes
    assert splitter.feed(b"tail\n" + SENTENCE + b"\n") == [SENTENCE]
    assert splitter.counts.malformed == 1


@given(st.lists(st.binary(max_size=300), max_size=30), st.data())
def test_any_chunking_gives_the_same_lines(chunks: list[bytes], data: st.DataObject) -> None:
    """However the bytes are cut into chunks, the same lines come out."""
    stream = b"\n".join([*chunks, SENTENCE]) + b"\n"
    whole = LineSplitter()
    expected = whole.feed(stream)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(stream)), max_size=10)))
    pieces = [stream[a:b] for a, b in zip([0, *cuts], [*cuts, len(stream)], strict=True)]
    split = LineSplitter()
    assert [line for piece in pieces for line in split.feed(piece)] == expected
    assert SENTENCE in expected
    assert split.counts == whole.counts
