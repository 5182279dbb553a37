"""AIS six-bit payload armour and six-bit text, done by the C base64 codec.

The payload alphabet is base64 with other characters, so mapping one onto the
other lets ``binascii`` repack the bits; six-bit text is read the same way in
reverse. This is what makes the fast decoders fast.
"""

from __future__ import annotations

from binascii import a2b_base64, b2a_base64

_BASE64 = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
ARMOUR = bytes(range(48, 88)) + bytes(range(96, 120))
"""The 64 characters of the six-bit payload armour, ``0``-``W`` and `````-``w``."""
ARMOUR_TO_BASE64 = bytes.maketrans(ARMOUR, _BASE64)
# Six-bit text: 0-31 are "@A-Z[\\]^_", 32-63 are " !"#...?" (M.1371-5 Table 47).
_TEXT = bytes(range(64, 96)) + bytes(range(32, 64))
BASE64_TO_TEXT = bytes.maketrans(_BASE64, _TEXT)
_PAD = (b"", b"AAA", b"AA", b"A")


def is_armoured(payload: bytes) -> bool:
    """True when every character of ``payload`` is of the armour (or it is empty):
    deleting them leaves nothing, in one C call however long the text."""
    return not payload.translate(None, ARMOUR)


def payload_bits(payload: bytes) -> int:
    """A payload whose length is a multiple of four characters as one integer."""
    return int.from_bytes(a2b_base64(payload.translate(ARMOUR_TO_BASE64)), "big")


def payload_value(payload: bytes, fill_bits: int) -> tuple[int, int]:
    """Any armoured payload as (integer, number of bits), fill bits removed."""
    extra = len(payload) & 3
    value = int.from_bytes(a2b_base64(payload.translate(ARMOUR_TO_BASE64) + _PAD[extra]), "big")
    if extra:
        value >>= 6 * (4 - extra)
    return value >> fill_bits, len(payload) * 6 - fill_bits


def sixbit_characters(value: int, characters: int) -> bytes:
    """The six-bit characters held in the low ``characters * 6`` bits of ``value``."""
    padding = -characters & 3
    value &= (1 << (6 * characters)) - 1
    raw = (value << (6 * padding)).to_bytes((characters + padding) * 6 // 8, "big")
    return b2a_base64(raw, newline=False)[:characters].translate(BASE64_TO_TEXT)


def sixbit_text(value: int, characters: int) -> str | None:
    """Six-bit text held in the low ``characters * 6`` bits of ``value`` (see ``text_of``)."""
    return text_of(sixbit_characters(value, characters))


def text_of(characters: bytes) -> str | None:
    """A text field's characters as text: they end at the first ``@`` (padding,
    "not available"), surrounding spaces are dropped, and an empty text is None."""
    return characters.partition(b"@")[0].strip().decode("ascii") or None
