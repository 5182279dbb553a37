"""The close-quarters arithmetic: CPA and TCPA against the geometry, and the grid
that picks candidate pairs against all pairs (it may keep extra pairs, never miss
one that meets)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from portwatch.analytics.encounters import all_pairs_cpa, candidate_pairs, cpa_tcpa


def test_cpa_and_tcpa_of_a_crossing():
    # B 1000 m east of A; A north at 5 m/s, B west at 5 m/s: closest when the
    # relative position (1000, 0) moving at (-5, -5) is nearest the origin.
    cpa, tcpa = cpa_tcpa(np.array([1000.0]), np.array([0.0]), np.array([-5.0]), np.array([-5.0]))
    assert cpa[0] == pytest.approx(1000 / math.sqrt(2))
    assert tcpa[0] == pytest.approx(100.0)
    # no relative motion: the distance stays, TCPA 0
    cpa, tcpa = cpa_tcpa(np.array([30.0]), np.array([40.0]), np.array([0.0]), np.array([0.0]))
    assert (cpa[0], tcpa[0]) == (50.0, 0.0)


@pytest.mark.parametrize(
    ("seed", "n", "side_m"),
    [(1, 2500, 25_000), (2, 2500, 25_000), (3, 2500, 25_000), (4, 300, 6_000), (5, 120, 4_000)],
)
def test_the_grid_misses_no_pair_that_meets(seed, n, side_m):
    """In a crowd (the look-ahead in stretches) and in a port's usual traffic (fewer
    movers than ``SLICE_FROM_MOVERS``: one stretch)."""
    rng = np.random.default_rng(seed)
    limit, lookahead = 463.0, 720.0
    x, y = rng.uniform(0, side_m, n), rng.uniform(0, side_m, n)
    speed = np.where(rng.random(n) < 0.3, 0.0, rng.uniform(1, 12, n))
    course = rng.uniform(0, 2 * np.pi, n)
    vx, vy = speed * np.sin(course), speed * np.cos(course)
    ship = rng.random(n) < 0.5
    first, second = candidate_pairs(
        x, y, vx, vy, lookahead, limit / 2, moving=speed > 0, wanted=ship
    )
    cpa, tcpa = all_pairs_cpa(x, y, vx, vy)
    i, j = np.triu_indices(n, k=1)
    meets = (cpa < limit) & (tcpa >= 0) & (tcpa <= lookahead) & ((speed[i] > 0) | (speed[j] > 0))
    meets &= ship[i] | ship[j]
    wanted = set(zip(i[meets].tolist(), j[meets].tolist(), strict=True))
    found = set(zip(first.tolist(), second.tolist(), strict=True))
    assert wanted
    assert wanted <= found
    assert len(found) < len(i) / (20 if n > 1000 else 4)  # and it is a grid, not every pair
