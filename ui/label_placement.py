"""Where names go on the map: each beside its symbol, on the first side that is
free (right, left, above, below), never over another name nor over another
vessel's symbol; a name with no free side is left out. Names are placed most
important first, so in a crowd the ones that matter are the ones shown; the
selected vessel's and those with alerts may cover other symbols (never names)
rather than be left out.

Names are kept in a grid of 2-pixel cells over the view (and a margin round it).
A name takes every cell its rectangle touches, so two names whose cells differ
cannot overlap: the guarantee holds to the pixel, not only roughly. Symbols are
kept in a coarser grid, summed once a frame, so that which sides of every
candidate are clear of symbols is found for all of them at once (numpy), and the
name-by-name loop in Python only tries sides that can take a name: in a crowd of
thousands most cannot.
"""

from __future__ import annotations

import math

import numpy as np

CELL_PX = 2
SYMBOL_CELL_PX = 4
"""A symbol's core, the square no name may cover, is the cell of its centre and
the eight round it: at least 4 px on each side of the centre."""
MARGIN_PX = 16
"""The grids reach this far beyond the view, for the symbols just off it; names
themselves stay wholly inside the view, never cut by its edge."""
GAP_PX = 9.0
"""From a symbol's centre to the near edge of its name: beyond two symbol cells,
so that a symbol's core never blocks its own name."""


