"""The bounded queue: a slow consumer loses the oldest lines, counted by source."""

from __future__ import annotations

import threading

from portwatch.sources.queue import LineQueue, ReceivedLine


def test_full_queue_drops_the_oldest_and_counts_by_source() -> None:
    queue = LineQueue(max_lines=3)
    for n in range(5):
        queue.put(
            ReceivedLine(float(n), f"line {n}".encode(), "tcp://a:1" if n < 2 else "udp://b:2")
        )
    assert [item.line for item in queue.get_batch()] == [b"line 2", b"line 3", b"line 4"]
    assert queue.dropped == {"tcp://a:1": 2}


def test_consumer_waits_for_lines_from_another_thread() -> None:
    queue = LineQueue()
    producer = threading.Timer(0.05, queue.put, args=(ReceivedLine(1.0, b"late", "-"),))
    producer.start()
    batch = queue.get_batch(timeout_s=10)
    producer.join()
    assert [item.line for item in batch] == [b"late"]


def test_empty_queue_times_out_empty() -> None:
    assert LineQueue().get_batch(timeout_s=0.01) == []
