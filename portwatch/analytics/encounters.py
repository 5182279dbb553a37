"""Closest point of approach between vessels, for every pair that could meet.

Two vessels that come within ``limit`` of each other within the look-ahead are,
at that moment, each somewhere on their own straight track ahead; so their tracks'
bounding boxes, each grown by half the limit, overlap. A spatial index of those
boxes (shapely's STRtree, queried for all boxes at once) yields exactly the pairs
worth the arithmetic, instead of every pair of vessels; the CPA and TCPA of those
pairs are then computed in one numpy expression.
"""

from __future__ import annotations

import numpy as np
import shapely


def candidate_pairs(
    x: np.ndarray,
    y: np.ndarray,
    vx: np.ndarray,
    vy: np.ndarray,
    lookahead_s: float,
    pad_m: float | np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs (i < j) of vessels whose tracks over ``lookahead_s`` pass within
    the sum of their pads (half the CPA limit each) of each other."""
    if len(x) < 2:
        empty = np.empty(0, dtype=np.intp)
        return empty, empty
    x_end, y_end = x + vx * lookahead_s, y + vy * lookahead_s
    boxes = shapely.box(
        np.minimum(x, x_end) - pad_m,
        np.minimum(y, y_end) - pad_m,
        np.maximum(x, x_end) + pad_m,
        np.maximum(y, y_end) + pad_m,
    )
    tree = shapely.STRtree(boxes)
    first, second = tree.query(boxes, predicate="intersects")
    keep = first < second
    return first[keep], second[keep]


def cpa_tcpa(
    dx: np.ndarray, dy: np.ndarray, dvx: np.ndarray, dvy: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Closest point of approach (m) and time to it (s, negative when it is past) of
    pairs at relative position (``dx``, ``dy``) m moving at (``dvx``, ``dvy``) m/s.
    Pairs without relative motion keep their distance: TCPA 0."""
    speed2 = dvx * dvx + dvy * dvy
    moving = speed2 > 1e-9
    tcpa = np.zeros_like(dx)
    np.divide(-(dx * dvx + dy * dvy), speed2, out=tcpa, where=moving)
    cx, cy = dx + dvx * tcpa, dy + dvy * tcpa
    return np.sqrt(cx * cx + cy * cy), tcpa


def all_pairs_cpa(
    x: np.ndarray, y: np.ndarray, vx: np.ndarray, vy: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """CPA and TCPA of every pair (i < j), without an index: the reference the
    benchmark measures the grid against, and the tests check it with."""
    first, second = np.triu_indices(len(x), k=1)
    return cpa_tcpa(
        x[second] - x[first], y[second] - y[first], vx[second] - vx[first], vy[second] - vy[first]
    )
