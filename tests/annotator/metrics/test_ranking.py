"""Bradley-Terry / Davidson leaderboard against choix, an independent fit and closed forms."""

from __future__ import annotations

import math

import choix
import numpy as np
import numpy.typing as npt
import pytest
from scipy.optimize import minimize

from annotator.metrics.ranking import (
    RIDGE,
    TieModel,
    bradley_terry,
    fit_counts,
    outcome_counts,
    win_rate_matrix,
)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def simulate(
    rng: np.random.Generator, n: int, strengths: FloatArray, nu: float, models: int | None = None
) -> tuple[IntArray, IntArray, FloatArray]:
    """``n`` Davidson comparisons between random pairs of the first ``models`` models."""
    m = len(strengths) if models is None else models
    first = rng.integers(0, m, n)
    second = (first + rng.integers(1, m, n)) % m
    p_first = np.exp(strengths[first])
    p_second = np.exp(strengths[second])
    tie = nu * np.sqrt(p_first * p_second)
    total = p_first + p_second + tie
    u = rng.random(n)
    outcome = np.where(u < p_first / total, 1.0, np.where(u < (p_first + tie) / total, 0.5, 0.0))
    return first.astype(np.int64), second.astype(np.int64), outcome


def davidson_reference(
    first: IntArray, second: IntArray, outcome: FloatArray, n_models: int, ridge: float
) -> tuple[FloatArray, float]:
    """Independent fit: the Davidson penalised NLL written over the raw comparison list.

    Same prior as the module (ridge/2 on every log-strength and on log nu), minimised by BFGS.
    """
    compared = np.unique(np.concatenate([first, second]))
    code = np.full(n_models, -1)
    code[compared] = np.arange(len(compared))
    f, s = code[first], code[second]
    m = len(compared)
    won, lost, tied = outcome == 1.0, outcome == 0.0, outcome == 0.5

    def parts(x: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
        a, b = x[f], x[s]
        c = x[m] + 0.5 * (a + b)
        norm = np.logaddexp(np.logaddexp(a, b), c)
        return a - norm, b - norm, c - norm, norm

    def nll(x: FloatArray) -> float:
        la, lb, lc, _ = parts(x)
        log_lik = la[won].sum() + lb[lost].sum() + lc[tied].sum()
        return float(-log_lik + 0.5 * ridge * (x @ x))

    def grad(x: FloatArray) -> FloatArray:
        la, lb, lc, _ = parts(x)
        pa, pb, pc = np.exp(la), np.exp(lb), np.exp(lc)
        g = ridge * x
        # d(-log P)/d theta_first: expected minus observed score of first (ties score a half).
        np.add.at(g, f, (pa + 0.5 * pc) - (won + 0.5 * tied))
        np.add.at(g, s, (pb + 0.5 * pc) - (lost + 0.5 * tied))
        g[m] += (pc - tied).sum()
        return g

    fit = minimize(nll, np.zeros(m + 1), jac=grad, method="BFGS", options={"gtol": 1e-10})
    scores = np.full(n_models, np.nan)
    scores[compared] = fit.x[:m] - fit.x[:m].mean()
    return scores, float(np.exp(fit.x[m]))


def choix_half(
    first: IntArray, second: IntArray, outcome: FloatArray, n_models: int, ridge: float
) -> FloatArray:
    """Bradley-Terry with ties as half wins, by choix on doubled data.

    choix takes whole wins only, so every decided comparison enters twice and a tie once each
    way: that is twice the "half" log-likelihood, so choix's penalty alpha * |theta|^2 must be
    twice ridge/2 * |theta|^2, i.e. alpha = ridge.
    """
    data: list[tuple[int, int]] = []
    for a, b, o in zip(first.tolist(), second.tolist(), outcome.tolist(), strict=True):
        if o == 1.0:
            data += [(a, b), (a, b)]
        elif o == 0.0:
            data += [(b, a), (b, a)]
        else:
            data += [(a, b), (b, a)]
    params = choix.opt_pairwise(n_models, data, alpha=ridge, tol=1e-12)
    return np.asarray(params - params.mean(), dtype=np.float64)


# --- counts and win rates ---------------------------------------------------------------------


def test_outcome_counts_and_win_rate_by_hand() -> None:
    # 0 beats 1 twice (once shown second), 1 beats 0 once, 0-1 tie once, 2 beats 1 once.
    first = np.array([0, 1, 1, 0, 2])
    second = np.array([1, 0, 0, 1, 1])
    outcome = np.array([1.0, 0.0, 1.0, 0.5, 1.0])
    wins, ties = outcome_counts(first, second, outcome, 4)
    assert wins[0, 1] == 2
    assert wins[1, 0] == 1
    assert wins[2, 1] == 1
    assert ties[0, 1] == 1
    assert ties[1, 0] == 1
    assert ties.sum() == 2
    rate, counts = win_rate_matrix(first, second, outcome, 4)
    # 0 vs 1: (2 wins + 0.5 tie) / 4 comparisons.
    assert rate[0, 1] == pytest.approx(2.5 / 4)
    assert rate[1, 0] == pytest.approx(1.5 / 4)
    assert rate[2, 1] == 1.0
    assert rate[1, 2] == 0.0
    assert counts[0, 1] == 4
    assert counts[1, 2] == 1
    assert counts[3].sum() == 0
    assert np.isnan(rate[0, 2])
    assert np.isnan(rate[3]).all()
    assert np.isnan(np.diag(rate)).all()
    assert counts.dtype == np.int64


# --- closed forms -----------------------------------------------------------------------------


def test_two_models_davidson_closed_form() -> None:
    # Two models, w wins / l losses / t ties of model 0 over model 1. With d = theta_0 - theta_1
    # the three cell probabilities are proportional to e^(d/2), e^(-d/2) and nu, so the model is
    # saturated (two free probabilities, two parameters) and the MLE reproduces the observed
    # shares: e^d = w / l and nu / e^(d/2) = t / w, i.e. theta_0 = -theta_1 = log(w / l) / 2
    # and nu = t / sqrt(w l). With w, l, t = 6, 2, 4: +-0.5493061443, nu = 4 / sqrt(12).
    first = np.zeros(12, dtype=np.int64)
    second = np.ones(12, dtype=np.int64)
    outcome = np.array([1.0] * 6 + [0.0] * 2 + [0.5] * 4)
    board = bradley_terry(first, second, outcome, 2, ridge=0.0, n_resamples=0)
    assert board.scores[0] == pytest.approx(0.5 * math.log(3), abs=1e-9)
    assert board.scores[1] == pytest.approx(-0.5 * math.log(3), abs=1e-9)
    assert board.tie_parameter == pytest.approx(4 / math.sqrt(12), abs=1e-9)
    # Same again with model 1 shown first: position must not matter.
    swapped = bradley_terry(second, first, 1.0 - outcome, 2, ridge=0.0, n_resamples=0)
    np.testing.assert_allclose(swapped.scores, board.scores, atol=1e-12)


def test_two_models_half_closed_form() -> None:
    # "half": 6 wins + 4/2 = 8 effective wins, 2 + 2 = 4 losses. The Bradley-Terry MLE matches
    # P(0 beats 1) = 8/12, so theta_0 - theta_1 = log(8/4) and the scores are +-log(2)/2.
    first = np.zeros(12, dtype=np.int64)
    second = np.ones(12, dtype=np.int64)
    outcome = np.array([1.0] * 6 + [0.0] * 2 + [0.5] * 4)
    board = bradley_terry(first, second, outcome, 2, ties="half", ridge=0.0, n_resamples=0)
    np.testing.assert_allclose(board.scores, [0.5 * math.log(2), -0.5 * math.log(2)], atol=1e-9)
    assert math.isnan(board.tie_parameter)


# --- against references -----------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_no_ties_matches_choix(seed: int) -> None:
    rng = np.random.default_rng(seed)
    strengths = rng.normal(scale=0.8, size=6)
    first, second, outcome = simulate(rng, 1500, strengths, nu=0.0, models=5)  # model 5 unseen
    assert not np.any(outcome == 0.5)
    board = bradley_terry(first, second, outcome, 6, ties="half", n_resamples=0)
    data = [
        (a, b) if o == 1.0 else (b, a)
        for a, b, o in zip(first.tolist(), second.tolist(), outcome.tolist(), strict=True)
    ]
    # choix's penalty alpha * |theta|^2 equals ridge/2 * |theta|^2 at alpha = ridge / 2.
    reference = choix.opt_pairwise(5, data, alpha=RIDGE / 2, tol=1e-12)
    np.testing.assert_allclose(board.scores[:5], reference - reference.mean(), atol=1e-6)
    assert np.isnan(board.scores[5])
    # Davidson on tie-free data: nu's MLE is 0; the prior holds it near 1e-5 instead, which
    # moves the strengths by ~1e-5, far inside their standard errors (~0.05).
    davidson = bradley_terry(first, second, outcome, 6, n_resamples=0)
    assert davidson.tie_parameter < 1e-3
    np.testing.assert_allclose(davidson.scores[:5], board.scores[:5], atol=1e-4)


@pytest.mark.parametrize("seed", [3, 4])
def test_half_with_ties_matches_choix(seed: int) -> None:
    rng = np.random.default_rng(seed)
    first, second, outcome = simulate(rng, 800, rng.normal(size=5), nu=0.8)
    board = bradley_terry(first, second, outcome, 5, ties="half", n_resamples=0)
    reference = choix_half(first, second, outcome, 5, RIDGE)
    np.testing.assert_allclose(board.scores, reference, atol=1e-6)


@pytest.mark.parametrize("seed", [5, 6, 7])
def test_davidson_matches_independent_fit(seed: int) -> None:
    rng = np.random.default_rng(seed)
    strengths = rng.normal(size=7)
    first, second, outcome = simulate(rng, 2000, strengths, nu=0.6, models=6)  # 6 unseen
    board = bradley_terry(first, second, outcome, 7, n_resamples=0)
    scores, nu = davidson_reference(first, second, outcome, 7, RIDGE)
    np.testing.assert_allclose(board.scores, scores, atol=1e-6)
    assert board.tie_parameter == pytest.approx(nu, abs=1e-6)
    assert np.nanmean(board.scores) == pytest.approx(0.0, abs=1e-12)


def test_ridge_does_not_move_well_determined_estimates() -> None:
    rng = np.random.default_rng(8)
    first, second, outcome = simulate(rng, 10_000, rng.normal(size=8), nu=0.5)
    board = bradley_terry(first, second, outcome, 8, n_resamples=200)
    plain = bradley_terry(first, second, outcome, 8, ridge=0.0, n_resamples=0)
    # Interval half-widths are ~0.05 here; the prior moves estimates by ~1e-6.
    shift = np.abs(board.scores - plain.scores)
    assert shift.max() < 1e-4
    assert np.all(shift < 1e-3 * (board.high - board.low))
    assert board.tie_parameter == pytest.approx(plain.tie_parameter, abs=1e-4)


def test_synthetic_recovery() -> None:
    rng = np.random.default_rng(9)
    truth = np.array([1.0, 0.5, 0.0, -0.3, -1.2])
    first, second, outcome = simulate(rng, 10_000, truth, nu=0.7)
    board = bradley_terry(first, second, outcome, 5, n_resamples=500)
    np.testing.assert_allclose(board.scores, truth - truth.mean(), atol=0.1)
    assert board.tie_parameter == pytest.approx(0.7, abs=0.05)
    np.testing.assert_array_equal(board.rank(), [0, 1, 2, 3, 4])
    # Five 95% intervals all cover only ~77% of the time (coverage proper is tested below);
    # here at least four must, and the fifth miss by less than its half-width.
    covered = (board.low <= truth) & (truth <= board.high)
    assert covered.sum() >= 4
    assert np.all(np.abs(board.scores - truth) < board.high - board.low)


def test_interval_coverage_over_simulations() -> None:
    # 30 data sets x 4 models = 120 intervals at 95%: coverage should be near 0.95; a broken
    # interval (too narrow, wrong centre, wrong resampling) would fall far below 0.85.
    rng = np.random.default_rng(10)
    truth = np.array([0.6, 0.1, -0.2, -0.5])
    centred = truth - truth.mean()
    covered = []
    for replicate in range(30):
        first, second, outcome = simulate(rng, 600, truth, nu=0.5)
        board = bradley_terry(first, second, outcome, 4, n_resamples=300, seed=replicate)
        covered.append((board.low <= centred) & (centred <= board.high))
    coverage = float(np.mean(covered))
    assert 0.85 <= coverage <= 1.0


# --- bootstrap --------------------------------------------------------------------------------


@pytest.mark.parametrize("ties", ["davidson", "half"])
def test_batched_replicates_equal_reference_on_resampled_data(ties: TieModel) -> None:
    # Each replicate is a refit on resampled counts. Resample comparisons explicitly, fit the
    # stacked counts in one batch through the vectorised path, and refit every resampled list
    # with the independent reference.
    rng = np.random.default_rng(11)
    first, second, outcome = simulate(rng, 700, rng.normal(size=5), nu=0.5)
    resamples = [rng.integers(0, 700, 700) for _ in range(3)]
    counts = [outcome_counts(first[i], second[i], outcome[i], 5) for i in resamples]
    wins = np.stack([c[0] for c in counts])
    tie_counts = np.stack([c[1] for c in counts])
    scores, nu = fit_counts(wins, tie_counts, ties_model=ties)
    assert scores.shape == (3, 5)
    assert nu.shape == (3,)
    for row, i in enumerate(resamples):
        if ties == "davidson":
            reference, reference_nu = davidson_reference(first[i], second[i], outcome[i], 5, RIDGE)
            assert nu[row] == pytest.approx(reference_nu, abs=1e-6)
        else:
            reference = choix_half(first[i], second[i], outcome[i], 5, RIDGE)
            assert np.isnan(nu[row])
        np.testing.assert_allclose(scores[row], reference, atol=1e-6)


def test_multinomial_bootstrap_agrees_with_explicit_resampling() -> None:
    # Drawing cell counts from a multinomial must give the same interval as resampling the
    # comparison list itself (up to Monte Carlo noise, ~0.06 of the width for 400 resamples).
    rng = np.random.default_rng(12)
    first, second, outcome = simulate(rng, 1000, np.array([0.4, 0.0, -0.4]), nu=0.5)
    board = bradley_terry(first, second, outcome, 3, n_resamples=400, seed=1)
    explicit = []
    for _ in range(400):
        i = rng.integers(0, 1000, 1000)
        wins, ties = outcome_counts(first[i], second[i], outcome[i], 3)
        explicit.append(fit_counts(wins, ties)[0])
    low, high = np.percentile(np.array(explicit), [2.5, 97.5], axis=0)
    width = board.high - board.low
    assert np.all(np.abs(low - board.low) < 0.25 * width)
    assert np.all(np.abs(high - board.high) < 0.25 * width)


def test_interval_contains_value_is_reproducible_and_narrows() -> None:
    rng = np.random.default_rng(13)
    truth = np.array([0.5, 0.0, -0.2, -0.3])
    first, second, outcome = simulate(rng, 8000, truth, nu=0.4)
    small = bradley_terry(first[:2000], second[:2000], outcome[:2000], 4, seed=3)
    again = bradley_terry(first[:2000], second[:2000], outcome[:2000], 4, seed=3)
    other = bradley_terry(first[:2000], second[:2000], outcome[:2000], 4, seed=4)
    large = bradley_terry(first, second, outcome, 4, seed=3)
    np.testing.assert_array_equal(small.low, again.low)
    np.testing.assert_array_equal(small.high, again.high)
    assert not np.array_equal(small.low, other.low)
    for board in (small, large):
        assert np.all((board.low < board.scores) & (board.scores < board.high))
    # Four times the comparisons: intervals about half as wide.
    ratio = (large.high - large.low) / (small.high - small.low)
    assert np.all((ratio > 0.35) & (ratio < 0.7))


# --- edge cases -------------------------------------------------------------------------------


def test_one_model_and_no_comparisons() -> None:
    empty = np.array([], dtype=np.int64)
    for n_models in (1, 3):
        board = bradley_terry(empty, empty, np.array([]), n_models)
        assert board.scores.shape == (n_models,)
        assert np.isnan(board.scores).all()
        assert np.isnan(board.low).all()
        assert np.isnan(board.high).all()
        assert math.isnan(board.tie_parameter)
        assert board.n == 0
        assert np.all(board.comparisons == 0)
        assert np.isnan(board.win_rate).all()


def test_only_ties() -> None:
    first = np.array([0, 1, 2, 0, 1, 2] * 5)
    second = np.array([1, 2, 0, 2, 0, 1] * 5)
    board = bradley_terry(first, second, np.full(30, 0.5), 3, n_resamples=100)
    np.testing.assert_allclose(board.scores, 0.0, atol=1e-9)
    np.testing.assert_allclose(board.low, 0.0, atol=1e-9)
    # The MLE of nu is infinite; the prior keeps it finite with P(tie) close to 1.
    assert math.isfinite(board.tie_parameter)
    assert board.tie_parameter / (2 + board.tie_parameter) > 0.99
    rate = board.win_rate[~np.eye(3, dtype=bool)]
    np.testing.assert_allclose(rate, 0.5)


def test_model_never_compared_and_model_always_winning() -> None:
    rng = np.random.default_rng(14)
    first, second, outcome = simulate(rng, 600, np.array([0.3, 0.0, -0.3]), nu=0.3)
    # Model 3 beats every other model 20 times; model 4 never appears.
    extra_first = np.full(60, 3, dtype=np.int64)
    extra_second = np.repeat(np.arange(3), 20).astype(np.int64)
    board = bradley_terry(
        np.concatenate([first, extra_first]),
        np.concatenate([second, extra_second]),
        np.concatenate([outcome, np.ones(60)]),
        5,
        n_resamples=200,
    )
    assert np.isnan(board.scores[4])
    assert np.isnan(board.low[4])
    assert np.isnan(board.high[4])
    assert board.comparisons[4] == 0
    assert board.comparisons[3] == 60
    assert np.isfinite(board.scores[:4]).all()
    assert np.isfinite(board.high[:4]).all()
    assert board.rank()[0] == 3
    assert board.rank()[-1] == 4
    assert board.scores[3] > board.scores[0] + 2
    assert np.nanmean(board.scores) == pytest.approx(0.0, abs=1e-12)


def test_disconnected_graph_stays_finite() -> None:
    # {0, 1} and {2, 3} were never compared across: each component is centred by the prior.
    first = np.array([0, 0, 1, 2, 2, 3], dtype=np.int64)
    second = np.array([1, 1, 0, 3, 3, 2], dtype=np.int64)
    board = bradley_terry(first, second, np.array([1.0, 1.0, 1.0, 1.0, 0.5, 0.0]), 4)
    assert np.isfinite(board.scores).all()
    assert np.isfinite(board.low).all()
    assert board.scores[0] > board.scores[1]
    assert board.scores[2] > board.scores[3]


def test_single_comparison_has_no_interval() -> None:
    board = bradley_terry(np.array([0]), np.array([1]), np.array([1.0]), 2)
    assert board.scores[0] > 0 > board.scores[1]
    assert board.n == 1
    assert np.isnan(board.low).all()
    assert np.isnan(board.high).all()


def test_rank_orders_by_score() -> None:
    first = np.array([2, 2, 2, 0, 0, 1], dtype=np.int64)
    second = np.array([0, 1, 0, 1, 1, 0], dtype=np.int64)
    outcome = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 0.0])
    board = bradley_terry(first, second, outcome, 3, n_resamples=0)
    np.testing.assert_array_equal(board.rank(), [2, 0, 1])


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second", "outcome", "n_models"),
    [
        ([0, 1], [1], [1.0], 2),  # lengths differ
        ([0, 2], [1, 0], [1.0, 0.0], 2),  # code out of range
        ([0, -1], [1, 0], [1.0, 0.0], 2),  # negative code
        ([0, 1], [0, 0], [1.0, 0.0], 2),  # a model against itself
        ([0, 1], [1, 0], [1.0, 0.3], 2),  # outcome not 0 / 0.5 / 1
        ([0.0, 1.0], [1.0, 0.0], [1.0, 0.0], 2),  # float codes
        ([[0, 1]], [[1, 0]], [[1.0, 0.0]], 2),  # not 1-D
        ([], [], [], 0),  # no models
    ],
)
def test_bad_input_raises(
    first: list[int], second: list[int], outcome: list[float], n_models: int
) -> None:
    with pytest.raises(ValueError, match=r"."):
        bradley_terry(np.array(first), np.array(second), np.array(outcome), n_models)


def test_bad_settings_raise() -> None:
    first, second, outcome = np.array([0]), np.array([1]), np.array([1.0])
    with pytest.raises(ValueError, match="ties model"):
        bradley_terry(first, second, outcome, 2, ties="both")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="confidence"):
        bradley_terry(first, second, outcome, 2, confidence=1.5)
    with pytest.raises(ValueError, match="ridge"):
        bradley_terry(first, second, outcome, 2, ridge=-1.0)
    with pytest.raises(ValueError, match="n_models"):
        fit_counts(np.zeros((2, 3)), np.zeros((2, 3)))
    with pytest.raises(ValueError, match="non-negative"):
        fit_counts(-np.ones((2, 2)), np.zeros((2, 2)))
    with pytest.raises(ValueError, match="symmetric"):
        fit_counts(np.zeros((2, 2)), np.array([[0.0, 1.0], [0.0, 0.0]]))
