"""Acquisition strategies and their weighted mix (pure computation, no database)."""

from __future__ import annotations

import math
import statistics

import numpy as np
import pytest
from scipy import stats

from judges.acquisition import (
    STRATEGIES,
    diversity,
    human_disagreement,
    judge_disagreement,
    mix,
    parse_weights,
    position_inconsistency,
    random_scores,
    uncertainty,
)


def unit(rows) -> np.ndarray:
    array = np.asarray(rows, dtype=np.float64)
    normalised: np.ndarray = array / np.linalg.norm(array, axis=1, keepdims=True)
    return normalised


def descending(scores: np.ndarray) -> list[int]:
    """Indices from the highest score down (nan last), ties by index."""
    return [int(i) for i in np.argsort(-np.nan_to_num(scores, nan=-np.inf), kind="stable")]


# --- uncertainty -------------------------------------------------------------------------------


def test_uncertainty_puts_the_coin_flip_first_and_the_sure_item_last() -> None:
    scores = uncertainty([[0.7, 0.3, 0.0], [0.99, 0.01, 0.0], [0.5, 0.5, 0.0], [0.2, 0.8, 0.0]])

    assert descending(scores) == [2, 0, 3, 1]
    assert scores[2] == pytest.approx(1.0)
    assert scores[1] == pytest.approx(1 - 0.98**2)


def test_uncertainty_without_ties_orders_items_as_the_win_margin_does() -> None:
    p = np.random.default_rng(4).uniform(0, 1, size=200)

    scores = uncertainty(np.column_stack([p, 1 - p]).tolist())

    margin = 1 - np.abs(p - (1 - p))
    assert descending(scores) == descending(margin)
    assert scores == pytest.approx(4 * p * (1 - p))


def davidson(h: float, nu: float) -> np.ndarray:
    """P(first wins), P(second wins), P(tie) of Davidson's model at half score gap ``h``."""
    weights = np.array([math.exp(h), math.exp(-h), nu])
    dist: np.ndarray = weights / weights.sum()
    return dist


@pytest.mark.parametrize("nu", [0.0, 0.5, 3.0, 20.0])
def test_uncertainty_is_the_information_a_label_carries_about_the_score_gap(nu: float) -> None:
    gaps = np.linspace(-4, 4, 17)
    step = 1e-5
    expected = []
    for h in gaps:
        # Fisher information E[(d log P(outcome) / dh)^2], by central differences.
        slope = np.log(davidson(h + step, nu) + 1e-300) - np.log(davidson(h - step, nu) + 1e-300)
        expected.append(float(davidson(h, nu) @ (slope / (2 * step)) ** 2))

    scores = uncertainty([davidson(h, nu).tolist() for h in gaps])

    assert scores == pytest.approx(expected, abs=1e-6)


def test_uncertainty_takes_a_head_without_ties_and_renormalises() -> None:
    scores = uncertainty([[0.8, 0.2], [0.8, 0.2, 0.0], [0.8, 0.2 - 1e-7], [0.4, 0.1, 0.0]])

    assert scores == pytest.approx([0.64, 0.64, 0.64, 0.64], abs=1e-6)


def test_uncertainty_treats_a_confident_tie_as_certain_and_a_spread_one_as_uncertain() -> None:
    sure_tie, spread_tie, coin_flip, sure_win = uncertainty(
        [[0.05, 0.05, 0.9], [0.3, 0.3, 0.4], [0.5, 0.5, 0.0], [0.95, 0.0, 0.05]]
    )

    assert sure_tie == pytest.approx(0.1)
    assert spread_tie == pytest.approx(0.6)
    assert sure_win == pytest.approx(0.95 - 0.95**2)
    assert coin_flip > spread_tie > sure_tie


def test_uncertainty_leaves_unscored_items_nan() -> None:
    scores = uncertainty([None, [0.6, 0.4, 0.0]])

    assert math.isnan(scores[0])
    assert scores[1] == pytest.approx(0.96)
    assert uncertainty([]).shape == (0,)


