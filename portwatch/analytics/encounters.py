"""Closest point of approach between vessels, for every pair that could meet.

Two vessels that come within ``limit`` of each other within the look-ahead are,
at that moment, each somewhere on their own straight track ahead; so their tracks'
bounding boxes, each grown by half the limit, overlap. A grid of those boxes
yields the pairs worth the arithmetic, instead of every pair of vessels; the CPA
and TCPA of those pairs are then computed in one numpy expression.
"""

from __future__ import annotations

import numpy as np

GRID_CELL_M = 1852.0
"""Side of the grid's cells: a nautical mile, about the size of a track box at
harbour speeds, so that a track touches few cells and a cell holds few tracks."""


TIME_SLICES = 4
"""The look-ahead is cut into this many stretches: two ships that can only meet in
the same stretch of time need to be near each other then, which rules out most
ships in a busy lane that merely pass the same water minutes apart..."""
SLICE_FROM_MOVERS = 256
"""...when there are at least this many moving vessels. With fewer, a port's usual
traffic, the few extra pairs of one stretch cost less arithmetic than the grid of
four (the pairs are only candidates: their CPA decides), and one grid of every
vessel, its pairs sifted afterwards, costs less than three of movers and still
vessels apart: a pass over a port's few hundred vessels is a few dozen numpy
calls, and each call costs more than its arithmetic."""


