"""Within-annotator consistency against brute force, Kendall & Babington Smith and hand examples."""

from __future__ import annotations

import itertools
import math
from collections import defaultdict

import numpy as np
import pytest

from annotator.metrics.consistency import (
    TriadCounts,
    intransitive_triads,
    self_agreement,
    self_agreement_by_coder,
)
from annotator.metrics.estimates import Estimate, resampling_counts

SEEDS = [0, 1, 2, 3, 4]


def triads_of(votes: list[tuple[int, int, int, int]]) -> TriadCounts:
    group, a, b, outcome = (np.array(column, dtype=np.int64) for column in zip(*votes, strict=True))
    return intransitive_triads(group, a, b, outcome)


def brute_force_triads(
    group: np.ndarray, a: np.ndarray, b: np.ndarray, outcome: np.ndarray
) -> dict[int, tuple[int, int]]:
    """Per group: (triads, cyclic) by replaying votes in order and checking every triple."""
    beats: dict[int, dict[frozenset[int], int | None]] = defaultdict(dict)
    for g, x, y, o in zip(group.tolist(), a.tolist(), b.tolist(), outcome.tolist(), strict=True):
        beats[g][frozenset((x, y))] = None if o == 0 else (x if o == 1 else y)
    result = {}
    for g, decided in beats.items():
        candidates = sorted({c for pair in decided for c in pair})
        triads = cyclic = 0
        for triple in itertools.combinations(candidates, 3):
            winners = [decided.get(frozenset(pair)) for pair in itertools.combinations(triple, 2)]
            if any(w is None for w in winners):
                continue
            triads += 1
            # Transitive triads have one candidate winning twice; cyclic ones have each win once.
            cyclic += len(set(winners)) == 3
        result[g] = (triads, cyclic)
    return result


# --- intransitive triads ----------------------------------------------------------------------


def test_three_cycle_is_one_cyclic_triad() -> None:
    counts = triads_of([(7, 1, 2, 1), (7, 2, 3, 1), (7, 3, 1, 1)])  # 1 > 2 > 3 > 1
    assert (counts.total_triads, counts.total_cyclic) == (1, 1)
    assert counts.cyclic_share == 1.0


def test_transitive_triad_is_not_cyclic() -> None:
    # 1 > 2, 2 > 3, and 1 > 3 written as "b preferred" with a = 3.
    counts = triads_of([(0, 1, 2, 1), (0, 2, 3, 1), (0, 3, 1, -1)])
    assert (counts.total_triads, counts.total_cyclic) == (1, 0)
    assert counts.cyclic_share == 0.0


def test_four_candidates_with_two_cyclic_triads() -> None:
    # A=1, B=2, C=3, D=4 with A > B, B > C, C > A, A > D, B > D, D > C.
    # ABC: A > B > C > A, cyclic.        ABD: A beats B and D, transitive.
    # ACD: C > A > D > C, cyclic.        BCD: B beats C and D, transitive.
    # 4 triads, 2 cyclic. Scores (2, 2, 1, 1): C(4, 3) - (1 + 1 + 0 + 0) = 2, as KBS says.
    votes = [(3, 1, 2, 1), (3, 2, 3, 1), (3, 3, 1, 1), (3, 1, 4, 1), (3, 2, 4, 1), (3, 4, 3, 1)]
    counts = triads_of(votes)
    assert (counts.total_triads, counts.total_cyclic) == (4, 2)
    np.testing.assert_array_equal(counts.groups, [3])
    np.testing.assert_array_equal(counts.cyclic, [2])


def test_latest_vote_on_a_pair_counts() -> None:
    cycle = [(0, 1, 2, 1), (0, 2, 3, 1)]
    # First 1 > 3 (transitive), then 3 > 1 (cyclic): the later vote wins.
    assert triads_of([*cycle, (0, 1, 3, 1), (0, 3, 1, 1)]).total_cyclic == 1
    # Reversed order of the same two votes: transitive.
    assert triads_of([*cycle, (0, 3, 1, 1), (0, 1, 3, 1)]).total_cyclic == 0
    # A later tie withdraws the pair, so no triad is complete any more.
    assert triads_of([*cycle, (0, 3, 1, 1), (0, 1, 3, 0)]).total_triads == 0


def test_groups_are_separate_namespaces_and_sorted() -> None:
    # The same candidate ids in two groups are different candidates: two separate 3-cycles'
    # halves never join into one triad.
    votes = [(9, 1, 2, 1), (9, 2, 3, 1), (-4, 3, 1, 1), (-4, 1, 2, 1), (5, 1, 2, 0)]
    counts = triads_of(votes)
    np.testing.assert_array_equal(counts.groups, [-4, 5, 9])
    np.testing.assert_array_equal(counts.triads, [0, 0, 0])
    assert math.isnan(counts.cyclic_share)