@pytest.mark.parametrize(
    ("dist", "message"),
    [
        ([1.0], "item 0 has 1 probabilities"),
        ([0.2, 0.3, 0.4, 0.1], "item 0 has 4 probabilities"),
        ([0.5, -0.2, 0.7], "outside \\[0, 1\\]"),
        ([0.5, 1.5, 0.0], "outside \\[0, 1\\]"),
        ([math.nan, 0.5, 0.5], "not finite"),
        ([0.0, 0.0, 0.0], "sum to 0"),
    ],
)
def test_uncertainty_rejects_what_is_not_a_distribution(dist: list[float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        uncertainty([dist])


# --- judge disagreement ------------------------------------------------------------------------


def test_judge_disagreement_puts_opposite_verdicts_before_close_ones() -> None:
    scores = judge_disagreement([[0.6, 0.55], [0.9, 0.1], [0.7, 0.7, 0.7]])

    assert descending(scores) == [1, 0, 2]
    assert scores[2] == pytest.approx(0.0, abs=1e-12)


def test_judge_disagreement_is_one_for_judges_at_both_extremes() -> None:
    assert judge_disagreement([[0.0, 1.0]])[0] == pytest.approx(1.0)
    assert judge_disagreement([[0.0, 1.0, 0.0, 1.0]])[0] == pytest.approx(1.0)


def test_judge_disagreement_is_twice_the_population_standard_deviation() -> None:
    rng = np.random.default_rng(7)
    items = [rng.uniform(0, 1, size=rng.integers(2, 7)).tolist() for _ in range(100)]

    scores = judge_disagreement(items)

    assert scores == pytest.approx([2 * statistics.pstdev(values) for values in items])


def test_judge_disagreement_needs_two_judges() -> None:
    scores = judge_disagreement([[], [0.3], [0.3, 0.8]])

    assert math.isnan(scores[0])
    assert math.isnan(scores[1])
    assert scores[2] == pytest.approx(0.5)


def test_judge_disagreement_rejects_values_that_are_not_probabilities() -> None:
    with pytest.raises(ValueError, match="item 1 has a value that is not in"):
        judge_disagreement([[0.1, 0.2], [0.3, 1.2]])
    with pytest.raises(ValueError, match="item 0 has a value that is not in"):
        judge_disagreement([[math.nan, 0.2]])


# --- position inconsistency --------------------------------------------------------------------


def test_position_inconsistency_is_the_worst_judge_and_nan_without_one() -> None:
    scores = position_inconsistency([[0.1, 0.05], [], [0.0, 0.8, 0.2], [0.3]])

    assert math.isnan(scores[1])
    assert scores[[0, 2, 3]] == pytest.approx([0.1, 0.8, 0.3])
    assert descending(scores) == [2, 3, 0, 1]


def test_position_inconsistency_rejects_values_outside_the_unit_interval() -> None:
    with pytest.raises(ValueError, match="item 2 has a value that is not in"):
        position_inconsistency([[0.1], [], [-0.5]])


# --- human disagreement ------------------------------------------------------------------------


def test_human_disagreement_puts_a_split_above_unanimity_and_waits_for_two_votes() -> None:
    scores = human_disagreement([{"a": 2}, {"a": 1, "b": 1}, {"b": 1}, {}])

    assert scores[1] == 1.0
    assert scores[0] == 0.0
    assert math.isnan(scores[2])
    assert math.isnan(scores[3])


def test_human_disagreement_is_one_without_a_strict_majority() -> None:
    scores = human_disagreement(
        [
            {"a": 2, "b": 1},
            {"a": 1, "b": 1, "tie": 1},
            {"a": 3, "b": 3},
            {"a": 3, "b": 3, "tie": 1},
            {"a": 2, "tie": 1, "b": 1},
            {"a": 4, "b": 1},
        ]
    )

    assert scores == pytest.approx([2 / 3, 1.0, 1.0, 1.0, 1.0, 0.4])


def test_human_disagreement_rejects_negative_counts() -> None:
    with pytest.raises(ValueError, match="item 1 has a vote count"):
        human_disagreement([{"a": 1}, {"a": 2, "b": -1}])


# --- diversity ---------------------------------------------------------------------------------


def reference_k_center(open_vectors: np.ndarray, labeled: np.ndarray, picks: int) -> list[int]:
    """Farthest-first traversal written out point by point, in float64."""
    n = len(open_vectors)
    nearest = [
        min((1 - float(open_vectors[i] @ v) for v in labeled), default=math.inf) for i in range(n)
    ]
    chosen: list[int] = []
    for _ in range(min(picks, n)):
        candidates = [i for i in range(n) if i not in chosen]
        pick = max(candidates, key=lambda i: nearest[i])
        chosen.append(pick)
        for i in range(n):
            nearest[i] = min(nearest[i], 1 - float(open_vectors[i] @ open_vectors[pick]))
    return chosen


def test_diversity_picks_an_outlier_and_an_unlabeled_cluster_before_labeled_neighbours() -> None:
    rng = np.random.default_rng(1)
    labeled_centre = np.array([1.0, 0.0, 0.0])
    near_labeled = unit(labeled_centre + 0.05 * rng.standard_normal((6, 3)))
    unlabeled_cluster = unit(np.array([0.0, 1.0, 0.0]) + 0.05 * rng.standard_normal((4, 3)))
    outlier = unit([[0.0, 0.0, -1.0]])
    open_vectors = np.vstack([near_labeled, unlabeled_cluster, outlier])
    labeled = unit(labeled_centre + 0.05 * rng.standard_normal((3, 3)))

    scores = diversity(open_vectors, labeled, greedy=2)

    first_two = descending(scores)[:2]
    assert 10 in first_two
    assert any(6 <= i < 10 for i in first_two)
    assert all(scores[i] < min(scores[first_two]) for i in range(6))


def test_diversity_first_picks_cover_three_separate_clusters() -> None:
    rng = np.random.default_rng(2)
    centres = unit(rng.standard_normal((3, 16)))
    members = rng.integers(0, 3, size=90)
    open_vectors = unit(centres[members] + 0.03 * rng.standard_normal((90, 16)))

    scores = diversity(open_vectors, np.zeros((0, 16)), greedy=10)

    assert sorted(members[descending(scores)[:3]]) == [0, 1, 2]


def test_diversity_without_labels_starts_farthest_from_the_mean() -> None:
    rng = np.random.default_rng(3)
    open_vectors = unit(rng.standard_normal((50, 5)) + np.array([2.0, 0, 0, 0, 0]))

    scores = diversity(open_vectors, np.zeros((0, 5)), greedy=1)

    assert descending(scores)[0] == int(np.argmin(open_vectors @ open_vectors.mean(axis=0)))


@pytest.mark.parametrize(("n", "m", "greedy"), [(60, 0, 20), (80, 5, 30), (40, 3, 100)])
def test_diversity_matches_a_plain_farthest_first_traversal(n: int, m: int, greedy: int) -> None:
    rng = np.random.default_rng(n + m)
    open_vectors = unit(rng.standard_normal((n, 12)))
    labeled = unit(rng.standard_normal((m, 12))) if m else np.zeros((0, 12))

    scores = diversity(open_vectors, labeled, greedy=greedy)

    expected = reference_k_center(open_vectors, labeled, greedy)
    if m == 0:
        # The reference's first pick is any item (all are infinitely far); use the documented one.
        first = int(np.argmin(open_vectors @ open_vectors.mean(axis=0)))
        expected = [first, *reference_k_center(open_vectors, open_vectors[[first]], greedy - 1)]
    assert descending(scores)[: len(expected)] == expected


def test_diversity_scores_picks_above_the_rest_and_the_rest_by_distance() -> None:
    rng = np.random.default_rng(5)
    open_vectors = unit(rng.standard_normal((3000, 8)))
    labeled = unit(rng.standard_normal((20, 8)))

    scores = diversity(open_vectors, labeled, greedy=100)

    order = descending(scores)
    picks, rest = order[:100], order[100:]
    assert scores[picks] == pytest.approx(1 - np.arange(100) / 200)
    assert scores[rest].max() < scores[picks].min()
    centres = np.vstack([labeled, open_vectors[picks]])
    distance = 1 - (open_vectors[rest] @ centres.T).max(axis=1)
    assert scores[rest] == pytest.approx(distance / 4, abs=1e-6)


def test_diversity_with_more_picks_than_items_picks_them_all() -> None:
    open_vectors = unit([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])

    scores = diversity(open_vectors, unit([[1.0, 0.1]]), greedy=512)

    assert descending(scores) == [1, 2, 0]
    assert scores == pytest.approx([1 - 2 / 6, 1.0, 1 - 1 / 6])


def test_diversity_of_no_open_items_is_empty() -> None:
    assert diversity(np.zeros((0, 4)), unit([[1.0, 0, 0, 0]])).shape == (0,)


@pytest.mark.parametrize(
    ("open_vectors", "labeled", "greedy", "message"),
    [
        (np.ones((3, 2)), np.zeros((0, 2)), 5, "open_vectors must be L2-normalised"),
        (unit(np.ones((3, 2))), np.full((1, 2), 0.1), 5, "labeled_vectors must be L2-norm"),
        (unit(np.ones((3, 2))), unit(np.ones((1, 3))), 5, "dimension 3, open_vectors have 2"),
        (np.ones(3), np.zeros((0, 3)), 5, "open_vectors must be a \\(rows, dimension\\) array"),
        (unit([[1.0, math.nan]]), np.zeros((0, 2)), 5, "not finite"),
        (unit(np.ones((3, 2))), np.zeros((0, 2)), 0, "greedy must be at least 1"),
    ],
)
def test_diversity_rejects_bad_input(
    open_vectors: np.ndarray, labeled: np.ndarray, greedy: int, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        diversity(open_vectors, labeled, greedy=greedy)


# --- random ------------------------------------------------------------------------------------


def test_random_scores_depend_only_on_the_item_and_the_seed() -> None:
    ids = [5, 17, 3, 99, 42]

    scores = random_scores(ids, seed=11)

    assert random_scores(ids, seed=11) == pytest.approx(scores, abs=0)
    shuffled = random_scores(ids[::-1], seed=11)
    assert shuffled[::-1] == pytest.approx(scores, abs=0)
    subset = random_scores([99, 5], seed=11)
    assert subset == pytest.approx([scores[3], scores[0]], abs=0)
    assert not np.array_equal(random_scores(ids, seed=12), scores)


def test_random_scores_are_uniform_on_the_unit_interval() -> None:
    scores = random_scores(list(range(5000)), seed=0)

    assert scores.min() >= 0.0
    assert scores.max() < 1.0
    assert stats.kstest(scores, "uniform").pvalue > 0.001


# --- mix ---------------------------------------------------------------------------------------


def test_mix_of_one_strategy_keeps_its_order() -> None:
    scores = uncertainty([[0.7, 0.3], [0.99, 0.01], [0.5, 0.5], [0.2, 0.8], None])

    mixed = mix({"uncertainty": scores, "random": random_scores(range(5), 0)}, {"uncertainty": 1})

    assert descending(mixed.priority) == descending(scores)
    assert mixed.priority[4] == 0.0
    assert set(mixed.contributions) == {"uncertainty"}


def test_mix_turns_scores_into_average_percentile_ranks() -> None:
    # Three scored items: the two 0.2s share rank (1 + 2) / 2 of 3; 0.9 has rank 3 of 3.
    mixed = mix({"uncertainty": np.array([0.2, math.nan, 0.9, 0.2])}, {"uncertainty": 2.0})

    assert mixed.priority == pytest.approx([0.5, 0.0, 1.0, 0.5])


def test_an_even_mix_sits_between_its_strategies() -> None:
    a = np.array([0.9, 0.5, 0.1, 0.3])
    b = np.array([0.1, 0.5, 0.9, 0.7])

    mixed = mix({"uncertainty": a, "diversity": b}, {"uncertainty": 1, "diversity": 1})

    ranks_a = np.array([4, 3, 1, 2]) / 4
    ranks_b = np.array([1, 2, 4, 3]) / 4
    assert mixed.priority == pytest.approx((ranks_a + ranks_b) / 2)
    assert mixed.contributions["uncertainty"] == pytest.approx(ranks_a / 2)
    assert mixed.contributions["diversity"] == pytest.approx(ranks_b / 2)
    assert sum(mixed.contributions.values()) == pytest.approx(mixed.priority)


def test_mix_weights_tilt_the_order() -> None:
    a = np.array([1.0, 0.0])
    b = np.array([0.0, 1.0])

    mostly_a = mix({"uncertainty": a, "random": b}, {"uncertainty": 3, "random": 1})
    mostly_b = mix({"uncertainty": a, "random": b}, {"uncertainty": 1, "random": 3})

    assert mostly_a.priority == pytest.approx([0.75 * 1 + 0.25 * 0.5, 0.75 * 0.5 + 0.25 * 1])
    assert descending(mostly_a.priority) == [0, 1]
    assert descending(mostly_b.priority) == [1, 0]


def test_an_unscored_item_is_not_lifted_by_a_silent_strategy() -> None:
    judges = np.array([0.8, math.nan, 0.2])
    people = np.array([math.nan, math.nan, math.nan])

    mixed = mix(
        {"judge_disagreement": judges, "human_disagreement": people},
        {"judge_disagreement": 1, "human_disagreement": 1},
    )

    assert mixed.contributions["human_disagreement"] == pytest.approx([0, 0, 0])
    assert mixed.priority == pytest.approx([0.5, 0.0, 0.25])
    assert descending(mixed.priority) == descending(judges)


def test_mix_ignores_strategies_weighted_zero_even_when_missing() -> None:
    mixed = mix({"random": np.array([0.3, 0.6])}, {"random": 1, "diversity": 0})

    assert mixed.priority == pytest.approx([0.5, 1.0])
    assert set(mixed.contributions) == {"random"}


def test_mix_of_no_items_is_empty() -> None:
    mixed = mix({"uncertainty": np.zeros(0)}, {"uncertainty": 1})

    assert mixed.priority.shape == (0,)


@pytest.mark.parametrize(
    ("scores", "weights", "message"),
    [
        ({"uncertainty": np.zeros(2)}, {"uncertainty": 1, "vibes": 1}, "unknown strategy 'vibes'"),
        ({"vibes": np.zeros(2)}, {"uncertainty": 0, "random": 1}, "unknown strategy in scores"),
        ({"uncertainty": np.zeros(2)}, {"uncertainty": -1}, "'uncertainty' must not be negative"),
        ({"uncertainty": np.zeros(2)}, {"uncertainty": math.nan}, "'uncertainty' must be finite"),
        ({"uncertainty": np.zeros(2)}, {"uncertainty": math.inf}, "'uncertainty' must be finite"),
        ({"uncertainty": np.zeros(2)}, {"uncertainty": 0}, "at least one strategy"),
        ({"uncertainty": np.zeros(2)}, {}, "at least one strategy"),
        ({"uncertainty": np.zeros(2)}, {"diversity": 1}, "no scores for weighted strategy"),
        (
            {"uncertainty": np.zeros(2), "random": np.zeros(3)},
            {"uncertainty": 1, "random": 1},
            "differ in length: random=3, uncertainty=2",
        ),
        (
            {"uncertainty": np.zeros(2), "random": np.zeros(3)},
            {"uncertainty": 1},
            "differ in length",
        ),
        ({"uncertainty": np.zeros((2, 2))}, {"uncertainty": 1}, "one-dimensional"),
        (
            {"uncertainty": np.zeros(2), "random": np.zeros(2)},
            {"uncertainty": 1e308, "random": 1e308},
            "too large",
        ),
    ],
)
def test_mix_rejects_bad_input(scores, weights, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        mix(scores, weights)


# --- parse_weights -----------------------------------------------------------------------------


def test_parse_weights_accepts_numbers_for_known_strategies() -> None:
    parsed = parse_weights({"uncertainty": 2, "diversity": 0.5, "random": 0})

    assert parsed == {"uncertainty": 2.0, "diversity": 0.5, "random": 0.0}
    assert all(isinstance(weight, float) for weight in parsed.values())
    assert parse_weights(dict.fromkeys(STRATEGIES, 1)) == dict.fromkeys(STRATEGIES, 1.0)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([["uncertainty", 1]], "must be an object"),
        ("uncertainty", "must be an object"),
        (None, "must be an object"),
        ({"uncertainity": 1}, "unknown strategy 'uncertainity'"),
        ({1: 1}, "unknown strategy 1"),
        ({"diversity": True}, "weight of 'diversity' must be a number"),
        ({"diversity": "1"}, "weight of 'diversity' must be a number"),
        ({"diversity": None}, "weight of 'diversity' must be a number"),
        ({"diversity": -0.5}, "weight of 'diversity' must not be negative"),
        ({"diversity": math.inf}, "weight of 'diversity' must be finite"),
        ({"diversity": 0, "random": 0}, "at least one strategy"),
        ({}, "at least one strategy"),
    ],
)
def test_parse_weights_names_what_is_wrong(raw: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_weights(raw)
