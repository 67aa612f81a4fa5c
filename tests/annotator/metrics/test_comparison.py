"""Judge-versus-human statistics against scikit-learn, SciPy, brute force and hand-worked cases."""

from __future__ import annotations

import importlib
import itertools
import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from scipy import stats

from annotator.metrics.comparison import (
    accuracy,
    confusion_matrix,
    expected_calibration_error,
    first_position_preference,
    judge_kappa,
    length_bias,
    position_bias,
    rank_correlation,
    reliability_curve,
)
from annotator.metrics.estimates import Estimate, resampling_counts

# scikit-learn ships no type information; imported as modules typed Any.
sk_metrics: Any = importlib.import_module("sklearn.metrics")
sk_calibration: Any = importlib.import_module("sklearn.calibration")

SEEDS = [0, 1, 2, 3, 4]


def explicit_interval(
    n_units: int,
    statistic: Callable[[np.ndarray], float],
    *,
    n_resamples: int,
    seed: int,
) -> tuple[float, float]:
    """Percentile interval of ``statistic`` recomputed on each explicitly resampled index set.

    Draws the same resampling counts as the vectorised path, then materialises every resample
    as unit indices, so each replicate goes through the reference implementation.
    """
    rng = np.random.default_rng(seed)
    replicates = []
    for counts in resampling_counts(n_units, n_resamples, rng):
        for row in counts:
            replicates.append(statistic(np.repeat(np.arange(n_units), row)))
    values = np.array(replicates)
    values = values[np.isfinite(values)]
    low, high = np.percentile(values, [2.5, 97.5])
    return float(low), float(high)


def random_codes(rng: np.random.Generator, n: int, k: int, missing: float = 0.15) -> np.ndarray:
    codes = rng.integers(0, k, n)
    codes[rng.random(n) < missing] = -1
    return codes


def assert_undefined(estimate: Estimate, n: int = 0) -> None:
    assert math.isnan(estimate.value)
    assert math.isnan(estimate.low)
    assert math.isnan(estimate.high)
    assert estimate.n == n


# --- accuracy ---------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_accuracy_matches_sklearn_with_missing_and_ties(seed: int) -> None:
    rng = np.random.default_rng(seed)
    reference = random_codes(rng, 500, 3)
    # A judge that is right about 70% of the time, so accuracy is far from both 0 and 1.
    predicted = np.where(rng.random(500) < 0.7, reference, rng.integers(0, 3, 500))
    predicted[rng.random(500) < 0.1] = -1
    overall, no_ties = accuracy(predicted, reference, tie=2, n_resamples=50)

    answered = (predicted >= 0) & (reference >= 0)
    expected = sk_metrics.accuracy_score(reference[answered], predicted[answered])
    assert overall.value == pytest.approx(expected, abs=1e-12)
    assert overall.n == answered.sum()
    decisive = answered & (reference != 2)
    expected_no_ties = sk_metrics.accuracy_score(reference[decisive], predicted[decisive])
    assert no_ties.value == pytest.approx(expected_no_ties, abs=1e-12)
    assert no_ties.n == decisive.sum()


def test_accuracy_hand_worked() -> None:
    # Units 0..5; unit 4 has no judge answer and is dropped. Retained: hits at units 0, 1, 3;
    # misses at 2 (1 vs 2) and 5 (2 vs 1): 3/5. Without human ties (reference 2), units 0, 1, 2
    # remain with hits at 0 and 1: 2/3.
    predicted = np.array([0, 1, 2, 2, -1, 1])
    reference = np.array([0, 1, 1, 2, 2, 2])
    overall, no_ties = accuracy(predicted, reference, tie=2)
    assert overall.value == pytest.approx(0.6)
    assert overall.n == 5
    assert no_ties.value == pytest.approx(2 / 3)
    assert no_ties.n == 3
    same_overall, same_no_ties = accuracy(predicted, reference)
    assert same_overall == same_no_ties == overall
    # Item x candidate arrays are read as flat units.
    shaped, _ = accuracy(predicted.reshape(2, 3), reference.reshape(2, 3), tie=2)
    assert shaped == overall


