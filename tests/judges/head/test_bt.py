"""The preference head: Bradley-Terry with ties (Davidson) over feature vectors."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]  # no stubs

from annotator.metrics.ranking import RIDGE, fit_counts, outcome_counts
from judges.head import HeadWeights, head_accuracy, head_fit, head_log_loss


def sample_outcomes(
    model: HeadWeights, first: np.ndarray, second: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Outcomes drawn from ``model``'s own probabilities: 1.0 first won, 0.0 second, 0.5 tie."""
    cumulative = model.probabilities(first, second).cumsum(axis=1)
    draw = rng.random(len(first))
    return np.where(draw < cumulative[:, 0], 1.0, np.where(draw < cumulative[:, 1], 0.0, 0.5))


def one_hot_pairs(
    n_models: int, n: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Comparisons of distinct models, their one-hot features and Davidson outcomes."""
    first = rng.integers(0, n_models, n)
    second = (first + rng.integers(1, n_models, n)) % n_models
    eye = np.eye(n_models)
    truth = HeadWeights(weights=rng.normal(size=n_models), log_nu=math.log(0.7), l2=0.0)
    outcome = sample_outcomes(truth, eye[first], eye[second], rng)
    return first, second, eye[first], eye[second], outcome


def test_fit_recovers_the_weights_and_tie_parameter_of_the_generating_model() -> None:
    rng = np.random.default_rng(7)
    d, n_train, n_test = 8, 6000, 2000
    truth = HeadWeights(weights=rng.normal(size=d), log_nu=math.log(0.5), l2=0.0)
    first = rng.normal(size=(n_train + n_test, d))
    second = rng.normal(size=(n_train + n_test, d))
    outcome = sample_outcomes(truth, first, second, rng)

    head = head_fit(first[:n_train], second[:n_train], outcome[:n_train])

    cosine = head.weights @ truth.weights
    cosine /= np.linalg.norm(head.weights) * np.linalg.norm(truth.weights)
    assert head.converged
    assert cosine > 0.99
    assert math.exp(head.log_nu) == pytest.approx(0.5, abs=0.08)
    held_out = head.probabilities(first[n_train:], second[n_train:])
    # The generating model itself gets about 0.82 here; chance is 0.5.
    assert head_accuracy(held_out, outcome[n_train:]) > 0.78
    best = head_log_loss(truth.probabilities(first[n_train:], second[n_train:]), outcome[n_train:])
    assert head_log_loss(held_out, outcome[n_train:]) < best + 0.02


@pytest.mark.parametrize("ties", [True, False])
def test_one_hot_features_reproduce_the_aggregate_leaderboard(ties: bool) -> None:
    """Each candidate is its model's indicator row, so w holds one strength per model, the
    likelihood is fit_counts' (Davidson, or ties as half wins), and with l2 = RIDGE so are
    the penalties."""
    rng = np.random.default_rng(3)
    n_models = 6
    first, second, first_x, second_x, outcome = one_hot_pairs(n_models, 3000, rng)
    wins, tie_counts = outcome_counts(first, second, outcome, n_models)
    scores, nu = fit_counts(wins, tie_counts, ties_model="davidson" if ties else "half")

    head = head_fit(first_x, second_x, outcome, l2=RIDGE, ties=ties, standardize=False)

    assert head.converged
    np.testing.assert_allclose(head.weights - head.weights.mean(), scores, rtol=0, atol=1e-5)
    if ties:
        assert math.exp(head.log_nu) == pytest.approx(float(nu), rel=1e-5)
    else:
        assert head.log_nu == -math.inf


def test_without_ties_the_fit_is_logistic_regression_on_difference_vectors() -> None:
    rng = np.random.default_rng(11)
    n, d, l2 = 2000, 12, 3.0
    first = rng.normal(size=(n, d))
    second = rng.normal(size=(n, d)) + 0.5
    truth = rng.normal(size=d)
    outcome = (rng.random(n) < 1 / (1 + np.exp(-(first - second) @ truth))).astype(np.float64)
    reference = LogisticRegression(fit_intercept=False, C=1 / l2, tol=1e-12, max_iter=10_000)
    reference.fit(first - second, outcome)

    head = head_fit(first, second, outcome, l2=l2, ties=False, standardize=False)

    np.testing.assert_allclose(head.weights, reference.coef_[0], rtol=1e-4, atol=1e-8)


def test_without_ties_a_tie_is_half_a_win_each_way_and_weights_are_multiplicities() -> None:
    rng = np.random.default_rng(12)
    n, d, l2 = 1500, 6, 0.5
    first = rng.normal(size=(n, d))
    second = rng.normal(size=(n, d))
    outcome = rng.choice([0.0, 0.5, 1.0], size=n)
    votes = rng.integers(1, 4, size=n).astype(np.float64)
    # The reference sees each tie as a win and a loss of half its weight each.
    tied = outcome == 0.5
    x = np.concatenate([first - second, (first - second)[tied]])
    y = np.concatenate([np.where(tied, 1.0, outcome), np.zeros(int(tied.sum()))])
    sample_weight = np.concatenate([np.where(tied, 0.5, 1.0) * votes, 0.5 * votes[tied]])
    reference = LogisticRegression(fit_intercept=False, C=1 / l2, tol=1e-12, max_iter=10_000)
    reference.fit(x, y, sample_weight=sample_weight)

    head = head_fit(first, second, outcome, weight=votes, l2=l2, ties=False, standardize=False)

    np.testing.assert_allclose(head.weights, reference.coef_[0], rtol=1e-4, atol=1e-8)


def test_standardised_fit_does_not_depend_on_the_scale_of_each_feature() -> None:
    rng = np.random.default_rng(5)
    first = rng.normal(size=(800, 5))
    second = rng.normal(size=(800, 5))
    outcome = rng.choice([0.0, 0.5, 1.0], size=800)
    units = np.array([1e-3, 0.5, 1.0, 40.0, 1e4])

    plain = head_fit(first, second, outcome)
    rescaled = head_fit(first * units, second * units, outcome)

    np.testing.assert_allclose(rescaled.weights * units, plain.weights, rtol=1e-6)
    assert rescaled.log_nu == pytest.approx(plain.log_nu, rel=1e-6)


def test_same_inputs_give_bit_identical_heads_and_bytes_round_trip_exactly() -> None:
    rng = np.random.default_rng(1)
    first = rng.normal(size=(500, 16))
    second = rng.normal(size=(500, 16))
    outcome = rng.choice([0.0, 0.5, 1.0], size=500)

    one = head_fit(first, second, outcome, l2=0.3)
    two = head_fit(first, second, outcome, l2=0.3)
    restored = HeadWeights.from_bytes(one.to_bytes())
    plain = head_fit(first, second, outcome, ties=False)
    plain_restored = HeadWeights.from_bytes(plain.to_bytes())

    assert one.weights.tobytes() == two.weights.tobytes()
    assert one.to_bytes() == two.to_bytes()
    assert restored.weights.tobytes() == one.weights.tobytes()
    assert (restored.log_nu, restored.l2, restored.iterations, restored.converged) == (
        one.log_nu,
        one.l2,
        one.iterations,
        one.converged,
    )
    assert restored.loss == one.loss
    assert plain_restored.log_nu == -math.inf
    assert plain_restored.weights.tobytes() == plain.weights.tobytes()
    assert len(one.to_bytes()) < 16 * 8 + 64


@pytest.mark.parametrize("data", [b"", b"XYZ" + bytes(60), b"not a head at all"])
def test_from_bytes_rejects_other_bytes(data: bytes) -> None:
    with pytest.raises(ValueError, match="preference head"):
        HeadWeights.from_bytes(data)


def test_from_bytes_rejects_a_truncated_head() -> None:
    data = HeadWeights(weights=np.ones(4), log_nu=0.0, l2=1.0).to_bytes()

    with pytest.raises(ValueError, match="wrong length"):
        HeadWeights.from_bytes(data[:-8])


def _valid() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(0)
    return {
        "first": rng.normal(size=(4, 3)),
        "second": rng.normal(size=(4, 3)),
        "outcome": np.array([1.0, 0.0, 0.5, 1.0]),
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"second": np.zeros((4, 2))}, "same shape"),
        ({"first": np.zeros(4), "second": np.zeros(4)}, "same shape"),
        (
            {"first": np.zeros((0, 3)), "second": np.zeros((0, 3)), "outcome": np.zeros(0)},
            "No pairs",
        ),
        ({"first": np.zeros((4, 0)), "second": np.zeros((4, 0))}, "one dimension"),
        ({"outcome": np.array([1.0, 0.0, 0.5])}, "outcome must be a 1-D array"),
        ({"first": np.full((4, 3), np.nan)}, "finite"),
        ({"second": np.full((4, 3), np.inf)}, "finite"),
        ({"outcome": np.array([1.0, 0.0, 0.3, 1.0])}, "outcome must be 1.0"),
        ({"outcome": np.array([1.0, 0.0, np.nan, 1.0])}, "outcome must be 1.0"),
        ({"weight": np.array([1.0, -1.0, 1.0, 1.0])}, "non-negative"),
        ({"weight": np.array([1.0, np.inf, 1.0, 1.0])}, "non-negative"),
        ({"weight": np.ones(3)}, "weight must be a 1-D array"),
        ({"weight": np.zeros(4)}, "every weight is 0"),
        ({"l2": -1.0}, "l2"),
        ({"l2": math.nan}, "l2"),
        ({"max_iter": 0}, "max_iter"),
    ],
)
def test_bad_input_is_refused(change: dict[str, object], message: str) -> None:
    arguments: dict[str, object] = {**_valid(), **change}
    first = arguments.pop("first")
    second = arguments.pop("second")
    outcome = arguments.pop("outcome")

    with pytest.raises(ValueError, match=message):
        head_fit(first, second, outcome, **arguments)  # type: ignore[arg-type]  # deliberately bad values


@pytest.mark.parametrize("log_nu", [math.log(0.6), -math.inf])
def test_probabilities_are_distributions_symmetric_in_the_order_of_the_pair(log_nu: float) -> None:
    rng = np.random.default_rng(2)
    head = HeadWeights(weights=rng.normal(size=5), log_nu=log_nu, l2=1.0)
    first = rng.normal(size=(50, 5))
    second = rng.normal(size=(50, 5))

    forward = head.probabilities(first, second)
    backward = head.probabilities(second, first)

    assert forward.shape == (50, 3)
    np.testing.assert_allclose(forward.sum(axis=1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(backward, forward[:, [1, 0, 2]], rtol=1e-12)
    if log_nu == -math.inf:
        assert np.all(forward[:, 2] == 0.0)
        scores = head.scores(first) - head.scores(second)
        np.testing.assert_allclose(forward[:, 0], 1 / (1 + np.exp(-scores)), rtol=1e-12)


def test_a_huge_score_gap_gives_finite_certain_probabilities() -> None:
    head = HeadWeights(weights=np.array([1e6, -1e6]), log_nu=math.log(2.0), l2=1.0)
    first = np.array([[1e3, -1e3], [-1e3, 1e3], [0.0, 0.0]])
    second = np.array([[-1e3, 1e3], [1e3, -1e3], [0.0, 0.0]])

    probs = head.probabilities(first, second)

    assert np.isfinite(probs).all()
    np.testing.assert_allclose(probs[0], [1.0, 0.0, 0.0], atol=1e-300)
    np.testing.assert_allclose(probs[1], [0.0, 1.0, 0.0], atol=1e-300)
    np.testing.assert_allclose(probs[2], [0.25, 0.25, 0.5])


def test_fit_on_separable_pairs_stays_finite() -> None:
    rng = np.random.default_rng(4)
    first = rng.normal(size=(200, 3)) + 5.0
    second = rng.normal(size=(200, 3))

    head = head_fit(first, second, np.ones(200), l2=1e-3)

    assert np.isfinite(head.weights).all()
    assert np.isfinite(head.probabilities(first, second)).all()


def test_accuracy_and_log_loss_of_a_hand_worked_example() -> None:
    probs = np.array([[0.7, 0.2, 0.1], [0.3, 0.6, 0.1], [0.5, 0.3, 0.2], [0.4, 0.4, 0.2]])
    outcome = np.array([1.0, 1.0, 0.5, 0.0])

    # Decided pairs: right, wrong, and a coin flip (equal chances) counted as half.
    assert head_accuracy(probs, outcome) == pytest.approx(1.5 / 3)
    expected = -(math.log(0.7) + math.log(0.3) + math.log(0.2) + math.log(0.4)) / 4
    assert head_log_loss(probs, outcome) == pytest.approx(expected)
    assert math.isnan(head_accuracy(probs[2:3], outcome[2:3]))


def test_log_loss_without_ties_counts_a_tie_as_half_a_win_each_way() -> None:
    probs = np.array([[0.8, 0.2, 0.0], [0.0, 1.0, 0.0]])
    outcome = np.array([0.5, 1.0])

    expected = (-(math.log(0.8) + math.log(0.2)) / 2 - math.log(1e-15)) / 2
    assert head_log_loss(probs, outcome) == pytest.approx(expected)