@pytest.mark.parametrize("seed", SEEDS)
def test_triads_match_brute_force(seed: int) -> None:
    rng = np.random.default_rng(seed)
    rows = []
    for g in rng.choice(1000, 60, replace=False):
        n = int(rng.integers(1, 8))
        candidates = rng.choice(50, n, replace=False)  # ids shared across groups
        pairs = list(itertools.combinations(candidates.tolist(), 2))
        for _ in range(int(rng.integers(0, 2 * len(pairs) + 1))):  # repeats and gaps
            x, y = pairs[int(rng.integers(len(pairs)))]
            if rng.random() < 0.5:
                x, y = y, x
            rows.append((int(g), x, y, int(rng.choice([-1, 0, 1], p=[0.45, 0.1, 0.45]))))
    rng.shuffle(rows)
    group, a, b, outcome = (np.array(column, dtype=np.int64) for column in zip(*rows, strict=True))
    counts = intransitive_triads(group, a, b, outcome)
    expected = brute_force_triads(group, a, b, outcome)
    np.testing.assert_array_equal(counts.groups, sorted(expected))
    np.testing.assert_array_equal(counts.triads, [expected[g][0] for g in sorted(expected)])
    np.testing.assert_array_equal(counts.cyclic, [expected[g][1] for g in sorted(expected)])
    assert counts.total_triads == sum(t for t, _ in expected.values()) > 0
    assert counts.total_cyclic == sum(c for _, c in expected.values()) > 0


@pytest.mark.parametrize("seed", SEEDS)
def test_complete_tournaments_follow_kendall_babington_smith(seed: int) -> None:
    rng = np.random.default_rng(seed)
    rows, expected = [], {}
    for g, n in enumerate(range(3, 11)):
        scores = np.zeros(n, dtype=np.int64)
        for x, y in itertools.combinations(range(n), 2):
            outcome = int(rng.choice([-1, 1]))
            scores[x if outcome == 1 else y] += 1
            rows.append((g, x, y, outcome))
        expected[g] = math.comb(n, 3) - sum(math.comb(int(s), 2) for s in scores)
    counts = triads_of(rows)
    np.testing.assert_array_equal(counts.cyclic, [expected[g] for g in range(8)])
    np.testing.assert_array_equal(counts.triads, [math.comb(n, 3) for n in range(3, 11)])


def test_triads_edge_cases() -> None:
    empty = np.array([], dtype=np.int64)
    counts = intransitive_triads(empty, empty, empty, empty)
    assert counts.groups.size == counts.triads.size == 0
    assert (counts.total_triads, counts.total_cyclic) == (0, 0)
    assert math.isnan(counts.cyclic_share)
    single = triads_of([(1, 1, 2, 1)])
    assert (single.total_triads, single.total_cyclic) == (0, 0)
    ties_only = triads_of([(0, 1, 2, 0), (0, 2, 3, 0), (0, 3, 1, 0)])
    np.testing.assert_array_equal(ties_only.triads, [0])


def test_triads_bad_input() -> None:
    one = np.array([1])
    with pytest.raises(ValueError, match="different candidates"):
        intransitive_triads(one, one, one, one)
    with pytest.raises(ValueError, match="outcome"):
        intransitive_triads(one, one, np.array([2]), np.array([2]))
    with pytest.raises(ValueError, match="same length"):
        intransitive_triads(one, one, np.array([2, 3]), one)
    with pytest.raises(ValueError, match="1-D"):
        intransitive_triads(np.ones((1, 1), np.int64), one, np.array([2]), one)
    with pytest.raises(ValueError, match="integers"):
        intransitive_triads(one, np.array([1.0]), np.array([2]), one)


# --- self-agreement ---------------------------------------------------------------------------


def brute_force_repeats(
    unit: np.ndarray, coder: np.ndarray, value: np.ndarray
) -> dict[tuple[int, int], tuple[int, int]]:
    """(coder, unit) -> (agreeing pairs, pairs) over every pair of that coder's answers."""
    answers: dict[tuple[int, int], list[int]] = defaultdict(list)
    for u, c, v in zip(unit.tolist(), coder.tolist(), value.tolist(), strict=True):
        if v != -1:
            answers[(c, u)].append(v)
    result = {}
    for key, given in answers.items():
        pairs = list(itertools.combinations(given, 2))
        if pairs:
            result[key] = (sum(x == y for x, y in pairs), len(pairs))
    return result


def random_repeats(seed: int, n: int = 400) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    unit = rng.integers(0, 80, n)
    coder = rng.choice([3, 11, 20], n)
    value = rng.integers(0, 3, n)
    value[rng.random(n) < 0.1] = -1
    return unit, coder, value


