"""Text from the air made safe to show: names, call signs, destinations and safety
texts come from anyone with a transmitter. Control characters (and the bidi
overrides some use to reorder what an operator reads) are dropped; what is left is
shown as plain text everywhere, never interpreted as markup."""

from __future__ import annotations

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=65_536)  # the same names come by every frame
def plain(text: str | None) -> str:
    """``text`` without control or format characters, runs of spaces made one."""
    if not text:
        return ""
    kept = "".join(
        " " if c in "\t\r\n" else c
        for c in text
        if c in "\t\r\n" or unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co", "Cn")
    )
    return " ".join(kept.split())
