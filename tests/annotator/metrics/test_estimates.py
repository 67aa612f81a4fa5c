"""Bootstrap intervals: resampling units one by one or, when many are identical, by group."""

from __future__ import annotations

import math

import numpy as np
import pytest

from annotator.metrics import estimates
from annotator.metrics.estimates import bootstrap_sums, percentile_interval, resampling_counts


def share(sums: np.ndarray) -> np.ndarray:
    return np.asarray(sums[:, 0] / sums[:, 1], dtype=np.float64)


def hits(n: int, p: float, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.column_stack([(rng.random(n) < p).astype(np.float64), np.ones(n)])


def test_grouped_resampling_matches_the_normal_interval_of_a_proportion() -> None:
    per_unit = hits(20_000, 0.7)
    p = per_unit[:, 0].mean()
    half_width = 1.959964 * math.sqrt(p * (1 - p) / len(per_unit))

    estimate = bootstrap_sums(per_unit, share, n_resamples=4000)

    assert estimate.value == pytest.approx(p)
    assert estimate.low == pytest.approx(p - half_width, abs=0.15 * half_width)
    assert estimate.high == pytest.approx(p + half_width, abs=0.15 * half_width)


def test_grouped_and_unit_by_unit_resampling_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    # Three answers from five people: a few dozen distinct contributions over 30,000 units.
    rng = np.random.default_rng(3)
    answers = rng.integers(0, 3, size=(30_000, 5))
    per_unit = np.column_stack([(answers == k).sum(axis=1) for k in range(3)]).astype(float)

    def first_share(sums: np.ndarray) -> np.ndarray:
        return np.asarray(sums[:, 0] / sums.sum(axis=1), dtype=np.float64)

    grouped = bootstrap_sums(per_unit, first_share, n_resamples=3000, seed=1)
    monkeypatch.setattr(estimates, "GROUPED_MIN_UNITS", 10**9)
    one_by_one = bootstrap_sums(per_unit, first_share, n_resamples=3000, seed=1)

    width = one_by_one.high - one_by_one.low
    assert grouped.value == one_by_one.value
    assert grouped.low == pytest.approx(one_by_one.low, abs=0.1 * width)
    assert grouped.high == pytest.approx(one_by_one.high, abs=0.1 * width)


def test_continuous_contributions_are_resampled_unit_by_unit() -> None:
    rng = np.random.default_rng(5)
    per_unit = np.column_stack([rng.normal(size=6000), np.ones(6000)])

    estimate = bootstrap_sums(per_unit, share, n_resamples=50, seed=2)

    replicates = np.concatenate(
        [
            share(c.astype(float) @ per_unit)
            for c in resampling_counts(6000, 50, np.random.default_rng(2))
        ]
    )
    assert (estimate.low, estimate.high) == percentile_interval(replicates, 0.95)


def test_a_few_units_are_resampled_unit_by_unit_even_when_identical() -> None:
    per_unit = hits(200, 0.5)

    estimate = bootstrap_sums(per_unit, share, n_resamples=40, seed=4)

    replicates = np.concatenate(
        [
            share(c.astype(float) @ per_unit)
            for c in resampling_counts(200, 40, np.random.default_rng(4))
        ]
    )
    assert (estimate.low, estimate.high) == percentile_interval(replicates, 0.95)