def test_self_agreement_hand_worked() -> None:
    # Coder 0 answered unit 1 three times (1, 1, 2): 1 of 3 pairs agree; unit 2 twice (0, 0):
    # 1 of 1. Coder 5 answered unit 1 twice (2, 0): 0 of 1; unit 3 once, and unit 4 twice but
    # once with no answer: neither counts. Pooled: 2 of 5.
    unit = np.array([1, 1, 1, 2, 2, 1, 1, 3, 4, 4])
    coder = np.array([0, 0, 0, 0, 0, 5, 5, 5, 5, 5])
    value = np.array([1, 1, 2, 0, 0, 2, 0, 1, 1, -1])
    estimate = self_agreement(unit, coder, value)
    assert estimate.value == pytest.approx(0.4)
    assert estimate.n == 3
    by_coder = self_agreement_by_coder(unit, coder, value)
    assert sorted(by_coder) == [0, 5]
    assert by_coder[0].value == pytest.approx(0.5)
    assert by_coder[0].n == 2
    assert by_coder[5].value == 0.0
    assert by_coder[5].n == 1


@pytest.mark.parametrize("seed", SEEDS)
def test_self_agreement_matches_brute_force(seed: int) -> None:
    unit, coder, value = random_repeats(seed)
    expected = brute_force_repeats(unit, coder, value)
    agree = sum(a for a, _ in expected.values())
    pairs = sum(p for _, p in expected.values())
    estimate = self_agreement(unit, coder, value, n_resamples=50)
    assert estimate.value == pytest.approx(agree / pairs, abs=1e-12)
    assert estimate.n == len(expected)
    by_coder = self_agreement_by_coder(unit, coder, value, n_resamples=50)
    assert sorted(by_coder) == sorted({c for c, _ in expected})
    for c, result in by_coder.items():
        mine = [counts for key, counts in expected.items() if key[0] == c]
        assert result.value == pytest.approx(
            sum(a for a, _ in mine) / sum(p for _, p in mine), abs=1e-12
        )
        assert result.n == len(mine)


def test_self_agreement_bootstrap_equals_explicit_resampling() -> None:
    unit, coder, value = random_repeats(17)
    estimate = self_agreement(unit, coder, value, n_resamples=60, seed=3)
    # The resampling units are the repeated (coder, unit) groups in (coder, unit) order.
    expected = brute_force_repeats(unit, coder, value)
    groups = np.array([expected[key] for key in sorted(expected)], dtype=np.float64)
    rng = np.random.default_rng(3)
    replicates = []
    for counts in resampling_counts(len(groups), 60, rng):
        for row in counts:
            drawn = groups[np.repeat(np.arange(len(groups)), row)]
            replicates.append(drawn[:, 0].sum() / drawn[:, 1].sum())
    low, high = np.percentile(replicates, [2.5, 97.5])
    assert (estimate.low, estimate.high) == pytest.approx((low, high), abs=1e-12)
    assert estimate.low <= estimate.value <= estimate.high


def test_self_agreement_interval_is_reproducible_and_narrows() -> None:
    rng = np.random.default_rng(2)
    unit = np.repeat(np.arange(3000), 2)
    coder = np.zeros(6000, dtype=np.int64)
    value = rng.integers(0, 2, 6000)
    small = self_agreement(unit[:200], coder[:200], value[:200], n_resamples=300)
    large = self_agreement(unit, coder, value, n_resamples=300)
    assert large.high - large.low < (small.high - small.low) / 2
    assert self_agreement(unit, coder, value, seed=4) == self_agreement(unit, coder, value, seed=4)
    assert self_agreement(unit, coder, value, seed=4) != self_agreement(unit, coder, value, seed=5)


def test_self_agreement_edge_cases() -> None:
    empty = np.array([], dtype=np.int64)
    assert_undefined(self_agreement(empty, empty, empty))
    assert self_agreement_by_coder(empty, empty, empty) == {}
    # Nobody answered anything twice: two coders on the same unit is inter-, not self-agreement.
    once = self_agreement(np.array([1, 1, 2]), np.array([0, 1, 0]), np.array([1, 1, 0]))
    assert_undefined(once)
    assert self_agreement_by_coder(np.array([1, 1]), np.array([0, 1]), np.array([1, 1])) == {}
    # A single repeated group: a value but no interval.
    single = self_agreement(np.array([4, 4]), np.array([2, 2]), np.array([1, 1]))
    assert single.value == 1.0
    assert single.n == 1
    assert math.isnan(single.low)
    # One coder, all identical answers.
    same = self_agreement(
        np.repeat(np.arange(10), 3), np.zeros(30, np.int64), np.ones(30, np.int64)
    )
    assert (same.value, same.low, same.high, same.n) == (1.0, 1.0, 1.0, 10)
    # Repeats whose second answer is missing do not count.
    assert_undefined(self_agreement(np.array([1, 1]), np.array([0, 0]), np.array([3, -1])))


def test_self_agreement_bad_input() -> None:
    with pytest.raises(ValueError, match="same length"):
        self_agreement(np.array([1, 2]), np.array([0]), np.array([1, 1]))
    with pytest.raises(ValueError, match="below -1"):
        self_agreement(np.array([1]), np.array([0]), np.array([-3]))
    with pytest.raises(ValueError, match="integers"):
        self_agreement_by_coder(np.array([1]), np.array([0]), np.array([0.5]))


def assert_undefined(estimate: Estimate) -> None:
    assert math.isnan(estimate.value)
    assert math.isnan(estimate.low)
    assert estimate.n == 0
