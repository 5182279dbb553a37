"""Where names go on the map: each beside its symbol, on the first side that is
free (right, left, above, below), never over another name nor over another
vessel's symbol; a name with no free side is left out. Names are placed most
important first, so in a crowd the ones that matter are the ones shown; the
selected vessel's and those with alerts may cover other symbols (never names)
rather than be left out.

Free space is kept as a grid of 2-pixel cells over the view (and a margin round
it). A name takes every cell its rectangle touches, so two names whose cells
differ cannot overlap: the guarantee holds to the pixel, not only roughly.
"""

from __future__ import annotations

import math

import numpy as np

CELL_PX = 2
MARGIN_PX = 256
"""Names of vessels just off the view may reach into it; beyond this they are not drawn."""
SYMBOL_HALF_PX = 4
"""Half the side of the square of a symbol that no name may cover: the symbol's
core, so that names sit close beside it."""
GAP_PX = 9.0
"""From a symbol's centre to the near edge of its name."""


class LabelPlacer:
    """Free space on a ``width_px`` × ``height_px`` view, for one frame."""

    def __init__(self, width_px: float, height_px: float) -> None:
        self._rows = math.ceil((height_px + 2 * MARGIN_PX) / CELL_PX)
        self._columns = math.ceil((width_px + 2 * MARGIN_PX) / CELL_PX)
        self._taken = np.zeros((self._rows, self._columns), dtype=bool)
        """Cells under names or symbols."""
        self._named = np.zeros((self._rows, self._columns), dtype=bool)
        """Cells under names only."""

    def block_symbols(self, x_px: np.ndarray, y_px: np.ndarray) -> None:
        """Keep names off the symbols at (x, y): all of them at once."""
        if not len(x_px):
            return
        reach = SYMBOL_HALF_PX // CELL_PX
        steps = np.arange(-reach, reach)
        row = ((y_px + MARGIN_PX) // CELL_PX).astype(np.int64)
        column = ((x_px + MARGIN_PX) // CELL_PX).astype(np.int64)
        rows = row[:, None, None] + steps[None, :, None]
        columns = column[:, None, None] + steps[None, None, :]
        rows, columns = np.broadcast_arrays(rows, columns)
        inside = (rows >= 0) & (rows < self._rows) & (columns >= 0) & (columns < self._columns)
        self._taken[rows[inside], columns[inside]] = True

    def place_beside(
        self,
        x_px: float,
        y_px: float,
        width_px: float,
        height_px: float,
        gap_px: float = GAP_PX,
        over_symbols: bool = False,
    ) -> tuple[float, float] | None:
        """The top left corner of a ``width_px`` × ``height_px`` name ``gap_px`` beside
        the symbol at (x, y), on the first free side (right, left, above, below),
        taken; None when no side is free. ``over_symbols``: when no side is free of
        symbols, the first side free of names."""
        half = height_px / 2
        sides = (
            (x_px + gap_px, y_px - half),
            (x_px - gap_px - width_px, y_px - half),
            (x_px - width_px / 2, y_px - gap_px - height_px),
            (x_px - width_px / 2, y_px + gap_px),
        )
        for covering in (False, True) if over_symbols else (False,):
            for left, top in sides:
                if self.take(left, top, width_px, height_px, covering):
                    return left, top
        return None

    def take(
        self,
        left_px: float,
        top_px: float,
        width_px: float,
        height_px: float,
        over_symbols: bool = False,
    ) -> bool:
        """Take the rectangle if it is free (and within the margin); says whether it
        was. ``over_symbols``: free of names is enough."""
        first_row, first_column, end_row, end_column = self._cells(
            left_px, top_px, width_px, height_px
        )
        if first_row < 0 or first_column < 0 or end_row > self._rows or end_column > self._columns:
            return False
        cells = np.s_[first_row:end_row, first_column:end_column]
        if (self._named if over_symbols else self._taken)[cells].any():
            return False
        self._taken[cells] = True
        self._named[cells] = True
        return True

    def block(self, left_px: float, top_px: float, width_px: float, height_px: float) -> None:
        """Keep names out of the rectangle, whatever is already there."""
        first_row, first_column, end_row, end_column = self._cells(
            left_px, top_px, width_px, height_px
        )
        cells = np.s_[max(0, first_row) : end_row, max(0, first_column) : end_column]
        self._taken[cells] = True
        self._named[cells] = True

    @staticmethod
    def _cells(
        left_px: float, top_px: float, width_px: float, height_px: float
    ) -> tuple[int, int, int, int]:
        """First row and column, and the ends, of the cells the rectangle touches."""
        return (
            math.floor((top_px + MARGIN_PX) / CELL_PX),
            math.floor((left_px + MARGIN_PX) / CELL_PX),
            math.ceil((top_px + height_px + MARGIN_PX) / CELL_PX),
            math.ceil((left_px + width_px + MARGIN_PX) / CELL_PX),
        )


def label_order(
    mmsi: np.ndarray,
    sog_kn: np.ndarray,
    candidates: np.ndarray,
    selected_mmsi: int | None,
    alerting: frozenset[int] | set[int],
) -> np.ndarray:
    """``candidates`` (row numbers) most important first: the selected vessel, then
    vessels with an alert, then moving vessels (fastest first), then the others."""
    if not len(candidates):
        return candidates
    rank = (sog_kn[candidates] >= 0.5).astype(np.int8)
    if alerting:
        alert = np.isin(mmsi[candidates], np.fromiter(alerting, dtype=np.int64))
        rank = rank + 2 * alert.astype(np.int8)
    if selected_mmsi is not None:
        rank = rank + 4 * (mmsi[candidates] == selected_mmsi).astype(np.int8)
    # lexsort: the last key first; stable, so equals keep the picture's order.
    return candidates[np.lexsort((-sog_kn[candidates], -rank))]