def test_accuracy_bootstrap_equals_explicit_resampling() -> None:
    rng = np.random.default_rng(11)
    reference = random_codes(rng, 150, 3)
    predicted = np.where(rng.random(150) < 0.6, reference, rng.integers(0, 3, 150))
    overall, no_ties = accuracy(predicted, reference, tie=2, n_resamples=60, seed=5)

    answered = (predicted >= 0) & (reference >= 0)
    ref, pred = reference[answered], predicted[answered]

    def resampled_accuracy(index: np.ndarray) -> float:
        return float(sk_metrics.accuracy_score(ref[index], pred[index]))

    def resampled_no_ties(index: np.ndarray) -> float:
        kept = index[ref[index] != 2]
        return float(sk_metrics.accuracy_score(ref[kept], pred[kept])) if kept.size else math.nan

    low, high = explicit_interval(ref.size, resampled_accuracy, n_resamples=60, seed=5)
    assert (overall.low, overall.high) == pytest.approx((low, high), abs=1e-12)
    low, high = explicit_interval(ref.size, resampled_no_ties, n_resamples=60, seed=5)
    assert (no_ties.low, no_ties.high) == pytest.approx((low, high), abs=1e-12)


def test_accuracy_interval_contains_value_is_reproducible_and_narrows() -> None:
    rng = np.random.default_rng(3)
    reference = rng.integers(0, 2, 4000)
    predicted = np.where(rng.random(4000) < 0.75, reference, 1 - reference)
    small, _ = accuracy(predicted[:100], reference[:100], n_resamples=300)
    large, _ = accuracy(predicted, reference, n_resamples=300)
    for estimate in (small, large):
        assert estimate.low <= estimate.value <= estimate.high
    assert large.high - large.low < (small.high - small.low) / 3
    assert accuracy(predicted, reference, seed=9)[0] == accuracy(predicted, reference, seed=9)[0]
    assert accuracy(predicted, reference, seed=9)[0] != accuracy(predicted, reference, seed=8)[0]


def test_accuracy_edge_cases() -> None:
    empty = np.array([], dtype=np.int64)
    for estimate in accuracy(empty, empty, tie=2):
        assert_undefined(estimate)
    for estimate in accuracy(np.array([-1, 0]), np.array([1, -1])):
        assert_undefined(estimate)
    single, _ = accuracy(np.array([1]), np.array([1]))
    assert single.value == 1.0
    assert single.n == 1
    assert math.isnan(single.low)
    identical, _ = accuracy(np.zeros(20, dtype=np.int64), np.zeros(20, dtype=np.int64))
    assert (identical.value, identical.low, identical.high) == (1.0, 1.0, 1.0)
    overall, no_ties = accuracy(np.array([2, 0, 2]), np.array([2, 2, 2]), tie=2)
    assert overall.value == pytest.approx(2 / 3)
    assert_undefined(no_ties)


def test_accuracy_bad_input() -> None:
    with pytest.raises(ValueError, match="same shape"):
        accuracy(np.array([0, 1]), np.array([0, 1, 1]))
    with pytest.raises(ValueError, match="integer"):
        accuracy(np.array([0.0, 1.0]), np.array([0, 1]))
    with pytest.raises(ValueError, match="below -1"):
        accuracy(np.array([0, -2]), np.array([0, 1]))


# --- confusion matrix and kappa ---------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_confusion_matrix_matches_sklearn(seed: int) -> None:
    rng = np.random.default_rng(seed)
    predicted, reference = random_codes(rng, 300, 4), random_codes(rng, 300, 4)
    answered = (predicted >= 0) & (reference >= 0)
    expected = sk_metrics.confusion_matrix(
        reference[answered], predicted[answered], labels=range(5)
    )
    np.testing.assert_array_equal(confusion_matrix(predicted, reference, 5), expected)


def test_confusion_matrix_hand_worked_and_empty() -> None:
    # Rows are the human reference: (ref 0, pred 0) twice, (ref 0, pred 1), (ref 1, pred 0);
    # the unit with a missing judge answer is dropped.
    matrix = confusion_matrix(np.array([0, 0, 1, 0, -1]), np.array([0, 0, 0, 1, 1]), 2)
    np.testing.assert_array_equal(matrix, [[2, 1], [1, 0]])
    assert matrix.dtype == np.int64
    np.testing.assert_array_equal(confusion_matrix(np.array([-1]), np.array([0]), 3), 0)
    with pytest.raises(ValueError, match=r"0\.\.1"):
        confusion_matrix(np.array([0, 2]), np.array([0, 1]), 2)
    with pytest.raises(ValueError, match="n_categories"):
        confusion_matrix(np.array([0]), np.array([0]), 0)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("weights", [None, "linear", "quadratic"])
