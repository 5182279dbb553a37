"""Which vessels changed between two snapshots, found at C speed.

The engine hands a new frozen ``VesselView`` only for a vessel that changed, and
keeps its vessels in the order first heard (a vessel keeps its place; new ones
come last). So the views shown last time, in the same order, can be matched
against the new snapshot by identity in one pass of ``map`` rather than a Python
loop over 20,000 vessels, which alone cost about 10 ms a frame.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from portwatch.vessel import VesselView


@dataclass(frozen=True, slots=True)
class SnapshotDiff:
    changed: np.ndarray
    """Positions (in the previous order) whose view is a new object."""
    added: list[int]
    """MMSIs after the previous ones, in the snapshot's order."""


def diff_views(
    previous_mmsis: Sequence[int],
    previous_views: Sequence[VesselView],
    vessels: Mapping[int, VesselView],
) -> SnapshotDiff | None:
    """What changed since ``previous_views`` (MMSI ``previous_mmsis[i]`` at ``i``).

    None when the snapshot no longer starts with the previous vessels in the same
    order (one was removed): the caller starts afresh.
    """
    count = len(previous_mmsis)
    if len(vessels) < count:
        return None
    mmsis = list(vessels)
    if mmsis[:count] != list(previous_mmsis):
        return None
    views = list(vessels.values())
    changed = np.fromiter(
        map(operator.is_not, views[:count], previous_views), dtype=bool, count=count
    )
    return SnapshotDiff(changed=np.flatnonzero(changed), added=mmsis[count:])