def side_corners(
    x_px: np.ndarray,
    y_px: np.ndarray,
    width_px: np.ndarray,
    height_px: float | np.ndarray,
    gap_px: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Top left corners (left, top), (n, 4), of names beside symbols at (x, y), on
    the right, the left, above and below: the order a name tries them in. Heights
    may differ name by name (a name with a second line under it)."""
    half = height_px / 2
    left = np.stack(
        [x_px + gap_px, x_px - gap_px - width_px, x_px - width_px / 2, x_px - width_px / 2], axis=1
    )
    top = np.stack([y_px - half, y_px - half, y_px - gap_px - height_px, y_px + gap_px], axis=1)
    return left, top


class LabelPlacer:
    """Free space on a ``width_px`` × ``height_px`` view, for one frame."""

    def __init__(self, width_px: float, height_px: float) -> None:
        self._width_px = width_px
        self._height_px = height_px
        self._rows = math.ceil((height_px + 2 * MARGIN_PX) / CELL_PX)
        self._columns = math.ceil((width_px + 2 * MARGIN_PX) / CELL_PX)
        self._named = np.zeros((self._rows, self._columns), dtype=bool)
        """Cells under names."""
        self._symbol_rows = math.ceil((height_px + 2 * MARGIN_PX) / SYMBOL_CELL_PX)
        self._symbol_columns = math.ceil((width_px + 2 * MARGIN_PX) / SYMBOL_CELL_PX)
        self._symbol_sums = np.zeros((self._symbol_rows + 1, self._symbol_columns + 1), np.int32)
        """Summed-area table of the symbol grid: symbols above and left of a cell."""

    def block_symbols(self, x_px: np.ndarray, y_px: np.ndarray) -> None:
        """Keep names off the symbols at (x, y): all of them at once (once a frame)."""
        grid = np.zeros((self._symbol_rows + 2, self._symbol_columns + 2), dtype=bool)
        if len(x_px):
            rows = ((y_px + MARGIN_PX) // SYMBOL_CELL_PX).astype(np.int64) + 1
            columns = ((x_px + MARGIN_PX) // SYMBOL_CELL_PX).astype(np.int64) + 1
            inside = (
                (rows >= 1)
                & (rows <= self._symbol_rows)
                & (columns >= 1)
                & (columns <= self._symbol_columns)
            )
            grid[rows[inside], columns[inside]] = True
            # A symbol's square reaches at most one cell beyond its centre's: the
            # centres' cells and their eight neighbours hold every symbol.
            grid[1:-1, :] |= grid[:-2, :] | grid[2:, :]
            grid[:, 1:-1] |= grid[:, :-2] | grid[:, 2:]
        self._symbol_sums[1:, 1:] = grid[1:-1, 1:-1].cumsum(axis=0, dtype=np.int32).cumsum(axis=1)

    def clear_of_symbols(
        self,
        left_px: np.ndarray,
        top_px: np.ndarray,
        width_px: np.ndarray,
        height_px: float | np.ndarray,
    ) -> np.ndarray:
        """For rectangles (any shape of arrays, widths and heights broadcast): inside
        the view and over no symbol."""
        first_row = np.floor((top_px + MARGIN_PX) / SYMBOL_CELL_PX).astype(np.int64)
        first_column = np.floor((left_px + MARGIN_PX) / SYMBOL_CELL_PX).astype(np.int64)
        end_row = np.ceil((top_px + height_px + MARGIN_PX) / SYMBOL_CELL_PX).astype(np.int64)
        end_column = np.ceil((left_px + width_px + MARGIN_PX) / SYMBOL_CELL_PX).astype(np.int64)
        inside = (
            (left_px >= 0)
            & (top_px >= 0)
            & (left_px + width_px <= self._width_px)
            & (top_px + height_px <= self._height_px)
        )
        rows, columns = self._symbol_rows, self._symbol_columns
        r0, r1 = np.clip(first_row, 0, rows), np.clip(end_row, 0, rows)
        c0, c1 = np.clip(first_column, 0, columns), np.clip(end_column, 0, columns)
        sums = self._symbol_sums
        symbols = sums[r1, c1] - sums[r0, c1] - sums[r1, c0] + sums[r0, c0]
        return inside & (symbols == 0)

    def place_at(
        self,
        lefts: np.ndarray,
        tops: np.ndarray,
        width_px: float,
        height_px: float,
        over_symbols: bool = False,
        clear: np.ndarray | None = None,
    ) -> tuple[float, float] | None:
        """The first of the spots (top left corners) where the name is over no
        other name and no symbol, taken; ``clear`` (from ``clear_of_symbols``) when
        already known. ``over_symbols``: failing that, the first over no name."""
        if clear is None:
            clear = self.clear_of_symbols(lefts, tops, width_px, height_px)
        for side in np.flatnonzero(clear).tolist():
            if self.take(lefts[side], tops[side], width_px, height_px):
                return float(lefts[side]), float(tops[side])
        if over_symbols:
            for left, top in zip(lefts.tolist(), tops.tolist(), strict=True):
                if self.take(left, top, width_px, height_px):
                    return left, top
        return None

    def take(self, left_px: float, top_px: float, width_px: float, height_px: float) -> bool:
        """Take the rectangle for a name if no name is there (and it is inside the
        view); says whether it was taken. Symbols are not looked at."""
        if (
            left_px < 0
            or top_px < 0
            or left_px + width_px > self._width_px
            or top_px + height_px > self._height_px
        ):
            return False
        first_row = math.floor((top_px + MARGIN_PX) / CELL_PX)
        first_column = math.floor((left_px + MARGIN_PX) / CELL_PX)
        end_row = math.ceil((top_px + height_px + MARGIN_PX) / CELL_PX)
        end_column = math.ceil((left_px + width_px + MARGIN_PX) / CELL_PX)
        cells = self._named[first_row:end_row, first_column:end_column]
        if cells.any():
            return False
        cells[:] = True
        return True

    def block(self, left_px: float, top_px: float, width_px: float, height_px: float) -> None:
        """Keep names out of the rectangle, whatever is already there."""
        first_row = max(0, math.floor((top_px + MARGIN_PX) / CELL_PX))
        first_column = max(0, math.floor((left_px + MARGIN_PX) / CELL_PX))
        end_row = math.ceil((top_px + height_px + MARGIN_PX) / CELL_PX)
        end_column = math.ceil((left_px + width_px + MARGIN_PX) / CELL_PX)
        self._named[first_row:end_row, first_column:end_column] = True


def label_order(
    mmsi: np.ndarray,
    sog_kn: np.ndarray,
    candidates: np.ndarray,
    selected_mmsi: int | None,
    alerting: frozenset[int] | set[int],
    most: int,
    wanted: frozenset[int] | set[int] = frozenset(),
) -> np.ndarray:
    """At most ``most`` of ``candidates`` (row numbers), most important first: the
    selected vessel, then vessels with an alert, then ``wanted`` ones (whose label
    the operator asked for, such as an ETA), then moving vessels (fastest first),
    then the others, in the picture's order."""
    if not len(candidates):
        return candidates
    sog = sog_kn[candidates]
    rank = (sog >= 0.5).astype(np.float64)
    if alerting:
        rank += 3.0 * np.isin(mmsi[candidates], np.fromiter(alerting, dtype=np.int64))
    if wanted:
        rank += 1.5 * np.isin(mmsi[candidates], np.fromiter(wanted, dtype=np.int64))
    if selected_mmsi is not None:
        rank += 8.0 * (mmsi[candidates] == selected_mmsi)
    # One key, all different: the rank, the speed (below 1000 kn, in tenths), then
    # the picture's order (below a hundredth of a knot), so that the same vessels
    # win from frame to frame.
    key = -(rank * 1e3 + np.minimum(sog, 999.0)) + np.arange(len(sog)) * (0.01 / len(sog))
    if len(candidates) > most:  # the best ``most`` found first, then only those sorted
        best = np.argpartition(key, most - 1)[:most]
        return candidates[best[np.argsort(key[best])]]
    return candidates[np.argsort(key)]