def test_judge_kappa_matches_sklearn(seed: int, weights: Any) -> None:
    rng = np.random.default_rng(seed)
    reference = random_codes(rng, 400, 4)
    predicted = np.where(rng.random(400) < 0.5, reference, rng.integers(0, 4, 400))
    answered = (predicted >= 0) & (reference >= 0)
    expected = sk_metrics.cohen_kappa_score(
        reference[answered], predicted[answered], labels=range(4), weights=weights
    )
    assert judge_kappa(predicted, reference, 4, weights=weights) == pytest.approx(
        expected, abs=1e-9
    )


def test_judge_kappa_hand_worked_and_undefined() -> None:
    # 2x2 table (rows human, columns judge) [[20, 5], [10, 15]]: observed 35/50 = 0.7; marginals
    # 25/25 (human) and 30/20 (judge) give chance (25*30 + 25*20) / 2500 = 0.5; kappa = 0.4.
    reference = np.repeat([0, 0, 1, 1], [20, 5, 10, 15])
    predicted = np.repeat([0, 1, 0, 1], [20, 5, 10, 15])
    assert judge_kappa(predicted, reference, 2) == pytest.approx(0.4)
    assert math.isnan(judge_kappa(np.zeros(5, np.int64), np.zeros(5, np.int64), 2))
    assert math.isnan(judge_kappa(np.array([-1, 0]), np.array([0, -1]), 2))
    with pytest.raises(ValueError, match="Category codes"):
        judge_kappa(np.array([3]), np.array([0]), 2)


# --- rank correlation -------------------------------------------------------------------------


def brute_force_tau_b(x: np.ndarray, y: np.ndarray) -> float:
    """Kendall's tau-b from its definition: (C - D) / sqrt((n0 - n1) (n0 - n2)), over all pairs."""
    concordant = discordant = tied_x = tied_y = 0
    for i, j in itertools.combinations(range(x.size), 2):
        dx, dy = np.sign(x[i] - x[j]), np.sign(y[i] - y[j])
        tied_x += dx == 0
        tied_y += dy == 0
        concordant += dx * dy > 0
        discordant += dx * dy < 0
    pairs = x.size * (x.size - 1) // 2
    return float((concordant - discordant) / math.sqrt((pairs - tied_x) * (pairs - tied_y)))


@pytest.mark.parametrize("seed", SEEDS)
def test_rank_correlation_matches_definitions_with_ties_and_nan(seed: int) -> None:
    rng = np.random.default_rng(seed)
    human = rng.integers(1, 6, 120).astype(np.float64)  # 1-5 ratings: many ties
    judge = np.round(human + rng.normal(0, 1.2, 120))
    human[rng.random(120) < 0.1] = np.nan
    judge[rng.random(120) < 0.1] = np.nan
    rho, tau, n = rank_correlation(judge, human)

    kept = ~(np.isnan(human) | np.isnan(judge))
    x, y = judge[kept], human[kept]
    # Spearman's rho is Pearson's r of mid-ranks.
    expected_rho = np.corrcoef(stats.rankdata(x), stats.rankdata(y))[0, 1]
    assert n == kept.sum()
    assert rho == pytest.approx(expected_rho, abs=1e-12)
    assert tau == pytest.approx(brute_force_tau_b(x, y), abs=1e-12)


def test_rank_correlation_hand_worked() -> None:
    # d = [-1, 1, -1, 1, 0], sum d^2 = 4: rho = 1 - 6 * 4 / (5 * 24) = 0.8. Of 10 pairs, (1, 2)
    # and (3, 4) are discordant: tau = (8 - 2) / 10 = 0.6. The nan pair is dropped.
    rho, tau, n = rank_correlation(
        np.array([1.0, 2.0, 3.0, 4.0, 5.0, np.nan]), np.array([2.0, 1.0, 4.0, 3.0, 5.0, 1.0])
    )
    assert rho == pytest.approx(0.8)
    assert tau == pytest.approx(0.6)
    assert n == 5