def candidate_pairs(
    x: np.ndarray,
    y: np.ndarray,
    vx: np.ndarray,
    vy: np.ndarray,
    lookahead_s: float,
    pad_m: float | np.ndarray,
    moving: np.ndarray | None = None,
    cell_m: float = GRID_CELL_M,
    slices: int = TIME_SLICES,
    wanted: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs (i < j) of vessels that can come within the sum of their pads (half
    the CPA limit each) of each other within ``lookahead_s``: for some stretch of
    the look-ahead, the boxes of their tracks over it, grown by the pads, overlap.

    With ``moving``, only pairs in which at least one vessel moves (two still ones
    cannot close on each other); with ``wanted``, only pairs in which at least one
    vessel is wanted (close quarters needs a ship in it: two small craft are not
    paired). Moving vessels are paired among themselves a stretch of the look-ahead
    at a time (in a crowd; see ``SLICE_FROM_MOVERS``); against still vessels, whose
    box is a point, once over all of it."""
    n = len(x)
    empty = np.empty(0, dtype=np.intp)
    if n < 2:
        return empty, empty
    if moving is None:
        moving = np.ones(n, dtype=bool)
    if wanted is None:
        wanted = np.ones(n, dtype=bool)
    movers, still = np.flatnonzero(moving), np.flatnonzero(~moving)
    if len(movers) < SLICE_FROM_MOVERS:
        return _few_movers(x, y, vx, vy, lookahead_s, pad_m, moving, wanted, cell_m)
    wanted_movers, other_movers = movers[wanted[movers]], movers[~wanted[movers]]
    wanted_still = still[wanted[still]]
    parts = []
    for k in range(slices):
        start_s = lookahead_s * k / slices
        box = _boxes(x + vx * start_s, y + vy * start_s, vx, vy, lookahead_s / slices, pad_m)
        parts.append(_grid_pairs(box, cell_m, wanted_movers, other_movers, n))
    box = _boxes(x, y, vx, vy, lookahead_s, pad_m)
    parts.append(_grid_pairs(box, cell_m, wanted_movers, still, n, within=False))
    parts.append(_grid_pairs(box, cell_m, other_movers, wanted_still, n, within=False))
    codes = np.concatenate(parts)
    codes.sort()
    if len(codes):
        codes = codes[np.r_[True, codes[1:] != codes[:-1]]]  # a pair near in two stretches
    return (codes // n).astype(np.intp), (codes % n).astype(np.intp)


def _few_movers(
    x: np.ndarray,
    y: np.ndarray,
    vx: np.ndarray,
    vy: np.ndarray,
    lookahead_s: float,
    pad_m: float | np.ndarray,
    moving: np.ndarray,
    wanted: np.ndarray,
    cell_m: float,
) -> tuple[np.ndarray, np.ndarray]:
    """``candidate_pairs`` in one grid of every vessel over the whole look-ahead: the
    pairs of each cell, kept where one of the two moves and one is wanted."""
    n = len(x)
    box = _boxes(x, y, vx, vy, lookahead_s, pad_m)
    cells, vessels = _cell_entries(box, np.arange(n), cell_m)
    cell, a, b = _pairs_within(cells, vessels)
    x0, x1, y0, y1 = box
    corner = _cell_id(
        np.floor(np.maximum(x0[a], x0[b]) / cell_m), np.floor(np.maximum(y0[a], y0[b]) / cell_m)
    )
    keep = (
        (cell == corner)
        & (moving[a] | moving[b])
        & (wanted[a] | wanted[b])
        & (x0[a] <= x1[b])
        & (x0[b] <= x1[a])
        & (y0[a] <= y1[b])
        & (y0[b] <= y1[a])
    )
    a, b = a[keep], b[keep]
    first, second = np.minimum(a, b), np.maximum(a, b)
    order = np.lexsort((second, first))
    return first[order].astype(np.intp), second[order].astype(np.intp)


def _boxes(
    x: np.ndarray,
    y: np.ndarray,
    vx: np.ndarray,
    vy: np.ndarray,
    lookahead_s: float,
    pad_m: float | np.ndarray,
) -> tuple[np.ndarray, ...]:
    """(x0, x1, y0, y1) of each vessel's track over ``lookahead_s``, grown by its pad."""
    x_end, y_end = x + vx * lookahead_s, y + vy * lookahead_s
    return (
        np.minimum(x, x_end) - pad_m,
        np.maximum(x, x_end) + pad_m,
        np.minimum(y, y_end) - pad_m,
        np.maximum(y, y_end) + pad_m,
    )


def _grid_pairs(
    box: tuple[np.ndarray, ...],
    cell_m: float,
    first: np.ndarray,
    second: np.ndarray,
    n: int,
    within: bool = True,
) -> np.ndarray:
    """Codes (i * n + j, i < j) of the pairs whose boxes overlap: each of ``first``
    with each of ``second``, and (``within``) the pairs among ``first``.

    Each box is entered in every grid cell it touches; pairs are formed only within a
    cell (sorted by cell, all in numpy), and each pair is kept in one cell only: the
    one holding the lower-left corner of the two boxes' overlap."""
    cells_1, vessels_1 = _cell_entries(box, first, cell_m)
    cells_2, vessels_2 = _cell_entries(box, second, cell_m)
    pairs = [_pairs_between(cells_1, vessels_1, cells_2, vessels_2)]
    if within:
        pairs.append(_pairs_within(cells_1, vessels_1))
    cell = np.concatenate([p[0] for p in pairs])
    a = np.concatenate([p[1] for p in pairs])
    b = np.concatenate([p[2] for p in pairs])
    if not len(a):
        return np.empty(0, dtype=np.int64)
    x0, x1, y0, y1 = box
    corner = _cell_id(
        np.floor(np.maximum(x0[a], x0[b]) / cell_m), np.floor(np.maximum(y0[a], y0[b]) / cell_m)
    )
    keep = (
        (cell == corner) & (x0[a] <= x1[b]) & (x0[b] <= x1[a]) & (y0[a] <= y1[b]) & (y0[b] <= y1[a])
    )
    a, b = a[keep], b[keep]
    return np.minimum(a, b).astype(np.int64) * n + np.maximum(a, b)


def _cell_id(cell_x: np.ndarray, cell_y: np.ndarray) -> np.ndarray:
    return (cell_x.astype(np.int64) << 32) + (cell_y.astype(np.int64) & 0xFFFFFFFF)


def _cell_entries(
    box: tuple[np.ndarray, ...], vessels: np.ndarray, cell_m: float
) -> tuple[np.ndarray, np.ndarray]:
    """(cell, vessel) for every grid cell each of ``vessels``' boxes touches, by cell."""
    x0, x1, y0, y1 = (part[vessels] for part in box)
    cx0, cy0 = np.floor(x0 / cell_m).astype(np.int64), np.floor(y0 / cell_m).astype(np.int64)
    nx = np.floor(x1 / cell_m).astype(np.int64) - cx0 + 1
    ny = np.floor(y1 / cell_m).astype(np.int64) - cy0 + 1
    per_vessel = nx * ny
    index = np.repeat(np.arange(len(vessels)), per_vessel)
    local = np.arange(len(index)) - np.repeat(np.cumsum(per_vessel) - per_vessel, per_vessel)
    cell = _cell_id(cx0[index] + local % nx[index], cy0[index] + local // nx[index])
    order = np.argsort(cell, kind="stable")
    return cell[order], vessels[index[order]]


def _pairs_within(cell: np.ndarray, vessel: np.ndarray) -> tuple[np.ndarray, ...]:
    """Every pair of entries that share a cell: (cell, first vessel, second vessel)."""
    if not len(cell):
        return cell, vessel, vessel
    starts = np.flatnonzero(np.r_[True, cell[1:] != cell[:-1]])
    sizes = np.diff(np.r_[starts, len(cell)])
    partners = np.repeat(starts + sizes, sizes) - np.arange(len(cell)) - 1
    total = int(partners.sum())
    firsts = np.repeat(np.arange(len(cell)), partners)
    seconds = firsts + 1 + np.arange(total) - np.repeat(np.cumsum(partners) - partners, partners)
    return cell[firsts], vessel[firsts], vessel[seconds]


def _pairs_between(
    cell_a: np.ndarray, vessel_a: np.ndarray, cell_b: np.ndarray, vessel_b: np.ndarray
) -> tuple[np.ndarray, ...]:
    """Every pair of an entry of ``a`` and one of ``b`` in the same cell."""
    low = np.searchsorted(cell_b, cell_a, side="left")
    count = np.searchsorted(cell_b, cell_a, side="right") - low
    firsts = np.repeat(np.arange(len(cell_a)), count)
    seconds = (
        np.repeat(low, count) + np.arange(len(firsts)) - np.repeat(np.cumsum(count) - count, count)
    )
    return cell_a[firsts], vessel_a[firsts], vessel_b[seconds]


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
