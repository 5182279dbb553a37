"""Tooltips of untrusted text. Qt guesses whether a tooltip is rich text, so a
ship named ``<b>X</b>`` would be drawn bold; escaping every line and wrapping the
result in ``<qt>`` makes Qt show exactly the characters received."""

from __future__ import annotations

from html import escape

from portwatch.display_text import plain


def plain_tooltip(lines: list[str]) -> str:
    return "<qt>" + "<br>".join(escape(plain(line)) for line in lines) + "</qt>"