def test_rank_correlation_undefined_without_warnings() -> None:
    cases = [
        (np.array([3.0, 3.0, 3.0]), np.array([1.0, 2.0, 3.0]), 3),
        (np.array([1.0, 2.0, 3.0]), np.array([2.0, 2.0, 2.0]), 3),
        (np.array([1.0]), np.array([2.0]), 1),
        (np.array([]), np.array([]), 0),
        (np.array([np.nan, 1.0]), np.array([1.0, np.nan]), 0),
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for x, y, n in cases:
            rho, tau, kept = rank_correlation(x, y)
            assert math.isnan(rho)
            assert math.isnan(tau)
            assert kept == n
    with pytest.raises(ValueError, match="same shape"):
        rank_correlation(np.array([1.0, 2.0]), np.array([1.0]))


# --- calibration ------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_reliability_curve_matches_sklearn(seed: int) -> None:
    rng = np.random.default_rng(seed)
    probability = rng.random(400) ** 2  # skewed, so some upper bins are sparse
    # Values exactly on edges check the closed-on-the-right convention against sklearn's.
    probability[:12] = np.linspace(0, 1, 12)
    probability[12:23] = np.linspace(0.0, 1.0, 11)
    outcome = (rng.random(400) < probability).astype(np.float64)
    probability[30] = np.nan
    curve = reliability_curve(probability, outcome, n_bins=10)

    kept = ~np.isnan(probability)
    prob_true, prob_pred = sk_calibration.calibration_curve(
        outcome[kept], probability[kept], n_bins=10, strategy="uniform"
    )
    filled = curve.count > 0
    np.testing.assert_allclose(curve.observed[filled], prob_true, rtol=0, atol=1e-12)
    np.testing.assert_allclose(curve.predicted[filled], prob_pred, rtol=0, atol=1e-12)
    assert curve.count.sum() == kept.sum()
    np.testing.assert_allclose(curve.edges, np.linspace(0, 1, 11))
    assert np.all(np.isnan(curve.observed[~filled]))


def test_reliability_curve_bin_edges_are_closed_on_the_right() -> None:
    curve = reliability_curve(
        np.array([0.0, 0.5, 0.5000001, 1.0]), np.array([0, 1, 0, 1]), n_bins=2
    )
    np.testing.assert_array_equal(curve.count, [2, 2])


def test_expected_calibration_error_hand_worked() -> None:
    # Two bins, [0, 0.5] and (0.5, 1]. Bin 0: p = 0.2, 0.4 with outcomes 0, 1: mean p 0.3,
    # observed 0.5, gap 0.2. Bin 1: p = 0.6, 0.8, 1.0 with outcomes 1, 1 and a tie (0.5): mean p
    # 0.8, observed 2.5 / 3, gap 1/30. ECE = 2/5 * 0.2 + 3/5 * 1/30 = 0.08 + 0.02 = 0.1.
    probability = np.array([0.2, 0.4, 0.6, 0.8, 1.0])
    outcome = np.array([0.0, 1.0, 1.0, 1.0, 0.5])
    curve = reliability_curve(probability, outcome, n_bins=2)
    np.testing.assert_allclose(curve.predicted, [0.3, 0.8])
    np.testing.assert_allclose(curve.observed, [0.5, 2.5 / 3])
    np.testing.assert_array_equal(curve.count, [2, 3])
    assert expected_calibration_error(curve) == pytest.approx(0.1, abs=1e-12)


@pytest.mark.parametrize("seed", SEEDS)
def test_expected_calibration_error_direct_formula(seed: int) -> None:
    rng = np.random.default_rng(seed)
    probability = rng.random(300)
    outcome = rng.choice([0.0, 0.5, 1.0], 300)
    curve = reliability_curve(probability, outcome, n_bins=7)
    # ECE = 1/N * sum over bins of |sum of (outcome - probability) in the bin|.
    edges = np.linspace(0, 1, 8)
    total = 0.0
    for low, high in itertools.pairwise(edges):
        inside = ((probability > low) | (low == 0)) & (probability <= high)
        total += abs(float((outcome[inside] - probability[inside]).sum()))
    assert expected_calibration_error(curve) == pytest.approx(total / 300, abs=1e-12)


def test_reliability_curve_edge_cases_and_bad_input() -> None:
    empty = reliability_curve(np.array([]), np.array([]), n_bins=4)
    np.testing.assert_array_equal(empty.count, [0, 0, 0, 0])
    assert math.isnan(expected_calibration_error(empty))
    perfect = reliability_curve(np.array([1.0, 1.0, 0.0]), np.array([1.0, 1.0, 0.0]), n_bins=5)
    assert expected_calibration_error(perfect) == 0.0
    with pytest.raises(ValueError, match="probability"):
        reliability_curve(np.array([1.5]), np.array([1.0]))
    with pytest.raises(ValueError, match="outcome"):
        reliability_curve(np.array([0.5]), np.array([2.0]))
    with pytest.raises(ValueError, match="n_bins"):
        reliability_curve(np.array([0.5]), np.array([1.0]), n_bins=0)
    with pytest.raises(ValueError, match="same shape"):
        reliability_curve(np.array([0.5, 0.2]), np.array([1.0]))


# --- position and length bias -----------------------------------------------------------------


def test_position_bias_hand_worked() -> None:
    # Canonical verdicts (swapped run mapped 0 <-> 1): unit 0: 0 vs 0 (same); unit 1: 0 vs 1
    # (a judge that always picks the first shown: flip); unit 2: 2 vs 2 (same); unit 3: 1 vs 2
    # (flip); unit 4: swapped missing, only in the preference. Flip rate 2/4 = 0.5.
    # Decisive display verdicts pooled: 0, 1 | 0, 0 | 1 | 0 = 4 firsts of 6.
    original = np.array([0, 0, 2, 1, 0])
    swapped = np.array([1, 0, 2, 2, -1])
    bias = position_bias(original, swapped)
    assert bias.flip_rate.value == pytest.approx(0.5)
    assert bias.flip_rate.n == 4
    assert bias.first_position_preference.value == pytest.approx(4 / 6)
    assert bias.first_position_preference.n == 4  # units with a decisive verdict


@pytest.mark.parametrize("seed", SEEDS)
def test_position_bias_matches_brute_force(seed: int) -> None:
    rng = np.random.default_rng(seed)
    original = rng.integers(-1, 3, 200)
    swapped = rng.integers(-1, 3, 200)
    bias = position_bias(original, swapped, n_resamples=30)
    canonical = {0: 1, 1: 0, 2: 2}
    flips = [
        canonical[int(s)] != int(o)
        for o, s in zip(original, swapped, strict=True)
        if o >= 0 and s >= 0
    ]
    assert bias.flip_rate.value == pytest.approx(sum(flips) / len(flips), abs=1e-12)
    decisive = [int(v) for v in np.concatenate([original, swapped]) if v in (0, 1)]
    assert bias.first_position_preference.value == pytest.approx(
        decisive.count(0) / len(decisive), abs=1e-12
    )


def test_position_bias_bootstrap_equals_explicit_resampling() -> None:
    rng = np.random.default_rng(21)
    original = rng.integers(-1, 3, 120)
    swapped = np.where(rng.random(120) < 0.7, 1 - original.clip(0, 1), rng.integers(-1, 3, 120))
    bias = position_bias(original, swapped, n_resamples=50, seed=4)

    both = (original >= 0) & (swapped >= 0)
    o, s = original[both], swapped[both]
    mapped = np.where(s == 2, 2, 1 - s)

    def flip_rate(index: np.ndarray) -> float:
        return float(np.mean(o[index] != mapped[index]))

    low, high = explicit_interval(o.size, flip_rate, n_resamples=50, seed=4)
    assert (bias.flip_rate.low, bias.flip_rate.high) == pytest.approx((low, high), abs=1e-12)

    units = np.column_stack([original, swapped])
    units = units[((units == 0) | (units == 1)).any(axis=1)]

    def preference(index: np.ndarray) -> float:
        verdicts = units[index].ravel()
        decisive = verdicts[(verdicts == 0) | (verdicts == 1)]
        return float(np.mean(decisive == 0))

    low, high = explicit_interval(units.shape[0], preference, n_resamples=50, seed=4)
    pref = bias.first_position_preference
    assert (pref.low, pref.high) == pytest.approx((low, high), abs=1e-12)
    assert pref.low <= pref.value <= pref.high


def test_first_position_preference_for_people() -> None:
    # One verdict per annotation: 3 firsts out of 4 decisive (the tie and the missing drop out).
    estimate = first_position_preference(np.array([0, 0, 1, 2, -1, 0]))
    assert estimate.value == pytest.approx(0.75)
    assert estimate.n == 4
    rng = np.random.default_rng(5)
    biased = (rng.random(3000) < 0.3).astype(np.int64)  # first shown wins 70%
    estimate = first_position_preference(biased, n_resamples=200)
    assert estimate.low <= 0.7 <= estimate.high
    assert estimate.high < 0.75


def test_position_bias_edge_cases_and_bad_input() -> None:
    empty = np.array([], dtype=np.int64)
    bias = position_bias(empty, empty)
    assert_undefined(bias.flip_rate)
    assert_undefined(bias.first_position_preference)
    ties = position_bias(np.array([2, 2]), np.array([2, 2]))
    assert ties.flip_rate.value == 0.0
    assert_undefined(ties.first_position_preference)
    assert_undefined(first_position_preference(np.array([2, -1])))
    assert_undefined(first_position_preference(empty))
    with pytest.raises(ValueError, match="verdict_swapped"):
        position_bias(np.array([0]), np.array([3]))
    with pytest.raises(ValueError, match="same shape"):
        position_bias(np.array([0, 1]), np.array([0]))
    with pytest.raises(ValueError, match="1-D"):
        first_position_preference(np.zeros((2, 2, 2), dtype=np.int64))


def test_length_bias_hand_worked_and_brute_force() -> None:
    # Unit 0: b (longer) wins; 1: a (longer) wins; 2: a (shorter) wins; 3: tie, dropped;
    # 4: equal lengths, dropped; 5: unknown length, dropped. Longer won 2 of 3.
    winner = np.array([1, 0, 0, 2, 1, 0])
    length_a = np.array([10.0, 50.0, 5.0, 10.0, 7.0, np.nan])
    length_b = np.array([20.0, 40.0, 9.0, 30.0, 7.0, 3.0])
    estimate = length_bias(winner, length_a, length_b)
    assert estimate.value == pytest.approx(2 / 3)
    assert estimate.n == 3

    rng = np.random.default_rng(8)
    winner = rng.integers(-1, 3, 300)
    length_a = rng.integers(1, 30, 300).astype(np.float64)
    length_b = rng.integers(1, 30, 300).astype(np.float64)
    longer_won = [
        (w == 0) == (la > lb)
        for w, la, lb in zip(winner, length_a, length_b, strict=True)
        if w in (0, 1) and la != lb
    ]
    estimate = length_bias(winner, length_a, length_b, n_resamples=200)
    assert estimate.value == pytest.approx(float(np.mean(longer_won)), abs=1e-12)
    assert estimate.n == len(longer_won)
    assert estimate.low <= estimate.value <= estimate.high


def test_length_bias_bootstrap_equals_explicit_resampling() -> None:
    rng = np.random.default_rng(13)
    winner = rng.integers(0, 2, 90)
    length_a, length_b = rng.random(90), rng.random(90)
    estimate = length_bias(winner, length_a, length_b, n_resamples=40, seed=2)
    longer_won = (winner == 0) == (length_a > length_b)

    def share(index: np.ndarray) -> float:
        return float(np.mean(longer_won[index]))

    low, high = explicit_interval(90, share, n_resamples=40, seed=2)
    assert (estimate.low, estimate.high) == pytest.approx((low, high), abs=1e-12)


def test_length_bias_edge_cases_and_bad_input() -> None:
    empty = np.array([], dtype=np.int64)
    assert_undefined(length_bias(empty, np.array([]), np.array([])))
    same = np.array([4.0, 4.0])
    assert_undefined(length_bias(np.array([0, 1]), same, same))
    assert_undefined(length_bias(np.array([2, -1]), np.array([1.0, 2.0]), np.array([3.0, 1.0])))
    with pytest.raises(ValueError, match="negative"):
        length_bias(np.array([0]), np.array([-1.0]), np.array([2.0]))
    with pytest.raises(ValueError, match="winner"):
        length_bias(np.array([5]), np.array([1.0]), np.array([2.0]))
