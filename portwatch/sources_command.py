"""``portwatch sources check URL``: what a new receiver sends, in a few seconds.

The first thing an operator does with a new receiver: connect, watch for a
moment, see the line rate, the share of AIS sentences and the talkers, leave.
The exit status is 1 when the source failed or sent no AIS at all in that time.
"""

from __future__ import annotations

import sys
import time
from collections import Counter

from portwatch.command_files import no_ais
from portwatch.decoders import StreamDecoder
from portwatch.decoders.stats import failure_text
from portwatch.sources.factory import open_source
from portwatch.sources.queue import LineQueue
from portwatch.sources.urls import SourceUrlError, parse_source_url


def run_check(text: str, seconds: float) -> int:
    """Watch the source ``text`` for ``seconds`` and print what it saw."""
    try:
        url = parse_source_url(text)
        queue = LineQueue()
        source = open_source(url, queue)
    except SourceUrlError as error:
        print(f"portwatch sources check: {error}", file=sys.stderr)
        return 2
    decoder = StreamDecoder(source=url.text)
    talkers: Counter[str] = Counter()
    print(f"watching {url.text} for {seconds:g} s …", flush=True)
    source.start()
    deadline = time.monotonic() + seconds
    try:
        while (left := deadline - time.monotonic()) > 0:
            for item in queue.get_batch(timeout_s=min(left, 0.25)):
                decoder.decode_line(item.line)
                start = item.line.find(b"!")
                if start >= 0 and item.line[start + 3 : start + 6] in (b"VDM", b"VDO"):
                    talkers[item.line[start + 1 : start + 3].decode("ascii", "replace")] += 1
    finally:
        state = source.status().state  # as it was while watching, not "stopped"
        source.stop()
    status = source.status()
    decoder.finish()  # fragments still waiting for the rest of their message are orphans
    stats = decoder.stats
    share = 100.0 * stats.sentences / stats.lines if stats.lines else 0.0
    print(f"state: {state}")
    print(
        f"lines: {status.lines} in {seconds:g} s ({status.lines / seconds:.1f}/s), "
        f"bytes {status.bytes}, malformed {status.malformed}, reconnects {status.reconnects}, "
        f"dropped {queue.dropped[url.text]}"
    )
    print(f"AIS sentences: {stats.sentences} ({share:.0f} % of lines), messages {stats.messages}")
    failures = stats.failures()
    kinds = failure_text(failures)
    print(f"decode failures: {sum(failures.values())}" + (f" ({kinds})" if kinds else ""))
    talker_text = ", ".join(f"{talker} {count}" for talker, count in talkers.most_common())
    print(f"talkers: {talker_text or 'none'}")
    if status.lines and not stats.sentences:
        print(f"portwatch sources check: {url.text}: {no_ais(stats)}", file=sys.stderr)
    # A source that failed, or sent nothing or nothing AIS, is not one to use as it is.
    return 0 if stats.sentences and not state.startswith("failed") else 1
